// Package benchmark (`npm run bench` calls main(); `npx tsx bench/package.ts [clawdbot|openclaw]` runs it
// alone). Prints numbers, never fails on them. Both gateways in one run, each measured side by side with a
// naive install of the same release, on the trees tests/support/gateway.ts prepares exactly as the Nix build
// does (prepareGateway() / prepareGateway("openclaw")):
// - tree size: pruned (nix/prune.mjs) vs a naive `npm ci` of the same lock (goal ≤ 0.5×);
// - first start to healthy with the build-time cache (Clawdbot: jiti, WS health ok:true; OpenClaw: Node's
//   compile cache, HTTP /readyz 200, /healthz also shown) vs a cold start (no seed, new HOME/TMPDIR/state)
//   and a warm start (the second start on what a cold start left) as the reference (goal: first ≤ 1.2× warm);
// - peak RSS of the first start: every process of the gateway's process group (OpenClaw runs three), RSS
//   summed and sampled every 100 ms, and the main process's VmHWM; and the steady RSS 20 s after healthy
//   (what a machine must hold; OpenClaw's facts: ~1 GB).
// Medians of BENCH_RUNS runs (default 3).
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
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

/** Resident memory of every process in a process group, in KiB (VmRSS summed; the group leader's VmHWM). */
function groupMemory(pgid: number): { rssKiB: number; leaderHwmKiB: number; processes: number } {
  let rssKiB = 0;
  let leaderHwmKiB = 0;
  let processes = 0;
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== pgid) continue;
      const status = readFileSync(`/proc/${name}/status`, "utf8");
      rssKiB += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
      if (Number(name) === pgid) leaderHwmKiB = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
      processes++;
    } catch {
      /* exited meanwhile */
    }
  }
  return { rssKiB, leaderHwmKiB, processes };
}

interface StartSample {
  ms: number;
  /** OpenClaw: ms to /healthz (listening); Clawdbot: same as ms. */
  listenMs: number;
  peakGroupMiB: number;
  leaderHwmMiB: number;
  processes: number;
  steadyMiB: number;
  cacheFiles: number;
}

/** Files of the gateway's run-time cache in a TMPDIR (jiti's, or Node's compile cache). */
function cacheFiles(name: GatewayName, tmp: string): number {
  return treeBytes(join(tmp, name === "clawdbot" ? "jiti" : "node-compile-cache")).files;
}

async function start(
  gw: PreparedGateway,
  opts: { seed: boolean; reuse?: GatewayDirs; steady?: boolean },
): Promise<StartSample & { dirs: GatewayDirs }> {
  const name = gw.kind.name;
  const token = randomBytes(12).toString("hex");
  const seedOff: Record<string, string> = name === "clawdbot" ? { CLAWDBOT_JITI_SEED: "0" } : { OPENCLAW_NIX_COMPILE_CACHE_SEED: "0" };
  // Clawdbot's warm start is a second start on the TMPDIR (its jiti cache) a cold start left; OpenClaw's
  // reuses HOME, TMPDIR and state (its facts' "warm, same HOME").
  const reuseTmp: Record<string, string> = name === "clawdbot" && opts.reuse ? { TMPDIR: opts.reuse.tmp } : {};
  const g = await startGateway(gw, {
    token,
    renderConfig: (dirs) => JSON.stringify({ gateway: { mode: "local" }, logging: { file: join(dirs.base, "gateway-file.log") } }),
    args: ["--auth", "token"],
    env: { ...(opts.seed ? {} : seedOff), ...reuseTmp },
    ...(name === "openclaw" && opts.reuse ? { dirs: opts.reuse } : {}),
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
    if (opts.steady && g.child.pid) {
      await sleep(20_000);
      const samples: number[] = [];
      for (let i = 0; i < 5; i++) {
        samples.push(groupMemory(g.child.pid).rssKiB);
        await sleep(1_000);
      }
      steady = median(samples) / 1024;
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
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function benchGateway(name: GatewayName, runs: number): Promise<GatewayFigures> {
  const gw = await prepareGateway(name);
  console.log(`\n-- ${name} (${GATEWAY_KINDS[name].packageName}, Node ${gw.kind.nodeMajor})`);
  const naive = naiveInstall(gw);
  const prunedTree = join(gw.root, buildSpec(name).projectDir, "node_modules");
  const n = treeBytes(naive);
  const p = treeBytes(prunedTree);
  const seed = treeBytes(gw.jitiSeed);
  const nDisk = diskBytes(naive);
  const pDisk = diskBytes(prunedTree);
  const cacheName = name === "clawdbot" ? "jiti cache" : "compile cache";
  console.log("tree size (node_modules)          apparent        on disk     files");
  console.log(`  naive npm ci                 ${(n.apparent / MiB).toFixed(0).padStart(7)} MiB  ${(nDisk / MiB).toFixed(0).padStart(7)} MiB  ${String(n.files).padStart(7)}`);
  console.log(`  pruned (nix/prune.mjs)       ${(p.apparent / MiB).toFixed(0).padStart(7)} MiB  ${(pDisk / MiB).toFixed(0).padStart(7)} MiB  ${String(p.files).padStart(7)}`);
  console.log(`  + build-time ${cacheName.padEnd(15)} ${(seed.apparent / MiB).toFixed(1).padStart(7)} MiB  ${"".padStart(11)}  ${String(seed.files).padStart(7)}`);
  console.log(`  ratio pruned/naive: ${(p.apparent / n.apparent).toFixed(2)} apparent, ${(pDisk / nDisk).toFixed(2)} on disk (goal ≤ 0.50)`);

  const cold: StartSample[] = [];
  const warm: StartSample[] = [];
  const first: StartSample[] = [];
  for (let i = 0; i < runs; i++) {
    const c = await start(gw, { seed: false });
    cold.push(c);
    const w = await start(gw, { seed: false, reuse: c.dirs });
    warm.push(w);
    rmSync(c.dirs.base, { recursive: true, force: true });
    rmSync(w.dirs.base, { recursive: true, force: true });
    const f = await start(gw, { seed: true, steady: i === 0 });
    first.push(f);
    rmSync(f.dirs.base, { recursive: true, force: true });
    const one = (x: StartSample) => `${s(x.ms)}${name === "openclaw" ? ` (/healthz ${s(x.listenMs)})` : ""} / peak ${x.peakGroupMiB.toFixed(0)} MiB`;
    console.log(`  run ${i + 1}: cold ${one(c)}; warm ${one(w)}; first start with the build-time cache ${one(f)}`);
  }
  killAll();
  const row = (label: string, xs: StartSample[]) =>
    `  ${label.padEnd(36)} ${s(median(xs.map((x) => x.ms))).padStart(7)}${name === "openclaw" ? `  (/healthz ${s(median(xs.map((x) => x.listenMs)))})` : ""}  peak ${median(xs.map((x) => x.peakGroupMiB)).toFixed(0).padStart(5)} MiB (${median(xs.map((x) => x.processes))} processes; main VmHWM ${median(xs.map((x) => x.leaderHwmMiB)).toFixed(0)} MiB)  ${median(xs.map((x) => x.cacheFiles))} cache files`;
  console.log(`start to healthy${name === "openclaw" ? " (/readyz)" : " (WS health)"}, medians of ${runs} (2 vCPU)`);
  console.log(row("cold (no build-time cache)", cold));
  console.log(row("warm (second start)", warm));
  console.log(row("first start, build-time cache", first));
  const ratio = median(first.map((x) => x.ms)) / median(warm.map((x) => x.ms));
  console.log(`  first/warm: ${ratio.toFixed(2)}× (goal ≤ 1.20×); cold/first: ${(median(cold.map((x) => x.ms)) / median(first.map((x) => x.ms))).toFixed(2)}×`);
  console.log(`  steady RSS 20 s after healthy (all processes): ${first[0]!.steadyMiB.toFixed(0)} MiB`);
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
  };
}

export async function main(names: GatewayName[] = ["clawdbot", "openclaw"]): Promise<void> {
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
  const figures: GatewayFigures[] = [];
  for (const name of names) figures.push(await benchGateway(name, runs));
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
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const names = process.argv.slice(2).filter((a): a is GatewayName => a === "clawdbot" || a === "openclaw");
  main(names.length > 0 ? names : undefined).catch((err: unknown) => {
    console.error(err);
    killAll();
    process.exit(1);
  });
}
