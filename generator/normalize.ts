// Normalisation passes over a JSON schema, before it is parsed into the IR. Each rule is named by what it does;
// NORMALISATION at the end of this file lists them all in the order they run.
import { childrenOf, copyAsTree, definitionsOf, discriminatorOf, mapChildren, mapChildrenIfChanged, resolverOf, type JsonSchema } from "./json-schema.js";
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

/** A deep copy as a tree (json-schema.ts copyAsTree). */
const clone = <T>(value: T): T => copyAsTree(value) as T;

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

/**
 * The hints by their segments, one level a segment, to follow a walk step by step: the hints that name a schema
 * path (hintMatches) are those at the end of it (stepTrie, trieHints).
 */
interface HintTrie {
  next: Map<string, HintTrie>;
  hints: [number, string, UiHint][];
}

/** The trie of hints given as [key, hint] entries, in the hints' order. */
function hintTrie(hints: [string, UiHint][]): HintTrie {
  const root: HintTrie = { next: new Map(), hints: [] };
  hints.forEach(([key, hint], order) => {
    let node = root;
    for (const segment of hintSegments(key)) {
      let child = node.next.get(segment);
      if (!child) node.next.set(segment, (child = { next: new Map(), hints: [] }));
      node = child;
    }
    node.hints.push([order, key, hint]);
  });
  return root;
}

/** One step of a path down the trie: a "[]" place (a list item) is also named by a hint's "*". */
function stepTrie(at: HintTrie[], step: string): HintTrie[] {
  const out: HintTrie[] = [];
  for (const node of at) {
    const exact = node.next.get(step);
    if (exact) out.push(exact);
    if (step === "[]") {
      const any = node.next.get("*");
      if (any) out.push(any);
    }
  }
  return out;
}

/** The hints that name the place the path led to, in the hints' order ([order, key, hint]). */
function trieHints(at: HintTrie[]): readonly [number, string, UiHint][] {
  // (one trie node, the most common: its hints are in order already)
  if (at.length === 1) return at[0]!.hints;
  const found = at.flatMap((node) => node.hints);
  return found.sort((a, b) => a[0] - b[0]);
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
 * applies it; the option itself defaults to null). A pattern that names no place (`channels.*.enabled`, the
 * channels being properties) gives its help and label to every place it fits with `*` as any key, where the
 * place has no text of its own; its other parts (sensitive) apply only where it names places.
 */
export function attachHints(schema: JsonSchema, hints: UiHints): { schema: JsonSchema; report: HintReport } {
  const result = clone(schema);
  const matched = new Set<string>();
  let annotated = 0;
  const derived = accountHints(schema, hints);
  // upstream's hints with the derived ones merged in (what `{ ...hints, ...derived }` would hold, merged
  // per key, in its order), as entries: not an object of 8,560 keys made to be taken apart again
  const merged: [string, UiHint][] = Object.entries(hints).map(([key, hint]) =>
    Object.hasOwn(derived, key) ? [key, { ...hint, ...derived[key] }] : [key, hint],
  );
  for (const [key, hint] of Object.entries(derived)) if (!Object.hasOwn(hints, key)) merged.push([key, { ...hint }]);
  const trie = hintTrie(merged);
  // Hints go on places (properties, record values, items), not on the variants of a union at the same place;
  // a hint on a union's field applies to that field in every variant. `at`: the trie's nodes the path so far
  // leads to.
  const visit = (node: JsonSchema, at: HintTrie[], place: boolean): void => {
    if (at.length === 0) return; // no hint names anything at or below this place
    for (const child of childrenOf(node)) visit(child.node, child.step === null ? at : stepTrie(at, child.step), child.step !== null);
    if (!place) return;
    let touched = false;
    // A place has one label, the most specific: a hint for this very key ("Enable A2A" for
    // plugins.entries.a2a.enabled), else the schema's own title, else a hint for every key of the kind
    // ("Plugin Enabled" for plugins.entries.*.enabled); never two glued ("Plugin Enabled / Enable A2A").
    let labelRank = node["x-label"] !== undefined ? LABEL_RANK.title : -1;
    for (const [, key, hint] of trieHints(at)) {
      matched.add(key);
      touched = true;
      const rank = hintSegments(key).includes("*") ? LABEL_RANK.pattern : LABEL_RANK.key;
      if (hint.label && rank > labelRank) {
        node["x-label"] = hint.label;
        labelRank = rank;
      }
      // Two hints may name one node ("agents.list.*.x" and "agents.list[].x"): keep both texts.
      if (hint.help) node.description = joinDistinct(node.description, hint.help, " ");
      if (hint.placeholder) node.examples = [hint.placeholder];
      if (hint.sensitive) node["x-sensitive"] = true;
    }
    if (touched) annotated++;
  };
  visit(result, [trie], true);
  // A pattern that names no place was meant for every key of its kind: upstream's `channels.*.enabled` is the
  // help of every channel's `enabled` (channels.discord.enabled, …), whose ids are properties, not a record.
  // It gives text (help, label) to the places it fits loosely that have none of their own.
  const loose = Object.entries(hints).filter(([key, hint]) => !matched.has(key) && hintSegments(key).includes("*") && (hint.help || hint.label));
  if (loose.length > 0) {
    // `alive`: the loose patterns whose first `depth` segments fit the path so far (a "*" segment fits any
    // key), in the hints' order; a subtree none of them fits into is not walked.
    const patterns = loose.map(([key]) => hintSegments(key));
    const visitLoosely = (node: JsonSchema, alive: number[], depth: number, place: boolean): void => {
      if (alive.length === 0) return;
      for (const child of childrenOf(node)) {
        const step = child.step;
        if (step === null) visitLoosely(child.node, alive, depth, false);
        else visitLoosely(child.node, alive.filter((i) => depth < patterns[i]!.length && (patterns[i]![depth] === "*" || patterns[i]![depth] === step)), depth + 1, true);
      }
      if (!place) return;
      let variants: JsonSchema[] | undefined;
      for (const i of alive) {
        if (patterns[i]!.length !== depth) continue;
        const [key, hint] = loose[i]!;
        variants ??= (node.anyOf ?? node.oneOf ?? []).filter((v) => v.type !== "null");
        const inner = variants.length === 1 ? variants[0]! : {};
        matched.add(key);
        if (hint.help && !node.description && !inner.description) node.description = hint.help;
        if (hint.label && !node["x-label"] && !inner["x-label"]) node["x-label"] = hint.label;
      }
    };
    visitLoosely(result, loose.map((_, i) => i), 0, true);
  }
  return {
    schema: result,
    report: { unmatched: Object.keys(hints).filter((k) => !matched.has(k)).sort(), annotated },
  };
}

/** How specific a label is: a hint for the key itself, the schema's own title, a hint for a pattern of keys. */
const LABEL_RANK = { pattern: 0, title: 1, key: 2 } as const;

/**
 * Rule "Give a per-account or per-agent key the hint of the key it overrides": upstream hints
 * `channels.telegram.botToken` (sensitive) but not `channels.telegram.accounts.*.botToken`, and
 * `agents.defaults.memorySearch.remote.apiKey` but not `agents.list[].memorySearch.remote.apiKey` (OpenClaw:
 * `agents.entries.*.…`), which hold the same kind of value for another account or agent. What a hint for
 * the key itself gives wins; what it leaves out (OpenClaw hints most account keys with an empty `{}`) comes
 * from the key it overrides.
 */
export function accountHints(schema: JsonSchema, hints: UiHints): UiHints {
  // every place's dotted path (walkSchema's paths joined; made as text along the walk)
  const paths = new Set<string>();
  const collect = (node: JsonSchema, dotted: string, root: boolean): void => {
    paths.add(dotted);
    for (const child of childrenOf(node)) {
      if (child.step === null) collect(child.node, dotted, root);
      else collect(child.node, root ? child.step : `${dotted}.${child.step}`, false);
    }
  };
  collect(schema, "", true);
  const trie = hintTrie(Object.entries(hints));
  const hintsNaming = (path: string[]) => trieHints(path.reduce(stepTrie, [trie]));
  const derived: UiHints = {};
  for (const [key, hint] of Object.entries(hints)) {
    for (const at of overridingPaths(hintSegments(key), paths)) {
      if (!paths.has(at)) continue;
      const own = hintsNaming(at.split("."));
      const given = new Set(own.flatMap(([, , h]) => Object.keys(h)));
      const missing = Object.fromEntries(Object.entries(hint).filter(([name]) => !given.has(name))) as UiHint;
      if (Object.keys(missing).length > 0 && !derived[at]) derived[at] = missing;
    }
  }
  return derived;
}

/**
 * The dotted paths of the keys that override the key at `segments` for one account or agent:
 * `channels.x.k` → `channels.x.accounts.*.k`; `agents.defaults.k` → `agents.list.[].k`, `agents.entries.*.k`
 * (each only where the schema has it). Made as text (every hint has them, few exist); one is made only when
 * the schema has its `…accounts`, `…list` or `…entries` (`paths`, every place's dotted path), which it must.
 */
function overridingPaths(segments: string[], paths: Set<string>): string[] {
  const out: string[] = [];
  // (joined by hand: this runs for every segment of every hint)
  let before = ""; // the first i segments, dotted
  for (let i = 0; i < segments.length; i++) {
    if (i > 0) {
      before = i === 1 ? segments[0]! : `${before}.${segments[i - 1]}`;
      if (paths.has(`${before}.accounts`)) out.push(`${before}.accounts.*.${segments.slice(i).join(".")}`);
    }
    if (segments[i] === "defaults") {
      const prefix = before === "" ? "" : `${before}.`;
      const after = i + 1 < segments.length ? `.${segments.slice(i + 1).join(".")}` : "";
      if (paths.has(`${prefix}list`)) out.push(`${prefix}list.[]${after}`);
      if (paths.has(`${prefix}entries`)) out.push(`${prefix}entries.*${after}`);
    }
  }
  return out;
}

/**
 * Rule "Give a per-account or per-agent key without text the text of the key it overrides": after the hints,
 * an account's or agent's key with no description takes the description (and label) of the channel-wide or
 * default key it overrides, whether upstream wrote it as a hint or in its schema (OpenClaw's
 * `channels.discord.accounts.*.mentionPatterns.mode` is described only at `channels.discord.mentionPatterns.mode`).
 */
export function inheritOverriddenText(schema: JsonSchema): JsonSchema {
  const result = clone(schema);
  // each place by its dotted path (the first node there), the path made as text along the walk
  const places = new Map<string, JsonSchema>();
  const collect = (node: JsonSchema, dotted: string, root: boolean): void => {
    for (const child of childrenOf(node)) {
      if (child.step === null) {
        collect(child.node, dotted, root);
        continue;
      }
      const at = root ? child.step : `${dotted}.${child.step}`;
      if (!places.has(at)) places.set(at, child.node);
      collect(child.node, at, false);
    }
  };
  collect(result, "", true);
  /** The text of a place: its own, or that of its one non-null variant (zod's `.describe().nullable()`). */
  const textOf = (node: JsonSchema): { description?: string; label?: string } => {
    const variants = (node.anyOf ?? node.oneOf ?? []).filter((v) => v.type !== "null");
    const inner = variants.length === 1 ? variants[0]! : {};
    return { description: node.description ?? inner.description, label: node["x-label"] ?? inner["x-label"] };
  };
  for (const [at, node] of places) {
    // (only an account's or agent's key overrides one: its path has one of these)
    if (!at.includes("accounts.*.") && !at.includes("list.[].") && !at.includes("entries.*.")) continue;
    const own = textOf(node);
    if (own.description) continue;
    const source = overriddenPath(at.split("."));
    const from = source ? places.get(source.join(".")) : undefined;
    if (!from) continue;
    const inherited = textOf(from);
    if (!inherited.description) continue;
    node.description = inherited.description;
    if (!own.label && inherited.label) node["x-label"] = inherited.label;
  }
  return result;
}

/** The path of the channel-wide or default key an account's or agent's key overrides (the innermost override). */
function overriddenPath(segments: string[]): string[] | undefined {
  for (let i = segments.length - 2; i > 0; i--) {
    if (segments[i] === "accounts" && segments[i + 1] === "*" && i + 2 < segments.length) {
      return [...segments.slice(0, i), ...segments.slice(i + 2)];
    }
    if (((segments[i] === "list" && segments[i + 1] === "[]") || (segments[i] === "entries" && segments[i + 1] === "*")) && i + 2 < segments.length) {
      return [...segments.slice(0, i), "defaults", ...segments.slice(i + 2)];
    }
  }
  return undefined;
}

/**
 * Canonical keys of schema nodes, for a pass that reads a tree it does not change meanwhile: two nodes have the
 * same key exactly when their canonical texts (every key sorted, every value written out) are equal, i.e. the
 * same meaning and the same documentation. Each distinct object is numbered once ("#12"), each distinct scalar
 * too ("$3"), and an object's key names its values by their numbers, so a key is short and made once per node rather than the text of the
 * whole subtree at every object above it (issue 20.5). `shape` is the key of a node without its
 * documentation (canonical(withoutDocumentation(node))).
 */
interface Canonicals {
  text: (node: unknown) => string;
  shape: (node: JsonSchema) => string;
}

function canonicals(): Canonicals {
  const numbers = new Map<string, number>();
  const texts = new WeakMap<object, string>();
  const shapes = new WeakMap<object, string>();
  const numbered = (key: string): string => {
    let n = numbers.get(key);
    if (n === undefined) numbers.set(key, (n = numbers.size));
    return `#${n}`;
  };
  // A scalar is numbered by its value ("$3"): equal JSON exactly when the same value (a schema holds no NaN or
  // Infinity, which JSON writes as null: taken as null). Not its JSON text: a key then names every value
  // by a short number, and no description is written out and hashed again inside its object's key.
  const scalars = new Map<unknown, string>();
  // a value: the number of a scalar ("$n"), the number of its key for an object or array ("#n")
  const text = (node: unknown): string => {
    if (!node || typeof node !== "object") {
      const value = typeof node === "number" && !Number.isFinite(node) ? null : node;
      let known = scalars.get(value);
      if (known === undefined) scalars.set(value, (known = `$${scalars.size}`));
      return known;
    }
    let known = texts.get(node);
    if (known === undefined) {
      known = numbered(keyOf(node, text));
      texts.set(node, known);
    }
    return known;
  };
  const shape = (node: JsonSchema): string => {
    let known = shapes.get(node);
    if (known === undefined) {
      known = keyOf(node, text, isShapeKey);
      shapes.set(node, known);
    }
    return known;
  };
  return { text, shape };
}

/** An object's or array's key, its values written by `inner` (written as canonical text was: an undefined item is ""). */
function keyOf(node: object, inner: (node: unknown) => string, keep?: (key: string) => boolean): string {
  // (a loop and a cache of the quoted names rather than map/join: this runs for every node, twice)
  if (Array.isArray(node)) {
    let out = "[";
    for (let i = 0; i < node.length; i++) out += (i > 0 ? "," : "") + (inner(node[i]) ?? "");
    return out + "]";
  }
  const keys = (keep ? Object.keys(node).filter(keep) : Object.keys(node)).sort();
  let out = "{";
  for (let i = 0; i < keys.length; i++) out += `${i > 0 ? "," : ""}${quotedName(keys[i]!)}:${inner((node as Record<string, unknown>)[keys[i]!])}`;
  return out + "}";
}

const quotedNames = new Map<string, string>();
function quotedName(name: string): string {
  let quoted = quotedNames.get(name);
  if (quoted === undefined) quotedNames.set(name, (quoted = JSON.stringify(name)));
  return quoted;
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
const DOCUMENTATION_KEY_SET = new Set(DOCUMENTATION_KEYS);
const isShapeKey = (key: string): boolean => !DOCUMENTATION_KEY_SET.has(key);

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
  /** A new definition's name, from upstream's title (`label`, when its places share one) or from the places. */
  reserve: (paths: string[][], label?: string) => string;
}

const named = (segment: string): boolean => segment !== "*" && segment !== "[]";

/** "resetByType" → ["reset", "by", "type"]. */
const wordsOfKey = (segment: string): string[] =>
  segment
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());

/** Words that end no name ("resetByType", "resetByChannel" → "reset", not "reset by"). */
const CONNECTORS = new Set(["by", "of", "or", "and", "to", "for", "per", "in", "on", "at"]);

/**
 * What a shape shared by several places is, in words, when its places share no key name: the words every
 * place's own keys (below what they have in common) contain (`session.resetByType.direct`,
 * `session.resetByChannel.*` → "reset"), else the different keys themselves (`channels.matrix.groups.*`,
 * `channels.matrix.rooms.*` → "groups or rooms"), never the first place's whole path.
 */
function whatPlacesAre(paths: string[][], prefixLength: number): string[] {
  const rests = paths.map((p) => p.slice(prefixLength).filter(named));
  const wordSets = rests.map((rest) => new Set(rest.flatMap(wordsOfKey)));
  const common = [...new Set((rests[0] ?? []).flatMap(wordsOfKey))].filter((w) => wordSets.every((set) => set.has(w)));
  while (common.length > 0 && CONNECTORS.has(common.at(-1)!)) common.pop();
  if (common.length > 0) return common;
  const lasts = [...new Set(rests.map((rest) => rest.at(-1)).filter((s): s is string => s !== undefined))];
  if (lasts.length >= 2 && lasts.length <= 3) return lasts.flatMap((last, i) => (i === 0 ? [last] : ["or", last]));
  return [];
}

/** What the places' parents are: the places without their last key, in words (whatPlacesAre). */
function parentsAre(paths: string[][]): string[] {
  const parents = paths.map((p) => {
    const last = p.map(named).lastIndexOf(true);
    return p.slice(0, Math.max(0, last));
  });
  return whatPlacesAre(parents, commonPrefix(parents).length);
}

export function newDefinitionWork(): DefinitionWork {
  const taken = new Set<string>();
  const reserve = (places: string[][], label?: string): string => {
    // one place (or the variants of a union at one place): the shape is what is there
    const paths = [...new Map(places.map((p) => [p.join("."), p])).values()];
    const suffix = paths.length > 1 ? commonSuffix(paths) : paths[0]!;
    const prefix = paths.length > 1 ? commonPrefix(paths) : [];
    const owner = prefix.filter(named).at(-1);
    const shape = suffix.some(named) ? suffix : whatPlacesAre(paths, prefix.length);
    // below a top-level key, the places' common owner says whose shape it is (`channels.buzz.groups.*` and
    // `channels.buzz.accounts.*.groups.*` → BuzzGroups, not Groups beside TelegramGroups)
    const owned = owner !== undefined && (prefix.filter(named).length >= 2 || !suffix.some(named));
    const candidates = [
      // upstream's title, when every place of the shape carries the same one
      ...(label ? [pascal([label])] : []),
      ...(owned && shape.some(named) ? [pascal([owner, ...shape])] : []),
      ...(shape.some(named) ? [pascal(shape)] : []),
      ...(owner ? [pascal([owner, ...shape])] : []),
      // that name taken: what the places' parents are (`subagents.model`, `exec.reviewer.model` → SubagentsOrReviewerModel)
      ...(paths.length > 1 && shape.some(named) ? [pascal([...parentsAre(paths), ...shape])] : []),
      pascal(paths[0]!),
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
 * A shape of one or two fields is shared only by places of the same key (`channels.discord.commands` and
 * `channels.discord.accounts.*.commands`); at different keys it stays where it is: OpenClaw's `{ enabled }` is
 * a health monitor's opt-out, a batch switch and a loop detector's at once, and one name for all of them,
 * taken from the first place, documented `channels.discord.healthMonitor` as
 * `AgentsEntriesMemorySearchRemoteBatch`. (Not hoisting them at all made the output more repetitive: the
 * duplicates tool's runs in OpenClaw's settings.nix 3471 → 3616, Clawdbot's 1475 → 1647.)
 */
export const HOIST_FIELDS_MIN = 3;

/**
 * Rule "Hoist every object that occurs more than once into a named definition, one of one or two fields only where
 * its places are the same key" (the first step of hoistSharedObjects above; the result's `$defs` are the
 * definitions the later rules work on).
 * A definition is named by upstream's title when all its places carry the same one, else by what its places
 * are (their common key, or their keys' common words), never by the first place's whole path.
 */
export function hoistRepeatedObjects(schema: JsonSchema, work: DefinitionWork): JsonSchema {
  // The tree is only read below, and replace() rebuilds every node of it: only the definitions it keeps as they
  // are are copied (the later rules change this tree in place; the input may share nodes with the published schema).
  const root = schema.$defs ? { ...schema, $defs: clone(schema.$defs) } : schema;
  const { shape } = canonicals();
  const occurrences = new Map<string, string[][]>();
  const labels = new Map<string, (string | undefined)[]>();
  const count = (node: JsonSchema, path: string[]): void => {
    if (isObjectWithFields(node) && path.length > 0) {
      const key = shape(node);
      const where = occurrences.get(key);
      if (where) {
        where.push(path);
        labels.get(key)!.push(node["x-label"]);
      } else {
        occurrences.set(key, [path]);
        labels.set(key, [node["x-label"]]);
      }
    }
    for (const child of childrenOf(node)) count(child.node, child.step === null ? path : [...path, child.step]);
  };
  count(root, []);
  /** Upstream's title of a shape: the one label all its places carry, if they do. */
  const titleOf = (key: string): string | undefined => {
    const given = new Set(labels.get(key));
    const [only] = given;
    return given.size === 1 ? only : undefined;
  };

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
      const key = shape(node);
      const where = occurrences.get(key)!;
      if (where.length > 1 && (Object.keys(node.properties!).length >= HOIST_FIELDS_MIN || commonSuffix(where).some(named))) {
        let name = nameOf.get(key);
        if (!name) {
          name = reserve(where, titleOf(key));
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
 * Rule "Write a draft-07 tuple (`items` as a list) as the published draft's `prefixItems`": upstream's schema is
 * draft-07 (zod's tuples: `items: [a, b], additionalItems: false`), the published one 2020-12, where `items` is
 * one schema; the tree's walkers read `items` as one schema too (a list there was copied as `{ "0": a, "1": b }`).
 * `additionalItems: false` becomes `items: false`.
 */
export function tuplesAsPrefixItems(schema: JsonSchema): JsonSchema {
  // schema positions only (childrenOf): an `items` list inside an example or a default is data, not a tuple
  const visit = (node: JsonSchema): JsonSchema => {
    if (Array.isArray(node.items)) {
      const { items, additionalItems, ...rest } = node as JsonSchema & { additionalItems?: JsonSchema | boolean };
      node = { ...rest, prefixItems: items as unknown as JsonSchema[], ...(additionalItems === undefined || additionalItems === true ? {} : { items: additionalItems }) };
    }
    return mapChildrenIfChanged(node, (child) => visit(child.node));
  };
  const result = visit(schema);
  if (!schema.$defs) return result;
  return { ...result, $defs: Object.fromEntries(definitionsOf(schema).map(([name, body]) => [name, visit(body)])) };
}

/**
 * Rule "Write an object that occurs more than once, the same to the letter, once as a definition", for the
 * published JSON schema only (the parser's input is hoisted by shape above, each place keeping its own text).
 * Places whose whole subtree is identical, documentation included, become a bare `$ref`: nothing a validator
 * or an editor reads changes. OpenClaw's 86 typed `plugins.entries` each carried the same `hooks`, `subagent`
 * and `llm` objects (its schema 2.11 MiB, above what the repository's checks accept for a file). Names and
 * the one- or two-field rule as hoistRepeatedObjects; a nested one that ends up written once is inlined.
 */
export function shareIdenticalObjects(schema: JsonSchema): JsonSchema {
  const { text } = canonicals();
  const variantsOf = (node: JsonSchema): JsonSchema[] | undefined => node.oneOf ?? node.anyOf;
  // an object with fields, or a union of them (OpenClaw's SecretRef: the same four sources at 197 places)
  const shareable = (node: JsonSchema): boolean =>
    isObjectWithFields(node) || (variantsOf(node)?.every(isObjectWithFields) ?? false);
  const occurrences = new Map<string, string[][]>();
  const count = (node: JsonSchema, path: string[]): void => {
    if (path.length > 0 && shareable(node)) {
      const key = text(node);
      const where = occurrences.get(key);
      if (where) where.push(path);
      else occurrences.set(key, [path]);
    }
    for (const child of childrenOf(node)) count(child.node, child.step === null ? path : [...path, child.step]);
  };
  count(schema, []);
  for (const [name, body] of definitionsOf(schema)) for (const child of childrenOf(body)) count(child.node, child.step === null ? [name] : [name, child.step]);

  const work = newDefinitionWork();
  const defs: Record<string, JsonSchema> = { ...(schema.$defs ?? {}) };
  for (const name of Object.keys(defs)) {
    work.keep.add(name);
    work.taken.add(name);
  }
  const reserveNamed = (base: string): string => {
    let name = base;
    for (let i = 2; work.taken.has(name); i++) name = `${base}${i}`;
    work.taken.add(name);
    return name;
  };
  // SecretRefs by what they are (their places are every secret of the schema: no common key names them);
  // "Sensitive" where upstream's hints mark their fields so
  const sensitive = (ref: JsonSchema): string => (ref.properties!.source!["x-sensitive"] ? "Sensitive" : "");
  const nameFor = (node: JsonSchema, where: string[][]): string => {
    if (isSecretReference(node)) {
      const source = node.properties!.source!;
      return reserveNamed(`${sensitive(node)}${pascal([String(source.const ?? source.enum![0])])}SecretRef`);
    }
    const variants = variantsOf(node);
    if (variants?.every(isSecretReference)) return reserveNamed(`${sensitive(variants[0]!)}SecretRef`);
    return work.reserve(where, node["x-label"]);
  };
  const nameOf = new Map<string, string>();
  const replace = (node: JsonSchema, path: string[]): JsonSchema => {
    if (path.length > 0 && shareable(node)) {
      const key = text(node);
      const where = occurrences.get(key)!;
      const fields = Object.keys(node.properties ?? {}).length;
      if (where.length > 1 && (!isObjectWithFields(node) || fields >= HOIST_FIELDS_MIN || commonSuffix(where).some(named))) {
        let name = nameOf.get(key);
        if (!name) {
          name = nameFor(node, where);
          nameOf.set(key, name);
          defs[name] = rewriteChildren(node, path);
        }
        return { $ref: `#/$defs/${name}` };
      }
    }
    return rewriteChildren(node, path);
  };
  const rewriteChildren = (node: JsonSchema, path: string[]): JsonSchema =>
    mapChildren(node, (child) => replace(child.node, child.step === null ? path : [...path, child.step]));
  for (const [name, body] of definitionsOf(schema)) defs[name] = rewriteChildren(body, [name]);
  const { $defs: _old, ...rest } = rewriteChildren(schema, []);
  return sortDefinitions(inlineSingleUseDefinitions({ ...rest, $defs: defs }, work));
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
  const { shape } = canonicals();
  const resolve = resolverOf(root);
  const via = (node: JsonSchema): "anyOf" | "oneOf" | undefined => (node.anyOf ? "anyOf" : node.oneOf ? "oneOf" : undefined);
  const keys = new Map<JsonSchema, string | undefined>();
  const taggedKey = (node: JsonSchema): string | undefined => {
    if (keys.has(node)) return keys.get(node);
    const union = via(node);
    const variants = union ? node[union]!.filter((v) => v.type !== "null") : [];
    const tag = union ? discriminatorOf(variants, resolve) : undefined;
    const key = tag ? `${tag}:${variants.map(shape).sort().join("|")}` : undefined;
    keys.set(node, key);
    return key;
  };
  const occurrences = new Map<string, string[][]>();
  const count = (node: JsonSchema, path: string[]): void => {
    const key = taggedKey(node);
    if (key) {
      const where = occurrences.get(key);
      if (where) where.push(path);
      else occurrences.set(key, [path]);
    }
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
  // A definition that is itself only a reference is never substituted where it is written: the walks below
  // would not see that, so such a schema takes the plain rule (never the case in the gateways' schemas).
  if (Object.values(defs).some((body) => body.$ref !== undefined)) return inlineOneByOne(root, work);
  const keep = work.keep;
  // Which definitions are inlined, in the plain rule's order (the first in name order referenced at most once,
  // counted again after each), decided on the references' counts alone: the tree is changed once, at the end
  // (inlining one definition after another walked the whole tree twice for each: issue 20.5).
  // `inlined` are the definitions written into their one place; references to them count as their bodies.
  const inlined = new Map<string, JsonSchema>();
  const walk = (node: JsonSchema, visit: (ref: string) => void): void => {
    if (node.$ref) visit(node.$ref);
    for (const child of childrenOf(node)) {
      const body = child.node.$ref === undefined ? undefined : inlined.get(child.node.$ref);
      walk(body ?? child.node, visit);
    }
  };
  const uses = new Map<string, number>();
  const add = (by: number) => (ref: string) => uses.set(ref, (uses.get(ref) ?? 0) + by);
  for (const child of childrenOf(root)) walk(child.node, add(1));
  Object.values(defs).forEach((body) => walk(body, add(1)));
  for (;;) {
    const single = Object.keys(defs).find((name) => !keep.has(name) && (uses.get(`#/$defs/${name}`) ?? 0) <= 1);
    if (!single) break;
    const ref = `#/$defs/${single}`;
    const body = defs[single]!;
    delete defs[single];
    work.taken.delete(single);
    let own = 0;
    walk(body, (r) => (own += r === ref ? 1 : 0));
    if (uses.get(ref) === 1 && own === 0) {
      // written at its one place: the references in it still count, the one to it is gone
      inlined.set(ref, body);
      uses.set(ref, 0);
    } else walk(body, add(-1)); // referenced nowhere else: gone with what it references
  }
  const substitute = (node: JsonSchema): void => {
    for (const child of childrenOf(node)) {
      const body = child.node.$ref === undefined ? undefined : inlined.get(child.node.$ref);
      if (body) {
        const written = { ...body, ...documentationOf(child.node) };
        child.replace(written);
        substitute(written);
      } else substitute(child.node);
    }
  };
  if (inlined.size > 0) {
    substitute(root);
    Object.values(defs).forEach(substitute);
  }
  return root;
}

/** inlineSingleUseDefinitions one definition at a time, each substituted by walking the whole tree. */
function inlineOneByOne(root: JsonSchema, work: DefinitionWork): JsonSchema {
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
    work.taken.delete(single);
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
  // (copy on write: a port's node and the nodes above it are copied, the rest shared with the input)
  const visit = (node: JsonSchema): JsonSchema =>
    mapChildrenIfChanged(node, (child) => {
      const port = visit(child.node);
      if (child.via === "property" && PORT_NAME.test(child.step!) && port.type === "integer" && (port.maximum === undefined || port.maximum > 65535)) {
        const bounded: JsonSchema = { ...port, maximum: 65535 };
        if (port.minimum === undefined && port.exclusiveMinimum === undefined) bounded.minimum = 1;
        return bounded;
      }
      return port;
    });
  const result = visit(schema);
  if (!schema.$defs) return result;
  return { ...result, $defs: Object.fromEntries(definitionsOf(schema).map(([name, body]) => [name, visit(body)])) };
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
  // (a place's number of fields stays the same below: a base hoisted keeps its properties)
  const sizes = places.map((place) => keysOf(place.node).length);
  const bySize = places.map((_, i) => i).sort((a, b) => sizes[b]! - sizes[a]!);
  const placesOfSize = new Map<number, number[]>();
  sizes.forEach((size, i) => {
    const list = placesOfSize.get(size);
    if (list) list.push(i);
    else placesOfSize.set(size, [i]);
  });
  // texts remembered until the tree changes (a base hoisted, an x-extends written)
  let texts = canonicals().text;
  for (const largerIndex of bySize) {
    const larger = places[largerIndex]!;
    if (larger.node.additionalProperties !== false || larger.node["x-extends"]) continue;
    const keys = new Set(keysOf(larger.node));
    const smallest = Math.max(4, 0.6 * keys.size);
    // the base: the largest candidate whose fields are all the larger's, the first in walk order of that size
    let base: ObjectPlace | undefined;
    for (let size = keys.size - 1; size >= smallest && !base; size--) {
      for (const c of placesOfSize.get(size) ?? []) {
        const candidate = places[c]!;
        if (candidate.node === larger.node || candidate.node.additionalProperties !== false) continue;
        const candidateKeys = keysOf(candidate.node);
        const same = candidateKeys.every(
          (key) => keys.has(key) && texts(candidate.node.properties![key]) === texts(larger.node.properties![key]),
        );
        if (same) {
          base = candidate;
          break;
        }
      }
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
    texts = canonicals().text;
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
    return Object.keys(documentation).length > 0 ? { ...documentation, ...node } : node;
  };
  const visit = (node: JsonSchema): JsonSchema =>
    mapChildrenIfChanged(node, (child) => visit(child.via === "property" ? lift(child.node) : child.node));
  const result = { ...visit(schema) };
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
    let node = mapChildrenIfChanged(raw, (child) => visit(child.node));
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
  const result = { ...visit(schema) };
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
    const out = mapChildrenIfChanged(current, (child) => visit(child.node, child.step === null ? path : [...path, child.step], local));
    if (typeof out.$ref === "string" && local.has(out.$ref)) return { ...out, $ref: local.get(out.$ref)! };
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
    // (loops over the keys, not Object.entries / Object.fromEntries: this copies every value of the schema)
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(node)) {
      const value = (node as Record<string, unknown>)[key];
      if (key === "title" && typeof value === "string" && !root) {
        found = true;
        out["x-label"] = value;
      } else if (key === "properties" || key === "$defs" || key === "definitions" || key === "patternProperties") {
        // names of properties, not schemas: a property may be called `title`
        const names: Record<string, unknown> = {};
        for (const name of Object.keys(value as Record<string, unknown>)) {
          const copy = visit((value as Record<string, unknown>)[name], false);
          // (an own property even when named __proto__, as Object.fromEntries made it)
          if (name === "__proto__") Object.defineProperty(names, name, { value: copy, enumerable: true, writable: true, configurable: true });
          else names[name] = copy;
        }
        out[key] = names;
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
    const node = mapChildrenIfChanged(raw, (child) => visit(child.node));
    if (!node.required || !node.properties) return node;
    const required = node.required.filter((key) => node.properties![key]?.default === undefined);
    if (required.length === node.required.length) return node;
    changed = true;
    const { required: _old, ...rest } = node;
    return required.length > 0 ? { ...rest, required } : rest;
  };
  const result = { ...visit(schema) };
  if (schema.$defs) result.$defs = Object.fromEntries(definitionsOf(schema).map(([name, body]) => [name, visit(body)]));
  return changed ? result : schema;
}

/** Rule "Mark integers bounded to 0..65535 or 1..65535 as ports" (`x-port`, with the lower bound as `minimum`). */
export function markPortRanges(schema: JsonSchema): JsonSchema {
  const visit = (raw: JsonSchema): JsonSchema => {
    const node = mapChildrenIfChanged(raw, (child) => visit(child.node));
    if (node.type !== "integer" || node["x-port"]) return node;
    const min = node.exclusiveMinimum !== undefined ? node.exclusiveMinimum + 1 : node.minimum;
    const max = node.exclusiveMaximum !== undefined ? node.exclusiveMaximum - 1 : node.maximum;
    if ((min === 0 || min === 1) && max === 65535) return { ...node, "x-port": true, minimum: min };
    return node;
  };
  const result = { ...visit(schema) };
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
  /**
   * Part of the published JSON schema (schemas/*.schema.json) and of the parser's input (true), only of the
   * parser's input (false), or only of the published schema ("only": it comes right after the published steps).
   */
  published: boolean | "only";
  apply: (schema: JsonSchema, work: NormaliseWork) => JsonSchema;
}

export const NORMALISATION: readonly NormalisationStep[] = [
  { rule: "Write a draft-07 tuple (`items` as a list) as the published draft's `prefixItems`", of: "settings", published: true, apply: tuplesAsPrefixItems },
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
  {
    rule: "Give a per-account or per-agent key without text the text of the key it overrides",
    of: "settings",
    published: true,
    apply: inheritOverriddenText,
  },
  { rule: "Mark every secret string `x-secret` (generator/secrets.ts)", of: "settings", published: true, apply: markSecrets },
  {
    rule: "Write an object that occurs more than once, the same to the letter, once as a definition",
    of: "settings",
    published: "only",
    apply: shareIdenticalObjects,
  },
  { rule: "Lift the documentation of a nullable's inner schema onto the field", of: "both", published: false, apply: liftNullableDocumentation },
  { rule: "Transform `const`, and a union of constants, into one enum", of: "both", published: false, apply: constantsToEnums },
  { rule: "Mark integers bounded to 0..65535 or 1..65535 as ports", of: "both", published: false, apply: markPortRanges },
  { rule: "Hoist every object that occurs more than once into a named definition, one of one or two fields only where its places are the same key", of: "settings", published: false, apply: (s, w) => hoistRepeatedObjects(s, w.definitions) },
  {
    rule: "Hoist every tagged union that occurs more than once into a named definition",
    of: "settings",
    published: false,
    apply: (s, w) => hoistRepeatedTaggedUnions(s, w.definitions),
  },
  { rule: "Inline a hoisted definition that ends up referenced once", of: "settings", published: false, apply: (s, w) => inlineSingleUseDefinitions(s, w.definitions) },
  { rule: "Name anonymous definitions by where they are referenced", of: "settings", published: false, apply: (s, w) => nameAnonymousDefinitions(s, w.definitions) },
  { rule: "Write an object that adds fields to another object as that object plus its own fields", of: "settings", published: false, apply: (s, w) => extendSubsets(s, w.definitions) },
];

export interface Normalised {
  /** After the published steps: what schemas/*.schema.json holds. */
  published: JsonSchema;
  /** After every step: the parser's input. */
  lowered: JsonSchema;
  report: HintReport;
}

/** Runs NORMALISATION in order over upstream's schema ("settings") or the service options' ("service"). */
export function normalise(schema: JsonSchema, of: "settings" | "service", hints: UiHints = {}): Normalised {
  const work: NormaliseWork = { hints, report: { unmatched: [], annotated: 0 }, definitions: newDefinitionWork() };
  let current = schema;
  let published = schema;
  for (const step of NORMALISATION) {
    if (step.of === "settings" && of !== "settings") continue;
    if (step.published === "only") {
      published = step.apply(current, work);
      continue;
    }
    current = step.apply(current, work);
    if (step.published) published = current;
  }
  return { published, lowered: current, report: work.report };
}
