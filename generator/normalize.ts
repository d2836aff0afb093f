// Normalisation passes over a JSON schema, before it is parsed into the IR. Each rule is named by what it does;
// NORMALISATION at the end of this file lists them all in the order they run.
import { childrenOf, definitionsOf, discriminatorOf, mapChildren, resolverOf, walkSchema, type JsonSchema } from "./json-schema.js";
import { isSecretReference, markSecrets } from "./secrets.js";

/** One entry of upstream's `uiHints` (from `buildConfigSchema()` in dist/config/schema.js). */
export interface UiHint {
  label?: string;
  help?: string;
  group?: string;
  order?: number;
  sensitive?: boolean;
  placeholder?: string;
}

export type UiHints = Record<string, UiHint>;

const clone = <T>(value: T): T => structuredClone(value);

const joinDistinct = (existing: string | undefined, added: string, separator: string): string =>
  existing && existing !== added ? `${existing}${separator}${added}` : added;

/** Does a hint key ("agents.list[].tools.profile", "plugins.entries.*.enabled") name this schema path? */
const segmentCache = new Map<string, string[]>();
function hintSegments(hintKey: string): string[] {
  let segments = segmentCache.get(hintKey);
  if (!segments) {
    segments = hintKey.replace(/\[\]/g, ".[]").split(".").filter((s) => s !== "");
    segmentCache.set(hintKey, segments);
  }
  return segments;
}

export function hintMatches(hintKey: string, path: string[]): boolean {
  const pattern = hintSegments(hintKey);
  if (pattern.length !== path.length) return false;
  return pattern.every((segment, i) => {
    const actual = path[i]!;
    if (segment === "*") return actual === "*" || actual === "[]";
    return segment === actual;
  });
}

export interface HintReport {
  /** Hint keys that matched no schema path (stale upstream hints). */
  unmatched: string[];
  /** Number of schema nodes that received at least one hint. */
  annotated: number;
}

/**
 * Rule "Attach upstream uiHints to the schema nodes they name": `label` → `x-label`, `help` → `description`,
 * `placeholder` → `examples`, `sensitive` → `x-sensitive`; a `default` becomes `x-upstream-default` (the gateway
 * applies it; the option itself defaults to null).
 */
export function attachHints(schema: JsonSchema, hints: UiHints): { schema: JsonSchema; report: HintReport } {
  const result = clone(schema);
  const matched = new Set<string>();
  let annotated = 0;
  // Hints grouped by path length: a node is only compared with hints that could name it.
  const byLength = new Map<number, [string, UiHint][]>();
  for (const [key, hint] of Object.entries({ ...hints, ...accountHints(schema, hints) })) {
    const length = hintSegments(key).length;
    byLength.set(length, [...(byLength.get(length) ?? []), [key, hint]]);
  }
  // Hints go on places (properties, record values, items), not on the variants of a union at the same place;
  // a hint on a union's field applies to that field in every variant.
  const visit = (node: JsonSchema, path: string[], place: boolean): void => {
    for (const child of childrenOf(node)) visit(child.node, child.step === null ? path : [...path, child.step], child.step !== null);
    if (!place) return;
    let touched = false;
    for (const [key, hint] of byLength.get(path.length) ?? []) {
      if (!hintMatches(key, path)) continue;
      matched.add(key);
      touched = true;
      // Two hints may name one node ("agents.list.*.x" and "agents.list[].x"): keep both texts.
      if (hint.label) node["x-label"] = joinDistinct(node["x-label"], hint.label, " / ");
      if (hint.help) node.description = joinDistinct(node.description, hint.help, " ");
      if (hint.placeholder) node.examples = [hint.placeholder];
      if (hint.sensitive) node["x-sensitive"] = true;
    }
    if (touched) annotated++;
  };
  visit(result, [], true);
  return {
    schema: result,
    report: { unmatched: Object.keys(hints).filter((k) => !matched.has(k)).sort(), annotated },
  };
}

/**
 * Rule "Give a per-account or per-agent key the hint of the key it overrides": upstream hints
 * `channels.telegram.botToken` (sensitive) but not `channels.telegram.accounts.*.botToken`, and
 * `agents.defaults.memorySearch.remote.apiKey` but not `agents.list[].memorySearch.remote.apiKey`, which hold
 * the same kind of value for another account or agent. A hint already given for the key itself wins.
 */
export function accountHints(schema: JsonSchema, hints: UiHints): UiHints {
  const paths = new Set<string>();
  walkSchema(schema, (_node, path) => paths.add(path.join(".")));
  const keys = Object.keys(hints).map((key) => hintSegments(key));
  const derived: UiHints = {};
  for (const [key, hint] of Object.entries(hints)) {
    const segments = hintSegments(key);
    const candidates = segments.flatMap((segment, i) => [
      ...(i > 0 ? [[...segments.slice(0, i), "accounts", "*", ...segments.slice(i)]] : []),
      ...(segment === "defaults" ? [[...segments.slice(0, i), "list", "[]", ...segments.slice(i + 1)]] : []),
    ]);
    for (const candidate of candidates) {
      if (!paths.has(candidate.join("."))) continue;
      if (keys.some((other) => other.length === candidate.length && hintMatches(other.join("."), candidate))) continue;
      derived[candidate.join(".")] = hint;
    }
  }
  return derived;
}

/** Canonical text of a schema node: equal text = same meaning, same documentation. */
function canonical(node: unknown): string {
  if (Array.isArray(node)) return `[${node.map(canonical).join(",")}]`;
  if (node && typeof node === "object") {
    const keys = Object.keys(node).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((node as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(node);
}

const pascal = (segments: string[]): string =>
  segments
    .filter((s) => s !== "*" && s !== "[]")
    .map((s) => s.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : "")))
    .map((s) => s.charAt(0).toUpperCase() + s.slice(1))
    .join("");

/** The longest common trailing run of path segments, used to name a shared definition. */
function commonSuffix(paths: string[][]): string[] {
  const first = paths[0] ?? [];
  let n = 0;
  while (
    n < first.length &&
    paths.every((p) => p.length > n && p[p.length - 1 - n] === first[first.length - 1 - n])
  ) n++;
  return first.slice(first.length - n);
}

/** The longest common leading run of path segments. */
function commonPrefix(paths: string[][]): string[] {
  const first = paths[0] ?? [];
  let n = 0;
  while (n < first.length && paths.every((p) => p[n] === first[n])) n++;
  return first.slice(0, n);
}

const DOCUMENTATION_KEYS = ["description", "x-label", "examples", "x-sensitive", "x-secret", "default", "x-upstream-default"];

const documentationOf = (node: JsonSchema): JsonSchema =>
  Object.fromEntries(Object.entries(node).filter(([key]) => DOCUMENTATION_KEYS.includes(key)));

const withoutDocumentation = (node: JsonSchema): JsonSchema =>
  Object.fromEntries(Object.entries(node).filter(([key]) => !DOCUMENTATION_KEYS.includes(key)));

const isObjectWithFields = (node: JsonSchema): boolean => Object.keys(node.properties ?? {}).length > 0;

/**
 * Rule "Hoist every object schema that occurs more than once into `$defs`, named by where it occurs".
 * Identical subtrees (same fields, same documentation) become one definition referenced by `$ref`, so each
 * is emitted once. Names come from the common suffix of the paths where the subtree occurs
 * (`agents.defaults.sandbox.docker` and `agents.list[].sandbox.docker` → `SandboxDocker`), made unique.
 * Existing `$defs` are kept.
 */
export function hoistSharedObjects(schema: JsonSchema): JsonSchema {
  const work = newDefinitionWork();
  let result = hoistRepeatedObjects(schema, work);
  for (const step of [inlineSingleUseDefinitions, nameAnonymousDefinitions, extendSubsets]) result = step(result, work);
  return sortDefinitions(result);
}

/** What the definition rules share: the names taken so far, and the definitions the input brought. */
export interface DefinitionWork {
  taken: Set<string>;
  keep: Set<string>;
  reserve: (paths: string[][]) => string;
}

export function newDefinitionWork(): DefinitionWork {
  const taken = new Set<string>();
  const reserve = (paths: string[][]): string => {
    const suffix = commonSuffix(paths);
    const owner = commonPrefix(paths).filter((s) => s !== "*" && s !== "[]").at(-1);
    const candidates = [
      pascal(suffix.length > 0 ? suffix : paths[0]!),
      ...(owner ? [pascal([owner, ...suffix])] : []),
    ].filter((c) => c !== "");
    let name = candidates.find((c) => !taken.has(c));
    for (let i = 2; !name; i++) name = [`${candidates[0] ?? "Shared"}${i}`].find((c) => !taken.has(c));
    taken.add(name);
    return name;
  };
  return { taken, keep: new Set(), reserve };
}

/** The `$defs` in name order (absent when empty). */
export function sortDefinitions(schema: JsonSchema): JsonSchema {
  const { $defs, ...rest } = schema;
  const entries = Object.entries($defs ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return entries.length > 0 ? { ...rest, $defs: Object.fromEntries(entries) } : rest;
}

/**
 * Rule "Hoist every object that occurs more than once into a named definition" (the first step of
 * hoistSharedObjects above; the result's `$defs` are the definitions the later rules work on).
 */
export function hoistRepeatedObjects(schema: JsonSchema, work: DefinitionWork): JsonSchema {
  const root = clone(schema);
  const occurrences = new Map<string, string[][]>();
  const count = (node: JsonSchema, path: string[]): void => {
    if (isObjectWithFields(node) && path.length > 0) {
      const key = canonical(withoutDocumentation(node));
      occurrences.set(key, [...(occurrences.get(key) ?? []), path]);
    }
    for (const child of childrenOf(node)) count(child.node, child.step === null ? path : [...path, child.step]);
  };
  count(root, []);

  const defs: Record<string, JsonSchema> = { ...(root.$defs ?? {}) };
  const nameOf = new Map<string, string>();
  for (const name of Object.keys(defs)) {
    work.keep.add(name);
    if (!ANONYMOUS.test(name)) work.taken.add(name);
  }
  const reserve = work.reserve;
  // Largest subtrees first so that names come from the outermost shared object.
  const replace = (node: JsonSchema, path: string[]): JsonSchema => {
    if (isObjectWithFields(node) && path.length > 0) {
      const key = canonical(withoutDocumentation(node));
      const where = occurrences.get(key)!;
      if (where.length > 1) {
        let name = nameOf.get(key);
        if (!name) {
          name = reserve(where);
          nameOf.set(key, name);
          defs[name] = rewriteChildren(withoutDocumentation(node), where[0]!);
        }
        // The place keeps its own documentation; the definition is the shape.
        return { $ref: `#/$defs/${name}`, ...documentationOf(node) };
      }
    }
    return rewriteChildren(node, path);
  };
  const rewriteChildren = (node: JsonSchema, path: string[]): JsonSchema =>
    mapChildren(node, (child) => replace(child.node, child.step === null ? path : [...path, child.step]));
  const { $defs: _old, ...rest } = rewriteChildren(root, []);
  return { ...rest, $defs: defs };
}

/**
 * Rule "Hoist every tagged union that occurs more than once into a named definition": after the objects are
 * hoisted, a union of them told apart by a constant property (OpenClaw's SecretRef `{ source, provider, id }`,
 * tagged on `source`) is the same list of references at each place; it becomes one definition (emitted once,
 * as one tagged type), named `SecretRef` when its variants are SecretRefs, else by where it occurs. The order
 * of the variants does not matter (a tagged union picks by the tag); the first place's order is kept.
 */
export function hoistRepeatedTaggedUnions(schema: JsonSchema, work: DefinitionWork): JsonSchema {
  // (the tree is only read, and rebuilt by mapChildren: no copy needed)
  const root = schema;
  const resolve = resolverOf(root);
  const via = (node: JsonSchema): "anyOf" | "oneOf" | undefined => (node.anyOf ? "anyOf" : node.oneOf ? "oneOf" : undefined);
  const keys = new Map<JsonSchema, string | undefined>();
  const taggedKey = (node: JsonSchema): string | undefined => {
    if (keys.has(node)) return keys.get(node);
    const union = via(node);
    const variants = union ? node[union]!.filter((v) => v.type !== "null") : [];
    const tag = union ? discriminatorOf(variants, resolve) : undefined;
    const key = tag ? `${tag}:${variants.map((v) => canonical(withoutDocumentation(v))).sort().join("|")}` : undefined;
    keys.set(node, key);
    return key;
  };
  const occurrences = new Map<string, string[][]>();
  const count = (node: JsonSchema, path: string[]): void => {
    const key = taggedKey(node);
    if (key) occurrences.set(key, [...(occurrences.get(key) ?? []), path]);
    for (const child of childrenOf(node)) count(child.node, child.step === null ? path : [...path, child.step]);
  };
  count(root, []);
  definitionsOf(root).forEach(([name, body]) => count(body, [name]));
  if (![...occurrences.values()].some((places) => places.length > 1)) return schema;
  const nameOf = new Map<string, string>();
  const added: Record<string, JsonSchema> = {};
  const replace = (node: JsonSchema): JsonSchema => {
    const key = taggedKey(node);
    if (key && occurrences.get(key)!.length > 1) {
      const union = via(node)!;
      const variants = node[union]!.filter((v) => v.type !== "null");
      const nulls = node[union]!.filter((v) => v.type === "null");
      let name = nameOf.get(key);
      if (!name) {
        if (variants.map(resolve).every(isSecretReference)) {
          name = "SecretRef";
          for (let i = 2; work.taken.has(name); i++) name = `SecretRef${i}`;
          work.taken.add(name);
        } else name = work.reserve(occurrences.get(key)!);
        nameOf.set(key, name);
        added[name] = { oneOf: variants.map(withoutDocumentation) };
      }
      const ref: JsonSchema = { $ref: `#/$defs/${name}` };
      if (nulls.length === 0) return { ...ref, ...documentationOf(node) };
      return { ...node, [union]: [ref, ...nulls] };
    }
    // copy only the nodes above a replaced union
    const replaced = childrenOf(node).map((child) => replace(child.node));
    if (replaced.every((r, i) => r === childrenOf(node)[i]!.node)) return node;
    let i = 0;
    return mapChildren(node, () => replaced[i++]!);
  };
  const { $defs: _defs, ...rest } = root;
  const result = replace(rest);
  const bodies = Object.fromEntries(definitionsOf(root).map(([name, body]) => [name, replace(body)]));
  return sortDefinitions({ ...result, $defs: { ...bodies, ...added } });
}

/**
 * Rule "Inline a hoisted definition that ends up referenced once": a subtree that repeats only because its
 * parent repeats is referenced once after the parent is hoisted.
 */
export function inlineSingleUseDefinitions(root: JsonSchema, work: DefinitionWork): JsonSchema {
  const defs = (root.$defs ??= {});
  const keep = work.keep;
  for (;;) {
    const uses = new Map<string, number>();
    const countRefs = (node: JsonSchema): void => {
      if (node.$ref) uses.set(node.$ref, (uses.get(node.$ref) ?? 0) + 1);
      for (const child of childrenOf(node)) countRefs(child.node);
    };
    for (const child of childrenOf(root)) countRefs(child.node);
    Object.values(defs).forEach(countRefs);
    const single = Object.keys(defs).find((name) => !keep.has(name) && (uses.get(`#/$defs/${name}`) ?? 0) <= 1);
    if (!single) return root;
    const body = defs[single]!;
    delete defs[single];
    const substitute = (node: JsonSchema): void => {
      for (const child of childrenOf(node)) {
        if (child.node.$ref === `#/$defs/${single}`) child.replace({ ...body, ...documentationOf(child.node) });
        else substitute(child.node);
      }
    };
    substitute(root);
    Object.values(defs).forEach(substitute);
  }
}

const PORT_NAME = /^(port|[a-z][A-Za-z]*Port)$/;

/**
 * Rule "Bound integers named `port` or `…Port` to 1..65535": upstream declares most ports as any positive
 * integer, so `gateway.port = 70000` would pass the schema and fail only when the gateway binds.
 */
export function boundPortFields(schema: JsonSchema): JsonSchema {
  const result = clone(schema);
  const visit = (node: JsonSchema): void => {
    for (const child of childrenOf(node)) {
      const port = child.node;
      if (child.via === "property" && PORT_NAME.test(child.step!) && port.type === "integer" && (port.maximum === undefined || port.maximum > 65535)) {
        port.maximum = 65535;
        if (port.minimum === undefined && port.exclusiveMinimum === undefined) port.minimum = 1;
      }
      visit(port);
    }
  };
  visit(result);
  for (const [, definition] of definitionsOf(result)) visit(definition);
  return result;
}

/** zod names the definitions it extracts (recursion) `__schema0`, `__schema1`, … */
const ANONYMOUS = /^__schema\d+$/;

/** Rule "Name anonymous definitions by where they are referenced" (`__schema0` used at `root` → `Root`). */
export function nameAnonymousDefinitions(root: JsonSchema, work: DefinitionWork): JsonSchema {
  const defs = (root.$defs ??= {});
  const reserve = work.reserve;
  const anonymous = Object.keys(defs).filter((name) => ANONYMOUS.test(name));
  if (anonymous.length === 0) return root;
  const usedAt = new Map<string, string[][]>();
  const visit = (node: JsonSchema, path: string[], inDefinition: boolean): void => {
    if (node.$ref) {
      const name = node.$ref.replace(/^#\/\$defs\//, "");
      if (!inDefinition || !usedAt.has(name)) usedAt.set(name, [...(usedAt.get(name) ?? []), path]);
      return;
    }
    for (const child of childrenOf(node)) visit(child.node, child.step === null ? path : [...path, child.step], inDefinition);
  };
  visit(root, [], false);
  for (const [name, body] of Object.entries(defs)) visit(body, [name], true);
  const renames = new Map(anonymous.map((name) => [name, reserve(usedAt.get(name) ?? [[name]])]));
  const rename = (schema: JsonSchema): void => {
    if (schema.$ref) {
      const target = renames.get(schema.$ref.replace(/^#\/\$defs\//, ""));
      if (target) schema.$ref = `#/$defs/${target}`;
    }
    for (const child of childrenOf(schema)) rename(child.node);
  };
  rename(root);
  Object.values(defs).forEach(rename);
  for (const [from, to] of renames) {
    defs[to] = defs[from]!;
    delete defs[from];
  }
  return root;
}

interface ObjectPlace {
  node: JsonSchema;
  path: string[];
  /** The definition this node is the body of. */
  definition?: string;
  /** Put another node (a `$ref`) at this place. */
  replace?: (node: JsonSchema) => void;
}

/**
 * Rule "Write an object that adds fields to another object as that object plus its own fields": a channel's
 * options are its accounts' options plus `accounts` (and a few more). The larger object gets
 * `x-extends: #/$defs/<smaller>` (the smaller one hoisted into a definition if it was not one) and keeps all
 * its properties; the Nix emitter then writes only the added options. Closed objects only; the shared
 * fields must be the same to the letter, documentation included, and the base must have at least 4 fields
 * and 60 % of the larger object's.
 */
export function extendSubsets(root: JsonSchema, work: DefinitionWork): JsonSchema {
  const defs = (root.$defs ??= {});
  const reserve = work.reserve;
  const places: ObjectPlace[] = [];
  const collect = (node: JsonSchema, path: string[], replace?: (n: JsonSchema) => void, definition?: string): void => {
    if (isObjectWithFields(node) && (path.length > 0 || definition)) places.push({ node, path, replace, definition });
    for (const child of childrenOf(node)) collect(child.node, child.step === null ? path : [...path, child.step], child.replace);
  };
  collect(root, []);
  for (const [name, body] of Object.entries(defs)) collect(body, [name], undefined, name);

  const keysOf = (node: JsonSchema) => Object.keys(node.properties ?? {});
  const bySize = [...places].sort((a, b) => keysOf(b.node).length - keysOf(a.node).length);
  for (const larger of bySize) {
    if (larger.node.additionalProperties !== false || larger.node["x-extends"]) continue;
    const keys = new Set(keysOf(larger.node));
    let base: ObjectPlace | undefined;
    for (const candidate of places) {
      const candidateKeys = keysOf(candidate.node);
      if (candidate.node === larger.node || candidate.node.additionalProperties !== false) continue;
      if (candidateKeys.length >= keys.size || candidateKeys.length < Math.max(4, 0.6 * keys.size)) continue;
      if (base && keysOf(base.node).length >= candidateKeys.length) continue;
      const same = candidateKeys.every(
        (key) => keys.has(key) && canonical(candidate.node.properties![key]) === canonical(larger.node.properties![key]),
      );
      if (same) base = candidate;
    }
    if (!base) continue;
    if (!base.definition) {
      if (!base.replace) continue;
      const name = reserve([base.path]);
      const body = withoutDocumentation(base.node);
      defs[name] = body;
      base.replace({ $ref: `#/$defs/${name}`, ...documentationOf(base.node) });
      base.node = body;
      base.definition = name;
    }
    larger.node["x-extends"] = `#/$defs/${base.definition}`;
  }
  return root;
}

/** "ChannelsSlack" + "ChannelsSlackAccounts" → "ChannelsSlackAccountsCommon": the words of both, once, in order. */
function commonName(a: ObjectPlace, b: ObjectPlace, work: DefinitionWork): string {
  const wordsOf = (place: ObjectPlace): string[] =>
    place.definition
      ? place.definition.split(/(?=[A-Z])/)
      : place.path.filter((s) => s !== "*" && s !== "[]").map((s) => pascal([s]));
  const [wa, wb] = [wordsOf(a), wordsOf(b)];
  let prefix = 0;
  while (prefix < wa.length && prefix < wb.length && wa[prefix] === wb[prefix]) prefix++;
  let suffix = 0;
  while (suffix < wa.length - prefix && suffix < wb.length - prefix && wa[wa.length - 1 - suffix] === wb[wb.length - 1 - suffix]) suffix++;
  const words = [...wa.slice(0, prefix), ...wa.slice(prefix, wa.length - suffix), ...wb.slice(prefix, wb.length - suffix), ...wa.slice(wa.length - suffix)];
  const base = `${pascal(words)}Common`;
  let name = base;
  for (let i = 2; work.taken.has(name); i++) name = `${base}${i}`;
  work.taken.add(name);
  return name;
}

/** Objects with at least this many identical fields (and half of each one's fields) share them. */
const SHARED_FIELDS_MIN = 6;

/**
 * Rule "Write the identical fields of near-identical objects once, as a definition each extends": two closed
 * objects that agree, to the letter (documentation and requiredness included), on at least 6 fields and half
 * of each one's fields (Slack's channel and its accounts; Discord's and Telegram's group settings) get a new
 * definition holding those fields, and `x-extends` to it; so does every other object that has all of them.
 * The Nix emitter writes only each object's other options. Objects that already extend one are left alone.
 */
export function shareCommonFields(root: JsonSchema, work: DefinitionWork): JsonSchema {
  const defs = (root.$defs ??= {});
  const places: ObjectPlace[] = [];
  const collect = (node: JsonSchema, path: string[], definition?: string): void => {
    if (isObjectWithFields(node) && (path.length > 0 || definition)) places.push({ node, path, definition });
    for (const child of childrenOf(node)) collect(child.node, child.step === null ? path : [...path, child.step]);
  };
  collect(root, []);
  for (const [name, body] of Object.entries(defs)) collect(body, [name], name);
  const open = (place: ObjectPlace) => place.node.additionalProperties !== false || place.node["x-extends"] !== undefined;
  // Each field as text (its schema, and whether it is required): equal text = the same option.
  const fieldTexts = new Map<JsonSchema, Map<string, string>>();
  for (const place of places) {
    const required = new Set(place.node.required ?? []);
    fieldTexts.set(
      place.node,
      new Map(Object.entries(place.node.properties!).map(([key, child]) => [key, `${required.has(key)}:${canonical(child)}`])),
    );
  }
  const common = (a: ObjectPlace, b: ObjectPlace): string[] => {
    const fa = fieldTexts.get(a.node)!;
    const fb = fieldTexts.get(b.node)!;
    return [...fa.keys()].filter((key) => fb.get(key) === fa.get(key));
  };
  const enough = (shared: number, place: ObjectPlace) =>
    shared >= SHARED_FIELDS_MIN && shared >= 0.5 * fieldTexts.get(place.node)!.size;
  const bySize = [...places].sort((a, b) => fieldTexts.get(b.node)!.size - fieldTexts.get(a.node)!.size);
  for (const first of bySize) {
    if (open(first)) continue;
    let best: { partner: ObjectPlace; keys: string[] } | undefined;
    for (const partner of bySize) {
      if (partner.node === first.node || open(partner)) continue;
      const keys = common(first, partner);
      if (enough(keys.length, first) && enough(keys.length, partner) && keys.length > (best?.keys.length ?? 0)) best = { partner, keys };
    }
    if (!best) continue;
    const required = (first.node.required ?? []).filter((key) => best.keys.includes(key));
    const name = commonName(first, best.partner, work);
    defs[name] = {
      type: "object",
      properties: Object.fromEntries(best.keys.map((key) => [key, first.node.properties![key]!])),
      ...(required.length > 0 ? { required } : {}),
      additionalProperties: false,
    };
    const sharedTexts = best.keys.map((key) => fieldTexts.get(first.node)!.get(key));
    for (const place of places) {
      if (open(place)) continue;
      const texts = fieldTexts.get(place.node)!;
      if (best.keys.every((key, i) => texts.get(key) === sharedTexts[i])) place.node["x-extends"] = `#/$defs/${name}`;
    }
    // the new definition is a place too (it may share fields with others in turn: not needed, not done)
  }
  return root;
}

/**
 * Rule "Lift the documentation of a nullable's inner schema onto the field": zod writes `.describe()` and
 * `.meta()` given before `.nullable()` on the non-null variant of the `anyOf`.
 */
export function liftNullableDocumentation(schema: JsonSchema): JsonSchema {
  const lift = (node: JsonSchema): JsonSchema => {
    const variants = node.anyOf ?? [];
    const inner = variants.filter((v) => v.type !== "null");
    if (inner.length !== 1 || variants.length !== 2) return node;
    const documentation = Object.fromEntries(
      Object.entries(inner[0]!).filter(([key]) => key === "description" || key === "examples" || key.startsWith("x-")),
    );
    return { ...documentation, ...node };
  };
  const visit = (node: JsonSchema): JsonSchema =>
    mapChildren(node, (child) => visit(child.via === "property" ? lift(child.node) : child.node));
  const result = visit(schema);
  if (schema.$defs) result.$defs = Object.fromEntries(definitionsOf(schema).map(([name, body]) => [name, visit(body)]));
  return result;
}

/**
 * Rule "Transform `const`, and a union of constants, into one enum": `{ const: "a" }` → `{ enum: ["a"] }`;
 * `anyOf [a, b, null]` of constants → `anyOf [{ enum: [a, b] }, null]` (a union of constants and other types,
 * such as boolean | "auto", keeps its other variants).
 */
export function constantsToEnums(schema: JsonSchema): JsonSchema {
  const isConstant = (node: JsonSchema): boolean => node.const !== undefined || node.enum !== undefined;
  const visit = (raw: JsonSchema): JsonSchema => {
    let node = mapChildren(raw, (child) => visit(child.node));
    if (node.const !== undefined) {
      const { const: value, ...rest } = node;
      node = { ...rest, enum: [value] };
    }
    for (const via of ["anyOf", "oneOf"] as const) {
      const variants = node[via];
      if (!variants) continue;
      const values = variants.filter((v) => v.type !== "null");
      if (values.length < 2 || !values.every(isConstant)) continue;
      const merged: JsonSchema = { enum: values.flatMap((v) => v.enum ?? []) };
      const nulls = variants.filter((v) => v.type === "null");
      if (nulls.length === 0) {
        const { [via]: _variants, ...rest } = node;
        node = { ...rest, ...merged };
      } else node = { ...node, [via]: [merged, ...nulls] };
    }
    return node;
  };
  const result = visit(schema);
  if (schema.$defs) result.$defs = Object.fromEntries(definitionsOf(schema).map(([name, body]) => [name, visit(body)]));
  return result;
}

/**
 * Rule "Move the definitions of an embedded schema to the root, named by where it is embedded": OpenClaw
 * embeds each plugin's config schema whole (`plugins.entries.imap.config`), with its own `$defs` and
 * `$ref: "#/$defs/account"` meant relative to the plugin schema, which at its new place names a root
 * definition that does not exist. Each such `$defs` goes to the root as `<Place><Name>`
 * (`PluginsEntriesImapConfigAccount`), and the references inside the embedded schema follow. A schema whose
 * definitions are all at the root (Clawdbot's) is unchanged.
 */
export function hoistEmbeddedDefinitions(schema: JsonSchema): JsonSchema {
  let moved = false;
  const rootDefs: Record<string, JsonSchema> = { ...(schema.$defs ?? {}) };
  const visit = (node: JsonSchema, path: string[], renames: Map<string, string>): JsonSchema => {
    let local = renames;
    let current = node;
    if (path.length > 0 && current.$defs) {
      moved = true;
      const { $defs, ...rest } = current;
      local = new Map(renames);
      const owner = pascal(path);
      for (const name of Object.keys($defs)) local.set(`#/$defs/${name}`, `#/$defs/${owner}${pascal([name])}`);
      for (const [name, body] of Object.entries($defs)) rootDefs[`${owner}${pascal([name])}`] = visit(body, [...path, name], local);
      current = rest;
    }
    const out = mapChildren(current, (child) => visit(child.node, child.step === null ? path : [...path, child.step], local));
    if (typeof out.$ref === "string" && local.has(out.$ref)) out.$ref = local.get(out.$ref)!;
    return out;
  };
  const { $defs: _defs, ...body } = schema;
  const result = visit(body, [], new Map());
  if (!moved) return schema;
  return { ...result, $defs: rootDefs };
}

/**
 * A schema's own `title` (Rule "Use a schema's own `title` as the option's label": OpenClaw's schema has 2,038: "Gateway Port") is the option's label, as a uiHint
 * `label` would be (`x-label`); a hint's label given for the same key is added to it. A schema without titles
 * (Clawdbot's, converted from zod) is returned unchanged.
 */
export function titlesAsLabels(schema: JsonSchema): JsonSchema {
  let found = false;
  const visit = (node: unknown, root: boolean): unknown => {
    if (Array.isArray(node)) return node.map((n) => visit(n, false));
    if (!node || typeof node !== "object") return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "title" && typeof value === "string" && !root) {
        found = true;
        out["x-label"] = value;
      } else if (key === "properties" || key === "$defs" || key === "definitions" || key === "patternProperties") {
        // names of properties, not schemas: a property may be called `title`
        out[key] = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, visit(v, false)]));
      } else out[key] = visit(value, false);
    }
    return out;
  };
  const result = visit(schema, true) as JsonSchema;
  return found ? result : schema;
}

/**
 * Rule "A key that is required but has a default is optional": OpenClaw's schema is written from the output
 * side of its zod schema, where a key with a default is always present, so `required` lists it
 * (`channels.telegram.dmPolicy`, default "pairing"); the gateway applies the default when the key is left
 * out. Clawdbot's schema (the input side) never lists one: unchanged.
 */
export function optionalWhenDefaulted(schema: JsonSchema): JsonSchema {
  let changed = false;
  const visit = (raw: JsonSchema): JsonSchema => {
    const node = mapChildren(raw, (child) => visit(child.node));
    if (!node.required || !node.properties) return node;
    const required = node.required.filter((key) => node.properties![key]?.default === undefined);
    if (required.length === node.required.length) return node;
    changed = true;
    const { required: _old, ...rest } = node;
    return required.length > 0 ? { ...rest, required } : rest;
  };
  const result = visit(schema);
  if (schema.$defs) result.$defs = Object.fromEntries(definitionsOf(schema).map(([name, body]) => [name, visit(body)]));
  return changed ? result : schema;
}

/** Rule "Mark integers bounded to 0..65535 or 1..65535 as ports" (`x-port`, with the lower bound as `minimum`). */
export function markPortRanges(schema: JsonSchema): JsonSchema {
  const visit = (raw: JsonSchema): JsonSchema => {
    const node = mapChildren(raw, (child) => visit(child.node));
    if (node.type !== "integer" || node["x-port"]) return node;
    const min = node.exclusiveMinimum !== undefined ? node.exclusiveMinimum + 1 : node.minimum;
    const max = node.exclusiveMaximum !== undefined ? node.exclusiveMaximum - 1 : node.maximum;
    if ((min === 0 || min === 1) && max === 65535) return { ...node, "x-port": true, minimum: min };
    return node;
  };
  const result = visit(schema);
  if (schema.$defs) result.$defs = Object.fromEntries(definitionsOf(schema).map(([name, body]) => [name, visit(body)]));
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// The normalisation: every rule, in the order it runs.

export interface NormaliseWork {
  hints: UiHints;
  report: HintReport;
  definitions: DefinitionWork;
}

export interface NormalisationStep {
  /** The rule, named by what it does. */
  rule: string;
  /** Which schemas it applies to: upstream's clawdbot.json schema only, or the service options' too. */
  of: "settings" | "both";
  /** Part of the published JSON schema (schemas/*.schema.json), or only of the input of the parser. */
  published: boolean;
  apply: (schema: JsonSchema, work: NormaliseWork) => JsonSchema;
}

export const SHARE_COMMON_FIELDS = "Write the identical fields of near-identical objects once, as a definition each extends";

export const NORMALISATION: readonly NormalisationStep[] = [
  {
    rule: "Move the definitions of an embedded schema to the root, named by where it is embedded",
    of: "settings",
    published: true,
    apply: hoistEmbeddedDefinitions,
  },
  { rule: "Use a schema's own `title` as the option's label", of: "settings", published: true, apply: titlesAsLabels },
  { rule: "A key that is required but has a default is optional", of: "settings", published: true, apply: optionalWhenDefaulted },
  { rule: "Bound integers named `port` or `…Port` to 1..65535", of: "settings", published: true, apply: boundPortFields },
  {
    rule: "Attach upstream uiHints to the schema nodes they name, and give per-account and per-agent keys the hints of the keys they override",
    of: "settings",
    published: true,
    apply: (schema, work) => {
      const attached = attachHints(schema, work.hints);
      work.report = attached.report;
      return attached.schema;
    },
  },
  { rule: "Mark every secret string `x-secret` (generator/secrets.ts)", of: "settings", published: true, apply: markSecrets },
  { rule: "Lift the documentation of a nullable's inner schema onto the field", of: "both", published: false, apply: liftNullableDocumentation },
  { rule: "Transform `const`, and a union of constants, into one enum", of: "both", published: false, apply: constantsToEnums },
  { rule: "Mark integers bounded to 0..65535 or 1..65535 as ports", of: "both", published: false, apply: markPortRanges },
  { rule: "Hoist every object that occurs more than once into a named definition", of: "settings", published: false, apply: (s, w) => hoistRepeatedObjects(s, w.definitions) },
  {
    rule: "Hoist every tagged union that occurs more than once into a named definition",
    of: "settings",
    published: false,
    apply: (s, w) => hoistRepeatedTaggedUnions(s, w.definitions),
  },
  { rule: "Inline a hoisted definition that ends up referenced once", of: "settings", published: false, apply: (s, w) => inlineSingleUseDefinitions(s, w.definitions) },
  { rule: "Name anonymous definitions by where they are referenced", of: "settings", published: false, apply: (s, w) => nameAnonymousDefinitions(s, w.definitions) },
  { rule: "Write an object that adds fields to another object as that object plus its own fields", of: "settings", published: false, apply: (s, w) => extendSubsets(s, w.definitions) },
  {
    rule: SHARE_COMMON_FIELDS,
    of: "settings",
    published: false,
    apply: (s, w) => sortDefinitions(shareCommonFields(s, w.definitions)),
  },
];

export interface Normalised {
  /** After the published steps: what schemas/*.schema.json holds. */
  published: JsonSchema;
  /** After every step: the parser's input. */
  lowered: JsonSchema;
  report: HintReport;
}

/** Runs NORMALISATION in order over upstream's schema ("settings") or the service options' ("service"). */
export function normalise(
  schema: JsonSchema,
  of: "settings" | "service",
  hints: UiHints = {},
  options: { without?: string[] } = {},
): Normalised {
  const work: NormaliseWork = { hints, report: { unmatched: [], annotated: 0 }, definitions: newDefinitionWork() };
  let current = schema;
  let published = schema;
  for (const step of NORMALISATION) {
    if ((step.of === "settings" && of !== "settings") || options.without?.includes(step.rule)) continue;
    current = step.apply(current, work);
    if (step.published) published = current;
  }
  return { published, lowered: current, report: work.report };
}
