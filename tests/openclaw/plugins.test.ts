// T0: OpenClaw's separately published channel plugins, packaged as nix/openclaw/plugins.nix does (the committed
// lock, no install script, pruned, read-only: tests/support/gateway.ts prepareOpenclawPlugins()), and the real
// Discord plugin loaded by the real gateway from that read-only tree through `plugins.load.paths` — the way
// the modules will point at `openclawPlugins.discord.path` in the store — without network (a network
// namespace with only a down loopback, when the tests run as root) and as an unprivileged user.
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CACHE,
  chownTree,
  killAll,
  prepareGateway,
  prepareOpenclawPlugins,
  startGateway,
  type PreparedGateway,
  type PreparedPlugins,
  type RunningGateway,
} from "../support/gateway.js";
import { runAsync } from "../support/process.js";

const ROOT = process.getuid?.() === 0;
const NOBODY = 65534;
const offline = ROOT && spawnSync("unshare", ["-n", "true"]).status === 0;
const VERSION = JSON.parse(readFileSync(new URL("../../nix/openclaw/package.json", import.meta.url), "utf8")).dependencies.openclaw as string;

let gw: PreparedGateway;
let plugins: PreparedPlugins;
const dirs: string[] = [];
const started: RunningGateway[] = [];

beforeAll(async () => {
  [gw, plugins] = await Promise.all([prepareGateway("openclaw"), prepareOpenclawPlugins()]);
}, 20 * 60_000);

afterAll(async () => {
  for (const g of started) {
    await g.stop(10_000).catch(() => undefined);
    g.cleanup();
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  killAll();
});

/** Run the wrapper with a config, offline and as nobody when possible; returns the exit and output. */
async function openclaw(args: string[], config: unknown, env: Record<string, string> = {}) {
  const base = mkdtempSync(join(CACHE, "runs", "plugins-"));
  dirs.push(base);
  const state = join(base, "state");
  spawnSync("mkdir", ["-p", state, join(base, "home"), join(base, "tmp")]);
  writeFileSync(join(state, "openclaw.json"), JSON.stringify(config, null, 2));
  if (ROOT) chownTree(base, NOBODY);
  const envVars = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: join(base, "home"),
    TMPDIR: join(base, "tmp"),
    OPENCLAW_STATE_DIR: state,
    OPENCLAW_CONFIG_PATH: join(state, "openclaw.json"),
    OPENCLAW_SKIP_CHANNELS: "1",
    OPENCLAW_DISABLE_BONJOUR: "1",
    ...env,
  };
  // setpriv drops to nobody inside the network namespace (unshare needs root to make it).
  const command = offline ? "unshare" : gw.bin;
  const argv = offline ? ["-n", "setpriv", `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", gw.bin, ...args] : args;
  const r = await runAsync(command, argv, { cwd: base, env: envVars, timeoutMs: 180_000 });
  return { ...r, output: r.stdout + r.stderr, base };
}

const discordConfig = (withPlugin: boolean) => ({
  gateway: { mode: "local" },
  logging: { file: "/dev/null" },
  ...(withPlugin ? { plugins: { load: { paths: [plugins.path("discord")] }, entries: { discord: { enabled: true } } } } : {}),
  channels: { discord: { enabled: true, token: "${DISCORD_BOT_TOKEN}" } },
});

describe("the channel plugins tree (as nix/openclaw/plugins.nix builds it)", () => {
  it("holds each plugin at the gateway's version, read-only, pruned, with no install script run", () => {
    expect(plugins.ids).toEqual(["discord", "matrix", "signal", "slack", "whatsapp"]);
    for (const id of plugins.ids) {
      const manifest = JSON.parse(readFileSync(join(plugins.path(id), "package.json"), "utf8"));
      expect(manifest.version, id).toBe(VERSION);
      expect(JSON.parse(readFileSync(join(plugins.path(id), "openclaw.plugin.json"), "utf8")).id).toBe(id);
      expect(statSync(plugins.path(id)).mode & 0o222, id).toBe(0);
    }
    if (!ROOT) expect(() => accessSync(plugins.path("discord"), constants.W_OK)).toThrow();
    expect(existsSync(join(plugins.root, "lib/openclaw-plugins/node_modules/.package-lock.json"))).toBe(false);
  });
});

describe("the real Discord plugin in the real gateway, from the read-only tree" + (offline ? ", offline" : ""), () => {
  it("with it (plugins.load.paths) the config is valid; without it upstream's check passes too, so only the module can refuse it", async () => {
    const withPlugin = await openclaw(["config", "validate", "--json"], discordConfig(true), { DISCORD_BOT_TOKEN: "x" });
    expect(withPlugin.status, withPlugin.output).toBe(0);
    expect(JSON.parse(withPlugin.stdout.slice(withPlugin.stdout.indexOf("{"))).valid).toBe(true);
    // Upstream knows the official plugins' channels from its catalog: a Discord channel without the plugin
    // validates, and then simply never starts. facts.json `externalPlugins` lets the module make that an
    // evaluation error.
    const without = await openclaw(["config", "validate", "--json"], discordConfig(false), { DISCORD_BOT_TOKEN: "x" });
    expect(without.status, without.output).toBe(0);
    const list = await openclaw(["plugins", "list", "--json"], discordConfig(false), { DISCORD_BOT_TOKEN: "x" });
    const loaded = (JSON.parse(list.stdout.slice(list.stdout.indexOf("{"))) as { plugins: { id: string; status: string }[] }).plugins.filter((p) => p.status === "loaded").map((p) => p.id);
    expect(loaded).not.toContain("discord");
  }, 400_000);

  it("loads it (plugins list: status loaded, origin config, its root the store-like folder)", async () => {
    const r = await openclaw(["plugins", "list", "--json"], discordConfig(true), { DISCORD_BOT_TOKEN: "x" });
    expect(r.status, r.output.slice(-3000)).toBe(0);
    const list = JSON.parse(r.stdout.slice(r.stdout.indexOf("{"))) as { plugins: { id: string; status: string; origin: string; rootDir: string; error?: string }[] };
    const discord = list.plugins.find((p) => p.id === "discord");
    expect(discord, JSON.stringify(list.plugins.map((p) => p.id))).toBeDefined();
    expect({ status: discord!.status, origin: discord!.origin, rootDir: discord!.rootDir }).toEqual({
      status: "loaded",
      origin: "config",
      rootDir: plugins.path("discord"),
    });
  }, 200_000);

  it("the gateway starts with it in Nix mode and is ready (/readyz), the plugin loaded without error", async () => {
    const g = await startGateway(gw, {
      renderConfig: (d) => JSON.stringify({ ...discordConfig(true), logging: { file: join(d.base, "openclaw-file.log") } }, null, 2),
      token: `tok-${process.pid}-${Date.now()}`,
      args: ["--auth", "token"],
      env: { DISCORD_BOT_TOKEN: "not-a-real-token" },
      ...(ROOT ? { uid: NOBODY } : {}),
    });
    started.push(g);
    await g.waitHealthy(240_000);
    const log = g.output() + (existsSync(join(g.dirs.base, "openclaw-file.log")) ? readFileSync(join(g.dirs.base, "openclaw-file.log"), "utf8") : "");
    expect(log).toContain("running in Nix mode");
    expect(log).not.toMatch(/discord[^\n]*(failed to load|plugin error|Cannot find module)/i);
    const stopped = await g.stop(30_000);
    expect(stopped.code ?? stopped.signal, g.output().slice(-2000)).toBe(0);
  }, 300_000);
});
