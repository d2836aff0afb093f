// Reading a clawdbot.json the way the gateway does (dist/config/io.js → includes.js, env-substitution.js):
// JSON5, then `$include` resolved relative to the including file (deep merge: objects merge, arrays
// concatenate, the including file's own keys win), then `${VAR}` references — which we keep as they are
// (the service provides the variables) and only list.
import { readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, normalize, resolve } from "node:path";
import JSON5 from "json5";

export const INCLUDE_KEY = "$include";
/** Upstream's MAX_INCLUDE_DEPTH. */
export const MAX_INCLUDE_DEPTH = 10;
/** Upstream's ENV_VAR_NAME_PATTERN: only upper-case names are substituted. */
const ENV_VAR_NAME = /^[A-Z_][A-Z0-9_]*$/;

export type ReadErrorKind =
  | "unreadable"
  | "syntax"
  | "include-cycle"
  | "include-missing"
  | "include-invalid"
  | "include-depth"
  | "not-an-object";

/** A config that cannot be read at all: one message, naming the file (and line) at fault. */
export class ConfigReadError extends Error {
  constructor(
    readonly kind: ReadErrorKind,
    message: string,
    readonly file: string,
  ) {
    super(message);
    this.name = "ConfigReadError";
  }
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface EnvReference {
  /** Where the string is, as path segments (numbers are list indices). */
  path: (string | number)[];
  /** The variable names the string reads. */
  names: string[];
}

export interface ReadConfig {
  /** Absolute path of the top-level file. */
  file: string;
  /** Every file read, the top-level one first, in reading order (absolute). */
  files: string[];
  /** The merged config, `${VAR}` references untouched. */
  value: JsonObject;
  envReferences: EnvReference[];
}

export const isPlainObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value) && Object.prototype.toString.call(value) === "[object Object]";

/** Upstream's deepMerge: arrays concatenate, objects merge recursively, otherwise the source wins. */
export function deepMerge(target: Json, source: Json): Json {
  if (Array.isArray(target) && Array.isArray(source)) return [...target, ...source];
  if (isPlainObject(target) && isPlainObject(source)) {
    const result: JsonObject = { ...target };
    for (const key of Object.keys(source)) {
      result[key] = key in result ? deepMerge(result[key]!, source[key]!) : source[key]!;
    }
    return result;
  }
  return source;
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "is a directory" : String((error as Error).message);
    throw new ConfigReadError(what === "config" ? "unreadable" : "include-missing", `cannot read ${what} ${file}: ${reason}`, file);
  }
}

/** JSON5.parse with one clear message: file:line:column, the reason, and the offending line. */
export function parseJson5(text: string, file: string): Json {
  try {
    return JSON5.parse(text) as Json;
  } catch (error) {
    const e = error as SyntaxError & { lineNumber?: number; columnNumber?: number };
    const reason = e.message.replace(/^JSON5: /, "").replace(/ at \d+:\d+$/, "");
    if (e.lineNumber === undefined) throw new ConfigReadError("syntax", `${file}: JSON5 syntax error: ${reason}`, file);
    const line = text.split(/\r?\n/)[e.lineNumber - 1] ?? "";
    const column = e.columnNumber ?? 1;
    const frame = `  ${e.lineNumber} | ${line}\n  ${" ".repeat(String(e.lineNumber).length)} | ${" ".repeat(Math.max(0, column - 1))}^`;
    throw new ConfigReadError("syntax", `${file}:${e.lineNumber}:${column}: JSON5 syntax error: ${reason}\n${frame}`, file);
  }
}

/** includes.js IncludeProcessor, with our errors. `visited` is per branch: a file included twice side by side is fine. */
class IncludeProcessor {
  constructor(
    private readonly basePath: string,
    private readonly visited: string[],
    private readonly depth: number,
    private readonly files: string[],
  ) {}

  process(value: Json): Json {
    if (Array.isArray(value)) return value.map((item) => this.process(item));
    if (!isPlainObject(value)) return value;
    if (!(INCLUDE_KEY in value)) {
      const result: JsonObject = {};
      for (const [key, child] of Object.entries(value)) result[key] = this.process(child);
      return result;
    }
    const others = Object.keys(value).filter((key) => key !== INCLUDE_KEY);
    const included = this.resolveInclude(value[INCLUDE_KEY]!);
    if (others.length === 0) return included;
    if (!isPlainObject(included)) {
      throw new ConfigReadError(
        "include-invalid",
        `${this.basePath}: "${INCLUDE_KEY}" next to other keys must include an object (sibling keys are merged into it)`,
        this.basePath,
      );
    }
    const rest: JsonObject = {};
    for (const key of others) rest[key] = this.process(value[key]!);
    return deepMerge(included, rest);
  }

  private resolveInclude(value: Json): Json {
    if (typeof value === "string") return this.loadFile(value);
    if (Array.isArray(value)) {
      return value.reduce<Json>((merged, item) => {
        if (typeof item !== "string") {
          throw new ConfigReadError("include-invalid", `${this.basePath}: "${INCLUDE_KEY}" list items must be strings, found ${JSON.stringify(item)}`, this.basePath);
        }
        return deepMerge(merged, this.loadFile(item));
      }, {});
    }
    throw new ConfigReadError(
      "include-invalid",
      `${this.basePath}: "${INCLUDE_KEY}" must be a path or a list of paths, found ${JSON.stringify(value)}`,
      this.basePath,
    );
  }

  private loadFile(includePath: string): Json {
    const resolved = normalize(isAbsolute(includePath) ? includePath : resolve(dirname(this.basePath), includePath));
    if (this.visited.includes(resolved)) {
      throw new ConfigReadError("include-cycle", `circular $include: ${[...this.visited, resolved].join(" -> ")}`, resolved);
    }
    if (this.depth >= MAX_INCLUDE_DEPTH) {
      throw new ConfigReadError(
        "include-depth",
        `${this.basePath}: $include nested deeper than ${MAX_INCLUDE_DEPTH} levels at ${includePath}`,
        this.basePath,
      );
    }
    let text: string;
    try {
      text = readText(resolved, "include");
    } catch (error) {
      if (error instanceof ConfigReadError) {
        throw new ConfigReadError("include-missing", `${this.basePath}: $include "${includePath}": ${error.message}`, resolved);
      }
      throw error;
    }
    this.files.push(resolved);
    const parsed = parseJson5(text, resolved);
    return new IncludeProcessor(resolved, [...this.visited, resolved], this.depth + 1, this.files).process(parsed);
  }
}

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

export function collectEnvReferences(value: Json, path: (string | number)[] = []): EnvReference[] {
  if (typeof value === "string") {
    const names = envNames(value);
    return names.length > 0 ? [{ path, names }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => collectEnvReferences(item, [...path, index]));
  if (isPlainObject(value)) return Object.entries(value).flatMap(([key, child]) => collectEnvReferences(child, [...path, key]));
  return [];
}

/** Read a config file (or a state directory holding clawdbot.json). Throws ConfigReadError. */
export function readConfig(path: string): ReadConfig {
  let file = resolve(path);
  // A state directory (~/.clawdbot, a Docker or Fly volume) holds the config as clawdbot.json.
  try {
    if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) file = resolve(file, "clawdbot.json");
  } catch {
    // e.g. EACCES: reading it below gives the message
  }
  const text = readText(file, "config");
  const parsed = parseJson5(text, file);
  const files = [file];
  const value = new IncludeProcessor(file, [normalize(file)], 0, files).process(parsed);
  if (!isPlainObject(value)) {
    throw new ConfigReadError("not-an-object", `${file}: the config must be an object ({ … }), found ${Array.isArray(value) ? "a list" : JSON.stringify(value)}`, file);
  }
  return { file, files, value, envReferences: collectEnvReferences(value) };
}
