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
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
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
  "x-secret"?: boolean;
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

/** Visits every subschema with its schema path ("*" = record value, "[]" = array item). */
export function walkSchema(
  schema: JsonSchema,
  visit: (node: JsonSchema, path: string[]) => void,
  path: string[] = [],
): void {
  visit(schema, path);
  for (const [name, child] of Object.entries(schema.properties ?? {})) walkSchema(child, visit, [...path, name]);
  if (typeof schema.additionalProperties === "object") walkSchema(schema.additionalProperties, visit, [...path, "*"]);
  if (schema.items) walkSchema(schema.items, visit, [...path, "[]"]);
  for (const variant of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) walkSchema(variant, visit, path);
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
  const children = (node: JsonSchema): [JsonSchema, string | null][] => [
    ...Object.entries(node.properties ?? {}).map(([name, child]): [JsonSchema, string | null] => [child, name]),
    ...(typeof node.additionalProperties === "object" ? [[node.additionalProperties, "*"] as [JsonSchema, string]] : []),
    ...(node.items ? [[node.items, "[]"] as [JsonSchema, string]] : []),
    ...[...(node.anyOf ?? []), ...(node.oneOf ?? [])].map((v): [JsonSchema, string | null] => [v, null]),
  ];
  const memo = new Map<JsonSchema, boolean>();
  const containsFields = (raw: JsonSchema, stack: Set<JsonSchema>): boolean => {
    const node = resolve(raw);
    if (memo.has(node)) return memo.get(node)!;
    if (stack.has(node)) return true;
    const inner = new Set(stack).add(node);
    const result =
      Object.keys(node.properties ?? {}).length > 0 || children(node).some(([child]) => containsFields(child, inner));
    memo.set(node, result);
    return result;
  };
  const visit = (raw: JsonSchema, path: string[], stack: Set<JsonSchema>): void => {
    const node = resolve(raw);
    if (stack.has(node)) return; // recursion: the leaves below were counted once
    const variants = [...(node.anyOf ?? []), ...(node.oneOf ?? [])];
    const holdsScalar = !containsFields(node, new Set()) || variants.some((v) => !containsFields(v, new Set()));
    if (holdsScalar && path.length > 0) leaves.add(path.join("."));
    const inner = new Set(stack).add(node);
    for (const [name, child] of Object.entries(node.properties ?? {})) visit(child, [...path, name], inner);
    for (const [child, step] of children(node).slice(Object.keys(node.properties ?? {}).length)) {
      if (containsFields(child, new Set())) visit(child, step === null ? path : [...path, step], inner);
    }
  };
  visit(schema, [], new Set());
  return leaves;
}
