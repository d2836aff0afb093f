// T0: how `{ _secret = file; }` reaches OpenClaw, proven with the real gateway. The modules render a secret
// as upstream's own SecretRef `{ source = "env"; provider = "default"; id = "OPENCLAW_SECRET_…"; }` where the
// field accepts one (modules/generated/openclaw/facts.json secrets.referencePaths) and as a
// "${OPENCLAW_SECRET_…}" string where it does not; the launcher reads each file into that variable at start.
// One field of each kind: gateway.auth.token (SecretRef) guards the WebSocket, hooks.token (string only)
// guards the hooks endpoint. The instance is rendered by the Home Manager stand-in (tests/support/nix: the
// renderer the golden units prove equal to the real modules) and started exactly as its ExecStart says.
import { spawn } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, httpHealth, prepareGateway, sleep, type PreparedGateway } from "../support/gateway.js";
import { announceSkip, hasNix, nixEval, nixStr } from "../support/nix.js";
import { runAsync } from "../support/process.js";

const noNix = hasNix() ? undefined : "nix-instantiate is not installed (apt-get install nix-bin)";
announceSkip("OpenClaw secrets through SecretRefs and ${VAR} strings (T0, real gateway)", noNix);

interface Rendering {
  argv: string[];
  environment: Record<string, string>;
  configText: string;
  failed: string[];
}

describe.skipIf(!!noNix)("OpenClaw: { _secret = file; } at a SecretRef field and at a string-only field (T0, real gateway)", () => {
  let gw: PreparedGateway;
  const base = mkdtempSync(join(tmpdir(), "openclaw-secrets-"));
  const home = join(base, "home");
  const secrets = join(base, "secrets");
  const gatewayToken = `gw-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  const hookToken = `hook-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  let port = 0;
  let rendering: Rendering;
  let child: ReturnType<typeof spawn> | undefined;
  let output = "";

  beforeAll(async () => {
    gw = await prepareGateway("openclaw");
    port = await freePort();
    mkdirSync(home, { recursive: true });
    mkdirSync(secrets, { recursive: true, mode: 0o700 });
    writeFileSync(join(secrets, "gateway-token"), `${gatewayToken}\n`, { mode: 0o600 });
    writeFileSync(join(secrets, "hooks-token"), `${hookToken}\n`, { mode: 0o600 });
    const options = {
      port,
      settings: {
        gateway: { auth: { token: { _secret: join(secrets, "gateway-token") } } },
        hooks: { enabled: true, token: { _secret: join(secrets, "hooks-token") } },
      },
    };
    const r = nixEval(
      `let r = import ./tests/support/nix/hm-unit.nix {
          gateway = (import ./modules/lib/gateways.nix).openclaw;
          package = ${nixStr(gw.root)}; shell = "/bin/sh"; path = [ "/usr" ]; home = ${nixStr(home)};
          options = builtins.fromJSON ${nixStr(JSON.stringify(options))};
        }; in { inherit (r) argv environment configText failed; }`,
      { readWrite: true },
    );
    if (!r.ok) throw new Error(r.stderr);
    rendering = r.value as Rendering;
    expect(rendering.failed).toEqual([]);
    child = spawn(rendering.argv[0]!, rendering.argv.slice(1), {
      env: { ...rendering.environment, LANG: "C.UTF-8" },
      cwd: home,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 120_000;
    while ((await httpHealth(port, "/readyz")) !== 200) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`not ready:\n${output.slice(-3000)}`);
      await sleep(250);
    }
  }, 20 * 60_000);

  afterAll(async () => {
    if (child?.pid && child.exitCode === null) {
      process.kill(-child.pid, "SIGTERM");
      await new Promise((done) => child!.once("exit", done));
    }
    rmSync(base, { recursive: true, force: true });
  });

  it("renders a SecretRef at gateway.auth.token and a ${VAR} string at hooks.token; no secret value in the config", () => {
    const config = JSON.parse(rendering.configText);
    expect(config.gateway.auth.token).toEqual({ source: "env", provider: "default", id: "OPENCLAW_SECRET_GATEWAY_AUTH_TOKEN" });
    expect(config.hooks.token).toBe("${OPENCLAW_SECRET_HOOKS_TOKEN}");
    expect(rendering.configText).not.toContain(gatewayToken);
    expect(rendering.configText).not.toContain(hookToken);
    // the launcher reads the files at start (--secret NAME FILE), never argv's values
    expect(rendering.argv.join(" ")).toContain(`--secret OPENCLAW_SECRET_GATEWAY_AUTH_TOKEN ${join(secrets, "gateway-token")}`);
    expect(rendering.argv.join(" ")).not.toContain(gatewayToken);
  });

  it("the SecretRef field: the gateway accepts the file's token on its WebSocket and refuses another", async () => {
    const health = (token: string) =>
      runAsync(gw.bin, ["gateway", "health", "--url", `ws://127.0.0.1:${port}`, "--token", token, "--json"], {
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: join(base, "cli-home"), OPENCLAW_NIX_MODE: "1" },
        timeoutMs: 60_000,
      });
    const ok = await health(gatewayToken);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).ok).toBe(true);
    const refused = await health("not-the-token");
    expect(refused.status).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/token mismatch/);
  });

  it("the string-only field: the hooks endpoint takes the file's token and refuses another", async () => {
    const wake = async (token: string) =>
      (
        await fetch(`http://127.0.0.1:${port}/hooks/wake`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ text: "secrets test" }),
        })
      ).status;
    expect(await wake(hookToken)).toBe(200);
    expect(await wake("not-the-token")).toBe(401);
  });

  it("the config the gateway reads is the store file (a symlink), unchanged, with no secret value", () => {
    const configPath = rendering.environment.OPENCLAW_CONFIG_PATH!;
    expect(lstatSync(configPath).isSymbolicLink()).toBe(true);
    const text = readFileSync(readlinkSync(configPath), "utf8");
    expect(text).toBe(rendering.configText);
    expect(text).not.toContain(gatewayToken);
    expect(text).not.toContain(hookToken);
  });
});
