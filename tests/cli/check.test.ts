// `clawdbot-nix check`, its schema layer: every problem with its path, upstream's help text and the nearest
// valid key. (The gateway's own validator, the second layer, is tested against the gateway in
// upstream-parity.test.ts; here it is switched off, `upstream: "off"` / --schema-only, so these tests need no
// gateway.)
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../cli/clawdbot-nix.js";
import { runCheck as check } from "../../cli/check.js";
import { nearest } from "../../cli/suggest.js";
import { displayPath } from "../../cli/validate.js";
import { REPO } from "../support/nix.js";
import { cleanTemps, fixture, GOOD_FIXTURES, tempDir } from "./support.js";

afterAll(cleanTemps);

const runCheck = (input: string) => check(input, { upstream: "off" });

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("check (schema layer)", () => {
  it.each(Object.entries(GOOD_FIXTURES))("%s fixture has no problem", async (_name, path) => {
    const result = await runCheck(path);
    expect(result.problems.filter((p) => !p.warning)).toEqual([]);
    expect((await cli(["check", "--schema-only", path])).code).toBe(0);
  });

  it("typos: every problem, with the nearest valid key or value and upstream help", async () => {
    const result = await runCheck(fixture("typo/clawdbot.json"));
    const byPath = new Map(result.problems.map((p) => [displayPath(p.path), p]));
    expect([...byPath.keys()].sort()).toEqual([
      "agents.defaults.worksapce",
      "channels.telegram.dmPolicy",
      "gateway.bind",
      "gateway.mdoe",
      "gateway.port",
    ]);
    expect(byPath.get("gateway.mdoe")!.suggestion).toBe("gateway.mode");
    expect(byPath.get("gateway.mdoe")!.message).toBe("unknown key — did you mean gateway.mode?");
    expect(byPath.get("agents.defaults.worksapce")!.suggestion).toBe("agents.defaults.workspace");
    expect(byPath.get("gateway.bind")!.suggestion).toBe('"loopback"');
    expect(byPath.get("channels.telegram.dmPolicy")!.suggestion).toBe('"open"');
    expect(byPath.get("channels.telegram.dmPolicy")!.help).toMatch(/Direct message access control/);
    expect(byPath.get("gateway.port")!.message).toMatch(/<= 65535/);
    const { code, err } = await cli(["check", "--schema-only", fixture("typo/clawdbot.json")]);
    expect(code).toBe(1);
    expect(err).toContain("error: gateway.mdoe: unknown key — did you mean gateway.mode?");
    expect(err).toContain("    help: Direct message access control");
  });

  it("did-you-mean (leven): one edit in three letters, a swap of two letters, never a far guess", () => {
    expect(nearest("mdoe", ["mode", "port", "bind"])).toBe("mode"); // a swap: Levenshtein 2
    expect(nearest("opne", ["pairing", "allowlist", "open", "disabled"])).toBe("open");
    expect(nearest("worksapce", ["workspace", "model"])).toBe("workspace");
    expect(nearest("Workspace", ["workspace"])).toBe("workspace");
    expect(nearest("xyz", ["mode", "port"])).toBeUndefined();
    expect(nearest("telemetry", ["telegram", "discord"])).toBeUndefined();
  });

  it("suggests the one valid key a longer key contains (discord botToken → token), never a guess between two", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "clawdbot.json"), '{ channels: { discord: { botToken: "${DISCORD_BOT_TOKEN}" } } }');
    const [problem] = (await runCheck(dir)).problems;
    expect(problem).toMatchObject({ kind: "unknown-key", suggestion: "channels.discord.token" });
    // telegram has botToken and tokenFile: "token" alone matches both, so no suggestion
    writeFileSync(join(dir, "clawdbot.json"), '{ channels: { telegram: { token: "${TG}" } } }');
    const [ambiguous] = (await runCheck(dir)).problems;
    expect(ambiguous).toMatchObject({ kind: "unknown-key" });
    expect(ambiguous!.suggestion).toBeUndefined();
  });

  it("legacy keys: upstream's migration hint, non-zero exit", async () => {
    const result = await runCheck(fixture("legacy/clawdbot.json"));
    expect(result.ok).toBe(false);
    const legacy = result.problems.filter((p) => p.kind === "legacy").map((p) => [displayPath(p.path), p.message]);
    expect(legacy).toContainEqual(["agent", expect.stringContaining("use agents.defaults")]);
    expect(legacy).toContainEqual(["gateway.token", expect.stringContaining("use gateway.auth.token instead")]);
    // the unknown-key errors the schema also gives for these keys are not repeated
    expect(result.problems.filter((p) => p.kind === "unknown-key")).toEqual([]);
    expect((await cli(["check", "--schema-only", fixture("legacy/clawdbot.json")])).code).toBe(1);
  });

  it("the first line counts the problems and says which layers ran", async () => {
    const { code, err } = await cli(["check", "--schema-only", fixture("typo/clawdbot.json")]);
    expect(code).toBe(1);
    expect(err.split("\n")[0]).toMatch(/typo\/clawdbot\.json: 5 problems \(clawdbot 2026\.1\.24-3 schema layer only: the gateway's own validator did not run/);
  });

  it("without the gateway's validator it never says 'valid': one line says what was not checked, one which gateway", async () => {
    const { code, out } = await cli(["check", "--schema-only", GOOD_FIXTURES.wizard!]);
    expect(code).toBe(0);
    expect(out.split("\n")).toHaveLength(2);
    expect(out.split("\n")[1]).toMatch(/^target: clawdbot 2026\.1\.24-3 \((no sign of OpenClaw|keys only Clawdbot's schema has)/);
    expect(out).not.toMatch(/\bvalid\b/);
    expect(out).toMatch(/no problem found by the schema layer; not a full check/);
  });

  it.each([
    ["syntax/clawdbot.json", /clawdbot\.json:4:5: JSON5 syntax error/],
    ["cycle/a.json5", /circular \$include/],
    ["missing-include/clawdbot.json5", /nope\.json5: no such file/],
    ["does-not-exist.json", /cannot read config .*does-not-exist\.json: no such file/],
  ])("unreadable input %s: one clear error, exit 1", async (name, pattern) => {
    const { code, err, out } = await cli(["check", "--schema-only", fixture(name)]);
    expect(code).toBe(1);
    expect(err).toMatch(pattern);
    expect(err.split("\n").length).toBeLessThanOrEqual(3);
    expect(out).toBe("");
  });

  it("--json reports problems as data, and whether the check was full", async () => {
    const { code, out } = await cli(["check", "--json", "--schema-only", fixture("typo/clawdbot.json")]);
    expect(code).toBe(1);
    const report = JSON.parse(out) as { ok: boolean; checked: string; problems: { path: string; suggestion?: string }[] };
    expect(report.ok).toBe(false);
    expect(report.checked).toBe("schema-only");
    expect(report.problems.find((p) => p.path === "gateway.mdoe")?.suggestion).toBe("gateway.mode");
  });

  it("a ${VAR} where no string can fit (a port, a boolean) is an error; in an enum it is a warning", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "clawdbot.json"), '{ gateway: { mode: "local", port: "${GATEWAY_PORT}" }, browser: { enabled: "${BROWSER}" } }');
    const result = await runCheck(dir);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => [displayPath(p.path), p.kind, p.warning ?? false])).toEqual([
      ["browser.enabled", "env-reference", false],
      ["gateway.port", "env-reference", false],
    ]);
    expect(result.problems[1]!.message).toMatch(/a substituted value is always a string.*service's `port` option/);
    writeFileSync(join(dir, "clawdbot.json"), '{ gateway: { mode: "local", bind: "${GATEWAY_BIND}" } }');
    const enumRef = await runCheck(dir);
    expect(enumRef.ok).toBe(true);
    expect(enumRef.problems).toHaveLength(1);
    expect(enumRef.problems[0]).toMatchObject({ kind: "env-reference", warning: true, path: ["gateway", "bind"] });
  });

  it("usage errors exit 2", async () => {
    expect((await cli([])).code).toBe(2);
    expect((await cli(["frobnicate"])).code).toBe(2);
    // `check` alone checks the default path (~/.openclaw, then ~/.clawdbot): messages.test.ts
    expect((await cli(["check", "a", "b"])).code).toBe(2);
    expect((await cli(["import", "x", "--out"])).code).toBe(2);
    expect((await cli(["check", "x", "--max-size", "lots"])).code).toBe(2);
    expect((await cli(["import", "x", "--avoid-port", "70000"])).code).toBe(2);
    expect((await cli(["--help"])).code).toBe(0);
  });

  it("runs as a command from the repository (tsx cli/clawdbot-nix.ts)", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "cli/clawdbot-nix.ts", "check", "--schema-only", fixture("typo/clawdbot.json")], { cwd: REPO });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const status = await new Promise<number | null>((r) => child.once("close", r));
    expect(status).toBe(1);
    expect(stderr).toContain("gateway.mdoe: unknown key — did you mean gateway.mode?");
  });
});
