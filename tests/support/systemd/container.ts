// A real systemd for service tests: boot a systemd-nspawn container (systemd as PID 1) from a cached Debian
// bookworm root, with the units, files and bind mounts a scenario needs, and let a probe unit inside run the
// scenario and write its results into a bound folder. See ../../../../shared/facts/systemd-container.md
// for what was measured; this is the project's own harness (shell parts beside this file).
//
// Root only (nspawn, mounts, cgroups). `containerSkipReason()` says why a test cannot run; callers print
// `SKIP: needs root and systemd-nspawn (…)` and skip.
import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lchownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { CACHE } from "../gateway.js";
import { runAsync } from "../process.js";

export const HARNESS_DIR = dirname(new URL(import.meta.url).pathname);
export const REPO = resolve(HARNESS_DIR, "../../..");
export const SYSTEMD_CACHE = join(CACHE, "systemd");
/** Where the harness folder (this one) is bound inside the container. */
export const HARNESS_IN_CONTAINER = "/opt/clawdbot-harness";
export const PROBE_IN_CONTAINER = "/opt/clawdbot-probe.mjs";

/**
 * Bound for a container test's beforeAll: on a fresh machine it also prepares the gateway tree (npm ci,
 * prune, jiti cache: minutes) and builds the root file system (~20–70 s); the container run itself is
 * bounded separately (ContainerSpec.timeoutSec) and takes 10–30 s.
 */
export const SETUP_TIMEOUT_MS = 900_000;

const has = (tool: string): boolean => spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;

let skipReasonMemo: string | null | undefined;

/**
 * Why container tests cannot run here, or undefined when they can. Installs systemd-container and mmdebstrap
 * with apt when they are missing and we are root (CI's .ci/run installs them; this is the fallback).
 */
export function containerSkipReason(): string | undefined {
  if (skipReasonMemo !== undefined) return skipReasonMemo ?? undefined;
  skipReasonMemo = computeSkipReason() ?? null;
  return skipReasonMemo ?? undefined;
}

function computeSkipReason(): string | undefined {
  if (process.platform !== "linux") return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return "not running as root";
  if (process.env.CLAWDBOT_SKIP_CONTAINER_TESTS) return "CLAWDBOT_SKIP_CONTAINER_TESTS is set";
  if ((!has("systemd-nspawn") || !has("mmdebstrap")) && has("apt-get")) {
    // Several test files may get here at once: one installs (flock), the others wait and re-check.
    mkdirSync(SYSTEMD_CACHE, { recursive: true });
    const install =
      "command -v systemd-nspawn >/dev/null && command -v mmdebstrap >/dev/null && exit 0; " +
      "apt-get install -y -q -o DPkg::Lock::Timeout=600 systemd-container mmdebstrap || " +
      "{ apt-get update -q && apt-get install -y -q -o DPkg::Lock::Timeout=600 systemd-container mmdebstrap; }";
    console.log("systemd-nspawn or mmdebstrap missing: installing systemd-container and mmdebstrap with apt-get");
    spawnSync("flock", ["-w", "900", join(SYSTEMD_CACHE, "apt.lock"), "sh", "-c", install], {
      stdio: "ignore",
      timeout: 960_000,
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  }
  if (!has("systemd-nspawn")) return "systemd-nspawn is missing (apt-get install systemd-container)";
  if (!has("mmdebstrap")) return "mmdebstrap is missing (apt-get install mmdebstrap)";
  const v2 = spawnSync("stat", ["-fc", "%T", "/sys/fs/cgroup"], { encoding: "utf8" }).stdout.trim() === "cgroup2fs";
  if (!v2 && !existsSync("/sys/fs/cgroup/unified/cgroup.procs")) return "no writable cgroup2 hierarchy";
  return undefined;
}

/** The cached Debian bookworm minbase root tarball (built once, ~15–70 s, by rootfs.sh). */
export async function ensureRootfs(): Promise<string> {
  const result = await runAsync("bash", [join(HARNESS_DIR, "rootfs.sh"), SYSTEMD_CACHE], { timeoutMs: 900_000 });
  if (result.status !== 0) throw new Error(`rootfs.sh failed (${result.status}):\n${result.stderr}`);
  return result.stdout.trim().split("\n").pop()!;
}

export interface FileSpec {
  /** Absolute path inside the container. */
  path: string;
  content?: string;
  /** Make a symlink to this target instead of a file. */
  symlink?: string;
  /** Make a folder (kept if it exists). */
  dir?: boolean;
  /** Copy this host file or folder. */
  copyFrom?: string;
  mode?: number;
  uid?: number;
  gid?: number;
}

export interface BindSpec {
  host: string;
  container: string;
  readOnly?: boolean;
}

export interface ContainerSpec {
  /** Names the output folder kept for inspection: <test cache>/systemd/last/<name>/. */
  name: string;
  /** Written into the restored root before boot (as a NixOS activation or Home Manager would have). */
  files?: FileSpec[];
  binds?: BindSpec[];
  /**
   * Folders made on the host for this run and bound read-only into the container, for what must live under
   * /run (a tmpfs at boot, so files written into the root there are hidden): e.g. secrets at /run/keys.
   */
  runtimeDirs?: { container: string; files: Record<string, { content: string; mode?: number; uid?: number; gid?: number }> }[];
  /**
   * System users (and their groups) to create before boot, as NixOS' users.users.<name> { isSystemUser } does
   * (e.g. the `User=` of a rendered unit).
   */
  systemUsers?: string[];
  /** Variables for the scenario (written as /etc/clawdbot-test/env, sourced by the probe). */
  env?: Record<string, string>;
  /** The scenario, a bash script run by the probe unit with probe-lib.sh's helpers and `set -x`. */
  scenario: string;
  /** Bound on the whole container run (boot, scenario, power-off). */
  timeoutSec: number;
}

export interface ContainerResult {
  /** Output folder (kept until the next run of the same name). */
  out: string;
  /** Exit status of boot.sh (systemd-nspawn under timeout; 124 = timed out). */
  rc: number;
  /** The probe finished and the container powered off by itself. */
  finished: boolean;
  seconds: number;
  /** `KEY=VALUE` facts the scenario noted. */
  facts: Record<string, string>;
  read(file: string): string;
  /** console + scenario log + journal tail, for assertion messages. */
  diagnostics(): string;
}

const shellQuote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

const PROBE_UNIT = `[Unit]
Description=clawdbot container test probe
# pulled in by systemd.wants=probe.service on the kernel command line

[Service]
Type=exec
ExecStart=/bin/bash ${HARNESS_IN_CONTAINER}/probe-main.sh
StandardOutput=journal+console
StandardError=journal+console
`;

/** Restore the root, write the files, boot, run the scenario, power off, clean up. */
export async function runContainer(spec: ContainerSpec): Promise<ContainerResult> {
  const tarball = await ensureRootfs();
  mkdirSync(join(SYSTEMD_CACHE, "runs"), { recursive: true });
  removeStaleRuns();
  const runDir = mkdtempSync(join(SYSTEMD_CACHE, "runs", `${spec.name}-`));
  const root = join(runDir, "root");
  const out = join(SYSTEMD_CACHE, "last", spec.name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const started = Date.now();
  try {
    mkdirSync(root);
    const untar = await runAsync("tar", ["-xpf", tarball, "-C", root], { timeoutMs: 120_000 });
    if (untar.status !== 0) throw new Error(`restoring ${tarball} failed: ${untar.stderr}`);
    const files: FileSpec[] = [
      ...(spec.files ?? []),
      { path: "/etc/systemd/system/probe.service", content: PROBE_UNIT },
      {
        path: "/etc/clawdbot-test/env",
        content: Object.entries({ SCENARIO_TIMEOUT: String(Math.max(10, spec.timeoutSec - 20)), ...spec.env })
          .map(([k, v]) => `${k}=${shellQuote(v)}\n`)
          .join(""),
      },
      { path: "/etc/clawdbot-test/scenario.sh", content: spec.scenario, mode: 0o755 },
    ];
    for (const file of files) writeIntoRoot(root, file);
    for (const user of spec.systemUsers ?? []) {
      // a user the image already has (alice, tests/support/systemd/rootfs.sh) stays as it is
      if ((await runAsync("chroot", [root, "getent", "passwd", user], { timeoutMs: 60_000 })).status === 0) continue;
      const added = await runAsync("chroot", [root, "useradd", "--system", "--user-group", "--home-dir", "/var/empty", "--shell", "/usr/sbin/nologin", user], {
        timeoutMs: 60_000,
      });
      if (added.status !== 0) throw new Error(`useradd ${user} in the container root failed: ${added.stderr}`);
    }
    const args = [join(HARNESS_DIR, "boot.sh"), root, out, String(spec.timeoutSec)];
    const runtimeBinds: BindSpec[] = (spec.runtimeDirs ?? []).map((dir, index) => {
      const host = join(runDir, `runtime-${index}`);
      mkdirSync(host, { mode: 0o755 });
      for (const [name, file] of Object.entries(dir.files)) {
        const path = join(host, name);
        writeFileSync(path, file.content, { mode: file.mode ?? 0o600 });
        chmodSync(path, file.mode ?? 0o600);
        if (file.uid !== undefined) chownSync(path, file.uid, file.gid ?? file.uid);
      }
      return { host, container: dir.container, readOnly: true };
    });
    const binds = [
      { host: HARNESS_DIR, container: HARNESS_IN_CONTAINER, readOnly: true },
      // The WS health probe the package ships (share/clawdbot/health-probe.mjs), from its source in nix/.
      { host: join(HARNESS_DIR, "../../../nix/health-probe.mjs"), container: PROBE_IN_CONTAINER, readOnly: true },
      ...(spec.binds ?? []),
      ...runtimeBinds,
    ];
    for (const bind of binds) {
      if (bind.host.includes(":") || bind.container.includes(":")) throw new Error(`bind path with ':' ${bind.host}`);
      args.push(`--bind${bind.readOnly === false ? "" : "-ro"}=${bind.host}:${bind.container}`);
    }
    args.push("--", "systemd.wants=probe.service");
    const rc = await new Promise<number>((resolveRc) => {
      const child = spawn("bash", args, { stdio: "ignore" });
      // boot.sh is itself bounded by timeout(1); this is the last resort if even that hangs.
      const guard = setTimeout(() => child.kill("SIGKILL"), (spec.timeoutSec + 30) * 1000);
      child.on("exit", (code, signal) => {
        clearTimeout(guard);
        resolveRc(code ?? (signal ? 128 : 1));
      });
    });
    const read = (file: string): string => {
      const path = join(out, file);
      return existsSync(path) ? readFileSync(path, "utf8") : "";
    };
    const facts: Record<string, string> = {};
    for (const line of read("facts").split("\n")) {
      const eq = line.indexOf("=");
      if (eq > 0) facts[line.slice(0, eq)] = line.slice(eq + 1);
    }
    const diagnostics = (): string => {
      const tail = (text: string, n: number): string => text.split("\n").slice(-n).join("\n");
      return [
        `--- container rc=${rc}, output in ${out}`,
        `--- console.log (tail)\n${tail(read("console.log"), 30)}`,
        `--- scenario.log (tail)\n${tail(read("scenario.log"), 60)}`,
        `--- journal (tail)\n${tail(read("journal.txt"), 60)}`,
      ].join("\n");
    };
    return { out, rc, finished: existsSync(join(out, "DONE")), seconds: (Date.now() - started) / 1000, facts, read, diagnostics };
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}

/** Restored roots left by a killed test process (> 1 h old) go; each is ~250 MB. */
function removeStaleRuns(): void {
  const runs = join(SYSTEMD_CACHE, "runs");
  for (const name of readdirSync(runs)) {
    const path = join(runs, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat && Date.now() - stat.mtimeMs > 3_600_000) rmSync(path, { recursive: true, force: true });
  }
}

function writeIntoRoot(root: string, file: FileSpec): void {
  if (!file.path.startsWith("/") || file.path.split("/").includes("..")) throw new Error(`bad container path ${file.path}`);
  const target = join(root, file.path);
  mkdirSync(dirname(target), { recursive: true });
  if (file.dir) mkdirSync(target, { recursive: true });
  else rmSync(target, { recursive: true, force: true });
  if (file.dir) {
    /* made above */
  } else if (file.symlink !== undefined) symlinkSync(file.symlink, target);
  else if (file.copyFrom !== undefined) cpSync(file.copyFrom, target, { recursive: true, dereference: true });
  else writeFileSync(target, file.content ?? "");
  if (file.mode !== undefined && file.symlink === undefined) chmodSync(target, file.mode);
  if (file.uid !== undefined) (file.symlink !== undefined ? lchownSync : chownSync)(target, file.uid, file.gid ?? file.uid);
}

/** Parse "Overall exposure level for X: 1.7 OK" from `systemd-analyze security` output. */
export function parseExposure(text: string): number | undefined {
  const match = /Overall exposure level for [^:]*:\s*([0-9]+(?:\.[0-9]+)?)/.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** `KEY=VALUE` lines (systemctl show) as a record. */
export function parseShow(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) result[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return result;
}
