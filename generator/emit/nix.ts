// IR → Nix option files. Types are written as expressions over `t = lib.types`; every named definition is
// written once into `defs` and referenced as `defs.<Name>`; the file frame comes from a handlebars template.
import { assertNever, type IrField, type IrModule, type IrType, type Platform } from "../ir.js";
import { atom, nixName, nixString, nixValue } from "./nix-text.js";
import { renderTemplate } from "./templates.js";
import { describe } from "../describe.js";
import { translateRegex } from "../regex.js";

export interface NixEmitOptions {
  /**
   * "submodule": an object field is `nullOr (submodule …)` (typed settings, evaluated only when set).
   * "optionGroup": an object field is a nested attrset of options (service options, documented inline).
   */
  objects: "submodule" | "optionGroup";
}

interface Context {
  module: IrModule;
  options: NixEmitOptions;
  /** Whether a secret string form is used anywhere (then `secret` is defined in the file's let block). */
  usesSecret: boolean;
  /** Whether a required option's type has its empty value removed anywhere (then `required` is defined). */
  usesRequired: boolean;
  /** Whether a union tagged by a constant property is written anywhere (then `tagged` is defined). */
  usesTagged: boolean;
  /** Whether a union of objects told apart by keys of their own is written anywhere (then `recognised` is defined). */
  usesRecognised: boolean;
  /** What the option being written leaves to the gateway's validator (patterns Nix cannot run), for its description. */
  notes: string[];
  /** The notes of each definition (through its references), found once. */
  definitionNotes: Map<string, string[]>;
  /** The type expression of each definition whose notes were found (the same text its `defs` entry is). */
  definitionTexts: Map<string, string>;
}

/** Why a pattern is not in the Nix type, for the option's description. */
const patternNote = (pattern: string, reason: string, of: string): string =>
  `Upstream requires ${of} to match the JavaScript regular expression \`${pattern}\`, which Nix's \`builtins.match\` cannot run ` +
  `(${reason}): the gateway's validator checks it when the configuration is built.`;

/**
 * Items as lines of a block, each moved right to `pad` (an empty item stays an empty line). Every writer below
 * takes `pad`, the indentation of the line its text starts on, and writes its own later lines there: the
 * text is made in place once, not moved right again by every enclosing block (that was a pass over all the
 * text below at every level of the options: issue 20.5). The text is the same as indenting each block's
 * lines when it is put into the next (nix-text.ts indent), as these writers did before.
 */
function blockLines(items: string[], pad: string): string {
  return items.map((item) => (item === "" || item.startsWith("\n") ? item : pad + item)).join("\n");
}

/** The Nix type expression of an IR type, its later lines at `pad`. */
export function typeExpression(type: IrType, context: Context, pad = ""): string {
  switch (type.kind) {
    case "bool":
      return "t.bool";
    case "int":
      return intExpression(type.min, type.max);
    case "port":
      return type.min === 0 ? "t.port" : `t.ints.between ${type.min} 65535`;
    case "float":
      return floatExpression(type);
    case "str": {
      // the string's own checks (pattern, lengths), kept for a secret string's text form too
      let expression = "t.str";
      if (type.pattern) {
        const translated = translateRegex(type.pattern);
        if (translated.ok) expression = `t.strMatching ${nixString(translated.pattern)}`;
        // the service options have no validator behind them: their patterns must be ones Nix runs
        else if (context.options.objects === "optionGroup") throw new Error(`service options: the pattern ${type.pattern}: ${translated.reason}`);
        else context.notes.push(patternNote(type.pattern, translated.reason, "the value"));
      }
      const checks: string[] = [];
      if (type.minLength !== undefined) checks.push(`builtins.stringLength s >= ${type.minLength}`);
      if (type.maxLength !== undefined) checks.push(`builtins.stringLength s <= ${type.maxLength}`);
      if (checks.length) expression = `t.addCheck ${atom(expression)} (s: ${checks.join(" && ")})`;
      if (type.secret) {
        context.usesSecret = true;
        return expression === "t.str" ? "secret" : `secretOf ${atom(expression)}`;
      }
      return expression;
    }
    case "path":
      // nixpkgs' own: an absolute path given as a string (a Nix path literal would be copied into the store when
      // the unit is written), not in the store (a state folder there is read-only; a secret there is readable by all)
      return "t.externalPath";
    case "enum":
      return `t.enum ${nixValue(type.values)}`;
    case "list":
      return `t.listOf ${atom(typeExpression(type.item, context, pad))}`;
    case "attrs": {
      const attrs = `t.attrsOf ${atom(typeExpression(type.value, context, pad))}`;
      if (!type.keyPattern) return attrs;
      const translated = translateRegex(type.keyPattern);
      if (!translated.ok) {
        context.notes.push(patternNote(type.keyPattern, translated.reason, "each attribute name"));
        return attrs;
      }
      return `t.addCheck (${attrs}) (v: builtins.all (n: builtins.match ${nixString(translated.pattern)} n != null) (builtins.attrNames v))`;
    }
    case "submodule":
      return submoduleExpression(type, context, pad);
    case "nullable":
      return `t.nullOr ${atom(typeExpression(type.inner, context, pad))}`;
    case "union": {
      const tags = type.tag ? type.variants.map((variant) => tagOf(variant, type.tag!, context.module)) : [];
      if (type.tag && tags.every((tag) => typeof tag === "string")) {
        // dispatched on the tag: the variant it names checks and merges the value
        context.usesTagged = true;
        const inner = `${pad}  `;
        const variants = type.variants.map((variant, i) => `${nixName(tags[i] as string)} = ${typeExpression(variant, context, inner)};`);
        return `tagged ${nixString(type.tag)} {\n${blockLines(variants, inner)}\n${pad}}`;
      }
      if (type.recognise) {
        // each variant recognised by a key of its own (or the one that takes the rest): it checks and merges the value
        context.usesRecognised = true;
        const inner = `${pad}  `;
        const variants = type.variants.map((variant, i) => {
          const test = type.recognise![i];
          const fields = [
            ...(test ? [`has = ${nixString(test.key)};`] : []),
            ...(test?.value !== undefined ? [`is = ${nixValue(test.value)};`] : []),
            `type = ${typeExpression(variant, context, `${inner}  `)};`,
          ];
          return `{\n${blockLines(fields, `${inner}  `)}\n${inner}}`;
        });
        return `recognised [\n${blockLines(variants, inner)}\n${pad}]`;
      }
      const variants = type.variants.map((variant) => {
        const expression = typeExpression(variant, context, pad);
        if (!type.tag) return atom(expression);
        const tagValue = tagOf(variant, type.tag, context.module);
        return `(t.addCheck ${atom(expression)} (v: (v.${nixName(type.tag)} or null) == ${nixValue(tagValue)}))`;
      });
      return `t.oneOf [ ${variants.join(" ")} ]`;
    }
    case "ref":
      context.notes.push(...definitionNotes(type.name, context));
      return `defs.${nixName(type.name)}`;
    case "anything":
      return "t.anything";
    default:
      return assertNever(type, "IR kind");
  }
}

/**
 * What a definition leaves to the gateway's validator (patterns Nix cannot run), found once: a field whose type
 * refers to the definition carries it in its description (the definition itself is written without one).
 */
function definitionNotes(name: string, context: Context): string[] {
  const known = context.definitionNotes.get(name);
  if (known) return known;
  const definition = context.module.definitions.get(name);
  if (!definition) throw new Error(`reference to unknown definition ${name}`);
  context.definitionNotes.set(name, []); // a recursive definition sees its own notes once
  const outer = context.notes;
  context.notes = [];
  context.definitionTexts.set(name, typeExpression(definition.type, context, DEFINITION_PAD));
  const notes = [...new Set(context.notes)];
  context.notes = outer;
  context.definitionNotes.set(name, notes);
  return notes;
}

function tagOf(variant: IrType, tag: string, module: IrModule): unknown {
  const resolved = variant.kind === "ref" ? module.definitions.get(variant.name)?.type : variant;
  if (resolved?.kind === "union") {
    const tags = resolved.variants.map((v) => tagOf(v, tag, module));
    if (tags.every((t) => t === tags[0])) return tags[0];
  }
  if (resolved?.kind !== "submodule") throw new Error(`tagged union variant is not an object`);
  const field = resolved.fields.find((f) => f.name === tag);
  if (field?.type.kind !== "enum" || field.type.values.length !== 1) throw new Error(`tag ${tag} is not a constant`);
  return field.type.values[0];
}

function intExpression(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `t.ints.between ${nixValue(min)} ${nixValue(max)}`;
  if (min === 0) return "t.ints.unsigned";
  if (min === 1) return "t.ints.positive";
  if (min !== undefined) return `t.addCheck t.int (x: x >= ${nixValue(min)})`;
  if (max !== undefined) return `t.addCheck t.int (x: x <= ${nixValue(max)})`;
  return "t.int";
}

function floatExpression(type: Extract<IrType, { kind: "float" }>): string {
  const { min, max, exclusiveMin } = type;
  if (min === 0 && max === undefined) return exclusiveMin ? "t.numbers.positive" : "t.numbers.nonnegative";
  if (min !== undefined && max !== undefined && !exclusiveMin) return `t.numbers.between ${nixValue(min)} ${nixValue(max)}`;
  const checks = [
    ...(min !== undefined ? [`x ${exclusiveMin ? ">" : ">="} ${nixValue(min)}`] : []),
    ...(max !== undefined ? [`x <= ${nixValue(max)}`] : []),
  ];
  return checks.length ? `t.addCheck t.number (x: ${checks.join(" && ")})` : "t.number";
}

function submoduleExpression(type: Extract<IrType, { kind: "submodule" }>, context: Context, pad: string): string {
  const inner = `${pad}  `;
  const inherited = new Set(type.base ? baseFields(type.base, context) : []);
  const options = optionsBlock(type.fields.filter((field) => !inherited.has(field.name)), context, false, inner);
  const freeform = type.freeform ? `${inner}freeformType = t.attrsOf ${atom(typeExpression(type.freeform, context, inner))};\n` : "";
  const module = `{\n${freeform}${inner}options = ${options};\n${pad}}`;
  // An object that adds options to a definition: the definition's modules plus one with the added options.
  if (type.base) return `t.submodule (defs.${nixName(type.base)}.getSubModules ++ [ ${module} ])`;
  return `t.submodule ${module}`;
}

function baseFields(name: string, context: Context): string[] {
  const definition = context.module.definitions.get(name);
  if (definition?.type.kind !== "submodule") throw new Error(`${name} is not an object definition`);
  return definition.type.fields.map((field) => field.name);
}

/** `{ name = mkOption …; … }` for a list of fields, its later lines at `pad`. */
function optionsBlock(fields: IrField[], context: Context, platformGuard: boolean, pad: string): string {
  const inner = `${pad}  `;
  const always = fields.filter((f) => !platformGuard || !f.platforms);
  const guarded = platformGuard ? fields.filter((f) => f.platforms) : [];
  const body = always.map((field) => `${nixName(field.name)} = ${fieldExpression(field, context, platformGuard, inner)};`);
  const block = `{\n${blockLines(body, inner)}\n${pad}}`;
  if (guarded.length === 0) return block;
  // Platform-specific service options exist only where they mean something.
  const byPlatforms = new Map<string, IrField[]>();
  for (const field of guarded) {
    const key = field.platforms!.join(",");
    byPlatforms.set(key, [...(byPlatforms.get(key) ?? []), field]);
  }
  const parts = [...byPlatforms.entries()].map(([key, group]) => {
    const condition = key.split(",").map((p) => `platform == ${nixString(p as Platform)}`).join(" || ");
    return `lib.optionalAttrs (${condition}) ${optionsBlock(group.map((f) => ({ ...f, platforms: undefined })), context, true, pad)}`;
  });
  return [block, ...parts].join(`\n${pad}// `);
}

function fieldExpression(field: IrField, context: Context, serviceOptions: boolean, pad: string): string {
  const resolved = field.type.kind === "ref" ? context.module.definitions.get(field.type.name)?.type : field.type;
  if (context.options.objects === "optionGroup" && resolved?.kind === "submodule") {
    return optionsBlock(resolved.fields, context, serviceOptions, pad);
  }
  const hasDefault = field.default !== undefined || field.computedDefault !== undefined;
  const nullable = field.optional && !hasDefault && field.type.kind !== "nullable";
  const outerNotes = context.notes;
  context.notes = [];
  const inner = `${pad}  `;
  const base = typeExpression(field.type, context, inner);
  const notes = [...new Set(context.notes)];
  context.notes = outerNotes;
  const type = nullable ? `t.nullOr ${atom(base)}` : required(field, hasDefault, context) ? `required ${atom(base)}` : base;
  const lines = [`type = ${type};`];
  if (field.computedDefault !== undefined) {
    lines.push(`default = defaults.${nixName(field.name)};`);
    lines.push(`defaultText = lib.literalMD ${nixString(field.computedDefault)};`);
  } else if (field.default !== undefined) {
    lines.push(`default = ${nixValue(field.default)};`);
  } else if (field.optional) {
    lines.push("default = null;");
  }
  if (field.example !== undefined) lines.push(`example = ${nixValue(field.example)};`);
  const description = [describe(field), ...notes].filter(Boolean).join("\n\n");
  if (description) lines.push(`description = ${nixString(description)};`);
  if (field.readOnly) lines.push("readOnly = true;");
  return `lib.mkOption {\n${blockLines(lines, inner)}\n${pad}}`;
}

/**
 * A key the object requires, with no default, whose Nix type has an empty value (`[ ]`, `{ }`, `null`: lists,
 * attribute sets, submodules, nullables): left out, the module system would silently use that empty value.
 * `required` removes it (as nixpkgs' `nonEmptyListOf` does), so leaving the key out is the module system's
 * error "The option `…' was accessed but has no value defined", naming the option.
 */
function required(field: IrField, hasDefault: boolean, context: Context): boolean {
  if (field.optional || hasDefault) return false;
  const hasEmptyValue = (type: IrType): boolean => {
    switch (type.kind) {
      case "list":
      case "attrs":
      case "submodule":
      case "nullable":
        return true;
      case "ref":
        return hasEmptyValue(context.module.definitions.get(type.name)!.type);
      case "bool":
      case "int":
      case "port":
      case "float":
      case "str":
      case "path":
      case "enum":
      case "union":
      case "anything":
        return false;
      default:
        return assertNever(type, "IR kind");
    }
  };
  const result = hasEmptyValue(field.type);
  if (result) context.usesRequired = true;
  return result;
}

/** Where settings.nix.hbs puts the definitions (`defs = { … }` in the file's let block) and the root type. */
const DEFINITION_PAD = "    ";

export interface EmittedNix {
  text: string;
  /** Number of `mkOption`s written (definitions counted once). */
  options: number;
}

/** The settings file: `{ lib }: { type = submodule …; }` (the secret paths are in facts.json). */
export function emitSettingsNix(module: IrModule, header: string): EmittedNix {
  const context: Context = { module, options: { objects: "submodule" }, usesSecret: false, usesRequired: false, usesTagged: false, usesRecognised: false, notes: [], definitionNotes: new Map(), definitionTexts: new Map() };
  // Each definition's text is written once, by definitionNotes (the notes a reference to it carries are
  // found by writing it): a reference before or after its entry here does not write it a second time.
  const definitions = [...module.definitions.values()].map((definition) => {
    definitionNotes(definition.name, context);
    return `${DEFINITION_PAD}${nixName(definition.name)} = ${context.definitionTexts.get(definition.name)!};`;
  });
  const type = submoduleExpression(module.root, context, "  ");
  const text = renderTemplate("settings.nix.hbs", {
    header,
    title: module.title,
    usesSecret: context.usesSecret,
    usesRequired: context.usesRequired,
    usesTagged: context.usesTagged,
    usesRecognised: context.usesRecognised,
    definitions: definitions.join("\n"),
    type,
  });
  return { text, options: countOptions(text) };
}

/** The service options file: `{ lib, platform, defaults ? { } }: { port = mkOption …; … }`. */
export function emitServiceNix(module: IrModule, header: string): EmittedNix {
  const context: Context = { module, options: { objects: "optionGroup" }, usesSecret: false, usesRequired: false, usesTagged: false, usesRecognised: false, notes: [], definitionNotes: new Map(), definitionTexts: new Map() };
  const options = optionsBlock(module.root.fields, context, true, "");
  if (context.usesRequired || context.usesSecret || context.usesTagged || context.usesRecognised) throw new Error("service options: every option has a default; no secret strings");
  const text = renderTemplate("service.nix.hbs", { header, title: module.title, options });
  return { text, options: countOptions(text) };
}

const countOptions = (text: string): number => (text.match(/lib\.mkOption \{/g) ?? []).length;
