// The conformance sampler (./samples.ts) on the schema shapes it once got wrong: each makes a valid sample the
// schema itself accepts for every leaf and union variant. Before, each of these was dropped as "a sample the
// schema itself refused" (OpenClaw: 14 leaves and 3 variants never compared): draft-07 tuples (json-schema-faker
// 0.6 knows only `prefixItems` and made `[null, null]`), arrays with `minItems` made `[null]` (its `refDepth`),
// a property named `definitions` (dropped with the keyword), an `allOf` of patterns, `if`/`then` requirements.
import { describe, expect, it } from "vitest";
import { makeSamples, type Schema } from "./samples.js";

const draft07 = (properties: Schema): Schema => ({ $schema: "http://json-schema.org/draft-07/schema#", type: "object", properties });

const CASES: Record<string, { schema: Schema; leaves: string[]; check?: (value: unknown, path: string) => void }> = {
  "a draft-07 tuple (items: [ … ], additionalItems: false) and its sibling": {
    // OpenClaw's models.providers.*.models.[].cost.tieredPricing.[]
    schema: draft07({
      tier: {
        type: "object",
        properties: {
          input: { type: "number" },
          range: {
            anyOf: [
              { type: "array", items: [{ type: "number" }, { type: "number" }], additionalItems: false, minItems: 2, maxItems: 2 },
              { type: "array", items: [{ type: "number" }], additionalItems: false, minItems: 1, maxItems: 1 },
            ],
          },
        },
        required: ["input", "range"],
      },
    }),
    leaves: ["tier.input", "tier.range"],
  },
  "a required list with minItems beside the sampled key": {
    // the imap plugin's addressTokens.[]: { token, senders (minItems 1) }
    schema: draft07({
      tokens: {
        type: "array",
        items: {
          type: "object",
          additionalProperties: false,
          properties: { token: { type: "string", minLength: 1 }, senders: { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 } },
          required: ["token", "senders"],
        },
      },
    }),
    leaves: ["tokens.[].token", "tokens.[].senders.[]"],
  },
  "a property named definitions": {
    // gateway.roles: { default, definitions } (both required)
    schema: draft07({
      roles: {
        type: "object",
        properties: {
          default: { type: "string", minLength: 1 },
          definitions: { type: "object", additionalProperties: { type: "object", properties: { sessions: { type: "string", enum: ["none", "view"] } } } },
        },
        required: ["default", "definitions"],
      },
    }),
    leaves: ["roles.default", "roles.definitions.*.sessions"],
  },
  "an allOf of patterns": {
    // ui.prefs.accent
    schema: draft07({
      accent: {
        anyOf: [
          { type: "string", const: "theme" },
          { type: "string", format: "starts_with", allOf: [{ type: "string", pattern: "^#?[0-9a-fA-F]{6}$" }, { type: "string", pattern: "^#.*" }] },
        ],
      },
    }),
    leaves: ["accent"],
  },
  "keys required by if/then": {
    // the onepassword plugin's config: vault needs items, items needs vault
    schema: draft07({
      config: {
        type: "object",
        additionalProperties: false,
        allOf: [
          { if: { required: ["vault"] }, then: { required: ["items"] } },
          { if: { required: ["items"] }, then: { required: ["vault"] } },
        ],
        properties: {
          vault: { type: "string", minLength: 1 },
          items: {
            type: "object",
            minProperties: 1,
            propertyNames: { pattern: "^[a-z0-9][a-z0-9-]{0,63}$" },
            additionalProperties: { type: "object", additionalProperties: false, required: ["item"], properties: { item: { type: "string", minLength: 1 }, field: { type: "string", pattern: "^[^,]+$" } } },
          },
        },
      },
    }),
    leaves: ["config.vault", "config.items.*.item", "config.items.*.field"],
  },
};

describe("the conformance sampler", () => {
  it.each(Object.keys(CASES))("%s: a valid sample the schema accepts for every leaf and variant", (name) => {
    const { schema, leaves } = CASES[name]!;
    const set = makeSamples({ schema });
    expect(set.leaves).toEqual(expect.arrayContaining(leaves));
    expect(set.unsampled).toEqual([]);
    expect(set.rejectedBySchema.filter((r) => r.expect === "valid")).toEqual([]);
    // each leaf and each variant has its valid sample
    const sampled = new Set(set.samples.filter((s) => s.expect === "valid").map((s) => s.key));
    expect([...set.leaves, ...set.variants].filter((k) => !sampled.has(k))).toEqual([]);
  });

  it("a tuple's sample is the tuple: numbers, as many as it has places", () => {
    const set = makeSamples({ schema: CASES["a draft-07 tuple (items: [ … ], additionalItems: false) and its sibling"]!.schema });
    const range = set.samples.filter((s) => s.key.startsWith("tier.range#") && s.expect === "valid");
    expect(range.map((s) => (s.value as number[]).length).sort()).toEqual([1, 2]);
    for (const s of range) expect((s.value as unknown[]).every((n) => typeof n === "number")).toBe(true);
  });
});
