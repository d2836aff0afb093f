// Parse a normalised JSON schema into the IR. One handler per schema shape; anything the IR cannot type
// precisely becomes `anything` with a reason, and is counted in the summary.
import { assertNever, type IrDefinition, type IrField, type IrModule, type IrType, type Platform, type Scalar } from "./ir.js";
import { discriminatorOf, recognitionOf, resolverOf, type JsonSchema } from "./json-schema.js";

export interface ParseOptions {
  /**
   * "option": a schema `default` is the option's default (the service options).
   * "upstream": it is applied by the gateway when the key is absent; the option defaults to null and
   * documents it (clawdbot.json).
   */
  defaults: "option" | "upstream";
}

export function parseModule(schema: JsonSchema, title: string, options: ParseOptions): IrModule {
  const definitions = new Map<string, IrDefinition>();
  for (const name of Object.keys(schema.$defs ?? {})) {
    definitions.set(name, { name, type: { kind: "anything", reason: "pending" }, usedAt: [] });
  }
  const context: ParseContext = { definitions, options, resolve: resolverOf(schema) };
  for (const [name, body] of Object.entries(schema.$defs ?? {})) {
    definitions.get(name)!.type = parseType(body, [name], context);
  }
  const root = parseType(schema, [], context);
  if (root.kind !== "submodule") throw new Error(`${title}: the root schema must be an object with properties`);
  const module: IrModule = { title, root, definitions };
  recordUses(module);
  return module;
}

interface ParseContext {
  definitions: Map<string, IrDefinition>;
  options: ParseOptions;
  /** A `$ref` to the definition's schema (to find a union's discriminator through references). */
  resolve: (node: JsonSchema) => JsonSchema;
}

const isNullSchema = (s: JsonSchema): boolean => s.type === "null";

function parseType(schema: JsonSchema, path: string[], context: ParseContext): IrType {
  const at = path.join(".") || "<root>";
  if (schema.$ref) {
    const name = schema.$ref.replace(/^#\/\$defs\//, "");
    if (!context.definitions.has(name)) throw new Error(`${at}: reference to unknown definition ${schema.$ref}`);
    return { kind: "ref", name };
  }
  // (`const` and unions of constants are enums after normalisation: normalize.ts constantsToEnums.)
  if (schema.enum) return { kind: "enum", values: schema.enum as Scalar[] };

  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return parseUnion(variants, path, context);

  if (Array.isArray(schema.type)) {
    return parseUnion(schema.type.map((type) => ({ ...schema, type })), path, context);
  }
  if (schema["x-port"]) return { kind: "port", min: schema.minimum ?? 0 };
  if (schema["x-path"]) return { kind: "path" };

  switch (schema.type) {
    case "boolean":
      return { kind: "bool" };
    case "integer":
      return parseInteger(schema);
    case "number": {
      const min = schema.exclusiveMinimum ?? schema.minimum;
      return {
        kind: "float",
        ...(min !== undefined ? { min } : {}),
        ...(schema.maximum !== undefined ? { max: schema.maximum } : {}),
        ...(schema.exclusiveMinimum !== undefined ? { exclusiveMin: true } : {}),
      };
    }
    case "string":
      return {
        kind: "str",
        ...(schema.pattern ? { pattern: schema.pattern } : {}),
        ...(schema.minLength !== undefined ? { minLength: schema.minLength } : {}),
        ...(schema.maxLength !== undefined ? { maxLength: schema.maxLength } : {}),
        ...(schema["x-secret"] === "url" ? { secret: "url" as const } : schema["x-secret"] ? { secret: true as const } : {}),
      };
    case "array": {
      if (schema.items && typeof schema.items === "object") return { kind: "list", item: parseType(schema.items, [...path, "[]"], context) };
      // a tuple (prefixItems): a list of its places' type when they all have the same one (a price range's two numbers)
      const places = schema.prefixItems ?? [];
      if (places.length > 0 && places.every((p) => JSON.stringify(p) === JSON.stringify(places[0]))) {
        return { kind: "list", item: parseType(places[0]!, [...path, "[]"], context) };
      }
      return { kind: "list", item: anything(places.length > 0 ? "a tuple whose places have different types" : "array without items") };
    }
    case "object":
      return parseObject(schema, path, context);
    case "null":
      return { kind: "anything", reason: `${at}: a lone null type` };
    case undefined:
      return { kind: "anything", reason: `${at}: schema without a type`, ...(schema["x-secret"] ? { secret: true as const } : {}) };
  }
}

const anything = (reason: string): IrType => ({ kind: "anything", reason });

function parseInteger(schema: JsonSchema): IrType {
  const min = schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : schema.minimum;
  const max = schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : schema.maximum;
  // (0..65535 and 1..65535 are ports after normalisation: normalize.ts markPortRanges.) Every bound is kept,
  // ±(2^53 - 1) too (zod's `.int()`, a JavaScript safe integer): Nix's integers are 64-bit, so without it Nix
  // would take 2^53, which upstream refuses.
  return { kind: "int", ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
}

function parseUnion(variants: JsonSchema[], path: string[], context: ParseContext): IrType {
  const nonNull = variants.filter((v) => !isNullSchema(v));
  const nullable = nonNull.length < variants.length;
  const wrap = (type: IrType): IrType => (nullable ? { kind: "nullable", inner: type } : type);
  if (nonNull.length === 1) return wrap(parseType(nonNull[0]!, path, context));
  const parsed = nonNull.map((v) => parseType(v, path, context));
  // A union of objects (inline or hoisted definitions) that each fix one property to a constant is tagged on it.
  const tag = discriminatorOf(nonNull, context.resolve);
  // Objects without one tag: each variant recognised by a key of its own (twitch's account or accounts).
  const recognise = tag ? undefined : recognitionOf(nonNull, context.resolve);
  return wrap({ kind: "union", variants: parsed, ...(tag ? { tag } : {}), ...(recognise ? { recognise } : {}) });
}

function parseObject(schema: JsonSchema, path: string[], context: ParseContext): IrType {
  const properties = Object.entries(schema.properties ?? {});
  const extra = schema.additionalProperties;
  const extraType =
    extra === undefined || extra === true
      ? anything(`${path.join(".")}: open object`)
      : extra === false
        ? undefined
        : parseType(extra, [...path, "*"], context);
  // An object with no keys and no others allowed (OpenClaw's plugins without settings): only { }, a closed
  // submodule with no options (any key is "does not exist"); `attrsOf anything` took any keys upstream refuses.
  if (properties.length === 0 && extra === false && !schema.propertyNames?.pattern) return { kind: "submodule", fields: [] };
  if (properties.length === 0) {
    // An object without declared fields is a record of its value type (an attrsOf in Nix).
    return {
      kind: "attrs",
      value: extraType ?? anything(`${path.join(".")}: empty closed object`),
      ...(schema.propertyNames?.pattern ? { keyPattern: schema.propertyNames.pattern } : {}),
    };
  }
  const required = new Set(schema.required ?? []);
  const fields = properties.map(([name, child]) => parseField(name, child, !required.has(name), [...path, name], context));
  const base = schema["x-extends"]?.replace(/^#\/\$defs\//, "");
  if (base !== undefined && !context.definitions.has(base)) throw new Error(`${path.join(".")}: extends unknown ${base}`);
  return { kind: "submodule", fields, ...(extraType ? { freeform: extraType } : {}), ...(base ? { base } : {}) };
}

function parseField(name: string, schema: JsonSchema, optional: boolean, path: string[], context: ParseContext): IrField {
  const field: IrField = {
    name,
    type: parseType(schema, path, context),
    optional,
    description: schema.description ?? "",
    sensitive: schema["x-sensitive"] === true,
    secret: false,
    readOnly: schema.readOnly === true,
  };
  field.secret = holdsSecretString(field.type);
  if (schema["x-label"]) field.label = schema["x-label"];
  if (schema.examples?.length) field.example = schema.examples[0];
  if (schema["x-computed-default"]) field.computedDefault = schema["x-computed-default"];
  if (schema["x-platforms"]) field.platforms = schema["x-platforms"] as Platform[];
  if (schema.default !== undefined) {
    // The service schema's defaults are the options' defaults; upstream's are applied by the gateway.
    if (context.options.defaults === "option") field.default = schema.default;
    else field.upstreamDefault = schema.default;
  }
  return field;
}

function recordUses(module: IrModule): void {
  const visit = (type: IrType, path: string[]): void => {
    switch (type.kind) {
      case "ref": {
        const definition = module.definitions.get(type.name)!;
        const first = definition.usedAt.length === 0;
        definition.usedAt.push(path.join("."));
        if (first) visit(definition.type, path);
        return;
      }
      case "submodule":
        for (const field of type.fields) visit(field.type, [...path, field.name]);
        if (type.freeform) visit(type.freeform, [...path, "*"]);
        return;
      case "list":
        return visit(type.item, [...path, "[]"]);
      case "attrs":
        return visit(type.value, [...path, "*"]);
      case "nullable":
        return visit(type.inner, path);
      case "union":
        return type.variants.forEach((variant) => visit(variant, path));
      case "bool":
      case "int":
      case "port":
      case "float":
      case "str":
      case "path":
      case "enum":
      case "anything":
        return;
      default:
        return assertNever(type, "IR kind");
    }
  };
  visit(module.root, []);
}

/** The value itself may be a secret string (not merely something holding one). */
function holdsSecretString(type: IrType): boolean {
  switch (type.kind) {
    case "str":
      return type.secret === true;
    case "nullable":
      return holdsSecretString(type.inner);
    case "union":
      return type.variants.some(holdsSecretString);
    case "bool":
    case "int":
    case "port":
    case "float":
    case "path":
    case "enum":
    case "list":
    case "attrs":
    case "submodule":
    case "ref":
    case "anything":
      return false;
    default:
      return assertNever(type, "IR kind");
  }
}
