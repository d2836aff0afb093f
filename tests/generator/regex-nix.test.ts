// Upstream's patterns as Nix runs them: every regular expression in the generated settings files compiles in
// Nix's `builtins.match` (no "invalid regular expression" at evaluation), and with the real nixpkgs lib (T1)
// `lib.types.strMatching` of each translation accepts exactly the strings JavaScript's RegExp (the `u` dialect
// of JSON schema) accepts, on examples drawn from the pattern, their mutations, and upstream's own values.
// Patterns Nix cannot run are plain strings, left to the gateway's validator, and their options say so.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { GATEWAYS, GATEWAY_NAMES } from "../../generator/gateways.js";
import { walkTypes, type IrModule } from "../../generator/ir.js";
import { lowerSettings } from "../../generator/pipeline.js";
import { regexExamples, translateRegex } from "../../generator/regex.js";
import { readSnapshot } from "../../generator/upstream.js";
import { announceSkip, hasNix, nixEval, nixStr, REPO, t1Sources } from "../support/nix.js";

const { nixpkgsLib, libSkip } = t1Sources();
announceSkip("upstream's patterns through lib.types.strMatching (T1)", libSkip);

const work = mkdtempSync(join(tmpdir(), "regex-nix-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The string literals given to strMatching and builtins.match in a generated file, unescaped. */
function regexLiterals(text: string): string[] {
  const found = [...text.matchAll(/(?:t\.strMatching|builtins\.match) "((?:[^"\\]|\\.)*)"/g)].map((m) =>
    m[1]!.replace(/\\(.)/gs, (_, c: string) => ({ n: "\n", r: "\r", t: "\t" })[c] ?? c),
  );
  return [...new Set(found)];
}

/** Every pattern (values and attribute names) of a settings IR. */
function patternsOf(module: IrModule): string[] {
  const patterns = new Set<string>();
  walkTypes(module, (type) => {
    if (type.kind === "str" && type.pattern) patterns.add(type.pattern);
    if (type.kind === "attrs" && type.keyPattern) patterns.add(type.keyPattern);
  });
  return [...patterns];
}

const settingsFiles = GATEWAY_NAMES.map((name) => GATEWAYS[name].outputs.settings);
const modules = GATEWAY_NAMES.map((name) => {
  const snapshot = readSnapshot(GATEWAYS[name]);
  return lowerSettings(snapshot.schema, snapshot.uiHints, "#", name).settings;
});
const patterns = [...new Set(modules.flatMap(patternsOf))].sort();

/** Values upstream's documentation and users give, and edge cases of bytes versus characters. */
const CORPUS = [
  "", "a", "abc", "messages", "messages.0", "a[0]", "123456789012345678", "12a", "0", "-1", "a b", " a", "a ", "\n", "a\nb",
  "https://example.com", "http://user@example.com/", "HTTPS://EXAMPLE.COM/path?q=1", "ftp://x", "https://", "/run/key", "//x", "/",
  "default", "OPENAI_API_KEY", "openai", "openai:gpt-4", "github:user", "profile:x y", "ghp_" + "a".repeat(32), "#a0b0c0", "#fff",
  "1d", "24h", "90m", "59m", "1440m", "2024-02-29T12:00:00Z", "2023-02-29T12:00:00Z", "10ms", "5s", "me@example.com", "a@b.c",
  "é", "aé", "é+", "€", "😀", "\u00a0", "\u2028", "\ufeff", "\u3000", "x\u00a0y", "ä.b", "日本語",
];

/** Strings near an accepted one: one character dropped, replaced, inserted; ends changed. */
function mutations(value: string): string[] {
  const chars = [...value];
  const replacements = ["x", "0", "-", " ", "é", "\u00a0", "/", "@", ".", "A", "_"];
  const out = [value + "\n", " " + value, value + value, chars.slice(0, -1).join(""), chars.slice(1).join("")];
  for (const i of [0, Math.floor(chars.length / 2), chars.length - 1]) {
    if (i < 0 || i >= chars.length) continue;
    out.push([...chars.slice(0, i), ...chars.slice(i + 1)].join(""));
    for (const r of replacements) out.push([...chars.slice(0, i), r, ...chars.slice(i + 1)].join(""), [...chars.slice(0, i), r, ...chars.slice(i)].join(""));
  }
  return out;
}

function samplesFor(source: string): string[] {
  let seed = 7;
  const random = () => ((seed = (seed * 48271) % 2147483647) - 1) / 2147483646;
  const examples = regexExamples(source, 30, random);
  return [...new Set([...examples, ...examples.slice(0, 6).flatMap(mutations), ...CORPUS])];
}

describe.skipIf(!hasNix())("upstream's patterns in Nix", () => {
  it("every regular expression in the generated settings files compiles in builtins.match", () => {
    const literals = settingsFiles.flatMap((file) => regexLiterals(readFileSync(join(REPO, file), "utf8")));
    expect(literals.length).toBeGreaterThan(20);
    const file = join(work, "literals.json");
    writeFileSync(file, JSON.stringify(literals));
    const result = nixEval(`map (p: builtins.match p "" == null) (builtins.fromJSON (builtins.readFile ${nixStr(file)}))`);
    expect(result.stderr).not.toMatch(/invalid regular expression/);
    expect(result.ok, result.stderr).toBe(true);
  });

  it("each is the translation of one of upstream's patterns; the rest are left to the validator, with a reason", () => {
    const translated = new Set(patterns.map((p) => translateRegex(p)).flatMap((t) => (t.ok ? [t.pattern] : [])));
    const literals = settingsFiles.flatMap((file) => regexLiterals(readFileSync(join(REPO, file), "utf8")));
    expect(literals.filter((l) => !translated.has(l))).toEqual([]);
    const left = patterns.flatMap((p) => {
      const t = translateRegex(p);
      return t.ok ? [] : [`${p}: ${t.reason}`];
    });
    // the reasons, for the record: lookaheads, \S and [^\s…] (Unicode spaces), \p{…}, `.`
    for (const line of left) expect(line).toMatch(/lookahead|excludes non-ASCII|Unicode property|line terminators/);
    expect(patterns.length - left.length).toBeGreaterThan(left.length);
  });
});

describe.skipIf(!nixpkgsLib)("upstream's patterns through the real lib.types.strMatching (T1)", () => {
  it("for every translated pattern, Nix and JavaScript accept and refuse the same strings", () => {
    const cases = patterns.flatMap((source) => {
      const t = translateRegex(source);
      if (!t.ok) return [];
      const samples = samplesFor(source);
      const re = new RegExp(source, "u");
      return [{ source, pattern: t.pattern, samples, js: samples.map((s) => re.test(s)) }];
    });
    expect(cases.length).toBeGreaterThan(25);
    for (const c of cases) {
      expect(c.js.includes(true), `${c.source}: no accepted sample`).toBe(true);
      expect(c.js.includes(false), `${c.source}: no refused sample`).toBe(true);
    }
    const file = join(work, "cases.json");
    writeFileSync(file, JSON.stringify(cases.map(({ pattern, samples }) => ({ pattern, samples }))));
    const result = nixEval(`
      let
        lib = import ${nixStr(`${nixpkgsLib}/lib`)};
        cases = builtins.fromJSON (builtins.readFile ${nixStr(file)});
      in map (c: map (s: (lib.types.strMatching c.pattern).check s) c.samples) cases`);
    expect(result.ok, result.stderr).toBe(true);
    const nix = result.value as boolean[][];
    const disagreements = cases.flatMap((c, i) =>
      c.samples.flatMap((s, j) => (nix[i]![j] === c.js[j] ? [] : [`${c.source} on ${JSON.stringify(s)}: JavaScript ${c.js[j]}, Nix ${nix[i]![j]}`])),
    );
    expect(disagreements).toEqual([]);
    const total = cases.reduce((n, c) => n + c.samples.length, 0);
    console.log(`regex: ${cases.length} translated patterns, ${total} strings, Nix and JavaScript agree on each`);
  });

  it("upstream's values through the generated OpenClaw settings: an ID of digits, forEach = \"messages\"; a wrong one names the option", () => {
    const settings = join(REPO, GATEWAYS.openclaw.outputs.settings);
    const evaluate = (value: string) =>
      nixEval(`
        let
          lib = import ${nixStr(`${nixpkgsLib}/lib`)};
          generated = import ${nixStr(settings)} { inherit lib; };
          e = lib.evalModules { modules = [ { options.settings = lib.mkOption { type = generated.type; }; } { settings = ${value}; } ]; };
        in builtins.deepSeq e.config.settings true`);
    const good = evaluate(`{
      channels.discord.activities.applicationId = "123456789012345678";
      hooks.mappings = [ { forEach = "messages"; } ];
      plugins.entries.onepassword.config.vault = "Private";
      channels.signal.transport = { kind = "external-native"; url = "https://signal.example.com"; };
    }`);
    expect(good.stderr).toBe("");
    expect(good.ok).toBe(true);
    const badId = evaluate(`{ channels.discord.activities.applicationId = "12a"; }`);
    expect(badId.ok).toBe(false);
    expect(badId.stderr).not.toMatch(/invalid regular expression/);
    expect(badId.stderr).toMatch(/settings\.channels\.discord\.activities\.applicationId' is not of type `null or string matching the pattern \[0-9\]\+'/);
    const badForEach = evaluate(`{ hooks.mappings = [ { forEach = "a.b"; } ]; }`);
    expect(badForEach.ok).toBe(false);
    expect(badForEach.stderr).toMatch(/forEach' is not of type `null or string matching the pattern \[\^\]\.\[\]\+'/);
  });

  it("a pattern Nix cannot run: a plain string, and the option's description says the validator checks it", () => {
    const text = readFileSync(join(REPO, GATEWAYS.openclaw.outputs.settings), "utf8");
    expect(text).toContain(
      "Upstream requires the value to match the JavaScript regular expression `^[Hh][Tt][Tt][Pp][Ss]?:\\\\/\\\\/(?![^/?#]*@)`, which Nix's `builtins.match` cannot run (a lookahead): the gateway's validator checks it when the configuration is built.",
    );
  });
});
