// The words of an option, for every emitter (Nix `description`, the Markdown reference, TypeScript doc
// comments). A description says something the option's name does not: upstream's help text (and a label that
// is more than the name); else the choices and the gateway's default; else nothing — never the name again
// ("Dms.", "Chunk mode.").
import type { IrField, IrType } from "./ir.js";

/** "maxConcurrent" → "Max concurrent". */
export function humanise(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/[_-]+/g, " ").trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Letters and digits only, lower case: "Max Concurrent" and "maxConcurrent" are the same words. */
const words = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, "");

/** Does the label say more than the key's name (e.g. "Gateway Port" for `port`, not "Enabled" for `enabled`)? */
export function labelAddsToName(label: string, name: string): boolean {
  return words(label) !== words(name);
}

/** The values of an enum (through nullable), or undefined. */
function choicesOf(type: IrType): string[] | undefined {
  if (type.kind === "nullable") return choicesOf(type.inner);
  if (type.kind === "enum" && type.values.length > 1) return type.values.map((v) => `\`${JSON.stringify(v)}\``);
  return undefined;
}

/** A map (record or open object) whose values are secret strings (env variables, HTTP headers). */
export function holdsSecretValues(type: IrType): boolean {
  if (type.kind === "nullable") return holdsSecretValues(type.inner);
  if (type.kind === "attrs") return type.value.kind === "str" && type.value.secret === true;
  if (type.kind === "submodule") return type.freeform?.kind === "str" && type.freeform.secret === true;
  return false;
}

const isPath = (type: IrType): boolean => type.kind === "path" || (type.kind === "nullable" && type.inner.kind === "path");

/** The option's Markdown description; "" when there is nothing to say beyond the name and the type. */
export function describe(field: IrField): string {
  const parts: string[] = [];
  const text = field.description.trim();
  if (field.label && labelAddsToName(field.label, field.name) && !text.toLowerCase().startsWith(field.label.toLowerCase())) {
    parts.push(`${field.label}.`);
  }
  if (text) parts.push(text);
  else {
    const choices = choicesOf(field.type);
    if (choices) parts.push(`One of ${choices.join(", ")}.`);
  }
  if (field.upstreamDefault !== undefined) {
    parts.push(`When unset, the gateway uses \`${JSON.stringify(field.upstreamDefault)}\`.`);
  }
  if (field.sensitive && !field.secret && !isPath(field.type)) parts.push("Upstream marks this key sensitive.");
  if (field.secret) {
    parts.push(
      "Sensitive: give `{ _secret = \"/run/secrets/…\"; }` (a file outside the Nix store) instead of the value; " +
        "the module passes it to the gateway through the environment and never writes it into the store.",
    );
  } else if (holdsSecretValues(field.type)) {
    parts.push(
      "Its values are sensitive: give each as `{ _secret = \"/run/secrets/…\"; }` (a file outside the Nix store) " +
        "or a `${NAME}` reference, never as text.",
    );
  }
  return parts.join(" ");
}
