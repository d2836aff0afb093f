// T0, the real gateway started from the golden units themselves (tests/golden/units/: what the modules
// render, byte for byte), outside a container: the unit's ExecStart and Environment= lines are read back the
// way systemd reads them, the files the unit names are placed under a private folder (the store paths, the
// user's home, the state directory relocated there, the port moved to a free one), and the gateway is run with
// exactly that argv and environment. The container tests start the same files under a real systemd.
// Both gateways: Clawdbot's Home Manager unit with a token file (WS health), OpenClaw's Home Manager unit with
// the defaults (the launcher generates the token; unauthenticated /healthz and /readyz, then WS health with
// the generated token).
import { spawn } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CACHE, freePort, httpHealth, prepareGateway, wsHealth, type PreparedGateway } from "../support/gateway.js";
import { caseGateway, goldenCases, goldenUnit, type UnitCase, type UnitRendering } from "../support/golden-units.js";
import { announceSkip, hasNix } from "../support/nix.js";
import { fakePackage } from "../support/systemd/store.js";

const noNix = hasNix() ? undefined : "nix-instantiate is not installed (apt-get install nix-bin)";
announceSkip("the real gateway from the golden units (T0)", noNix);

const TOKEN = "golden-gateway-token-3e8c1a";

/** A unit file's ExecStart= and Environment= as systemd reads them (quoted words, %% and $$ unescaped). */
export function parseUnit(text: string): { argv: string[]; environment: Record<string, string> } {
  const value = (line: string) => line.slice(line.indexOf("=") + 1);
  const unescape = (s: string) => s.replaceAll("%%", "%").replaceAll("$$", "$");
  const words = (s: string): string[] => {
    const out: string[] = [];
    for (let i = 0; i < s.length; ) {
      if (s[i] === " ") {
        i++;
        continue;
      }
      if (s[i] === '"') {
        let j = i + 1;
        while (j < s.length && s[j] !== '"') j += s[j] === "\\" ? 2 : 1;
        out.push(unescape(JSON.parse(s.slice(i, j + 1)) as string));
        i = j + 1;
      } else {
        const j = s.indexOf(" ", i) === -1 ? s.length : s.indexOf(" ", i);
        out.push(unescape(s.slice(i, j)));
        i = j;
      }
    }
    return out;
  };
  const lines = text.split("\n");
  const exec = lines.find((l) => l.startsWith("ExecStart="));
  if (!exec) throw new Error("no ExecStart= in the unit");
  const environment: Record<string, string> = {};
  for (const line of lines.filter((l) => l.startsWith("Environment="))) {
    const [assignment] = words(value(line));
    const eq = assignment!.indexOf("=");
    environment[assignment!.slice(0, eq)] = assignment!.slice(eq + 1);
  }
  return { argv: words(value(exec)), environment };
}

/** The golden rendering with every path under `base` and the port moved: text replacement, longest first. */
function relocate(r: UnitRendering, gw: PreparedGateway, base: string, home: string, port: number): { unit: string; map: [string, string][] } {
  const map: [string, string][] = [
    [fakePackage(gw.kind.name), gw.root],
    ...Object.keys(r.storeFiles).map((p) => [p, join(base, "store", basename(p))] as [string, string]),
    [home, join(base, "home")],
    ["18789", String(port)],
  ];
  const apply = (text: string) => map.reduce((t, [from, to]) => t.replaceAll(from, to), text);
  for (const [path, content] of Object.entries(r.storeFiles)) {
    const target = apply(path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, apply(content), { mode: 0o444 });
  }
  return { unit: apply(r.unitText), map };
}

/** A golden case's gateway started on the host from its unit's ExecStart and Environment=, relocated. */
interface Started {
  r: UnitRendering;
  base: string;
  port: number;
  /** A text with the golden paths and port replaced by this run's. */
  relocated(text: string): string;
  argv: string[];
  environment: Record<string, string>;
  output(): string;
  exitCode(): number | null;
  kill(): void;
  /** Resolves once the process and everything holding its output are gone (its stdio closed). */
  closed: Promise<void>;
}

async function startGolden(c: UnitCase, gw: PreparedGateway, bases: string[], before?: (relocated: (text: string) => string) => void): Promise<Started> {
  const r = goldenUnit(c);
  mkdirSync(join(CACHE, "runs"), { recursive: true });
  const base = mkdtempSync(join(CACHE, "runs", "golden-gateway-"));
  bases.push(base);
  const port = await freePort();
  const { unit, map } = relocate(r, gw, base, c.home!, port);
  const relocated = (text: string) => map.reduce((t, [from, to]) => t.replaceAll(from, to), text);
  before?.(relocated);
  const { argv, environment } = parseUnit(unit);
  const prefix = gw.kind.envPrefix;
  const child = spawn(argv[0]!, argv.slice(1), {
    env: { ...environment, PATH: `${environment.PATH}:${process.env.PATH}`, LANG: "C.UTF-8", [`${prefix}_SKIP_CHANNELS`]: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  const closed = new Promise<void>((res) => child.once("close", () => res()));
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  return {
    r,
    base,
    port,
    relocated,
    argv,
    environment,
    output: () => out,
    exitCode: () => child.exitCode,
    closed,
    kill: () => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* gone */
      }
    },
  };
}

/** Poll `probe` until it is true, the process exits or `ms` pass. */
async function until(probe: () => Promise<boolean>, started: Started, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && started.exitCode() === null) {
    if (await probe()) return true;
    await new Promise((res) => setTimeout(res, 300));
  }
  return false;
}

const tokenFileOf = (c: UnitCase): string | undefined => (c.options.auth as { tokenFile?: string } | undefined)?.tokenFile;

describe.skipIf(!!noNix)("the real gateway from the golden units (T0)", () => {
  const bases: string[] = [];
  const running: Started[] = [];
  // The gateways' process groups are killed, and their folders removed only once every process that could
  // still write there is gone (a removal racing a dying gateway failed with ENOTEMPTY on a loaded machine).
  afterAll(async () => {
    for (const s of running) s.kill();
    await Promise.race([Promise.all(running.map((s) => s.closed)), new Promise((res) => setTimeout(res, 20_000))]);
    for (const b of bases) rmSync(b, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }, 30_000);

  it("parseUnit reads quoted words, escapes and Environment= lines", () => {
    const p = parseUnit('Environment="A=b c"\nEnvironment="P=100%%"\nExecStart=/bin/sh "x y" 50%% $$HOME "q\\"x"\n');
    expect(p.environment).toEqual({ A: "b c", P: "100%" });
    expect(p.argv).toEqual(["/bin/sh", "x y", "50%", "$HOME", 'q"x']);
  });

  // the Clawdbot Home Manager golden unit with a token file and no variable the launcher would refuse
  const hm = goldenCases().find(
    (c) => caseGateway(c.case) === "clawdbot" && c.case.kind === "home-manager" && tokenFileOf(c.case) && !JSON.stringify(c.case.options).includes("NOT_SET"),
  );

  it("the Home Manager golden unit starts the real gateway: healthy with its token, the config link the unit names", async () => {
    expect(hm, "a golden Home Manager case with a token file (tests/golden/units/)").toBeDefined();
    const gw = await prepareGateway();
    const c = hm!.case;
    const s = await startGolden(c, gw, bases, (relocated) => {
      const tokenFile = relocated(tokenFileOf(c)!);
      mkdirSync(dirname(tokenFile), { recursive: true, mode: 0o700 });
      writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    });
    running.push(s);
    try {
      expect(s.argv.slice(-6)).toEqual([`${gw.root}/bin/clawdbot`, "gateway", "--port", String(s.port), "--bind", "loopback"]);
      const ok = await until(async () => (await wsHealth({ port: s.port, token: TOKEN, timeoutMs: 3_000 })).ok, s, 150_000);
      expect(ok, s.output().slice(-3000)).toBe(true);
      expect((await wsHealth({ port: s.port, token: "not-the-token" })).ok).toBe(false);
      const configPath = s.environment.CLAWDBOT_CONFIG_PATH!;
      expect(lstatSync(configPath).isSymbolicLink()).toBe(true);
      expect(readlinkSync(configPath)).toBe(join(s.base, "store", basename(s.r.configFile)));
    } finally {
      s.kill();
    }
  }, 300_000);

  // OpenClaw's Home Manager golden unit with the defaults: token auth, no token file (the launcher generates it)
  const openclawCase: UnitCase = { gateway: "openclaw", kind: "home-manager", name: "default", home: "/home/alice", options: { port: 18789 } };

  it("OpenClaw's Home Manager golden unit (defaults) starts the real OpenClaw: /healthz and /readyz, WS health with the generated token (0600), the config untouched", async () => {
    const gw = await prepareGateway("openclaw");
    const s = await startGolden(openclawCase, gw, bases);
    running.push(s);
    try {
      expect(s.argv.slice(-6)).toEqual([`${gw.root}/bin/openclaw`, "gateway", "--port", String(s.port), "--bind", "loopback"]);
      expect(s.environment.OPENCLAW_NIX_MODE).toBe("1");
      // unauthenticated HTTP: live once the port listens, ready once channels, agents and plugins are
      const live = await until(async () => (await httpHealth(s.port, "/healthz")) === 200, s, 150_000);
      expect(live, s.output().slice(-3000)).toBe(true);
      const ready = await until(async () => (await httpHealth(s.port, "/readyz")) === 200, s, 150_000);
      expect(ready, s.output().slice(-3000)).toBe(true);
      // the token the launcher generated at the first start: owner-only, in the state directory
      const stateDir = s.environment.OPENCLAW_STATE_DIR!;
      const tokenFile = join(stateDir, "gateway-token");
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
      const token = readFileSync(tokenFile, "utf8").trim();
      expect(token).toMatch(/^[0-9a-f]{64}$/);
      const health = await wsHealth({ port: s.port, token, timeoutMs: 10_000 });
      expect(health, s.output().slice(-3000)).toMatchObject({ ok: true });
      const wrong = await wsHealth({ port: s.port, token: "not-the-token", timeoutMs: 10_000 });
      expect(wrong.ok).toBe(false);
      expect(wrong.refused).toBe(true);
      // the config is the store file, byte for byte, still a symlink: Nix mode wrote nothing
      const configPath = s.environment.OPENCLAW_CONFIG_PATH!;
      expect(lstatSync(configPath).isSymbolicLink()).toBe(true);
      expect(readlinkSync(configPath)).toBe(join(s.base, "store", basename(s.r.configFile)));
      expect(readFileSync(configPath, "utf8")).toBe(s.relocated(s.r.configText));
      expect(s.output()).toContain("Nix mode");
    } finally {
      s.kill();
    }
  }, 400_000);
});
