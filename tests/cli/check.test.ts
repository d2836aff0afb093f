// `clawdbot-nix check`: every problem with its path, upstream's help text and the nearest valid key.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../cli/clawdbot-nix.js";
import { runCheck } from "../../cli/check.js";
import { displayPath } from "../../cli/validate.js";
import { REPO } from "../support/nix.js";
import { cleanTemps, fixture, GOOD_FIXTURES, tempDir } from "./support.js";

afterAll(cleanTemps);

function cli(args: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(args, (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("check", () => {
  it.each(Object.entries(GOOD_FIXTURES))("%s fixture is valid", (_name, path) => {
    const result = runCheck(path);
    expect(result.problems.filter((p) => !p.warning)).toEqual([]);
    expect(cli(["check", path]).code).toBe(0);
  });

  it("typos: every problem, with the nearest valid key or value and upstream help", () => {
    const result = runCheck(fixture("typo/clawdbot.json"));
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
    const { code, err } = cli(["check", fixture("typo/clawdbot.json")]);
    expect(code).toBe(1);
    expect(err).toContain("error: gateway.mdoe: unknown key — did you mean gateway.mode?");
    expect(err).toContain("    help: Direct message access control");
  });

  it("suggests the one valid key a longer key contains (discord botToken → token), never a guess between two", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "clawdbot.json"), '{ channels: { discord: { botToken: "${DISCORD_BOT_TOKEN}" } } }');
    const [problem] = runCheck(dir).problems;
    expect(problem).toMatchObject({ kind: "unknown-key", suggestion: "channels.discord.token" });
    // telegram has botToken and tokenFile: "token" alone matches both, so no suggestion
    writeFileSync(join(dir, "clawdbot.json"), '{ channels: { telegram: { token: "${TG}" } } }');
    const [ambiguous] = runCheck(dir).problems;
    expect(ambiguous).toMatchObject({ kind: "unknown-key" });
    expect(ambiguous!.suggestion).toBeUndefined();
  });

  it("legacy keys: upstream's migration hint, non-zero exit", () => {
    const result = runCheck(fixture("legacy/clawdbot.json"));
    expect(result.ok).toBe(false);
    const legacy = result.problems.filter((p) => p.kind === "legacy").map((p) => [displayPath(p.path), p.message]);
    expect(legacy).toContainEqual(["agent", expect.stringContaining("use agents.defaults")]);
    expect(legacy).toContainEqual(["gateway.token", expect.stringContaining("use gateway.auth.token instead")]);
    // the unknown-key errors the schema also gives for these keys are not repeated
    expect(result.problems.filter((p) => p.kind === "unknown-key")).toEqual([]);
    expect(cli(["check", fixture("legacy/clawdbot.json")]).code).toBe(1);
  });

  it("a wrong type at a documented key carries its help", () => {
    const { code, err } = cli(["check", fixture("typo/clawdbot.json")]);
    expect(code).toBe(1);
    expect(err.split("\n")[0]).toMatch(/typo\/clawdbot\.json: 5 problems \(clawdbot 2026\.1\.24-3 schema\)/);
  });

  it.each([
    ["syntax/clawdbot.json", /clawdbot\.json:4:5: JSON5 syntax error/],
    ["cycle/a.json5", /circular \$include/],
    ["missing-include/clawdbot.json5", /nope\.json5: no such file/],
    ["does-not-exist.json", /cannot read config .*does-not-exist\.json: no such file/],
  ])("unreadable input %s: one clear error, exit 1", (name, pattern) => {
    const { code, err, out } = cli(["check", fixture(name)]);
    expect(code).toBe(1);
    expect(err).toMatch(pattern);
    expect(err.split("\n").length).toBeLessThanOrEqual(3);
    expect(out).toBe("");
  });

  it("--json reports problems as data", () => {
    const { code, out } = cli(["check", "--json", fixture("typo/clawdbot.json")]);
    expect(code).toBe(1);
    const report = JSON.parse(out) as { ok: boolean; problems: { path: string; suggestion?: string }[] };
    expect(report.ok).toBe(false);
    expect(report.problems.find((p) => p.path === "gateway.mdoe")?.suggestion).toBe("gateway.mode");
  });

  it("an env reference where a number is expected is a warning, not an error", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "clawdbot.json"), '{ gateway: { mode: "local", port: "${GATEWAY_PORT}" } }');
    const result = runCheck(dir);
    expect(result.ok).toBe(true);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ kind: "env-reference", warning: true, path: ["gateway", "port"] });
  });

  it("usage errors exit 2", () => {
    expect(cli([]).code).toBe(2);
    expect(cli(["frobnicate"]).code).toBe(2);
    expect(cli(["check"]).code).toBe(2);
    expect(cli(["check", "a", "b"]).code).toBe(2);
    expect(cli(["import", "x", "--out"]).code).toBe(2);
    expect(cli(["--help"]).code).toBe(0);
  });

  it("runs as a command from the repository (tsx cli/clawdbot-nix.ts)", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "cli/clawdbot-nix.ts", "check", fixture("typo/clawdbot.json")], {
      cwd: REPO,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("gateway.mdoe: unknown key — did you mean gateway.mode?");
  });
});
