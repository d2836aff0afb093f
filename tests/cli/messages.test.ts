// `check`'s messages lead the right way (issue 21.4): paths as Nix writes them (a key with dots is one key),
// union errors explained by the variant the value came closest to, did-you-mean that names the service option a
// Nix user means and never another word, upstream's `plugins install` advice as the module's `plugins` option,
// the gateway detected by the config's keys, --version, a default path, progress while the validator runs.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/clawdbot-nix.js";
import { nixInstallAdvice, runCheck, upstreamPath } from "../../cli/check.js";
import { readConfig } from "../../cli/read-config.js";
import { nearest } from "../../cli/suggest.js";
import { detectTarget, TARGETS } from "../../cli/targets.js";
import { contentTarget, displayPath, validateConfig } from "../../cli/validate.js";
import { prepareGateway, type PreparedGateway } from "../support/gateway.js";
import { cleanTemps, tempDir } from "./support.js";

afterAll(cleanTemps);

async function cli(args: string[]): Promise<{ code: number; out: string; err: string; errLines: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join("\n"), err: err.join("\n"), errLines: err };
}

describe("paths as Nix writes them", () => {
  it("a key with dots is one segment, quoted; names are bare only when Nix takes them bare", () => {
    const config = { broadcast: { "120363025246125888@g.us": { us: ["x"] } }, channels: { "a.b": { c: 1 } } };
    const path = upstreamPath("broadcast.120363025246125888@g.us.us.0", config);
    expect(path).toEqual(["broadcast", "120363025246125888@g.us", "us", 0]);
    expect(displayPath(path)).toBe('broadcast."120363025246125888@g.us".us[0]');
    expect(upstreamPath("channels.a.b.c", config)).toEqual(["channels", "a.b", "c"]);
    // a key "0" of an object, a `$`, a keyword, `${` are quoted as Nix needs them; a dash and a quote are not
    expect(displayPath(["broadcast", "0"])).toBe('broadcast."0"');
    expect(displayPath(["$schema"])).toBe('"$schema"');
    expect(displayPath(["x", "if"])).toBe('x."if"');
    expect(displayPath(["x", "a${b}"])).toBe('x."a\\${b}"');
    expect(displayPath(["x", "dm-policy", "a'"])).toBe("x.dm-policy.a'");
  });
});

describe("unions explained by the closest variant", () => {
  it("a SecretRef missing its id: one problem, the id, not one per variant", () => {
    const problems = validateConfig({ channels: { telegram: { botToken: { source: "env", provider: "default" } } } } as never, TARGETS.openclaw);
    expect(problems.map((p) => [displayPath(p.path), p.message])).toEqual([["channels.telegram.botToken.id", "required key is missing"]]);
  });

  it("a value of no variant's shape: one summary that does not contradict itself", () => {
    const problems = validateConfig({ channels: { telegram: { botToken: 3 } } } as never, TARGETS.openclaw);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toBe("is 3, must be string or an object");
    // an object that fits the object variant but for one key is never told it "must be string or an object"
    const object = validateConfig({ channels: { telegram: { botToken: { source: "file", provider: "default", id: 3 } } } } as never, TARGETS.openclaw);
    expect(object.map((p) => [displayPath(p.path), p.message])).toEqual([["channels.telegram.botToken.id", "is number 3, must be string"]]);
  });
});

describe("did-you-mean", () => {
  it("a service option is named as the service option", () => {
    for (const name of ["openclaw", "clawdbot"] as const) {
      const [problem] = validateConfig({ gateway: { auth: { tokenFile: "/run/agenix/token" } } } as never, TARGETS[name]);
      expect(problem).toMatchObject({ kind: "unknown-key", suggestion: `services.${name}.auth.tokenFile` });
      expect(problem!.message).toContain(`services.${name}.auth.tokenFile`);
    }
    const [stateDir] = validateConfig({ stateDir: "/var/lib/x" } as never, TARGETS.clawdbot);
    expect(stateDir!.suggestion).toBe("services.clawdbot.stateDir");
  });

  it("never across unrelated words: version is not session; typos still are", () => {
    expect(nearest("version", ["session", "messages", "meta"])).toBeUndefined();
    const [problem] = validateConfig({ version: 3 } as never, TARGETS.clawdbot);
    expect(problem!.suggestion).toBeUndefined();
    expect(nearest("sesion", ["session"])).toBe("session");
    expect(nearest("mdoe", ["mode"])).toBe("mode");
    expect(nearest("worksapce", ["workspace"])).toBe("workspace");
    expect(nearest("allowFromm", ["allowFrom"])).toBe("allowFrom");
  });
});

describe("upstream's `plugins install` under Nix", () => {
  it("a packaged plugin: the module's plugins option; an unpackaged one: said so", () => {
    const openclaw = TARGETS.openclaw;
    const packaged = openclaw.service.plugins[0]!;
    const spec = openclaw.facts.externalPlugins![packaged]!.package;
    const message = nixInstallAdvice(`plugin not installed: ${packaged} — install the official external plugin with: openclaw plugins install ${spec}`, openclaw);
    expect(message).toBe(`plugin not installed: ${packaged} — under Nix: services.openclaw.plugins = [ "${packaged}" ]; (the module packages it; no \`plugins install\`)`);
    expect(message).not.toContain("openclaw plugins install");
    const unpackaged = Object.keys(openclaw.facts.externalPlugins!).find((id) => !openclaw.service.plugins.includes(id))!;
    expect(nixInstallAdvice(`plugin not installed: ${unpackaged} — install the official external plugin with: openclaw plugins install x`, openclaw)).toContain(`this flake does not package ${unpackaged}`);
  });
});

describe("which gateway, by content", () => {
  it("a config named otherwise, without meta: the keys only one gateway's schema has decide", () => {
    const dir = tempDir();
    const file = join(dir, "config.json");
    writeFileSync(file, '{ agents: { entries: { main: {} } }, gateway: { mode: "local" } }');
    const openclaw = detectTarget(file, readConfig(file).value, undefined, contentTarget);
    expect(openclaw.target.name).toBe("openclaw");
    expect(openclaw.reason).toContain("agents.entries");
    writeFileSync(file, '{ channels: { discord: { dm: { policy: "pairing" } } } }');
    const clawdbot = detectTarget(file, readConfig(file).value, undefined, contentTarget);
    expect(clawdbot.target.name).toBe("clawdbot");
    expect(clawdbot.reason).toContain("channels.discord.dm.policy");
  });

  it("check reports the choice by content", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "gw.json"), '{ agents: { entries: { main: {} } } }');
    const result = await runCheck(join(dir, "gw.json"), { upstream: "off" });
    expect(result.choice.target.name).toBe("openclaw");
  });
});

describe("the command", () => {
  it("--version names this command and the gateway releases", async () => {
    const { code, out } = await cli(["--version"]);
    expect(code).toBe(0);
    expect(out).toBe(`clawdbot-nix 0.1.0 (clawdbot ${TARGETS.clawdbot.version}, openclaw ${TARGETS.openclaw.version})`);
  });

  it("without a path: ~/.openclaw, then ~/.clawdbot", async () => {
    const home = tempDir();
    const saved = process.env.HOME;
    process.env.HOME = home;
    try {
      mkdirSync(join(home, ".clawdbot"));
      writeFileSync(join(home, ".clawdbot", "clawdbot.json"), '{ gateway: { mode: "local" } }');
      const clawdbot = await cli(["check", "--schema-only", "--json"]);
      expect(JSON.parse(clawdbot.out).file).toBe(join(home, ".clawdbot", "clawdbot.json"));
      mkdirSync(join(home, ".openclaw"));
      writeFileSync(join(home, ".openclaw", "openclaw.json"), '{ gateway: { mode: "local" } }');
      const openclaw = await cli(["check", "--schema-only", "--json"]);
      expect(JSON.parse(openclaw.out)).toMatchObject({ file: join(home, ".openclaw", "openclaw.json"), target: "openclaw" });
    } finally {
      process.env.HOME = saved;
    }
  });

  describe("with the gateway's validator", () => {
    let gw: PreparedGateway;
    beforeAll(async () => {
      gw = await prepareGateway("clawdbot");
    }, 30 * 60_000);

    it("progress on stderr while the validator runs, before the verdict", async () => {
      const dir = tempDir();
      writeFileSync(join(dir, "clawdbot.json"), '{ gateway: { mode: "local" } }');
      const { code, out, errLines } = await cli(["check", "--gateway", gw.root, dir]);
      expect(code).toBe(0);
      expect(out).toContain("valid for clawdbot");
      expect(errLines[0]).toMatch(/^checking with Clawdbot 2026\.1\.24-3's own validator/);
      expect(errLines.at(-1)).toMatch(/^Clawdbot's validator done \(\d+\.\d s\)$/);
    }, 300_000);
  });
});
