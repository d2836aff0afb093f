// T1: every CLI fixture the import accepts, for both gateways, evaluates through the real modules (NixOS, and
// Home Manager with its own systemd and launchd modules), or the import names each blocker with its fix. Both
// directions are asserted against an evaluation of our own (the tests' T1 harness,
// tests/fixtures/modules/t1/eval.nix, not the CLI's cli/verify.nix): an import that evaluates says so and names
// no blocker; one that does not says BLOCKED, exits 3, and every failed assertion and every evaluation error
// is one of its fixes (the module's own words kept). The fixtures hold a case of each blocker kind: an
// unknown key (agents.list, converted as OpenClaw converts it on reading), an unknown plugin id (left out: the
// gateway ignores it), ports out of range (left out), a tailnet bind with Tailscale
// Serve, remote mode. The gateways' own validators run (prepared trees): the conversions are theirs.
//
// Prints, per gateway: `imports evaluating N/M, blocked-with-reason K`.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/clawdbot-nix.js";
import { formatReport, runImport, type ImportResult } from "../../cli/import.js";
import { TARGETS } from "../../cli/targets.js";
import { displayPath } from "../../cli/validate.js";
import { prepareGateway, type PreparedGateway } from "../support/gateway.js";
import { announceSkip, nixStr, REPO, t1Sources } from "../support/nix.js";
import { runAsync } from "../support/process.js";
import { cleanTemps, fixture, GOOD_FIXTURES, SERVICE_FIXTURES, tempDir } from "./support.js";

afterAll(cleanTemps);

const t1 = t1Sources();
const harness = join(REPO, "tests/fixtures/modules/t1/eval.nix");
const skip = t1.libSkip ?? t1.hmSkip ?? (existsSync(harness) ? undefined : "tests/fixtures/modules/t1/eval.nix does not exist");
announceSkip("clawdbot-nix import: every fixture evaluates through the modules or names its blockers", skip);

type Gateway = "clawdbot" | "openclaw";
interface Case {
  gateway: Gateway;
  input: string;
  /** What the modules say about the import: it evaluates, or it is blocked (with the fixes named). */
  outcome: "evaluates" | "blocked";
  /** What the case stands for. */
  kind: string;
}

const CASES: Record<string, Case> = {
  ...Object.fromEntries(Object.entries(GOOD_FIXTURES).map(([name, input]) => [name, { gateway: "clawdbot", input, outcome: "evaluates", kind: "clean" } as Case])),
  fly: { gateway: "clawdbot", input: SERVICE_FIXTURES.fly!, outcome: "evaluates", kind: 'bind "auto" without auth → "loopback"' },
  "lan-env-token": { gateway: "clawdbot", input: SERVICE_FIXTURES["lan-env-token"]!, outcome: "evaluates", kind: "token in the environment (a fix advised)" },
  "custom-bind": { gateway: "clawdbot", input: SERVICE_FIXTURES["custom-bind"]!, outcome: "evaluates", kind: 'bind "custom" → "lan"' },
  "env-service": { gateway: "clawdbot", input: SERVICE_FIXTURES["env-service"]!, outcome: "evaluates", kind: "${VAR} in typed options (left at defaults)" },
  remote: { gateway: "clawdbot", input: SERVICE_FIXTURES.remote!, outcome: "blocked", kind: "remote mode" },
  "tailnet-serve": { gateway: "clawdbot", input: fixture("tailnet-serve"), outcome: "blocked", kind: "tailnet bind with serve" },
  "port-range": { gateway: "clawdbot", input: fixture("port-range"), outcome: "evaluates", kind: "out-of-range ports (left out)" },
  "openclaw/state": { gateway: "openclaw", input: fixture("openclaw/state"), outcome: "evaluates", kind: "clean (packaged plugin discord added)" },
  "openclaw/lastTouched": { gateway: "openclaw", input: fixture("openclaw/lastTouched/config.json"), outcome: "evaluates", kind: "clean" },
  "openclaw/agents-list": { gateway: "openclaw", input: fixture("openclaw/agents-list"), outcome: "evaluates", kind: "unknown key agents.list (converted)" },
  "openclaw/unknown-plugin": { gateway: "openclaw", input: fixture("openclaw/unknown-plugin"), outcome: "evaluates", kind: "unknown plugin id (left out)" },
  "openclaw/channel-plugins": { gateway: "openclaw", input: fixture("openclaw/channel-plugins"), outcome: "evaluates", kind: "channels from packaged plugins (msteams, slack added)" },
  "openclaw/remote": { gateway: "openclaw", input: fixture("openclaw/remote"), outcome: "blocked", kind: "remote mode" },
};

/** The modules' verdict on an imported directory, by the tests' own T1 harness. */
async function modulesVerdict(dir: string, kind: "nixos" | "homeManager"): Promise<{ failed: string[]; error?: string }> {
  const user = kind === "homeManager" ? `home.username = "alice"; home.homeDirectory = "/home/alice";` : "";
  const expression = `
    let
      t = import ${nixStr(harness)} { nixpkgsLib = ${nixStr(t1.nixpkgsLib!)}; homeManager = ${nixStr(t1.homeManager!)}; };
      e = t.${kind} { configuration = { imports = [ ${nixStr(join(dir, "default.nix"))} ]; ${user} }; };
      g = e.config.services;
    in builtins.deepSeq [ g.clawdbot.settings g.openclaw.settings ] e.failed`;
  const run = await runAsync("nix-instantiate", ["--eval", "--strict", "--json", "--expr", expression], { cwd: REPO, timeoutMs: 120_000 });
  return run.status === 0 ? { failed: JSON.parse(run.stdout) as string[] } : { failed: [], error: run.stderr };
}

const figures: Record<Gateway, { total: number; evaluating: number; blockedWithReason: number; cases: string[] }> = {
  clawdbot: { total: 0, evaluating: 0, blockedWithReason: 0, cases: [] },
  openclaw: { total: 0, evaluating: 0, blockedWithReason: 0, cases: [] },
};

afterAll(() => {
  if (skip) return;
  for (const [gateway, f] of Object.entries(figures)) {
    console.log(`${gateway}: imports evaluating ${f.evaluating}/${f.total}, blocked-with-reason ${f.blockedWithReason}\n  ${f.cases.join("\n  ")}`);
  }
});

/** Is every failure of the modules one of the import's fixes? */
function explained(result: ImportResult, verdict: { failed: string[]; error?: string }): boolean {
  if (result.fixes.length === 0) return false;
  const named = (message: string): boolean => result.fixes.some((f) => f.module === message || message.includes(f.option));
  if (!verdict.failed.every(named)) return false;
  if (verdict.error !== undefined) return result.fixes.some((f) => f.module !== undefined && verdict.error!.includes(f.module.split(" Did you mean")[0]!.trim()));
  return true;
}

describe.skipIf(!!skip)("T1: every import fixture evaluates through the NixOS and Home Manager modules, or the import names each blocker with its fix", () => {
  const gateways: Partial<Record<Gateway, PreparedGateway>> = {};
  beforeAll(async () => {
    gateways.clawdbot = await prepareGateway("clawdbot");
    gateways.openclaw = await prepareGateway("openclaw");
  }, 30 * 60_000);

  it.each(Object.entries(CASES))("%s", async (name, c) => {
    const dir = tempDir();
    const out = join(dir, "nix");
    const result = await runImport(c.input, {
      out,
      secretsDir: join(dir, "secrets"),
      target: c.gateway,
      gateway: gateways[c.gateway]!.root,
      verify: "on",
      nixpkgsLib: t1.nixpkgsLib!,
      homeManager: t1.homeManager!,
    });
    const report = formatReport(result);
    const verdicts = [await modulesVerdict(out, "nixos"), await modulesVerdict(out, "homeManager")];
    const evaluates = verdicts.every((v) => v.error === undefined && v.failed.length === 0);
    const figure = figures[c.gateway];
    figure.total++;
    if (evaluates) figure.evaluating++;
    else if (verdicts.every((v) => explained(result, v))) figure.blockedWithReason++;
    figure.cases.push(`${name}: ${evaluates ? "evaluates" : "blocked"} (${c.kind})`);

    const last = report.split("\n").at(-1)!;
    expect(evaluates ? "evaluates" : "blocked", report).toBe(c.outcome);
    // the import evaluated it itself, through both modules
    expect(result.verification).toMatchObject({ ran: true, platforms: [{ platform: "nixos" }, { platform: "homeManager" }] });
    if (evaluates) {
      expect(last).toMatch(new RegExp(`^modules: evaluates through ${TARGETS[c.gateway].gateway.module.replace(".", "\\.")} \\(NixOS, Home Manager\\)`));
      expect(result.fixes.filter((f) => f.module !== undefined)).toEqual([]);
    } else {
      expect(last).toMatch(/^modules: BLOCKED: /);
      for (const verdict of verdicts) {
        for (const message of verdict.failed) {
          expect(
            result.fixes.some((f) => f.module === message),
            `failed assertion not named by the import (fixes: ${result.fixes.map((f) => f.option).join(", ")}):\n${message}`,
          ).toBe(true);
        }
        if (verdict.error !== undefined) expect(explained(result, verdict), verdict.error).toBe(true);
      }
      const moduleText = readFileSync(join(out, "default.nix"), "utf8");
      expect(moduleText).toContain("# FIX BEFORE USE");
      for (const fix of result.fixes) {
        expect(fix.fix.length).toBeGreaterThan(0);
        expect(moduleText).toContain(fix.option);
      }
    }
    // nothing left out silently: each key is named in settings.nix with its fix, and absent from the settings
    const settingsText = readFileSync(join(out, "settings.nix"), "utf8");
    for (const item of result.leftOut) {
      expect(settingsText).toContain(`#   ${displayPath(item.path)}: `);
      expect(report).toContain(`left out of settings.nix: ${displayPath(item.path)}: `);
    }
  });
});

describe.skipIf(!!skip)("each blocker kind: what the import does and says", () => {
  const gateways: Partial<Record<Gateway, PreparedGateway>> = {};
  beforeAll(async () => {
    gateways.clawdbot = await prepareGateway("clawdbot");
    gateways.openclaw = await prepareGateway("openclaw");
  }, 30 * 60_000);
  const importCase = async (name: string, extra: { verify?: "on" | "off" } = {}) => {
    const c = CASES[name]!;
    const dir = tempDir();
    const result = await runImport(c.input, {
      out: join(dir, "nix"),
      secretsDir: join(dir, "secrets"),
      target: c.gateway,
      gateway: gateways[c.gateway]!.root,
      verify: extra.verify ?? "on",
      nixpkgsLib: t1.nixpkgsLib!,
      homeManager: t1.homeManager!,
    });
    return { result, dir, report: formatReport(result) };
  };

  it("unknown key agents.list: converted by OpenClaw's own normalization (keyed agents.entries, ownership stamped)", async () => {
    const { result } = await importCase("openclaw/agents-list");
    const agents = result.settings.agents as Record<string, unknown>;
    expect(agents.list).toBeUndefined();
    expect(agents.entries).toEqual({ main: {}, ops: { workspace: "/srv/agents/ops", model: "openai/gpt-5.2" } });
    expect(agents.ownership).toBe("explicit");
    expect(result.notes.join("\n")).toContain("Moved agents.list to keyed agents.entries.");
    expect(result.leftOut).toEqual([]);
  });

  it("unknown plugin id: left out (the gateway ignores it), with its did-you-mean; the known entry stays", async () => {
    const { result } = await importCase("openclaw/unknown-plugin");
    expect(result.leftOut.map((l) => displayPath(l.path))).toEqual(["plugins.entries.telegrm"]);
    expect(result.leftOut[0]!.fix).toContain("services.openclaw.settings.plugins.entries.telegram");
    expect((result.settings.plugins as { entries: object }).entries).toEqual({ telegram: { enabled: true } });
  });

  it("channels from separately published plugins: each channel's packaged plugin is added to plugins, no fix needed", async () => {
    const { result } = await importCase("openclaw/channel-plugins");
    // Every plugin of the 2026.9.6 catalog is packaged, so no channel is left without its plugin.
    expect(TARGETS.openclaw.service.plugins).toEqual(expect.arrayContaining(["msteams", "slack"]));
    expect(result.service.plugins).toEqual(["msteams", "slack"]);
    expect(result.fixes).toEqual([]);
  });

  it("ports out of range: left out (the service port keeps its default), each named with its fix", async () => {
    const { result } = await importCase("port-range");
    expect(result.leftOut.map((l) => displayPath(l.path)).sort()).toEqual(["canvasHost.port", "gateway.port"]);
    expect(result.service.port).toBeUndefined();
    expect(result.leftOut.find((l) => displayPath(l.path) === "gateway.port")!.fix).toMatch(/^set services\.clawdbot\.port to a port between 1 and 65535/);
  });

  it("tailnet bind with serve: blocked with the module's own assertion message", async () => {
    const { result, report } = await importCase("tailnet-serve");
    expect(result.fixes).toHaveLength(1);
    expect(result.fixes[0]!.module).toMatch(/^services\.clawdbot\.settings\.gateway\.tailscale\.mode = "serve" needs services\.clawdbot\.bind = "loopback"/);
    expect(report).toMatch(/fix needed: services\.clawdbot\.settings\.gateway\.tailscale\.mode = "serve" needs .*\(the module's assertion\)\./);
  });

  it("remote mode: blocked, the import's fix with the module's message", async () => {
    for (const name of ["remote", "openclaw/remote"]) {
      const { result } = await importCase(name);
      const module = TARGETS[CASES[name]!.gateway].gateway.module;
      expect(result.fixes.map((f) => f.option)).toEqual([`${module}.settings.gateway.mode`]);
      expect(result.fixes[0]!.module).toContain(`${module}.settings.gateway.mode = "remote": this service runs a local gateway`);
    }
  });

  it("without an evaluation the status says so (never 'evaluates'); the static steps still leave out what the modules cannot take", async () => {
    const { result, report } = await importCase("port-range", { verify: "off" });
    expect(result.verification).toEqual({ ran: false, reason: "not asked for (--no-verify)" });
    expect(report.split("\n").at(-1)).toMatch(/^modules: not evaluated \(not asked for \(--no-verify\)\): checked against the generated schema and facts only; 2 keys left out/);
    const blocked = await importCase("openclaw/remote", { verify: "off" });
    expect(blocked.report.split("\n").at(-1)).toMatch(/^modules: BLOCKED: .*; not evaluated: not asked for/);
  });

  it("the command: exit 3 when blocked, 0 when it evaluates; --verify without a lib refuses before writing", async () => {
    const run = async (args: string[]) => {
      const lines: string[] = [];
      const code = await main(args, (l) => lines.push(l), (l) => lines.push(l));
      return { code, text: lines.join("\n") };
    };
    const dir = tempDir();
    const common = (n: string) => ["--out", join(dir, n, "nix"), "--secrets-dir", join(dir, n, "s"), "--nixpkgs-lib", t1.nixpkgsLib!, "--home-manager", t1.homeManager!];
    const blocked = await run(["import", CASES["tailnet-serve"]!.input, "--gateway", gateways.clawdbot!.root, ...common("a")]);
    expect(blocked.code).toBe(3);
    expect(existsSync(join(dir, "a", "nix", "default.nix"))).toBe(true);
    const fine = await run(["import", CASES["openclaw/agents-list"]!.input, "--gateway", gateways.openclaw!.root, ...common("b")]);
    expect(fine.code, fine.text).toBe(0);
    expect(fine.text).toContain("modules: evaluates through services.openclaw (NixOS, Home Manager)");
    const noLib = await run(["import", CASES.wizard!.input, "--verify", "--schema-only", "--out", join(dir, "c", "nix"), "--secrets-dir", join(dir, "c", "s"), "--nixpkgs-lib", join(dir, "nowhere")]);
    expect(noLib.code).toBe(1);
    expect(noLib.text).toMatch(/--verify: cannot evaluate the import through the modules: .*nowhere holds no lib\/default\.nix/);
    expect(existsSync(join(dir, "c"))).toBe(false);
  });
});
