#!/usr/bin/env node
// clawdbot-nix: bring an existing Clawdbot or OpenClaw installation under Nix.
//
//   clawdbot-nix import <config | state dir> [--target clawdbot|openclaw] [--out DIR] [--secrets-dir DIR] [--instance NAME]
//                       [--avoid-port PORT]… [--force] [--dry-run] [--max-size SIZE] [--gateway DIR] [--schema-only]
//                       [--verify | --no-verify] [--nixpkgs-lib DIR] [--home-manager DIR]
//   clawdbot-nix --version
//   clawdbot-nix check  [config | state dir] [--target clawdbot|openclaw] [--json] [--max-size SIZE] [--gateway DIR] [--schema-only]
//
// Exit codes: 0 success, 1 the config is invalid or unreadable, or the import refused (nothing written), 2 usage error,
// 3 import wrote the files but the modules refuse them until the fixes it names are made (also in default.nix);
// without an evaluation, any fix it names counts.
// Relative paths are the caller's: under `npm run clawdbot-nix`, npm runs this in the package root and says where
// the caller was in INIT_CWD.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { formatCheck, runCheck } from "./check.js";
import { defaultSecretsRoot, formatReport, ImportError, isBlocked, planImport, runImport, type ImportOptions } from "./import.js";
import { conversionFigure, formatMigration, migrateToOpenclaw } from "./migrate.js";
import { FROM_NAMES, type FromName } from "./convert-import.js";
import { ConfigReadError, DEFAULT_MAX_BYTES, readConfig } from "./read-config.js";
import { locateUpstream } from "./upstream-validator.js";
import { configFileIn, TARGET_NAMES, TARGETS, type TargetName } from "./targets.js";
import { displayPath } from "./validate.js";
import packageJson from "../package.json" with { type: "json" };

const { clawdbot, openclaw } = TARGETS;
const USAGE = `usage:
  clawdbot-nix import <config | state dir> [--target clawdbot|openclaw] [--out DIR] [--secrets-dir DIR]
                      [--instance NAME] [--avoid-port PORT]... [--force] [--dry-run] [--max-size SIZE]
                      [--gateway DIR] [--schema-only] [--verify | --no-verify] [--nixpkgs-lib DIR] [--home-manager DIR]
      Write DIR/default.nix (${clawdbot.gateway.module} or ${openclaw.gateway.module}; default DIR: ./clawdbot or ./openclaw)
      and DIR/settings.nix from a live config; secrets go to 0600 files in a 0700 folder the output owns
      (default: a folder named after the output in ${defaultSecretsRoot()}). A record of what was written
      is kept: a file changed since the last import is not replaced without --force, which keeps a backup
      first. --instance NAME writes <module>.instances.NAME (a second gateway, on a free port); --avoid-port
      names the port of another gateway on the machine; --dry-run prints the Nix files instead (secret values
      are never printed). A Clawdbot config imported with --target openclaw is checked for OpenClaw: the keys
      OpenClaw refuses are listed with their paths, and nothing is written.
      What is written is evaluated through the modules (NixOS, and Home Manager when its sources are found)
      when nix-instantiate, nixpkgs' lib (--nixpkgs-lib DIR, CLAWDBOT_NIX_NIXPKGS_LIB, <nixpkgs>) and the
      modules (this checkout, or CLAWDBOT_NIX_SOURCE) are there; --verify requires it, --no-verify skips it.
      Keys the gateway accepts but the modules cannot take are left out and named; whatever else the modules
      refuse is named with its fix, and the exit status is 3. The last line says which.
      --from clawdbot (implies --target openclaw): a Clawdbot config converted for OpenClaw first, as
      \`clawdbot-nix migrate\` does; a key OpenClaw still refuses stops the import, named with the fix.
  clawdbot-nix check [config | state dir] [--target clawdbot|openclaw] [--json] [--max-size SIZE] [--gateway DIR]
                     [--schema-only]
      Check a config offline: the gateway's schema (paths, help, did-you-mean), then the gateway's own
      validator, run by a Node its package.json engines accept. Clawdbot ${clawdbot.version}: from --gateway DIR or
      ${clawdbot.validator.gatewayEnv} (Node: ${clawdbot.validator.nodeEnv}); OpenClaw ${openclaw.version}: from --gateway DIR or
      ${openclaw.validator.gatewayEnv} (Node: ${openclaw.validator.nodeEnv}). "valid" only with the gateway's own verdict.
  --target clawdbot|openclaw  the gateway the config is for. Without it: ${openclaw.gateway.configName}, a state dir holding
                   one (or named .openclaw), or meta.lastTouchedVersion newer than ${clawdbot.version} mean openclaw;
                   otherwise clawdbot. The choice and its reason are printed ("target: …").
  --max-size SIZE  refuse configs larger than SIZE (default 10MB; e.g. 50MB, 2000000)
  Without a path: ~/.openclaw, else ~/.clawdbot. Progress goes to stderr while the gateway's validator runs.
  clawdbot-nix migrate <clawdbot config>... [--gateway DIR]  a Clawdbot config through OpenClaw's own migration
      (what \`openclaw doctor --fix\` applies, offline, on a copy): the result on stdout (one config), what moved
      and what OpenClaw still refuses with the fix on stderr, and \`converted N/M, explained K\`
  clawdbot-nix --version  this command's version and the gateway releases it is for`;

class UsageError extends Error {}

interface Parsed {
  command: string;
  input: string;
  flags: Map<string, string | true>;
  avoidPorts: number[];
}

const SHARED_VALUED = ["--max-size", "--gateway", "--target"];
const SHARED_BOOLEANS = ["--schema-only"];

class VersionRequest extends Error {}

/** `clawdbot-nix --version`: this command's version and the gateway releases it checks for. */
export function versionLine(): string {
  return `clawdbot-nix ${packageJson.version} (${TARGET_NAMES.map((n) => `${TARGETS[n].gateway.packageName} ${TARGETS[n].version}`).join(", ")})`;
}

/**
 * The config when no path is given: the state directory the gateway uses by default, `~/.openclaw` (OpenClaw's),
 * then `~/.clawdbot` (Clawdbot's); the first that exists, or (none) `~/.openclaw`, so the error names it.
 */
export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.HOME || homedir();
  const dirs = [join(home, ".openclaw"), join(home, ".clawdbot")];
  return dirs.find((d) => existsSync(d)) ?? dirs[0]!;
}

function parse(argv: string[], env: NodeJS.ProcessEnv = process.env): Parsed {
  const [command, ...rest] = argv;
  if (command === "--version" || command === "-V" || command === "version") throw new VersionRequest();
  if (command === "--help" || command === "-h" || command === "help") throw new UsageError("");
  if (command !== "import" && command !== "check") throw new UsageError(command ? `unknown command "${command}"` : "no command given");
  const valued = new Set([...SHARED_VALUED, ...(command === "import" ? ["--out", "--secrets-dir", "--instance", "--avoid-port", "--nixpkgs-lib", "--home-manager", "--from"] : [])]);
  const booleans = new Set([...SHARED_BOOLEANS, ...(command === "check" ? ["--json"] : ["--force", "--dry-run", "--verify", "--no-verify"])]);
  const flags = new Map<string, string | true>();
  const avoidPorts: number[] = [];
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const [name, inlineValue] = arg.startsWith("--") ? (arg.split(/=(.*)/s, 2) as [string, string | undefined]) : [arg, undefined];
    if (valued.has(name)) {
      const value = inlineValue ?? rest[++i];
      if (value === undefined || value === "") throw new UsageError(`${name} needs a value`);
      if (name === "--avoid-port") {
        for (const part of value.split(",")) {
          const port = Number(part);
          if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--avoid-port ${part}: not a port`);
          avoidPorts.push(port);
        }
      } else if (name === "--from" && !(FROM_NAMES as readonly string[]).includes(value)) {
        throw new UsageError(`--from ${value}: give ${FROM_NAMES.join(" or ")} (a config converted for ${openclaw.name})`);
      } else if (name === "--target" && !(TARGET_NAMES as readonly string[]).includes(value)) {
        throw new UsageError(`--target ${value}: give ${TARGET_NAMES.join(" or ")}`);
      } else flags.set(name, value);
    } else if (booleans.has(name) && inlineValue === undefined) flags.set(name, true);
    else if (arg === "--help" || arg === "-h") throw new UsageError("");
    else if (arg === "--version") throw new VersionRequest();
    else if (arg.startsWith("-") && arg !== "-") throw new UsageError(`unknown option ${arg}`);
    else positional.push(arg);
  }
  if (flags.has("--verify") && flags.has("--no-verify")) throw new UsageError("give --verify or --no-verify, not both");
  if (positional.length > 1) throw new UsageError("give one config path");
  // --from clawdbot converts for OpenClaw: the target it implies
  if (flags.has("--from") && !flags.has("--target")) flags.set("--target", openclaw.name);
  return { command, input: positional[0] ?? defaultConfigPath(env), flags, avoidPorts };
}

/** "10MB", "512kB", "2GB", "1000000" → bytes (decimal units). */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|k|kb|m|mb|g|gb)?$/i.exec(text.trim());
  if (!match) throw new UsageError(`--max-size ${text}: give a size such as 10MB, 512kB or 2000000 (bytes)`);
  const unit = (match[2] ?? "b").toLowerCase()[0]!;
  const bytes = Math.floor(Number(match[1]) * ({ b: 1, k: 1e3, m: 1e6, g: 1e9 } as Record<string, number>)[unit]!);
  if (bytes < 1) throw new UsageError(`--max-size ${text}: must be at least 1 byte`);
  return bytes;
}

/** The directory the caller ran the command in (npm run changes the working directory; INIT_CWD keeps the caller's). */
export function callerDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env.npm_lifecycle_event && env.INIT_CWD ? env.INIT_CWD : process.cwd();
}

/**
 * `clawdbot-nix migrate <clawdbot config>... [--gateway DIR]`: each Clawdbot config through OpenClaw's own
 * legacy-config migration (cli/migrate.ts), the result as JSON on stdout (one config) or its verdict (several),
 * what could not move with the fix, and the figure `converted N/M, explained K`. Exit 0 when all converted.
 */
async function migrateCommand(args: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const files: string[] = [];
  let gateway: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--gateway" || arg.startsWith("--gateway=")) gateway = arg.includes("=") ? arg.slice(10) : args[++i];
    else if (arg.startsWith("-")) {
      err(`clawdbot-nix migrate: unknown option ${arg}`);
      return 2;
    } else files.push(arg);
  }
  const cwd = callerDirectory();
  if (files.length === 0) files.push(defaultConfigPath());
  const located = locateUpstream({ target: openclaw, ...(gateway ? { gateway: resolve(cwd, gateway) } : {}) });
  if (!located.validator) {
    err(`clawdbot-nix migrate: ${located.missing}`);
    return 1;
  }
  const sources = files.map((f) => readConfig(configFileIn(f, cwd, clawdbot).file));
  err(`converting with ${clawdbot.displayName} ${clawdbot.version}'s load-time migration and ${openclaw.displayName} ${openclaw.version}'s doctor migration (takes a few seconds)…`);
  const migrations = await migrateToOpenclaw(located.validator, sources.map((s) => s.value!));
  for (const [i, m] of migrations.entries()) for (const line of formatMigration(sources[i]!.file, m)) err(line);
  if (migrations.length === 1) out(JSON.stringify(migrations[0]!.config, null, 2));
  err(conversionFigure(migrations));
  return migrations.every((m) => m.ok) ? 0 : 1;
}

export async function main(argv: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): Promise<number> {
  if (argv[0] === "migrate") {
    try {
      return await migrateCommand(argv.slice(1), out, err);
    } catch (error) {
      err(`clawdbot-nix migrate: ${(error as Error).message}`);
      return 1;
    }
  }
  let parsed: Parsed;
  let maxBytes = DEFAULT_MAX_BYTES;
  try {
    parsed = parse(argv);
    const size = parsed.flags.get("--max-size");
    if (typeof size === "string") maxBytes = parseSize(size);
  } catch (error) {
    if (error instanceof VersionRequest) {
      out(versionLine());
      return 0;
    }
    if (!(error instanceof UsageError)) throw error;
    if (error.message) err(`clawdbot-nix: ${error.message}`);
    (error.message ? err : out)(USAGE);
    return error.message ? 2 : 0;
  }
  const cwd = callerDirectory();
  const gateway = parsed.flags.get("--gateway");
  const target = parsed.flags.get("--target");
  const layer = {
    ...(parsed.flags.has("--schema-only") ? { upstream: "off" as const } : {}),
    ...(typeof gateway === "string" ? { gateway } : {}),
    ...(typeof target === "string" ? { target: target as TargetName } : {}),
  };
  try {
    if (parsed.command === "check") {
      const result = await runCheck(parsed.input, { cwd, maxBytes, progress: err, ...layer });
      if (parsed.flags.has("--json")) {
        out(
          JSON.stringify(
            {
              file: result.source.file,
              files: result.source.files,
              target: result.choice.target.name,
              version: result.choice.target.version,
              targetReason: result.choice.reason,
              ok: result.ok,
              // "full": upstream's validator ran; "schema-only": it did not (see reason), so ok is not a full verdict
              checked: result.upstream.ran ? "full" : "schema-only",
              ...(result.upstream.ran ? {} : { reason: result.upstream.reason }),
              warnings: result.source.warnings,
              problems: result.problems.map((p) => ({ ...p, path: displayPath(p.path) })),
            },
            null,
            2,
          ),
        );
      } else (result.ok ? out : err)(formatCheck(result));
      return result.ok ? 0 : 1;
    }
    const secretsDir = parsed.flags.get("--secrets-dir");
    const instance = parsed.flags.get("--instance");
    const outDir = parsed.flags.get("--out");
    const nixpkgsLib = parsed.flags.get("--nixpkgs-lib");
    const homeManager = parsed.flags.get("--home-manager");
    const from = parsed.flags.get("--from");
    const options: ImportOptions = {
      ...(typeof nixpkgsLib === "string" ? { nixpkgsLib: resolve(cwd, nixpkgsLib) } : {}),
      ...(typeof homeManager === "string" ? { homeManager: resolve(cwd, homeManager) } : {}),
      ...(parsed.flags.has("--verify") ? { verify: "on" as const } : parsed.flags.has("--no-verify") ? { verify: "off" as const } : {}),
      ...(typeof instance === "string" ? { instance } : {}),
      ...(typeof from === "string" ? { from: from as FromName } : {}),
      ...(typeof outDir === "string" ? { out: outDir } : {}),
      force: parsed.flags.has("--force"),
      ...(typeof secretsDir === "string" ? { secretsDir } : {}),
      avoidPorts: parsed.avoidPorts,
      cwd,
      maxBytes,
      progress: err,
      ...layer,
    };
    if (parsed.flags.has("--dry-run")) {
      const { result, texts } = await planImport(parsed.input, options);
      for (const { path, text } of texts.filter((t) => t.path.endsWith(".nix"))) out(`==> ${path} <==\n${text}`);
      out(formatReport(result, true));
      return isBlocked(result) ? 3 : 0;
    }
    const result = await runImport(parsed.input, options);
    out(formatReport(result));
    return isBlocked(result) ? 3 : 0;
  } catch (error) {
    if (error instanceof ConfigReadError || error instanceof ImportError) {
      if (parsed.command === "check" && parsed.flags.has("--json")) out(JSON.stringify({ ok: false, error: error.message }, null, 2));
      err(`clawdbot-nix ${parsed.command}: ${error.message}`);
      return 1;
    }
    err(`clawdbot-nix ${parsed.command}: ${(error as Error).message}`);
    return 1;
  }
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(entry).href) process.exitCode = await main(process.argv.slice(2));
