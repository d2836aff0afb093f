// T0: the rendered configs pass the generated JSON schema and upstream's own validator (modules/lib/validate-config.mjs, the check the
// modules run when they build the config file), with the prepared gateway tree's Node 22 and dist/.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSpec, prepareGateway, type PreparedGateway } from "../support/gateway.js";
import { announceSkip, hasNix } from "../support/nix.js";
import { validateConfigText } from "../support/validate-config.js";
import { renderHm, renderNixos } from "./support.js";

const noNix = hasNix() ? undefined : "nix-instantiate is not installed (apt-get install nix-bin)";
announceSkip("rendered configs against upstream's validator (T0)", noNix);

describe.skipIf(!!noNix)("rendered configs pass upstream's validator (T0)", () => {
  let gw: PreparedGateway;
  const dir = mkdtempSync(join(tmpdir(), "clawdbot-validate-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeAll(async () => {
    gw = await prepareGateway();
  }, 1_200_000);

  const validate = (text: string) =>
    validateConfigText({ node: gw.node, validator: join(gw.root, dirname(buildSpec().entry), "config/validation.js"), schema: "schemas/clawdbot.schema.json", dir, text });


  it("accepts every rendering: defaults, lan + token, secrets and channels, provider plugins, workspace", async () => {
    const configs = [
      renderNixos().configText,
      renderNixos({ options: { bind: "lan", auth: { mode: "token", tokenFile: "/run/t" } } }).configText,
      renderNixos({
        options: {
          workspace: "/var/lib/clawdbot/ws",
          settings: {
            channels: {
              telegram: { botToken: { _secret: "/run/tg" }, dmPolicy: "pairing" },
              discord: { token: { _secret: "/run/dc" } },
              slack: { botToken: { _secret: "/run/sb" }, appToken: { _secret: "/run/sa" } },
            },
            plugins: { allow: ["telegram"] },
            agents: { defaults: { model: { primary: "google-antigravity/gemini-3-pro" } } },
            talk: { apiKey: { _secret: "/run/talk" } },
          },
        },
      }).configText,
      renderHm({ options: { logFile: null, settings: { logging: { level: "debug" } } } }).configText,
    ];
    for (const text of configs) {
      const r = await validate(text);
      expect(r.status, `${text}\n${r.output}`).toBe(0);
    }
  });

  it("checks the generated JSON schema too: what upstream's validator lets through (a port above 65535)", async () => {
    const r = await validate(JSON.stringify({ gateway: { mode: "local", port: 70000 } }));
    expect(r.status, r.output).toBe(1);
    expect(r.output).toContain("gateway.port: must be <= 65535 [JSON schema]");
  });

  it("refuses an invalid config, naming the path", async () => {
    const r = await validate(JSON.stringify({ gateway: { mode: "local", port: "x" } }));
    expect(r.status).toBe(1);
    expect(r.output).toMatch(/gateway\.port: /);
    const p = await validate(JSON.stringify({ gateway: { mode: "local" }, plugins: { entries: { nope: { enabled: true } } } }));
    expect(p.status).toBe(1);
    expect(p.output).toContain("plugins.entries.nope: plugin not found: nope");
  });
});
