// The two verdicts on every sample of ./samples.ts: the generated Nix types with the real nixpkgs lib (T1; a few
// nix-instantiate processes for the whole set, ./eval.nix), and upstream's own validator in process, run by the
// gateway's Node (./upstream-batch.mjs). Both asynchronous (tests/support/process.ts): a vitest worker must not
// block for long.
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { nixStr, REPO } from "../support/nix.js";
import { runAsync } from "../support/process.js";
import type { Json, Sample } from "./samples.js";

export interface NixVerdict {
  ok: boolean;
  /** Accepted, and the settings the module system gives back are the sample (nulls left out). */
  same: boolean;
  /** An error `builtins.tryEval` could not catch (it stopped the evaluation): its text. */
  crash?: string;
}

export interface UpstreamVerdict {
  ok: boolean;
  issues: { path: string; message: string }[];
}

const NIX_ENV = {
  ...process.env,
  NIX_CONFIG: "experimental-features = nix-command flakes\nsubstituters =\n",
  // Nix 2.8's collector rescans a growing heap again and again; a large first heap makes a batch 5x faster.
  GC_INITIAL_HEAP_SIZE: "2G",
};

const RESULT = "trace: conformance-result:";
const BEGIN = "trace: conformance-begin:";

/** Run `items` through `worker` with at most `limit` at once. */
async function pool<T>(items: T[], limit: number, worker: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await worker(items[next++]!);
    }),
  );
}

/**
 * The Nix types' verdict on every sample: chunks of `chunk` samples, `parallel` processes at once. An error
 * tryEval cannot catch ends the process: its sample gets `crash`, and the chunk goes on after it (at most
 * `maxCrashes` times per chunk; samples after that have no verdict).
 */
export async function nixVerdicts(opts: {
  nixpkgsLib: string;
  settings: string;
  samples: Sample[];
  dir: string;
  chunk?: number;
  parallel?: number;
  maxCrashes?: number;
}): Promise<Map<number, NixVerdict>> {
  const file = join(opts.dir, "nix-samples.json");
  writeFileSync(file, JSON.stringify(opts.samples.map((s) => ({ id: s.id, config: s.config }))));
  const chunk = opts.chunk ?? 700;
  const verdicts = new Map<number, NixVerdict>();
  const ranges: [number, number][] = [];
  for (let from = 0; from < opts.samples.length; from += chunk) ranges.push([from, Math.min(opts.samples.length, from + chunk)]);
  await pool(ranges, opts.parallel ?? 2, async ([from, to]) => {
    let start = from;
    let crashes = 0;
    while (start < to && crashes <= (opts.maxCrashes ?? 40)) {
      const r = await runAsync(
        "nix-instantiate",
        ["--eval", "--strict", join(REPO, "tests/conformance/eval.nix"), "--arg", "nixpkgsLib", `(/. + ${nixStr(opts.nixpkgsLib)})`, "--arg", "settings", `(/. + ${nixStr(opts.settings)})`, "--arg", "samplesFile", `(/. + ${nixStr(file)})`, "--arg", "from", String(start), "--arg", "to", String(to)],
        { env: NIX_ENV, timeoutMs: 1_800_000 },
      );
      let lastBegin: number | undefined;
      const tail: string[] = [];
      for (const line of r.stderr.split("\n")) {
        if (line.startsWith(RESULT)) {
          const v = JSON.parse(line.slice(RESULT.length)) as { id: number; ok: boolean; same: boolean };
          verdicts.set(v.id, { ok: v.ok, same: v.same });
          lastBegin = undefined;
        } else if (line.startsWith(BEGIN)) {
          lastBegin = Number(line.slice(BEGIN.length));
          tail.length = 0;
        } else if (line.trim() !== "") tail.push(line);
      }
      if (r.status === 0) break;
      if (lastBegin === undefined) throw new Error(`nix-instantiate failed outside any sample (${r.status ?? r.signal}):\n${r.stderr.slice(-3000)}`);
      verdicts.set(lastBegin, { ok: false, same: false, crash: tail.filter((l) => /error|invalid/i.test(l)).slice(0, 2).join(" / ").slice(0, 300) || tail.slice(0, 3).join(" / ") });
      crashes++;
      start = opts.samples.findIndex((s) => s.id === lastBegin) + 1;
    }
  });
  return verdicts;
}

/** Nix's own message for one sample (the module system's error), for the report. */
export async function nixMessage(opts: { nixpkgsLib: string; settings: string; config: Json }): Promise<string> {
  const expr = `
    let
      lib = import ${nixStr(`${opts.nixpkgsLib}/lib`)};
      generated = import ${nixStr(opts.settings)} { inherit lib; };
      evaluated = lib.evalModules { modules = [ { options.settings = lib.mkOption { type = generated.type; default = { }; }; } { settings = builtins.fromJSON ${nixStr(JSON.stringify(opts.config))}; } ]; };
    in builtins.deepSeq evaluated.config.settings true`;
  const r = await runAsync("nix-instantiate", ["--eval", "--strict", "--expr", expr], { env: NIX_ENV, timeoutMs: 120_000 });
  if (r.status === 0) return "(accepted)";
  const lines = r.stderr.split("\n").map((l) => l.trim());
  const error = lines.filter((l) => l.startsWith("error:") || l.startsWith("- In ") || /not of type|does not exist|no value defined|invalid regular/.test(l));
  return (error.length > 0 ? error : lines).slice(0, 4).join(" ").slice(0, 600);
}

/** Upstream's verdict on every sample, in one process of the gateway's Node. */
export async function upstreamVerdicts(opts: {
  node: string;
  packageRoot: string;
  module: string;
  envPrefix: string;
  samples: Sample[];
  dir: string;
  /** The packaged plugins' npm root (OpenClaw), linked at <state>/npm as the modules do: upstream then validates their plugins.entries and channels with their own schemas, as the snapshot types them. */
  pluginsNpmRoot?: string;
}): Promise<Map<number, UpstreamVerdict>> {
  if (opts.pluginsNpmRoot) {
    mkdirSync(join(opts.dir, "state"), { recursive: true });
    symlinkSync(opts.pluginsNpmRoot, join(opts.dir, "state", "npm"));
  }
  const file = join(opts.dir, "upstream-samples.json");
  writeFileSync(file, JSON.stringify(opts.samples.map((s) => ({ id: s.id, config: s.config }))));
  const r = await runAsync(opts.node, [join(REPO, "tests/conformance/upstream-batch.mjs"), opts.packageRoot, opts.module, file], {
    cwd: opts.packageRoot,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: opts.dir,
      TMPDIR: opts.dir,
      [`${opts.envPrefix}_STATE_DIR`]: join(opts.dir, "state"),
      [`${opts.envPrefix}_SKIP_CHANNELS`]: "1",
      [`${opts.envPrefix}_DISABLE_BONJOUR`]: "1",
      NODE_OPTIONS: "",
    },
    timeoutMs: 1_800_000,
  });
  if (r.status !== 0) throw new Error(`the upstream validator did not run (${r.status ?? r.signal}):\n${r.stderr.slice(-3000)}`);
  const verdicts = new Map<number, UpstreamVerdict>();
  for (const line of r.stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    const v = JSON.parse(line) as UpstreamVerdict & { id: number };
    verdicts.set(v.id, { ok: v.ok, issues: v.issues });
  }
  return verdicts;
}
