// T0, the real gateway: the local-user attack of the security issue against the config the module renders.
// Another uid (65534 when the tests run as root) makes a fresh ed25519 device key, connects over loopback
// with no token and a foreign Origin, asks for operator.admin and calls config.get
// (tests/support/systemd/device-attack.mjs). With `auth.mode = "none"` (an explicit choice) it gets in and
// reads the resolved bot token: the attack is real and the script can succeed. With the defaults (token
// auth) it gets no session. The same attack runs under a real systemd in container-security.test.ts.
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CACHE, freePort, killAll, prepareGateway, startGateway, type PreparedGateway } from "../support/gateway.js";
import { announceSkip, hasNix, REPO } from "../support/nix.js";
import { runAsync } from "../support/process.js";
import { renderHm } from "./support.js";

const noNix = hasNix() ? undefined : "nix-instantiate is not installed (apt-get install nix-bin)";
announceSkip("the local-user attack against the real gateway (T0)", noNix);

const TG = "123456:AAE-attack-test-bot-token-71c2";
const GATEWAY_TOKEN = "0f".repeat(32);
const SECRET_ENV = "CLAWDBOT_SECRET_CHANNELS_TELEGRAM_BOT_TOKEN";
const asRoot = process.getuid?.() === 0;

interface AttackResult {
  connected: boolean;
  configRead: boolean;
  leaked: boolean;
  scopes?: string[];
  error?: string;
}

describe.skipIf(!!noNix)("the local-user attack against the real gateway (T0)", () => {
  let gw: PreparedGateway;
  let dir: string;
  beforeAll(async () => {
    gw = await prepareGateway();
    // the script where another uid can read it (the checkout may be under a 0700 folder)
    dir = mkdtempSync(join(CACHE, "runs", "attack-"));
    chmodSync(dir, 0o755);
    copyFileSync(join(REPO, "tests/support/systemd/device-attack.mjs"), join(dir, "device-attack.mjs"));
  }, 900_000);
  afterAll(() => {
    killAll();
    rmSync(dir, { recursive: true, force: true });
  });

  async function attack(port: number): Promise<AttackResult> {
    const args = [join(dir, "device-attack.mjs"), "--url", `ws://127.0.0.1:${port}`, "--origin", "https://evil.example"];
    args.push("--ws-from", join(gw.root, "lib/clawdbot/node_modules/clawdbot"), "--secret", TG);
    const [cmd, argv] = asRoot ? ["setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--", gw.node, ...args]] : [gw.node, args];
    const r = await runAsync(cmd as string, argv as string[], { timeoutMs: 30_000, env: { PATH: process.env.PATH, HOME: "/nonexistent" } });
    return JSON.parse(r.stdout.trim().split("\n").pop() || "{}") as AttackResult;
  }

  async function startRendered(options: Record<string, unknown>, token?: string) {
    const port = await freePort();
    const r = renderHm({ options: { port, ...options, settings: { channels: { telegram: { botToken: { _secret: "/run/tg" }, dmPolicy: "pairing" } } } } });
    expect(r.failed).toEqual([]);
    // the launcher exports the token as CLAWDBOT_GATEWAY_TOKEN (startGateway's `token` does the same)
    const g = await startGateway(gw, { port, config: r.configText, env: { [SECRET_ENV]: TG }, ...(token ? { token } : {}) });
    // the rendered file references the secret; the gateway substitutes it
    expect(r.configText).toContain(`\${${SECRET_ENV}}`);
    return { g, port };
  }

  it.skipIf(!asRoot)("runs as another uid (root only: setpriv)", () => {
    expect(spawnSync("setpriv", ["--version"]).status).toBe(0);
  });

  it('auth.mode = "none" (an explicit choice): the attack gets operator.admin and reads the bot token', async () => {
    const { g, port } = await startRendered({ auth: { mode: "none" } });
    try {
      // no token to probe health with: wait until the port answers
      let result = await attack(port);
      for (let i = 0; i < 300 && /ECONNREFUSED/.test(result.error ?? ""); i++) {
        await new Promise((r) => setTimeout(r, 500));
        result = await attack(port);
      }
      expect(result, JSON.stringify(result)).toMatchObject({ connected: true, configRead: true, leaked: true });
      expect(result.scopes).toContain("operator.admin");
    } finally {
      await g.stop();
      g.cleanup();
    }
  }, 300_000);

  it("the defaults (token auth): the same attack gets no session", async () => {
    const { g, port } = await startRendered({}, GATEWAY_TOKEN);
    try {
      await g.waitHealthy(150_000);
      const result = await attack(port);
      expect(result.connected, JSON.stringify(result)).toBe(false);
      expect(result.leaked).toBe(false);
      expect(result.error).toMatch(/unauthorized|token/i);
    } finally {
      await g.stop();
      g.cleanup();
    }
  }, 300_000);
});
