// Running a prepared gateway in a test: free ports, private HOME/state/TMPDIR, start and stop (bounded,
// whole process group), WS and HTTP health, one-shot CLI calls.
import { spawn, type ChildProcess } from "node:child_process";
import {
  chownSync,
  lstatSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import WebSocket from "ws";
import { probeHealth, type ProbeResult } from "../../../nix/health-probe.mjs";
import { GATEWAY_KINDS, type GatewayKind } from "../gateway-kinds.js";
import { buildSpec, CACHE, sleep, type PreparedGateway } from "./prepare.js";

/**
 * A free TCP port on 127.0.0.1 whose block (port..port+9) is reserved for this test process alone.
 *
 * A gateway listens on more than its port (Clawdbot: browser control port+2, extension relay port+3, canvas
 * port+4), and binds them seconds after the test picked the port — tens of seconds on a loaded machine. A
 * port that was merely free when picked was then taken by another test file's gateway's port+2 ("another
 * gateway instance is already listening", the suite's failure on a loaded machine). So ports come in
 * blocks of ten, aligned (two blocks never overlap), below the kernel's ephemeral range (an outgoing
 * connection never holds one), each claimed across processes by an atomic mkdir under the test cache that
 * names its owner's pid (a dead owner's claim is taken over) and given up when the process exits.
 */
const PORT_BLOCK = 10;
const claimedBlocks = new Set<number>();
const PORT_CLAIMS = join(CACHE, "ports");

function ephemeralLow(): number {
  try {
    return Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 49152; // macOS and the IANA range
  }
}

export function claimPortBlock(base: number): boolean {
  const dir = join(PORT_CLAIMS, String(base));
  try {
    mkdirSync(dir);
  } catch {
    let owner = 0;
    try {
      owner = Number(readFileSync(join(dir, "pid"), "utf8"));
    } catch {
      return false; // being claimed right now
    }
    try {
      process.kill(owner, 0);
      return false; // its owner lives
    } catch {
      rmSync(dir, { recursive: true, force: true });
      return claimPortBlock(base);
    }
  }
  writeFileSync(join(dir, "pid"), String(process.pid));
  claimedBlocks.add(base);
  if (claimedBlocks.size === 1) {
    process.once("exit", () => {
      for (const b of claimedBlocks) rmSync(join(PORT_CLAIMS, String(b)), { recursive: true, force: true });
    });
  }
  return true;
}

export async function freePort(): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number | undefined>((resolvePort) => {
      const srv = createServer();
      srv.once("error", () => resolvePort(undefined));
      srv.listen(port, "127.0.0.1", () => {
        const addr = srv.address();
        const got = typeof addr === "object" && addr ? addr.port : undefined;
        srv.close(() => resolvePort(got));
      });
    });
  mkdirSync(PORT_CLAIMS, { recursive: true });
  const low = 20_000;
  const blocks = Math.floor((ephemeralLow() - low) / PORT_BLOCK) - 1;
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = low + PORT_BLOCK * Math.floor(Math.random() * blocks);
    if (claimedBlocks.has(base) || !claimPortBlock(base)) continue;
    let ok = true;
    for (let i = 0; i < PORT_BLOCK && ok; i++) ok = (await tryListen(base + i)) !== undefined;
    if (ok) return base;
    // something outside the tests holds a port of it: keep the claim (never handed out), try another
  }
  throw new Error("no free port block found");
}

/** One WS health request (raw protocol, bounded), from Node 20 via the `ws` package. */
export function wsHealth(opts: { port: number; token?: string; password?: string; host?: string; timeoutMs?: number }): Promise<ProbeResult> {
  return probeHealth({
    url: `ws://${opts.host ?? "127.0.0.1"}:${opts.port}`,
    ...(opts.token ? { token: opts.token } : {}),
    ...(opts.password ? { password: opts.password } : {}),
    timeoutMs: opts.timeoutMs ?? 5_000,
    WebSocketImpl: WebSocket,
  });
}

export interface GatewayDirs {
  base: string;
  home: string;
  state: string;
  tmp: string;
  config: string;
  log: string;
}

export interface StartOptions {
  /** Rendered config: an object (JSON) or the exact text. Written to dirs.config (CLAWDBOT_CONFIG_PATH). */
  config?: unknown;
  /** Or render it from the private dirs (e.g. to point logging.file into them). */
  renderConfig?: (dirs: GatewayDirs) => string;
  port?: number;
  bind?: string;
  /** Token auth: passed through CLAWDBOT_GATEWAY_TOKEN (never argv). */
  token?: string;
  /** Extra CLI args after `gateway`. */
  args?: string[];
  env?: Record<string, string>;
  /** Run node dist/entry.js directly instead of the wrapper (the cold-cache bench does). */
  direct?: boolean;
  /** Reuse these private dirs (a warm start: same HOME, TMPDIR, state) instead of new ones. */
  dirs?: GatewayDirs;
  /** Run as this uid (and gid), e.g. 65534 to prove the tree needs no write access. */
  uid?: number;
}

export interface RunningGateway {
  child: ChildProcess;
  port: number;
  dirs: GatewayDirs;
  startedAt: number;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Poll health until ok:true (OpenClaw: `/readyz` 200) (bounded); returns ms since start. */
  waitHealthy(timeoutMs?: number): Promise<number>;
  /** OpenClaw: ms from start to the first `/healthz` 200 (set by waitHealthy). */
  healthzMs?: number;
  /** Peak RSS so far in KiB (VmHWM of the gateway process, from /proc), or undefined once it exited. */
  peakRssKiB(): number | undefined;
  /** SIGTERM, wait (bounded), SIGKILL if needed. */
  stop(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Remove the private dirs (after stop). */
  cleanup(): void;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  live.add(child);
  child.once("exit", () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", killAll);
  }
}

/** Kill every gateway started by this process (tests call it in afterAll; also runs at exit). */
export function killAll(): void {
  for (const child of live) {
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    } catch {
      child.kill("SIGKILL");
    }
  }
  live.clear();
}

/** The environment of a test gateway: its private HOME / TMPDIR / state / config, no channels, no mDNS. */
function isolatedEnv(dirs: GatewayDirs, kind: GatewayKind = GATEWAY_KINDS.clawdbot): NodeJS.ProcessEnv {
  const p = kind.envPrefix;
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: dirs.home,
    TMPDIR: dirs.tmp,
    [`${p}_STATE_DIR`]: dirs.state,
    [`${p}_CONFIG_PATH`]: dirs.config,
    [`${p}_SKIP_CHANNELS`]: "1",
    [`${p}_DISABLE_BONJOUR`]: "1",
  };
}

/** One unauthenticated HTTP GET of an OpenClaw health path (`/healthz`, `/readyz`): its status, or 0. */
export async function httpHealth(port: number, path: "/healthz" | "/readyz", host = "127.0.0.1", timeoutMs = 3_000): Promise<number> {
  try {
    const res = await fetch(`http://${host.includes(":") ? `[${host}]` : host}:${port}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** Private HOME / STATE_DIR / TMPDIR under <CACHE>/runs (the config named for the gateway: clawdbot.json by default). */
export function privateDirs(prefix = "gw-", configName = "clawdbot.json"): GatewayDirs {
  mkdirSync(join(CACHE, "runs"), { recursive: true, mode: 0o755 });
  const base = mkdtempSync(join(CACHE, "runs", prefix));
  const dirs = {
    base,
    home: join(base, "home"),
    state: join(base, "state"),
    tmp: join(base, "tmp"),
    config: join(base, "state", configName),
    log: join(base, "state", "logs", "gateway.log"),
  };
  for (const d of [dirs.home, dirs.state, dirs.tmp]) mkdirSync(d, { recursive: true });
  return dirs;
}

export async function startGateway(gw: PreparedGateway, opts: StartOptions = {}): Promise<RunningGateway> {
  const kind = gw.kind ?? GATEWAY_KINDS.clawdbot;
  const port = opts.port ?? (await freePort());
  const dirs = opts.dirs ?? privateDirs("gw-", kind.configName);
  if (opts.renderConfig) writeFileSync(dirs.config, opts.renderConfig(dirs));
  else if (opts.config !== undefined) {
    writeFileSync(dirs.config, typeof opts.config === "string" ? opts.config : JSON.stringify(opts.config, null, 2) + "\n");
  }
  if (opts.uid !== undefined) chownTree(dirs.base, opts.uid);
  const env: NodeJS.ProcessEnv = {
    ...isolatedEnv(dirs, kind),
    LANG: "C.UTF-8",
    ...(opts.token ? { [`${kind.envPrefix}_GATEWAY_TOKEN`]: opts.token } : {}),
    ...opts.env,
  };
  const gatewayArgs = ["gateway", "--port", String(port), "--bind", opts.bind ?? "loopback", ...(opts.args ?? [])];
  let command: string;
  let args: string[];
  if (opts.direct) {
    const spec = buildSpec(kind.name);
    Object.assign(env, spec.env.set);
    for (const [k, v] of Object.entries(spec.env.setDefault)) env[k] ??= v;
    command = gw.node;
    args = [gw.entry, ...gatewayArgs];
  } else {
    command = gw.clawdbot;
    args = gatewayArgs;
  }
  const child = spawn(command, args, {
    cwd: dirs.base,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
  });
  track(child);
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
    child.once("exit", (code, signal) => resolveExit({ code, signal }));
    child.once("error", (err) => {
      out += `\nspawn failed: ${String(err)}\n`;
      resolveExit({ code: null, signal: null });
    });
  });
  let exitedFlag = false;
  void exited.then(() => (exitedFlag = true));
  const startedAt = Date.now();
  const handle: RunningGateway = {
    child,
    port,
    dirs,
    startedAt,
    output: () => out,
    exited,
    async waitHealthy(timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      if (kind.health === "http") {
        // OpenClaw: /healthz answers once the port listens, /readyz once channels, agents and plugins are.
        let status = 0;
        while (Date.now() < deadline) {
          if (exitedFlag) throw new Error(`gateway exited before it was healthy:\n${out.slice(-3000)}`);
          if (handle.healthzMs === undefined && (await httpHealth(port, "/healthz")) === 200) handle.healthzMs = Date.now() - startedAt;
          status = handle.healthzMs === undefined ? 0 : await httpHealth(port, "/readyz");
          if (status === 200) return Date.now() - startedAt;
          await sleep(100);
        }
        throw new Error(`gateway not ready after ${timeoutMs} ms (last /readyz: ${status}):\n${out.slice(-3000)}`);
      }
      let last: ProbeResult | undefined;
      while (Date.now() < deadline) {
        if (exitedFlag) throw new Error(`gateway exited before it was healthy:\n${out.slice(-3000)}`);
        last = await wsHealth({ port, ...(opts.token ? { token: opts.token } : {}), timeoutMs: 3_000 });
        if (last.ok) return Date.now() - startedAt;
        await sleep(200);
      }
      throw new Error(`gateway not healthy after ${timeoutMs} ms (last: ${JSON.stringify(last)}):\n${out.slice(-3000)}`);
    },
    peakRssKiB() {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
        return m ? Number(m[1]) : undefined;
      } catch {
        return undefined;
      }
    },
    async stop(timeoutMs = 15_000) {
      if (!exitedFlag && child.pid) {
        try {
          // The wrapper execs node: the group is the gateway (and anything it spawned).
          process.kill(-child.pid, "SIGTERM");
        } catch {
          /* gone */
        }
      }
      const timer = setTimeout(() => {
        try {
          if (child.pid) process.kill(-child.pid, "SIGKILL");
        } catch {
          /* gone */
        }
      }, timeoutMs);
      const r = await exited;
      clearTimeout(timer);
      return r;
    },
    cleanup() {
      rmSync(dirs.base, { recursive: true, force: true });
    },
  };
  return handle;
}

/** Run `clawdbot ARGS` to completion (bounded); for the bad-input tests. */
export async function runClawdbot(
  gw: PreparedGateway,
  args: string[],
  opts: { config?: unknown; renderConfig?: (dirs: GatewayDirs) => string; env?: Record<string, string>; timeoutMs?: number; uid?: number } = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string; dirs: GatewayDirs }> {
  const kind = gw.kind ?? GATEWAY_KINDS.clawdbot;
  const dirs = privateDirs("run-", kind.configName);
  if (opts.renderConfig) writeFileSync(dirs.config, opts.renderConfig(dirs));
  else if (opts.config !== undefined) {
    writeFileSync(dirs.config, typeof opts.config === "string" ? opts.config : JSON.stringify(opts.config, null, 2) + "\n");
  }
  if (opts.uid !== undefined) chownTree(dirs.base, opts.uid);
  const child = spawn(gw.clawdbot, args, {
    cwd: dirs.base,
    env: { ...isolatedEnv(dirs, kind), ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
  });
  track(child);
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const timer = setTimeout(() => {
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }, opts.timeoutMs ?? 90_000);
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => {
    child.once("exit", (c, s) => r({ code: c, signal: s }));
    child.once("error", (err) => {
      output += `\nspawn failed: ${String(err)}\n`;
      r({ code: null, signal: null });
    });
  });
  clearTimeout(timer);
  return { code, signal, output, dirs };
}

/** chown -R a private run folder to a user (root only), for runs as another user. */
export function chownTree(dir: string, uid: number): void {
  chownSync(dir, uid, uid);
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (lstatSync(p).isDirectory()) chownTree(p, uid);
    else chownSync(p, uid, uid);
  }
}

/** Every regular file under dir (recursive), for the secret scans. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) out.push(...listFiles(p));
    else if (st.isFile()) out.push(p);
  }
  return out;
}
