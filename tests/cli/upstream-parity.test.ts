// clawdbot-nix against the gateway itself (T0, the prepared gateway tree of tests/support/gateway.ts):
// - the legacy-rules snapshot equals upstream's live dist/config/legacy.rules.js;
// - `check` reaches the same verdict as upstream's validateConfigObjectWithPlugins on every fixture, and names
//   every path upstream names.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCheck } from "../../cli/check.js";
import { readConfig } from "../../cli/read-config.js";
import { loadUpstreamLegacyRules } from "../../cli/sync-legacy.js";
import { displayPath, LEGACY } from "../../cli/validate.js";
import { prepareGateway, type PreparedGateway } from "../support/gateway.js";
import { cleanTemps, fixture, GOOD_FIXTURES, tempDir } from "./support.js";

afterAll(cleanTemps);

let gw: PreparedGateway;
/** The installed clawdbot package (…/node_modules/clawdbot). */
let packageRoot: string;

beforeAll(async () => {
  gw = await prepareGateway();
  packageRoot = dirname(dirname(gw.entry));
}, 30 * 60_000);

/** Upstream's verdict, computed by Node 22 inside the installed package. */
function upstreamVerdict(config: unknown): { ok: boolean; issues: { path: string; message: string }[] } {
  const script = `
    import { validateConfigObjectWithPlugins } from "./dist/config/validation.js";
    const input = JSON.parse(process.argv[1]);
    const result = validateConfigObjectWithPlugins(input);
    process.stdout.write(JSON.stringify({ ok: result.ok, issues: result.ok ? [] : result.issues }));
  `;
  const home = tempDir("clawdbot-parity-home-");
  const run = spawnSync(gw.node, ["--input-type=module", "-e", script, JSON.stringify(config)], {
    cwd: packageRoot,
    env: { PATH: process.env.PATH, HOME: home, CLAWDBOT_STATE_DIR: join(home, ".clawdbot"), CLAWDBOT_SKIP_CHANNELS: "1" },
    encoding: "utf8",
    timeout: 120_000,
  });
  if (run.status !== 0) throw new Error(`upstream validation failed to run: ${run.stderr}`);
  return JSON.parse(run.stdout.slice(run.stdout.indexOf("{"))) as { ok: boolean; issues: { path: string; message: string }[] };
}

/** Upstream validates after substituting ${VAR}: give every referenced variable a value of the right shape. */
function substituted(value: unknown): unknown {
  if (typeof value === "string") return value.replace(/(?<!\$)\$\{([A-Z_][A-Z0-9_]*)\}/g, "value-$1").replace(/\$\$\{/g, "${");
  if (Array.isArray(value)) return value.map(substituted);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituted(v)]));
  return value;
}

describe("upstream parity (prepared gateway)", () => {
  it("the legacy-rules snapshot equals upstream's dist/config/legacy.rules.js", async () => {
    expect(await loadUpstreamLegacyRules(packageRoot)).toEqual(LEGACY.rules);
  });

  it.each([
    ...Object.entries(GOOD_FIXTURES),
    ["legacy", fixture("legacy/clawdbot.json")],
    ["typo", fixture("typo/clawdbot.json")],
  ])("%s: same verdict as the gateway's validator, every upstream path named", (_name, input) => {
    const ours = runCheck(input);
    const theirs = upstreamVerdict(substituted(readConfig(input).value));
    expect(ours.ok).toBe(theirs.ok);
    const ourPaths = ours.problems.map((p) => p.path.map(String).join("."));
    for (const issue of theirs.issues) {
      // zod names an unknown key at its parent ("gateway", "Unrecognized key: \"mdoe\""); we name the key itself
      expect(ourPaths.some((p) => p === issue.path || p.startsWith(`${issue.path}.`) || issue.path === ""), `${issue.path}: ${issue.message}`).toBe(true);
    }
    if (!ours.ok) expect(ours.problems.map((p) => displayPath(p.path)).length).toBeGreaterThanOrEqual(theirs.issues.length > 0 ? 1 : 0);
  });
});
