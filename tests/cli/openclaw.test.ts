// `clawdbot-nix check` and `import` for OpenClaw (the renamed current gateway): the target is detected (an
// openclaw.json, a .openclaw state dir, meta.lastTouchedVersion) or named by --target; the schema layer is
// OpenClaw's generated schema and facts; the verdict is OpenClaw's own validator's (`validateConfigObjectWithPlugins`
// of the pinned openclaw package, prepared like the Nix package by prepareGateway("openclaw")); import writes
// services.openclaw with the secrets in files, through the same code as for Clawdbot. A Clawdbot config imported
// with --target openclaw lists the keys OpenClaw refuses. The imported default.nix goes through the modules' own
// renderer with OpenClaw's gateway description (tests/support/nix/, T0), and OpenClaw's validator accepts what it
// renders.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, cpSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCheck } from "../../cli/check.js";
import { main } from "../../cli/clawdbot-nix.js";
import { ImportError, planImport, runImport } from "../../cli/import.js";
import { readConfig, type Json, type JsonObject } from "../../cli/read-config.js";
import { configFileIn, detectTarget, newerVersion, TARGETS } from "../../cli/targets.js";
import { locateUpstream, runUpstream, satisfiesEngines } from "../../cli/upstream-validator.js";
import { displayPath, isSecretPath } from "../../cli/validate.js";
import { prepareGateway, type PreparedGateway } from "../support/gateway.js";
import { announceSkip, hasNix, nixEval, nixStr, REPO } from "../support/nix.js";
import { cleanTemps, expectedSettings, expectRenderedLikeInput, fixture, snapshotTree, strings, tempDir } from "./support.js";

afterAll(cleanTemps);

const OPENCLAW = TARGETS.openclaw;
const VERSION = OPENCLAW.version;
const STATE = fixture("openclaw/state");
const TYPO = fixture("openclaw/typo/openclaw.json");
const LAST_TOUCHED = fixture("openclaw/lastTouched/config.json");
const CLAWDBOT_STATE = fixture("openclaw/clawdbot-state");

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (l) => out.push(l), (l) => err.push(l));
  // progress lines while the validator runs (messages.test.ts) are not the verdict
  const progress = /^(checking with .*'s own validator|… still checking|\S+'s validator done)/;
  return { code, out: out.join("\n"), err: err.filter((l) => !progress.test(l)).join("\n") };
}

const choose = (input: string, target?: "clawdbot" | "openclaw") => {
  const { file } = configFileIn(input, REPO, target ? TARGETS[target] : undefined);
  return detectTarget(file, readConfig(file).value, target);
};

describe("which gateway a config is for", () => {
  it("an openclaw.json, or a state dir holding one, is OpenClaw's", () => {
    expect(choose(STATE)).toMatchObject({ target: { name: "openclaw" }, reason: "the config file is named openclaw.json" });
    expect(choose(join(STATE, "openclaw.json")).target.name).toBe("openclaw");
  });

  it("a state dir holding both files: openclaw.json, the one OpenClaw reads first", () => {
    const dir = tempDir();
    cpSync(join(STATE, "openclaw.json"), join(dir, "openclaw.json"));
    cpSync(fixture("wizard/clawdbot.json"), join(dir, "clawdbot.json"));
    expect(configFileIn(dir, REPO, undefined).file).toBe(join(dir, "openclaw.json"));
    // for Clawdbot, its own file (Clawdbot never read openclaw.json)
    expect(configFileIn(dir, REPO, TARGETS.clawdbot).file).toBe(join(dir, "clawdbot.json"));
  });

  it("a .openclaw state dir holding a clawdbot.json (OpenClaw reads that name too) is OpenClaw's", () => {
    const dir = join(tempDir(), ".openclaw");
    mkdirSync(dir);
    cpSync(fixture("lan-env-token/clawdbot.json"), join(dir, "clawdbot.json"));
    expect(choose(dir)).toMatchObject({ target: { name: "openclaw" }, reason: "the config is in .openclaw, an OpenClaw state directory" });
  });

  it("meta.lastTouchedVersion newer than the last Clawdbot release says OpenClaw wrote it", () => {
    expect(choose(LAST_TOUCHED).target.name).toBe("openclaw");
    expect(choose(LAST_TOUCHED).reason).toMatch(/^meta\.lastTouchedVersion is 2026\.9\.6, newer than the last Clawdbot release \(2026\.1\.24-3\)/);
    expect(newerVersion("2026.1.29", "2026.1.24-3")).toBe(true);
    expect(newerVersion("2026.1.24-3", "2026.1.24-3")).toBe(false);
    expect(newerVersion("2026.1.24", "2026.1.24-3")).toBe(false);
  });

  it("a Clawdbot config is Clawdbot's; --target overrides any sign", () => {
    expect(choose(fixture("wizard/clawdbot.json"))).toMatchObject({ target: { name: "clawdbot" } });
    expect(choose(fixture("wizard/clawdbot.json")).reason).toMatch(/^no sign of OpenClaw \(meta\.lastTouchedVersion 2026\.1\.24-3\)/);
    expect(choose(CLAWDBOT_STATE, "openclaw")).toMatchObject({ target: { name: "openclaw" }, reason: "--target openclaw" });
    expect(choose(join(STATE, "openclaw.json"), "clawdbot")).toMatchObject({ target: { name: "clawdbot" }, reason: "--target clawdbot" });
  });

  it("the command prints the choice and why; --target takes only the known gateways", async () => {
    const detected = await cli(["check", "--schema-only", STATE]);
    expect(detected.out.split("\n")[1]).toBe(`target: openclaw ${VERSION} (the config file is named openclaw.json)`);
    const json = await cli(["check", "--json", "--schema-only", LAST_TOUCHED]);
    expect(JSON.parse(json.out)).toMatchObject({ target: "openclaw", version: VERSION, targetReason: expect.stringMatching(/^meta\.lastTouchedVersion/) });
    const bad = await cli(["check", "--target", "openclow", STATE]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--target openclow: give clawdbot or openclaw");
    const dry = await cli(["import", "--dry-run", "--schema-only", "--secrets-dir", join(tempDir(), "s"), "--out", join(tempDir(), "o"), STATE]);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain(`target: openclaw ${VERSION} (the config file is named openclaw.json)`);
  });
});

describe("the OpenClaw schema layer (no gateway)", () => {
  it("unknown keys against OpenClaw's schema, with its help text; its own keys are fine", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "openclaw.json"), '{ gateway: { mdoe: "local", customBindHost: "10.0.0.2" } }');
    const result = await runCheck(dir, { upstream: "off" });
    expect(result.source.file).toBe(join(dir, "openclaw.json"));
    expect(result.choice.target.name).toBe("openclaw");
    // customBindHost exists at OpenClaw (not at Clawdbot 2026.1.24-3): only the typo is reported
    expect(result.problems.map((p) => [displayPath(p.path), p.message])).toEqual([["gateway.mdoe", "unknown key — did you mean gateway.mode?"]]);
    expect(result.problems[0]!.help).toMatch(/"local" runs channels and agent runtime on this host/);
    const asClawdbot = await runCheck(join(dir, "openclaw.json"), { upstream: "off", target: "clawdbot" });
    expect(asClawdbot.problems.map((p) => displayPath(p.path)).sort()).toEqual(["gateway.customBindHost", "gateway.mdoe"]);
  });

  it("secret places are OpenClaw's facts (modules/generated/openclaw/facts.json)", () => {
    expect(isSecretPath(["channels", "telegram", "botToken"], OPENCLAW)).toBe(true);
    expect(isSecretPath(["models", "providers", "openai", "apiKey"], OPENCLAW)).toBe(true);
    expect(isSecretPath(["messages", "responsePrefix"], OPENCLAW)).toBe(false);
  });

  it("without OpenClaw's validator it never says valid", async () => {
    const { code, out } = await cli(["check", "--schema-only", STATE]);
    expect(code).toBe(0);
    expect(out).not.toMatch(/\bvalid\b/);
    expect(out.split("\n")[0]).toMatch(/no problem found by the schema layer; not a full check: the gateway's own validator did not run \(not asked for/);
  });

  it("the gateway's Node range is read from its package.json engines", () => {
    const range = ">=24.16.0 <25 || >=26.1.0";
    expect(["24.16.0", "24.22.3", "26.1.0"].map((v) => satisfiesEngines(v, range))).toEqual([true, true, true]);
    expect(["22.23.5", "24.15.9", "25.0.0", "26.0.9"].map((v) => satisfiesEngines(v, range))).toEqual([false, false, false, false]);
  });
});

describe("with OpenClaw's own validator (prepared gateway)", () => {
  let gw: PreparedGateway;
  /** --gateway: the prepared tree, laid out like the Nix package's $out. */
  const withGateway = () => ({ gateway: gw.root });
  beforeAll(async () => {
    gw = await prepareGateway("openclaw");
  }, 30 * 60_000);

  it("the prepared tree is found (--gateway) and run on a Node its engines accept", () => {
    const located = locateUpstream({ target: OPENCLAW, gateway: gw.root });
    expect(located.missing).toBeUndefined();
    expect(located.validator!.packageRoot).toBe(join(gw.root, "lib/openclaw/node_modules/openclaw"));
    // with the checkout's caches it is found without being named, as for Clawdbot
    expect(locateUpstream({ target: OPENCLAW }).missing).toBeUndefined();
  });

  it("a valid config: 'valid for openclaw' only with OpenClaw's verdict", async () => {
    const result = await runCheck(STATE, withGateway());
    expect(result.upstream.ran).toBe(true);
    expect(result.problems.filter((p) => !p.warning)).toEqual([]);
    const { code, out } = await cli(["check", "--gateway", gw.root, STATE]);
    expect(code).toBe(0);
    expect(out.split("\n")[0]).toBe(`${join(STATE, "openclaw.json")}: valid for openclaw ${VERSION}`);
  }, 120_000);

  it("an invalid config: OpenClaw's messages with their paths, an unknown channel id with the nearest known one", async () => {
    const result = await runCheck(TYPO, withGateway());
    expect(result.ok).toBe(false);
    const problems = result.problems.filter((p) => !p.warning).map((p) => [displayPath(p.path), p.message]);
    expect(problems).toContainEqual(["channels.telgram", "unknown channel id: telgram — did you mean channels.telegram?"]);
    expect(problems).toContainEqual(["agents.defaults.heartbeat.target", 'unknown heartbeat target: telgram — did you mean "telegram"?']);
    expect(problems).toHaveLength(2);
    // and its warning, which does not make the config invalid
    const dm = result.problems.find((p) => displayPath(p.path) === "channels.telegram.allowFrom");
    expect(dm).toMatchObject({ kind: "upstream", warning: true });
    expect(dm?.message).toMatch(/^channels\.telegram\.dmPolicy="open" but channels\.telegram\.allowFrom does not include "\*"; all DMs will be dropped/);
    const { code, err } = await cli(["check", "--gateway", gw.root, TYPO]);
    expect(code).toBe(1);
    expect(err.split("\n")[0]).toMatch(new RegExp(`: 2 problems \\(openclaw ${VERSION.replace(/\./g, "\\.")}: schema and the gateway's own validator\\)$`));
    expect(err).toContain("error: channels.telgram: unknown channel id: telgram — did you mean channels.telegram?");
    // the same verdict straight from the gateway: the paths and messages are OpenClaw's
    const verdict = await runUpstream(locateUpstream({ target: OPENCLAW, gateway: gw.root }).validator!, readConfig(TYPO).value, tempDir());
    expect(verdict.issues.map((i) => i.path)).toContain("channels.telgram");
    expect(verdict.issues.find((i) => i.path === "channels.telgram")?.message).toBe("unknown channel id: telgram");
  }, 120_000);

  it("a cross-field rule: OpenClaw's message at its path, exit 1", async () => {
    const result = await runCheck(fixture("openclaw/roster/openclaw.json"), withGateway());
    expect(result.problems.map((p) => [p.kind, displayPath(p.path), p.message])).toEqual([
      [
        "upstream",
        "agents.ownership",
        'multi-agent rosters require agents.ownership="explicit" or one legacy default=true marker; add agents.ownership="explicit" or run openclaw doctor',
      ],
    ]);
    expect(result.problems[0]!.help).toBeDefined();
    const { code, err } = await cli(["check", "--gateway", gw.root, fixture("openclaw/roster")]);
    expect(code).toBe(1);
    expect(err).toContain('error: agents.ownership: multi-agent rosters require agents.ownership="explicit"');
  }, 120_000);

  it("a misspelt plugin id: OpenClaw's warning, with the nearest plugin id", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "openclaw.json"), '{ gateway: { mode: "local" }, plugins: { entries: { telegrm: { enabled: true } } } }');
    const result = await runCheck(dir, withGateway());
    expect(result.ok).toBe(true);
    const warning = result.problems.find((p) => displayPath(p.path) === "plugins.entries.telegrm");
    expect(warning?.warning).toBe(true);
    expect(warning?.message).toMatch(/^plugin not found: telegrm \(stale config entry ignored; .*\) — did you mean "telegram"\?$/);
  }, 120_000);

  describe("import", () => {
    let dir: string;
    let result: Awaited<ReturnType<typeof runImport>>;
    const input = readConfig(join(STATE, "openclaw.json")).value;
    beforeAll(async () => {
      dir = tempDir();
      result = await runImport(STATE, { out: join(dir, "nix"), secretsDir: join(dir, "secrets"), ...withGateway() });
    }, 120_000);

    it("writes services.openclaw, checked by OpenClaw's validator", () => {
      expect(result.upstream.ran).toBe(true);
      expect(result.choice.target.name).toBe("openclaw");
      const module = readFileSync(join(dir, "nix", "default.nix"), "utf8");
      expect(module).toContain("# The OpenClaw service as the imported config implies it");
      expect(module).toMatch(/^ {2}services\.openclaw = \{\n {4}enable = true;\n {4}port = 18789;\n {4}bind = "loopback";\n {4}auth\.mode = "token";/m);
      expect(module).not.toContain("services.clawdbot");
      // the Discord channel comes from a separately published plugin the module packages: loaded through `plugins`
      expect(module).toContain('    plugins = [ "discord" ];');
      expect(readFileSync(join(dir, "nix", "settings.nix"), "utf8")).toMatch(/^# services\.openclaw\.settings: the gateway's openclaw\.json/);
    });

    it("every literal secret moves to a 0600 file (the module's { _secret = …; } or auth.tokenFile); a token-like value to ${OPENCLAW_IMPORTED_…}", () => {
      const byPath = Object.fromEntries(result.moves.map((m) => [displayPath(m.path), m]));
      expect(byPath["gateway.auth.token"]).toMatchObject({ form: "service", option: "services.openclaw.auth.tokenFile" });
      for (const path of ["channels.telegram.botToken", "channels.discord.token", "models.providers.openai.apiKey"]) expect(byPath[path]?.form, path).toBe("file");
      expect(byPath["messages.responsePrefix"]).toMatchObject({ form: "env", variable: "OPENCLAW_IMPORTED_MESSAGES_RESPONSE_PREFIX", file: join(dir, "secrets", "openclaw.env") });
      const settings = readFileSync(join(dir, "nix", "settings.nix"), "utf8");
      expect(settings).toContain(`botToken = { _secret = "${join(dir, "secrets", "channels.telegram.botToken")}"; };`);
      expect(settings).toContain('responsePrefix = "\\${OPENCLAW_IMPORTED_MESSAGES_RESPONSE_PREFIX}";');
      expect(readFileSync(join(dir, "secrets", "openclaw.env"), "utf8")).toContain("\nOPENCLAW_IMPORTED_MESSAGES_RESPONSE_PREFIX=sk-ant-api03-");
      for (const move of result.moves.filter((m) => m.form !== "env")) {
        expect(readFileSync(move.file, "utf8")).toBe(String(strings(input).find((s) => displayPath(s.path) === displayPath(move.path))!.value));
        expect(statSync(move.file).mode & 0o777).toBe(0o600);
      }
      expect(statSync(join(dir, "secrets")).mode & 0o777).toBe(0o700);
      // no secret value in any Nix file or record
      const nix = readdirSync(join(dir, "nix")).map((f) => readFileSync(join(dir, "nix", f), "utf8")).join("\n");
      for (const move of result.moves) {
        const value = strings(input).find((s) => displayPath(s.path) === displayPath(move.path))!.value;
        expect(nix.includes(value), displayPath(move.path)).toBe(false);
      }
    });

    it("--instance: services.openclaw.instances.<name>", async () => {
      const other = tempDir();
      const planned = await planImport(STATE, { out: join(other, "nix"), secretsDir: join(other, "secrets"), instance: "work", upstream: "off" });
      expect(planned.result.moves.find((m) => m.form === "service")?.option).toBe("services.openclaw.instances.work.auth.tokenFile");
      expect(planned.texts.find((t) => t.path.endsWith("default.nix"))!.text).toContain("  services.openclaw.instances.work = {");
    });
  });

  describe("migration: a Clawdbot config imported for OpenClaw", () => {
    it("`import ~/.clawdbot --target openclaw` lists the keys OpenClaw refuses, with paths and messages, and writes nothing", async () => {
      const state = join(tempDir(), ".clawdbot");
      cpSync(CLAWDBOT_STATE, state, { recursive: true });
      const before = snapshotTree(state);
      const dir = tempDir();
      const error = await runImport(state, { out: join(dir, "nix"), secretsDir: join(dir, "secrets"), target: "openclaw", ...withGateway() }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImportError);
      const message = (error as ImportError).message;
      expect(message.split("\n")[0]).toBe(
        `${join(state, "clawdbot.json")} does not validate against the openclaw ${VERSION} config (3 problems; target: openclaw ${VERSION} (--target openclaw)):`,
      );
      expect((error as ImportError).problems.map((p) => displayPath(p.path))).toEqual(["env.ANTHROPIC_API_KEY", "gateway.tailscale.resetOnExit", "meta.lastTouchedAt"]);
      expect(message).toContain("error: gateway.tailscale.resetOnExit: unknown key (gateway.tailscale takes: mode, preserveFunnel)");
      expect(message).toContain("This config was written for Clawdbot: change the keys above in a copy");
      expect(existsSync(join(dir, "nix"))).toBe(false);
      expect(existsSync(join(dir, "secrets"))).toBe(false);
      // the gateway read it and wrote nothing into the state directory
      expect(snapshotTree(state)).toEqual(before);
      // the same keys are the ones OpenClaw's own validator refuses (zod names an unknown key at its parent)
      const verdict = await runUpstream(locateUpstream({ target: OPENCLAW, gateway: gw.root }).validator!, readConfig(join(state, "clawdbot.json")).value, state);
      expect(verdict.issues.map((i) => [i.path, i.message]).sort()).toEqual([
        ["env", 'Unrecognized key: "ANTHROPIC_API_KEY"'],
        ["gateway.tailscale", 'Unrecognized key: "resetOnExit"'],
        ["meta", 'Unrecognized key: "lastTouchedAt"'],
      ]);
      // and the command exits 1 with the same list
      const command = await cli(["import", state, "--target", "openclaw", "--gateway", gw.root, "--out", join(dir, "nix"), "--secrets-dir", join(dir, "secrets")]);
      expect(command.code).toBe(1);
      expect(command.err).toContain("error: meta.lastTouchedAt: unknown key");
    }, 180_000);

    it("a Clawdbot config OpenClaw accepts imports as services.openclaw, with OpenClaw's variable names", async () => {
      const dir = tempDir();
      const result = await runImport(fixture("lan-env-token/clawdbot.json"), { out: join(dir, "nix"), secretsDir: join(dir, "secrets"), target: "openclaw", ...withGateway() });
      expect(result.upstream.ran).toBe(true);
      expect(readFileSync(join(dir, "nix", "default.nix"), "utf8")).toContain('  services.openclaw = {\n    enable = true;\n    port = 18789;\n    bind = "lan";');
      expect(result.fixes.map((f) => f.option)).toEqual(["services.openclaw.auth.tokenFile"]);
      expect(result.fixes[0]!.problem).toContain("OPENCLAW_GATEWAY_TOKEN");
    }, 120_000);
  });

  describe("the imported default.nix through the modules' renderer (OpenClaw's gateway description, T0)", () => {
    const UNIT_LIB = join(REPO, "tests/support/nix/nixos-unit.nix");
    const HM_UNIT_LIB = join(REPO, "tests/support/nix/hm-unit.nix");
    const GATEWAYS_NIX = join(REPO, "modules/lib/gateways.nix");
    const PACKAGE = "/nix/store/00000000000000000000000000000000-openclaw-gateway";
    const reason = !hasNix() ? "nix-instantiate is not installed" : undefined;
    announceSkip("clawdbot-nix import (OpenClaw) → modules/lib renderers", reason);

    const render = (moduleFile: string, platform: "nixos" | "home-manager" | "darwin", instance?: string) => `
      let
        gateway = (import ${nixStr(GATEWAYS_NIX)}).openclaw;
        imported = (import ${nixStr(moduleFile)}).services.openclaw;
        service = builtins.removeAttrs ${instance ? `imported.instances.${instance}` : "imported"} [ "enable" ];
        rendered =
          if ${nixStr(platform)} == "nixos" then
            import ${nixStr(UNIT_LIB)} { inherit gateway; package = ${nixStr(PACKAGE)}; shell = "/bin/sh"; options = service; ${instance ? `name = ${nixStr(instance)};` : ""} }
          else
            import ${nixStr(HM_UNIT_LIB)} {
              inherit gateway;
              platform = if ${nixStr(platform)} == "darwin" then "darwin" else null;
              package = ${nixStr(PACKAGE)};
              shell = "/bin/sh";
              home = "/home/alice";
              options = service;
            };
      in {
        config = builtins.fromJSON rendered.configText;
        credentials = map (c: c.file) rendered.credentials;
        failed = rendered.failed;
      }`;

    it.skipIf(!!reason).each(["nixos", "home-manager", "darwin"] as const)(
      "%s: the rendered openclaw.json equals the input modulo secrets-as-references, and OpenClaw's validator accepts it",
      async (platform) => {
        const dir = tempDir();
        // a config without the Discord channel: the module loads that plugin from its package set, which only a
        // real module evaluation with pkgs provides
        const input = structuredClone(readConfig(join(STATE, "openclaw.json")).value);
        delete (input.channels as JsonObject).discord;
        writeFileSync(join(dir, "openclaw.json"), JSON.stringify(input));
        const result = await runImport(join(dir, "openclaw.json"), { out: join(dir, "nix"), secretsDir: join(dir, "secrets"), upstream: "off" });
        // default.nix and settings.nix as plain Nix: the settings are the input with secrets as references
        const plain = nixEval(`(import ${nixStr(join(dir, "nix", "default.nix"))}).services.openclaw.settings`);
        expect(plain.stderr).toBe("");
        expect(plain.value).toEqual(expectedSettings(input, result));
        const evaluated = nixEval(render(join(dir, "nix", "default.nix"), platform));
        expect(evaluated.stderr).toBe("");
        const { config, credentials, failed } = evaluated.value as { config: Json; credentials: string[]; failed: string[] };
        expect(failed).toEqual([]);
        expectRenderedLikeInput(input, result, config, credentials);
        // the module's secret references carry OpenClaw's prefix; a field that takes OpenClaw's SecretRef gets one
        expect(strings(config).filter((s) => s.value.startsWith("${")).map((s) => s.value).every((v) => /^\$\{OPENCLAW_[A-Z0-9_]+\}$/.test(v))).toBe(true);
        expect((config as JsonObject & { channels: { telegram: { botToken: unknown } } }).channels.telegram.botToken).toEqual({
          source: "env",
          provider: "default",
          id: "OPENCLAW_SECRET_CHANNELS_TELEGRAM_BOT_TOKEN",
        });
        writeFileSync(join(dir, "rendered.json"), JSON.stringify(config));
        const checked = await runCheck(join(dir, "rendered.json"), { target: "openclaw", ...withGateway() });
        expect(checked.upstream.ran).toBe(true);
        expect(checked.problems.filter((p) => !p.warning)).toEqual([]);
      },
      120_000,
    );
  });
});
