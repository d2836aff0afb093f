// T0 with the real gateway: render the config file, environment and argv with the modules' builtins-only
// functions (modules/lib/), then start the prepared gateway tree (tests/support/gateway.ts, the layout of the
// Nix package) with exactly that argv and environment, through the launcher script. Checked: healthy over
// WS, Nix mode logged, the config symlink still points at the rendered store file (unchanged), no secret
// value in any file the gateway wrote, the token from the file works and another token fails.
//
// Two renderings are started: the Home Manager user unit (the launcher reads the secret files) and the NixOS
// system unit (the launcher reads $CREDENTIALS_DIRECTORY, filled here the way LoadCredential= fills it).
// The only additions to the rendered environment: PATH (systemd gives a unit one too),
// CLAWDBOT_SKIP_CHANNELS=1 (no network here: a configured channel would try to connect).
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CACHE, freePort, listFiles, prepareGateway, wsHealth, type PreparedGateway } from "../support/gateway.js";
import { announceSkip, hasNix } from "../support/nix.js";
import { renderHm, renderNixos, type Rendered } from "./support.js";

const noNix = hasNix() ? undefined : "nix-instantiate is not installed (apt-get install nix-bin)";
announceSkip("modules with the real gateway (T0)", noNix);

const TOKEN = "tok-5b1f0e2c9d7a4e31b8c6";
const TG_TOKEN = "123456:tg-secret-a9f3e1d2c4b5";

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const children = new Set<ChildProcess>();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function start(argv: string[], env: Record<string, string>): Started {
  const child = spawn(argv[0]!, argv.slice(1), {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C.UTF-8", CLAWDBOT_SKIP_CHANNELS: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
    cwd: "/",
  });
  children.add(child);
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) =>
    child.once("exit", (code) => {
      children.delete(child);
      r(code);
    }),
  );
  return { child, output: () => out, exited };
}

async function stop(s: Started): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  try {
    process.kill(-s.child.pid!, "SIGTERM");
  } catch {
    /* gone */
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-s.child.pid!, "SIGKILL");
    } catch {
      /* gone */
    }
  }, 15_000);
  await s.exited;
  clearTimeout(timer);
}

async function waitHealthy(s: Started, port: number, timeoutMs = 150_000): Promise<number> {
  const t0 = Date.now();
  let exited = false;
  void s.exited.then(() => (exited = true));
  let last: unknown;
  while (Date.now() - t0 < timeoutMs) {
    if (exited) throw new Error(`gateway exited before it was healthy:\n${s.output().slice(-4000)}`);
    const h = await wsHealth({ port, token: TOKEN, timeoutMs: 3_000 });
    if (h.ok) return Date.now() - t0;
    last = h;
    await sleep(300);
  }
  throw new Error(`not healthy after ${timeoutMs} ms (last ${JSON.stringify(last)}):\n${s.output().slice(-4000)}`);
}

/** Files under dir (recursively) whose content contains one of the secrets. */
function filesWithSecrets(dir: string, secrets: string[]): string[] {
  return listFiles(dir).filter((f) => {
    const text = readFileSync(f).toString("latin1");
    return secrets.some((s) => text.includes(s));
  });
}

interface Scenario {
  label: string;
  base: string;
  port: number;
  rendered: Rendered;
  started?: Started;
  healthyMs?: number;
}

describe.skipIf(!!noNix)("the rendered service starts the real gateway (T0)", () => {
  let gw: PreparedGateway;
  const scenarios: Scenario[] = [];

  beforeAll(async () => {
    gw = await prepareGateway();
  }, 1_200_000);

  afterAll(async () => {
    for (const s of scenarios) if (s.started) await stop(s.started);
    for (const c of children) {
      try {
        process.kill(-c.pid!, "SIGKILL");
      } catch {
        /* gone */
      }
    }
    for (const s of scenarios) rmSync(s.base, { recursive: true, force: true });
  });

  const settings = {
    channels: { telegram: { botToken: { _secret: "" }, dmPolicy: "pairing" } },
    logging: { level: "info" },
  };

  async function scenario(label: string, kind: "home-manager" | "nixos"): Promise<Scenario> {
    mkdirSync(join(CACHE, "runs"), { recursive: true });
    const base = mkdtempSync(join(CACHE, "runs", `modules-${kind}-`));
    const secrets = join(base, "secrets");
    mkdirSync(secrets, { mode: 0o700 });
    writeFileSync(join(secrets, "token"), `${TOKEN}\n`, { mode: 0o600 });
    writeFileSync(join(secrets, "telegram"), `${TG_TOKEN}\n`, { mode: 0o600 });
    const port = await freePort();
    const s = { ...settings, channels: { telegram: { ...settings.channels.telegram, botToken: { _secret: join(secrets, "telegram") } } } };
    const auth = { mode: "token", tokenFile: join(secrets, "token") };
    let rendered: Rendered;
    const env: Record<string, string> = {};
    if (kind === "home-manager") {
      rendered = renderHm({ package: gw.root, home: join(base, "home"), options: { port, auth, settings: s } });
    } else {
      rendered = renderNixos({
        package: gw.root,
        options: {
          port,
          auth,
          settings: s,
          stateDir: join(base, "state"),
          user: "clawdbot",
          environment: { TMPDIR: join(base, "cache", "tmp") },
        },
      });
      // What LoadCredential= does: a private directory with one file per credential, named by its id.
      const creds = join(base, "credentials");
      mkdirSync(creds, { mode: 0o700 });
      for (const c of rendered.credentials) copyFileSync(c.file, join(creds, c.name));
      env.CREDENTIALS_DIRECTORY = creds;
      // HOME is the state directory on NixOS
      expect(rendered.environment.HOME).toBe(join(base, "state"));
    }
    expect(rendered.failed).toEqual([]);
    const sc: Scenario = { label, base, port, rendered };
    scenarios.push(sc);
    sc.started = start(rendered.argv, { ...rendered.environment, ...env });
    sc.healthyMs = await waitHealthy(sc.started, port);
    console.log(`modules T0 ${label}: healthy after ${(sc.healthyMs / 1000).toFixed(1)} s`);
    return sc;
  }

  for (const [label, kind] of [
    ["Home Manager user unit", "home-manager"],
    ["NixOS system unit (LoadCredential)", "nixos"],
  ] as const) {
    describe(label, () => {
      let sc: Scenario;
      beforeAll(async () => {
        sc = await scenario(label, kind);
      }, 300_000);

      it("is healthy over WS with the token from the file, refuses another token", async () => {
        expect((await wsHealth({ port: sc.port, token: TOKEN })).ok).toBe(true);
        const wrong = await wsHealth({ port: sc.port, token: "not-the-token" });
        expect(wrong.ok).toBe(false);
        expect(wrong.refused, JSON.stringify(wrong)).toBe(true);
      });

      it("runs in Nix mode, with the rendered argv", async () => {
        const logFile = JSON.parse(sc.rendered.configText).logging.file as string;
        const deadline = Date.now() + 10_000;
        const logged = () => sc.started!.output() + (existsSync(logFile) ? readFileSync(logFile, "utf8") : "");
        while (!/running in Nix mode/.test(logged()) && Date.now() < deadline) await sleep(200);
        expect(logged()).toMatch(/running in Nix mode \(config managed externally\)/);
        expect(sc.rendered.argv.slice(-4)).toEqual(["--port", String(sc.port), "--bind", "loopback"]);
      });

      it("keeps the config path a symlink to the unchanged rendered file (no plugin auto-enable rewrite)", async () => {
        // give the start-up writers (plugin auto-enable, doctor) time to run
        await sleep(2_000);
        const configPath = sc.rendered.environment.CLAWDBOT_CONFIG_PATH!;
        expect(lstatSync(configPath).isSymbolicLink()).toBe(true);
        expect(readlinkSync(configPath)).toBe(sc.rendered.configFile);
        expect(readFileSync(configPath, "utf8")).toBe(sc.rendered.configText);
        expect(existsSync(`${configPath}.bak`)).toBe(false);
        expect(sc.rendered.configText).toContain("${CLAWDBOT_SECRET_CHANNELS_TELEGRAM_BOT_TOKEN}");
      });

      it("wrote no secret value into any file (state, home, cache, logs)", () => {
        const leaked = filesWithSecrets(sc.base, [TOKEN, TG_TOKEN]).map((f) => relative(sc.base, f));
        // the secret files themselves and the emulated credentials directory are the inputs
        expect(leaked.filter((f) => !f.startsWith("secrets/") && !f.startsWith("credentials/"))).toEqual([]);
        expect(readFileSync(sc.rendered.configFile, "utf8")).not.toContain(TOKEN);
        expect(sc.rendered.unitText).not.toContain(TOKEN);
      });

      it("seeded the jiti cache into the persistent TMPDIR", () => {
        const tmp = sc.rendered.environment.TMPDIR!;
        expect(existsSync(join(tmp, "jiti"))).toBe(true);
      });

      it("a restart re-creates the symlink over a file written at run time", async () => {
        await stop(sc.started!);
        const configPath = sc.rendered.environment.CLAWDBOT_CONFIG_PATH!;
        rmSync(configPath);
        writeFileSync(configPath, '{ "gateway": { "mode": "local", "port": 1 } }\n');
        sc.started = start(sc.rendered.argv, {
          ...sc.rendered.environment,
          ...(kind === "nixos" ? { CREDENTIALS_DIRECTORY: join(sc.base, "credentials") } : {}),
        });
        const ms = await waitHealthy(sc.started, sc.port);
        console.log(`modules T0 ${label}: restart healthy after ${(ms / 1000).toFixed(1)} s`);
        expect(lstatSync(configPath).isSymbolicLink()).toBe(true);
        expect(readlinkSync(configPath)).toBe(sc.rendered.configFile);
      }, 200_000);
    });
  }

  describe("two instances side by side (Home Manager: the default and `work`)", () => {
    const started: Started[] = [];
    let base = "";
    afterAll(async () => {
      for (const g of started) await stop(g);
      if (base) rmSync(base, { recursive: true, force: true });
    });

    it("each starts from its own rendering: its own port, state directory and config file, both healthy", async () => {
      mkdirSync(join(CACHE, "runs"), { recursive: true });
      base = mkdtempSync(join(CACHE, "runs", "modules-instances-"));
      const secrets = join(base, "secrets");
      mkdirSync(secrets, { mode: 0o700 });
      writeFileSync(join(secrets, "token"), `${TOKEN}\n`, { mode: 0o600 });
      const auth = { mode: "token", tokenFile: join(secrets, "token") };
      const home = join(base, "home");
      const first = await freePort();
      let second = await freePort();
      while (Math.abs(second - first) < 5) second = await freePort();
      const one: Rendered = renderHm({ package: gw.root, home, options: { port: first, auth } });
      const two: Rendered = renderHm({ package: gw.root, home, name: "work", options: { port: second, auth } });
      const renderings = [one, two];
      for (const r of renderings) expect(r.failed).toEqual([]);
      expect(one.unitName).not.toBe(two.unitName);
      expect(one.environment.CLAWDBOT_STATE_DIR).not.toBe(two.environment.CLAWDBOT_STATE_DIR);
      expect(one.environment.CLAWDBOT_CONFIG_PATH).not.toBe(two.environment.CLAWDBOT_CONFIG_PATH);
      for (const r of renderings) started.push(start(r.argv, r.environment));
      await Promise.all([waitHealthy(started[0]!, first), waitHealthy(started[1]!, second)]);
      expect((await wsHealth({ port: first, token: TOKEN })).ok).toBe(true);
      expect((await wsHealth({ port: second, token: TOKEN })).ok).toBe(true);
      for (const r of renderings) {
        expect(JSON.parse(readFileSync(r.environment.CLAWDBOT_CONFIG_PATH!, "utf8")).gateway.port).toBe(r === one ? first : second);
        expect(existsSync(r.environment.CLAWDBOT_STATE_DIR!)).toBe(true);
      }
    }, 300_000);
  });

  describe("lan bind with a token file (NixOS rendering)", () => {
    let base = "";
    let running: Started | undefined;
    afterAll(async () => {
      if (running) await stop(running);
      if (base) rmSync(base, { recursive: true, force: true });
    });

    it("the gateway accepts the lan bind with the token from LoadCredential and answers on loopback", async () => {
      mkdirSync(join(CACHE, "runs"), { recursive: true });
      base = mkdtempSync(join(CACHE, "runs", "modules-lan-"));
      const secrets = join(base, "secrets");
      mkdirSync(secrets, { mode: 0o700 });
      writeFileSync(join(secrets, "token"), `${TOKEN}\n`, { mode: 0o600 });
      const port = await freePort();
      const rendered = renderNixos({
        package: gw.root,
        options: {
          port,
          bind: "lan",
          auth: { mode: "token", tokenFile: join(secrets, "token") },
          stateDir: join(base, "state"),
          user: "clawdbot",
          environment: { TMPDIR: join(base, "cache", "tmp") },
        },
      });
      expect(rendered.failed).toEqual([]);
      expect(rendered.argv.slice(-2)).toEqual(["--bind", "lan"]);
      const creds = join(base, "credentials");
      mkdirSync(creds, { mode: 0o700 });
      for (const c of rendered.credentials) copyFileSync(c.file, join(creds, c.name));
      running = start(rendered.argv, { ...rendered.environment, CREDENTIALS_DIRECTORY: creds });
      await waitHealthy(running, port);
      expect((await wsHealth({ port, token: TOKEN })).ok).toBe(true);
      expect((await wsHealth({ port, token: "not-the-token" })).ok).toBe(false);
    }, 300_000);
  });
});
