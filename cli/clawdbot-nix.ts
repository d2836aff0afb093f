#!/usr/bin/env node
// clawdbot-nix: bring an existing Clawdbot installation under Nix.
//
//   clawdbot-nix import <clawdbot.json | state dir> [--out DIR] [--secrets-dir DIR] [--instance NAME] [--force] [--dry-run]
//   clawdbot-nix check  <clawdbot.json | state dir> [--json]
//
// Exit codes: 0 success, 1 the config is invalid or unreadable (nothing written), 2 usage error.
import { pathToFileURL } from "node:url";
import { formatCheck, runCheck } from "./check.js";
import { defaultSecretsDir, formatReport, ImportError, planImport, runImport } from "./import.js";
import { ConfigReadError } from "./read-config.js";
import { displayPath, UPSTREAM_VERSION } from "./validate.js";

const USAGE = `usage:
  clawdbot-nix import <clawdbot.json | state dir> [--out DIR] [--secrets-dir DIR] [--instance NAME] [--force] [--dry-run]
      Write DIR/default.nix (services.clawdbot, default ./clawdbot) and DIR/settings.nix from a live config;
      secrets go to 0600 files in the secrets directory (default ${defaultSecretsDir()}).
      --instance NAME writes services.clawdbot.instances.NAME (a second gateway; secrets default to a
      NAME subdirectory); --force replaces Nix files an earlier import did not write; --dry-run prints the
      Nix files instead (secret values are never printed).
  clawdbot-nix check <clawdbot.json | state dir> [--json]
      Validate a config offline against the clawdbot ${UPSTREAM_VERSION} schema.`;

class UsageError extends Error {}

interface Parsed {
  command: string;
  input: string;
  flags: Map<string, string | true>;
}

function parse(argv: string[]): Parsed {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") throw new UsageError("");
  if (command !== "import" && command !== "check") throw new UsageError(command ? `unknown command "${command}"` : "no command given");
  const valued = new Set(command === "import" ? ["--out", "--secrets-dir", "--instance"] : []);
  const booleans = new Set(command === "check" ? ["--json"] : ["--force", "--dry-run"]);
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const [name, inlineValue] = arg.startsWith("--") ? (arg.split(/=(.*)/s, 2) as [string, string | undefined]) : [arg, undefined];
    if (valued.has(name)) {
      const value = inlineValue ?? rest[++i];
      if (value === undefined || value === "") throw new UsageError(`${name} needs a value`);
      flags.set(name, value);
    } else if (booleans.has(name) && inlineValue === undefined) flags.set(name, true);
    else if (arg === "--help" || arg === "-h") throw new UsageError("");
    else if (arg.startsWith("-") && arg !== "-") throw new UsageError(`unknown option ${arg}`);
    else positional.push(arg);
  }
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? "no config path given" : "give one config path");
  return { command, input: positional[0]!, flags };
}

export function main(argv: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): number {
  let parsed: Parsed;
  try {
    parsed = parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) err(`clawdbot-nix: ${error.message}`);
    (error.message ? err : out)(USAGE);
    return error.message ? 2 : 0;
  }
  try {
    if (parsed.command === "check") {
      const result = runCheck(parsed.input);
      if (parsed.flags.has("--json")) {
        out(
          JSON.stringify(
            {
              file: result.source.file,
              files: result.source.files,
              ok: result.ok,
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
    const options = {
      ...(typeof instance === "string" ? { instance } : {}),
      out: String(parsed.flags.get("--out") ?? "clawdbot"),
      force: parsed.flags.has("--force"),
      ...(typeof secretsDir === "string" ? { secretsDir } : {}),
    };
    if (parsed.flags.has("--dry-run")) {
      const { result, texts } = planImport(parsed.input, options);
      for (const { path, text } of texts.filter((t) => t.path.endsWith(".nix"))) out(`==> ${path} <==\n${text}`);
      out(formatReport(result, true));
      return 0;
    }
    out(formatReport(runImport(parsed.input, options)));
    return 0;
  } catch (error) {
    if (error instanceof ConfigReadError || error instanceof ImportError) {
      if (parsed.command === "check" && parsed.flags.has("--json")) {
        out(JSON.stringify({ ok: false, error: error.message }, null, 2));
      }
      err(`clawdbot-nix ${parsed.command}: ${error.message}`);
      return 1;
    }
    err(`clawdbot-nix ${parsed.command}: ${(error as Error).message}`);
    return 1;
  }
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(entry).href) process.exitCode = main(process.argv.slice(2));
