// The words of an option, for every emitter (Nix `description`, the Markdown reference, TypeScript doc
// comments). A description says something the option's name and type do not: upstream's help text, under
// upstream's label as its heading when the label is more than the name ("**Gateway Port**", then the help, as
// two paragraphs: never glued into one sentence); the label alone when there is no help; then the gateway's
// default and what a secret takes. Else nothing: never the name again ("Dms.", "Chunk mode.") nor the type's
// own values ("One of `"a"`, `"b"`.": the type lists them).
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

/** The value may be a secret string (through nullable and union variants). */
const isSecretValue = (type: IrType, secret: true | "url" = true): boolean =>
  type.kind === "str"
    ? type.secret === secret
    : type.kind === "nullable"
      ? isSecretValue(type.inner, secret)
      : type.kind === "union" && type.variants.some((v) => isSecretValue(v, secret));

/** A map (record or open object) whose values are secret strings (env variables, HTTP headers). */
export function holdsSecretValues(type: IrType): boolean {
  if (type.kind === "nullable") return holdsSecretValues(type.inner);
  if (type.kind === "attrs") return isSecretValue(type.value);
  if (type.kind === "submodule") return type.freeform !== undefined && isSecretValue(type.freeform);
  return false;
}

/** Does the value (or a map's value) accept a `{ source, provider, id }` reference (OpenClaw's SecretRef)? */
function acceptsReference(type: IrType): boolean {
  switch (type.kind) {
    case "nullable":
      return acceptsReference(type.inner);
    case "union":
      return type.variants.some(acceptsReference);
    case "attrs":
      return acceptsReference(type.value);
    case "ref":
      return /SecretRef|SecretInput/.test(type.name);
    case "submodule":
      return type.fields.map((f) => f.name).sort().join(",") === "id,provider,source" || (type.freeform !== undefined && acceptsReference(type.freeform));
    default:
      return false;
  }
}

/** Where upstream takes no SecretRef, the file form is a `${NAME}` string, which its config view resolves. */
const NO_REFERENCE =
  "Upstream's schema takes no SecretRef here, so `{ _secret = …; }` is written as a `${NAME}` string that the gateway " +
  "substitutes when it reads the config: what it shows of its config (`config.get`) holds the value in clear.";

const isPath = (type: IrType): boolean => type.kind === "path" || (type.kind === "nullable" && type.inner.kind === "path");

/** The label as the heading of the option's text, when it says more than the key's name and the help does not start with it. */
export function headingOf(field: IrField): string | undefined {
  const label = field.label?.trim();
  if (!label || !labelAddsToName(label, field.name)) return undefined;
  if (field.description.trim().toLowerCase().startsWith(label.toLowerCase())) return undefined;
  return label;
}

/** The option's text after its heading: help, default and what a secret takes, as one paragraph ("" when none). */
export function bodyOf(field: IrField): string {
  const parts: string[] = [];
  const text = field.description.trim();
  if (text) parts.push(text);
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
    if (!acceptsReference(field.type)) parts.push(NO_REFERENCE);
  } else if (isSecretValue(field.type, "url")) {
    parts.push(
      "A URL with credentials (`scheme://user:password@host`) is refused as text: give the URL as `{ _secret = \"/run/secrets/…\"; }` " +
        "or its password as a `${NAME}` reference (`http://user:${PROXY_PASSWORD}@host`).",
    );
  }
  return parts.join(" ");
}

/**
 * The option's Markdown description: the label as a heading paragraph (`**Gateway Port**`) above the help,
 * the label alone as a sentence when nothing follows it, "" when there is nothing to say beyond the name and
 * the type.
 */
export function describe(field: IrField): string {
  const heading = headingOf(field);
  const body = bodyOf(field);
  if (!heading) return body;
  if (!body) return /[.!?]$/.test(heading) ? heading : `${heading}.`;
  return `**${heading}**\n\n${body}`;
}
