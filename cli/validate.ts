// Offline validation of a gateway's config against its pinned upstream schema (schemas/<gateway>.schema.json:
// upstream's schema as JSON schema, with upstream's uiHints attached) and, for Clawdbot, upstream's list of retired
// keys. Every function takes the target (cli/targets.ts), always given; nothing here names a gateway.
//
// Order and scope follow upstream's validateConfigObject (dist/config/validation.js): legacy keys first (each with
// upstream's migration hint), then the schema. Upstream's cross-field refinements and plugin checks are not in the
// JSON schema; tests/cli/upstream-parity.test.ts (Clawdbot) and tests/cli/openclaw.test.ts (OpenClaw) compare
// verdicts with the gateway's own validator.
import { Ajv2020 } from "ajv/dist/2020.js";
import type { ErrorObject, ValidateFunction } from "ajv";
import type { JsonSchema } from "../generator/json-schema.js";
import { hintMatches, type UiHints } from "../generator/normalize.js";
import { samePath, startsWith, valueAt, type Segment } from "./json-path.js";
import { envNames, isPlainObject, type Json, type JsonObject } from "./json.js";
import { nearest } from "./suggest.js";
import { isSecretKeyName } from "./tokens.js";
import { TARGETS, type LegacyRule, type Target, type TargetChoice } from "./targets.js";

export type { LegacyRule } from "./targets.js";
export interface LegacySnapshot {
  package: string;
  version: string;
  source: string;
  rules: LegacyRule[];
}

/** Clawdbot's retired keys (only Clawdbot has such a list; OpenClaw's own validator reports its legacy keys). */
export const LEGACY: LegacySnapshot = {
  package: TARGETS.clawdbot.gateway.packageName,
  version: TARGETS.clawdbot.version,
  source: "dist/config/legacy.rules.js",
  rules: TARGETS.clawdbot.legacy,
};

export type { Segment } from "./json-path.js";

export interface Problem {
  kind: "legacy" | "unknown-key" | "type" | "value" | "missing" | "env-reference" | "upstream";
  /** Where, as segments (numbers are list indices). */
  path: Segment[];
  message: string;
  /** Upstream's help text for the key (or for the suggested key). */
  help?: string;
  /** A valid key (full dotted path) close to a misspelt one, or a valid value close to a wrong one. */
  suggestion?: string;
  /** A problem that may vanish at run time (the value reads an environment variable): reported, not fatal. */
  warning?: boolean;
  /**
   * Only the schema layer refuses it; the gateway's own validator accepts it (a warning). The modules' typed
   * settings are generated from the same schema: they refuse it too (the import converts or leaves it out).
   */
  schemaOnly?: boolean;
}

const NIX_KEYWORDS = new Set(["assert", "else", "if", "in", "inherit", "let", "or", "rec", "then", "with"]);

/** One attribute name as Nix writes it: bare when it is a Nix identifier, else quoted (a key with a dot stays one). */
export function nixAttrName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_'-]*$/.test(name) && !NIX_KEYWORDS.has(name) ? name : JSON.stringify(name).replace(/\$\{/g, "\\${");
}

/**
 * A path as people write it, its names as Nix writes them: `agents.list[0].model`,
 * `models.providers."openai/x".apiKey`, `broadcast."120363…@g.us"` (one key, dots and all).
 */
export function displayPath(path: Segment[]): string {
  if (path.length === 0) return "<root>";
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else {
      const name = nixAttrName(segment);
      out += out === "" ? name : `.${name}`;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The schema, walked along a concrete path

export interface SchemaStep {
  node: JsonSchema;
  /** The schema path: names, "*" for a record value, "[]" for a list item. */
  schemaPath: string[];
}

/** The schema node a concrete path leads to (through anyOf variants and `$ref`s), or undefined when it leaves the schema. */
export function schemaAt(path: Segment[], root: JsonSchema): SchemaStep | undefined {
  let steps: SchemaStep[] = [{ node: root, schemaPath: [] }];
  for (const segment of path) {
    const next: SchemaStep[] = [];
    for (const step of steps) next.push(...childSteps(step, segment, root));
    if (next.length === 0) return undefined;
    steps = next;
  }
  // Prefer a node that documents itself.
  return steps.find((s) => s.node.description) ?? steps[0];
}

/** A local `$ref` (`#/$defs/Name`) resolved against the root; other nodes as they are. */
function deref(node: JsonSchema, root: JsonSchema): JsonSchema {
  for (let i = 0; node.$ref?.startsWith("#/$defs/") && i < 32; i++) {
    const target = root.$defs?.[node.$ref.slice("#/$defs/".length)];
    if (!target) break;
    const { $ref: _ref, ...siblings } = node;
    node = { ...target, ...siblings };
  }
  return node;
}

function variants(node: JsonSchema, root: JsonSchema): JsonSchema[] {
  node = deref(node, root);
  const list = [...(node.anyOf ?? []), ...(node.oneOf ?? [])];
  return list.length > 0 ? [node, ...list.flatMap((v) => variants(v, root))] : [node];
}

function childSteps(step: SchemaStep, segment: Segment, root: JsonSchema): SchemaStep[] {
  const out: SchemaStep[] = [];
  for (const node of variants(step.node, root)) {
    if (typeof segment === "number") {
      if (node.items) out.push({ node: node.items, schemaPath: [...step.schemaPath, "[]"] });
      continue;
    }
    const property = node.properties?.[segment];
    if (property) out.push({ node: property, schemaPath: [...step.schemaPath, segment] });
    else if (typeof node.additionalProperties === "object") {
      out.push({ node: node.additionalProperties, schemaPath: [...step.schemaPath, "*"] });
    }
  }
  return out;
}

/** Upstream's help text for a concrete path: the schema's description (attached from uiHints), else the hint. */
export function helpAt(path: Segment[], target: Target): string | undefined {
  const step = schemaAt(path, target.schema);
  if (step?.node.description) return step.node.description;
  const schemaPath = step?.schemaPath ?? path.map((s) => (typeof s === "number" ? "[]" : s));
  for (const [key, hint] of Object.entries(target.uiHints)) {
    if (hint.help && (hintMatches(key, schemaPath) || patternMatches(hintPattern(key), path))) return hint.help;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Secret paths: which keys take the module's file form `{ _secret = "/path"; }`

const hintPattern = (key: string): string[] => key.replace(/\[\]/g, ".[]").split(".").filter((s) => s !== "");

/** Does a pattern ("*" any key, "[]" any index) match a concrete path? */
export function patternMatches(pattern: string[], path: Segment[]): boolean {
  if (pattern.length !== path.length) return false;
  return pattern.every((p, i) => {
    const actual = path[i]!;
    if (p === "[]") return typeof actual === "number";
    if (p === "*") return typeof actual === "string";
    return p === actual;
  });
}

export type { SecretFacts } from "./tokens.js";

/** The schema paths whose option takes `{ _secret = …; }` (facts.json). */
export function secretPatterns(target: Target): string[][] {
  return target.facts.secrets.paths.map((p) => [...p]);
}

/**
 * Is this concrete path one whose option takes `{ _secret = …; }`? A path of facts.json, or a key named like a
 * secret below one of its free-form objects (a plugin channel's `botToken`).
 */
export function isSecretPath(path: Segment[], target: Target): boolean {
  const facts = target.facts.secrets;
  if (facts.paths.some((pattern) => patternMatches(pattern, path))) return true;
  const last = path.at(-1);
  if (typeof last !== "string" || !isSecretKeyName(last, facts)) return false;
  return facts.freeform.some((pattern) => pattern.length < path.length && patternMatches(pattern, path.slice(0, pattern.length)));
}

/** Upstream marks the key sensitive (whatever its type). */
export function isSensitivePath(path: Segment[], target: Target): boolean {
  if (isSecretPath(path, target)) return true;
  if (schemaAt(path, target.schema)?.node["x-secret"] === true) return true;
  return Object.entries(target.uiHints).some(([key, hint]) => hint.sensitive && patternMatches(hintPattern(key), path));
}

// ---------------------------------------------------------------------------------------------------------------
// Legacy keys

export function legacyProblems(config: JsonObject, rules: LegacyRule[]): Problem[] {
  const problems: Problem[] = [];
  for (const rule of rules) {
    const cursor = valueAt(config, rule.path);
    if (cursor === undefined) continue;
    if (rule.match === "string" && typeof cursor !== "string") continue;
    problems.push({ kind: "legacy", path: rule.path, message: `legacy key: ${rule.message}` });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Schema validation

const compilers = new Map<Target["name"], { ajv: Ajv2020; root: ValidateFunction; variants: WeakMap<object, ValidateFunction> }>();
function compilerOf(target: Target) {
  let compiler = compilers.get(target.name);
  if (!compiler) {
    // Formats ("uri", "date-time") are left to the gateway's own validator (ajv-formats is not a dependency).
    // The code is compiled once per run and validates one config: ajv's optimisation passes would cost more than
    // they save (OpenClaw's 2 MB schema: 10 s vs 5 s on the 2-core CI machine kind, under load).
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: false, validateFormats: false, code: { optimize: false } });
    compiler = { ajv, root: ajv.compile(target.schema as object), variants: new WeakMap() };
    compilers.set(target.name, compiler);
  }
  return compiler;
}
const validator = (target: Target): ValidateFunction => compilerOf(target).root;

/** A validator of one variant of a union on its own, its `$ref`s resolved against the root's definitions. */
function variantValidator(variant: JsonSchema, target: Target): ValidateFunction {
  const { ajv, variants } = compilerOf(target);
  let validate = variants.get(variant);
  if (!validate) {
    validate = ajv.compile({ $defs: target.schema.$defs ?? {}, ...variant });
    variants.set(variant, validate);
  }
  return validate;
}

const pointerSegments = (pointer: string, value: Json): Segment[] => {
  const segments: Segment[] = [];
  let cursor: Json | undefined = value;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(cursor)) {
      segments.push(Number(key));
      cursor = cursor[Number(key)];
    } else {
      segments.push(key);
      cursor = isPlainObject(cursor) ? cursor[key] : undefined;
    }
  }
  return segments;
};

const constsOf = (node: JsonSchema): unknown[] | undefined => {
  const values: unknown[] = [];
  for (const variant of node.anyOf ?? [node]) {
    if (variant.const !== undefined) values.push(variant.const);
    else if (variant.enum) values.push(...variant.enum);
    else return undefined;
  }
  return values;
};

function describeExpected(node: JsonSchema, root?: JsonSchema): string {
  const consts = constsOf(node);
  if (consts) return `one of ${consts.map((c) => JSON.stringify(c)).join(", ")}`;
  const kinds = new Set<string>();
  for (const raw of node.anyOf ?? node.oneOf ?? [node]) {
    const variant = root ? deref(raw, root) : raw;
    if (!variant.type && (variant.anyOf ?? variant.oneOf) && root) {
      for (const kind of describeExpected(variant, root).split(" or ")) kinds.add(kind);
      continue;
    }
    const type = variant.type;
    if (variant.const !== undefined) kinds.add(JSON.stringify(variant.const));
    else if (Array.isArray(type)) type.forEach((t) => kinds.add(t));
    else if (type) kinds.add(type === "object" ? "an object" : type === "array" ? "a list" : type);
    else kinds.add("another form");
  }
  return [...kinds].join(" or ");
}

const UNION_KEYWORDS = new Set(["anyOf", "oneOf"]);

/** Is this instance path the union's value or below it? */
const atOrBelow = (instancePath: string, at: string): boolean => instancePath === at || instancePath.startsWith(`${at}/`);

/**
 * A failed union (anyOf / oneOf) explained by the variant the value came closest to, its errors only (recursively):
 * a variant whose shape the value does not have (a type, const or enum error at the value itself) is far; one
 * whose tag (a const or enum property) the value contradicts is farther than one it merely misses a key of;
 * among the rest, the fewest errors wins. When every variant is far, the union's own summary stands ("is 3, must
 * be string or an object").
 * Each variant is validated again on its own: ajv's `schemaPath` cannot say which variant an error came from once
 * a variant is a `$ref` (the published schema writes a shape used at many places once, as a definition).
 */
function selectUnionVariants(errors: ErrorObject[], target: Target): ErrorObject[] {
  const out = [...errors];
  // outermost first: the shortest value path, and at one path the union ajv reported last (it encloses the others)
  const unions = () =>
    out
      .map((error, index) => ({ error, index }))
      .filter(({ error }) => UNION_KEYWORDS.has(error.keyword))
      .sort((a, b) => a.error.instancePath.length - b.error.instancePath.length || b.index - a.index);
  const explained = new Set<ErrorObject>();
  for (;;) {
    const next = unions().find(({ error }) => !explained.has(error));
    if (!next) return out;
    const { error: union, index } = next;
    explained.add(union);
    const variants = union.schema as JsonSchema[] | undefined;
    if (!Array.isArray(variants)) continue;
    // what each variant says of the value, its paths made the whole config's
    const byVariant: ErrorObject[][] = [];
    for (const variant of variants) {
      const validate = variantValidator(variant, target);
      if (validate(union.data)) {
        byVariant.length = 0; // a oneOf matched more than once: its own message says so
        break;
      }
      const own = (validate.errors ?? []).map((e) => ({ ...e, instancePath: union.instancePath + e.instancePath }));
      byVariant.push(selectUnionVariants(own, target));
    }
    if (byVariant.length === 0) continue;
    const score = (list: ErrorObject[]): number => {
      let total = 0;
      for (const e of list) {
        // (a union left in a variant's explained errors is one none of whose variants the value came near)
        if (e.instancePath === union.instancePath && (e.keyword === "type" || e.keyword === "const" || e.keyword === "enum" || UNION_KEYWORDS.has(e.keyword))) return Infinity;
        // the value's tag names another variant: `source: "env"` against the file variant
        const tag = (e.keyword === "const" || e.keyword === "enum") && e.instancePath.startsWith(`${union.instancePath}/`) && !e.instancePath.slice(union.instancePath.length + 1).includes("/");
        total += tag ? 1000 : 1;
      }
      return total;
    };
    let best: ErrorObject[] | undefined;
    let bestScore = Infinity;
    for (const list of byVariant) {
      const value = score(list);
      if (value < bestScore) [best, bestScore] = [list, value];
    }
    // ajv reported the variants' errors just before the union's: the run of errors at or below its value
    let start = index;
    while (start > 0 && atOrBelow(out[start - 1]!.instancePath, union.instancePath) && !explained.has(out[start - 1]!)) start--;
    // the closest variant's own errors say what is wrong; the union's summary would contradict them
    const kept = best ?? [union];
    for (const e of kept) explained.add(e);
    out.splice(start, index - start + 1, ...kept);
  }
}

/** ajv's errors, one problem per real mistake: unions explained by their closest variant, unknown keys get suggestions. */
function schemaProblems(config: JsonObject, target: Target): Problem[] {
  const validate = validator(target);
  if (validate(config)) return [];
  const errors = selectUnionVariants((validate.errors ?? []) as ErrorObject[], target);
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const push = (problem: Problem): void => {
    const key = `${displayPath(problem.path)}\u0000${problem.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push(problem);
  };
  for (const error of errors) {
    if (error.keyword === "if") continue;
    const path = pointerSegments(error.instancePath, config);
    push(problemOf(error, path, config, target));
  }
  return problems;
}

/**
 * An unknown key that names one of the service's own options (`gateway.auth.tokenFile`, a top-level `stateDir`):
 * the option (`services.openclaw.auth.tokenFile`), which is what a Nix user means, not the config key it resembles.
 */
export function serviceOptionFor(path: Segment[], target: Target): string | undefined {
  const key = path.at(-1);
  if (typeof key !== "string") return undefined;
  const parent = path.slice(0, -1);
  const { module } = target.gateway;
  if (samePath(parent, ["gateway", "auth"]) && target.service.authOptions.includes(key)) return `${module}.auth.${key}`;
  if ((parent.length === 0 || samePath(parent, ["gateway"])) && target.service.options.includes(key)) return `${module}.${key}`;
  return undefined;
}

function problemOf(error: ErrorObject, path: Segment[], config: JsonObject, target: Target): Problem {
  const withHelp = (problem: Problem): Problem => {
    const help = helpAt(problem.path, target);
    if (help) problem.help = help;
    return problem;
  };
  const parent = error.parentSchema as JsonSchema | undefined;
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const where = [...path, key];
      const candidates = Object.keys(parent?.properties ?? {});
      const option = serviceOptionFor(where, target);
      const suggestion = option === undefined ? nearest(key, candidates) : undefined;
      const problem: Problem = { kind: "unknown-key", path: where, message: "unknown key" };
      if (option !== undefined) {
        problem.suggestion = option;
        problem.message = `unknown key — under Nix this is the service option ${option}`;
      } else if (suggestion !== undefined) {
        problem.suggestion = displayPath([...path, suggestion]);
        problem.message = `unknown key — did you mean ${problem.suggestion}?`;
        const help = helpAt([...path, suggestion], target);
        if (help) problem.help = help;
      } else if (candidates.length > 0 && candidates.length <= 12) {
        problem.message = `unknown key (${displayPath(path)} takes: ${[...candidates].sort().join(", ")})`;
      }
      return problem;
    }
    case "required": {
      const key = String((error.params as { missingProperty: string }).missingProperty);
      return withHelp({ kind: "missing", path: [...path, key], message: "required key is missing" });
    }
    case "anyOf":
    case "oneOf":
    case "const":
    case "enum": {
      const value = valueAt(config, path);
      const node = parent ?? {};
      const consts = constsOf(node);
      const problem: Problem = { kind: "value", path, message: `is ${JSON.stringify(value)}, must be ${describeExpected(node, target.schema)}` };
      if (consts && typeof value === "string") {
        const suggestion = nearest(value, consts.filter((c): c is string => typeof c === "string"));
        if (suggestion !== undefined) {
          problem.suggestion = JSON.stringify(suggestion);
          problem.message += ` — did you mean ${problem.suggestion}?`;
        }
      }
      return withHelp(problem);
    }
    case "type":
      return withHelp({ kind: "type", path, message: `is ${describeValue(valueAt(config, path))}, must be ${describeExpected(parent ?? {}, target.schema)}` });
    default:
      return withHelp({ kind: "value", path, message: `${JSON.stringify(valueAt(config, path))} ${error.message ?? "is invalid"}` });
  }
}

const describeValue = (value: Json | undefined): string =>
  value === null ? "null" : Array.isArray(value) ? "a list" : isPlainObject(value) ? "an object" : `${typeof value} ${JSON.stringify(value)}`;

/** Does the value at this path read an environment variable? */
export function readsEnv(config: Json, path: Segment[]): boolean {
  const value = valueAt(config, path);
  return typeof value === "string" && envNames(value).length > 0;
}

/**
 * Can some string satisfy the field at this path? The gateway substitutes `${VAR}` before it validates, and what it
 * substitutes is always a string: a reference in a field that takes only numbers, booleans, objects or lists can
 * never become valid (`gateway.port: "${PORT}"` is "18789", a string, never a port), whereas an enum or a string
 * field may be satisfied by the variable's value.
 */
export function acceptsString(path: Segment[], target: Target): boolean {
  const step = schemaAt(path, target.schema);
  if (!step) return true; // outside the schema: the unknown key is the problem, not the type
  return variants(step.node, target.schema).some((node) => {
    const type = node.type;
    if (typeof node.const === "string" || node.enum?.some((v) => typeof v === "string")) return true;
    if (type === undefined) return node.anyOf === undefined && node.oneOf === undefined && node.const === undefined && node.enum === undefined;
    return type === "string" || (Array.isArray(type) && type.includes("string"));
  });
}

/**
 * A problem on a `${VAR}` value: a warning when the variable's value may satisfy the field (checked when the gateway
 * substitutes it), an error when no string can.
 */
export function classifyEnvProblem(problem: Problem, config: Json, target: Target): Problem {
  if (!readsEnv(config, problem.path)) return problem;
  if (acceptsString(problem.path, target)) {
    problem.kind = "env-reference";
    problem.warning = true;
    problem.message += " (the value reads an environment variable: checked again when the gateway substitutes it)";
  } else {
    problem.kind = "env-reference";
    delete problem.warning;
    problem.message +=
      " — it reads an environment variable, and a substituted value is always a string, which this field never accepts: write the value itself";
    if (samePath(problem.path, ["gateway", "port"])) problem.message += " (or leave it out and set the service's `port` option)";
  }
  return problem;
}

/**
 * Every problem the schema layer finds, legacy keys first. A `${VAR}` value where a string may fit (an enum) is a
 * warning; where no string can fit (a number, a boolean) it is an error, see acceptsString.
 */
export function validateConfig(config: JsonObject, target: Target): Problem[] {
  const legacy = legacyProblems(config, target.legacy);
  const underLegacy = (path: Segment[]): boolean => legacy.some((l) => startsWith(path, l.path));
  const byPath = (a: Problem, b: Problem): number => {
    const x = displayPath(a.path);
    const y = displayPath(b.path);
    return x < y ? -1 : x > y ? 1 : 0;
  };
  const schema = schemaProblems(config, target)
    .filter((p) => !underLegacy(p.path))
    .sort(byPath);
  // only the value's shape can change with substitution; an unknown or missing key stays one
  for (const problem of schema) if (problem.kind === "type" || problem.kind === "value") classifyEnvProblem(problem, config, target);
  return [...legacy, ...schema];
}

/** One line (plus help) per problem, for people. */
export function formatProblem(problem: Problem): string {
  const lines = [`${problem.warning ? "warning" : "error"}: ${displayPath(problem.path)}: ${problem.message}`];
  if (problem.help) lines.push(`    help: ${problem.help}`);
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------------------------
// Which gateway a config is for, by its keys

/**
 * The keys of a config that only one gateway's schema has (the shallowest such key on each branch), per gateway.
 * A key under a free-form object counts for neither.
 */
export function onlyKeys(config: JsonObject): Record<Target["name"], Segment[][]> {
  const names = Object.keys(TARGETS) as Target["name"][];
  const found = Object.fromEntries(names.map((n) => [n, [] as Segment[][]])) as Record<Target["name"], Segment[][]>;
  const walk = (value: Json, path: Segment[], depth: number): void => {
    const children: [Segment, Json][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : isPlainObject(value) ? Object.entries(value) : [];
    for (const [segment, child] of children) {
      const at = [...path, segment];
      const status = names.map((n) => keyStatus(at, TARGETS[n].schema));
      // a key one schema names and the other refuses (its object takes only named keys)
      const named = names.filter((_, i) => status[i] === "named");
      if (named.length === 1 && status.every((st) => st === "named" || st === "absent")) {
        found[named[0]!].push(at);
        continue;
      }
      if (status.every((st) => st === "named" || st === "record") && depth < 6) walk(child, at, depth + 1);
    }
  };
  walk(config, [], 0);
  return found;
}

/** How a schema knows a key: by name, as a record's key, anything goes there (free), not at all (absent, or outside). */
function keyStatus(path: Segment[], root: JsonSchema): "named" | "record" | "free" | "absent" | "outside" {
  const step = schemaAt(path, root);
  if (step) return step.schemaPath.at(-1) === "*" ? "record" : "named";
  const parent = schemaAt(path.slice(0, -1), root);
  if (!parent) return "outside";
  const free = variants(parent.node, root).some((v) => v.additionalProperties === true || (v.type === "object" && !v.properties && v.additionalProperties === undefined) || (v.type === undefined && !v.properties && !v.anyOf && !v.oneOf && !v.$ref));
  return free ? "free" : "absent";
}

/** The gateway whose schema alone has more of the config's keys than the other's, with those keys as the reason. */
export function contentTarget(config: JsonObject): TargetChoice | undefined {
  const only = onlyKeys(config);
  const ranked = (Object.keys(only) as Target["name"][]).sort((a, b) => only[b].length - only[a].length);
  const [first, second] = ranked;
  if (first === undefined || only[first].length === 0 || (second !== undefined && only[second].length === only[first].length)) return undefined;
  const target = TARGETS[first];
  const keys = only[first].slice(0, 3).map(displayPath).join(", ");
  const more = only[first].length > 3 ? ` and ${only[first].length - 3} more` : "";
  const other = second !== undefined && only[second].length > 0 ? `; ${only[second].length} only ${TARGETS[second].displayName}'s has` : "";
  return { target, reason: `keys only ${target.displayName}'s schema has: ${keys}${more}${other}` };
}
