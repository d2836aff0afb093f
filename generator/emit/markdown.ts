// IR → the options reference (Markdown). Shared definitions are documented once, under their name.
import { assertNever, type IrField, type IrModule, type IrType } from "../ir.js";
import { describe } from "../describe.js";
import type { UiHint } from "../normalize.js";
import { renderTemplate } from "./templates.js";

/** A type in words, as the option reference and error messages show it. */
export function typeText(type: IrType, module: IrModule): string {
  switch (type.kind) {
    case "bool":
      return "boolean";
    case "int":
      if (type.min !== undefined && type.max !== undefined) return `integer between ${type.min} and ${type.max}`;
      if (type.min !== undefined) return `integer ≥ ${type.min}`;
      if (type.max !== undefined) return `integer ≤ ${type.max}`;
      return "integer";
    case "port":
      return type.min === 0 ? "port (0–65535)" : "port (1–65535)";
    case "float": {
      const bounds = [
        type.min !== undefined ? `${type.exclusiveMin ? ">" : "≥"} ${type.min}` : "",
        type.max !== undefined ? `≤ ${type.max}` : "",
      ].filter(Boolean);
      return bounds.length ? `number ${bounds.join(", ")}` : "number";
    }
    case "str":
      if (type.secret) return "secret string (or `{ _secret = \"/path\"; }`)";
      return type.pattern ? `string matching \`${type.pattern}\`` : "string";
    case "path":
      return "absolute path not in the Nix store";
    case "enum":
      return `one of ${type.values.map((v) => `\`${JSON.stringify(v)}\``).join(", ")}`;
    case "list":
      return `list of (${typeText(type.item, module)})`;
    case "attrs":
      return `attribute set of (${typeText(type.value, module)})`;
    case "submodule":
      return type.freeform ? `submodule (open: other keys are ${typeText(type.freeform, module)})` : "submodule";
    case "nullable":
      return `null or ${typeText(type.inner, module)}`;
    case "union":
      return type.variants.map((v) => typeText(v, module)).join(" or ");
    case "ref":
      return `[${type.name}](#${anchor(type.name)})`;
    case "anything":
      return "anything";
    default:
      return assertNever(type, "IR kind");
  }
}

const anchor = (name: string): string => `type-${name.toLowerCase()}`;

interface Entry {
  path: string;
  type: string;
  default: string | undefined;
  description: string;
  platforms: string | undefined;
}

/** The fields of a type, depth first; refs are linked, not expanded. */
function entries(module: IrModule, type: IrType, prefix: string, inlineObjects: boolean): Entry[] {
  const out: Entry[] = [];
  const visit = (node: IrType, path: string): void => {
    switch (node.kind) {
      case "submodule":
        for (const field of node.fields) {
          const fieldPath = `${path}.${field.name}`;
          const resolved = field.type.kind === "ref" ? undefined : field.type;
          if (inlineObjects && resolved?.kind === "submodule") {
            visit(resolved, fieldPath);
            continue;
          }
          out.push(entry(field, fieldPath, module));
          visit(field.type, fieldPath);
        }
        if (node.freeform) visit(node.freeform, `${path}.<name>`);
        return;
      case "list":
        return visit(node.item, `${path}.*`);
      case "attrs":
        return visit(node.value, `${path}.<name>`);
      case "nullable":
        return visit(node.inner, path);
      case "union":
        return node.variants.forEach((variant) => visit(variant, path));
      case "bool":
      case "int":
      case "port":
      case "float":
      case "str":
      case "path":
      case "enum":
      case "ref":
      case "anything":
        return;
      default:
        return assertNever(node, "IR kind");
    }
  };
  visit(type, prefix);
  return out;
}

function entry(field: IrField, path: string, module: IrModule): Entry {
  const optional = field.optional && field.default === undefined && field.computedDefault === undefined;
  const type = typeText(field.type, module);
  return {
    path,
    type: optional && field.type.kind !== "nullable" ? `null or ${type}` : type,
    default:
      field.computedDefault !== undefined
        ? field.computedDefault
        : field.default !== undefined
          ? `\`${JSON.stringify(field.default)}\``
          : optional
            ? "`null` (unset)"
            : undefined,
    description: describe(field),
    platforms: field.platforms?.join(", "),
  };
}

export interface UndeclaredHint {
  key: string;
  hint: UiHint;
  /** Under an open object (accepted, untyped) rather than rejected by the schema. */
  open: boolean;
}

/** The names a gateway's reference uses (Clawdbot's by default). */
export interface GatewayNames {
  module: string;
  configName: string;
  packageName: string;
  typePrefix: string;
}

export const CLAWDBOT_NAMES: GatewayNames = { module: "services.clawdbot", configName: "clawdbot.json", packageName: "clawdbot", typePrefix: "Clawdbot" };

export function emitMarkdown(input: {
  settings: IrModule;
  /** The service options; absent for a gateway whose module documents them itself. */
  service?: IrModule;
  header: string;
  version: string;
  undeclaredHints: UndeclaredHint[];
  names?: GatewayNames;
}): string {
  const { settings, service } = input;
  const names = input.names ?? CLAWDBOT_NAMES;
  const definitions = [...settings.definitions.values()].map((definition) => ({
    name: definition.name,
    anchor: anchor(definition.name),
    usedAt: definition.usedAt.map((p) => `\`${p}\``).join(", "),
    type: typeText(definition.type, settings),
    // each field a list item, its text in paragraphs indented under it
    entries: entries(settings, definition.type, "…", false).map((e) => ({ ...e, description: e.description.replace(/\n(?=.)/g, "\n  ") })),
  }));
  return renderTemplate("options.md.hbs", {
    header: input.header,
    version: input.version,
    ...names,
    withService: service !== undefined,
    service: service ? entries(service, service.root, names.module, true) : [],
    settings: entries(settings, settings.root, `${names.module}.settings`, false),
    definitions,
    undeclared: input.undeclaredHints.map(({ key, hint, open }) => ({
      key,
      text: [hint.label, hint.help, hint.sensitive ? "Sensitive." : ""].filter(Boolean).join(". ").replace(/\.\./g, "."),
      status: open ? "accepted by an open object, untyped" : "rejected by this version's schema",
    })),
  });
}
