// T0 proof of the vm-system-service step "a config.set over WS does not change the declarative config on the
// next restart", with the real gateway (tests/support/gateway.ts) and the very CLI call the VM script makes
// (`clawdbot gateway call config.set --url … --token … --params … --json`):
//   1. the config path is a link to a read-only "store" file, as the modules lay it out;
//   2. config.set over WS is answered; whatever it did at the config path, the store file is untouched;
//   3. the service's launcher (modules/launcher/clawdbot-launch.sh) re-creates the link, as at every start,
//      and the gateway restarted: config.get over WS returns the declarative config.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killAll, prepareGateway, runClawdbot, startGateway, type PreparedGateway } from "../support/gateway.js";
import { announceSkip, REPO } from "../support/nix.js";

const skip = process.platform === "linux" ? undefined : "the prepared gateway is Linux-only here";
announceSkip("config.set over WS vs. the declarative config", skip);

const TOKEN = "config-write-token-5e8d2c";
const DECLARED = { gateway: { mode: "local" }, agents: { defaults: { maxConcurrent: 3 } } };

describe.skipIf(skip)("config.set over WS does not outlive a restart (T0 for vm-system-service)", () => {
  let gw: PreparedGateway;
  let base: string;
  let storeFile: string;
  let configPath: string;

  beforeAll(async () => {
    gw = await prepareGateway();
    mkdirSync(join(REPO, ".cache", "runs"), { recursive: true });
    base = mkdtempSync(join(REPO, ".cache", "runs", "config-write-"));
    const store = join(base, "store");
    mkdirSync(store);
    storeFile = join(store, "clawdbot.json");
    writeFileSync(storeFile, JSON.stringify(DECLARED, null, 2) + "\n");
    chmodSync(storeFile, 0o444);
    chmodSync(store, 0o555);
    mkdirSync(join(base, "state"));
    configPath = join(base, "state", "clawdbot.json");
    symlinkSync(storeFile, configPath);
  }, 1_200_000);

  afterAll(() => {
    killAll();
    if (base) {
      chmodSync(join(base, "store"), 0o755);
      rmSync(base, { recursive: true, force: true });
    }
  });

  const call = async (port: number, method: string, params: unknown) => {
    const r = await runClawdbot(
      gw,
      // The token through the environment: at this version `gateway call --token T` loses T to the parent
      // `gateway` command's own --token option (the server answers "gateway token missing").
      ["gateway", "call", method, "--url", `ws://127.0.0.1:${port}`, "--params", JSON.stringify(params), "--json"],
      { timeoutMs: 60_000, env: { CLAWDBOT_GATEWAY_TOKEN: TOKEN } },
    );
    rmSync(r.dirs.base, { recursive: true, force: true });
    const text = r.output.slice(r.output.indexOf("{"));
    let value: Record<string, unknown> | undefined;
    try {
      value = JSON.parse(text) as Record<string, unknown>;
    } catch {
      value = undefined;
    }
    return { code: r.code, output: r.output, value };
  };

  it("config.set is answered, the store file stays; after re-linking and a restart the declarative config is live", async () => {
    const env = { CLAWDBOT_CONFIG_PATH: configPath };
    const first = await startGateway(gw, { token: TOKEN, env });
    try {
      await first.waitHealthy(150_000);
      const snapshot = await call(first.port, "config.get", {});
      expect(snapshot.code, snapshot.output).toBe(0);
      const hash = snapshot.value?.hash;
      expect(typeof hash, snapshot.output).toBe("string");
      const changed = structuredClone(DECLARED);
      changed.agents.defaults.maxConcurrent = 9;
      const set = await call(first.port, "config.set", { raw: JSON.stringify(changed), baseHash: hash });
      // Answered either way (a write that replaced the link, or a refusal); record which.
      const replaced = existsSync(configPath) && !lstatSync(configPath).isSymbolicLink();
      console.log(`config.set exit ${set.code}; the config path is now ${replaced ? "a regular file (link replaced)" : "still the link"}`);
      expect(readFileSync(storeFile, "utf8")).toBe(JSON.stringify(DECLARED, null, 2) + "\n");
      if (set.code === 0 && replaced) expect(JSON.parse(readFileSync(configPath, "utf8")).agents.defaults.maxConcurrent).toBe(9);
    } finally {
      await first.stop();
      first.cleanup();
    }

    // What the service does at every start: its launcher (modules/launcher/clawdbot-launch.sh, the ExecStart
    // of the units) makes the config path the link to the declared file again. Here it execs `true`.
    const relink = spawnSync("sh", [join(REPO, "modules/launcher/clawdbot-launch.sh"), "--config", storeFile, configPath, "--", "true"], {
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(relink.status, relink.stderr).toBe(0);
    expect(lstatSync(configPath).isSymbolicLink()).toBe(true);

    const second = await startGateway(gw, { token: TOKEN, env });
    try {
      await second.waitHealthy(150_000);
      const live = await call(second.port, "config.get", {});
      expect(live.code, live.output).toBe(0);
      expect(readlinkSync(configPath)).toBe(storeFile);
      const config = (live.value?.config ?? live.value?.parsed) as { agents?: { defaults?: { maxConcurrent?: number } } } | undefined;
      expect(config?.agents?.defaults?.maxConcurrent, live.output.slice(0, 2000)).toBe(3);
    } finally {
      await second.stop();
      second.cleanup();
    }
  }, 420_000);
});
