// Memory of a running gateway's process group, per process, as the kernel accounts it (/proc): what a
// machine must hold. Used by bench/package.ts (`npm run bench`).
//
// - RSS: resident pages of each process, shared ones counted in every process that maps them (the node
//   binary's text is mapped by each of OpenClaw's three processes), so a sum of RSS overstates the machine's
//   need; PSS splits each shared page among its sharers, so the sum of PSS is what the group occupies;
//   anonymous RSS is the part that cannot be dropped and re-read from the store (heap, stacks).
import { readdirSync, readFileSync } from "node:fs";

export interface ProcessMemory {
  pid: number;
  /** What the process is: the gateway's main process or one of its helpers (from its command line). */
  role: string;
  rssKiB: number;
  pssKiB: number;
  anonKiB: number;
  /** Peak RSS of the process so far (VmHWM). */
  hwmKiB: number;
}

/** A process's role, from its command line (OpenClaw: spawn broker and SQLite read-only worker). */
export function roleOf(cmdline: string[]): string {
  const line = cmdline.join(" ");
  if (/spawn-broker\/worker/.test(line)) return "spawn broker";
  if (/sqlite-readonly/.test(line)) return "sqlite read-only worker";
  if (/\.worker\.js|worker\.mjs/.test(line)) return "worker";
  return "main";
}

const kib = (text: string, key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? 0);

/**
 * Every process of the gateway: its process group and every descendant of its leader (OpenClaw's spawn broker
 * runs in a process group of its own), with its memory; processes that exit meanwhile are left out.
 */
export function groupProcesses(pgid: number): ProcessMemory[] {
  const stats = new Map<number, { ppid: number; pgrp: number }>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      stats.set(Number(name), { ppid: Number(fields[1]), pgrp: Number(fields[2]) });
    } catch {
      /* exited meanwhile */
    }
  }
  const descends = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; p = stats.get(p)?.ppid ?? 0, hops++) if (p === pgid) return true;
    return false;
  };
  const out: ProcessMemory[] = [];
  for (const [pid, st] of stats) {
    if (st.pgrp !== pgid && !descends(pid)) continue;
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      let rollup = "";
      try {
        rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
      } catch {
        /* no smaps_rollup (old kernel): PSS unknown */
      }
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
      out.push({
        pid,
        role: roleOf(cmdline),
        rssKiB: kib(status, "VmRSS"),
        pssKiB: rollup ? kib(rollup, "Pss") : NaN,
        anonKiB: kib(status, "RssAnon"),
        hwmKiB: kib(status, "VmHWM"),
      });
    } catch {
      /* exited meanwhile */
    }
  }
  return out.sort((a, b) => a.pid - b.pid);
}

export const sum = (xs: ProcessMemory[], key: "rssKiB" | "pssKiB" | "anonKiB" | "hwmKiB"): number => xs.reduce((n, x) => n + x[key], 0);
