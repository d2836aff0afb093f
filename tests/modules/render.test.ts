// The modules' rendering (modules/lib/) evaluated with nixpkgs' real lib and option values (tests/support/nix): config file,
// environment, ExecStart, credentials and every assertion message, for the configurations of issue 4.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { announceSkip, renderSkip } from "../support/nix.js";
import { crossFailures, FAKE_PACKAGE, renderHm, renderNixos, unitValues } from "./support.js";

// nixpkgs' real lib (../shared/t1) is the lowest tier for Nix: without it this is a loud SKIP
const noNix = renderSkip();
announceSkip("modules rendering (T0)", noNix);

const config = (text: string): Record<string, any> => JSON.parse(text) as Record<string, any>;

describe.skipIf(!!noNix)("modules/lib rendering (T0)", () => {
  it("single instance: Nix mode, explicit paths, gateway.mode local, loopback, token auth, no credentials", () => {
    const r = renderNixos();
    expect(r.failed).toEqual([]);
    expect(r.unitName).toBe("clawdbot.service");
    expect(config(r.configText)).toEqual({
      gateway: { mode: "local", port: 18789, bind: "loopback", auth: { mode: "token" } },
      logging: { file: "/var/lib/clawdbot/logs/gateway.log" },
      browser: { enabled: false },
      canvasHost: { enabled: false },
    });
    expect(r.environment).toEqual({
      CLAWDBOT_NIX_MODE: "1",
      CLAWDBOT_STATE_DIR: "/var/lib/clawdbot",
      CLAWDBOT_CONFIG_PATH: "/var/lib/clawdbot/clawdbot.json",
      CLAWDBOT_NO_RESPAWN: "1",
      CLAWDBOT_DISABLE_BONJOUR: "1",
      HOME: "/var/lib/clawdbot",
      TMPDIR: "/var/cache/clawdbot/tmp",
    });
    expect(r.credentials).toEqual([]);
    expect(r.argv.slice(0, 2)).toEqual(["/bin/sh", r.launcher]);
    expect(r.argv.slice(r.argv.indexOf("--"))).toEqual([
      "--",
      `${FAKE_PACKAGE}/bin/clawdbot`,
      "gateway",
      "--port",
      "18789",
      "--bind",
      "loopback",
    ]);
    // the launcher links the store config at configPath at every start
    const i = r.argv.indexOf("--config");
    expect(r.argv.slice(i + 1, i + 3)).toEqual([r.configFile, "/var/lib/clawdbot/clawdbot.json"]);
    expect(r.configFile).toMatch(/^\/nix\/store\/[a-z0-9]{32}-clawdbot\.json$/);
    expect(r.argv).toContain(`${FAKE_PACKAGE}/share/clawdbot/jiti-cache`);
    // the unit
    expect(unitValues(r.unitText, "Install", "WantedBy")).toEqual(["multi-user.target"]);
    expect(unitValues(r.unitText, "Service", "Restart")).toEqual(["on-failure"]);
    expect(unitValues(r.unitText, "Service", "DynamicUser")).toEqual(["true"]);
    expect(unitValues(r.unitText, "Service", "StateDirectory")).toEqual(["clawdbot"]);
    expect(unitValues(r.unitText, "Service", "CacheDirectory")).toEqual(["clawdbot"]);
    expect(unitValues(r.unitText, "Service", "MemoryDenyWriteExecute")).toEqual(["false"]);
    expect(unitValues(r.unitText, "Service", "SystemCallFilter")).toContain("@system-service");
    // NixOS writes the triggers into a store file (X-Restart-Triggers-<name>) and names that file
    const [triggers] = unitValues(r.unitText, "Unit", "X-Restart-Triggers");
    expect(triggers).toMatch(/^\/nix\/store\/[a-z0-9]{32}-X-Restart-Triggers-clawdbot$/);
    expect(readFileSync(triggers!, "utf8")).toBe(r.configFile);
    expect(unitValues(r.unitText, "Service", "Environment")).toContain('"CLAWDBOT_NIX_MODE=1"');
    expect(unitValues(r.unitText, "Service", "ExecStart")).toEqual([r.execStart]);
    expect(r.unitText).not.toMatch(/^ExecStart=.*\s\/bin\/(?!sh\s)/m);
  });

  it("two instances: distinct units, state, cache and config; ports 5 apart accepted, closer ones refused", () => {
    const a = renderNixos();
    const b = renderNixos({ name: "work", options: { port: 18800 } });
    expect(b.unitName).toBe("clawdbot-work.service");
    expect(b.environment.CLAWDBOT_STATE_DIR).toBe("/var/lib/clawdbot-work");
    expect(b.environment.TMPDIR).toBe("/var/cache/clawdbot-work/tmp");
    expect(b.environment.CLAWDBOT_CONFIG_PATH).toBe("/var/lib/clawdbot-work/clawdbot.json");
    expect(b.configFile).not.toBe(a.configFile);
    expect(b.configFile).toMatch(/-clawdbot-work\.json$/);
    expect(unitValues(b.unitText, "Service", "StateDirectory")).toEqual(["clawdbot-work"]);
    expect(config(b.configText).gateway.port).toBe(18800);
    expect(crossFailures([{}, { name: "work", options: { port: 18794 } }])).toEqual([]);
    expect(crossFailures([{}, { name: "work", options: { port: 18792 } }])).toEqual([
      "services.clawdbot.instances.work.port = 18792 collides with services.clawdbot.port = 18789: each gateway uses its port and the next four (browser control on +2 and +3, canvas on +4). Choose ports at least 5 apart.",
    ]);
    expect(
      crossFailures([
        { name: "a", options: { port: 20000, stateDir: "/var/lib/cb" } },
        { name: "b", options: { port: 21000, stateDir: "/var/lib/cb" } },
      ]),
    ).toEqual([
      'services.clawdbot.instances.b.stateDir and services.clawdbot.instances.a.stateDir are both "/var/lib/cb": every instance needs its own state directory.',
      'services.clawdbot.instances.b.configPath and services.clawdbot.instances.a.configPath are both "/var/lib/cb/clawdbot.json": every instance needs its own config file.',
    ]);
  });

  it("lan + tokenFile: token auth rendered, the token reaches the gateway through LoadCredential only", () => {
    const r = renderNixos({ options: { bind: "lan", auth: { mode: "token", tokenFile: "/run/agenix/clawdbot-token" } } });
    expect(r.failed).toEqual([]);
    expect(config(r.configText).gateway).toEqual({ mode: "local", port: 18789, bind: "lan", auth: { mode: "token" } });
    expect(r.credentials).toEqual([{ name: "CLAWDBOT_GATEWAY_TOKEN", file: "/run/agenix/clawdbot-token" }]);
    expect(unitValues(r.unitText, "Service", "LoadCredential")).toEqual([
      "CLAWDBOT_GATEWAY_TOKEN:/run/agenix/clawdbot-token",
    ]);
    const i = r.argv.indexOf("--credential");
    expect(r.argv.slice(i, i + 3)).toEqual(["--credential", "CLAWDBOT_GATEWAY_TOKEN", "CLAWDBOT_GATEWAY_TOKEN"]);
    expect(r.argv.slice(-2)).toEqual(["--bind", "lan"]);
  });

  it("secrets in settings: every { _secret } becomes a ${CLAWDBOT_SECRET_…} reference and a credential", () => {
    const r = renderNixos({
      options: {
        settings: {
          channels: { telegram: { botToken: { _secret: "/run/secrets/tg" }, dmPolicy: "pairing" } },
          talk: { apiKey: { _secret: "/run/secrets/talk" } },
          models: { providers: { "my-llm": { baseUrl: "https://x.invalid", apiKey: { _secret: "/run/secrets/llm" }, models: [] } } },
          env: { vars: { SOME_KEY: { _secret: "/run/secrets/some" } } },
        },
      },
    });
    expect(r.failed).toEqual([]);
    const c = config(r.configText);
    expect(c.channels.telegram.botToken).toBe("${CLAWDBOT_SECRET_CHANNELS_TELEGRAM_BOT_TOKEN}");
    expect(c.talk.apiKey).toBe("${CLAWDBOT_SECRET_TALK_API_KEY}");
    expect(c.models.providers["my-llm"].apiKey).toBe("${CLAWDBOT_SECRET_MODELS_PROVIDERS_MY_LLM_API_KEY}");
    expect(c.env.vars.SOME_KEY).toBe("${CLAWDBOT_SECRET_ENV_VARS_SOME_KEY}");
    expect(r.configText).not.toContain("/run/secrets");
    expect(r.credentials).toEqual(
      expect.arrayContaining([
        { name: "CLAWDBOT_SECRET_CHANNELS_TELEGRAM_BOT_TOKEN", file: "/run/secrets/tg" },
        { name: "CLAWDBOT_SECRET_TALK_API_KEY", file: "/run/secrets/talk" },
        { name: "CLAWDBOT_SECRET_MODELS_PROVIDERS_MY_LLM_API_KEY", file: "/run/secrets/llm" },
        { name: "CLAWDBOT_SECRET_ENV_VARS_SOME_KEY", file: "/run/secrets/some" },
      ]),
    );
    expect(r.credentials).toHaveLength(4);
    // a configured channel is enabled explicitly, so the gateway never rewrites the file at start
    expect(c.plugins).toEqual({ entries: { telegram: { enabled: true } } });
    // Home Manager: the launcher reads the files itself
    const hm = renderHm({ options: { settings: { channels: { telegram: { botToken: { _secret: "/home/alice/.tg" } } } } } });
    const i = hm.argv.indexOf("--secret");
    expect(hm.argv.slice(i, i + 3)).toEqual(["--secret", "CLAWDBOT_SECRET_CHANNELS_TELEGRAM_BOT_TOKEN", "/home/alice/.tg"]);
    expect(hm.unitText).not.toContain("LoadCredential");
  });

  it("secrets inside lists get index-stable names", () => {
    const r = renderNixos({
      options: { settings: { agents: { list: [{ id: "a" }, { id: "b", memorySearch: { remote: { apiKey: { _secret: "/run/k" } } } }] } } },
    });
    expect(config(r.configText).agents.list[1].memorySearch.remote.apiKey).toBe(
      "${CLAWDBOT_SECRET_AGENTS_LIST_1_MEMORY_SEARCH_REMOTE_API_KEY}",
    );
  });

  it("nulls are stripped recursively, user logging.file kept, workspace rendered; a conflicting port is refused", () => {
    const r = renderNixos({
      options: {
        workspace: "/var/lib/clawdbot/work",
        settings: {
          logging: { file: "/var/log/custom.log", level: null },
          gateway: { controlUi: { enabled: null, basePath: "/ui" } },
          // a list element's unset options are null (the typed settings give every one of them)
          agents: { list: [{ id: "main", name: null }] },
        },
      },
    });
    expect(r.failed).toEqual([]);
    const c = config(r.configText);
    expect(c.logging).toEqual({ file: "/var/log/custom.log" });
    expect(c.gateway).toEqual({ mode: "local", port: 18789, bind: "loopback", auth: { mode: "token" }, controlUi: { basePath: "/ui" } });
    expect(c.agents).toEqual({ list: [{ id: "main" }], defaults: { workspace: "/var/lib/clawdbot/work" } });
    expect(r.argv).toContain("/var/lib/clawdbot/work");
    expect(renderNixos({ options: { settings: { gateway: { port: 1 } } } }).failed[0]).toMatch(
      /^services\.clawdbot\.settings\.gateway\.port = 1 conflicts with services\.clawdbot\.port = 18789/,
    );
  });

  it("logFile = null leaves logging to the gateway; heapMiB, bonjour, environment, extraArgs", () => {
    const r = renderNixos({
      options: { logFile: null, memory: { heapMiB: 768, max: "1G" }, bonjour: true, environment: { FOO: "bar baz" }, extraArgs: ["--verbose"] },
    });
    expect(config(r.configText).logging).toBeUndefined();
    expect(r.environment.NODE_OPTIONS).toBe("--max-old-space-size=768");
    expect(r.environment.CLAWDBOT_DISABLE_BONJOUR).toBeUndefined();
    expect(r.environment.FOO).toBe("bar baz");
    expect(unitValues(r.unitText, "Service", "Environment")).toContain('"FOO=bar baz"');
    expect(unitValues(r.unitText, "Service", "MemoryMax")).toEqual(["1G"]);
    expect(r.argv.at(-1)).toBe("--verbose");
  });

  it("plugin auto-enable: allowlist extended, explicit false and deny respected, provider plugins enabled", () => {
    const r = renderNixos({
      options: {
        settings: {
          channels: { telegram: { dmPolicy: "pairing" }, discord: { enabled: false }, slack: { groupPolicy: "open" }, defaults: { groupPolicy: "open" } },
          plugins: { allow: ["telegram"], deny: ["slack"], entries: { discord: { enabled: false } } },
          agents: { defaults: { model: { primary: "google-antigravity/gemini-3" } } },
        },
      },
    });
    const c = config(r.configText);
    expect(c.plugins.entries).toEqual({
      telegram: { enabled: true },
      discord: { enabled: false },
      "google-antigravity-auth": { enabled: true },
    });
    expect(c.plugins.allow).toEqual(["telegram", "google-antigravity-auth"]);
  });

  it("Home Manager user unit: WantedBy=default.target, X-Restart-Triggers, environment files through systemd", () => {
    const r = renderHm({ options: { environmentFiles: ["/home/alice/.config/clawdbot.env"] } });
    expect(r.failed).toEqual([]);
    expect(unitValues(r.unitText, "Install", "WantedBy")).toEqual(["default.target"]);
    // Home Manager names the trigger itself (sd-switch compares the unit files)
    expect(unitValues(r.unitText, "Unit", "X-Restart-Triggers")).toEqual([r.configFile]);
    expect(unitValues(r.unitText, "Service", "Restart")).toEqual(["on-failure"]);
    expect(unitValues(r.unitText, "Service", "EnvironmentFile")).toEqual(["/home/alice/.config/clawdbot.env"]);
    expect(r.environment).toMatchObject({
      HOME: "/home/alice",
      CLAWDBOT_STATE_DIR: "/home/alice/.clawdbot",
      CLAWDBOT_CONFIG_PATH: "/home/alice/.clawdbot/clawdbot.json",
      TMPDIR: "/home/alice/.cache/clawdbot/tmp",
    });
    expect(r.unitText.startsWith("[Install]\n")).toBe(true);
  });

  it("launchd agent (macOS): KeepAlive, RunAtLoad, logs under ~/Library/Logs, env files read by the launcher", () => {
    const r = renderHm({ darwin: true, home: "/Users/alice", system: "aarch64-darwin", options: { environmentFiles: ["/Users/alice/.clawdbot.env"] } });
    expect(r.failed).toEqual([]);
    expect(r.agent).toMatchObject({
      Label: "org.clawdbot.gateway",
      KeepAlive: true,
      RunAtLoad: true,
      StandardOutPath: "/Users/alice/Library/Logs/clawdbot-gateway.log",
      StandardErrorPath: "/Users/alice/Library/Logs/clawdbot-gateway.log",
      ProgramArguments: r.argv,
      EnvironmentVariables: r.environment,
    });
    expect(r.environment.TMPDIR).toBe("/Users/alice/Library/Caches/clawdbot/tmp");
    const i = r.argv.indexOf("--env-file");
    expect(r.argv.slice(i, i + 2)).toEqual(["--env-file", "/Users/alice/.clawdbot.env"]);
  });
});

describe.skipIf(!!noNix)("assertion messages (T0)", () => {
  const failed = (options: Record<string, unknown>, extra: Record<string, unknown> = {}): string[] =>
    renderNixos({ options, ...extra }).failed;

  it("non-loopback bind without authentication", () => {
    const lanNone = failed({ bind: "lan", auth: { mode: "none" } });
    expect(lanNone).toHaveLength(1);
    expect(lanNone[0]).toMatch(/^services\.clawdbot\.bind = "lan" requires authentication: services\.clawdbot\.auth\.mode = "token"/);
    // token auth needs no file: the launcher generates the token
    expect(failed({ bind: "lan", auth: { mode: "token" } })).toEqual([]);
    expect(failed({ bind: "tailnet", auth: { mode: "password", passwordFile: "/run/pw" } })).toEqual([]);
    expect(failed({ bind: "auto", auth: { mode: "token" }, settings: { gateway: { auth: { token: { _secret: "/run/t" } } } } })).toEqual([]);
    expect(renderNixos({ name: "lab", options: { bind: "lan", port: 19000, auth: { mode: "none" } } }).failed[0]).toMatch(
      /^services\.clawdbot\.instances\.lab\.bind = "lan" requires authentication: services\.clawdbot\.instances\.lab\.auth\.mode/,
    );
  });

  it("a gateway key in settings that the service options own, or a remote-mode config", () => {
    expect(failed({ port: 18789, settings: { gateway: { port: 19000, bind: "lan" } } })).toEqual([
      "services.clawdbot.settings.gateway.port = 19000 conflicts with services.clawdbot.port = 18789: the service options own the gateway's port, bind and auth mode. Set services.clawdbot.port and remove the settings key.\n" +
        'services.clawdbot.settings.gateway.bind = "lan" conflicts with services.clawdbot.bind = "loopback": the service options own the gateway\'s port, bind and auth mode. Set services.clawdbot.bind and remove the settings key.',
    ]);
    expect(failed({ settings: { gateway: { mode: "remote" } } })).toEqual([
      'services.clawdbot.settings.gateway.mode = "remote": this service runs a local gateway (gateway.mode = "local"). A remote-mode config is for a CLI that talks to another gateway.',
    ]);
    // the same values in both places are fine
    expect(failed({ port: 19000, settings: { gateway: { port: 19000, mode: "local", bind: "loopback" } } })).toEqual([]);
  });

  it('bind = "custom"', () => {
    expect(failed({ bind: "custom", auth: { mode: "token", tokenFile: "/run/t" } })).toEqual([
      'services.clawdbot.bind = "custom" is not usable with this gateway version (clawdbot 2026.1.24-3 rejects gateway.customBindHost in its config schema). Use "loopback", "lan", "tailnet" or "auto".',
    ]);
  });

  it("password auth without its secret", () => {
    expect(failed({ auth: { mode: "password" } })[0]).toMatch(/^services\.clawdbot\.auth\.mode = "password" requires services\.clawdbot\.auth\.passwordFile/);
    expect(failed({ auth: { mode: "password" }, settings: { gateway: { auth: { password: { _secret: "/run/pw" } } } } })).toEqual([]);
  });

  it("token auth without a token file: generated at the first start in the state directory, used by the CLI", () => {
    for (const [render, stateDir] of [
      [renderNixos, "/var/lib/clawdbot"],
      [renderHm, "/home/alice/.clawdbot"],
    ] as const) {
      const r = render({ options: { auth: { mode: "token" } } });
      expect(r.failed).toEqual([]);
      const i = r.argv.indexOf("--token");
      expect(i, "the launcher generates/reads the token").toBeGreaterThan(0);
      expect(r.argv.slice(i + 1, i + 3)).toEqual(["CLAWDBOT_GATEWAY_TOKEN", `${stateDir}/gateway-token`]);
      expect(r.credentials).toEqual([]);
      expect(JSON.parse(r.configText).gateway.auth).toEqual({ mode: "token" });
    }
    // a token file or a token in settings: nothing is generated
    expect(renderNixos({ options: { auth: { mode: "token", tokenFile: "/run/keys/t" } } }).argv).not.toContain("--token");
    expect(renderNixos({ options: { auth: { mode: "token" }, settings: { gateway: { auth: { token: { _secret: "/run/t" } } } } } }).argv).not.toContain("--token");
    expect(renderNixos({ options: { auth: { mode: "none" } } }).argv).not.toContain("--token");
  });

  it("exposure routes: tailscale serve/funnel, trusted proxies, remote browser control, owned flags in extraArgs", () => {
    const none = { mode: "none" };
    expect(failed({ auth: none, settings: { gateway: { tailscale: { mode: "serve" } } } }).join("\n")).toMatch(
      /gateway\.tailscale\.mode = "serve" with services\.clawdbot\.auth\.mode = "none"/,
    );
    expect(failed({ settings: { gateway: { tailscale: { mode: "serve" } } } })).toEqual([]);
    expect(failed({ settings: { gateway: { tailscale: { mode: "funnel" } } } }).join("\n")).toMatch(/requires services\.clawdbot\.auth\.mode = "password"/);
    expect(failed({ bind: "lan", settings: { gateway: { tailscale: { mode: "serve" } } } }).join("\n")).toMatch(/needs services\.clawdbot\.bind = "loopback"/);
    expect(failed({ auth: none, settings: { gateway: { trustedProxies: ["10.0.0.1"] } } }).join("\n")).toMatch(/trustedProxies is set with services\.clawdbot\.auth\.mode = "none"/);
    expect(failed({ settings: { gateway: { trustedProxies: ["10.0.0.1"] } } })).toEqual([]);
    expect(failed({ settings: { browser: { controlUrl: "http://10.1.2.3:18791" } } }).join("\n")).toMatch(/browser\.controlUrl points at 10\.1\.2\.3/);
    expect(failed({ settings: { browser: { controlUrl: "http://127.0.0.1:18791" } } })).toEqual([]);
    expect(failed({ settings: { browser: { controlUrl: "http://box:18791", controlToken: { _secret: "/run/b" } } } })).toEqual([]);
    for (const args of [["--token", "abc"], ["--token=abc"], ["--password", "pw"], ["--bind", "lan"], ["--port=1"], ["--auth", "none"]]) {
      expect(failed({ extraArgs: args }).join("\n"), args.join(" ")).toMatch(/^services\.clawdbot\.extraArgs: "--(token|password|bind|port|auth)[^"]*" is a flag the service options own/m);
    }
    expect(failed({ extraArgs: ["--verbose"] })).toEqual([]);
  });

  it("secret and environment files: the store check folds //, /./, /../ and knows /etc/static; paths are absolute", () => {
    // (nixpkgs' types.externalPath, the options' type, refuses only a store path's own name: these pass it)
    for (const file of ["/nix//store/abc-token", "//nix/store/abc-token", "/nix/./store/abc-token", "/run/../nix/store/abc-token", "/etc/static/clawdbot-token", "/nix/store/"]) {
      expect(failed({ auth: { mode: "token", tokenFile: file } }).join("\n"), file).toMatch(/must not be in the Nix store/);
      expect(failed({ environmentFiles: [`-${file}`] }).join("\n"), file).toMatch(/environmentFiles = .* must not be in the Nix store/);
    }
    // links into the store: a profile, the current system, /etc's static links, a .nix-profile
    for (const file of ["/run/current-system/sw/share/token", "/run/booted-system/etc/t", "/nix/var/nix/profiles/system/t", "/etc/profiles/per-user/alice/t", "/home/alice/.nix-profile/secret", "/root/.nix-profile/"]) {
      expect(failed({ auth: { mode: "token", tokenFile: file } }).join("\n"), file).toMatch(/must not be in the Nix store or behind a link into it/);
    }
    for (const file of ["/nix/storefront/t", "/run/current-systemd/t", "/home/alice/nix-profile/t"]) expect(failed({ auth: { mode: "token", tokenFile: file } }), file).toEqual([]);
    // a newline in a path: the launcher's lists are newline-separated
    expect(failed({ settings: { channels: { telegram: { botToken: { _secret: "/run/a\n/run/b" } } } } })).toEqual([
      'services.clawdbot.settings.channels.telegram.botToken._secret = "/run/a\\n/run/b": a secret or environment file path must not contain a newline.',
    ]);
    expect(failed({ environmentFiles: ["/run/env\n"] }).join("\n")).toContain("services.clawdbot.environmentFiles = \"/run/env\\n\": a secret or environment file path must not contain a newline.");
    // a relative path: the option types refuse it, naming the option
    expect(() => failed({ settings: { channels: { telegram: { botToken: { _secret: "secrets/tg" } } } } })).toThrow(
      /settings\.channels\.telegram\.botToken\._secret' is not of type `absolute path not in the Nix store'/,
    );
  });

  it("a ${VAR} the config references must have a value at start: the launcher checks it ($${VAR} is an escape)", () => {
    const r = renderNixos({
      options: {
        settings: {
          agents: { defaults: { model: { primary: "${MODEL}" } } },
          messages: { responsePrefix: "$${NOT_A_REF} ${PREFIX} ${MODEL}" },
          channels: { telegram: { botToken: { _secret: "/run/tg" } } },
        },
      },
    });
    const required = r.argv.flatMap((a, i) => (r.argv[i - 1] === "--require-env" ? [a] : []));
    // secrets come from the launcher itself and are not listed
    expect(required.sort()).toEqual(["MODEL", "PREFIX"]);
  });

  it("paths outside the state directory (NixOS): refused with DynamicUser, made writable for a real user", () => {
    const outside = failed({ workspace: "/srv/clawd", logFile: "/var/log/clawdbot/gateway.log" });
    expect(outside.join("\n")).toMatch(
      /services\.clawdbot\.workspace, services\.clawdbot\.logFile are outside services\.clawdbot\.stateDir = "\/var\/lib\/clawdbot".*set services\.clawdbot\.user/,
    );
    expect(failed({ workspace: "/var/lib/clawdbot/workspace" })).toEqual([]);
    const r = renderNixos({ options: { user: "alice", workspace: "/srv/clawd", logFile: "/home/alice/logs/gw.log" } });
    expect(r.failed).toEqual([]);
    expect(unitValues(r.unitText, "Service", "ReadWritePaths")).toEqual(["/srv/clawd"]);
    expect(unitValues(r.unitText, "Service", "BindPaths")).toEqual(["/home/alice/logs"]);
    expect(unitValues(r.unitText, "Service", "ProtectHome")).toEqual(["tmpfs"]);
  });

  it("paths outside the state directory never take a folder the system or another user needs (NixOS tmpfiles)", () => {
    // `d /var/log 0700 clawdbot clawdbot` gave root's /var/log to the service (real systemd-tmpfiles did)
    expect(failed({ user: "alice", logFile: "/var/log/clawdbot.log" })).toEqual([
      'services.clawdbot.logFile = "/var/log/clawdbot.log": the service would take over /var/log (systemd-tmpfiles gives the folder to the service\'s user, mode 0700, and the unit may write all of it). Use a folder of the gateway\'s own, e.g. services.clawdbot.logFile = "/var/log/clawdbot/clawdbot.log".',
    ]);
    expect(failed({ user: "alice", workspace: "/etc" }).join("\n")).toContain('services.clawdbot.workspace = "/etc": the service would take over /etc');
    expect(failed({ user: "alice", workspace: "/etc" }).join("\n")).toContain('e.g. services.clawdbot.workspace = "/var/lib/clawdbot"');
    expect(failed({ user: "alice", workspace: "/home/alice" }).join("\n")).toContain("the service would take over /home/alice");
    for (const dir of ["/", "/var", "/var/lib", "/var/lib/", "/var/log/../lib", "/home", "/run", "/nix", "/nix/store/x", "/srv", "/root", "/tmp", "/usr/share/x", "/Users/alice"]) {
      expect(failed({ user: "alice", workspace: dir }).join("\n"), dir).toMatch(/the service would take over/);
    }
    // the config follows the state directory by default: both are named, with a leaf for each
    expect(failed({ user: "alice", stateDir: "/var/lib" }).join("\n")).toContain(
      'services.clawdbot.stateDir = "/var/lib", services.clawdbot.configPath = "/var/lib/clawdbot.json": the service would take over /var/lib',
    );
    // the instance's own leaves are fine
    for (const options of [{ workspace: "/srv/clawd" }, { logFile: "/var/log/clawdbot/gateway.log" }, { workspace: "/home/alice/clawd" }, { stateDir: "/srv/clawdbot" }]) {
      expect(failed({ user: "alice", ...options }), JSON.stringify(options)).toEqual([]);
    }
  });

  it("a literal secret at a sensitive path, unless allowInlineSecrets; ${VAR} references are fine", () => {
    const settings = { channels: { telegram: { botToken: "123:abc" } }, gateway: { auth: { token: "hunter2" } } };
    expect(failed({ auth: { mode: "token" }, settings })).toEqual([
      'services.clawdbot.settings.channels.telegram.botToken, services.clawdbot.settings.gateway.auth.token hold literal secrets, which would be written to the world-readable Nix store. Use { _secret = "/run/secrets/…"; } (a file read at service start) or a "${NAME}" reference with services.clawdbot.environmentFiles; set services.clawdbot.allowInlineSecrets = true to accept the risk.',
    ]);
    expect(failed({ auth: { mode: "token" }, settings, allowInlineSecrets: true })).toEqual([]);
    expect(failed({ settings: { channels: { telegram: { botToken: "${TG_TOKEN}" } } } })).toEqual([]);
    // wildcard paths: accounts of a channel are "*"
    expect(failed({ settings: { talk: { apiKey: "sk-1" } } })[0]).toMatch(/^services\.clawdbot\.settings\.talk\.apiKey holds a literal secret/);
  });

  it("a secret file in the Nix store", () => {
    // a store path is refused by the options' type (nixpkgs' types.externalPath), naming the option
    expect(() => failed({ auth: { mode: "token", tokenFile: "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-token" } })).toThrow(
      /auth\.tokenFile' is not of type `null or absolute path not in the Nix store'/,
    );
    expect(() => failed({ settings: { talk: { apiKey: { _secret: "/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-key" } } } })).toThrow(
      /settings\.talk\.apiKey\._secret' is not of type `absolute path not in the Nix store'/,
    );
    // a link into the store, and environment files (their "-" prefix keeps them strings), by the module's check
    expect(
      failed({
        auth: { mode: "token", tokenFile: "/run/current-system/sw/share/token" },
        settings: { talk: { apiKey: { _secret: "/etc/static/key" } } },
        environmentFiles: ["/nix/store/cccccccccccccccccccccccccccccccc-env"],
      }),
    ).toEqual([
      'services.clawdbot.auth.tokenFile = "/run/current-system/sw/share/token", services.clawdbot.settings.talk.apiKey._secret = "/etc/static/key", services.clawdbot.environmentFiles = "/nix/store/cccccccccccccccccccccccccccccccc-env": secret files must not be in the Nix store or behind a link into it (/nix/store, /nix/var/nix/profiles, /etc/static, /etc/profiles, /run/current-system, /run/booted-system, a .nix-profile), which every local user can read. Keep them outside (e.g. /run/agenix/…, /run/secrets/…) and pass the path as a string, not a Nix path literal.',
    ]);
  });

  it("a tool without a release on this system, and an unknown tool", () => {
    expect(failed({ tools: ["gogcli", "imsg"] }, { system: "x86_64-linux" })).toEqual([
      'services.clawdbot.tools: "imsg" has no release for x86_64-linux. Remove it from services.clawdbot.tools on this system, or pin a release in nix/tools/lock.json. Tools with a release for x86_64-linux: camsnap, discrawl, gogcli, goplaces, sag, sonoscli, wacrawl.',
    ]);
    expect(failed({ tools: ["imsg"] }, { system: "aarch64-darwin" })).toEqual([]);
    expect(failed({ tools: ["nope"] })[0]).toMatch(/^services\.clawdbot\.tools: unknown tool "nope"\. Known tools: camsnap, /);
  });

  it("a state directory outside /var/lib needs a real user on NixOS", () => {
    expect(failed({ stateDir: "/srv/clawdbot" })).toEqual([
      'services.clawdbot.stateDir = "/srv/clawdbot" is outside /var/lib, which systemd\'s StateDirectory= (used with DynamicUser) cannot manage. Set services.clawdbot.user to a user that owns that directory, or keep the default.',
    ]);
    const r = renderNixos({ options: { stateDir: "/srv/clawdbot", user: "clawdbot" } });
    expect(r.failed).toEqual([]);
    expect(unitValues(r.unitText, "Service", "ReadWritePaths")).toEqual(["/srv/clawdbot"]);
    expect(unitValues(r.unitText, "Service", "User")).toEqual(["clawdbot"]);
  });
});

const analyze = spawnSync("systemd-analyze", ["--version"]).status === 0 ? undefined : "systemd-analyze is not installed (apt-get install systemd)";
announceSkip("systemd-analyze security of the rendered NixOS unit", noNix ?? analyze);

describe.skipIf(!!(noNix ?? analyze))("hardening of the rendered NixOS unit (systemd-analyze security --offline)", () => {
  it("has an exposure of 2.5 or less", () => {
    const r = renderNixos({ options: { bind: "lan", auth: { mode: "token", tokenFile: "/run/keys/t" } } });
    const dir = mkdtempSync(join(tmpdir(), "clawdbot-unit-"));
    try {
      const file = join(dir, "clawdbot.service");
      writeFileSync(file, r.unitText);
      const out = spawnSync("systemd-analyze", ["security", "--offline=true", "--no-pager", file], { encoding: "utf8", timeout: 60_000 });
      const m = /Overall exposure level for clawdbot\.service: (\d+(?:\.\d+)?)/.exec(out.stdout + out.stderr);
      expect(m, out.stdout + out.stderr).not.toBeNull();
      const exposure = Number(m![1]);
      console.log(`systemd-analyze security --offline: clawdbot.service exposure ${exposure}`);
      expect(exposure).toBeLessThanOrEqual(2.5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("systemd-analyze verify finds nothing to say about the NixOS unit and the Home Manager user unit", () => {
    const dir = mkdtempSync(join(tmpdir(), "clawdbot-verify-"));
    try {
      const system = renderNixos({
        options: { bind: "lan", auth: { mode: "token", tokenFile: "/run/keys/t" }, environmentFiles: ["/run/keys/env"], memory: { max: "1G" } },
      });
      const user = renderHm({ home: "/root", options: { environmentFiles: ["/root/.clawdbot.env"] } });
      mkdirSync(join(dir, "system"));
      mkdirSync(join(dir, "user"));
      mkdirSync(join(dir, "runtime"), { mode: 0o700 });
      writeFileSync(join(dir, "system", "clawdbot.service"), system.unitText);
      writeFileSync(join(dir, "user", "clawdbot.service"), user.unitText);
      for (const [args, file] of [
        [[], join(dir, "system", "clawdbot.service")],
        [["--user"], join(dir, "user", "clawdbot.service")],
      ] as const) {
        const out = spawnSync("systemd-analyze", ["verify", ...args, file], {
          encoding: "utf8",
          timeout: 60_000,
          env: { ...process.env, XDG_RUNTIME_DIR: join(dir, "runtime") },
        });
        expect(out.status, out.stderr).toBe(0);
        // warnings (unknown keys, unparsable values) only show up as output
        expect((out.stdout + out.stderr).trim(), file).toBe("");
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
