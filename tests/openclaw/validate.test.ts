// T0: the build-time check of services.openclaw's config file (modules/lib/validate-config.mjs, which
// modules/common.nix runs in the config file's derivation with the package's Node) against the real
// OpenClaw: the validator module the gateway description names (`dist/config/config.js`, under the package's
// entry folder) and OpenClaw's generated JSON schema. Renderings of the modules (tests/support/nix stand-ins
// with OpenClaw's description) pass, with secrets as SecretRefs and as ${VAR} strings and with a channel
// plugin from the prepared plugin tree; invalid settings fail, naming the path.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSpec, prepareGateway, prepareOpenclawPlugins, type PreparedGateway, type PreparedPlugins } from "../support/gateway.js";
import { announceSkip, hasNix, nixEval, nixStr } from "../support/nix.js";
import { validateConfigText } from "../support/validate-config.js";

const noNix = hasNix() ? undefined : "nix-instantiate is not installed (apt-get install nix-bin)";
announceSkip("OpenClaw configs through the build-time check (T0)", noNix);

describe.skipIf(!!noNix)("services.openclaw's config file through the build-time check: OpenClaw's own validator and schema (T0)", () => {
  let gw: PreparedGateway;
  let plugins: PreparedPlugins;
  let validator = "";
  const dir = mkdtempSync(join(tmpdir(), "openclaw-validate-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeAll(async () => {
    [gw, plugins] = await Promise.all([prepareGateway("openclaw"), prepareOpenclawPlugins()]);
    // the gateway description's validator, under `dirOf passthru.spec.entry` (as modules/common.nix joins them)
    const description = nixEval(`(import ./modules/lib/gateways.nix).openclaw.validator`);
    if (!description.ok) throw new Error(description.stderr);
    validator = join(gw.root, dirname(buildSpec("openclaw").entry), description.value as string);
  }, 20 * 60_000);

  /** The config text the modules render for these options (NixOS stand-in, OpenClaw's description). */
  const render = (options: Record<string, unknown>): { configText: string; failed: string[] } => {
    const r = nixEval(
      `let r = import ./tests/support/nix/nixos-unit.nix {
          gateway = (import ./modules/lib/gateways.nix).openclaw;
          package = "/nix/store/00000000000000000000000000000000-openclaw-gateway"; shell = "/bin/sh";
          options = builtins.fromJSON ${nixStr(JSON.stringify(options))};
        }; in { inherit (r) configText failed; }`,
      { readWrite: true },
    );
    if (!r.ok) throw new Error(r.stderr);
    return r.value as { configText: string; failed: string[] };
  };

  const validate = (text: string) => validateConfigText({ node: gw.node, validator, schema: "schemas/openclaw.schema.json", dir, text });


  it("accepts the renderings: defaults, lan + token file, secrets as SecretRef and ${VAR}, custom bind, a channel plugin", async () => {
    const renderings = [
      render({}),
      render({ bind: "lan", auth: { mode: "token", tokenFile: "/run/t" } }),
      render({
        settings: {
          channels: { telegram: { botToken: { _secret: "/run/tg" }, dmPolicy: "pairing" } },
          hooks: { enabled: true, token: { _secret: "/run/hooks" } },
          models: { providers: { local: { baseUrl: "http://127.0.0.1:11434/v1", apiKey: { _secret: "/run/key" }, models: [] } } },
        },
      }),
      render({ bind: "custom", settings: { gateway: { customBindHost: "192.0.2.10" } } }),
      // what `plugins = [ "discord" ];` adds (nix/openclaw/plugins.nix settingsFor), with the prepared tree's folder
      render({
        settings: {
          channels: { discord: { token: { _secret: "/run/dc" } } },
          plugins: { load: { paths: [plugins.path("discord")] }, entries: { discord: { enabled: true } } },
        },
      }),
    ];
    for (const { configText, failed } of renderings) {
      expect(failed, configText).toEqual([]);
      const r = await validate(configText);
      expect(r.status, `${configText}\n${r.output}`).toBe(0);
    }
    // the SecretRef and the ${VAR} string are both what OpenClaw's validator accepts at those places
    const secrets = JSON.parse(renderings[2]!.configText);
    expect(secrets.channels.telegram.botToken).toEqual({ source: "env", provider: "default", id: "OPENCLAW_SECRET_CHANNELS_TELEGRAM_BOT_TOKEN" });
    expect(secrets.hooks.token).toBe("${OPENCLAW_SECRET_HOOKS_TOKEN}");
  });

  it("refuses invalid configs, naming the path: a wrong type, an unknown channel, a key OpenClaw moved", async () => {
    const port = await validate(JSON.stringify({ gateway: { mode: "local", port: "x" } }));
    expect(port.status).toBe(1);
    expect(port.output).toMatch(/gateway\.port: /);
    const channel = await validate(JSON.stringify({ gateway: { mode: "local" }, channels: { telegarm: { enabled: true } } }));
    expect(channel.status).toBe(1);
    expect(channel.output).toMatch(/channels\.telegarm/);
    const moved = await validate(JSON.stringify({ gateway: { mode: "local" }, messages: { tts: { enabled: true } } }));
    expect(moved.status).toBe(1);
    expect(moved.output).toMatch(/messages/);
  });
});
