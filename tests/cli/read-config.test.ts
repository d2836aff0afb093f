// Reading a config like the gateway (dist/config/io.js): JSON5, $include relative to the including file with
// upstream's merge rules, ${VAR} kept as references, and one clear error for each way it can fail.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigReadError, envNames, readConfig } from "../../cli/read-config.js";
import { cleanTemps, fixture, tempDir } from "./support.js";

afterAll(cleanTemps);

function readError(path: string): ConfigReadError {
  try {
    readConfig(path);
  } catch (error) {
    if (error instanceof ConfigReadError) return error;
    throw error;
  }
  throw new Error(`${path} was read without error`);
}

describe("readConfig", () => {
  it("a state directory: the gateways' config file it holds (openclaw.json before clawdbot.json), not always clawdbot.json", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "openclaw.json"), `{ gateway: { port: 18789 } }`);
    expect(readConfig(dir).file).toBe(join(dir, "openclaw.json"));
    writeFileSync(join(dir, "clawdbot.json"), `{}`);
    expect(readConfig(dir).file).toBe(join(dir, "openclaw.json"));
    const clawdbotOnly = tempDir();
    writeFileSync(join(clawdbotOnly, "clawdbot.json"), `{}`);
    expect(readConfig(clawdbotOnly).file).toBe(join(clawdbotOnly, "clawdbot.json"));
  });
  it("resolves nested $include relative to each including file, merging like upstream", () => {
    const config = readConfig(fixture("includes/clawdbot.json5"));
    expect(config.files.map((f) => f.replace(fixture("includes/"), ""))).toEqual([
      "clawdbot.json5",
      "base.json5",
      "shared/logging.json5",
      "channels/telegram.json5",
    ]);
    // objects merge, the including file's keys win, arrays concatenate (included first)
    expect(config.value.gateway).toEqual({ mode: "local", bind: "tailnet", port: 19001, auth: { mode: "password", password: "${GW_PASSWORD}" } });
    expect(config.value.skills).toEqual({ allowBundled: ["weather", "github"] });
    expect(config.value.logging).toEqual({ level: "debug", consoleStyle: "compact" });
    expect(config.value).not.toHaveProperty("$include");
  });

  it("keeps ${VAR} references and lists them; $${VAR} is an escape, not a reference", () => {
    const config = readConfig(fixture("includes/clawdbot.json5"));
    expect((config.value.messages as { responsePrefix: string }).responsePrefix).toBe("$${NOT_A_REFERENCE} ${AGENT_PREFIX}");
    const names = config.envReferences.flatMap((r) => r.names).sort();
    expect(names).toEqual(["AGENT_PREFIX", "GW_PASSWORD", "HOME", "OPENROUTER_API_KEY", "TELEGRAM_BOT_TOKEN"]);
    expect(envNames("${lower} ${A1} ${} $${B} ${C")).toEqual(["A1"]);
  });

  it("reads a state directory's clawdbot.json", () => {
    expect(readConfig(fixture("docker")).file).toBe(fixture("docker/clawdbot.json"));
  });

  it("allows one file included twice side by side (no cycle)", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "shared.json5"), "{ tools: { allow: ['a'] } }");
    writeFileSync(join(dir, "main.json5"), "{ agents: { $include: './x.json5' }, $include: ['./shared.json5', './shared.json5'] }");
    writeFileSync(join(dir, "x.json5"), "{ defaults: { workspace: '/w' } }");
    const config = readConfig(join(dir, "main.json5"));
    expect(config.value).toEqual({ tools: { allow: ["a", "a"] }, agents: { defaults: { workspace: "/w" } } });
  });

  it("JSON5 syntax error: one message with file, line, column and the line", () => {
    const error = readError(fixture("syntax/clawdbot.json"));
    expect(error.kind).toBe("syntax");
    expect(error.message).toMatch(/syntax\/clawdbot\.json:4:5: JSON5 syntax error: invalid character/);
    expect(error.message).toContain('  4 |     "port": 18789');
    expect(error.message.split("\n")).toHaveLength(3);
  });

  it("$include cycle: names the chain", () => {
    const error = readError(fixture("cycle/a.json5"));
    expect(error.kind).toBe("include-cycle");
    expect(error.message).toMatch(/circular \$include: .*cycle\/a\.json5 -> .*cycle\/b\.json5 -> .*cycle\/c\.json5 -> .*cycle\/a\.json5$/);
  });

  it("missing include: names the including file and the resolved path", () => {
    const error = readError(fixture("missing-include/clawdbot.json5"));
    expect(error.kind).toBe("include-missing");
    expect(error.message).toContain('missing-include/clawdbot.json5: $include "./nope.json5"');
    expect(error.message).toContain("missing-include/nope.json5: no such file");
  });

  it("unreadable file, a directory without clawdbot.json, a non-object root, a bad $include value", () => {
    expect(readError(fixture("does-not-exist.json")).kind).toBe("unreadable");
    const dir = tempDir();
    expect(readError(dir).message).toContain(`${join(dir, "clawdbot.json")}: no such file`);
    mkdirSync(join(dir, "as-dir.json"));
    expect(readError(join(dir, "as-dir.json", "..", "as-dir.json", "clawdbot.json")).kind).toBe("unreadable");
    writeFileSync(join(dir, "list.json"), "[1, 2]");
    expect(readError(join(dir, "list.json")).kind).toBe("not-an-object");
    writeFileSync(join(dir, "bad.json"), "{ $include: 3 }");
    expect(readError(join(dir, "bad.json")).kind).toBe("include-invalid");
    writeFileSync(join(dir, "scalar.json"), "{ $include: './s.json', a: 1 }");
    writeFileSync(join(dir, "s.json"), "5");
    expect(readError(join(dir, "scalar.json")).kind).toBe("include-invalid");
  });

  it("include depth is bounded like upstream (10)", () => {
    const dir = tempDir();
    for (let i = 0; i < 12; i++) writeFileSync(join(dir, `${i}.json5`), `{ $include: './${i + 1}.json5' }`);
    writeFileSync(join(dir, "12.json5"), "{}");
    expect(readError(join(dir, "0.json5")).kind).toBe("include-depth");
  });
});
