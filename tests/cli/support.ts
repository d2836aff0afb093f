// Shared by the clawdbot-nix tests: fixtures, temp dirs, and what the emitted settings must evaluate to.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import type { ImportResult } from "../../cli/import.js";
import { isPlainObject, type Json, type JsonObject } from "../../cli/read-config.js";
import { samePath, valueAt, type Segment } from "../../cli/json-path.js";
import { displayPath } from "../../cli/validate.js";
import { REPO } from "../support/nix.js";

export const FIXTURES = join(REPO, "tests/cli/fixtures");
export const fixture = (...parts: string[]): string => join(FIXTURES, ...parts);

/** The importable fixtures: name → the path given to `import`. */
export const GOOD_FIXTURES: Record<string, string> = {
  wizard: fixture("wizard/clawdbot.json"),
  docker: fixture("docker"),
  includes: fixture("includes/clawdbot.json5"),
  /** Keys and values that need escaping in Nix (quotes, `${`, keywords, control characters), floats, empties. */
  escaping: fixture("escaping/clawdbot.json"),
};

/**
 * Configs the gateway accepts but the modules would refuse as they stand (or that need a choice): the import
 * maps them where a safe mapping exists and explains the rest (ImportResult.fixes).
 */
export const SERVICE_FIXTURES: Record<string, string> = {
  /** The Fly guide's bind "auto" without a token in the file. */
  fly: fixture("fly/clawdbot.json"),
  /** bind "lan", the token in Docker's .env. */
  "lan-env-token": fixture("lan-env-token/clawdbot.json"),
  /** A CLI's config (gateway.mode "remote"). */
  remote: fixture("remote/clawdbot.json"),
  /** bind "custom" with token auth from the environment. */
  "custom-bind": fixture("custom-bind/clawdbot.json"),
  /** bind and auth mode as ${VAR}s. */
  "env-service": fixture("env-service/clawdbot.json"),
};

/** Every config import accepts. */
export const IMPORT_FIXTURES: Record<string, string> = { ...GOOD_FIXTURES, ...SERVICE_FIXTURES };

/** Configs the schema layer accepts and the gateway's own validator refuses. */
export const UPSTREAM_ONLY_FIXTURES: Record<string, string> = Object.fromEntries(
  ["channel-typo", "plugin-typo", "heartbeat-target", "avatar", "duplicate-agent-dirs"].map((name) => [name, fixture(`upstream-only/${name}.json`)]),
);

const temps: string[] = [];
export function tempDir(prefix = "clawdbot-nix-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}
export function cleanTemps(): void {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Every file under a directory (relative path → bytes). */
export function snapshotTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string, prefix: string): void => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path, `${prefix}${name}/`);
      else out.set(`${prefix}${name}`, readFileSync(path));
    }
  };
  walk(dir, "");
  return out;
}

export { valueAt };

function setAt(root: JsonObject, path: Segment[], value: Json): void {
  const parent = valueAt(root, path.slice(0, -1)) as JsonObject | Json[];
  (parent as Record<string | number, Json>)[path.at(-1)!] = value;
}

function deleteAt(root: JsonObject, path: Segment[]): void {
  for (let n = path.length; n > 0; n--) {
    const parent = valueAt(root, path.slice(0, n - 1)) as JsonObject;
    const key = path[n - 1] as string;
    if (n === path.length) delete parent[key];
    else if (isPlainObject(parent[key]) && Object.keys(parent[key] as JsonObject).length === 0) delete parent[key];
  }
}

/**
 * The input config with secrets as references: what `services.clawdbot.settings` must evaluate to (the keys
 * moved to service options removed, `{ _secret = file; }` for sensitive keys, `${VAR}` for token-like values).
 */
export function expectedSettings(input: JsonObject, result: ImportResult): JsonObject {
  const out = structuredClone(input);
  for (const move of result.moves) {
    if (move.form === "file") setAt(out, move.path, { _secret: move.file });
    if (move.form === "env") setAt(out, move.path, `\${${move.variable}}`);
  }
  for (const path of result.movedToService) deleteAt(out, path);
  return out;
}

/** Every string value of a config with the path where it is. */
export function strings(value: Json, path: Segment[] = []): { path: Segment[]; value: string }[] {
  if (typeof value === "string") return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, [...path, i]));
  if (isPlainObject(value)) return Object.entries(value).flatMap(([k, v]) => strings(v, [...path, k]));
  return [];
}

function leaves(value: Json, path: Segment[] = []): { path: Segment[]; value: Json }[] {
  if (Array.isArray(value)) return value.length === 0 ? [{ path, value }] : value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    return entries.length === 0 ? [{ path, value }] : entries.flatMap(([k, v]) => leaves(v, [...path, k]));
  }
  return [{ path, value }];
}


/**
 * The config a module rendered says what the imported input said, with secrets as references:
 * - every leaf of the input is in the rendered file with the same value, except
 * - a sensitive value (`{ _secret = …; }`, auth.tokenFile / passwordFile) is a `${NAME}` reference or absent (the
 *   token reaches the gateway through the environment), and its file is one of the unit's credentials;
 * - a token-like value is the `${CLAWDBOT_IMPORTED_…}` reference the import wrote;
 * - a key moved to a service option (port, bind, auth.mode) is rendered with the same value (or left to a flag).
 * The module may add keys of its own (gateway.mode, logging.file, plugins.entries.<channel>.enabled).
 */
export function expectRenderedLikeInput(input: JsonObject, result: ImportResult, rendered: Json, credentials: string[]): void {
  for (const leaf of leaves(input)) {
    const where = displayPath(leaf.path);
    const value = valueAt(rendered, leaf.path);
    const move = result.moves.find((m) => samePath(m.path, leaf.path));
    if (move?.form === "env") expect(value, where).toBe(`\${${move.variable}}`);
    else if (move) {
      // the module's reference to the variable it fills from the file: "${NAME}", or where the field accepts
      // one (OpenClaw's SecretRef places, facts.json secrets.referencePaths) { source = "env"; provider; id = NAME; }
      if (typeof value === "string") expect(value, where).toMatch(/^\$\{[A-Z_][A-Z0-9_]*\}$/);
      else if (value !== undefined) expect(value, where).toEqual({ source: "env", provider: "default", id: expect.stringMatching(/^[A-Z_][A-Z0-9_]*$/) });
      expect(credentials, `${where}: its file is handed to the unit`).toContain(move.file);
    } else if (result.movedToService.some((p) => samePath(p, leaf.path))) {
      // the port may have been moved clear of other gateways' (import says so in a note)
      const expected = samePath(leaf.path, ["gateway", "port"]) && result.service.port !== undefined ? result.service.port : leaf.value;
      if (value !== undefined) expect(value, where).toEqual(expected);
    } else expect(value, where).toEqual(leaf.value);
  }
}
