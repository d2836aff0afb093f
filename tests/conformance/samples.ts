// Samples for the conformance test (./conformance.test.ts): for every leaf and every union variant of a gateway's
// upstream JSON schema, a valid value generated from the schema (json-schema-faker, seeded; strings with a
// `pattern` from the JavaScript pattern itself, by randexp), and for every leaf the invalid values the schema
// refuses (wrong type, a fraction for an integer, out of range, too short / too long, a string the pattern does
// not match, a value outside an enum). Each is embedded in a minimal valid config: `gateway.mode = "local"`, the
// sample at its path, the required siblings of every object on the way generated from the schema. Every sample
// is checked against the schema itself with ajv: a "valid" sample the schema refuses, or an "invalid" one it
// accepts, is the sampler's fault and is reported as such (never counted as an agreement).
//
// Deterministic: every value comes from a PRNG seeded by the seed and the sample's path and purpose.
import Ajv from "ajv";
import Ajv2020 from "ajv/dist/2020.js";
import { generateSync } from "json-schema-faker";
import * as randexpModule from "randexp";

// randexp is CommonJS with a typed default export: the class, however the loader hands it over
interface RandExpInstance {
  max: number;
  gen(): string;
}
type RandExpClass = new (source: string) => RandExpInstance;
const RandExp: RandExpClass = ((randexpModule as any).default?.default ?? (randexpModule as any).default ?? randexpModule) as RandExpClass;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Schema = { [key: string]: any };

export interface Sample {
  id: number;
  /** "leaf": a value at a leaf path; "variant": a union's branch. */
  kind: "leaf" | "variant";
  /** Dotted path with `*` (any key of a record) and `[]` (any list element). */
  path: string;
  /** For variants: `path#index`. */
  key: string;
  expect: "valid" | "invalid";
  /** What the sample is: "string", "wrong type (number)", "out of range (maximum 65535 + 1)" … */
  what: string;
  value: Json;
  config: { [key: string]: Json };
}

export interface SampleSet {
  samples: Sample[];
  /** Every leaf path, and every union variant (`path#index`). */
  leaves: string[];
  variants: string[];
  /** Leaves or variants no valid sample could be made for, with why. */
  unsampled: { key: string; why: string }[];
  /** Samples the schema itself (ajv) disagrees with: the sampler's fault, dropped from `samples`. */
  rejectedBySchema: { key: string; expect: string; what: string; value: Json; errors: string }[];
}

// ---------------------------------------------------------------------------------------------------------------
// A seeded PRNG (mulberry32), one per purpose: the same path and purpose always give the same value.

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// $ref: OpenClaw's plugin config schemas are documents of their own inside the big one (`$defs` next to a
// `$schema`), their `#/$defs/…` relative to that document. Inline every reference (none is recursive here; a
// cycle would be cut at its second occurrence with `{}`).

export function derefSchema(root: Schema): Schema {
  const walk = (node: any, doc: any, stack: string[]): any => {
    if (Array.isArray(node)) return node.map((n) => walk(n, doc, stack));
    if (!node || typeof node !== "object") return node;
    const here = node.$defs || node.definitions || node.$schema ? node : doc;
    if (typeof node.$ref === "string") {
      const ref = node.$ref as string;
      if (!ref.startsWith("#/")) throw new Error(`unsupported $ref ${ref}`);
      if (stack.includes(ref)) return {};
      let target: any = here;
      for (const part of ref.slice(2).split("/")) target = target?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
      if (!target) throw new Error(`unresolved $ref ${ref}`);
      const { $ref: _, ...rest } = node;
      return walk({ ...target, ...rest }, here, [...stack, ref]);
    }
    const out: any = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === "$defs" || k === "definitions") continue;
      // the children of `properties` are named by the config's keys (a key may be called `definitions`:
      // gateway.roles.definitions), not by keywords
      if (k === "properties" && v && typeof v === "object" && !Array.isArray(v)) {
        out[k] = Object.fromEntries(Object.entries(v).map(([name, child]) => [name, walk(child, here, stack)]));
        continue;
      }
      out[k] = k === "enum" || k === "const" || k === "default" || k === "examples" ? v : walk(v, here, stack);
    }
    return out;
  };
  return walk(root, root, []);
}

// ---------------------------------------------------------------------------------------------------------------
// Values from the schema.

const PATTERN_TRIES = 40;

/** A string the JavaScript pattern matches, made from the pattern (randexp), within min/maxLength. */
function patternString(schema: Schema, random: () => number): string | undefined {
  const re = new RegExp(schema.pattern, "u");
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? Infinity;
  const ok = (s: string) => re.test(s) && [...s].length >= min && [...s].length <= max;
  let source = schema.pattern as string;
  // randexp does not know Unicode property escapes: a printable stand-in for the classes the schemas use.
  source = source.replace(/\\p\{(Cs|Cc)\}/g, "\\u0000-\\u001f");
  for (let i = 0; i < PATTERN_TRIES; i++) {
    let gen: RandExpInstance;
    try {
      gen = new RandExp(source);
    } catch {
      break;
    }
    gen.max = 6 + (i % 6);
    (gen as unknown as { randInt(a: number, b: number): number }).randInt = (a: number, b: number) => a + Math.floor(random() * (b - a + 1));
    // printable ASCII only: a sample is also a Nix string and an argument on a command line
    const range = (gen as unknown as { defaultRange: { subtract(a: number, b: number): void } }).defaultRange;
    range.subtract(0, 31);
    range.subtract(127, 0x10ffff);
    let s = gen.gen();
    // an unanchored pattern (`\S`, `^https?:\/\/`) says nothing about the rest: keep what was made
    if (min > [...s].length) s = s + "a".repeat(min - [...s].length);
    if (ok(s)) return s;
  }
  return undefined;
}

// No `refDepth`: the schema has no `$ref` left (derefSchema), and json-schema-faker 0.6 reads a `refDepth` of 1 as
// "the reference depth is reached" at every array, which it then fills with `null` (`[null]` for `minItems: 1`).
function fake(schema: Schema, random: () => number): Json {
  const value = generateSync(prepareForFaker(schema, random) as any, {
    seed: Math.floor(random() * 2 ** 31),
    optionalsProbability: 0,
    maxDepth: 6,
    maxItems: 2,
  } as any) as Json;
  return value;
}

/** The patterns a string node with an `allOf` of patterned strings must match: its own and theirs (else undefined). */
function allOfPatterns(schema: Schema): string[] | undefined {
  if (schema.type !== "string" && schema.type !== undefined) return undefined;
  const parts: Schema[] = Array.isArray(schema.allOf) ? schema.allOf : [];
  if (parts.length === 0) return undefined;
  if (!parts.every((p) => p && typeof p === "object" && (p.type === "string" || p.type === undefined) && Object.keys(p).every((k) => ["type", "pattern", "minLength", "maxLength"].includes(k)))) return undefined;
  const patterns = [schema.pattern, ...parts.map((p) => p.pattern)].filter((p): p is string => typeof p === "string");
  return patterns.length > 0 ? patterns : undefined;
}

/** A string every pattern matches: made from each pattern in turn (randexp), kept if all of them match it. */
function patternsString(schema: Schema, patterns: string[], random: () => number): string | undefined {
  const parts: Schema[] = Array.isArray(schema.allOf) ? schema.allOf : [];
  const minLength = Math.max(schema.minLength ?? 0, ...parts.map((p) => p.minLength ?? 0));
  const maxLength = Math.min(schema.maxLength ?? Infinity, ...parts.map((p) => p.maxLength ?? Infinity));
  const res = patterns.map((p) => new RegExp(p, "u"));
  for (const pattern of patterns) {
    for (let i = 0; i < 4; i++) {
      const s = patternString({ pattern, minLength, ...(maxLength < Infinity ? { maxLength } : {}) }, random);
      if (s !== undefined && res.every((re) => re.test(s))) return s;
    }
  }
  return undefined;
}

/**
 * The schema as json-schema-faker 0.6 can sample it: every patterned string (also an `allOf` of patterns) a `const`
 * made by randexp (json-schema-faker has its own pattern engine, and merges an allOf of patterns into the last one),
 * and draft-07 tuples (`items: [ … ]`, `additionalItems`) in the 2020-12 form it knows (`prefixItems`, `items`):
 * it reads an `items` list as the schema of every item and makes `[null, null]`.
 */
function prepareForFaker(schema: any, random: () => number): any {
  if (Array.isArray(schema)) return schema.map((s) => prepareForFaker(s, random));
  if (!schema || typeof schema !== "object") return schema;
  const patterns = allOfPatterns(schema);
  if (patterns) {
    const s = patternsString(schema, patterns, random);
    if (s !== undefined) return { type: "string", const: s };
  } else if (typeof schema.pattern === "string" && (schema.type === "string" || schema.type === undefined)) {
    const s = patternString(schema, random);
    if (s !== undefined) return { type: "string", const: s };
  }
  const out: any = {};
  for (const [k, v] of Object.entries(schema)) out[k] = k === "enum" || k === "const" || k === "default" || k === "examples" ? v : prepareForFaker(v, random);
  if (Array.isArray(out.items)) {
    out.prefixItems = out.items;
    if (out.additionalItems === undefined || out.additionalItems === true) delete out.items;
    else out.items = out.additionalItems;
    delete out.additionalItems;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The walk: leaves, unions and the way from the root to each.

type Step =
  | { kind: "prop"; key: string; parent: Schema }
  | { kind: "record"; parent: Schema; recordKey: Schema | undefined }
  | { kind: "item"; parent: Schema };

const segment = (step: Step): string => (step.kind === "prop" ? step.key : step.kind === "record" ? "*" : "[]");
const pathOf = (steps: Step[]): string => steps.map(segment).join(".");

const unionOf = (s: Schema): Schema[] | undefined => s.anyOf ?? s.oneOf;
const isObjectNode = (s: Schema): boolean =>
  (s.type === "object" || (s.type === undefined && (s.properties || (s.additionalProperties && typeof s.additionalProperties === "object")))) &&
  (Object.keys(s.properties ?? {}).length > 0 || (typeof s.additionalProperties === "object" && s.additionalProperties !== null && Object.keys(s.additionalProperties).length > 0));
const isArrayNode = (s: Schema): boolean => s.type === "array" && s.items && typeof s.items === "object" && !Array.isArray(s.items);

interface Found {
  leaves: Map<string, { steps: Step[]; schema: Schema }[]>;
  unions: Map<string, { steps: Step[]; schema: Schema; variants: Schema[] }>;
  /** Every path's own node (the union itself at a union), for the invalid samples. */
  nodes: Map<string, { steps: Step[]; schema: Schema }>;
}

function walk(root: Schema): Found {
  const found: Found = { leaves: new Map(), unions: new Map(), nodes: new Map() };
  const visit = (schema: Schema, steps: Step[], inUnion: boolean): void => {
    const path = pathOf(steps);
    if (!inUnion && steps.length > 0 && !found.nodes.has(path)) found.nodes.set(path, { steps, schema });
    const variants = unionOf(schema);
    if (variants) {
      if (!found.unions.has(path)) found.unions.set(path, { steps, schema, variants });
      for (const v of variants) visit(v, steps, true);
      return;
    }
    if (isObjectNode(schema)) {
      for (const [key, child] of Object.entries(schema.properties ?? {})) visit(child as Schema, [...steps, { kind: "prop", key, parent: schema }], false);
      const ap = schema.additionalProperties;
      if (ap && typeof ap === "object" && Object.keys(ap).length > 0) visit(ap, [...steps, { kind: "record", parent: schema, recordKey: schema.propertyNames }], false);
      return;
    }
    if (isArrayNode(schema)) {
      visit(schema.items, [...steps, { kind: "item", parent: schema }], false);
      return;
    }
    if (steps.length === 0) return;
    const list = found.leaves.get(path) ?? [];
    list.push({ steps, schema });
    found.leaves.set(path, list);
  };
  visit(root, [], false);
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Embedding a value at a path.

function recordKeyFor(step: Extract<Step, { kind: "record" }>, random: () => number): string {
  const names = step.recordKey;
  if (names) {
    if (Array.isArray(names.enum) && names.enum.length > 0) return String(names.enum[0]);
    if (typeof names.const === "string") return names.const;
    if (typeof names.pattern === "string") {
      const s = patternString({ ...names, minLength: Math.max(names.minLength ?? 1, 1) }, random);
      if (s !== undefined) return s;
    }
  }
  return "sample";
}

/** An object's `if: { required } → then: { required }` rules (the plugins' "a needs b" in their config schemas). */
function conditionalRequired(schema: Schema): { when: string[]; then: string[] }[] {
  const rules = [schema, ...(Array.isArray(schema.allOf) ? schema.allOf : [])].filter((r) => r && typeof r === "object" && r.if && r.then);
  return rules
    .filter((r) => Array.isArray(r.if.required) && Object.keys(r.if).every((k) => k === "required") && Array.isArray(r.then.required))
    .map((r) => ({ when: r.if.required as string[], then: r.then.required as string[] }));
}

function embed(steps: Step[], value: Json, random: () => number): { [key: string]: Json } {
  let current: Json = value;
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]!;
    if (step.kind === "item") {
      current = Array.from({ length: Math.max(1, step.parent.minItems ?? 1) }, () => current);
      continue;
    }
    const key = step.kind === "prop" ? step.key : recordKeyFor(step, random);
    const obj: { [key: string]: Json } = {};
    const fill = (required: string): void => {
      if (required === key || required in obj) return;
      const child = step.parent.properties?.[required];
      if (child) obj[required] = fake(child, random);
    };
    for (const required of step.parent.required ?? []) fill(required);
    obj[key] = current;
    // keys required when others are present (`allOf: [{ if: { required: [a] }, then: { required: [b] } }]`),
    // until nothing more is added
    for (let added = true; added; ) {
      const before = Object.keys(obj).length;
      for (const { when, then } of conditionalRequired(step.parent)) if (when.every((k) => k in obj)) then.forEach(fill);
      added = Object.keys(obj).length > before;
    }
    current = obj;
  }
  const config = current as { [key: string]: Json };
  const gateway = config.gateway;
  if (gateway === undefined) config.gateway = { mode: "local" };
  else if (gateway && typeof gateway === "object" && !Array.isArray(gateway) && !("mode" in gateway)) config.gateway = { mode: "local", ...gateway };
  return config;
}

// ---------------------------------------------------------------------------------------------------------------
// Invalid values for a path's node.

type JsonType = "string" | "number" | "integer" | "boolean" | "object" | "array" | "null";

/** The JSON types a node accepts (`undefined`: anything). */
function acceptedTypes(s: Schema): Set<JsonType> | undefined {
  const variants = unionOf(s);
  if (variants) {
    const all = new Set<JsonType>();
    for (const v of variants) {
      const t = acceptedTypes(v);
      if (!t) return undefined;
      t.forEach((x) => all.add(x));
    }
    return all;
  }
  const typeOf = (v: unknown): JsonType => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v === "number" ? (Number.isInteger(v) ? "integer" : "number") : (typeof v as JsonType));
  if (s.const !== undefined) return new Set([typeOf(s.const)]);
  if (Array.isArray(s.enum)) return new Set(s.enum.map(typeOf));
  if (s.type === undefined) return s.not || s.allOf ? undefined : Object.keys(s).some((k) => ["properties", "additionalProperties"].includes(k)) ? new Set(["object"]) : undefined;
  const types = new Set<JsonType>(Array.isArray(s.type) ? s.type : [s.type]);
  if (types.has("number")) types.add("integer");
  return types;
}

/** Numeric and string constraints of every branch, for out-of-range and length candidates. */
function branches(s: Schema): Schema[] {
  const variants = unionOf(s);
  return variants ? variants.flatMap(branches) : [s];
}

function invalidCandidates(s: Schema): { what: string; value: Json }[] {
  const types = acceptedTypes(s);
  if (!types) return [];
  const out: { what: string; value: Json }[] = [];
  if (!types.has("string")) out.push({ what: "wrong type (string)", value: "not-a-valid-value" });
  else if (!types.has("integer")) out.push({ what: "wrong type (number)", value: 12345 });
  else if (!types.has("boolean")) out.push({ what: "wrong type (boolean)", value: true });
  else if (!types.has("array")) out.push({ what: "wrong type (list)", value: ["x"] });
  if (types.has("integer") && !types.has("number")) out.push({ what: "fraction for an integer", value: 1.5 });
  for (const b of branches(s)) {
    if (b.type === "integer" || b.type === "number") {
      const step = b.type === "integer" ? 1 : 0.5;
      if (typeof b.maximum === "number") out.push({ what: `out of range (maximum ${b.maximum} + ${step})`, value: b.maximum + step });
      if (typeof b.exclusiveMaximum === "number") out.push({ what: `out of range (exclusiveMaximum ${b.exclusiveMaximum})`, value: b.exclusiveMaximum });
      if (typeof b.minimum === "number") out.push({ what: `out of range (minimum ${b.minimum} - ${step})`, value: b.minimum - step });
      if (typeof b.exclusiveMinimum === "number") out.push({ what: `out of range (exclusiveMinimum ${b.exclusiveMinimum})`, value: b.exclusiveMinimum });
    }
    if (b.type === "string") {
      if (typeof b.minLength === "number" && b.minLength > 0) out.push({ what: `too short (minLength ${b.minLength})`, value: "x".repeat(b.minLength - 1) });
      if (typeof b.maxLength === "number" && b.maxLength < 5000) out.push({ what: `too long (maxLength ${b.maxLength})`, value: "x".repeat(b.maxLength + 1) });
      if (typeof b.pattern === "string") {
        const re = new RegExp(b.pattern, "u");
        const miss = ["", " ", "!", "UPPER lower", "-x", "x y", "//", "0"].find((c) => !re.test(c));
        if (miss !== undefined) out.push({ what: `not matching the pattern ${b.pattern}`, value: miss });
      }
    }
  }
  const stringBranches = branches(s).filter((b) => b.type === "string" || typeof b.const === "string" || (Array.isArray(b.enum) && b.enum.some((e: unknown) => typeof e === "string")));
  if (stringBranches.length > 0 && stringBranches.every((b) => b.const !== undefined || Array.isArray(b.enum))) out.push({ what: "value outside the enum", value: "not-a-listed-value" });
  // one per "what"
  const seen = new Set<string>();
  return out.filter((c) => (seen.has(c.what) ? false : (seen.add(c.what), true)));
}

// ---------------------------------------------------------------------------------------------------------------

export interface MakeOptions {
  /** The schema as committed (draft-07 for OpenClaw, 2020-12 for Clawdbot). */
  schema: Schema;
  seed?: number;
}

const ajvFor = (schema: Schema) => {
  const A: any = String(schema.$schema ?? "").includes("2020-12") ? ((Ajv2020 as any).default ?? Ajv2020) : ((Ajv as any).default ?? Ajv);
  return new A({ strict: false, allErrors: false, validateFormats: false, unicodeRegExp: true, validateSchema: false });
};

/** Every sample of a schema (deterministic for a seed). */
export function makeSamples({ schema, seed = 20260906 }: MakeOptions): SampleSet {
  const root = derefSchema(schema);
  const found = walk(root);
  const ajv = ajvFor(schema);
  const whole = ajv.compile(root);
  const set: SampleSet = { samples: [], leaves: [...found.leaves.keys()], variants: [], unsampled: [], rejectedBySchema: [] };
  const add = (s: Omit<Sample, "id">, _node: Schema): void => {
    // the whole config against the whole schema (one compiled validator: compiling each path's node costs more)
    const valid = whole(s.config) as boolean;
    if ((s.expect === "valid") !== valid) {
      set.rejectedBySchema.push({ key: s.key, expect: s.expect, what: s.what, value: s.value, errors: valid ? "the schema accepts it (another branch of a union, or no constraint of the kind)" : JSON.stringify((whole as any).errors?.slice(0, 2)) });
      return;
    }
    set.samples.push({ id: set.samples.length, ...s });
  };
  const describe = (node: Schema): string => {
    const t = node.const !== undefined ? "const" : Array.isArray(node.enum) ? "enum" : Array.isArray(node.type) ? node.type.join("|") : String(node.type ?? "any");
    return node.pattern ? `${t} matching ${node.pattern}` : t;
  };
  const validValue = (node: Schema, random: () => number): Json | undefined => {
    if (node.type === "string" && typeof node.pattern === "string") return patternString(node, random);
    try {
      return fake(node, random);
    } catch {
      return undefined;
    }
  };

  for (const [path, occurrences] of found.leaves) {
    occurrences.forEach(({ steps, schema: node }, i) => {
      const random = prng(seed ^ hash(`leaf:${path}:${i}`));
      const value = validValue(node, random);
      if (value === undefined) {
        set.unsampled.push({ key: path, why: `no value for ${describe(node)}` });
        return;
      }
      add({ kind: "leaf", path, key: path, expect: "valid", what: describe(node), value, config: embed(steps, value, random) }, node);
    });
  }
  for (const [path, union] of found.unions) {
    union.variants.forEach((variant, i) => {
      const key = `${path}#${i}`;
      set.variants.push(key);
      const random = prng(seed ^ hash(`variant:${key}`));
      const value = validValue(variant, random);
      if (value === undefined) {
        set.unsampled.push({ key, why: `no value for ${describe(variant)}` });
        return;
      }
      add({ kind: "variant", path, key, expect: "valid", what: `variant ${i}: ${describe(variant)}`, value, config: embed(union.steps, value, random) }, variant);
    });
  }
  // invalid values, per leaf path, against the path's own node (the union when the leaf is a branch of one)
  for (const path of found.leaves.keys()) {
    const node = found.nodes.get(path);
    if (!node) continue;
    for (const { what, value } of invalidCandidates(node.schema)) {
      const random = prng(seed ^ hash(`invalid:${path}:${what}`));
      add({ kind: "leaf", path, key: path, expect: "invalid", what, value, config: embed(node.steps, value, random) }, node.schema);
    }
  }
  return set;
}

// ---------------------------------------------------------------------------------------------------------------
// Run as a program (`tsx tests/conformance/samples.ts SCHEMA OUT`): the tests make the samples in a child process
// (about 20 s for OpenClaw's schema: a vitest worker must not block that long) and keep them by content.
if (process.argv[1] && import.meta.url === (await import("node:url")).pathToFileURL(process.argv[1]).href) {
  const { readFileSync, writeFileSync } = await import("node:fs");
  const [schemaFile, out] = process.argv.slice(2);
  writeFileSync(out!, JSON.stringify(makeSamples({ schema: JSON.parse(readFileSync(schemaFile!, "utf8")) })));
}
