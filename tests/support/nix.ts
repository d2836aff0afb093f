// Running Nix from tests: the parser, the evaluator, and the T1 sources (real nixpkgs lib, Home Manager).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

export const REPO = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

const NIX_ENV = {
  ...process.env,
  NIX_CONFIG: "experimental-features = nix-command flakes\nsubstituters =\n",
};

export function hasNix(): boolean {
  return spawnSync("nix-instantiate", ["--version"]).status === 0;
}

export interface NixResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** `nix-instantiate --parse FILE`. */
export function nixParse(file: string): NixResult {
  const result = spawnSync("nix-instantiate", ["--parse", file], { env: NIX_ENV, encoding: "utf8" });
  return { ok: result.status === 0, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Evaluate an expression strictly; `value` is its JSON. `readWrite`: builtins.toFile and path literals are
 * written to the store (the default read-only mode only computes their paths), so they can be read back.
 * The one Nix evaluator of the tests.
 */
export function nixEval(expression: string, options: { cwd?: string; readWrite?: boolean } = {}): NixResult & { value?: unknown } {
  const mode = options.readWrite ? ["--read-write-mode"] : [];
  const result = spawnSync("nix-instantiate", [...mode, "--eval", "--strict", "--json", "--expr", expression], {
    env: NIX_ENV,
    encoding: "utf8",
    cwd: options.cwd ?? REPO,
    maxBuffer: 64 * 1024 * 1024,
  });
  const ok = result.status === 0;
  return { ok, stdout: result.stdout, stderr: result.stderr, ...(ok ? { value: JSON.parse(result.stdout) } : {}) };
}

/** Like nixEval, but throws with Nix's error text when evaluation fails. */
export function nixEvalOk(expression: string): unknown {
  const result = nixEval(expression);
  if (!result.ok) throw new Error(`nix evaluation failed:\n${result.stderr}`);
  return result.value;
}

/** A Nix string literal for a path or text. */
export const nixStr = (text: string): string => JSON.stringify(text).replace(/\$\{/g, "\\${");

/** Every .nix file the repository tracks or would track (not node_modules, .cache, result). */
export function repoNixFiles(): string[] {
  const out: string[] = [];
  const skip = new Set(["node_modules", ".cache", ".git", "result"]);
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (skip.has(name)) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".nix")) out.push(relative(REPO, path));
    }
  };
  walk(REPO);
  return out.sort();
}

export interface T1Sources {
  /** A nixpkgs `lib` tree: `import "${lib}/lib"`. */
  nixpkgsLib?: string;
  homeManager?: string;
}

/**
 * Where the T1 sources are looked for when CLAWDBOT_T1_* are unset: `../shared/t1/` beside the checkout (the
 * project's shared folder, which every developer's machine and CI's fresh clone have; its README names the
 * revisions). Used in place, read-only; never copied into the repository.
 */
export const SHARED_T1 = join(REPO, "..", "shared", "t1");

/**
 * The T1 sources: CLAWDBOT_T1_NIXPKGS_LIB (a nixpkgs or nixpkgs.lib checkout) and CLAWDBOT_T1_HOME_MANAGER (a
 * home-manager checkout) when set, else `../shared/t1/nixpkgs-lib` and `../shared/t1/home-manager`. A folder
 * that is set but wrong is never replaced by the default. `libSkip` / `hmSkip` say what is missing.
 */
export function t1Sources(): T1Sources & { libSkip?: string; hmSkip?: string } {
  const result: T1Sources & { libSkip?: string; hmSkip?: string } = {};
  if (!hasNix()) {
    result.libSkip = result.hmSkip = "nix-instantiate is not installed (apt-get install nix-bin)";
    return result;
  }
  const locate = (variable: string, shared: string, marker: string, what: string): { path?: string; skip?: string } => {
    const set = process.env[variable];
    const path = set || join(SHARED_T1, shared);
    if (existsSync(join(path, marker))) return { path };
    const from = set ? `${variable}=${set}` : `${variable} is unset and ${path}`;
    return { skip: `${from} has no ${marker} (${what}; see ../shared/t1/README.md and CONTRIBUTING, T1)` };
  };
  const lib = locate("CLAWDBOT_T1_NIXPKGS_LIB", "nixpkgs-lib", "lib/default.nix", "a nixpkgs.lib checkout");
  const hm = locate("CLAWDBOT_T1_HOME_MANAGER", "home-manager", "modules/modules.nix", "a home-manager checkout");
  if (lib.path) result.nixpkgsLib = lib.path;
  else result.libSkip = lib.skip;
  if (hm.path) result.homeManager = hm.path;
  else result.hmSkip = hm.skip;
  return result;
}

/**
 * Why the modules' renderers cannot be evaluated here, or undefined: they need nix-instantiate and nixpkgs'
 * real lib (tests/support/nix/lib.nix finds the same tree as t1Sources). No stand-in replaces it.
 */
export function renderSkip(): string | undefined {
  if (!hasNix()) return "nix-instantiate is not installed (apt-get install nix-bin)";
  return t1Sources().libSkip;
}

/** Print a loud SKIP line (vitest shows console output of skipped suites at collection). */
export function announceSkip(what: string, reason: string | undefined): void {
  if (reason) console.log(`SKIP: ${what}: ${reason}`);
}

export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  return execFileSync(command, args, { cwd: options.cwd ?? REPO, env: options.env ?? process.env, encoding: "utf8" });
}
