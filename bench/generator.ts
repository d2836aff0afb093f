// Benchmark of the generator and of the typed settings (prints numbers; never a test).
// - `generate` wall time (in process, median of runs);
// - evaluation cost of the typed settings (T1): the guide's example through modules/generated/clawdbot/settings.nix
//   with lib.evalModules, minus the same example through a bare, untyped option on the same lib
//   (Nix's own NIX_SHOW_STATS: cpuTime and gc.totalBytes; medians).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { generate } from "../generator/pipeline.js";
import { nixStr, REPO, t1Sources } from "../tests/support/nix.js";

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

interface NixStats {
  cpuTime: number;
  gc: { totalBytes: number };
}

function evalStats(expression: string): NixStats {
  const result = spawnSync("nix-instantiate", ["--eval", "--strict", "--expr", expression], {
    env: { ...process.env, NIX_SHOW_STATS: "1" },
    encoding: "utf8",
    cwd: REPO,
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stderr.slice(result.stderr.indexOf("{")));
}

export function main(): void {
  const runs = 5;
  const times: number[] = [];
  const cpu: number[] = [];
  const perGateway = new Map<string, number[]>();
  let output: ReturnType<typeof generate> | undefined;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const used = process.cpuUsage();
    output = generate();
    times.push(performance.now() - started);
    const { user, system } = process.cpuUsage(used);
    cpu.push((user + system) / 1000);
    for (const [name, { summary }] of Object.entries(output.gateways)) perGateway.set(name, [...(perGateway.get(name) ?? []), summary.seconds * 1000]);
  }
  // CPU time too: on a shared machine the wall time measures the neighbours
  console.log(
    `generate (both gateways): median ${(median(times) / 1000).toFixed(3)} s wall, ${(median(cpu) / 1000).toFixed(3)} s CPU over ${runs} runs (goal ≤ 1 s); ` +
      [...perGateway].map(([name, ms]) => `${name} ${(median(ms) / 1000).toFixed(3)} s`).join(", "),
  );
  for (const [name, { summary }] of Object.entries(output!.gateways)) {
    console.log(`${name}: repeated runs in settings.nix ${summary.repeatedRuns}; anything fallbacks ${summary.anything}`);
  }

  const { nixpkgsLib, libSkip } = t1Sources();
  if (!nixpkgsLib) {
    console.log(`SKIP: typed settings evaluation cost: ${libSkip}`);
    return;
  }
  const expression = (type: string) => `
    let
      lib = import ${nixStr(`${nixpkgsLib}/lib`)};
      generated = import ${nixStr(`${REPO}/modules/generated/clawdbot/settings.nix`)} { inherit lib; };
      evaluated = lib.evalModules {
        modules = [
          { options.settings = lib.mkOption { type = ${type}; default = { }; }; }
          { settings = import ${nixStr(`${REPO}/tests/fixtures/guide-example.nix`)}; }
        ];
      };
    in builtins.toJSON evaluated.config.settings`;
  const sample = (type: string) => {
    const stats = Array.from({ length: 9 }, () => evalStats(expression(type)));
    return { cpu: median(stats.map((s) => s.cpuTime)), bytes: median(stats.map((s) => s.gc.totalBytes)) };
  };
  const typed = sample("generated.type");
  const bare = sample("lib.types.attrsOf lib.types.anything");
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);
  console.log(`evalModules, bare option:   ${bare.cpu.toFixed(4)} s, ${mb(bare.bytes)} MB allocated`);
  console.log(`evalModules, typed options: ${typed.cpu.toFixed(4)} s, ${mb(typed.bytes)} MB allocated`);
  console.log(
    `typed settings cost: +${(typed.cpu - bare.cpu).toFixed(4)} s, +${mb(typed.bytes - bare.bytes)} MB ` +
      `(goal ≤ +0.025 s, ≤ +4 MB; medians of 9)`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
