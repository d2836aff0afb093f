// Normaliser rules, one by one, on small schemas.
import { describe, expect, it } from "vitest";
import type { JsonSchema } from "../../generator/json-schema.js";
import {
  accountHints,
  attachHints,
  boundPortFields,
  constantsToEnums,
  hintMatches,
  hoistRepeatedObjects,
  hoistRepeatedTaggedUnions,
  hoistSharedObjects,
  newDefinitionWork,
  hoistEmbeddedDefinitions,
  liftNullableDocumentation,
  markPortRanges,
  NORMALISATION,
  normalise,
  optionalWhenDefaulted,
  shareIdenticalObjects,
  titlesAsLabels,
  tuplesAsPrefixItems,
} from "../../generator/normalize.js";

const object = (properties: Record<string, JsonSchema>): JsonSchema => ({ type: "object", properties, additionalProperties: false });
const str: JsonSchema = { type: "string" };

describe("hint keys", () => {
  it("match dotted paths with * for record keys and list items, [] for list items", () => {
    expect(hintMatches("gateway.auth.token", ["gateway", "auth", "token"])).toBe(true);
    expect(hintMatches("plugins.entries.*.enabled", ["plugins", "entries", "*", "enabled"])).toBe(true);
    expect(hintMatches("agents.list.*.identity", ["agents", "list", "[]", "identity"])).toBe(true);
    expect(hintMatches("agents.list[].identity", ["agents", "list", "[]", "identity"])).toBe(true);
    expect(hintMatches("gateway.auth", ["gateway", "auth", "token"])).toBe(false);
  });
  it("attach label, help, placeholder and sensitivity; report hints that name nothing", () => {
    const { schema, report } = attachHints(object({ gateway: object({ token: str }) }), {
      "gateway.token": { label: "Token", help: "The token.", sensitive: true, placeholder: "abc" },
      "gateway.nothing": { label: "Nothing" },
    });
    expect(schema.properties!.gateway!.properties!.token).toEqual({
      type: "string",
      "x-label": "Token",
      description: "The token.",
      examples: ["abc"],
      "x-sensitive": true,
    });
    expect(report.unmatched).toEqual(["gateway.nothing"]);
  });
});

describe("rule: a per-account or per-agent key gets the hint of the key it overrides", () => {
  const schema = object({
    channels: object({
      telegram: object({
        botToken: str,
        accounts: { type: "object", additionalProperties: object({ botToken: str, name: str }) },
      }),
    }),
    agents: object({
      defaults: object({ apiKey: str }),
      list: { type: "array", items: object({ apiKey: str, id: str }) },
    }),
  });
  it("derives channels.telegram.accounts.*.botToken and agents.list.[].apiKey", () => {
    expect(
      accountHints(schema, {
        "channels.telegram.botToken": { sensitive: true },
        "agents.defaults.apiKey": { sensitive: true, label: "API key" },
      }),
    ).toEqual({
      "channels.telegram.accounts.*.botToken": { sensitive: true },
      "agents.list.[].apiKey": { sensitive: true, label: "API key" },
    });
  });
  it("keeps what a hint for the key itself gives, and derives only what it leaves out (OpenClaw hints most account keys `{}`)", () => {
    expect(
      accountHints(schema, {
        "channels.telegram.botToken": { sensitive: true, label: "Bot token" },
        "channels.telegram.accounts.*.botToken": { label: "Account token" },
      }),
    ).toEqual({ "channels.telegram.accounts.*.botToken": { sensitive: true } });
    expect(
      accountHints(schema, {
        "channels.telegram.botToken": { sensitive: true },
        "channels.telegram.accounts.*.botToken": { sensitive: true },
      }),
    ).toEqual({});
  });
});

describe("rule: bound integers named port or …Port", () => {
  it("adds 1..65535 to an unbounded port and leaves other integers alone", () => {
    const bounded = boundPortFields(object({ port: { type: "integer", exclusiveMinimum: 0 }, cdpPort: { type: "integer" }, count: { type: "integer" } }));
    expect(bounded.properties!.port).toEqual({ type: "integer", exclusiveMinimum: 0, maximum: 65535 });
    expect(bounded.properties!.cdpPort).toEqual({ type: "integer", minimum: 1, maximum: 65535 });
    expect(bounded.properties!.count).toEqual({ type: "integer" });
  });
});

describe("rule: hoist repeated objects into named definitions", () => {
  const retry = object({ attempts: { type: "integer" }, minDelayMs: { type: "integer" }, jitter: { type: "number" } });
  it("names a definition by the common suffix of its places and references it from each", () => {
    const hoisted = hoistSharedObjects(object({ a: object({ retry }), b: object({ retry, x: str }) }));
    expect(Object.keys(hoisted.$defs!)).toEqual(["Retry"]);
    expect(hoisted.properties!.a!.properties!.retry).toEqual({ $ref: "#/$defs/Retry" });
    expect(hoisted.properties!.b!.properties!.retry).toEqual({ $ref: "#/$defs/Retry" });
  });
  it("inlines an object that repeats only because its parent repeats", () => {
    const parent = object({ retry, y: str, z: str });
    const hoisted = hoistSharedObjects(object({ a: parent, b: parent }));
    expect(Object.keys(hoisted.$defs!)).toHaveLength(1);
    const [only] = Object.values(hoisted.$defs!);
    expect(only!.properties!.retry).toEqual(retry);
  });
  it("disambiguates equal suffixes by the owner's name", () => {
    const one = object({ enabled: { type: "boolean" }, a: str, b: str });
    const two = object({ enabled: { type: "boolean" }, other: str, c: str });
    const hoisted = hoistSharedObjects(
      object({
        telegram: object({ actions: one, accounts: { type: "object", additionalProperties: object({ actions: one }) } }),
        discord: object({ actions: two, accounts: { type: "object", additionalProperties: object({ actions: two, z: str }) } }),
      }),
    );
    expect(Object.keys(hoisted.$defs!).sort()).toEqual(["Actions", "DiscordActions"]);
  });
});

describe("the normalisation: one named, ordered list", () => {
  it("runs the published steps first, then the parser's input steps, definitions last", () => {
    expect(NORMALISATION.map((step) => step.rule)).toEqual([
      "Write a draft-07 tuple (`items` as a list) as the published draft's `prefixItems`",
      "Move the definitions of an embedded schema to the root, named by where it is embedded",
      "Use a schema's own `title` as the option's label",
      "A key that is required but has a default is optional",
      "Bound integers named `port` or `…Port` to 1..65535",
      "Attach upstream uiHints to the schema nodes they name, and give per-account and per-agent keys the hints of the keys they override",
      "Give a per-account or per-agent key without text the text of the key it overrides",
      "Mark every secret string `x-secret` (generator/secrets.ts)",
      "Write an object that occurs more than once, the same to the letter, once as a definition",
      "Lift the documentation of a nullable's inner schema onto the field",
      "Transform `const`, and a union of constants, into one enum",
      "Mark integers bounded to 0..65535 or 1..65535 as ports",
      "Hoist every object that occurs more than once into a named definition, one of one or two fields only where its places are the same key",
      "Hoist every tagged union that occurs more than once into a named definition",
      "Inline a hoisted definition that ends up referenced once",
      "Name anonymous definitions by where they are referenced",
      "Write an object that adds fields to another object as that object plus its own fields",
    ]);
    // the published steps, then the published schema's own ("only"), then the parser's input steps
    const kinds = NORMALISATION.map((step) => String(step.published));
    expect(kinds.join(" ").replace(/(true )+/, "true… ").replace(/( false)+$/, " false…")).toBe("true… only false…");
  });
  it("the published-only step shapes the published schema and not the parser's input", () => {
    const hooks = object({ a: str, b: str, c: str });
    const entries = object({ x: object({ hooks, n: str }), y: object({ hooks, m: str }) });
    const { published, lowered } = normalise(object({ plugins: entries }), "settings");
    expect(published.properties!.plugins!.properties!.x!.properties!.hooks).toEqual({ $ref: "#/$defs/Hooks" });
    expect(published.$defs).toEqual({ Hooks: hooks });
    // the parser's input hoists by shape, each place keeping its own text (no bare reference from the published step)
    expect(lowered.properties!.plugins!.properties!.x!.properties!.hooks!.$ref).toBe("#/$defs/Hooks");
    expect(Object.keys(lowered.$defs!)).toEqual(["Hooks"]);
  });
});

describe("rule: a draft-07 tuple is written as prefixItems", () => {
  it("items as a list becomes prefixItems, additionalItems false becomes items false; the parser types a tuple of one type as a list of it", () => {
    const range: JsonSchema = { type: "array", items: [{ type: "number" }, { type: "number" }], additionalItems: false, minItems: 2, maxItems: 2 } as unknown as JsonSchema;
    const { published, lowered } = normalise(object({ range }), "settings");
    expect(published.properties!.range).toEqual({ type: "array", prefixItems: [{ type: "number" }, { type: "number" }], items: false, minItems: 2, maxItems: 2 });
    expect(lowered.properties!.range!.prefixItems).toHaveLength(2);
    // a list schema stays as it is, and so does data with an `items` list (an example, a default)
    expect(tuplesAsPrefixItems(object({ list: { type: "array", items: str } }))).toEqual(object({ list: { type: "array", items: str } }));
    const withData = object({ cart: { ...object({ items: { type: "array", items: str } }), default: { items: ["a", "b"] } } });
    expect(tuplesAsPrefixItems(withData)).toEqual(withData);
  });
});

describe("rule: an object that occurs more than once, the same to the letter, is written once (published schema)", () => {
  const hooks = (description: string): JsonSchema => ({ ...object({ a: str, b: str, c: str }), description });
  it("identical subtrees, documentation included, become one definition; a place that differs in its text keeps its own", () => {
    const shared = shareIdenticalObjects(
      object({ p: object({ x: object({ hooks: hooks("Hooks.") }), y: object({ hooks: hooks("Hooks.") }), z: object({ hooks: hooks("Other.") }) }) }),
    );
    const p = shared.properties!.p!.properties!;
    expect(p.x!.properties!.hooks).toEqual({ $ref: "#/$defs/Hooks" });
    expect(p.y!.properties!.hooks).toEqual({ $ref: "#/$defs/Hooks" });
    expect(p.z!.properties!.hooks).toEqual(hooks("Other."));
    expect(shared.$defs).toEqual({ Hooks: hooks("Hooks.") });
  });
  it("a nested object written once after its parent is shared stays in place; the input's definitions are kept", () => {
    const parent = object({ inner: object({ a: str, b: str, c: str }), d: str, e: str });
    const shared = shareIdenticalObjects({ ...object({ x: parent, y: parent }), $defs: { Kept: object({ k: str }) } });
    expect(shared.$defs).toEqual({ Kept: object({ k: str }), XOrY: parent });
    expect(shared.properties!.x).toEqual({ $ref: "#/$defs/XOrY" });
    expect(shared.properties!.y).toEqual({ $ref: "#/$defs/XOrY" });
  });
  it("SecretRefs are named by their source, a union of them SecretRef", () => {
    const ref = (source: string): JsonSchema => ({
      type: "object",
      properties: { source: { type: "string", const: source }, provider: str, id: str },
      required: ["source", "provider", "id"],
      additionalProperties: false,
    });
    const input = (): JsonSchema => ({ anyOf: [str, { oneOf: [ref("env"), ref("file")] }] });
    const shared = shareIdenticalObjects(object({ a: object({ token: input() }), b: object({ key: input() }) }));
    expect(shared.properties!.a!.properties!.token).toEqual({ anyOf: [str, { $ref: "#/$defs/SecretRef" }] });
    // (its variants are written once, in it: no definition of their own)
    expect(shared.$defs).toEqual({ SecretRef: { oneOf: [ref("env"), ref("file")] } });
    // a variant also used in another union is its own definition, named by its source
    const other = shareIdenticalObjects(object({ a: object({ token: input() }), b: object({ key: input() }), c: { oneOf: [ref("env"), str] } }));
    expect(other.$defs!.EnvSecretRef).toEqual(ref("env"));
    expect(other.$defs!.SecretRef).toEqual({ oneOf: [{ $ref: "#/$defs/EnvSecretRef" }, ref("file")] });
  });
});

describe("the normalisation: one named, ordered list (continued)", () => {
  it("a tagged union that occurs more than once (its objects already references) is one definition, in any variant order; SecretRefs are named SecretRef", () => {
    const ref = (source: string): JsonSchema => ({
      type: "object",
      properties: { source: { enum: [source] }, provider: { type: "string" }, id: { type: "string" } },
      required: ["source", "provider", "id"],
    });
    const work = newDefinitionWork();
    const hoisted = hoistRepeatedObjects(
      {
        type: "object",
        properties: {
          a: { oneOf: [ref("env"), ref("file")] },
          b: { anyOf: [{ type: "string" }, { oneOf: [ref("file"), ref("env")] }] },
          c: { anyOf: [{ oneOf: [ref("env"), ref("file")] }, { type: "null" }], description: "C." },
          d: { oneOf: [ref("env"), ref("exec")] },
        },
      },
      work,
    );
    const out = hoistRepeatedTaggedUnions(hoisted, work);
    expect(out.properties!.a).toEqual({ $ref: "#/$defs/SecretRef" });
    expect(out.properties!.b!.anyOf![1]).toEqual({ $ref: "#/$defs/SecretRef" });
    expect(out.properties!.c).toMatchObject({ anyOf: [{ $ref: "#/$defs/SecretRef" }, { type: "null" }], description: "C." });
    // once only: not hoisted
    expect(out.properties!.d!.oneOf).toHaveLength(2);
    expect(out.$defs!.SecretRef!.oneOf!.every((v) => v.$ref !== undefined)).toBe(true);
  });
  it("an embedded schema's own definitions move to the root, named by their place, its references follow (OpenClaw's plugin configs)", () => {
    const embedded: JsonSchema = {
      type: "object",
      properties: { account: { $ref: "#/$defs/account" }, token: { $ref: "#/$defs/secretInput" } },
      $defs: { account: { type: "object", properties: { pass: { $ref: "#/$defs/secretInput" } } }, secretInput: { type: "string" } },
    };
    const schema: JsonSchema = { type: "object", properties: { plugins: { type: "object", properties: { imap: embedded } } }, $defs: { Root: { type: "string" } } };
    const out = hoistEmbeddedDefinitions(schema);
    expect(Object.keys(out.$defs!).sort()).toEqual(["PluginsImapAccount", "PluginsImapSecretInput", "Root"]);
    const imap = out.properties!.plugins!.properties!.imap!;
    expect(imap.$defs).toBeUndefined();
    expect(imap.properties!.account).toEqual({ $ref: "#/$defs/PluginsImapAccount" });
    expect(out.$defs!.PluginsImapAccount!.properties!.pass).toEqual({ $ref: "#/$defs/PluginsImapSecretInput" });
    // nothing embedded: the same object back
    const plain: JsonSchema = { type: "object", properties: { a: { type: "string" } } };
    expect(hoistEmbeddedDefinitions(plain)).toBe(plain);
  });
  it("a required key with a default is optional (OpenClaw's output-side schema); other required keys stay", () => {
    const schema: JsonSchema = { type: "object", required: ["dmPolicy", "id"], properties: { dmPolicy: { type: "string", default: "pairing" }, id: { type: "string" } } };
    expect(optionalWhenDefaulted(schema).required).toEqual(["id"]);
    const plain: JsonSchema = { type: "object", required: ["id"], properties: { id: { type: "string" } } };
    expect(optionalWhenDefaulted(plain)).toBe(plain);
  });
  it("a schema's own titles become labels (x-label); a property named `title` stays a property", () => {
    const schema: JsonSchema = { type: "object", title: "Root", properties: { port: { type: "integer", title: "Gateway Port" }, title: { type: "string" } } };
    const out = titlesAsLabels(schema);
    expect(out.title).toBe("Root");
    expect(out.properties!.port).toEqual({ type: "integer", "x-label": "Gateway Port" });
    expect(out.properties!.title).toEqual({ type: "string" });
    const none: JsonSchema = { type: "object", properties: { a: { type: "string" } } };
    expect(titlesAsLabels(none)).toBe(none);
  });
  it("the service options get only the shape rules (no hints, no secrets, no hoisting)", () => {
    const schema = object({ a: object({ x: str }), b: object({ x: str }), port: { type: "integer", minimum: 1, maximum: 65535 } });
    const { published, lowered } = normalise(schema, "service");
    expect(published).toBe(schema);
    expect(lowered.$defs).toBeUndefined();
    expect(lowered.properties!.port).toEqual({ type: "integer", minimum: 1, maximum: 65535, "x-port": true });
  });
});

describe("shape rules", () => {
  it("const and a union of constants become one enum; a null variant stays", () => {
    expect(constantsToEnums({ const: "a" })).toEqual({ enum: ["a"] });
    expect(constantsToEnums({ anyOf: [{ const: "a" }, { const: "b" }] })).toEqual({ enum: ["a", "b"] });
    expect(constantsToEnums({ anyOf: [{ const: "a" }, { type: "null" }] })).toEqual({ anyOf: [{ enum: ["a"] }, { type: "null" }] });
    expect(constantsToEnums({ anyOf: [{ type: "boolean" }, { const: "auto" }] })).toEqual({ anyOf: [{ type: "boolean" }, { enum: ["auto"] }] });
  });
  it("0..65535 and 1..65535 integers are ports; other bounds are not", () => {
    expect(markPortRanges({ type: "integer", exclusiveMinimum: 0, maximum: 65535 })).toMatchObject({ "x-port": true, minimum: 1 });
    expect(markPortRanges({ type: "integer", minimum: 0, maximum: 100 })).toEqual({ type: "integer", minimum: 0, maximum: 100 });
  });
  it("a nullable field gets its inner schema's documentation", () => {
    const lifted = liftNullableDocumentation(object({ a: { anyOf: [{ type: "string", description: "A." }, { type: "null" }] } }));
    expect(lifted.properties!.a!.description).toBe("A.");
  });
});


describe("rule: mark every secret string", () => {
  it("marks a secret's string form but never the fields of a secret reference (OpenClaw's SecretRef)", async () => {
    const { markSecrets } = await import("../../generator/secrets.js");
    const ref = (source: string): JsonSchema => ({
      type: "object",
      properties: {
        source: { type: "string", const: source, "x-sensitive": true },
        provider: { type: "string", "x-sensitive": true },
        id: { type: "string", "x-sensitive": true },
      },
      required: ["source", "provider", "id"],
      additionalProperties: false,
    });
    const schema: JsonSchema = {
      type: "object",
      properties: {
        webhookSecret: { "x-sensitive": true, anyOf: [{ type: "string" }, { oneOf: [ref("env"), ref("file")] }] },
        // an object that only looks like one (no const source) is not a reference
        login: { type: "object", properties: { source: { type: "string" }, provider: { type: "string" }, id: { type: "string", "x-sensitive": true } } },
      },
    };
    const marked = markSecrets(schema) as any;
    const secret = marked.properties.webhookSecret;
    expect(secret.anyOf[0]["x-secret"]).toBe(true);
    for (const variant of secret.anyOf[1].oneOf) {
      for (const field of ["source", "provider", "id"]) expect(variant.properties[field]["x-secret"], field).toBeUndefined();
    }
    // not a reference: upstream's hint holds
    expect(marked.properties.login.properties.id["x-secret"]).toBe(true);
  });
});
