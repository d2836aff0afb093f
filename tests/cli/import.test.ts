// `clawdbot-nix import`: emitted Nix parses, no secret value in any emitted Nix file, secrets in 0600 files in a
// 0700 folder the output owns, byte-identical re-import, nothing lost (records, backups, unused secrets listed),
// nothing left behind on bad input. The gateway's own validator is switched off here (upstream-parity.test.ts
// runs import with it).
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/clawdbot-nix.js";
import { defaultSecretsDir, envFileName, ImportError, planImport as plan, RECORD, runImport as run, type ImportOptions, type ImportResult } from "../../cli/import.js";
import { ConfigReadError, readConfig } from "../../cli/read-config.js";
import { displayPath } from "../../cli/validate.js";
import { hasNix, nixParse } from "../support/nix.js";
import { cleanTemps, fixture, GOOD_FIXTURES, snapshotTree, strings, tempDir, valueAt } from "./support.js";

afterAll(cleanTemps);

const runImport = (input: string, options: ImportOptions) => run(input, { upstream: "off", ...options });
const planImport = (input: string, options: ImportOptions) => plan(input, { upstream: "off", ...options });

async function importInto(input: string, dir = tempDir()) {
  const out = join(dir, "nix");
  const secretsDir = join(dir, "secrets");
  const result = await runImport(input, { out, secretsDir });
  return { dir, out, secretsDir, result };
}

async function cli(args: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await main(["import", ...args, "--schema-only"], (l) => lines.push(l), (l) => lines.push(l));
  return { code, text: lines.join("\n") };
}

const nixFiles = (out: string): string[] => readdirSync(out).filter((f) => f.endsWith(".nix")).map((f) => join(out, f));
const mode = (path: string): number => statSync(path).mode & 0o777;

describe.each(Object.entries(GOOD_FIXTURES))("import %s", (name, input) => {
  let out: string;
  let secretsDir: string;
  let result: ImportResult;
  const source = readConfig(input).value;
  beforeAll(async () => {
    ({ out, secretsDir, result } = await importInto(input));
  });

  it("writes default.nix, settings.nix (which parse) and its record", () => {
    expect(readdirSync(out).sort()).toEqual([RECORD, "default.nix", "settings.nix"]);
    if (!hasNix()) return void console.log("SKIP: nix-instantiate is not installed: emitted Nix not parsed");
    for (const file of nixFiles(out)) expect(nixParse(file).stderr).toBe("");
    for (const file of nixFiles(out)) expect(nixParse(file).ok).toBe(true);
  });

  it("moves every secret out: no secret value in any emitted Nix file or record, none printed", async () => {
    const secrets = result.moves.map((move) => valueAt(source, move.path) as string);
    expect(secrets.every((s) => typeof s === "string" && s.length > 0)).toBe(true);
    const nix = [...nixFiles(out), join(out, RECORD)].map((f) => readFileSync(f, "utf8")).join("\n");
    const report = (await cli([input, "--out", join(tempDir(), "o"), "--secrets-dir", join(tempDir(), "s")])).text;
    for (const secret of secrets) {
      expect(nix).not.toContain(secret);
      expect(report).not.toContain(secret);
    }
    // and every value that looks like a secret by either rule was moved (the fixtures' inline tokens)
    for (const { path, value } of strings(source)) {
      if (/^(sk-|BSA|discord-bot-token|hook-shared-secret|7312345678:)/.test(value) || /^[0-9a-f]{32,}$/.test(value)) {
        expect(nix, `${displayPath(path)} left inline`).not.toContain(value);
      }
    }
  });

  it("secret files are 0600 in a 0700 folder outside the output folder, holding the values", () => {
    for (const move of result.moves) {
      expect(move.file.startsWith(secretsDir + "/")).toBe(true);
      expect(mode(move.file)).toBe(0o600);
      const value = valueAt(source, move.path) as string;
      const text = readFileSync(move.file, "utf8");
      if (move.form === "env") expect(text).toContain(`\n${move.variable}=${value}\n`);
      else expect(text).toBe(value);
    }
    expect(mode(secretsDir)).toBe(0o700);
    expect(mode(join(secretsDir, RECORD))).toBe(0o600);
  });

  it("re-import is byte-identical", async () => {
    const first = snapshotTree(join(out, ".."));
    const again = await runImport(input, { out, secretsDir });
    expect(again.conflicts).toEqual([]);
    expect(again.unusedSecrets).toEqual([]);
    const second = snapshotTree(join(out, ".."));
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [file, bytes] of first) expect(second.get(file)!.equals(bytes), file).toBe(true);
  });

  it("sets the service options the config implies", () => {
    const module = readFileSync(join(out, "default.nix"), "utf8");
    const gateway = (source.gateway ?? {}) as { port?: number; bind?: string };
    if (gateway.port !== undefined) expect(module).toContain(`port = ${gateway.port};`);
    if (gateway.bind !== undefined) expect(module).toContain(`bind = "${gateway.bind}";`);
    expect(module).toContain("settings = import ./settings.nix;");
    if (name === "wizard" || name === "docker") expect(module).toMatch(/auth\.tokenFile = ".*\/secrets\/gateway\.auth\.token";/);
    if (name === "includes") expect(module).toContain('auth.mode = "password";');
    if (name === "escaping") expect(module).not.toMatch(/^\s*(port|bind|auth\.\w+) =/m);
    expect(result.fixes).toEqual([]);
  });
});

describe("import details", () => {
  it("wizard: the expected moves, forms and names", async () => {
    const { result, secretsDir } = await importInto(GOOD_FIXTURES.wizard!);
    const moves = Object.fromEntries(result.moves.map((m) => [displayPath(m.path), m]));
    expect(Object.keys(moves).sort()).toEqual(["channels.telegram.botToken", "env.ANTHROPIC_API_KEY", "gateway.auth.token", "hooks.token"]);
    expect(moves["gateway.auth.token"]).toMatchObject({ form: "service", option: "services.clawdbot.auth.tokenFile", file: join(secretsDir, "gateway.auth.token") });
    // the generator's secret paths (modules/generated/clawdbot/facts.json) take the file form
    expect(moves["channels.telegram.botToken"]).toMatchObject({ form: "file", file: join(secretsDir, "channels.telegram.botToken") });
    expect(moves["hooks.token"]).toMatchObject({ form: "file", file: join(secretsDir, "hooks.token") });
    expect(moves["env.ANTHROPIC_API_KEY"]).toMatchObject({ form: "file", file: join(secretsDir, "env.ANTHROPIC_API_KEY") });
    expect(result.service).toEqual({ port: 18789, bind: "loopback", auth: { mode: "token", tokenFile: join(secretsDir, "gateway.auth.token") } });
  });

  // the environment file and the variables' prefix are the detected gateway's (no default gateway): clawdbot.env
  // and CLAWDBOT_IMPORTED_… for a clawdbot.json, openclaw.env and OPENCLAW_IMPORTED_… for an openclaw.json
  it.each([
    ["clawdbot", "clawdbot.env", "CLAWDBOT"],
    ["openclaw", "openclaw.env", "OPENCLAW"],
  ] as const)("%s: a token-like value at a key that is no secret option goes to %s as ${%s_IMPORTED_…}", async (gateway, envFile, prefix) => {
    const dir = tempDir();
    writeFileSync(join(dir, `${gateway}.json`), '{ gateway: { mode: "local" }, messages: { responsePrefix: "sk-ant-fake-for-tests-0000000000000000000000000000" } }');
    const { result, secretsDir } = await importInto(dir, dir);
    expect(result.choice.target.name).toBe(gateway);
    expect(envFileName(result.choice.target)).toBe(envFile);
    const variable = `${prefix}_IMPORTED_MESSAGES_RESPONSE_PREFIX`;
    expect(result.moves).toEqual([expect.objectContaining({ path: ["messages", "responsePrefix"], form: "env", variable, file: join(secretsDir, envFile) })]);
    expect(readFileSync(join(secretsDir, envFile), "utf8")).toContain(`\n${variable}=sk-ant-fake`);
  });

  it("includes: ${VAR} references are kept and listed, nothing is moved", async () => {
    const { result, out } = await importInto(GOOD_FIXTURES.includes!);
    expect(result.moves).toEqual([]);
    expect([...result.variables.keys()].sort()).toEqual(["AGENT_PREFIX", "GW_PASSWORD", "HOME", "OPENROUTER_API_KEY", "TELEGRAM_BOT_TOKEN"]);
    const settings = readFileSync(join(out, "settings.nix"), "utf8");
    expect(settings).toContain('botToken = "\\${TELEGRAM_BOT_TOKEN}";');
    expect(settings).toContain('responsePrefix = "$\\${NOT_A_REFERENCE} \\${AGENT_PREFIX}";');
    expect(readFileSync(join(out, "default.nix"), "utf8")).toContain("#   OPENROUTER_API_KEY (models.providers.openrouter.apiKey)");
  });

  it("comments carry upstream help text", async () => {
    const { out } = await importInto(GOOD_FIXTURES.docker!);
    const settings = readFileSync(join(out, "settings.nix"), "utf8");
    expect(settings).toContain("# Optional URL prefix where the Control UI is served (e.g. /clawdbot).\n      basePath = \"/clawdbot\";");
  });

  it.each([
    ["legacy/clawdbot.json", ImportError, /legacy key: agent\.\* was moved[\s\S]*clawdbot doctor/],
    ["typo/clawdbot.json", ImportError, /gateway\.mdoe: unknown key — did you mean gateway\.mode\?/],
    ["env-port/clawdbot.json", ImportError, /gateway\.port: .*a substituted value is always a string/],
    ["syntax/clawdbot.json", ConfigReadError, /JSON5 syntax error/],
    ["cycle/a.json5", ConfigReadError, /circular \$include/],
    ["missing-include/clawdbot.json5", ConfigReadError, /no such file/],
    ["does-not-exist.json", ConfigReadError, /cannot read config/],
  ])("bad input %s: clear error, exit 1, nothing written", async (name, kind, pattern) => {
    const dir = tempDir();
    await expect(runImport(fixture(name), { out: join(dir, "nix"), secretsDir: join(dir, "secrets") })).rejects.toThrow(kind);
    await expect(runImport(fixture(name), { out: join(dir, "nix"), secretsDir: join(dir, "secrets") })).rejects.toThrow(pattern);
    const { code, text } = await cli([fixture(name), "--out", join(dir, "nix"), "--secrets-dir", join(dir, "secrets")]);
    expect(code).toBe(1);
    expect(text).toMatch(pattern);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("refuses a secrets folder inside the output folder, before writing anything", async () => {
    const dir = tempDir();
    await expect(runImport(GOOD_FIXTURES.wizard!, { out: join(dir, "nix"), secretsDir: join(dir, "nix", "secrets") })).rejects.toThrow(/inside the output folder/);
    await expect(runImport(GOOD_FIXTURES.wizard!, { out: dir, secretsDir: dir })).rejects.toThrow(/inside the output folder/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("--instance: names checked; a free port; secrets default to a folder named after the output", async () => {
    const dir = tempDir();
    await expect(planImport(GOOD_FIXTURES.wizard!, { out: join(dir, "nix"), instance: "bad name" })).rejects.toThrow(/--instance "bad name"/);
    await expect(planImport(GOOD_FIXTURES.wizard!, { out: join(dir, "nix"), instance: "default" })).rejects.toThrow(/reserved|services\.clawdbot itself/);
    const saved = process.env.XDG_CONFIG_HOME;
    process.env.XDG_CONFIG_HOME = join(dir, "config");
    try {
      const { result, texts } = await planImport(GOOD_FIXTURES.wizard!, { out: join(dir, "work"), instance: "work" });
      const expected = defaultSecretsDir(join(dir, "work"));
      expect(expected.startsWith(join(dir, "config", "clawdbot-nix", "secrets", "work-"))).toBe(true);
      expect(result.secretsDir).toBe(expected);
      expect(result.moves.every((m) => m.file.startsWith(expected + "/"))).toBe(true);
      // another output gets another folder
      expect(defaultSecretsDir(join(dir, "other"))).not.toBe(expected);
      expect(texts[0]!.text).toContain("  services.clawdbot.instances.work = {\n");
      expect(texts[0]!.text).not.toContain("enable");
      // the wizard's port is the default one: the instance moves 5 up, and says so
      expect(result.service.port).toBe(18794);
      expect(texts[0]!.text).toContain("    port = 18794;\n");
      expect(result.notes.join("\n")).toMatch(/gateway\.port 18789 is less than 5 from a port in use .*chose services\.clawdbot\.instances\.work\.port = 18794/);
      // a config without a port gets one too, clear of the ones given
      const free = await planImport(GOOD_FIXTURES.escaping!, { out: join(dir, "x"), instance: "x", avoidPorts: [18794, 18800] });
      expect(free.result.service.port).toBe(18809);
    } finally {
      if (saved === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = saved;
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it("--dry-run prints the Nix files and the moves, writes nothing, prints no secret", async () => {
    const dir = tempDir();
    const { code, text } = await cli([GOOD_FIXTURES.wizard!, "--dry-run", "--out", join(dir, "nix"), "--secrets-dir", join(dir, "s")]);
    expect(code).toBe(0);
    expect(text).toContain(`==> ${join(dir, "nix", "settings.nix")} <==`);
    expect(text).toContain("dry run: nothing written");
    expect(text).toContain("channels.telegram.botToken");
    expect(text).not.toContain("7312345678:AAFake");
    expect(text).not.toContain("3f9c2b7e1d4a8f6c");
    expect(readdirSync(dir)).toEqual([]);
  });

  it("warns when the secrets folder is inside a git work tree", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "repo", ".git"), { recursive: true });
    const result = await runImport(GOOD_FIXTURES.wizard!, { out: join(dir, "repo", "clawdbot"), secretsDir: join(dir, "repo", "secrets") });
    expect(result.notes.join("\n")).toMatch(/inside the git work tree .*repo: make sure it is ignored/);
    const clean = await runImport(GOOD_FIXTURES.wizard!, { out: join(dir, "repo", "clawdbot2"), secretsDir: join(dir, "secrets") });
    expect(clean.notes.filter((n) => n.includes("git"))).toEqual([]);
  });

  it("notes container paths (Docker /home/node, Fly /data)", async () => {
    const { result } = await importInto(GOOD_FIXTURES.docker!);
    expect(result.notes.filter((n) => n.includes("inside a Docker container")).map((n) => n.split(" = ")[0])).toEqual([
      "agents.defaults.workspace",
      "agents.list[1].workspace",
      "logging.file",
    ]);
  });

  it("a failure while writing leaves no partial output, and says why in words", async () => {
    const dir = tempDir();
    // the secrets "folder" is a file
    writeFileSync(join(dir, "secrets"), "not a directory");
    await expect(runImport(GOOD_FIXTURES.wizard!, { out: join(dir, "nix"), secretsDir: join(dir, "secrets") })).rejects.toThrow(/the secrets folder .*secrets is a file, not a folder/);
    expect(readdirSync(dir)).toEqual(["secrets"]);
  });

  it("an existing output folder keeps its other files; only ours are replaced", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "nix"));
    writeFileSync(join(dir, "nix", "flake.nix"), "{ }\n");
    await runImport(GOOD_FIXTURES.docker!, { out: join(dir, "nix"), secretsDir: join(dir, "secrets") });
    expect(readdirSync(join(dir, "nix")).sort()).toEqual([RECORD, "default.nix", "flake.nix", "settings.nix"]);
    expect(readdirSync(join(dir, "nix")).some((f) => f.includes(".tmp-"))).toBe(false);
  });
});

describe("import never loses anything", () => {
  it("a file no import wrote is not replaced without --force; --force keeps a backup first", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "nix"));
    writeFileSync(join(dir, "nix", "default.nix"), '{ my = "own"; }\n');
    const options = { out: join(dir, "nix"), secretsDir: join(dir, "secrets") };
    await expect(runImport(GOOD_FIXTURES.docker!, options)).rejects.toThrow(/nothing written[\s\S]*default\.nix: no record of an import writing it[\s\S]*--force/);
    expect(readdirSync(dir)).toEqual(["nix"]);
    expect(readdirSync(join(dir, "nix"))).toEqual(["default.nix"]);
    const forced = await runImport(GOOD_FIXTURES.docker!, { ...options, force: true });
    expect(forced.backups).toHaveLength(1);
    expect(readFileSync(forced.backups[0]!.backup, "utf8")).toBe('{ my = "own"; }\n');
    expect(readFileSync(join(dir, "nix", "default.nix"), "utf8")).toContain("written by `clawdbot-nix import`");
    // its own unchanged files it replaces without --force
    await runImport(GOOD_FIXTURES.docker!, options);
  });

  it("a hand-edited default.nix or a rotated secret file is not replaced on re-import without --force", async () => {
    const { out, secretsDir } = await importInto(GOOD_FIXTURES.wizard!);
    const options = { out, secretsDir };
    const edited = readFileSync(join(out, "default.nix"), "utf8").replace("enable = true;", "enable = true;\n    memory.max = \"1500M\";");
    writeFileSync(join(out, "default.nix"), edited);
    writeFileSync(join(secretsDir, "gateway.auth.token"), "rotated-by-hand");
    const error = await runImport(GOOD_FIXTURES.wizard!, options).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/default\.nix: changed since the last import/);
    expect(error?.message).toMatch(/gateway\.auth\.token: changed since the last import/);
    expect(readFileSync(join(out, "default.nix"), "utf8")).toBe(edited);
    const { code, text } = await cli([GOOD_FIXTURES.wizard!, "--out", out, "--secrets-dir", secretsDir, "--force"]);
    expect(code).toBe(0);
    const backups = [...text.matchAll(/kept the earlier (\S+) as (\S+)/g)].map((m) => [m[1], m[2]] as const);
    expect(backups.map(([file]) => file).sort()).toEqual([join(out, "default.nix"), join(secretsDir, "gateway.auth.token")]);
    for (const [file, backup] of backups) {
      expect(readFileSync(backup!, "utf8")).toBe(file === join(out, "default.nix") ? edited : "rotated-by-hand");
      if (file!.startsWith(secretsDir)) expect(mode(backup!)).toBe(0o600);
    }
    // the backups are secret files nobody uses now: listed, not deleted
    const again = await runImport(GOOD_FIXTURES.wizard!, options);
    expect(again.unusedSecrets).toEqual(backups.filter(([f]) => f!.startsWith(secretsDir)).map(([, b]) => b));
  });

  it("two outputs never share a secrets folder", async () => {
    const dir = tempDir();
    const shared = join(dir, "secrets");
    await runImport(GOOD_FIXTURES.wizard!, { out: join(dir, "a"), secretsDir: shared });
    const token = readFileSync(join(shared, "gateway.auth.token"), "utf8");
    await expect(runImport(GOOD_FIXTURES.docker!, { out: join(dir, "b"), secretsDir: shared })).rejects.toThrow(/belongs to the import into .*\/a: each output owns its secrets/);
    expect(readFileSync(join(shared, "gateway.auth.token"), "utf8")).toBe(token);
    expect(existsSync(join(dir, "b"))).toBe(false);
  });

  it("secret files an import no longer writes are listed, never deleted", async () => {
    const { out, secretsDir, result: first } = await importInto(GOOD_FIXTURES.wizard!);
    const before = readdirSync(secretsDir).sort();
    const second = await runImport(GOOD_FIXTURES.docker!, { out, secretsDir });
    const written = new Set(second.files.map((f) => f.path));
    const expected = [...new Set(first.moves.map((m) => m.file))].filter((f) => !written.has(f)).sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(second.unusedSecrets).toEqual(expected);
    for (const name of before) expect(existsSync(join(secretsDir, name))).toBe(true);
    const { code, text } = await cli([GOOD_FIXTURES.docker!, "--out", out, "--secrets-dir", secretsDir]);
    expect(code).toBe(0);
    const listed = text.split("secret files this import does not use")[1]!.split("\n").filter((l) => l.startsWith("  ")).map((l) => l.trim());
    expect(listed).toEqual(expected);
  });

  it("folder 0700 and file 0600, also for a secrets folder that existed with wider modes", async () => {
    const dir = tempDir();
    const secretsDir = join(dir, "secrets");
    mkdirSync(secretsDir);
    chmodSync(secretsDir, 0o755);
    writeFileSync(join(secretsDir, "old-token"), "x");
    chmodSync(join(secretsDir, "old-token"), 0o644);
    const result = await runImport(GOOD_FIXTURES.wizard!, { out: join(dir, "nix"), secretsDir });
    expect(mode(secretsDir)).toBe(0o700);
    expect(mode(join(secretsDir, "old-token"))).toBe(0o600);
    for (const name of readdirSync(secretsDir)) expect(mode(join(secretsDir, name)), name).toBe(0o600);
    expect(result.unusedSecrets).toEqual([join(secretsDir, "old-token")]);
  });
});
