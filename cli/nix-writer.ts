// Writing a JSON tree as readable Nix: one attribute per line, keys sorted (Nix's own order, so the file reads like
// the evaluated value), single-key chains written as dotted names (`gateway.mode = "local";`), comments above
// keys. All escaping is the generator's (generator/emit/nix-text.ts).
import { nixName, nixString, nixValue } from "../generator/emit/nix-text.js";
import { isPlainObject, type Json } from "./read-config.js";
import type { Segment } from "./validate.js";

/** A value to write as an expression of its own (e.g. `{ _secret = "/path"; }`), not as data. */
export class NixRaw {
  constructor(readonly text: string) {}
}

export type Tree = Json | NixRaw | Tree[] | { [key: string]: Tree };

export interface WriteOptions {
  /** Comment lines (without `#`) to put above the attribute at this path. */
  comment?: (path: Segment[]) => string[] | undefined;
  /** Column limit for inline lists and comment wrapping. */
  width?: number;
}

const isTreeObject = (value: Tree): value is { [key: string]: Tree } =>
  !(value instanceof NixRaw) && isPlainObject(value as Json);

/** Wrap text into lines of at most `width` characters (words longer than that stay whole). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}

const sortKeys = (keys: string[]): string[] => [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

function isInline(value: Tree): boolean {
  if (value instanceof NixRaw) return !value.text.includes("\n");
  if (Array.isArray(value)) return value.length === 0;
  if (isTreeObject(value)) return Object.keys(value).length === 0;
  return true;
}

function inline(value: Tree): string {
  if (value instanceof NixRaw) return value.text;
  if (Array.isArray(value)) return value.length === 0 ? "[ ]" : `[ ${value.map(inline).join(" ")} ]`;
  if (isTreeObject(value)) {
    const keys = sortKeys(Object.keys(value));
    return keys.length === 0 ? "{ }" : `{ ${keys.map((k) => `${nixName(k)} = ${inline(value[k]!)};`).join(" ")} }`;
  }
  return nixValue(value);
}

/** The expression for a value, starting at the current column, continuing lines at `pad`. */
export function expression(value: Tree, path: Segment[], pad: string, options: WriteOptions): string {
  const width = options.width ?? 100;
  if (isInline(value)) return inline(value);
  if (Array.isArray(value)) {
    if (value.every(isInline)) {
      const text = inline(value);
      if (pad.length + text.length <= width) return text;
    }
    const inner = pad + "  ";
    const items = value.map((item, index) => {
      const lines = (options.comment?.([...path, index]) ?? []).flatMap((c) => wrap(c, width - inner.length - 2));
      const comment = lines.map((line) => `${inner}# ${line}\n`).join("");
      const text = expression(item, [...path, index], inner, options);
      // a negative number or a function application must be parenthesised in a list; nixValue does numbers
      return `${comment}${inner}${text}`;
    });
    return `[\n${items.join("\n")}\n${pad}]`;
  }
  return `{\n${attributes(value as { [key: string]: Tree }, path, pad + "  ", options)}${pad}}`;
}

/** The `name = value;` lines of an attribute set, each preceded by its comment. */
export function attributes(value: { [key: string]: Tree }, path: Segment[], pad: string, options: WriteOptions): string {
  const width = options.width ?? 100;
  let out = "";
  for (const key of sortKeys(Object.keys(value))) {
    let names = [key];
    let child = value[key]!;
    let childPath: Segment[] = [...path, key];
    let comments = options.comment?.(childPath) ?? [];
    // Collapse `a = { b = …; };` into `a.b = …;` while the inner levels have nothing to say.
    while (comments.length === 0 && isTreeObject(child) && Object.keys(child).length === 1) {
      const only = Object.keys(child)[0]!;
      const next = child[only]!;
      const nextPath = [...childPath, only];
      names = [...names, only];
      child = next;
      childPath = nextPath;
      comments = options.comment?.(childPath) ?? [];
    }
    for (const comment of comments) for (const line of wrap(comment, width - pad.length - 2)) out += `${pad}# ${line}\n`;
    out += `${pad}${names.map(nixName).join(".")} = ${expression(child, childPath, pad, options)};\n`;
  }
  return out;
}

/** `{ _secret = "/path"; }`, the module's file form of a secret. */
export const secretRef = (file: string): NixRaw => new NixRaw(`{ _secret = ${nixString(file)}; }`);
