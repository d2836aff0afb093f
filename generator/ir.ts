// The one intermediate representation every emitter reads: a typed option tree.
//
// A JSON schema (upstream's clawdbot.json schema, or the service options' schema from zod) is parsed into
// this tagged union once; the Nix, Markdown and TypeScript emitters each handle every kind, guarded by
// `assertNever` so that a new kind cannot be forgotten.

import type { Recognition } from "./json-schema.js";

export type Scalar = string | number | boolean;

export type IrType =
  | { kind: "bool" }
  | { kind: "int"; min?: number; max?: number }
  /** An integer in 0..65535 or 1..65535, or a field marked `port` in the service schema. */
  | { kind: "port"; min: number }
  | { kind: "float"; min?: number; max?: number; exclusiveMin?: boolean }
  /** `secret`: a secret string (generator/secrets.ts); its option also accepts `{ _secret = "/path"; }`. */
  | { kind: "str"; pattern?: string; minLength?: number; maxLength?: number; secret?: true | "url" }
  /** A string naming a file or directory (service schema `path` metadata). */
  | { kind: "path" }
  | { kind: "enum"; values: Scalar[] }
  | { kind: "list"; item: IrType }
  /** An object whose keys are free (a JSON `record`): `attrsOf` in Nix. */
  | { kind: "attrs"; value: IrType; keyPattern?: string }
  /** An object with declared fields. `freeform` is the type of undeclared keys; absent = closed. */
  | {
      kind: "submodule";
      fields: IrField[];
      freeform?: IrType;
      /** A definition whose fields are the first of `fields`: the Nix emitter writes only the rest. */
      base?: string;
    }
  | { kind: "nullable"; inner: IrType }
  /**
   * One of several types; `tag` names the discriminating field when every variant is an object with a const.
   * `recognise`: objects without such a tag, each variant told apart by a key (json-schema.ts recognitionOf; null:
   * the one variant that takes what no other recognises).
   */
  | { kind: "union"; variants: IrType[]; tag?: string; recognise?: (Recognition | null)[] }
  /** A reference to a named definition, emitted once. */
  | { kind: "ref"; name: string }
  /** Schema we cannot type more precisely (e.g. `{}`): any JSON value. */
  | { kind: "anything"; reason: string; secret?: true };

export type IrKind = IrType["kind"];

export type Platform = "nixos" | "home-manager" | "darwin";

export interface IrField {
  name: string;
  type: IrType;
  /** Key may be absent: emitted as `nullOr T` with `default = null`, nulls stripped before rendering. */
  optional: boolean;
  description: string;
  /** A short title (upstream uiHints `label`). */
  label?: string;
  /** A default the option itself carries (service options). */
  default?: unknown;
  /** Text for a default computed by the module (service options): `defaults.<name>` is passed in. */
  computedDefault?: string;
  /** A default applied by the gateway when the key is absent (upstream schema `default`): documented only. */
  upstreamDefault?: unknown;
  example?: unknown;
  /** Upstream's uiHints (or the service schema) mark the value sensitive. */
  sensitive: boolean;
  /**
   * The value is a secret string (a `str` with `secret`, possibly nullable or one variant of a union): it gets
   * a file form (`{ _secret = path; }`) and must never be written into the store.
   */
  secret: boolean;
  readOnly: boolean;
  /** Platforms the option exists on; absent = all. */
  platforms?: Platform[];
}

export interface IrDefinition {
  name: string;
  type: IrType;
  /** Where the definition occurs, as dotted paths (for names and documentation). */
  usedAt: string[];
}

export interface IrModule {
  /** What this option tree describes, e.g. "clawdbot.json". */
  title: string;
  root: Extract<IrType, { kind: "submodule" }>;
  definitions: Map<string, IrDefinition>;
}

export function assertNever(value: never, what: string): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(value)}`);
}

/**
 * The IR's one walker with paths ("*" = attribute name, "[]" = list element): `onType` for every type node,
 * `onField` for every field before its type, descending through refs (each definition once per branch:
 * recursion is cut).
 */
function walk(
  module: IrModule,
  onType: (type: IrType, path: string[]) => void,
  onField: (field: IrField, path: string[]) => void,
): void {
  const descend = (type: IrType, path: string[], seen: ReadonlySet<string>): void => {
    onType(type, path);
    switch (type.kind) {
      case "submodule":
        for (const field of type.fields) {
          const fieldPath = [...path, field.name];
          onField(field, fieldPath);
          descend(field.type, fieldPath, seen);
        }
        if (type.freeform) descend(type.freeform, [...path, "*"], seen);
        return;
      case "list":
        return descend(type.item, [...path, "[]"], seen);
      case "attrs":
        return descend(type.value, [...path, "*"], seen);
      case "nullable":
        return descend(type.inner, path, seen);
      case "union":
        for (const variant of type.variants) descend(variant, path, seen);
        return;
      case "ref": {
        if (seen.has(type.name)) return;
        const definition = module.definitions.get(type.name);
        if (!definition) throw new Error(`reference to unknown definition ${type.name}`);
        return descend(definition.type, path, new Set([...seen, type.name]));
      }
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
  descend(module.root, [], new Set());
}

const ignore = (): void => {};

/** Calls `visit` for every field with its path, descending through refs once per definition. */
export function walkFields(module: IrModule, visit: (field: IrField, path: string[]) => void): void {
  walk(module, ignore, visit);
}

/** Calls `visit` for every type node with its path, descending through refs once per definition. */
export function walkTypes(module: IrModule, visit: (type: IrType, path: string[]) => void): void {
  walk(module, visit, ignore);
}

/** A field is a leaf when its value holds no declared fields of its own (scalars, lists of scalars, records of scalars…). */
export function isLeafType(module: IrModule, type: IrType): boolean {
  switch (type.kind) {
    case "submodule":
      return false;
    case "ref": {
      const definition = module.definitions.get(type.name);
      return definition ? isLeafType(module, definition.type) : true;
    }
    case "nullable":
      return isLeafType(module, type.inner);
    case "bool":
    case "int":
    case "port":
    case "float":
    case "str":
    case "path":
    case "enum":
    case "list":
    case "attrs":
    case "union":
    case "anything":
      return true;
    default:
      return assertNever(type, "IR kind");
  }
}
