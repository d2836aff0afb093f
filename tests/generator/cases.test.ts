// Each stage of the lowering, per case: zod → JSON schema → IR → Nix text (golden files), the Nix parses,
// and with nixpkgs' lib (T1) the emitted type accepts and rejects what it should, naming the option path.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { JsonSchema } from "../../generator/json-schema.js";
import { lowerSettings } from "../../generator/pipeline.js";
import { announceSkip, nixEval, nixParse, nixStr, t1Sources } from "../support/nix.js";
import { caseHints, cases } from "./cases.js";

const GOLDEN = new URL("./golden/", import.meta.url);
const update = process.env.UPDATE_GOLDEN === "1";

function golden(name: string, actual: string): void {
  const file = new URL(name, GOLDEN);
  if (update || !existsSync(file)) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, actual);
    if (!update) throw new Error(`golden file ${name} did not exist; written — review and commit it`);
  }
  expect(actual, `golden file tests/generator/golden/${name} (UPDATE_GOLDEN=1 rewrites)`).toBe(readFileSync(file, "utf8"));
}

const toJsonSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: "input", unrepresentable: "any", cycles: "ref", reused: "inline" }) as JsonSchema;

const { nixpkgsLib, libSkip } = t1Sources();
announceSkip("typed-option evaluation of the generator cases (T1)", libSkip);

/** `lib.evalModules` of one option `value` of the case's type, strict, nulls stripped: JSON or the error. */
function evaluate(file: string, valueNix: string) {
  return nixEval(`
    let
      lib = import ${nixStr(`${nixpkgsLib}/lib`)};
      generated = import ${nixStr(file)} { inherit lib; };
      strip = v: if builtins.isAttrs v then lib.mapAttrs (_: strip) (lib.filterAttrs (_: x: x != null) v)
        else if builtins.isList v then map strip v else v;
      evaluated = lib.evalModules {
        modules = [ { options.value = lib.mkOption { type = generated.type; }; } { value = ${valueNix}; } ];
      };
    in strip evaluated.config.value`);
}

const toNix = (value: unknown): string => {
  if (value === null) return "null";
  if (Array.isArray(value)) return `[ ${value.map(toNix).join(" ")} ]`;
  if (typeof value === "object") return `{ ${Object.entries(value as object).map(([k, v]) => `${JSON.stringify(k)} = ${toNix(v)};`).join(" ")} }`;
  if (typeof value === "string") return nixStr(value);
  return String(value);
};

describe.each(cases)("case $name", (testCase) => {
  const schema = toJsonSchema(testCase.schema);
  const lowered = lowerSettings(schema, caseHints, "# golden test case", testCase.name);
  const nixFile = new URL(`${testCase.name}.nix`, GOLDEN).pathname;

  it("zod → JSON schema", () => golden(`${testCase.name}.schema.json`, JSON.stringify(schema, null, 2) + "\n"));
  it("IR → Nix text", () => golden(`${testCase.name}.nix`, lowered.nix.text));
  it("the Nix text parses", () => {
    const parsed = nixParse(nixFile);
    expect(parsed.ok, parsed.stderr).toBe(true);
  });
  it.skipIf(!nixpkgsLib).each(testCase.accept.map((value, i) => ({ value, i })))("T1 accepts value $i unchanged", ({ value }) => {
    const result = evaluate(nixFile, toNix(value));
    expect(result.ok, result.stderr).toBe(true);
    expect(result.value).toEqual(value);
  });
  it.skipIf(!nixpkgsLib).each(testCase.reject)("T1 rejects $nix", ({ nix, error }) => {
    const result = evaluate(nixFile, nix);
    expect(result.ok).toBe(false);
    expect(result.stderr).toContain(error);
  });
});

describe("IR per feature", () => {
  const ir = (name: string) => {
    const testCase = cases.find((c) => c.name === name)!;
    return lowerSettings(toJsonSchema(testCase.schema), caseHints, "#", name);
  };
  const field = (name: string, path: string) => {
    const { settings } = ir(name);
    return settings.root.fields.find((f) => f.name === path)!;
  };

  it("bounds: 1..65535 and 0..65535 are ports, other bounds stay integers", () => {
    expect(field("scalars-and-bounds", "port").type).toEqual({ kind: "port", min: 1 });
    expect(field("scalars-and-bounds", "anyPort").type).toEqual({ kind: "port", min: 0 });
    expect(field("scalars-and-bounds", "percent").type).toEqual({ kind: "int", min: 0, max: 100 });
    // zod's `.int()` is a JavaScript safe integer: the bound stays (Nix's integers are 64-bit)
    expect(field("scalars-and-bounds", "positive").type).toEqual({ kind: "int", min: 1, max: 9007199254740991 });
    expect(field("scalars-and-bounds", "ratio").type).toEqual({ kind: "float", min: 0, max: 1 });
  });
  it("a union of constants is one enum; boolean | constant stays a union", () => {
    expect(field("enums-and-unions", "level").type).toEqual({ kind: "enum", values: ["info", "debug"] });
    expect(field("enums-and-unions", "native").type).toEqual({
      kind: "union",
      variants: [{ kind: "bool" }, { kind: "enum", values: ["auto"] }],
    });
    expect(field("enums-and-unions", "maybe").type).toEqual({ kind: "nullable", inner: { kind: "str" } });
  });
  it("closed objects have no freeform type; open ones do; records are attrs", () => {
    const closed = field("closed-and-open-objects", "closed").type;
    const open = field("closed-and-open-objects", "open").type;
    expect(closed.kind === "submodule" && closed.freeform).toBeUndefined();
    expect(open.kind === "submodule" && open.freeform).toMatchObject({ kind: "anything" });
    expect(field("closed-and-open-objects", "record").type).toEqual({ kind: "attrs", value: { kind: "int", min: -9007199254740991, max: 9007199254740991 } });
    expect(field("closed-and-open-objects", "required").type).toMatchObject({ kind: "submodule", fields: [{ name: "id", optional: false }, { name: "note", optional: true }] });
  });
  it("an object used in several places becomes one named definition, referenced everywhere", () => {
    const { settings, nix } = ir("shared-definitions");
    expect([...settings.definitions.keys()]).toEqual(["Retry"]);
    expect(settings.definitions.get("Retry")!.usedAt).toEqual(["telegram.retry", "telegram.accounts.*.retry", "discord.retry"]);
    expect(nix.text.match(/Retry = t\.submodule/g)).toHaveLength(1);
    expect(nix.text.match(/defs\.Retry/g)).toHaveLength(3);
  });
  it("an object with every field of another and more extends it: only the added options are written", () => {
    const { settings, nix } = ir("extension");
    const channel = settings.root.fields[0]!.type;
    expect(channel.kind === "submodule" && channel.base).toBe("ChannelAccounts");
    expect(channel.kind === "submodule" && channel.fields.map((f) => f.name)).toEqual(["token", "enabled", "name", "mode", "accounts"]);
    expect(nix.text).toContain("t.submodule (defs.ChannelAccounts.getSubModules ++ [ {");
    expect(nix.text.match(/token = lib\.mkOption/g)).toHaveLength(1);
  });
  it("recursion goes through a named definition", () => {
    const { settings, nix } = ir("recursion");
    expect(settings.definitions.size).toBe(1);
    const [name] = [...settings.definitions.keys()];
    expect(nix.text).toContain(`t.listOf defs.${name}`);
  });
  it("secret places of every kind: top level, account map, provider map, list item, env/header map, service account", () => {
    const { secretPaths, nix } = ir("secret-places");
    expect(secretPaths).toEqual([
      ["hooks", "token"],
      ["channel", "botToken"],
      ["channel", "accounts", "*", "botToken"],
      ["providers", "*", "apiKey"],
      ["providers", "*", "headers", "*"],
      ["agents", "list", "[]", "remote", "apiKey"],
      ["env", "vars", "*"],
      ["env", "*"],
      ["serviceAccount"],
      ["serviceAccount", "*"],
    ]);
    expect(nix.text).toContain("freeformType = t.attrsOf secret;");
    expect(nix.text).toContain("t.oneOf [ secret (t.attrsOf t.anything) ]");
  });
  it("a required key whose type has an empty value ([ ], { }, null) loses it; optional keys stay null", () => {
    const { nix } = ir("required-keys");
    expect(nix.text).toContain("type = required (t.listOf (t.submodule {");
    expect(nix.text).toContain("type = required (t.attrsOf secret);");
    expect(nix.text).toContain("type = required (t.nullOr t.str);");
    expect(nix.text).toMatch(/apiKey = lib\.mkOption \{\n\s+type = t\.nullOr secret;\n\s+default = null;/);
    expect(nix.text).toMatch(/baseUrl = lib\.mkOption \{\n\s+type = t\.str;\n\s+\};/);
  });
  it("a length goes with a pattern and with a secret's text form; integers keep their safe-integer bounds", () => {
    const { nix } = ir("bounds-lengths-notes");
    expect(nix.text).toContain("type = t.nullOr (t.ints.between 0 9007199254740991);");
    expect(nix.text).toContain("type = t.nullOr (t.ints.between (-9007199254740991) 9007199254740991);");
    expect(nix.text).toContain('type = t.nullOr (t.addCheck (t.strMatching "[a-z][0-9a-z-]*") (s: builtins.stringLength s >= 1 && builtins.stringLength s <= 8));');
  });
  it("a pattern Nix cannot run on a secret string is named in its option's description", () => {
    const { nix } = ir("bounds-lengths-notes");
    const note = "Upstream requires the value to match the JavaScript regular expression `^(?!\\\\s*-)`, which Nix's `builtins.match` cannot run";
    const token = nix.text.slice(nix.text.indexOf("token = lib.mkOption {"));
    const option = token.slice(0, token.indexOf("\n            };"));
    expect(option).toContain("type = t.nullOr (secretOf (t.addCheck t.str (s: builtins.stringLength s >= 1)));");
    expect(option).toContain(note);
    expect(nix.text.split(note)).toHaveLength(3); // the secret token, and the shared definition's command
  });
  it("a union of objects without one tag: each variant recognised by a key of its own, or a constant it requires", () => {
    const channel = field("recognised-unions", "channel").type;
    expect(channel).toMatchObject({ kind: "union", recognise: [{ key: "username" }, { key: "accounts" }] });
    const bindings = field("recognised-unions", "bindings").type;
    expect(bindings.kind === "list" && bindings.item).toMatchObject({ kind: "union", recognise: [null, { key: "type", value: "acp" }] });
  });
  it("a sensitive string gets the secret form and is listed in the secret paths (facts.json)", () => {
    const { settings, secretPaths, nix } = ir("secrets");
    const auth = settings.root.fields[0]!.type;
    expect(auth.kind === "submodule" && auth.fields.find((f) => f.name === "token")).toMatchObject({ secret: true, sensitive: true, label: "Token" });
    expect(secretPaths).toEqual([["auth", "token"]]);
    expect(nix.text).toContain("type = t.nullOr secret;");
    expect(nix.text, "the paths are data in facts.json, not in the options file").not.toContain("secretPaths");
  });
});
