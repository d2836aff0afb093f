// Package benchmark (`npm run bench` calls main(); `npx tsx bench/package.ts [clawdbot|openclaw]` runs it
// alone). Prints numbers, never fails on them. Both gateways in one run, each measured side by side with a
// naive install of the same release, on the trees tests/support/gateway.ts prepares exactly as the Nix build
// does (prepareGateway() / prepareGateway("openclaw")):
// - tree size: pruned (nix/prune.mjs) vs a naive `npm ci` of the same lock (goal ≤ 0.5×);
// - first start to healthy with the build-time cache (Clawdbot: jiti, WS health ok:true; OpenClaw: Node's
//   compile cache, HTTP /readyz 200, /healthz also shown) vs a cold start (no seed, new HOME/TMPDIR/state)
//   and a warm start (the second start on what a cold start left) as the reference (goal: first ≤ 1.2× warm);
// - peak RSS of the first start: every process of the gateway (its process group and the leader's
//   descendants: OpenClaw runs three, its spawn broker in a group of its own), RSS summed and sampled every
//   100 ms, and the main process's VmHWM; and the steady memory 20 s after healthy, per process, RSS and PSS
//   (bench/memory.ts: PSS counts shared pages once, the sum is what the machine holds);
// - OpenClaw only: the first start also with the seed's other modes (OPENCLAW_NIX_COMPILE_CACHE_SEED=links:
//   one symlink per entry, as root gets; =copy: every entry copied, as the seed did before), every start run
//   as uid 65534 when the benchmark runs as root (the service user, who cannot write the package, as on
//   NixOS; root gets `links`); what each prune group of nix/openclaw/build.json removed, and the memory
//   settings table (NODE_OPTIONS heap flags, fewer plugins): ready time, peak and steady memory per process,
//   or how it failed.
// Every start begins after `sync`: the files the previous start wrote or its clean-up removed are on disk, so
// that their writeback is not charged to the next start (a first start right after two deleted runs of 5,800
// cache files each waited seconds on the file system journal).
// Medians of BENCH_RUNS runs (default 3). `npx tsx bench/package.ts openclaw --starts`: only the start
// comparison (no tree sizes, no memory settings table).
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { groupProcesses, sum, type ProcessMemory } from "./memory.js";
import {
  buildSpec,
  CACHE,
  GATEWAY_KINDS,
  killAll,
  prepareGateway,
  REPO,
  startGateway,
  type GatewayDirs,
  type GatewayName,
  type PreparedGateway,
} from "../tests/support/gateway.js";

const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function treeBytes(path: string): { apparent: number; files: number } {
  let apparent = 0;
  let files = 0;
  const walk = (p: string): void => {
    const st = lstatSync(p);
    if (st.isDirectory()) for (const n of readdirSync(p)) walk(join(p, n));
    else if (!st.isSymbolicLink()) {
      apparent += st.size;
      files++;
    }
  };
  if (existsSync(path)) walk(path);
  return { apparent, files };
}

/** Disk usage as `du -sk` reports it (blocks), in bytes. */
function diskBytes(path: string): number {
  const r = spawnSync("du", ["-sk", path], { encoding: "utf8" });
  return Number(r.stdout.split(/\s/)[0] ?? 0) * 1024;
}

const median = (xs: number[]): number => {
  const s = [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** A naive install of the same lock, same npm flags, no prune, no cache (kept under <CACHE>/bench/). */
function naiveInstall(gw: PreparedGateway): string {
  const dirOfLock = gw.kind.dir;
  const lockHash = createHash("sha256").update(readFileSync(join(REPO, dirOfLock, "package-lock.json"))).digest("hex").slice(0, 12);
  const dir = join(CACHE, "bench", `naive-${gw.kind.name}-${lockHash}`);
  if (existsSync(join(dir, ".complete"))) return join(dir, "node_modules");
  for (const old of existsSync(join(CACHE, "bench")) ? readdirSync(join(CACHE, "bench")) : []) {
    if (old.startsWith(`naive-${gw.kind.name}-`) || (gw.kind.name === "clawdbot" && /^naive-[0-9a-f]{12}$/.test(old))) rmSync(join(CACHE, "bench", old), { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  for (const f of ["package.json", "package-lock.json"]) copyFileSync(join(REPO, dirOfLock, f), join(dir, f));
  const spec = buildSpec(gw.kind.name);
  const r = spawnSync("npm", ["ci", ...spec.npmInstallFlags], {
    cwd: dir,
    env: { ...process.env, PATH: `${join(gw.node, "..")}:${process.env.PATH ?? ""}` },
    encoding: "utf8",
    timeout: 15 * 60_000,
  });
  if (r.status !== 0) throw new Error(`naive npm ci failed:\n${r.stderr.slice(-2000)}`);
  writeFileSync(join(dir, ".complete"), "");
  return join(dir, "node_modules");
}

/** Resident memory of the gateway's processes, in KiB (VmRSS summed; the group leader's VmHWM). */
function groupMemory(pgid: number): { rssKiB: number; leaderHwmKiB: number; processes: number } {
  const ps = groupProcesses(pgid);
  return { rssKiB: sum(ps, "rssKiB"), leaderHwmKiB: ps.find((p) => p.pid === pgid)?.hwmKiB ?? 0, processes: ps.length };
}

interface StartSample {
  ms: number;
  /** OpenClaw: ms to /healthz (listening); Clawdbot: same as ms. */
  listenMs: number;
  peakGroupMiB: number;
  leaderHwmMiB: number;
  processes: number;
  steadyMiB: number;
  /** Steady memory per process (20 s after healthy), when asked for. */
  steadyProcesses: ProcessMemory[];
  cacheFiles: number;
}

/** OpenClaw runs as this user when the benchmark runs as root: the service user, who cannot write the package. */
const SERVICE_UID = process.getuid?.() === 0 ? 65534 : undefined;

/** Files of the gateway's run-time cache in a TMPDIR (jiti's, or Node's compile cache; symlinks not counted). */
function cacheFiles(name: GatewayName, tmp: string): number {
  return treeBytes(join(tmp, name === "clawdbot" ? "jiti" : "node-compile-cache")).files;
}

async function start(
  gw: PreparedGateway,
  opts: { seed: boolean; reuse?: GatewayDirs; steady?: boolean; env?: Record<string, string>; config?: Record<string, unknown> },
): Promise<StartSample & { dirs: GatewayDirs }> {
  const name = gw.kind.name;
  spawnSync("sync");
  const token = randomBytes(12).toString("hex");
  const seedOff: Record<string, string> = name === "clawdbot" ? { CLAWDBOT_JITI_SEED: "0" } : { OPENCLAW_NIX_COMPILE_CACHE_SEED: "0" };
  // Clawdbot's warm start is a second start on the TMPDIR (its jiti cache) a cold start left; OpenClaw's
  // reuses HOME, TMPDIR and state (its facts' "warm, same HOME").
  const reuseTmp: Record<string, string> = name === "clawdbot" && opts.reuse ? { TMPDIR: opts.reuse.tmp } : {};
  const g = await startGateway(gw, {
    token,
    renderConfig: (dirs) => JSON.stringify({ gateway: { mode: "local" }, logging: { file: join(dirs.base, "gateway-file.log") }, ...opts.config }),
    args: ["--auth", "token"],
    env: { ...(opts.seed ? {} : seedOff), ...reuseTmp, ...opts.env },
    ...(name === "openclaw" && opts.reuse ? { dirs: opts.reuse } : {}),
    ...(name === "openclaw" && SERVICE_UID !== undefined ? { uid: SERVICE_UID } : {}),
  });
  let peak = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      if (g.child.pid) peak = Math.max(peak, groupMemory(g.child.pid).rssKiB);
      await sleep(100);
    }
  })();
  try {
    const ms = await g.waitHealthy(300_000);
    const leader = g.child.pid ? groupMemory(g.child.pid) : { leaderHwmKiB: NaN, processes: 0 };
    let steady = NaN;
    let steadyProcesses: ProcessMemory[] = [];
    if (opts.steady && g.child.pid) {
      await sleep(20_000);
      const samples: ProcessMemory[][] = [];
      for (let i = 0; i < 5; i++) {
        samples.push(groupProcesses(g.child.pid));
        await sleep(1_000);
      }
      samples.sort((a, b) => sum(a, "rssKiB") - sum(b, "rssKiB"));
      steadyProcesses = samples[2]!;
      steady = sum(steadyProcesses, "rssKiB") / 1024;
    }
    sampling = false;
    await sampler;
    const tmp = name === "clawdbot" && opts.reuse ? opts.reuse.tmp : g.dirs.tmp;
    await g.stop(30_000);
    return {
      ms,
      listenMs: g.healthzMs ?? ms,
      peakGroupMiB: peak / 1024,
      leaderHwmMiB: leader.leaderHwmKiB / 1024,
      processes: leader.processes,
      steadyMiB: steady,
      steadyProcesses,
      cacheFiles: cacheFiles(name, tmp),
      dirs: g.dirs,
    };
  } catch (err) {
    sampling = false;
    await g.stop(5_000);
    throw err;
  }
}

export interface GatewayFigures {
  name: GatewayName;
  naiveMiB: number;
  prunedMiB: number;
  seedMiB: number;
  naiveDiskMiB: number;
  prunedDiskMiB: number;
  cold: StartSample[];
  warm: StartSample[];
  first: StartSample[];
  /** OpenClaw: the first start with the seed's other modes (`links`, `copy`). */
  firstLinks: StartSample[];
  firstCopy: StartSample[];
  /** OpenClaw: the memory settings table. */
  settings: SettingRow[];
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function benchGateway(name: GatewayName, runs: number, { startsOnly = false } = {}): Promise<GatewayFigures> {
  const gw = await prepareGateway(name);
  console.log(`\n-- ${name} (${GATEWAY_KINDS[name].packageName}, Node ${gw.kind.nodeMajor})`);
  const seed = treeBytes(gw.jitiSeed);
  const sizes = startsOnly ? { n: { apparent: NaN, files: 0 }, p: { apparent: NaN, files: 0 }, nDisk: NaN, pDisk: NaN } : treeSizes(gw, seed);
  const { n, p, nDisk, pDisk } = sizes;

  const cold: StartSample[] = [];
  const warm: StartSample[] = [];
  const first: StartSample[] = [];
  const firstLinks: StartSample[] = [];
  const firstCopy: StartSample[] = [];
  const modes = name === "openclaw";
  if (modes && SERVICE_UID !== undefined) console.log(`starts run as uid ${SERVICE_UID} (the service user: the package is not writable for it)`);
  for (let i = 0; i < runs; i++) {
    const c = await start(gw, { seed: false });
    cold.push(c);
    const w = await start(gw, { seed: false, reuse: c.dirs });
    warm.push(w);
    rmSync(c.dirs.base, { recursive: true, force: true });
    rmSync(w.dirs.base, { recursive: true, force: true });
    const f = await start(gw, { seed: true, steady: i === 0 && !startsOnly });
    first.push(f);
    rmSync(f.dirs.base, { recursive: true, force: true });
    const one = (x: StartSample) => `${s(x.ms)}${name === "openclaw" ? ` (/healthz ${s(x.listenMs)})` : ""} / peak ${x.peakGroupMiB.toFixed(0)} MiB`;
    let more = "";
    if (modes) {
      for (const [mode, into] of [["links", firstLinks], ["copy", firstCopy]] as const) {
        const x = await start(gw, { seed: true, env: { OPENCLAW_NIX_COMPILE_CACHE_SEED: mode } });
        into.push(x);
        rmSync(x.dirs.base, { recursive: true, force: true });
        more += `; seed=${mode} ${one(x)}`;
      }
    }
    console.log(`  run ${i + 1}: cold ${one(c)}; warm ${one(w)}; first start with the build-time cache ${one(f)}${more}`);
  }
  killAll();
  const row = (label: string, xs: StartSample[]) =>
    `  ${label.padEnd(36)} ${s(median(xs.map((x) => x.ms))).padStart(7)}${name === "openclaw" ? `  (/healthz ${s(median(xs.map((x) => x.listenMs)))})` : ""}  peak ${median(xs.map((x) => x.peakGroupMiB)).toFixed(0).padStart(5)} MiB (${median(xs.map((x) => x.processes))} processes; main VmHWM ${median(xs.map((x) => x.leaderHwmMiB)).toFixed(0)} MiB)  ${median(xs.map((x) => x.cacheFiles))} cache files written`;
  console.log(`start to healthy${name === "openclaw" ? " (/readyz)" : " (WS health)"}, medians of ${runs} (2 vCPU)`);
  console.log(row("cold (no build-time cache)", cold));
  console.log(row("warm (second start)", warm));
  console.log(row("first start, build-time cache", first));
  if (modes) {
    console.log(row("  … seed=links (one link per entry)", firstLinks));
    console.log(row("  … seed=copy (the former seed)", firstCopy));
  }
  const ratio = median(first.map((x) => x.ms)) / median(warm.map((x) => x.ms));
  console.log(`  first/warm: ${ratio.toFixed(2)}× (goal ≤ 1.20×); cold/first: ${(median(cold.map((x) => x.ms)) / median(first.map((x) => x.ms))).toFixed(2)}×${modes ? `; links/warm ${(median(firstLinks.map((x) => x.ms)) / median(warm.map((x) => x.ms))).toFixed(2)}×, copy/warm ${(median(firstCopy.map((x) => x.ms)) / median(warm.map((x) => x.ms))).toFixed(2)}×` : ""}`);
  if (!startsOnly) {
    console.log(`  steady memory 20 s after healthy (first start, run 1): RSS ${first[0]!.steadyMiB.toFixed(0)} MiB, PSS ${(sum(first[0]!.steadyProcesses, "pssKiB") / 1024).toFixed(0)} MiB`);
    for (const p of first[0]!.steadyProcesses) console.log(`    ${p.role.padEnd(26)} RSS ${(p.rssKiB / 1024).toFixed(0).padStart(5)}  PSS ${(p.pssKiB / 1024).toFixed(0).padStart(5)}  anon ${(p.anonKiB / 1024).toFixed(0).padStart(5)}  peak ${(p.hwmKiB / 1024).toFixed(0).padStart(5)} MiB`);
  }
  const settings = name === "openclaw" && !startsOnly ? await memorySettings(gw) : [];
  return {
    name,
    naiveMiB: n.apparent / MiB,
    prunedMiB: p.apparent / MiB,
    seedMiB: seed.apparent / MiB,
    naiveDiskMiB: nDisk / MiB,
    prunedDiskMiB: pDisk / MiB,
    cold,
    warm,
    first,
    firstLinks,
    firstCopy,
    settings,
  };
}

/** Tree sizes: the pruned tree vs a naive install, and what each prune group removed. */
function treeSizes(gw: PreparedGateway, seed: { apparent: number; files: number }) {
  const name = gw.kind.name;
  const naive = naiveInstall(gw);
  const prunedTree = join(gw.root, buildSpec(name).projectDir, "node_modules");
  const n = treeBytes(naive);
  const p = treeBytes(prunedTree);
  const nDisk = diskBytes(naive);
  const pDisk = diskBytes(prunedTree);
  const cacheName = name === "clawdbot" ? "jiti cache" : "compile cache";
  console.log("tree size (node_modules)          apparent        on disk     files");
  console.log(`  naive npm ci                 ${(n.apparent / MiB).toFixed(0).padStart(7)} MiB  ${(nDisk / MiB).toFixed(0).padStart(7)} MiB  ${String(n.files).padStart(7)}`);
  console.log(`  pruned (nix/prune.mjs)       ${(p.apparent / MiB).toFixed(0).padStart(7)} MiB  ${(pDisk / MiB).toFixed(0).padStart(7)} MiB  ${String(p.files).padStart(7)}`);
  console.log(`  + build-time ${cacheName.padEnd(15)} ${(seed.apparent / MiB).toFixed(1).padStart(7)} MiB  ${"".padStart(11)}  ${String(seed.files).padStart(7)}`);
  console.log(`  ratio pruned/naive: ${(p.apparent / n.apparent).toFixed(2)} apparent, ${(pDisk / nDisk).toFixed(2)} on disk (goal ≤ 0.50)`);
  const report = join(gw.root, ".prune.json");
  if (existsSync(report)) {
    // What each group of build.json `prune` removed (the rest of naive − pruned: the generic rules).
    const groups = (JSON.parse(readFileSync(report, "utf8")) as { groups: Record<string, { removedBytes: number; unmatched: string[] }> }).groups;
    const groupBytes = Object.values(groups).reduce((t, g) => t + g.removedBytes, 0);
    console.log("  removed by nix/prune.mjs             MiB  (build.json prune groups; `keepPruned` keeps one)");
    for (const [g, r] of Object.entries(groups)) console.log(`    ${g.padEnd(30)} ${(r.removedBytes / MiB).toFixed(1).padStart(7)}${r.unmatched.length ? `  unmatched: ${r.unmatched.join(", ")}` : ""}`);
    console.log(`    ${"generic rules (maps, .d.ts, …)".padEnd(30)} ${((n.apparent - p.apparent - groupBytes) / MiB).toFixed(1).padStart(7)}`);
  }
  return { n, p, nDisk, pDisk };
}

/** A plugin configuration with only what a model-backed server needs loaded (the others disabled). */
const SERVER_PLUGINS_OFF = ["browser", "canvas", "cua-computer", "file-transfer", "geolocation", "github", "linux-node", "ollama", "talk-voice", "xai"];

interface SettingRow {
  label: string;
  sample?: StartSample;
  error?: string;
}

/**
 * OpenClaw's memory under server settings: one first start per row (build-time cache), steady memory per
 * process 20 s after /readyz. V8 sizes the old generation at a quarter of the machine's memory (of a cgroup's
 * limit when Node sees one) — 4 GiB here, 256 MiB on a 1 GB machine, 128 MiB on a 512 MB one — so the
 * `--max-old-space-size` rows show what smaller machines get by default.
 */
async function memorySettings(gw: PreparedGateway): Promise<SettingRow[]> {
  const rows: [string, { env?: Record<string, string>; config?: Record<string, unknown> }][] = [
    ["defaults (old space 4 GiB on this host)", {}],
    ["--max-semi-space-size=2", { env: { NODE_OPTIONS: "--max-semi-space-size=2" } }],
    ["--max-old-space-size=256 (a 1 GB machine)", { env: { NODE_OPTIONS: "--max-old-space-size=256" } }],
    ["--max-old-space-size=512 --max-semi-space-size=2", { env: { NODE_OPTIONS: "--max-old-space-size=512 --max-semi-space-size=2" } }],
    ["… and 10 of 14 plugins disabled", { env: { NODE_OPTIONS: "--max-old-space-size=512 --max-semi-space-size=2" }, config: { plugins: { entries: Object.fromEntries(SERVER_PLUGINS_OFF.map((id) => [id, { enabled: false }])) } } }],
    ["--max-old-space-size=192 (below the start-up heap)", { env: { NODE_OPTIONS: "--max-old-space-size=192" } }],
  ];
  const out: SettingRow[] = [];
  console.log("memory settings (first start, build-time cache; steady = 20 s after /readyz; MiB)");
  console.log(`  ${"setting".padEnd(50)} ${"ready".padStart(7)} ${"peak RSS".padStart(9)} ${"RSS".padStart(6)} ${"PSS".padStart(6)}   main / spawn broker / sqlite worker (RSS)`);
  for (const [label, v] of rows) {
    try {
      const sample = await start(gw, { seed: true, steady: true, env: v.env, config: v.config });
      rmSync(sample.dirs.base, { recursive: true, force: true });
      const by = (role: string) => (sum(sample.steadyProcesses.filter((p) => p.role === role), "rssKiB") / 1024).toFixed(0);
      console.log(
        `  ${label.padEnd(50)} ${s(sample.ms).padStart(7)} ${sample.peakGroupMiB.toFixed(0).padStart(9)} ${sample.steadyMiB.toFixed(0).padStart(6)} ${(sum(sample.steadyProcesses, "pssKiB") / 1024).toFixed(0).padStart(6)}   ${by("main")} / ${by("spawn broker")} / ${by("sqlite read-only worker")}`,
      );
      out.push({ label, sample });
    } catch (err) {
      const text = String(err);
      const error = /heap out of memory/.test(text) ? "exits: JavaScript heap out of memory" : text.split("\n")[0]!.slice(0, 120);
      console.log(`  ${label.padEnd(50)} ${error}`);
      out.push({ label, error });
    }
  }
  killAll();
  return out;
}

export async function main(names: GatewayName[] = ["clawdbot", "openclaw"], { startsOnly = false } = {}): Promise<void> {
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
  const figures: GatewayFigures[] = [];
  for (const name of names) figures.push(await benchGateway(name, runs, { startsOnly }));
  if (startsOnly) return;
  console.log("\nside by side (medians)                 " + figures.map((f) => f.name.padStart(12)).join(""));
  const line = (label: string, f: (g: GatewayFigures) => string) => console.log(`  ${label.padEnd(37)}${figures.map((g) => f(g).padStart(12)).join("")}`);
  line("naive npm ci (MiB, apparent)", (g) => g.naiveMiB.toFixed(0));
  line("pruned tree (MiB, apparent)", (g) => g.prunedMiB.toFixed(0));
  line("pruned/naive (goal ≤ 0.50)", (g) => (g.prunedMiB / g.naiveMiB).toFixed(2));
  line("build-time cache (MiB)", (g) => g.seedMiB.toFixed(1));
  line("cold start to healthy", (g) => s(median(g.cold.map((x) => x.ms))));
  line("warm start to healthy", (g) => s(median(g.warm.map((x) => x.ms))));
  line("first start, build-time cache", (g) => s(median(g.first.map((x) => x.ms))));
  line("first/warm (goal ≤ 1.20)", (g) => (median(g.first.map((x) => x.ms)) / median(g.warm.map((x) => x.ms))).toFixed(2));
  line("peak RSS, first start (MiB, all)", (g) => median(g.first.map((x) => x.peakGroupMiB)).toFixed(0));
  line("steady RSS (MiB, all processes)", (g) => g.first[0]!.steadyMiB.toFixed(0));
  line("steady PSS (MiB, all processes)", (g) => (sum(g.first[0]!.steadyProcesses, "pssKiB") / 1024).toFixed(0));
  line("processes", (g) => String(g.first[0]!.steadyProcesses.length));
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const names = process.argv.slice(2).filter((a): a is GatewayName => a === "clawdbot" || a === "openclaw");
  main(names.length > 0 ? names : undefined, { startsOnly: process.argv.includes("--starts") }).catch((err: unknown) => {
    console.error(err);
    killAll();
    process.exit(1);
  });
}
