// Paths into a JSON value: the one lookup helper the CLI (and its tests) use.
import { isPlainObject, type Json } from "./json.js";

/** One step of a path: an attribute name, or a list index. */
export type Segment = string | number;

/** The value at a path, or undefined when the path leaves the value (a missing key, a wrong kind of parent). */
export function valueAt(root: Json | undefined, path: readonly Segment[]): Json | undefined {
  let cursor: Json | undefined = root;
  for (const segment of path) {
    if (Array.isArray(cursor) && typeof segment === "number") cursor = cursor[segment];
    else if (isPlainObject(cursor) && typeof segment === "string") cursor = Object.hasOwn(cursor, segment) ? cursor[segment] : undefined;
    else return undefined;
  }
  return cursor;
}

export const samePath = (a: readonly Segment[], b: readonly Segment[]): boolean => a.length === b.length && a.every((s, i) => s === b[i]);

/** Is `path` equal to `prefix` or below it? */
export const startsWith = (path: readonly Segment[], prefix: readonly Segment[]): boolean =>
  prefix.length <= path.length && prefix.every((s, i) => s === path[i]);
