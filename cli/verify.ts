// `clawdbot-nix import` evaluates what it writes through the real modules, so that nothing it writes fails to
// evaluate without saying so. The modules are the source of truth for what evaluates: their assertions
// (modules/lib/render.nix, modules/common.nix) and their option types (generated from the gateway's schema).
// cli/verify.nix evaluates the planned default.nix as the whole configuration of a NixOS system (and of a Home
// Manager user when Home Manager's sources are found) with nixpkgs' `lib`; each failed assertion is reported
// with the module's own message, and an evaluation error (an unknown option, a value of the wrong type) with
// nix's. Nothing is re-implemented here.
//
// What it needs, first match wins:
//   - nix-instantiate: CLAWDBOT_NIX_NIX_INSTANTIATE, else on PATH;
//   - nixpkgs' lib (a folder holding lib/: a nixpkgs checkout or nixpkgs.lib): --nixpkgs-lib DIR,
//     CLAWDBOT_NIX_NIXPKGS_LIB, CLAWDBOT_T1_NIXPKGS_LIB (the tests' T1 sources), `<nixpkgs>` on NIX_PATH;
//   - Home Manager (optional): --home-manager DIR, CLAWDBOT_NIX_HOME_MANAGER, CLAWDBOT_T1_HOME_MANAGER,
//     `<home-manager>` on NIX_PATH;
//   - the modules: CLAWDBOT_NIX_SOURCE (a clawdbot-nix source tree), else the checkout this file is in.
// Without them the import says that it did not evaluate, and why (never that it evaluates).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { nixString } from "../generator/emit/nix-text.js";
import type { Target } from "./targets.js";
import { runAsync } from "./upstream-validator.js";

export type Platform = "nixos" | "homeManager";
export const PLATFORM_NAMES: Record<Platform, string> = { nixos: "NixOS", homeManager: "Home Manager" };

export interface VerifyOptions {
  /** "auto" (default): evaluate when everything needed is found; "on": also, and fail when it is not; "off": never. */
  verify?: "auto" | "on" | "off";
  nixpkgsLib?: string;
  homeManager?: string;
  env?: NodeJS.ProcessEnv;
}

export interface Evaluator {
  nixInstantiate: string;
  source: string;
  nixpkgsLib: string;
  homeManager?: string;
}

export type Located = { evaluator: Evaluator; missing?: undefined } | { evaluator?: undefined; missing: string };

/** One platform's verdict: the modules' failed assertions, or the evaluation error. */
export interface PlatformVerdict {
  platform: Platform;
  failed: string[];
  /** nix's error (first line, and its "Did you mean" line), when the evaluation stopped. */
  error?: string;
  /** The option the error names (`services.openclaw.settings.agents.list`). */
  errorOption?: string;
}

export type Verification = { ran: true; platforms: PlatformVerdict[] } | { ran: false; reason: string };

/** A clawdbot-nix source tree: one with the modules and this harness. */
const isSource = (dir: string): boolean => existsSync(join(dir, "modules", "nixos.nix")) && existsSync(join(dir, "cli", "verify.nix"));

function checkoutSource(): string | undefined {
  try {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
    return isSource(root) ? root : undefined;
  } catch {
    return undefined;
  }
}

function findFile(nixInstantiate: string, name: string): string | undefined {
  const run = spawnSync(nixInstantiate, ["--find-file", name], { encoding: "utf8", timeout: 30_000 });
  return run.status === 0 ? run.stdout.trim() || undefined : undefined;
}

function onPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? "").split(":").filter(Boolean)) if (existsSync(join(dir, command))) return join(dir, command);
  return undefined;
}

/** What the evaluation needs, or why it cannot run. */
export function locateEvaluator(options: VerifyOptions = {}): Located {
  const env = options.env ?? process.env;
  const nixInstantiate = env.CLAWDBOT_NIX_NIX_INSTANTIATE ?? onPath("nix-instantiate", env);
  if (!nixInstantiate) return { missing: "nix-instantiate is not on PATH" };
  const source = env.CLAWDBOT_NIX_SOURCE ? resolve(env.CLAWDBOT_NIX_SOURCE) : checkoutSource();
  if (!source) return { missing: "the modules' sources were not found: set CLAWDBOT_NIX_SOURCE to a clawdbot-nix checkout" };
  if (!isSource(source)) return { missing: `${source} is not a clawdbot-nix source tree (no modules/nixos.nix and cli/verify.nix)` };
  const libGiven = options.nixpkgsLib ?? env.CLAWDBOT_NIX_NIXPKGS_LIB ?? env.CLAWDBOT_T1_NIXPKGS_LIB;
  const nixpkgsLib = libGiven ? resolve(libGiven) : findFile(nixInstantiate, "nixpkgs");
  if (!nixpkgsLib) return { missing: "no nixpkgs lib: give --nixpkgs-lib DIR (a nixpkgs checkout, or nixpkgs.lib) or put nixpkgs on NIX_PATH" };
  if (!existsSync(join(nixpkgsLib, "lib", "default.nix"))) return { missing: `${nixpkgsLib} holds no lib/default.nix (give a nixpkgs checkout or nixpkgs.lib)` };
  const hmGiven = options.homeManager ?? env.CLAWDBOT_NIX_HOME_MANAGER ?? env.CLAWDBOT_T1_HOME_MANAGER;
  const homeManager = hmGiven ? resolve(hmGiven) : findFile(nixInstantiate, "home-manager");
  const hmUsable = homeManager !== undefined && existsSync(join(homeManager, "modules", "systemd.nix"));
  return { evaluator: { nixInstantiate, source, nixpkgsLib, ...(hmUsable ? { homeManager } : {}) } };
}

/** nix's error as one sentence: its last `error:` block's first line, and its "Did you mean" line. */
export function nixError(stderr: string): { error: string; option?: string } {
  const blocks = stderr.split(/^error: /m);
  const last = blocks.length > 1 ? blocks.at(-1)! : stderr;
  const lines = last.split("\n").map((l) => l.trim());
  const first = lines[0]!.replace(/\s*Definition values:$/, "");
  const mean = lines.find((l) => l.startsWith("Did you mean"));
  const option = /`([^`']+)'/.exec(first)?.[1];
  return { error: [first, mean].filter(Boolean).join(" "), ...(option ? { option } : {}) };
}

/**
 * Evaluate the planned files (`files`: name → text; default.nix imports ./settings.nix) through the modules.
 * The files are written to a private temporary folder and removed afterwards.
 */
export async function evaluateImport(evaluator: Evaluator, files: Record<string, string>, target: Target): Promise<PlatformVerdict[]> {
  const dir = mkdtempSync(join(tmpdir(), "clawdbot-nix-verify-"));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, basename(name)), text, { mode: 0o600 });
    const platforms: Platform[] = evaluator.homeManager ? ["nixos", "homeManager"] : ["nixos"];
    const verdicts: PlatformVerdict[] = [];
    for (const platform of platforms) {
      const expression = `import ${nixString(join(evaluator.source, "cli", "verify.nix"))} {
        source = ${nixString(evaluator.source)};
        nixpkgsLib = ${nixString(evaluator.nixpkgsLib)};
        ${evaluator.homeManager ? `homeManager = ${nixString(evaluator.homeManager)};` : ""}
        gateway = ${nixString(target.name)};
        platform = ${nixString(platform)};
        module = ${nixString(join(dir, "default.nix"))};
      }`;
      // a string path is imported as it is (no copy to the store); nothing here reads a secret file
      const run = await runAsync(evaluator.nixInstantiate, ["--eval", "--strict", "--json", "-E", expression], "", {
        cwd: dir,
        env: { ...process.env, NIX_PATH: process.env.NIX_PATH ?? "" },
        timeoutMs: 300_000,
      });
      if (run.status === 0) {
        const value = JSON.parse(run.stdout) as { failed: string[] };
        verdicts.push({ platform, failed: value.failed });
      } else {
        const { error, option } = nixError(run.error ? `error: ${run.error.message}` : run.stderr);
        verdicts.push({ platform, failed: [], error, ...(option ? { errorOption: option } : {}) });
      }
    }
    return verdicts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
