// `clawdbot-nix import`: emitted Nix parses, no secret value in any emitted Nix file, secrets in 0600 files outside
// the output directory, byte-identical re-import, nothing left behind on bad input.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../cli/clawdbot-nix.js";
import { ENV_FILE, ImportError, planImport, runImport } from "../../cli/import.js";
import { ConfigReadError, readConfig } from "../../cli/read-config.js";
import { displayPath } from "../../cli/validate.js";
import { hasNix, nixParse } from "../support/nix.js";
import { cleanTemps, fixture, GOOD_FIXTURES, snapshotTree, strings, tempDir, valueAt } from "./support.js";

afterAll(cleanTemps);

function importInto(input: string, dir = tempDir()) {
  const out = join(dir, "nix");
  const secretsDir = join(dir, "secrets");
  const result = runImport(input, { out, secretsDir });
  return { dir, out, secretsDir, result };
}

const nixFiles = (out: string): string[] => readdirSync(out).filter((f) => f.endsWith(".nix")).map((f) => join(out, f));

describe.each(Object.entries(GOOD_FIXTURES))("import %s", (name, input) => {
  const { out, secretsDir, result } = importInto(input);
  const source = readConfig(input).value;

  it("writes default.nix and settings.nix that parse", () => {
    expect(readdirSync(out).sort()).toEqual(["default.nix", "settings.nix"]);
    if (!hasNix()) return void console.log("SKIP: nix-instantiate is not installed: emitted Nix not parsed");
    for (const file of nixFiles(out)) expect(nixParse(file).stderr).toBe("");
    for (const file of nixFiles(out)) expect(nixParse(file).ok).toBe(true);
  });

  it("moves every secret out: no secret value in any emitted Nix file, none printed", () => {
    const secrets = result.moves.map((move) => valueAt(source, move.path) as string);
    expect(secrets.every((s) => typeof s === "string" && s.length > 0)).toBe(true);
    const nix = nixFiles(out).map((f) => readFileSync(f, "utf8")).join("\n");
    const report = (() => {
      const lines: string[] = [];
      main(["import", input, "--out", join(tempDir(), "o"), "--secrets-dir", join(tempDir(), "s")], (l) => lines.push(l), (l) => lines.push(l));
      return lines.join("\n");
    })();
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

  it("secret files are 0600 in a 0700 directory outside the output directory, holding the values", () => {
    for (const move of result.moves) {
      expect(move.file.startsWith(secretsDir + "/")).toBe(true);
      expect(statSync(move.file).mode & 0o777).toBe(0o600);
      const value = valueAt(source, move.path) as string;
      const text = readFileSync(move.file, "utf8");
      if (move.form === "env") expect(text).toContain(`\n${move.variable}=${value}\n`);
      else expect(text).toBe(value);
    }
    if (result.moves.length > 0) expect(statSync(secretsDir).mode & 0o777).toBe(0o700);
  });

  it("re-import is byte-identical", () => {
    const first = snapshotTree(join(out, ".."));
    runImport(input, { out, secretsDir });
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
  });
});

describe("import details", () => {
  it("wizard: the expected moves, forms and names", () => {
    const { result, secretsDir } = importInto(GOOD_FIXTURES.wizard!);
    const moves = Object.fromEntries(result.moves.map((m) => [displayPath(m.path), m]));
    expect(Object.keys(moves).sort()).toEqual(["channels.telegram.botToken", "env.ANTHROPIC_API_KEY", "gateway.auth.token", "hooks.token"]);
    expect(moves["gateway.auth.token"]).toMatchObject({ form: "service", option: "services.clawdbot.auth.tokenFile", file: join(secretsDir, "gateway.auth.token") });
    expect(moves["channels.telegram.botToken"]).toMatchObject({ form: "file", file: join(secretsDir, "channels.telegram.botToken") });
    expect(moves["hooks.token"]).toMatchObject({ form: "env", variable: "CLAWDBOT_IMPORTED_HOOKS_TOKEN", file: join(secretsDir, ENV_FILE) });
    expect(result.service).toEqual({ port: 18789, bind: "loopback", auth: { mode: "token", tokenFile: join(secretsDir, "gateway.auth.token") } });
  });

  it("includes: ${VAR} references are kept and listed, nothing is moved", () => {
    const { result, out } = importInto(GOOD_FIXTURES.includes!);
    expect(result.moves).toEqual([]);
    expect([...result.variables.keys()].sort()).toEqual(["AGENT_PREFIX", "GW_PASSWORD", "HOME", "OPENROUTER_API_KEY", "TELEGRAM_BOT_TOKEN"]);
    const settings = readFileSync(join(out, "settings.nix"), "utf8");
    expect(settings).toContain('botToken = "\\${TELEGRAM_BOT_TOKEN}";');
    expect(settings).toContain('responsePrefix = "$\\${NOT_A_REFERENCE} \\${AGENT_PREFIX}";');
    expect(readFileSync(join(out, "default.nix"), "utf8")).toContain("#   OPENROUTER_API_KEY (models.providers.openrouter.apiKey)");
  });

  it("comments carry upstream help text", () => {
    const { out } = importInto(GOOD_FIXTURES.docker!);
    const settings = readFileSync(join(out, "settings.nix"), "utf8");
    expect(settings).toContain("# Optional URL prefix where the Control UI is served (e.g. /clawdbot).\n      basePath = \"/clawdbot\";");
  });

  it.each([
    ["legacy/clawdbot.json", ImportError, /legacy key: agent\.\* was moved[\s\S]*clawdbot doctor/],
    ["typo/clawdbot.json", ImportError, /gateway\.mdoe: unknown key — did you mean gateway\.mode\?/],
    ["syntax/clawdbot.json", ConfigReadError, /JSON5 syntax error/],
    ["cycle/a.json5", ConfigReadError, /circular \$include/],
    ["missing-include/clawdbot.json5", ConfigReadError, /no such file/],
    ["does-not-exist.json", ConfigReadError, /cannot read config/],
  ])("bad input %s: clear error, exit 1, nothing written", (name, kind, pattern) => {
    const dir = tempDir();
    expect(() => runImport(fixture(name), { out: join(dir, "nix"), secretsDir: join(dir, "secrets") })).toThrow(kind);
    expect(() => runImport(fixture(name), { out: join(dir, "nix"), secretsDir: join(dir, "secrets") })).toThrow(pattern);
    const err: string[] = [];
    expect(main(["import", fixture(name), "--out", join(dir, "nix"), "--secrets-dir", join(dir, "secrets")], () => {}, (l) => err.push(l))).toBe(1);
    expect(err.join("\n")).toMatch(pattern);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("refuses a secrets directory inside the output directory, before writing anything", () => {
    const dir = tempDir();
    expect(() => runImport(GOOD_FIXTURES.wizard!, { out: join(dir, "nix"), secretsDir: join(dir, "nix", "secrets") })).toThrow(/inside the output directory/);
    expect(() => runImport(GOOD_FIXTURES.wizard!, { out: dir, secretsDir: dir })).toThrow(/inside the output directory/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("does not replace Nix files an earlier import did not write, unless --force", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "nix"));
    writeFileSync(join(dir, "nix", "default.nix"), "{ my = \"own\"; }\n");
    const options = { out: join(dir, "nix"), secretsDir: join(dir, "secrets") };
    expect(() => runImport(GOOD_FIXTURES.docker!, options)).toThrow(/default\.nix exists and was not written by clawdbot-nix import.*--force/);
    expect(readdirSync(dir)).toEqual(["nix"]);
    expect(readdirSync(join(dir, "nix"))).toEqual(["default.nix"]);
    runImport(GOOD_FIXTURES.docker!, { ...options, force: true });
    expect(readFileSync(join(dir, "nix", "default.nix"), "utf8")).toContain("written by `clawdbot-nix import`");
    // its own files it replaces without --force
    runImport(GOOD_FIXTURES.wizard!, options);
  });

  it("--instance: names checked; secrets default to a per-instance directory under XDG_CONFIG_HOME", () => {
    const dir = tempDir();
    expect(() => planImport(GOOD_FIXTURES.wizard!, { out: join(dir, "nix"), instance: "bad name" })).toThrow(/--instance "bad name"/);
    expect(() => planImport(GOOD_FIXTURES.wizard!, { out: join(dir, "nix"), instance: "default" })).toThrow(/reserved|services\.clawdbot itself/);
    const saved = process.env.XDG_CONFIG_HOME;
    process.env.XDG_CONFIG_HOME = join(dir, "config");
    try {
      const { result, texts } = planImport(GOOD_FIXTURES.wizard!, { out: join(dir, "nix"), instance: "work" });
      expect(result.moves.every((m) => m.file.startsWith(join(dir, "config", "clawdbot-nix", "secrets", "work") + "/"))).toBe(true);
      expect(texts[0]!.text).toContain("  services.clawdbot.instances.work = {\n");
      expect(texts[0]!.text).not.toContain("enable");
    } finally {
      if (saved === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = saved;
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it("--dry-run prints the Nix files and the moves, writes nothing, prints no secret", () => {
    const dir = tempDir();
    const lines: string[] = [];
    const code = main(["import", GOOD_FIXTURES.wizard!, "--dry-run", "--out", join(dir, "nix"), "--secrets-dir", join(dir, "s")], (l) => lines.push(l), (l) => lines.push(l));
    expect(code).toBe(0);
    const text = lines.join("\n");
    expect(text).toContain(`==> ${join(dir, "nix", "settings.nix")} <==`);
    expect(text).toContain("dry run: nothing written");
    expect(text).toContain("channels.telegram.botToken");
    expect(text).not.toContain("7312345678:AAFake");
    expect(text).not.toContain("3f9c2b7e1d4a8f6c");
    expect(readdirSync(dir)).toEqual([]);
  });

  it("warns when the secrets directory is inside a git work tree", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "repo", ".git"), { recursive: true });
    const result = runImport(GOOD_FIXTURES.wizard!, { out: join(dir, "repo", "clawdbot"), secretsDir: join(dir, "repo", "secrets") });
    expect(result.notes[0]).toMatch(/inside the git work tree .*repo: make sure it is ignored/);
    const clean = runImport(GOOD_FIXTURES.wizard!, { out: join(dir, "repo", "clawdbot"), secretsDir: join(dir, "secrets") });
    expect(clean.notes.filter((n) => n.includes("git"))).toEqual([]);
  });

  it("notes container paths (Docker /home/node, Fly /data)", () => {
    const { result } = importInto(GOOD_FIXTURES.docker!);
    expect(result.notes.filter((n) => n.includes("inside a Docker container")).map((n) => n.split(" = ")[0])).toEqual([
      "agents.defaults.workspace",
      "agents.list[1].workspace",
      "logging.file",
    ]);
  });

  it("a failure while writing leaves no partial output", () => {
    const dir = tempDir();
    // the secrets "directory" is a file: creating files in it fails after the Nix files were staged
    writeFileSync(join(dir, "secrets"), "not a directory");
    expect(() => runImport(GOOD_FIXTURES.wizard!, { out: join(dir, "nix"), secretsDir: join(dir, "secrets") })).toThrow();
    expect(readdirSync(dir)).toEqual(["secrets"]);
  });

  it("an existing output directory keeps its other files; only ours are replaced", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "nix"));
    writeFileSync(join(dir, "nix", "flake.nix"), "{ }\n");
    runImport(GOOD_FIXTURES.docker!, { out: join(dir, "nix"), secretsDir: join(dir, "secrets") });
    expect(readdirSync(join(dir, "nix")).sort()).toEqual(["default.nix", "flake.nix", "settings.nix"]);
    expect(existsSync(join(dir, "nix", ".settings.nix.tmp-" + process.pid))).toBe(false);
  });
});
