// T1: services.openclaw through the real modules (NixOS, Home Manager with HM's own systemd and launchd
// modules, nix-darwin) and real nixpkgs `lib`: the guarantees services.clawdbot has, with OpenClaw's names —
// authenticated by default, secrets by file (LoadCredential, SecretRefs), the same hardening, the assertions
// naming the option, plugins from Nix, upstream's stop policy — and the two gateways side by side.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { announceSkip, nixStr, t1Sources } from "../support/nix.js";
import { evalT1, nixEval, nixJson, t1Harness, unitValues } from "./support.js";

const t1 = t1Sources();
announceSkip("services.openclaw with real nixpkgs lib (T1)", t1.libSkip);
announceSkip("services.openclaw with Home Manager (T1)", t1.hmSkip ?? t1.libSkip);



const nixos = (services: Record<string, unknown>, system = "x86_64-linux"): string =>
  `(t.nixos { system = "${system}"; configuration = { services = ${nixJson(services)}; }; })`;
const failedWith = (openclaw: Record<string, unknown>): string[] => evalT1(`${nixos({ openclaw: { enable: true, ...openclaw } })}.failed`);

const hmUser = `home.username = "alice"; home.homeDirectory = "/home/alice";`;

describe.skipIf(!t1.nixpkgsLib)("services.openclaw: NixOS module (T1)", () => {
  it("by default: token auth (generated token), Nix mode, its own state and cache, credentials by LoadCredential, upstream's stop policy", () => {
    const r = evalT1(`let e = ${nixos({
      openclaw: {
        enable: true,
        environmentFiles: ["/run/agenix/openclaw-env"],
        settings: { channels: { telegram: { botToken: { _secret: "/run/agenix/telegram" }, dmPolicy: "pairing" } } },
      },
    })}; s = e.config.systemd.services.openclaw; in {
      inherit (e) failed; names = builtins.attrNames e.config.systemd.services; inherit (s) environment serviceConfig restartTriggers;
      config = builtins.fromJSON (builtins.readFile (builtins.head s.restartTriggers)); }`);
    expect(r.failed).toEqual([]);
    expect(r.names).toEqual(["openclaw"]);
    expect(r.environment).toMatchObject({
      OPENCLAW_NIX_MODE: "1",
      OPENCLAW_STATE_DIR: "/var/lib/openclaw",
      OPENCLAW_CONFIG_PATH: "/var/lib/openclaw/openclaw.json",
      OPENCLAW_DISABLE_BONJOUR: "1",
      HOME: "/var/lib/openclaw",
      TMPDIR: "/var/cache/openclaw/tmp",
    });
    expect(Object.keys(r.environment).filter((k) => k.startsWith("CLAWDBOT_"))).toEqual([]);
    const sc = r.serviceConfig;
    expect(sc).toMatchObject({
      // a system user of its own, not DynamicUser=: OpenClaw opens files with openat2(), which systemd refuses
      // under DynamicUser= and RestrictSUIDSGID=
      User: "openclaw",
      Group: "openclaw",
      RestrictSUIDSGID: false,
      // its state, and beside it the backups taken before an upgrade (docs/backups.md)
      StateDirectory: ["openclaw", "openclaw-backups"],
      CacheDirectory: "openclaw",
      RestartPreventExitStatus: 78,
      TimeoutStopSec: "330s",
      KillMode: "mixed",
      EnvironmentFile: ["/run/agenix/openclaw-env"],
      LoadCredential: ["OPENCLAW_SECRET_CHANNELS_TELEGRAM_BOT_TOKEN:/run/agenix/telegram"],
    });
    // the token is generated at the first start into the state directory and passed by environment
    expect(sc.ExecStart).toContain("--token OPENCLAW_GATEWAY_TOKEN /var/lib/openclaw/gateway-token");
    expect(sc.ExecStart).toMatch(/-openclaw-gateway-2026\.\d+\.\d+\/bin\/openclaw gateway --port 18789 --bind loopback$/);
    // the package's wrapper seeds its compile cache itself: no jiti seed
    expect(sc.ExecStart).not.toContain("--jiti-seed");
    expect(r.config.gateway).toEqual({ auth: { mode: "token" }, bind: "loopback", mode: "local", port: 18789 });
    expect(r.config.logging.file).toBe("/var/lib/openclaw/logs/gateway.log");
    expect(r.config.channels.telegram.botToken).toEqual({ source: "env", provider: "default", id: "OPENCLAW_SECRET_CHANNELS_TELEGRAM_BOT_TOKEN" });
  });

  it("the same hardening as services.clawdbot's unit but for what openat2() needs: names, paths, the stop policy and the user differ", () => {
    const r = evalT1(`let e = ${nixos({ clawdbot: { enable: true }, openclaw: { enable: true, port: 18800 } })}; in {
      inherit (e) failed; c = e.config.systemd.services.clawdbot.serviceConfig; o = e.config.systemd.services.openclaw.serviceConfig; }`);
    expect(r.failed).toEqual([]);
    const differs = Object.keys({ ...r.c, ...r.o }).filter((k) => JSON.stringify(r.c[k]) !== JSON.stringify(r.o[k]));
    expect(differs.sort()).toEqual([
      "CacheDirectory",
      "DynamicUser",
      "ExecStart",
      // OpenClaw's backup before an upgrade (Clawdbot has no backup command)
      "ExecStartPre",
      "Group",
      "KillMode",
      "RestrictSUIDSGID",
      "StateDirectory",
      "TimeoutStopSec",
      "User",
      "WorkingDirectory",
    ]);
    expect([r.c.DynamicUser, r.c.RestrictSUIDSGID, r.o.User, r.o.RestrictSUIDSGID]).toEqual([true, true, "openclaw", false]);
    for (const key of ["ProtectSystem", "ProtectHome", "PrivateTmp", "PrivateUsers", "CapabilityBoundingSet", "SystemCallFilter", "RestrictAddressFamilies", "UMask"]) {
      expect(r.o[key], key).toBeDefined();
    }
  });

  it("both gateways on one machine: their ports may not collide (each uses port..port+4), each names its option", () => {
    const failed = evalT1<string[]>(`${nixos({ clawdbot: { enable: true }, openclaw: { enable: true, port: 18791 } })}.failed`);
    expect(failed).toContain(
      "services.openclaw.port = 18791 collides with services.clawdbot.port = 18789: each gateway uses its port and the next four (browser control on +2 and +3, canvas on +4). Choose ports at least 5 apart.",
    );
  });

  it("each bad input gives its assertion message, naming services.openclaw", () => {
    expect(failedWith({ bind: "lan" })).toEqual([]);
    expect(failedWith({ bind: "lan", auth: { mode: "none" } })[0]).toMatch(/^services\.openclaw\.bind = "lan" requires authentication/);
    // OpenClaw's schema accepts gateway.customBindHost: custom needs it (and authentication)
    expect(failedWith({ bind: "custom" })[0]).toMatch(/^services\.openclaw\.bind = "custom" needs the address to listen on/);
    expect(failedWith({ bind: "custom", settings: { gateway: { customBindHost: "192.0.2.10" } } })).toEqual([]);
    expect(failedWith({ settings: { channels: { telegram: { botToken: "123:abc" } } } })[0]).toMatch(
      /^services\.openclaw\.settings\.channels\.telegram\.botToken holds a literal secret/,
    );
    // a store path: refused by the option's type (nixpkgs' types.externalPath); a link into the store: by the module
    expect(() => failedWith({ auth: { mode: "token", tokenFile: "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-t" } })).toThrow(
      /option `services\.openclaw\.auth\.tokenFile' is not of type `null or absolute path not in the Nix store'/,
    );
    expect(failedWith({ auth: { mode: "token", tokenFile: "/run/current-system/sw/t" } })[0]).toMatch(
      /^services\.openclaw\.auth\.tokenFile = "\/run\/current-system\/sw\/t": secret files must not be in the Nix store or behind a link into it/,
    );
    expect(failedWith({ settings: { gateway: { tailscale: { mode: "funnel" } } } })[0]).toMatch(
      /^services\.openclaw\.settings\.gateway\.tailscale\.mode = "funnel" publishes the gateway on the internet/,
    );
    expect(failedWith({ extraArgs: ["--token=abc"] })[0]).toMatch(/^services\.openclaw\.extraArgs: "--token=abc" is a flag the service options own/);
    expect(failedWith({ settings: { channels: { telegarm: { enabled: true } } } })[0]).toMatch(
      /^services\.openclaw\.settings\.channels\."telegarm": unknown channel id — did you mean "telegram"\?/,
    );
  });

  it("upstream's SecretRefs as written (env, file, exec) at models.providers.<name>.apiKey and channels.telegram.botToken; a wrong source names the option", () => {
    const refs = [
      { source: "env", provider: "default", id: "OPENAI_API_KEY" },
      { source: "file", provider: "default", id: "/run/key" },
      { source: "exec", provider: "vault", id: "openai/key" },
    ];
    for (const ref of refs) {
      const r = evalT1(`let e = ${nixos({
        openclaw: {
          enable: true,
          settings: {
            models: { providers: { openai: { baseUrl: "https://api.openai.com/v1", models: [{ id: "gpt-5", name: "GPT-5" }], apiKey: ref } } },
            channels: { telegram: { botToken: ref } },
          },
        },
      })}; in { inherit (e) failed; config = builtins.fromJSON (builtins.readFile (builtins.head e.config.systemd.services.openclaw.restartTriggers)); }`);
      expect(r.failed, ref.source).toEqual([]);
      expect(r.config.models.providers.openai.apiKey, ref.source).toEqual(ref);
      expect(r.config.channels.telegram.botToken, ref.source).toEqual(ref);
    }
    const wrong = nixEval(`let t = ${t1Harness()}; in ${nixos({
      openclaw: { enable: true, settings: { channels: { telegram: { botToken: { source: "vault", provider: "default", id: "x" } } } } },
    })}.config.systemd.services.openclaw.restartTriggers`);
    expect(wrong.ok).toBe(false);
    expect(wrong.stderr).not.toMatch(/string matching/);
    expect(wrong.stderr).toMatch(/services\.openclaw\.settings\.channels\.telegram\.botToken' is not of type `null or string or \(submodule\) or attribute set with source = "env", "exec", "file", "store"'/);
    // the variant the tag names checks the rest: an env reference names a variable
    const badId = nixEval(`let t = ${t1Harness()}; in ${nixos({
      openclaw: { enable: true, settings: { models: { providers: { openai: { baseUrl: "https://x", models: [], apiKey: { source: "env", provider: "default", id: "/run/key" } } } } } },
    })}.config.systemd.services.openclaw.restartTriggers`);
    expect(badId.ok).toBe(false);
    expect(badId.stderr).toMatch(/services\.openclaw\.settings\.models\.providers\.openai\.apiKey\.id' is not of type `string matching the pattern \[A-Z\]/);
  });

  it("channel plugins from Nix: a configured channel loads its packaged plugin by itself, as `plugins` would (issue 21.2)", () => {
    const rendered = (openclaw: Record<string, unknown>) =>
      evalT1(`let e = ${nixos({ openclaw: { enable: true, ...openclaw } })}; s = e.config.systemd.services.openclaw; in {
        inherit (e) failed; inherit (s.serviceConfig) ExecStart; plugins = e.config.services.openclaw.plugins;
        config = builtins.fromJSON (builtins.readFile (builtins.head s.restartTriggers)); }`);
    const slack = { botToken: { _secret: "/run/slack-bot" }, appToken: { _secret: "/run/slack-app" } };
    const alone = rendered({ settings: { channels: { slack } } });
    const named = rendered({ plugins: ["slack"], settings: { channels: { slack } } });
    expect(alone.failed).toEqual([]);
    expect(alone.plugins, "the option keeps what the user wrote").toEqual([]);
    // the same config file and the same start (the launcher links <stateDir>/npm to the plugins' npm root)
    expect(alone.config).toEqual(named.config);
    expect(alone.ExecStart).toEqual(named.ExecStart);
    expect(alone.config.plugins.entries.slack).toEqual({ enabled: true });
    expect(alone.config.plugins.load.paths).toHaveLength(1);
    expect(alone.config.plugins.load.paths[0]).toMatch(/-openclaw-plugins-2026\.\d+\.\d+\/lib\/openclaw-plugins\/node_modules\/@openclaw\/slack$/);
    expect(alone.config.plugins.entries.discord, "a packaged plugin nothing loads is off").toEqual({ enabled: false });
    expect(alone.ExecStart).toMatch(/--config '?\/nix\/store\/[^ ]*-openclaw-plugins-[^ ]*\/lib\/openclaw-plugins'? '?\/var\/lib\/openclaw\/npm'?/);
    // a channel and `plugins` together: each plugin once
    const both = rendered({ plugins: ["discord"], settings: { channels: { slack, discord: { token: { _secret: "/run/dc" } } } } });
    expect(both.failed).toEqual([]);
    expect(Object.entries(both.config.plugins.entries).filter(([, v]) => (v as { enabled: boolean }).enabled).map(([k]) => k).sort()).toEqual(["discord", "slack"]);
    expect(both.config.plugins.load.paths).toHaveLength(2);
    // upstream's rule for a configured channel: `{ enabled = true; }` alone is one, `enabled = false` is off
    // (its plugin is not loaded, its entry is declared off: upstream then ignores the channel's config with a
    // warning instead of refusing an unknown channel id), `{ }` is none
    expect(rendered({ settings: { channels: { msteams: { enabled: true } } } }).config.plugins.entries.msteams).toEqual({ enabled: true });
    const off = rendered({ settings: { channels: { slack: { ...slack, enabled: false } } } });
    expect(off.failed).toEqual([]);
    expect(off.config.plugins).toEqual({ entries: { slack: { enabled: false } } });
    expect(off.ExecStart).not.toMatch(/openclaw-plugins/);
    expect(rendered({ settings: { channels: { slack: {} } } }).config.plugins ?? null).toBeNull();
  });

  it("channel plugins from Nix: a configured channel whose plugin this flake does not package is an assertion naming the option", () => {
    // every catalog plugin is packaged (nix/openclaw/plugins/catalog.json), so the plugin set stands in without slack
    const failed: string[] = evalT1(`let
      pkgs = t.pkgsFor "x86_64-linux";
      ps = pkgs.openclawPlugins;
      e = t.nixos { configuration = {
        _module.args.pkgs = t.lib.mkForce (pkgs // { openclawPlugins = removeAttrs ps [ "slack" ] // { ids = builtins.filter (i: i != "slack") ps.ids; }; });
        services.openclaw = { enable = true; settings.channels.slack.botToken._secret = "/run/slack-bot"; };
      }; };
    in e.failed`);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(/^services\.openclaw\.settings\.channels\.slack: the slack channel comes from the separately published plugin @openclaw\/slack, which this flake does not package \(packaged: buzz, .*\); install it yourself and list its folder in services\.openclaw\.settings\.plugins\.load\.paths\.$/);
  });

  it("the packaged Matrix plugin: end-to-end encryption (channel-wide or per account) is refused, naming the option and why (issue 18.6)", () => {
    const matrix = { homeserver: "https://matrix.example.org", userId: "@bot:example.org", accessToken: { _secret: "/run/matrix-token" } };
    const why = /: end-to-end encryption needs @matrix-org\/matrix-sdk-crypto-nodejs's native library to encrypt and decrypt attachments, which the packaged Matrix plugin lacks: the library is downloaded by a postinstall the Nix build does not run, .*Use unencrypted rooms \(leave it unset or false\), or bring a Matrix plugin built with the library/;
    const channelWide = failedWith({ settings: { channels: { matrix: { ...matrix, encryption: true } } } });
    expect(channelWide).toHaveLength(1);
    expect(channelWide[0]).toMatch(/^services\.openclaw\.settings\.channels\.matrix\.encryption = true: /);
    expect(channelWide[0]).toMatch(why);
    const perAccount = failedWith({ plugins: ["matrix"], settings: { channels: { matrix: { accounts: { work: { ...matrix, encryption: true }, home: { ...matrix, encryption: false } } } } } });
    expect(perAccount).toHaveLength(1);
    expect(perAccount[0]).toMatch(/^services\.openclaw\.settings\.channels\.matrix\.accounts\.work\.encryption = true: /);
    // in an instance too, with its own option path
    const instance: string[] = evalT1(`${nixos({ openclaw: { enable: true, instances: { work: { port: 18800, settings: { channels: { matrix: { ...matrix, encryption: true } } } } } } })}.failed`);
    expect(instance).toHaveLength(1);
    expect(instance[0]).toMatch(/^services\.openclaw\.instances\.work\.settings\.channels\.matrix\.encryption = true: /);
    // without encryption (unset or false) Matrix is accepted; a channel that is off loads no plugin, so nothing is refused
    expect(failedWith({ settings: { channels: { matrix } } })).toEqual([]);
    expect(failedWith({ settings: { channels: { matrix: { ...matrix, encryption: false } } } })).toEqual([]);
    expect(failedWith({ settings: { channels: { matrix: { ...matrix, encryption: true, enabled: false } } } })).toEqual([]);
  });

  it("channel plugins from Nix: `plugins` loads a plugin from the store and enables it, beside load paths of the user's own", () => {
    const r = evalT1(`let e = ${nixos({
      openclaw: { enable: true, plugins: ["discord"], settings: { channels: { discord: { token: { _secret: "/run/dc" } } }, plugins: { load: { paths: ["/srv/my-plugin"] } } } },
    })}; in { inherit (e) failed; config = builtins.fromJSON (builtins.readFile (builtins.head e.config.systemd.services.openclaw.restartTriggers)); }`);
    expect(r.failed).toEqual([]);
    const paths: string[] = r.config.plugins.load.paths;
    expect(paths).toContain("/srv/my-plugin");
    expect(paths.find((p) => /-openclaw-plugins-2026\.\d+\.\d+\/lib\/openclaw-plugins\/node_modules\/@openclaw\/discord$/.test(p))).toBeDefined();
    expect(r.config.plugins.entries.discord).toEqual({ enabled: true });
    // a plugin this flake does not package is a type error of the option
    const bad = nixEval(`let t = ${t1Harness()}; in ${nixos({ openclaw: { enable: true, plugins: ["discrod"] } })}.config.systemd.services.openclaw.serviceConfig.ExecStart`);
    expect(bad.ok).toBe(false);
    expect(bad.stderr).toMatch(/services\.openclaw\.plugins[\s\S]*one of "buzz", "clickclack", "discord", "feishu",/);
  });

  it("replaces nixpkgs' own services.openclaw module (disabledModules) instead of declaring its options twice", () => {
    // nixpkgs' module as it declares itself (services/misc/openclaw.nix: enable, package, port, auth, …)
    const tree = mkdtempSync(join(tmpdir(), "nixos-modules-"));
    mkdirSync(join(tree, "services/misc"), { recursive: true });
    writeFileSync(
      join(tree, "services/misc/openclaw.nix"),
      `{ lib, ... }: { options.services.openclaw = { enable = lib.mkEnableOption "openclaw"; auth = lib.mkOption { type = lib.types.str; default = "none"; }; }; }`,
    );
    const withTree = (extra: string) =>
      nixEval(`let t = ${t1Harness()}; e = t.nixos { modulesPath = ${nixStr(tree)}; nixpkgsModules = [ ${nixStr(join(tree, "services/misc/openclaw.nix"))} ]; configuration = { services.openclaw.enable = true; ${extra} }; }; in { inherit (e) failed; user = e.config.systemd.services.openclaw.serviceConfig.User; }`);
    const r = withTree("");
    expect(r.stderr).toBe("");
    expect(r.value).toEqual({ failed: [], user: "openclaw" });
    // the control: the same nixpkgs module next to another declaration of the option is a conflict
    const clash = nixEval(`let t = ${t1Harness()}; lib = t.lib; in (lib.evalModules { modules = [ ${nixStr(join(tree, "services/misc/openclaw.nix"))} { options.services.openclaw.enable = lib.mkEnableOption "x"; } ]; }).config.services.openclaw.enable`);
    expect(clash.ok).toBe(false);
    expect(clash.stderr).toMatch(/services\.openclaw\.enable' in .* is already declared/);
    rmSync(tree, { recursive: true, force: true });
  });

  it("runs as the system user `openclaw` the module creates; DynamicUser (user = null) is refused with the reason", () => {
    const r = evalT1(`let e = ${nixos({ openclaw: { enable: true } })}; in { inherit (e) failed; u = e.config.users.users.openclaw or null; g = e.config.users.groups ? openclaw; }`);
    expect(r.failed).toEqual([]);
    expect(r.u).toMatchObject({ isSystemUser: true, group: "openclaw" });
    expect(r.g).toBe(true);
    expect(failedWith({ user: null })[0]).toMatch(/^services\.openclaw\.user = null \(a transient DynamicUser\) cannot run OpenClaw: it opens files with openat2\(\)/);
  });
});

describe.skipIf(!t1.nixpkgsLib || !t1.homeManager)("services.openclaw: Home Manager module (T1)", () => {
  it("HM's rendered user unit and the owner's `openclaw` command", () => {
    const r = evalT1(`let e = t.homeManager { configuration = { ${hmUser} services.openclaw = ${nixJson({
      enable: true,
      environmentFiles: ["/home/alice/.config/openclaw/env"],
      settings: { channels: { telegram: { botToken: { _secret: "/home/alice/.config/openclaw/telegram-token" } } } },
    })}; }; }; in { inherit (e) failed unitFiles; packages = map (p: p.name) e.config.home.packages; cli = map (p: p.text) e.config.home.packages; }`);
    expect(r.failed).toEqual([]);
    expect(Object.keys(r.unitFiles).sort()).toEqual(["systemd/user/default.target.wants/openclaw.service", "systemd/user/openclaw.service"]);
    const unit: string = r.unitFiles["systemd/user/openclaw.service"];
    expect(unitValues(unit, "Service", "TimeoutStopSec")).toEqual(["330s"]);
    expect(unitValues(unit, "Service", "KillMode")).toEqual(["mixed"]);
    const env = unitValues(unit, "Service", "Environment");
    expect(env).toContain('"OPENCLAW_STATE_DIR=/home/alice/.openclaw"');
    expect(env).toContain('"OPENCLAW_CONFIG_PATH=/home/alice/.openclaw/openclaw.json"');
    expect(env).toContain('"TMPDIR=/home/alice/.cache/openclaw/tmp"');
    const [exec] = unitValues(unit, "Service", "ExecStart");
    expect(exec).toContain("--secret OPENCLAW_SECRET_CHANNELS_TELEGRAM_BOT_TOKEN /home/alice/.config/openclaw/telegram-token");
    expect(exec).toContain("--token OPENCLAW_GATEWAY_TOKEN /home/alice/.openclaw/gateway-token");
    expect(r.packages).toEqual(["openclaw"]);
    expect(r.cli[0]).toContain("--secret OPENCLAW_GATEWAY_TOKEN /home/alice/.openclaw/gateway-token");
    expect(r.cli[0]).toMatch(/-openclaw-gateway-2026\.\d+\.\d+\/bin\/openclaw "\$@"\n$/);
  });

  it("launchd agent on macOS: upstream's label, logs in ~/Library/Logs", () => {
    const r = evalT1(`let e = t.homeManager { system = "aarch64-darwin"; configuration = { home.username = "alice"; home.homeDirectory = "/Users/alice"; services.openclaw.enable = true; }; };
      in { inherit (e) failed plists; }`);
    expect(r.failed).toEqual([]);
    const plist: string = r.plists["ai.openclaw.gateway.plist"];
    expect(plist).toMatch(/<key>StandardOutPath<\/key>\s*<string>\/Users\/alice\/Library\/Logs\/openclaw-gateway\.log<\/string>/);
    expect(plist).toMatch(/<key>OPENCLAW_NIX_MODE<\/key>\s*<string>1<\/string>/);
    // launchd waits as long as systemd does for OpenClaw's drain (its default is 20 s)
    expect(plist).toMatch(/<key>ExitTimeOut<\/key>\s*<integer>330<\/integer>/);
  });
});

describe.skipIf(!t1.nixpkgsLib)("services.openclaw: nix-darwin module (T1)", () => {
  it("a launchd user agent of the primary user, beside services.clawdbot", () => {
    const r = evalT1(`let e = t.darwin { configuration = { system.primaryUser = "alice"; services.openclaw.enable = true; services.clawdbot = { enable = true; port = 18800; }; }; };
      in { inherit (e) failed; a = e.config.launchd.user.agents; }`);
    expect(r.failed).toEqual([]);
    expect(Object.keys(r.a).sort()).toEqual(["clawdbot", "openclaw"]);
    expect(r.a.openclaw.serviceConfig).toMatchObject({ Label: "ai.openclaw.gateway", KeepAlive: true, RunAtLoad: true });
    expect(r.a.openclaw.serviceConfig.EnvironmentVariables).toMatchObject({ OPENCLAW_STATE_DIR: "/Users/alice/.openclaw" });
  });
});
