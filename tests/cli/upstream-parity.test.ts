// clawdbot-nix against the gateway itself (T0, the prepared gateway tree of tests/support/gateway.ts):
// - the legacy-rules snapshot equals upstream's live dist/config/legacy.rules.js;
// - for every fixture, `check`'s verdict equals the verdict of upstream's validateConfigObjectWithPlugins, run here
//   on its own (not through the CLI) on the config as the gateway sees it at start: `${VAR}`s substituted with
//   values of the right shape;
// - the fixtures that only upstream refuses really are refused only by upstream: the schema layer alone passes
//   them, and then `check` says it is not a full check instead of "valid";
// - `import` refuses what upstream refuses.
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCheck, verdictLine } from "../../cli/check.js";
import { main } from "../../cli/clawdbot-nix.js";
import { ImportError, runImport } from "../../cli/import.js";
import { readConfig } from "../../cli/read-config.js";
import { loadUpstreamLegacyRules } from "../../cli/sync-legacy.js";
import { locateUpstream, type UpstreamValidator } from "../../cli/upstream-validator.js";
import { TARGETS } from "../../cli/targets.js";
import { displayPath, LEGACY } from "../../cli/validate.js";
import { prepareGateway, type PreparedGateway } from "../support/gateway.js";
import { cleanTemps, fixture, IMPORT_FIXTURES, tempDir, UPSTREAM_ONLY_FIXTURES } from "./support.js";

afterAll(cleanTemps);

let gw: PreparedGateway;
/** The installed clawdbot package (…/node_modules/clawdbot). */
let packageRoot: string;
let validator: UpstreamValidator;

beforeAll(async () => {
  gw = await prepareGateway();
  packageRoot = dirname(dirname(gw.entry));
  validator = { node: gw.node, packageRoot, target: TARGETS.clawdbot };
}, 30 * 60_000);

/** Upstream's verdict, computed by Node 22 inside the installed package (asynchronously: never blocks the worker). */
async function upstreamVerdict(config: unknown): Promise<{ ok: boolean; issues: { path: string; message: string }[] }> {
  const script = `
    import { validateConfigObjectWithPlugins } from "./dist/config/validation.js";
    const input = JSON.parse(process.argv[1]);
    const result = validateConfigObjectWithPlugins(input);
    process.stdout.write(JSON.stringify({ ok: result.ok, issues: result.ok ? [] : result.issues }));
  `;
  const home = tempDir("clawdbot-parity-home-");
  const child = spawn(gw.node, ["--input-type=module", "-e", script, JSON.stringify(config)], {
    cwd: packageRoot,
    env: { PATH: process.env.PATH, HOME: home, CLAWDBOT_STATE_DIR: join(home, ".clawdbot"), CLAWDBOT_SKIP_CHANNELS: "1" },
    timeout: 120_000,
    killSignal: "SIGKILL",
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const status = await new Promise<number | null>((resolveExit) => child.once("close", resolveExit));
  if (status !== 0) throw new Error(`upstream validation failed to run (${status}): ${stderr}`);
  return JSON.parse(stdout.slice(stdout.indexOf("{"))) as { ok: boolean; issues: { path: string; message: string }[] };
}

/** The environment the gateway would start with: every referenced variable set, with a value of the right shape. */
const ENV: Record<string, string> = { PORT: "18789", GATEWAY_BIND: "loopback", GATEWAY_AUTH_MODE: "password", HOME: "/home/alice" };

/** Upstream substitutes `${VAR}` (and unescapes `$${`) before it validates. */
function substituted(value: unknown): unknown {
  if (typeof value === "string") {
    return value.replace(/(?<!\$)\$\{([A-Z_][A-Z0-9_]*)\}/g, (_m, name: string) => ENV[name] ?? `value-${name}`).replace(/\$\$\{/g, "${");
  }
  if (Array.isArray(value)) return value.map(substituted);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituted(v)]));
  return value;
}

const EVERY_FIXTURE: [string, string][] = [
  ...Object.entries(IMPORT_FIXTURES),
  ...Object.entries(UPSTREAM_ONLY_FIXTURES),
  ["legacy", fixture("legacy/clawdbot.json")],
  ["typo", fixture("typo/clawdbot.json")],
  ["env-port", fixture("env-port/clawdbot.json")],
  ["include-outside", fixture("include-outside/state/clawdbot.json")],
];

describe("upstream parity (prepared gateway)", () => {
  it("the legacy-rules snapshot equals upstream's dist/config/legacy.rules.js", async () => {
    expect(await loadUpstreamLegacyRules(packageRoot)).toEqual(LEGACY.rules);
  });

  it("check finds the prepared gateway by itself in a checkout", () => {
    const located = locateUpstream({ env: { ...process.env, CLAWDBOT_NIX_GATEWAY: "" }, target: TARGETS.clawdbot });
    expect(located.missing).toBeUndefined();
    expect(located.validator!.packageRoot).toMatch(/node_modules\/clawdbot$/);
  });

  it.each(EVERY_FIXTURE)("%s: check's verdict is the gateway validator's", async (_name, input) => {
    const ours = await runCheck(input, { upstream: validator });
    expect(ours.upstream.ran).toBe(true);
    const theirs = await upstreamVerdict(substituted(readConfig(input).value));
    const errors = ours.problems.filter((p) => !p.warning);
    expect(ours.ok, `ours: ${errors.map((p) => `${displayPath(p.path)}: ${p.message}`).join("; ")}; upstream: ${JSON.stringify(theirs.issues)}`).toBe(theirs.ok);
    // every place upstream names is named by one of our errors (at that place or below it: zod names an unknown
    // key at its parent object)
    for (const issue of theirs.issues) {
      const named = errors.some((p) => {
        const ours = p.path.map(String).join(".");
        return ours === issue.path || ours.startsWith(`${issue.path}.`);
      });
      expect(named, `${issue.path}: ${issue.message}`).toBe(true);
    }
    if (ours.ok) expect(verdictLine(ours)).toMatch(/: valid for clawdbot 2026\.1\.24-3/);
  });

  it.each(Object.entries(UPSTREAM_ONLY_FIXTURES))("%s: only the gateway's validator refuses it; without it, check does not claim valid", async (_name, input) => {
    const schemaOnly = await runCheck(input, { upstream: "off" });
    expect(schemaOnly.problems.filter((p) => !p.warning)).toEqual([]);
    const line = verdictLine(schemaOnly);
    expect(line).not.toMatch(/\bvalid\b/);
    expect(line).toMatch(/not a full check/);
    const full = await runCheck(input, { upstream: validator });
    expect(full.ok).toBe(false);
    expect(full.problems.some((p) => p.kind === "upstream" && !p.warning)).toBe(true);
  });

  it("upstream's issues get friendlier words: did-you-mean for channel, plugin and heartbeat ids, help text", async () => {
    const suggestion = async (name: string) => (await runCheck(UPSTREAM_ONLY_FIXTURES[name]!, { upstream: validator })).problems.map((p) => [displayPath(p.path), p.suggestion]);
    expect(await suggestion("channel-typo")).toEqual([["channels.telgram", "channels.telegram"]]);
    expect(await suggestion("plugin-typo")).toEqual([["plugins.entries.telegarm", '"telegram"']]);
    expect(await suggestion("heartbeat-target")).toEqual([["agents.defaults.heartbeat.target", '"telegram"']]);
    const [avatar] = (await runCheck(UPSTREAM_ONLY_FIXTURES.avatar!, { upstream: validator })).problems;
    expect(avatar!.path).toEqual(["agents", "list", 0, "identity", "avatar"]);
    expect(avatar!.help).toBeTruthy();
  });

  it("the command: exit 1 with the gateway's verdict; --schema-only says it is not a full check (exit 0, never 'valid')", async () => {
    const run = async (args: string[]) => {
      const out: string[] = [];
      const code = await main(args, (l) => out.push(l), (l) => out.push(l));
      return { code, text: out.join("\n") };
    };
    const typo = await run(["check", "--gateway", gw.root, UPSTREAM_ONLY_FIXTURES["channel-typo"]!]);
    expect(typo.code).toBe(1);
    expect(typo.text).toContain("error: channels.telgram: unknown channel id: telgram — did you mean channels.telegram?");
    const partial = await run(["check", "--schema-only", UPSTREAM_ONLY_FIXTURES["channel-typo"]!]);
    expect(partial.code).toBe(0);
    // the verdict, then which gateway it was checked for and why
    expect(partial.text.split("\n")).toHaveLength(2);
    expect(partial.text).toMatch(/no problem found by the schema layer; not a full check/);
    expect(partial.text.split("\n")[1]).toMatch(/^target: clawdbot 2026\.1\.24-3 \(no sign of OpenClaw/);
    const json = await run(["check", "--json", "--schema-only", GOOD()]);
    expect(JSON.parse(json.text)).toMatchObject({ ok: true, checked: "schema-only" });
    const missing = await run(["check", "--gateway", tempDir(), GOOD()]);
    expect(missing.code).toBe(0);
    expect(missing.text).toMatch(/not a full check: the gateway's own validator did not run \(.* holds no clawdbot package/);
  });

  it("import refuses what only the gateway's validator refuses, writing nothing", async () => {
    const dir = tempDir();
    await expect(runImport(UPSTREAM_ONLY_FIXTURES["channel-typo"]!, { out: join(dir, "nix"), secretsDir: join(dir, "s"), upstream: validator })).rejects.toThrow(ImportError);
    await expect(runImport(UPSTREAM_ONLY_FIXTURES["channel-typo"]!, { out: join(dir, "nix"), secretsDir: join(dir, "s"), upstream: validator })).rejects.toThrow(
      /channels\.telgram: unknown channel id: telgram — did you mean channels\.telegram\?/,
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});

const GOOD = (): string => IMPORT_FIXTURES.wizard!;
