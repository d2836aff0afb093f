// Reading a clawdbot.json the way the gateway does (dist/config/io.js → includes.js, env-substitution.js):
// JSON5, then `$include` resolved relative to the including file (deep merge: objects merge, arrays
// concatenate, the including file's own keys win), then `${VAR}` references — which we keep as they are
// (the service provides the variables) and only list.
import { readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, normalize, relative, resolve, sep } from "node:path";
import JSON5 from "json5";
import { envNames, isPlainObject, type Json, type JsonObject } from "./json.js";
import { redactExcerpt } from "./redact.js";
import { configFileIn } from "./targets.js";

export { envNames, isPlainObject, type Json, type JsonObject };

export const INCLUDE_KEY = "$include";
/** Upstream's MAX_INCLUDE_DEPTH. */
export const MAX_INCLUDE_DEPTH = 10;

export type ReadErrorKind =
  | "unreadable"
  | "syntax"
  | "include-cycle"
  | "include-missing"
  | "include-invalid"
  | "include-depth"
  | "too-large"
  | "not-an-object";

/** The default size limit of a config (all its files together): 10 MB. */
export const DEFAULT_MAX_BYTES = 10 * 1000 * 1000;

export interface ReadOptions {
  /** Refuse a config whose files together are larger (bytes; default DEFAULT_MAX_BYTES). */
  maxBytes?: number;
  /** The directory a relative path is resolved against (default: the process's). */
  cwd?: string;
}

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
  /** Things worth saying that do not stop the read (an `$include` outside the config's folder). */
  warnings: string[];
}

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

/** Bytes read so far against the limit, shared by a config and its includes. */
interface Budget {
  left: number;
  max: number;
}

const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(bytes < 1e6 ? 2 : 1)} MB`;

function readText(file: string, what: string, budget?: Budget): string {
  try {
    if (budget) {
      const size = statSync(file).size;
      if (size > budget.left) {
        throw new ConfigReadError(
          "too-large",
          `${file}: ${what === "config" ? "the config" : "an included file"} is ${megabytes(size)}${budget.left < budget.max ? ` (with the files read before it, over ${megabytes(budget.max)})` : ""}, over the limit of ${megabytes(budget.max)}: a clawdbot.json is a few kB. Check the path, or raise the limit with --max-size`,
          file,
        );
      }
      budget.left -= size;
    }
    return readFileSync(file, "utf8");
  } catch (error) {
    if (error instanceof ConfigReadError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "is a directory" : String((error as Error).message);
    throw new ConfigReadError(what === "config" ? "unreadable" : "include-missing", `cannot read ${what} ${file}: ${reason}`, file);
  }
}

/** The longest excerpt of the offending line a syntax error shows (characters, around the column). */
export const EXCERPT_WIDTH = 60;

/**
 * JSON5.parse with one clear message: file:line:column, the reason, and a short excerpt of the offending line
 * around the column, with anything token-like masked (redact.ts): a syntax error never prints a secret, and a
 * one-line 50 MB file gives one short line.
 */
export function parseJson5(text: string, file: string): Json {
  try {
    return JSON5.parse(text) as Json;
  } catch (error) {
    const e = error as SyntaxError & { lineNumber?: number; columnNumber?: number };
    const reason = e.message.replace(/^JSON5: /, "").replace(/ at \d+:\d+$/, "");
    // upstream's reason quotes the offending character; that is all it quotes
    const shortReason = reason.length > 120 ? `${reason.slice(0, 117)}...` : reason;
    if (e.lineNumber === undefined) throw new ConfigReadError("syntax", `${file}: JSON5 syntax error: ${shortReason}`, file);
    const line = lineAt(text, e.lineNumber);
    const column = e.columnNumber ?? 1;
    const { excerpt, caret } = redactExcerpt(line, column - 1, EXCERPT_WIDTH);
    const gutter = " ".repeat(String(e.lineNumber).length);
    const frame = `  ${e.lineNumber} | ${excerpt}\n  ${gutter} | ${" ".repeat(caret)}^`;
    throw new ConfigReadError("syntax", `${file}:${e.lineNumber}:${column}: JSON5 syntax error: ${shortReason}\n${frame}`, file);
  }
}

/** Line n (1-based) without splitting the whole text. */
function lineAt(text: string, n: number): string {
  let start = 0;
  for (let i = 1; i < n; i++) {
    const next = text.indexOf("\n", start);
    if (next === -1) return "";
    start = next + 1;
  }
  const end = text.indexOf("\n", start);
  return text.slice(start, end === -1 ? text.length : end).replace(/\r$/, "");
}

/** includes.js IncludeProcessor, with our errors. `visited` is per branch: a file included twice side by side is fine. */
class IncludeProcessor {
  constructor(
    private readonly basePath: string,
    private readonly visited: string[],
    private readonly depth: number,
    private readonly files: string[],
    private readonly context: { budget: Budget; warnings: string[]; folder: string },
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
      text = readText(resolved, "include", this.context.budget);
    } catch (error) {
      if (error instanceof ConfigReadError && error.kind === "too-large") throw error;
      if (error instanceof ConfigReadError) {
        throw new ConfigReadError("include-missing", `${this.basePath}: $include "${includePath}": ${error.message}`, resolved);
      }
      throw error;
    }
    this.files.push(resolved);
    const rel = relative(this.context.folder, resolved);
    if (rel.startsWith(`..${sep}`) || rel === ".." || isAbsolute(rel)) {
      this.context.warnings.push(
        `${this.basePath}: $include "${includePath}" reads ${resolved}, outside the config's folder ${this.context.folder}: it does not move with the folder (a copy of the state directory, a backup, a container volume); the import inlines it into settings.nix`,
      );
    }
    const parsed = parseJson5(text, resolved);
    return new IncludeProcessor(resolved, [...this.visited, resolved], this.depth + 1, this.files, this.context).process(parsed);
  }
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

/**
 * Read a config file, or the config of a state directory (~/.openclaw, a Docker or Fly volume): the first of the
 * gateways' config files it holds, as cli/targets.ts configFileIn finds it without a target. Throws
 * ConfigReadError.
 */
export function readConfig(path: string, options: ReadOptions = {}): ReadConfig {
  const { file } = configFileIn(path, options.cwd ?? process.cwd(), undefined);
  const max = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const context = { budget: { left: max, max }, warnings: [] as string[], folder: dirname(file) };
  const text = readText(file, "config", context.budget);
  const parsed = parseJson5(text, file);
  const files = [file];
  const value = new IncludeProcessor(file, [normalize(file)], 0, files, context).process(parsed);
  if (!isPlainObject(value)) {
    throw new ConfigReadError("not-an-object", `${file}: the config must be an object ({ … }), found ${Array.isArray(value) ? "a list" : JSON.stringify(value)}`, file);
  }
  return { file, files, value, envReferences: collectEnvReferences(value), warnings: context.warnings };
}
