// Package benchmark (`npm run bench` calls main(); `npx tsx bench/package.ts` runs it alone). Prints numbers,
// never fails on them. Measured side by side on this machine, on the tree tests/support/gateway.ts prepares
// exactly as the Nix build does:
// - tree size: pruned (nix/prune.mjs) vs a naive `npm ci` of the same lock (goal ≤ 0.5×, ≤ 650 MB);
// - first start to healthy (WS health ok:true) with the build-time jiti cache vs a cold cache, and a warm
//   start (second start on the cache a cold start left) as the reference (goal: seeded ≤ 1.2× warm);
// - peak RSS (VmHWM from /proc) of the first start (goal ≤ 512 MB).
// Medians of BENCH_RUNS runs (default 3).
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildSpec, CACHE, killAll, prepareGateway, REPO, startGateway, type PreparedGateway } from "../tests/support/gateway.js";

const MiB = 1024 * 1024;

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
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** A naive install of the same lock, same npm flags, no prune (cached under .cache/bench/). */
function naiveInstall(gw: PreparedGateway): string {
  const lockHash = createHash("sha256").update(readFileSync(join(REPO, "nix/gateway/package-lock.json"))).digest("hex").slice(0, 12);
  const dir = join(CACHE, "bench", `naive-${lockHash}`);
  if (existsSync(join(dir, ".complete"))) return join(dir, "node_modules");
  rmSync(join(CACHE, "bench"), { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const f of ["package.json", "package-lock.json"]) copyFileSync(join(REPO, "nix/gateway", f), join(dir, f));
  const spec = buildSpec();
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

interface StartSample {
  ms: number;
  rssMiB: number;
  jitiFiles: number;
}

async function firstStart(gw: PreparedGateway, opts: { env?: Record<string, string>; reuseTmp?: string } = {}): Promise<StartSample & { tmp: string; base: string }> {
  const token = randomBytes(12).toString("hex");
  const g = await startGateway(gw, {
    token,
    config: { gateway: { mode: "local" } },
    args: ["--auth", "token"],
    env: { ...opts.env, ...(opts.reuseTmp ? { TMPDIR: opts.reuseTmp } : {}) },
  });
  try {
    const ms = await g.waitHealthy(240_000);
    const rss = g.peakRssKiB() ?? NaN;
    const tmp = opts.reuseTmp ?? g.dirs.tmp;
    await g.stop(20_000);
    const jiti = join(tmp, "jiti");
    return { ms, rssMiB: rss / 1024, jitiFiles: existsSync(jiti) ? readdirSync(jiti).length : 0, tmp, base: g.dirs.base };
  } catch (err) {
    await g.stop(5_000);
    throw err;
  }
}

export async function main(): Promise<void> {
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
  const gw = await prepareGateway();

  // Sizes.
  const naive = naiveInstall(gw);
  const prunedTree = join(gw.root, buildSpec().projectDir, "node_modules");
  const n = treeBytes(naive);
  const p = treeBytes(prunedTree);
  const seed = treeBytes(gw.jitiSeed);
  const nDisk = diskBytes(naive);
  const pDisk = diskBytes(prunedTree);
  console.log("tree size (node_modules)      apparent        on disk     files");
  console.log(`  naive npm ci             ${(n.apparent / MiB).toFixed(0).padStart(7)} MiB  ${(nDisk / MiB).toFixed(0).padStart(7)} MiB  ${String(n.files).padStart(7)}`);
  console.log(`  pruned (nix/prune.mjs)   ${(p.apparent / MiB).toFixed(0).padStart(7)} MiB  ${(pDisk / MiB).toFixed(0).padStart(7)} MiB  ${String(p.files).padStart(7)}`);
  console.log(`  + build-time jiti cache  ${(seed.apparent / MiB).toFixed(1).padStart(7)} MiB  ${"".padStart(11)}  ${String(seed.files).padStart(7)}`);
  console.log(`  ratio pruned/naive: ${(p.apparent / n.apparent).toFixed(2)} apparent, ${(pDisk / nDisk).toFixed(2)} on disk (goal ≤ 0.50, ≤ 650 MB)`);

  // Starts.
  const cold: StartSample[] = [];
  const warm: StartSample[] = [];
  const seeded: StartSample[] = [];
  for (let i = 0; i < runs; i++) {
    const c = await firstStart(gw, { env: { CLAWDBOT_JITI_SEED: "0" } });
    cold.push(c);
    const w = await firstStart(gw, { env: { CLAWDBOT_JITI_SEED: "0" }, reuseTmp: c.tmp });
    warm.push(w);
    rmSync(c.base, { recursive: true, force: true });
    rmSync(w.base, { recursive: true, force: true });
    const s = await firstStart(gw);
    seeded.push(s);
    rmSync(s.base, { recursive: true, force: true });
    console.log(
      `  run ${i + 1}: cold ${(c.ms / 1000).toFixed(1)} s / ${c.rssMiB.toFixed(0)} MiB; warm ${(w.ms / 1000).toFixed(1)} s / ${w.rssMiB.toFixed(0)} MiB; seeded first start ${(s.ms / 1000).toFixed(1)} s / ${s.rssMiB.toFixed(0)} MiB`,
    );
  }
  killAll();
  const row = (name: string, xs: StartSample[]) =>
    `  ${name.padEnd(34)} ${(median(xs.map((x) => x.ms)) / 1000).toFixed(1).padStart(6)} s  ${median(xs.map((x) => x.rssMiB)).toFixed(0).padStart(6)} MiB  ${String(median(xs.map((x) => x.jitiFiles))).padStart(5)} jiti files`;
  console.log(`start to healthy, medians of ${runs} (2 vCPU)`);
  console.log(row("cold cache (no seed)", cold));
  console.log(row("warm cache (second start)", warm));
  console.log(row("first start, build-time cache", seeded));
  const ratio = median(seeded.map((x) => x.ms)) / median(warm.map((x) => x.ms));
  const coldRatio = median(cold.map((x) => x.ms)) / median(seeded.map((x) => x.ms));
  console.log(`  seeded/warm: ${ratio.toFixed(2)}× (goal ≤ 1.20×); cold/seeded: ${coldRatio.toFixed(1)}×`);
  console.log(`  peak RSS of the first start: ${median(seeded.map((x) => x.rssMiB)).toFixed(0)} MiB (goal ≤ 512 MiB; cold ${median(cold.map((x) => x.rssMiB)).toFixed(0)} MiB)`);
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  main().catch((err: unknown) => {
    console.error(err);
    killAll();
    process.exit(1);
  });
}
