// The tests' port blocks (tests/support/gateway/run.ts freePort): a gateway binds port..port+4 seconds after
// its test picked the port, so two test files' blocks must never overlap, and a block stays claimed across
// processes until its owner exits. The suite failed on a loaded machine when a port picked merely free was
// taken by another file's gateway's port+2 ("another gateway instance is already listening").
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CACHE, claimPortBlock, freePort } from "./support/gateway.js";
import { REPO } from "./support/nix.js";

const claimsIn = (n: number): number[] => {
  const code = `import("${REPO}/tests/support/gateway.ts").then(async (m) => { const out = []; for (let i = 0; i < ${n}; i++) out.push(await m.freePort()); process.stdout.write(JSON.stringify(out)); })`;
  const r = spawnSync(process.execPath, ["--import", "tsx", "-e", code], { cwd: REPO, encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as number[];
};

describe("freePort", () => {
  it("gives aligned blocks of ten below the ephemeral range, never the same block twice in a process", async () => {
    const low = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").split(/\s+/)[0]);
    const ports = await Promise.all(Array.from({ length: 30 }, () => freePort()));
    expect(new Set(ports).size).toBe(30);
    for (const p of ports) {
      expect(p % 10).toBe(0);
      expect(p + 9).toBeLessThan(low);
      // claimed under the cache by this process while it lives
      expect(readFileSync(join(CACHE, "ports", String(p), "pid"), "utf8")).toBe(String(process.pid));
    }
  });

  it("a block a living process holds is never handed to another; an exited process's blocks are free again", async () => {
    const mine = await Promise.all(Array.from({ length: 40 }, () => freePort()));
    const theirs = claimsIn(40);
    for (const p of theirs) expect(mine, String(p)).not.toContain(p);
    // the other process exited: its claims went with it
    for (const p of theirs) expect(existsSync(join(CACHE, "ports", String(p))), String(p)).toBe(false);
  });

  it("a claim left by a process that died without cleaning up is taken over; a living owner's is not", () => {
    const low = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").split(/\s+/)[0]);
    const base = 20_000 + 10 * (Math.floor((low - 20_000) / 10) - 3);
    const dir = join(CACHE, "ports", String(base));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "pid"), String(process.ppid)); // the runner: alive
    expect(claimPortBlock(base)).toBe(false);
    writeFileSync(join(dir, "pid"), String(spawnSync("true").pid)); // exited
    expect(claimPortBlock(base)).toBe(true);
    expect(readFileSync(join(dir, "pid"), "utf8")).toBe(String(process.pid));
  });
});
