// JSON values as the CLI handles them, and the `${VAR}` references in their strings. The bottom of cli/'s
// imports: this file imports nothing, so every other module can use it without an import circle
// (tests/cli/import-graph.test.ts).

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const isPlainObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value) && Object.prototype.toString.call(value) === "[object Object]";

/** Upstream's ENV_VAR_NAME_PATTERN: only upper-case names are substituted. */
const ENV_VAR_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** The variable names a string reads, scanned like upstream's substituteString (`$${X}` is an escape). */
export function envNames(value: string): string[] {
  const names: string[] = [];
  for (let i = 0; i < value.length; i++) {
    if (value[i] !== "$") continue;
    if (value[i + 1] === "$" && value[i + 2] === "{") {
      const end = value.indexOf("}", i + 3);
      if (end !== -1 && ENV_VAR_NAME.test(value.slice(i + 3, end))) {
        i = end;
        continue;
      }
    }
    if (value[i + 1] === "{") {
      const end = value.indexOf("}", i + 2);
      if (end !== -1 && ENV_VAR_NAME.test(value.slice(i + 2, end))) {
        names.push(value.slice(i + 2, end));
        i = end;
      }
    }
  }
  return names;
}
