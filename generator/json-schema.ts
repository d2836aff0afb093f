// The subset of JSON Schema (draft 2020-12) that zod 4's `z.toJSONSchema` emits, plus the `x-` keys the
// generator reads: these are the input of `parse.ts`.

export interface JsonSchema {
  $schema?: string;
  $id?: string;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  title?: string;
  description?: string;
  type?: JsonType | JsonType[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema | false;
  prefixItems?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  default?: unknown;
  examples?: unknown[];
  readOnly?: boolean;
  /** Generator metadata (from zod `.meta()` in the service schema, or from upstream's uiHints). */
  "x-label"?: string;
  /** Upstream's uiHints (or, in the service schema, a file that holds a secret) mark the value sensitive. */
  "x-sensitive"?: boolean;
  /** A secret string (generator/secrets.ts): its Nix option also accepts `{ _secret = "/path"; }`. */
  "x-secret"?: boolean | "url";
  "x-port"?: boolean;
  "x-path"?: boolean;
  "x-platforms"?: ("nixos" | "home-manager" | "darwin")[];
  "x-computed-default"?: string;
  "x-upstream-default"?: unknown;
  /** The object has every field of this definition (`#/$defs/Name`) and more (normaliser). */
  "x-extends"?: string;
  [key: `x-${string}`]: unknown;
}

export type JsonType = "object" | "array" | "string" | "number" | "integer" | "boolean" | "null";

export const JSON_SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema";

/** One direct subschema of a schema node, and how it is reached. */
export interface SchemaChild {
  node: JsonSchema;
  /**
   * The path step to it: a property name, "*" (a record value), "[]" (an array item), or null (a variant of
   * anyOf/oneOf/allOf: the same place).
   */
  step: string | null;
  via: "property" | "additionalProperties" | "items" | "prefixItems" | "anyOf" | "oneOf" | "allOf";
  /** Puts another node at this place (normaliser rules that rewrite the tree). */
  replace: (node: JsonSchema) => void;
}

const VARIANT_LISTS = ["prefixItems", "anyOf", "oneOf", "allOf"] as const;

/**
 * A child as a class: its `replace` is made only when asked for (most walks only read), since a closure per
 * child of every node of every walk was a tenth of the generator's time (issue 20.5).
 */
class Child implements SchemaChild {
  constructor(
    readonly parent: JsonSchema,
    readonly node: JsonSchema,
    readonly step: string | null,
    readonly via: SchemaChild["via"],
    /** The property name or the index in the parent's list. */
    readonly key: string | number,
  ) {}
  get replace(): (node: JsonSchema) => void {
    return (n) => this.set(n);
  }
  set(n: JsonSchema): void {
    const { parent, via, key } = this;
    if (via === "property") parent.properties![key as string] = n;
    else if (via === "additionalProperties") parent.additionalProperties = n;
    else if (via === "items") parent.items = n;
    else parent[via]![key as number] = n;
  }
}

/**
 * THE list of a node's subschemas, in schema order: properties, additionalProperties, items, prefixItems,
 * anyOf, oneOf, allOf. Every walker of the generator (and the CLI) goes through it, so none can forget a
 * keyword. `$defs` are not children (they are no place in a value): walkers that need them visit
 * `definitionsOf(root)` as roots of their own.
 */
export function childrenOf(node: JsonSchema): SchemaChild[] {
  const out: Child[] = [];
  const properties = node.properties;
  if (properties) for (const name of Object.keys(properties)) out.push(new Child(node, properties[name]!, name, "property", name));
  if (typeof node.additionalProperties === "object") out.push(new Child(node, node.additionalProperties, "*", "additionalProperties", "*"));
  if (node.items) out.push(new Child(node, node.items, "[]", "items", "[]"));
  for (const via of VARIANT_LISTS) {
    const list = node[via];
    if (list) for (let i = 0; i < list.length; i++) out.push(new Child(node, list[i]!, via === "prefixItems" ? "[]" : null, via, i));
  }
  return out;
}

/** A copy of a node whose every child is `f(child)` (the node's containers copied, the rest shared). */
export function mapChildren(node: JsonSchema, f: (child: SchemaChild) => JsonSchema): JsonSchema {
  const out: JsonSchema = { ...node };
  if (node.properties) out.properties = { ...node.properties };
  for (const via of ["prefixItems", "anyOf", "oneOf", "allOf"] as const) if (node[via]) out[via] = [...node[via]!];
  for (const child of childrenOf(out) as Child[]) child.set(f(child));
  return out;
}

/**
 * mapChildren, copy on write: the node itself when `f` gives back every child as it is (the same object), else
 * the copy mapChildren makes. For rules that change few nodes: the rest of the tree is shared with their input,
 * not copied (each full copy of OpenClaw's schema cost tens of milliseconds, and their garbage more: issue 20.5).
 * A rule built on it must not change a node in place (the node may be its input's).
 */
export function mapChildrenIfChanged(node: JsonSchema, f: (child: SchemaChild) => JsonSchema): JsonSchema {
  const children = childrenOf(node);
  let mapped: JsonSchema[] | undefined;
  for (let i = 0; i < children.length; i++) {
    const result = f(children[i]!);
    if (mapped) mapped.push(result);
    else if (result !== children[i]!.node) {
      mapped = children.slice(0, i).map((child) => child.node);
      mapped.push(result);
    }
  }
  if (!mapped) return node;
  let i = 0;
  return mapChildren(node, () => mapped[i++]!);
}

/**
 * A deep copy as a tree: a node given at two places (a zod schema reused) becomes two nodes, so text attached at
 * one place stays there. The copy a JSON round trip makes (an undefined or function value left out of an
 * object, null in an array; a non-finite number null; schemas are plain data, no toJSON), made directly (a few
 * times faster once warm, issue 20.5).
 */
export function copyAsTree(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return typeof value === "number" && !Number.isFinite(value) ? null : value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      out[i] = item === undefined || typeof item === "function" || typeof item === "symbol" ? null : copyAsTree(item);
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined || typeof item === "function" || typeof item === "symbol") continue;
    if (key === "__proto__") Object.defineProperty(out, key, { value: copyAsTree(item), enumerable: true, writable: true, configurable: true });
    else out[key] = copyAsTree(item);
  }
  return out;
}

/** The named definitions of a root schema, each a root of its own for walkers ([name, body]). */
export const definitionsOf = (root: JsonSchema): [string, JsonSchema][] => Object.entries(root.$defs ?? {});

/**
 * Visits every subschema of the tree with its schema path ("*" = record value, "[]" = array item); `$ref`s are
 * not followed and `$defs` not visited.
 */
export function walkSchema(
  schema: JsonSchema,
  visit: (node: JsonSchema, path: string[]) => void,
  path: string[] = [],
): void {
  visit(schema, path);
  for (const child of childrenOf(schema)) walkSchema(child.node, visit, child.step === null ? path : [...path, child.step]);
}

/**
 * The dotted leaf paths of a schema: every place that holds a value with no declared fields below it
 * (a scalar, an enum, a list or record of scalars…). Containers of objects are descended into ("[]" = an
 * array item, "*" = a record value). Used to prove that the generated options cover every upstream leaf.
 */
export function leafPaths(schema: JsonSchema): Set<string> {
  const leaves = new Set<string>();
  const resolve = (node: JsonSchema): JsonSchema => {
    if (!node.$ref) return node;
    const target = schema.$defs?.[node.$ref.replace(/^#\/\$defs\//, "")];
    if (!target) throw new Error(`unresolved ${node.$ref}`);
    return target;
  };
  // `stack`: the nodes being looked into (a recursive schema's own node below it is a cycle); one set each
  // walk, a node added on the way down and removed on the way back (not a copy of the set at every node)
  const memo = new Map<JsonSchema, boolean>();
  const containsFields = (raw: JsonSchema, stack: Set<JsonSchema>): boolean => {
    const node = resolve(raw);
    if (memo.has(node)) return memo.get(node)!;
    if (stack.has(node)) return true;
    stack.add(node);
    const result =
      Object.keys(node.properties ?? {}).length > 0 || childrenOf(node).some((child) => containsFields(child.node, stack));
    stack.delete(node);
    memo.set(node, result);
    return result;
  };
  const fresh = new Set<JsonSchema>(); // (empty again after every containsFields)
  const stack = new Set<JsonSchema>();
  const visit = (raw: JsonSchema, path: string[]): void => {
    const node = resolve(raw);
    if (stack.has(node)) return; // recursion: the leaves below were counted once
    const variants = childrenOf(node).filter((child) => child.step === null);
    const holdsScalar = !containsFields(node, fresh) || variants.some((v) => !containsFields(v.node, fresh));
    if (holdsScalar && path.length > 0) leaves.add(path.join("."));
    stack.add(node);
    for (const child of childrenOf(node)) {
      const step = child.step === null ? path : [...path, child.step];
      if (child.via === "property" || containsFields(child.node, fresh)) visit(child.node, step);
    }
    stack.delete(node);
  };
  visit(schema, []);
  return leaves;
}

/** The constant a schema fixes a value to (`const`, or a one-value `enum` after normalisation), if any. */
const constantOf = (node: JsonSchema | undefined): unknown =>
  node?.const !== undefined ? node.const : node?.enum?.length === 1 ? node.enum[0] : undefined;

/**
 * The property that tells a union's variants apart (a discriminator): every variant an object — seen through
 * `$ref`s, since hoisting has made the shared ones references — that requires the property and fixes it to a
 * string constant, a different one each. Undefined when there is none.
 */
export function discriminatorOf(variants: JsonSchema[], resolve: (node: JsonSchema) => JsonSchema): string | undefined {
  if (variants.length < 2) return undefined;
  // A variant that is itself a union of objects fixing the property to one constant (OpenClaw's exec secret
  // provider: by command or by plugin integration) counts as one variant with that constant.
  const members = (v: JsonSchema): JsonSchema[] => {
    const r = resolve(v);
    return r.type === undefined && (r.anyOf ?? r.oneOf) ? (r.anyOf ?? r.oneOf)!.flatMap(members) : [r];
  };
  const objects = variants.map(members);
  if (!objects.every((vs) => vs.every((v) => v.type === "object" && v.properties))) return undefined;
  const constantIn = (vs: JsonSchema[], key: string): unknown => {
    const cs = vs.map((v) => (v.required?.includes(key) ? constantOf(v.properties?.[key]) : undefined));
    return cs.every((c) => c === cs[0]) ? cs[0] : undefined;
  };
  return Object.keys(objects[0]![0]!.properties!).find((key) => {
    const values = objects.map((vs) => constantIn(vs, key));
    return values.every((value) => typeof value === "string") && new Set(values).size === values.length;
  });
}

/** How a union's variant is told apart from the others when the union has no tag (`recognitionOf`). */
export interface Recognition {
  /** The value has this key: one only this variant declares and requires (or, with `value`, requires to be it). */
  key: string;
  value?: string;
}

/**
 * How to tell a union's object variants apart without one tag they all fix (OpenClaw's `channels.twitch`: one
 * account's keys or `accounts`; `bindings.[]`: `type = "acp"` or a route, whose `type` may be left out; the exec
 * secret provider: `command` or `pluginIntegration`). For each variant, the first of: a key it requires that no
 * other variant declares (its closed object refuses it), or a key it requires to be a string constant that every
 * other variant declaring it fixes to another one. At most one variant may have neither: it takes what no other
 * recognises. Undefined when the variants are not all objects, or two cannot be told apart this way.
 */
export function recognitionOf(variants: JsonSchema[], resolve: (node: JsonSchema) => JsonSchema): (Recognition | null)[] | undefined {
  if (variants.length < 2) return undefined;
  const objects = variants.map(resolve);
  if (!objects.every((v) => v.type === "object" && v.properties)) return undefined;
  const declares = (v: JsonSchema, key: string): boolean => v.properties?.[key] !== undefined;
  const tests = objects.map((v, i): Recognition | null => {
    const others = objects.filter((_, j) => j !== i);
    const required = v.required ?? [];
    const own = required.find((key) => others.every((o) => !declares(o, key)));
    if (own !== undefined) return { key: own };
    const fixed = required.find((key) => {
      const value = constantOf(v.properties?.[key]);
      return typeof value === "string" && others.every((o) => !declares(o, key) || (constantOf(o.properties![key]) !== undefined && constantOf(o.properties![key]) !== value));
    });
    return fixed === undefined ? null : { key: fixed, value: constantOf(v.properties![fixed]) as string };
  });
  return tests.filter((t) => t === null).length <= 1 ? tests : undefined;
}

/** A `$ref` resolver over a root schema's `$defs` (other nodes are returned as they are). */
export function resolverOf(root: JsonSchema): (node: JsonSchema) => JsonSchema {
  return (node) => {
    if (!node.$ref) return node;
    const target = root.$defs?.[node.$ref.replace(/^#\/\$defs\//, "")];
    if (!target) throw new Error(`unresolved ${node.$ref}`);
    return target;
  };
}
