// Writing Nix text safely: string escaping, attribute names, values.

const KEYWORDS = new Set(["if", "then", "else", "assert", "with", "let", "in", "rec", "inherit", "or"]);

/** A double-quoted Nix string. Escapes `\`, `"`, `${` and control characters. */
export function nixString(value: string): string {
  const escaped = value
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\$\{/g, "\\${")
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t");
  return `"${escaped}"`;
}

/** An attribute name: bare when it is a plain identifier that is not a keyword, quoted otherwise. */
export function nixName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_'-]*$/.test(name) && !KEYWORDS.has(name) ? name : nixString(name);
}

/** Any JSON value as a Nix expression (single line). */
export function nixValue(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return nixString(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} in Nix`);
    // Nix floats need a dot or exponent; negative numbers need parentheses in lists.
    const text = Number.isInteger(value) ? String(value) : String(value).includes("e") ? value.toExponential() : String(value);
    return value < 0 ? `(${text})` : text;
  }
  if (Array.isArray(value)) return value.length === 0 ? "[ ]" : `[ ${value.map(nixValue).join(" ")} ]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return "{ }";
    return `{ ${entries.map(([k, v]) => `${nixName(k)} = ${nixValue(v)};`).join(" ")} }`;
  }
  throw new Error(`cannot write ${typeof value} in Nix`);
}

/** An expression usable as a function argument: a (dotted) name as it is, anything else in parentheses. */
export function atom(expression: string): string {
  return /^[A-Za-z_][A-Za-z0-9_'-]*(\.[A-Za-z_][A-Za-z0-9_'-]*)*$/.test(expression) ? expression : `(${expression})`;
}
