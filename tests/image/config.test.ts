// T0: the OCI image's configuration (nix/image/config.nix, builtins only) evaluated with nix-instantiate:
// entrypoint, environment, user, volumes, health check. Then its start script and its health-check command
// are RUN against the real gateway prepared by tests/support/gateway.ts (the same tree as the Nix package):
// the script starts the gateway in Nix mode on a LAN bind with the token from the environment, and the
// image's HEALTHCHECK argv (the package's WebSocket probe, the one the package smoke test runs) answers
// ok. Store paths are replaced by the prepared tree and the host's /usr; the container paths (home, state,
// workspace) by private temp folders, through the function's own parameters.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CACHE, freePort, prepareGateway, prepareOpenclawPlugins, type PreparedGateway } from "../support/gateway.js";
import { announceSkip, hasNix, nixEval, nixStr, REPO } from "../support/nix.js";

interface ImageConfig {
  name: string;
  tag: string;
  port: number;
  home: string;
  stateDir: string;
  workspaceDir: string;
  configPath: string;
  env: Record<string, string>;
  gatewayArgs: string[];
  startScript: string;
  startScriptPath: string;
  passwd: string[];
  group: string[];
  settingsDefaults: { gateway: { mode: string; port: number; bind: string }; agents: { defaults: { workspace: string } } };
  fakeRootCommands: string;
  directories: { path: string; mode: string; owner: string }[];
  config: {
    Entrypoint: string[];
    Cmd: string[];
    Env: string[];
    User: string;
    WorkingDir: string;
    Volumes: Record<string, object>;
    ExposedPorts: Record<string, object>;
    Healthcheck: { Test: string[]; Interval: number; Timeout: number; StartPeriod: number; Retries: number };
    StopSignal: string;
  };
}

const CONFIG_NIX = `${REPO}/nix/image/config.nix`;

function imageConfig(args: Record<string, unknown>): ImageConfig {
  const nixArgs = Object.entries(args)
    .map(([k, v]) => `${k} = ${typeof v === "string" ? nixStr(v) : Array.isArray(v) ? `[ ${v.map((x) => nixStr(String(x))).join(" ")} ]` : String(v)};`)
    .join(" ");
  const r = nixEval(`import ${nixStr(CONFIG_NIX)} { ${nixArgs} }`);
  if (!r.ok) throw new Error(r.stderr);
  return r.value as ImageConfig;
}

const STORE = {
  clawdbot: "/nix/store/aaaa-clawdbot-2026.1.24-3",
  node: "/nix/store/bbbb-nodejs-22",
  tini: "/nix/store/cccc-tini",
  shell: "/nix/store/dddd-bash",
  coreutils: "/nix/store/eeee-coreutils",
  "util-linux": "/nix/store/ffff-util-linux",
  caBundle: "/nix/store/gggg-cacert/etc/ssl/certs/ca-bundle.crt",
};

const nixMissing = hasNix() ? undefined : "nix is not installed (apt-get install nix-bin)";
announceSkip("image config tests", nixMissing);

describe.skipIf(nixMissing)("image config function (T0, evaluated)", () => {
  const cfg = imageConfig({ gateway: "clawdbot", ...STORE, path: [STORE.clawdbot, "/nix/store/hhhh-gog", STORE.coreutils] });
  const env = Object.fromEntries(cfg.config.Env.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));

  it("entrypoint: tini, then the start script, which execs `clawdbot gateway` on the image's port, LAN bind", () => {
    expect(cfg.config.Entrypoint).toEqual([`${STORE.tini}/bin/tini`, "--", cfg.startScriptPath]);
    expect(cfg.config.Cmd).toEqual([]);
    expect(cfg.gatewayArgs).toEqual(["gateway", "--port", "18789", "--bind", "lan"]);
    expect(cfg.startScript.startsWith(`#!${STORE.shell}/bin/sh\n`)).toBe(true);
    expect(cfg.startScript).toContain(`exec ${STORE.clawdbot}/bin/clawdbot 'gateway' '--port' '18789' '--bind' 'lan' "$@"`);
  });

  it("environment: Nix mode, state/config/home paths, no respawn, no Bonjour, PATH from the packages, CA bundle", () => {
    expect(env).toMatchObject({
      CLAWDBOT_NIX_MODE: "1",
      CLAWDBOT_STATE_DIR: "/home/node/.clawdbot",
      CLAWDBOT_CONFIG_PATH: "/etc/clawdbot/clawdbot.json",
      HOME: "/home/node",
      CLAWDBOT_NO_RESPAWN: "1",
      CLAWDBOT_DISABLE_BONJOUR: "1",
      TMPDIR: "/tmp",
      PATH: `${STORE.clawdbot}/bin:/nix/store/hhhh-gog/bin:${STORE.coreutils}/bin`,
      SSL_CERT_FILE: STORE.caBundle,
    });
    expect(env.NODE_OPTIONS).toBeUndefined();
    const heap = imageConfig({ gateway: "clawdbot", ...STORE, heapMiB: 1536 }).env;
    expect(heap.NODE_OPTIONS).toBe("--max-old-space-size=1536");
  });

  it("user 1000:1000 named node, home /home/node, in passwd and group", () => {
    expect(cfg.config.User).toBe("1000:1000");
    expect(cfg.config.WorkingDir).toBe("/home/node");
    expect(cfg.passwd).toContain("node:x:1000:1000:Clawdbot gateway:/home/node:/bin/sh");
    expect(cfg.group).toContain("node:x:1000:");
  });

  it("volumes for state and workspace, owned by 1000:1000 in the image; /tmp is 1777", () => {
    expect(Object.keys(cfg.config.Volumes).sort()).toEqual(["/home/node/.clawdbot", "/home/node/clawd"]);
    expect(cfg.config.ExposedPorts).toEqual({ "18789/tcp": {} });
    for (const v of Object.keys(cfg.config.Volumes)) {
      expect(cfg.directories).toContainEqual(expect.objectContaining({ path: v, owner: "1000:1000" }));
      expect(cfg.fakeRootCommands).toContain(`chown 1000:1000 .${v}`);
    }
    expect(cfg.fakeRootCommands).toContain("chmod 1777 ./tmp");
  });

  it("health check: the package's WebSocket probe against the image's port (failures as exit 1), Docker's nanosecond durations", () => {
    expect(cfg.config.Healthcheck.Test).toEqual([
      "CMD-SHELL",
      `${STORE.node}/bin/node ${STORE.clawdbot}/share/clawdbot/health-probe.mjs --url ws://127.0.0.1:18789 --timeout-ms 18000 || exit 1`,
    ]);
    expect(cfg.config.Healthcheck).toMatchObject({ Interval: 30e9, Timeout: 20e9, StartPeriod: 120e9, Retries: 3 });
  });

  it("the port is one parameter: entrypoint, health check, EXPOSE and the config defaults follow it", () => {
    const c = imageConfig({ gateway: "clawdbot", ...STORE, port: 3000 });
    expect(c.gatewayArgs).toContain("3000");
    expect(c.config.Healthcheck.Test[1]).toContain("--url ws://127.0.0.1:3000 ");
    expect(c.config.ExposedPorts).toEqual({ "3000/tcp": {} });
    expect(c.settingsDefaults.gateway).toEqual({ mode: "local", port: 3000, bind: "lan" });
  });

  it("startAsRoot (Fly.io): USER 0:0, the script chowns the mount points and drops to 1000 with setpriv", () => {
    const c = imageConfig({ gateway: "clawdbot", ...STORE, startAsRoot: true });
    expect(c.config.User).toBe("0:0");
    expect(c.startScript).toContain(`${STORE["util-linux"]}/bin/setpriv --reuid=1000 --regid=1000 --clear-groups -- "$0" "$@"`);
    expect(c.startScript).toContain(`${STORE.coreutils}/bin/chown 1000:1000 "$d"`);
    expect(cfg.startScript).not.toContain("setpriv");
  });
});

// ---------------------------------------------------------------------------------------------------------
// The start script and the HEALTHCHECK command, run for real.

const live = new Set<ChildProcess>();
const killGroup = (child: ChildProcess, signal: NodeJS.Signals): void => {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    /* gone */
  }
};

interface Started {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

function startScript(script: string, env: Record<string, string>, cwd: string): Started {
  const file = join(cwd, "clawdbot-container-start");
  writeFileSync(file, script);
  chmodSync(file, 0o755);
  const child = spawn(file, [], { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  live.add(child);
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) =>
    child.once("exit", (code) => {
      live.delete(child);
      r(code);
    }),
  );
  return {
    child,
    output: () => out,
    exited,
    async stop() {
      killGroup(child, "SIGTERM");
      const t = setTimeout(() => killGroup(child, "SIGKILL"), 15_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Run the image's HEALTHCHECK (as Docker does for `CMD-SHELL`: /bin/sh -c, the container's environment). */
function runHealthcheck(test: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  expect(test[0]).toBe("CMD-SHELL");
  expect(test).toHaveLength(2);
  const r = spawnSync("/bin/sh", ["-c", test[1]!], { env, encoding: "utf8", timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function waitHealthy(test: string[], env: Record<string, string>, started: Started, timeoutMs = 150_000) {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void started.exited.then(() => (exited = true));
  let last = runHealthcheck(test, env);
  while (last.status !== 0 && Date.now() < deadline) {
    if (exited) throw new Error(`gateway exited before it was healthy:\n${started.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 500));
    last = runHealthcheck(test, env);
  }
  return last;
}

const gatewaySkip = nixMissing ?? (process.platform === "linux" ? undefined : "the prepared gateway is Linux-only here");
announceSkip("image start script / health check against a real gateway", gatewaySkip);

describe.skipIf(gatewaySkip)("image start script and health check against a real gateway (T0)", () => {
  let gw: PreparedGateway;
  let base: string;
  const TOKEN = "image-test-token-0123456789abcdef";

  beforeAll(async () => {
    gw = await prepareGateway();
    mkdirSync(join(CACHE, "runs"), { recursive: true, mode: 0o755 });
    base = mkdtempSync(join(CACHE, "runs", "image-"));
    chmodSync(base, 0o755);
  }, 1_200_000);

  afterAll(() => {
    for (const c of live) killGroup(c, "SIGKILL");
    if (base) rmSync(base, { recursive: true, force: true });
  });

  /** The config function with store paths → the prepared tree / the host, container paths → temp dirs. */
  async function hostConfig(name: string, extra: Record<string, unknown> = {}) {
    const dir = join(base, name);
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o755);
    const home = join(dir, "home/node");
    const port = await freePort();
    const cfg = imageConfig({
      gateway: "clawdbot",
      clawdbot: gw.root,
      node: dirname(dirname(gw.node)),
      tini: "/usr",
      shell: "/usr",
      coreutils: "/usr",
      "util-linux": "/usr",
      caBundle: "/etc/ssl/certs/ca-certificates.crt",
      path: [join(gw.root), "/usr", "/"],
      port,
      home,
      configPath: join(dir, "etc/clawdbot/clawdbot.json"),
      ...extra,
    });
    // What the image's /etc/clawdbot/clawdbot.json holds when the user gives no settings (settings.nix
    // merges these defaults under the user's settings; that part is tested at T1).
    mkdirSync(dirname(cfg.configPath), { recursive: true });
    writeFileSync(cfg.configPath, JSON.stringify(cfg.settingsDefaults, null, 2));
    const tmp = join(dir, "tmp");
    mkdirSync(tmp, { recursive: true, mode: 0o1777 });
    chmodSync(tmp, 0o1777);
    // The image's environment, except TMPDIR (the container's own /tmp) and no real channels.
    const env = { ...cfg.env, TMPDIR: tmp, CLAWDBOT_SKIP_CHANNELS: "1" };
    return { cfg, env, dir, home, port };
  }

  it("starts the gateway in Nix mode with the token from the environment; the HEALTHCHECK command passes", async () => {
    const { cfg, env, dir } = await hostConfig("ok");
    for (const d of cfg.directories.filter((d) => d.path !== "/tmp")) mkdirSync(d.path, { recursive: true });
    const started = startScript(cfg.startScript, { ...env, CLAWDBOT_GATEWAY_TOKEN: TOKEN }, dir);
    try {
      const health = await waitHealthy(cfg.config.Healthcheck.Test, { ...env, CLAWDBOT_GATEWAY_TOKEN: TOKEN }, started);
      expect(health.status, `${health.stdout}${health.stderr}\n${started.output().slice(-2000)}`).toBe(0);
      expect(JSON.parse(health.stdout.trim())).toMatchObject({ ok: true });
      // The gateway's own output reaches the pipe a moment after it answers health, later under load.
      for (let waited = 0; !started.output().includes("running in Nix mode") && waited < 15_000; waited += 250) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(started.output()).toContain("running in Nix mode");
      expect(started.output()).not.toContain("CLAWDBOT_GATEWAY_TOKEN is not set");
      // With a wrong token the same probe fails (reported as 1, Docker's "unhealthy"): not a plain TCP ping.
      const wrong = runHealthcheck(cfg.config.Healthcheck.Test, { ...env, CLAWDBOT_GATEWAY_TOKEN: "wrong" });
      expect(wrong.status).toBe(1);
      expect(JSON.parse(wrong.stdout.trim())).toMatchObject({ ok: false });
      // The declarative config was not rewritten by the start.
      expect(JSON.parse(readFileSync(cfg.configPath, "utf8"))).toEqual(cfg.settingsDefaults);
    } finally {
      await started.stop();
    }
  }, 200_000);

  it("without CLAWDBOT_GATEWAY_TOKEN: the script names the variable and the gateway refuses the LAN bind", async () => {
    const { cfg, env, dir } = await hostConfig("notoken");
    for (const d of cfg.directories.filter((d) => d.path !== "/tmp")) mkdirSync(d.path, { recursive: true });
    const started = startScript(cfg.startScript, env, dir);
    const timer = setTimeout(() => killGroup(started.child, "SIGKILL"), 120_000);
    const code = await started.exited;
    clearTimeout(timer);
    expect(code, started.output().slice(-2000)).not.toBe(0);
    expect(started.output()).toContain("CLAWDBOT_GATEWAY_TOKEN is not set");
    expect(started.output()).toMatch(/Refusing to bind gateway to lan without auth/);
  }, 150_000);

  const rootSkip = process.getuid?.() === 0 ? undefined : "not running as root (the startAsRoot branch chowns and drops privileges)";
  announceSkip("image startAsRoot branch", rootSkip);

  it.skipIf(rootSkip)("startAsRoot: root-owned mount points are handed to 1000:1000 and the gateway runs as uid 1000", async () => {
    const { cfg, env, dir, home } = await hostConfig("asroot", { startAsRoot: true });
    // Root-owned, empty mount points, as a fresh Fly.io volume.
    mkdirSync(home, { recursive: true });
    const state = join(home, ".clawdbot");
    const started = startScript(cfg.startScript, { ...env, CLAWDBOT_GATEWAY_TOKEN: TOKEN }, dir);
    try {
      const health = await waitHealthy(cfg.config.Healthcheck.Test, { ...env, CLAWDBOT_GATEWAY_TOKEN: TOKEN }, started);
      expect(health.status, `${health.stdout}${health.stderr}\n${started.output().slice(-2000)}`).toBe(0);
      for (const d of [home, state, join(home, "clawd")]) {
        expect(statSync(d).uid, d).toBe(1000);
        expect(statSync(d).gid, d).toBe(1000);
      }
      // The gateway (the script exec'd it) runs as uid 1000.
      const status = readFileSync(`/proc/${started.child.pid}/status`, "utf8");
      expect(/^Uid:\s+(\d+)/m.exec(status)?.[1]).toBe("1000");
      expect(existsSync(state)).toBe(true);
    } finally {
      await started.stop();
    }
  }, 200_000);
});

// ---------------------------------------------------------------------------------------------------------
// The OpenClaw image (packages.<linux>.image-openclaw): the same function with gateway = "openclaw".

describe.skipIf(nixMissing)("image config function, OpenClaw (T0, evaluated)", () => {
  const OC = { ...STORE, clawdbot: undefined, package: "/nix/store/iiii-openclaw-gateway-2026.9.6", node: "/nix/store/jjjj-nodejs-24" };
  const args = Object.fromEntries(Object.entries(OC).filter(([, v]) => v !== undefined));
  const cfg = imageConfig({ gateway: "openclaw", ...args });
  const env = Object.fromEntries(cfg.config.Env.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));

  it("openclaw:nix; the start script execs `openclaw gateway` with an explicit LAN bind (OpenClaw's own default in a container is `auto`)", () => {
    expect(`${cfg.name}:${cfg.tag}`).toBe("openclaw:nix");
    expect(cfg.gatewayArgs).toEqual(["gateway", "--port", "18789", "--bind", "lan"]);
    expect(cfg.startScript).toContain(`exec ${OC.package}/bin/openclaw 'gateway' '--port' '18789' '--bind' 'lan' "$@"`);
    expect(cfg.startScript).toContain("OPENCLAW_GATEWAY_TOKEN is not set");
    expect(cfg.startScriptPath).toBe("/bin/openclaw-container-start");
    expect(cfg.config.Entrypoint).toEqual([`${STORE.tini}/bin/tini`, "--", "/bin/openclaw-container-start"]);
  });

  it("environment: Nix mode and OpenClaw's names; state, config, workspace paths; the config says bind lan, where it logs", () => {
    expect(env).toMatchObject({
      OPENCLAW_NIX_MODE: "1",
      OPENCLAW_STATE_DIR: "/home/node/.openclaw",
      OPENCLAW_CONFIG_PATH: "/etc/openclaw/openclaw.json",
      OPENCLAW_DISABLE_BONJOUR: "1",
      HOME: "/home/node",
      TMPDIR: "/tmp",
    });
    expect(Object.keys(env).filter((k) => k.startsWith("CLAWDBOT_"))).toEqual([]);
    expect(Object.keys(cfg.config.Volumes).sort()).toEqual(["/home/node/.openclaw", "/home/node/workspace"]);
    expect(cfg.passwd).toContain("node:x:1000:1000:OpenClaw gateway:/home/node:/bin/sh");
    expect(cfg.settingsDefaults).toEqual({
      gateway: { mode: "local", port: 18789, bind: "lan" },
      agents: { defaults: { workspace: "/home/node/workspace" } },
      // without it OpenClaw writes /tmp/openclaw/openclaw-<date>.log, lost with the container
      logging: { file: "/home/node/.openclaw/logs/gateway.log" },
    });
  });

  it("health check: the package's own probe (share/openclaw/health-probe.mjs, nix/health-probe.nix) with the gateway's Node 24, failures as 1; the port is one parameter", () => {
    expect(cfg.config.Healthcheck.Test).toEqual([
      "CMD-SHELL",
      `${OC.node}/bin/node ${OC.package}/share/openclaw/health-probe.mjs --url ws://127.0.0.1:18789 --timeout-ms 18000 || exit 1`,
    ]);
    // no token on the command line: the probe takes OPENCLAW_GATEWAY_TOKEN from the container's environment,
    // and the configured channels from OPENCLAW_CONFIG_PATH
    expect(cfg.config.Healthcheck.Test[1]).not.toContain("TOKEN");
    expect(env.OPENCLAW_CONFIG_PATH).toBe(cfg.configPath);
    const c = imageConfig({ gateway: "openclaw", ...args, port: 3000 });
    expect(c.config.Healthcheck.Test[1]).toContain("--url ws://127.0.0.1:3000 ");
    expect(c.settingsDefaults.gateway.port).toBe(3000);
  });

  it("health check with separately published plugins: the same probe, each plugin expected active in the gateway's plugins.list RPC", () => {
    const c = imageConfig({ gateway: "openclaw", ...args, plugins: ["discord", "slack"] });
    expect(c.config.Healthcheck.Test).toEqual([
      "CMD-SHELL",
      `${OC.node}/bin/node ${OC.package}/share/openclaw/health-probe.mjs --url ws://127.0.0.1:18789 --timeout-ms 18000 --expect discord,slack || exit 1`,
    ]);
  });

  it("an unknown gateway is an evaluation error naming both", () => {
    const r = nixEval(`import ${nixStr(CONFIG_NIX)} { gateway = "clawdbox"; package = "/P"; node = "/N"; tini = "/T"; shell = "/S"; coreutils = "/C"; caBundle = "/ca"; }`);
    expect(r.ok).toBe(false);
    expect(r.stderr).toContain('nix/image: gateway must be one of ["clawdbot","openclaw"], not "clawdbox"');
  });
});

const openclawSkip = gatewaySkip;
announceSkip("OpenClaw image start script / health check against a real gateway", openclawSkip);

describe.skipIf(openclawSkip)("OpenClaw image start script and the package's health probe against a real gateway (T0)", () => {
  let gw: PreparedGateway;
  let base: string;
  const TOKEN = "image-openclaw-token-0123456789abcdef";

  beforeAll(async () => {
    gw = await prepareGateway("openclaw");
    mkdirSync(join(CACHE, "runs"), { recursive: true, mode: 0o755 });
    base = mkdtempSync(join(CACHE, "runs", "image-openclaw-"));
    chmodSync(base, 0o755);
  }, 1_200_000);

  afterAll(() => {
    for (const c of live) killGroup(c, "SIGKILL");
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it("starts in Nix mode with the token from the environment, on the LAN bind; /readyz turns the HEALTHCHECK healthy; the config is not rewritten", async () => {
    const dir = join(base, "ok");
    mkdirSync(dir, { recursive: true });
    const home = join(dir, "home/node");
    const port = await freePort();
    const cfg = imageConfig({
      gateway: "openclaw",
      package: gw.root,
      node: dirname(dirname(gw.node)),
      tini: "/usr",
      shell: "/usr",
      coreutils: "/usr",
      "util-linux": "/usr",
      caBundle: "/etc/ssl/certs/ca-certificates.crt",
      path: [gw.root, "/usr", "/"],
      port,
      home,
      configPath: join(dir, "etc/openclaw/openclaw.json"),
    });
    mkdirSync(dirname(cfg.configPath), { recursive: true });
    writeFileSync(cfg.configPath, JSON.stringify(cfg.settingsDefaults, null, 2));
    for (const d of cfg.directories.filter((d) => d.path !== "/tmp")) mkdirSync(d.path, { recursive: true });
    const tmp = join(dir, "tmp");
    mkdirSync(tmp, { recursive: true });
    const env = { ...cfg.env, TMPDIR: tmp, OPENCLAW_SKIP_CHANNELS: "1", OPENCLAW_GATEWAY_TOKEN: TOKEN };
    const started = startScript(cfg.startScript, env, dir);
    try {
      const health = await waitHealthy(cfg.config.Healthcheck.Test, env, started);
      expect(health.status, `${health.stdout}${health.stderr}\n${started.output().slice(-2000)}`).toBe(0);
      // the package's probe, no channel configured: /readyz alone
      expect(JSON.parse(health.stdout.trim())).toEqual({ healthy: true, readyz: 200 });
      expect(started.output()).not.toContain("OPENCLAW_GATEWAY_TOKEN is not set");
      // the LAN bind: it listens on all interfaces, not only loopback
      const ss = spawnSync("ss", ["-Hltn", `sport = :${port}`], { encoding: "utf8" });
      if (ss.status === 0) expect(ss.stdout).toMatch(/(0\.0\.0\.0|\*|\[::\]):\d+/);
      expect(JSON.parse(readFileSync(cfg.configPath, "utf8"))).toEqual(cfg.settingsDefaults);
      expect(existsSync(join(home, ".openclaw/logs"))).toBe(true);
    } finally {
      await started.stop();
    }
  }, 300_000);

  it("with a channel plugin that fails during register, /readyz stays 200 but the plugin health check is unhealthy, naming the plugin and upstream's error", async () => {
    const plugins = await prepareOpenclawPlugins();
    const dir = join(base, "plugin-fails");
    mkdirSync(dir, { recursive: true });
    const home = join(dir, "home/node");
    const port = await freePort();
    const cfg = imageConfig({
      gateway: "openclaw",
      package: gw.root,
      node: dirname(dirname(gw.node)),
      tini: "/usr",
      shell: "/usr",
      coreutils: "/usr",
      "util-linux": "/usr",
      caBundle: "/etc/ssl/certs/ca-certificates.crt",
      path: [gw.root, "/usr", "/"],
      port,
      home,
      configPath: join(dir, "etc/openclaw/openclaw.json"),
      plugins: ["discord"],
    });
    // Discord as a plain load path with no install record (no <stateDir>/npm link): upstream refuses it
    // openKeyedStore during register (PluginTrustRefusalError, reason=record-missing).
    const settings = {
      ...cfg.settingsDefaults,
      plugins: { load: { paths: [plugins.path("discord")] }, entries: { discord: { enabled: true } } },
      channels: { discord: { enabled: true, token: "${DISCORD_BOT_TOKEN}" } },
    };
    mkdirSync(dirname(cfg.configPath), { recursive: true });
    writeFileSync(cfg.configPath, JSON.stringify(settings, null, 2));
    for (const d of cfg.directories.filter((d) => d.path !== "/tmp")) mkdirSync(d.path, { recursive: true });
    const tmp = join(dir, "tmp");
    mkdirSync(tmp, { recursive: true });
    const env = { ...cfg.env, TMPDIR: tmp, OPENCLAW_GATEWAY_TOKEN: TOKEN, DISCORD_BOT_TOKEN: "placeholder-discord-token" };
    const started = startScript(cfg.startScript, env, dir);
    try {
      const deadline = Date.now() + 200_000;
      let last = runHealthcheck(cfg.config.Healthcheck.Test, env);
      while (!last.stdout.includes('"plugins":') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 1000));
        last = runHealthcheck(cfg.config.Healthcheck.Test, env);
      }
      const verdict = JSON.parse(last.stdout.trim().split("\n").pop()!);
      expect(verdict, `${last.stdout}${last.stderr}\n${started.output().slice(-3000)}`).toMatchObject({ healthy: false, readyz: 200, plugins: { discord: { state: "unloaded" } } });
      expect(verdict.plugins.discord.error).toMatch(/PluginTrustRefusalError/);
      // the configured channel (the config from OPENCLAW_CONFIG_PATH): its plugin did not register
      expect(verdict.channels.discord, last.stdout).toMatchObject({ ok: false });
      expect(verdict.channels.discord.why).toMatch(/its plugin discord is unloaded|no such channel/);
      expect(last.status).toBe(1);
    } finally {
      await started.stop();
    }
  }, 300_000);
});
