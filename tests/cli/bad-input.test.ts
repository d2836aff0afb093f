// Bad input gets a clear, bounded error: a JSON5 syntax error shows a short excerpt with secrets masked; a size
// limit (10 MB by default, --max-size); an --out that is a file or under one; relative paths are the caller's
// (INIT_CWD under `npm run`); an `$include` outside the config's folder is a warning.
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { callerDirectory, main, parseSize } from "../../cli/clawdbot-nix.js";
import { runImport } from "../../cli/import.js";
import { ConfigReadError, readConfig } from "../../cli/read-config.js";
import { MASK, redactExcerpt } from "../../cli/redact.js";
import { cleanTemps, fixture, GOOD_FIXTURES, tempDir } from "./support.js";

afterAll(cleanTemps);

async function cli(args: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await main([...args, "--schema-only"], (l) => lines.push(l), (l) => lines.push(l));
  return { code, text: lines.join("\n") };
}

const TOKEN = "Zk3vQ9wX2mR7tY4uP8sL1nB6cD0fG5hJ3kA9eW2qT7yU";

describe("JSON5 syntax errors", () => {
  it("a token on the offending line is masked; the excerpt still shows the place", async () => {
    const { code, text } = await cli(["check", fixture("syntax-secret/clawdbot.json")]);
    expect(code).toBe(1);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(TOKEN.slice(0, 12));
    expect(text).toContain(MASK);
    expect(text).toMatch(/clawdbot\.json:2:\d+: JSON5 syntax error/);
    expect(text).toContain('"mode"');
  });

  it("a secret under a secret-named key is masked even when it looks like a word; words stay readable", () => {
    const line = `{ gateway: { auth: { password: "correcthorsebattery" } bind: "loopback" } }`;
    const { excerpt } = redactExcerpt(line, line.indexOf("bind"), 200);
    expect(excerpt).not.toContain("correcthorsebattery");
    expect(excerpt).toContain('bind: "loopback"');
  });

  it("a 20 MB one-line file (with --max-size raised) gives one short message", async () => {
    const dir = tempDir();
    const file = join(dir, "clawdbot.json");
    writeFileSync(file, `{ "a": "${"x".repeat(10_000_000)}", "token": "${TOKEN}" "b": "${"y".repeat(10_000_000)}" }`);
    const { code, text } = await cli(["check", file, "--max-size", "30MB"]);
    expect(code).toBe(1);
    expect(text).toMatch(/JSON5 syntax error/);
    expect(text.length).toBeLessThan(600);
    expect(text).not.toContain(TOKEN);
  });
});

describe("size limit", () => {
  it("refuses a config over 10 MB with a clear message; --max-size raises the limit", async () => {
    const dir = tempDir();
    const file = join(dir, "clawdbot.json");
    writeFileSync(file, `{ gateway: { mode: "local" }, meta: { lastTouchedVersion: "${"x".repeat(11_000_000)}" } }`);
    const { code, text } = await cli(["check", file]);
    expect(code).toBe(1);
    expect(text).toMatch(/the config is 11\.0 MB, over the limit of 10\.0 MB.*--max-size/);
    expect(text.split("\n")).toHaveLength(1);
    expect(() => readConfig(file, { maxBytes: 12_000_000 })).not.toThrow();
    expect(parseSize("10MB")).toBe(10_000_000);
    expect(parseSize("512kB")).toBe(512_000);
    expect(parseSize("2000000")).toBe(2_000_000);
  });

  it("counts included files too", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "big.json5"), `{ meta: { lastTouchedVersion: "${"x".repeat(2000)}" } }`);
    writeFileSync(join(dir, "clawdbot.json"), `{ $include: "./big.json5", gateway: { mode: "local" } }`);
    expect(() => readConfig(join(dir, "clawdbot.json"), { maxBytes: 1500 })).toThrow(ConfigReadError);
    expect(() => readConfig(join(dir, "clawdbot.json"), { maxBytes: 1500 })).toThrow(/an included file is .* over the limit/);
  });
});

describe("--out", () => {
  it("naming a file, or a folder under a file: a sentence, not ENOTDIR; nothing written", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "file"), "x");
    const asFile = await cli(["import", GOOD_FIXTURES.wizard!, "--out", join(dir, "file"), "--secrets-dir", join(dir, "s")]);
    expect(asFile.code).toBe(1);
    expect(asFile.text).toMatch(/--out .*file is a file, not a folder/);
    const under = await cli(["import", GOOD_FIXTURES.wizard!, "--out", join(dir, "file", "nix"), "--secrets-dir", join(dir, "s")]);
    expect(under.code).toBe(1);
    expect(under.text).toMatch(/--out .*file\/nix cannot be created: .*file is a file, not a folder/);
    expect(under.text).not.toMatch(/ENOTDIR/);
    expect(readdirSync(dir)).toEqual(["file"]);
  });

  it("unwritable: a sentence", async () => {
    // /proc refuses new entries even to root
    const { code, text } = await cli(["import", GOOD_FIXTURES.wizard!, "--out", "/proc/clawdbot-nix-test/nix", "--secrets-dir", join(tempDir(), "s")]);
    expect(code).toBe(1);
    expect(text).toMatch(/clawdbot-nix import: (--out \/proc\/clawdbot-nix-test\/nix cannot be created|cannot write \/proc)/);
    expect(text).not.toMatch(/^\s+at /m);
  });
});

describe("relative paths are the caller's", () => {
  it("under npm run (npm_lifecycle_event + INIT_CWD) they resolve against INIT_CWD, else the working directory", async () => {
    expect(callerDirectory({ npm_lifecycle_event: "clawdbot-nix", INIT_CWD: "/somewhere" })).toBe("/somewhere");
    expect(callerDirectory({ INIT_CWD: "/somewhere" })).toBe(process.cwd());
    const dir = tempDir();
    mkdirSync(join(dir, "state"));
    writeFileSync(join(dir, "state", "clawdbot.json"), '{ gateway: { mode: "local" } }');
    const saved = { event: process.env.npm_lifecycle_event, init: process.env.INIT_CWD };
    process.env.npm_lifecycle_event = "clawdbot-nix";
    process.env.INIT_CWD = dir;
    try {
      const { code, text } = await cli(["import", "state", "--out", "nix", "--secrets-dir", "secrets"]);
      expect(text).toContain(`imported ${join(dir, "state", "clawdbot.json")}`);
      expect(code).toBe(0);
      expect(readdirSync(dir).sort()).toEqual(["nix", "secrets", "state"]);
    } finally {
      for (const [key, value] of [["npm_lifecycle_event", saved.event], ["INIT_CWD", saved.init]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});

describe("$include outside the config's folder", () => {
  it("is a warning in check and a note of import", async () => {
    const input = fixture("include-outside/state/clawdbot.json");
    const { code, text } = await cli(["check", input]);
    expect(code).toBe(0);
    expect(text).toMatch(/warning: .*\$include "\.\.\/shared\.json5" reads .*include-outside\/shared\.json5, outside the config's folder/);
    const dir = tempDir();
    const result = await runImport(input, { out: join(dir, "nix"), secretsDir: join(dir, "s"), upstream: "off" });
    expect(result.notes.some((n) => n.includes("outside the config's folder"))).toBe(true);
    // an include in a subfolder is no news
    expect(readConfig(fixture("includes/clawdbot.json5")).warnings).toEqual([]);
  });
});
