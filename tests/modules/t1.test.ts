// T1: the real modules (modules/nixos.nix, home-manager.nix, darwin.nix) evaluated with real nixpkgs `lib`
// and, for Home Manager, HM's own modules/systemd.nix and modules/launchd/ — over a minimal `pkgs` made of
// builtins (tests/fixtures/modules/t1/eval.nix). Asserts on HM's own rendered unit text and plist, on
// `systemd.services.clawdbot*`, the assertion messages through the module system, the README examples,
// migration renames and rollback. Skipped loudly only when the T1 sources are missing (../shared/t1 or CLAWDBOT_T1_*).
import { describe, expect, it } from "vitest";
import { announceSkip, nixStr, t1Sources } from "../support/nix.js";
import { evalT1, evalT1Error, nixEval, nixJson, t1Harness, unitValues } from "./support.js";

const t1 = t1Sources();
announceSkip("modules with real nixpkgs lib (T1)", t1.libSkip);
announceSkip("modules with Home Manager (T1)", t1.hmSkip ?? t1.libSkip);




/** A module setting services.clawdbot from JSON (plus extra Nix text). */
const cfgModule = (clawdbot: Record<string, unknown>, extra = ""): string =>
  `({ ... }: { services.clawdbot = ${nixJson(clawdbot)}; ${extra} })`;

const hmUser = `home.username = "alice"; home.homeDirectory = "/home/alice";`;
const hmMacUser = `home.username = "alice"; home.homeDirectory = "/Users/alice";`;

describe.skipIf(!t1.nixpkgsLib)("NixOS module with real nixpkgs lib (T1)", () => {
  it("the README's NixOS config: hardened system unit, LoadCredential, firewall, no failed assertion", () => {
    const r = evalT1(`let e = t.nixos { configuration = ./tests/fixtures/modules/clawdbot-nixos.nix; }; in {
      inherit (e) failed; svc = e.config.systemd.services; fw = e.config.networking.firewall.allowedTCPPorts; }`);
    expect(r.failed).toEqual([]);
    expect(Object.keys(r.svc)).toEqual(["clawdbot"]);
    const s = r.svc.clawdbot;
    expect(s.wantedBy).toEqual(["multi-user.target"]);
    expect(s.environment).toMatchObject({
      CLAWDBOT_NIX_MODE: "1",
      CLAWDBOT_STATE_DIR: "/var/lib/clawdbot",
      CLAWDBOT_CONFIG_PATH: "/var/lib/clawdbot/clawdbot.json",
      CLAWDBOT_NO_RESPAWN: "1",
      HOME: "/var/lib/clawdbot",
      TMPDIR: "/var/cache/clawdbot/tmp",
      CLAWDBOT_DISABLE_BONJOUR: "1",
    });
    expect(s.serviceConfig).toMatchObject({
      DynamicUser: true,
      StateDirectory: "clawdbot",
      CacheDirectory: "clawdbot",
      Restart: "on-failure",
      MemoryDenyWriteExecute: false,
      MemoryMax: "2G",
      EnvironmentFile: ["/run/agenix/clawdbot-env"],
      LoadCredential: [
        "CLAWDBOT_GATEWAY_TOKEN:/run/agenix/clawdbot-token",
        "CLAWDBOT_SECRET_CHANNELS_TELEGRAM_BOT_TOKEN:/run/agenix/telegram-bot-token",
      ],
    });
    expect(s.serviceConfig.SystemCallFilter).toContain("@system-service");
    expect(s.serviceConfig.RestrictAddressFamilies).toEqual(["AF_INET", "AF_INET6", "AF_NETLINK", "AF_UNIX"]);
    expect(s.serviceConfig.ExecStart).toMatch(/ --bind lan$/);
    expect(s.serviceConfig.ExecStart).not.toMatch(/(^| )\/(usr\/)?bin\//);
    expect(s.restartTriggers).toHaveLength(1);
    expect(s.serviceConfig.ExecStart).toContain(s.restartTriggers[0]);
    expect(r.fw).toEqual([18789]);
  });

  it("the module's unit is the T0 rendering's (tests/support/nix: same ExecStart, environment, serviceConfig)", () => {
    const options = { port: 18800, auth: { mode: "token", tokenFile: "/run/keys/t" }, settings: { logging: { level: "debug" } } };
    const r = evalT1(`let
        e = t.nixos { configuration = ${cfgModule({ enable: true, ...options })}; };
        pkgs = t.pkgsFor "x86_64-linux";
        u = import ./tests/support/nix/nixos-unit.nix {
          gateway = (import ./modules/lib/gateways.nix).clawdbot; package = pkgs.clawdbot-gateway; shell = pkgs.runtimeShell; path = [ pkgs.coreutils ];
          writeText = pkgs.writeText; options = ${nixJson(options)};
        };
      in { module = e.config.systemd.services.clawdbot; builtins = u.service; }`);
    expect(r.module).toEqual(r.builtins);
  });

  it("two instances side by side; close ports and a reserved name are refused with their messages", () => {
    const r = evalT1(`let e = t.nixos { configuration = ${cfgModule({ enable: true, instances: { work: { port: 18800 } } })}; };
      in { inherit (e) failed; names = builtins.attrNames e.config.systemd.services;
           work = e.config.systemd.services.clawdbot-work.serviceConfig.StateDirectory; }`);
    expect(r.failed).toEqual([]);
    expect(r.names).toEqual(["clawdbot", "clawdbot-work"]);
    expect(r.work).toBe("clawdbot-work");
    const bad = evalT1(`(t.nixos { configuration = ${cfgModule({ enable: true, instances: { work: { port: 18790 }, default: { port: 18900 } } })}; }).failed`);
    expect(bad).toContain(
      "services.clawdbot.instances.work.port = 18790 collides with services.clawdbot.port = 18789: each gateway uses its port and the next four (browser control on +2 and +3, canvas on +4). Choose ports at least 5 apart.",
    );
    expect(bad).toContain(
      'services.clawdbot.instances.default: the name "default" is reserved for services.clawdbot itself; rename the instance.',
    );
  });

  it("each bad input gives its assertion message through the module system", () => {
    const failed = (c: Record<string, unknown>, system = "x86_64-linux"): string[] =>
      evalT1(`(t.nixos { system = "${system}"; configuration = ${cfgModule({ enable: true, ...c })}; }).failed`);
    expect(failed({ bind: "lan" }), "token auth by default: a lan bind needs nothing more").toEqual([]);
    expect(failed({ bind: "lan", auth: { mode: "none" } })[0]).toMatch(/^services\.clawdbot\.bind = "lan" requires authentication/);
    expect(failed({ bind: "custom", auth: { mode: "token", tokenFile: "/run/t" } })[0]).toMatch(/^services\.clawdbot\.bind = "custom" is not usable/);
    expect(failed({ settings: { channels: { telegram: { botToken: "123:abc" } } } })[0]).toMatch(
      /^services\.clawdbot\.settings\.channels\.telegram\.botToken holds a literal secret/,
    );
    // a store path: refused by the option's type (nixpkgs' types.externalPath); a link into the store: by the module
    expect(() => failed({ auth: { mode: "token", tokenFile: "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-t" } })).toThrow(
      /option `services\.clawdbot\.auth\.tokenFile' is not of type `null or absolute path not in the Nix store'/,
    );
    expect(failed({ auth: { mode: "token", tokenFile: "/run/current-system/sw/t" } })[0]).toMatch(
      /^services\.clawdbot\.auth\.tokenFile = "\/run\/current-system\/sw\/t": secret files must not be in the Nix store or behind a link into it/,
    );
    expect(failed({ tools: ["imsg"] })[0]).toMatch(/^services\.clawdbot\.tools: "imsg" has no release for x86_64-linux\./);
    expect(failed({ tools: ["imsg"] }, "aarch64-darwin")).toEqual([]);
  });

  it("a nixpkgs without lib.types.externalPath (before 25.11) is named, with the fix", () => {
    // the same module, its lib without the type (as nixpkgs 25.05's): the error says what is needed and what to do
    const error = evalT1Error(`let
        old = t.lib // { types = removeAttrs t.lib.types [ "externalPath" ]; };
        gateway = (import ./modules/lib/gateways.nix).clawdbot;
        common = import ./modules/common.nix { lib = old; pkgs = t.pkgsFor "x86_64-linux"; inherit gateway; platform = "nixos"; cfg = { }; };
      in builtins.attrNames common.options`);
    expect(error).toMatch(/services\.clawdbot: needs nixpkgs 25\.11 or later \(its lib\.types\.externalPath\); this configuration's nixpkgs lib is \S+\. Follow a newer nixpkgs/);
    // with the real lib the same evaluation declares the options
    expect(evalT1<string[]>(`let
        gateway = (import ./modules/lib/gateways.nix).clawdbot;
        common = import ./modules/common.nix { lib = t.lib; pkgs = t.pkgsFor "x86_64-linux"; inherit gateway; platform = "nixos"; cfg = { }; };
      in builtins.attrNames common.options`)).toContain("stateDir");
  });

  it("with the flake's package, the config file is built through upstream's validator", () => {
    const script = evalT1<string>(`let
        pkg = t.drv "clawdbot-gateway-2026.1.24-3" // {
          passthru = { spec.entry = "lib/clawdbot/node_modules/clawdbot/dist/entry.js"; nodejs = t.drv "nodejs-22.12.0"; };
        };
        e = t.nixos { configuration = { services.clawdbot = { enable = true; package = pkg; }; }; };
      in builtins.readFile (builtins.head e.config.systemd.services.clawdbot.restartTriggers)`);
    // the stub runCommand stores the build script: it runs the package's node on validate-config.mjs
    expect(script).toMatch(/-nodejs-22\.12\.0\/bin\/node \/nix\/store\/\S+-validate-config\.mjs/);
    expect(script).toMatch(/\/nix\/store\/\S+-clawdbot\.schema\.json/);
    expect(script).toMatch(/-clawdbot-gateway-2026\.1\.24-3\/lib\/clawdbot\/node_modules\/clawdbot\/dist\/config\/validation\.js "\$textPath"/);
    expect(script).toContain('cp "$textPath" "$out"');
  });

  it("services.openclaw: the config file is built through OpenClaw's validator and its schema", () => {
    const script = evalT1<string>(`let
        pkg = t.drv "openclaw-gateway-2026.9.6" // {
          passthru = { spec.entry = "lib/openclaw/node_modules/openclaw/openclaw.mjs"; nodejs = t.drv "nodejs-24.16.0"; };
        };
        e = t.nixos { configuration = { services.openclaw = { enable = true; package = pkg; }; }; };
      in builtins.readFile (builtins.head e.config.systemd.services.openclaw.restartTriggers)`);
    expect(script).toMatch(/-nodejs-24\.16\.0\/bin\/node \/nix\/store\/\S+-validate-config\.mjs/);
    expect(script).toMatch(/\/nix\/store\/\S+-openclaw\.schema\.json/);
    expect(script).toMatch(/-openclaw-gateway-2026\.9\.6\/lib\/openclaw\/node_modules\/openclaw\/dist\/config\/config\.js "\$textPath"/);
  });

  it("typed settings: a typo and a wrong type are evaluation errors", () => {
    const typo = evalT1Error(`(t.nixos { configuration = ${cfgModule({ enable: true, settings: { gatway: { port: 1 } } })}; }).config.systemd.services.clawdbot.serviceConfig.ExecStart`);
    expect(typo).toMatch(/gatway/);
    expect(typo).toMatch(/does not exist/);
    const wrong = evalT1Error(`(t.nixos { configuration = ${cfgModule({ enable: true, settings: { gateway: { port: "x" } } })}; }).config.systemd.services.clawdbot.serviceConfig.ExecStart`);
    expect(wrong).toMatch(/services\.clawdbot\.settings\.gateway\.port/);
  });

  it("a misspelled channel or plugin id is an evaluation error with a suggestion; declared plugins add channels", () => {
    const failed = (c: Record<string, unknown>): string[] =>
      evalT1(`(t.nixos { configuration = ${cfgModule({ enable: true, ...c })}; }).failed`);
    const typo = failed({ settings: { channels: { telgram: { enabled: true } } } });
    expect(typo.join("\n")).toMatch(/^services\.clawdbot\.settings\.channels\."telgram": unknown channel id — did you mean "telegram"\?/m);
    expect(failed({ settings: { plugins: { entries: { "memroy-core": { enabled: true } } } } }).join("\n")).toMatch(
      /settings\.plugins\.entries\."memroy-core": unknown plugin id — did you mean "memory-core"\?/,
    );
    // bundled plugin channels, channels.defaults, and a channel of a plugin loaded from a path are fine
    expect(failed({ settings: { channels: { matrix: { enabled: true }, defaults: { groupPolicy: "allowlist" } } } })).toEqual([]);
    expect(failed({ settings: { channels: { mychat: { enabled: true } }, plugins: { load: { paths: ["/srv/plugins/mychat"] } } } })).toEqual([]);
  });

  it("a literal at every class of secret place is an evaluation error naming the option; the file form is accepted", () => {
    // issue 9's list: typed fields, account and provider maps, list items, plugin channels, env/header maps
    const places: [string, Record<string, unknown>][] = [
      ["models.providers.local.apiKey", { models: { providers: { local: { baseUrl: "http://127.0.0.1:1", apiKey: "X", models: [] } } } }],
      ["models.providers.local.headers.Authorization", { models: { providers: { local: { baseUrl: "http://127.0.0.1:1", headers: { Authorization: "X" }, models: [] } } } }],
      ["hooks.token", { hooks: { token: "X" } }],
      ["hooks.gmail.pushToken", { hooks: { gmail: { pushToken: "X" } } }],
      ["browser.controlToken", { browser: { controlToken: "X" } }],
      ["messages.tts.openai.apiKey", { messages: { tts: { openai: { apiKey: "X" } } } }],
      ["messages.tts.elevenlabs.apiKey", { messages: { tts: { elevenlabs: { apiKey: "X" } } } }],
      ["channels.telegram.webhookSecret", { channels: { telegram: { webhookSecret: "X" } } }],
      ["channels.telegram.accounts.work.botToken", { channels: { telegram: { accounts: { work: { botToken: "X" } } } } }],
      ["channels.slack.signingSecret", { channels: { slack: { signingSecret: "X" } } }],
      ["channels.bluebubbles.password", { channels: { bluebubbles: { password: "X" } } }],
      ["channels.msteams.appPassword", { channels: { msteams: { appPassword: "X" } } }],
      ["skills.entries.weather.apiKey", { skills: { entries: { weather: { apiKey: "X" } } } }],
      ["skills.entries.weather.env.WEATHER_KEY", { skills: { entries: { weather: { env: { WEATHER_KEY: "X" } } } } }],
      ["channels.mattermost.accounts.work.botToken", { channels: { mattermost: { accounts: { work: { botToken: "X" } } } } }],
      ["channels.matrix.accessToken", { channels: { matrix: { accessToken: "X" } } }],
      ["channels.nostr.privateKey", { channels: { nostr: { privateKey: "X" } } }],
      ["env.vars.OPENAI_API_KEY", { env: { vars: { OPENAI_API_KEY: "X" } } }],
      ["agents.list.0.sandbox.docker.env.TOKEN", { agents: { list: [{ id: "main", sandbox: { docker: { env: { TOKEN: "X" } } } }] } }],
    ];
    const withLiteral = (settings: Record<string, unknown>) => JSON.parse(JSON.stringify(settings).replaceAll('"X"', '"literal-secret-value"'));
    const withFile = (settings: Record<string, unknown>) => JSON.parse(JSON.stringify(settings).replaceAll('"X"', '{"_secret":"/run/secrets/s"}'));
    const results = evalT1<{ literal: string[]; file: string[] }[]>(`map (s: {
        literal = (t.nixos { configuration = { services.clawdbot = { enable = true; settings = s.literal; }; }; }).failed;
        file = (t.nixos { configuration = { services.clawdbot = { enable = true; settings = s.file; }; }; }).failed;
      }) (builtins.fromJSON ${nixStr(JSON.stringify(places.map(([, s]) => ({ literal: withLiteral(s), file: withFile(s) }))))})`);
    places.forEach(([path], i) => {
      expect(results[i]!.literal.join("\n"), path).toContain(`services.clawdbot.settings.${path} holds a literal secret`);
      expect(results[i]!.file, path).toEqual([]);
    });
  });

  it("the options of the older community flake's NixOS module are renamed", () => {
    const r = evalT1(`let e = t.nixos { configuration = { services.clawdbot = { enable = true; workspaceDir = "/var/lib/clawdbot/ws";
        gateway.auth = { mode = "token"; tokenFile = "/run/agenix/gw"; }; }; }; };
      in { inherit (e) failed; ws = e.config.services.clawdbot.workspace; tf = e.config.services.clawdbot.auth.tokenFile;
           warnings = e.config.warnings; }`);
    expect(r.failed).toEqual([]);
    expect(r.ws).toBe("/var/lib/clawdbot/ws");
    expect(r.tf).toBe("/run/agenix/gw");
    expect(r.warnings.join("\n")).toMatch(/services\.clawdbot\.gateway\.auth\.tokenFile.*has been renamed to.*services\.clawdbot\.auth\.tokenFile/);
  });

  it("the tests' shortcut to an instance's option values (tests/support/nix/instance.nix) gives the NixOS module's", () => {
    const settings = { logging: { level: "debug" }, agents: { defaults: { workspace: "/var/lib/b2/ws" } } };
    const r = evalT1(`let e = t.nixos { configuration = ${cfgModule({ enable: true, instances: { b: { port: 19000, stateDir: "/var/lib/b2", workspace: "/var/lib/b2/ws", settings } } })}; };
        d = a: import ./tests/support/nix/instance.nix ({ lib = t.lib; gateway = (import ./modules/lib/gateways.nix).clawdbot; } // a); c = e.config.services.clawdbot;
        strip = (import ./modules/lib/render.nix { lib = t.lib; }).stripNulls;
        pick = x: { inherit (x) port bind auth stateDir configPath logFile workspace environment environmentFiles extraArgs tools memory bonjour allowInlineSecrets openFirewall user group; settings = strip x.settings; };
      in { module = pick c; t0 = pick (d { platform = "nixos"; });
           moduleB = pick c.instances.b;
           t0B = pick (d { platform = "nixos"; name = "b"; options = { port = 19000; stateDir = "/var/lib/b2"; workspace = "/var/lib/b2/ws"; settings = builtins.fromJSON ${nixStr(JSON.stringify(settings))}; }; }); }`);
    expect(r.module).toEqual(r.t0);
    expect(r.moduleB).toEqual(r.t0B);
    expect(r.moduleB.configPath).toBe("/var/lib/b2/clawdbot.json");
    // the settings the service options imply are option values (mkDefault), the user's own kept beside them
    expect(r.moduleB.settings).toEqual({
      gateway: { mode: "local", port: 19000, bind: "loopback", auth: { mode: "token" } },
      logging: { file: "/var/lib/b2/logs/gateway.log", level: "debug" },
      agents: { defaults: { workspace: "/var/lib/b2/ws" } },
      // what every local user could reach without a token (issue 19.2): off unless the user turns it on
      browser: { enabled: false },
      canvasHost: { enabled: false },
    });
  });

  it("a user definition of a setting the module implies wins over its mkDefault; a conflicting one is refused", () => {
    const r = evalT1<{ failed: string[]; file: string }>(`let e = t.nixos { configuration = ${cfgModule({ enable: true, settings: { logging: { file: "/var/lib/clawdbot/custom.log" } } })}; };
      in { inherit (e) failed; file = e.config.services.clawdbot.settings.logging.file; }`);
    expect(r.failed).toEqual([]);
    expect(r.file).toBe("/var/lib/clawdbot/custom.log");
    const conflict = evalT1<string[]>(`(t.nixos { configuration = ${cfgModule({ enable: true, workspace: "/var/lib/clawdbot/a", settings: { agents: { defaults: { workspace: "/var/lib/clawdbot/b" } } } })}; }).failed`);
    expect(conflict.join("\n")).toMatch(/settings\.agents\.defaults\.workspace = "\/var\/lib\/clawdbot\/b" conflicts with services\.clawdbot\.workspace/);
  });

  it("issue 19: browser control and the canvas host off by default, a user's `true` wins; root's command checks the port's listener and rotates the token", () => {
    const defaults = evalT1<{ failed: string[]; browser: unknown; canvas: unknown; cli: string[] }>(`let e = t.nixos { configuration = ${cfgModule({ enable: true })}; };
      in { inherit (e) failed; browser = e.config.services.clawdbot.settings.browser.enabled; canvas = e.config.services.clawdbot.settings.canvasHost.enabled;
           cli = map (p: p.text) (builtins.filter (p: (p.name or "") == "clawdbot") e.config.environment.systemPackages); }`);
    expect(defaults.failed).toEqual([]);
    expect(defaults.browser).toBe(false);
    expect(defaults.canvas).toBe(false);
    expect(defaults.cli).toHaveLength(1);
    expect(defaults.cli[0]).toContain("--listener-owner 18789 clawdbot --gateway-credential CLAWDBOT_GATEWAY_TOKEN");
    expect(defaults.cli[0]).toContain("rm -f -- /var/lib/clawdbot/gateway-token || exit 1");
    expect(defaults.cli[0]).toContain("exec systemctl restart clawdbot.service");
    const on = evalT1<{ failed: string[]; browser: unknown; canvas: unknown; cli: string[] }>(`let e = t.nixos { configuration = ${cfgModule({ enable: true, user: "alice", settings: { browser: { enabled: true }, canvasHost: { enabled: true } } }, 'users.users.alice = { isNormalUser = true; };')}; };
      in { inherit (e) failed; browser = e.config.services.clawdbot.settings.browser.enabled; canvas = e.config.services.clawdbot.settings.canvasHost.enabled;
           cli = map (p: p.text) (builtins.filter (p: (p.name or "") == "clawdbot") e.config.environment.systemPackages); }`);
    expect(on.failed).toEqual([]);
    expect(on.browser).toBe(true);
    expect(on.canvas).toBe(true);
    // a real user: the listener must be hers
    expect(on.cli[0]).toContain("--listener-owner 18789 alice ");
  });
});

describe.skipIf(!t1.nixpkgsLib || !t1.homeManager)("Home Manager module with HM's own systemd and launchd modules (T1)", () => {
  it("the README's HM config on Linux: HM's rendered user unit", () => {
    const r = evalT1(`let e = t.homeManager { configuration = { imports = [ ./tests/fixtures/modules/clawdbot-home-manager.nix ]; ${hmUser} }; };
      in { inherit (e) failed unitFiles; packages = map (p: p.name) e.config.home.packages; cli = map (p: p.text) e.config.home.packages; }`);
    expect(r.failed).toEqual([]);
    expect(Object.keys(r.unitFiles).sort()).toEqual(["systemd/user/clawdbot.service", "systemd/user/default.target.wants/clawdbot.service"]);
    const unit: string = r.unitFiles["systemd/user/clawdbot.service"];
    expect(unitValues(unit, "Install", "WantedBy")).toEqual(["default.target"]);
    expect(unitValues(unit, "Service", "Restart")).toEqual(["on-failure"]);
    const env = unitValues(unit, "Service", "Environment");
    expect(env).toContain('"CLAWDBOT_NIX_MODE=1"');
    expect(env).toContain('"CLAWDBOT_STATE_DIR=/home/alice/.clawdbot"');
    expect(env).toContain('"CLAWDBOT_CONFIG_PATH=/home/alice/.clawdbot/clawdbot.json"');
    expect(env).toContain('"HOME=/home/alice"');
    expect(env).toContain('"TMPDIR=/home/alice/.cache/clawdbot/tmp"');
    expect(env.find((e) => e.startsWith('"PATH='))).toMatch(/coreutils-9\.5\/bin:.*goplaces\/bin"$/);
    expect(unitValues(unit, "Service", "EnvironmentFile")).toEqual(["/home/alice/.config/clawdbot/env"]);
    const [exec] = unitValues(unit, "Service", "ExecStart");
    expect(exec).toMatch(/-bash-5\.2\/bin\/bash \/nix\/store\/\S+-clawdbot-launch\.sh /);
    expect(exec).toContain("--secret CLAWDBOT_SECRET_CHANNELS_TELEGRAM_BOT_TOKEN /home/alice/.config/clawdbot/telegram-token");
    expect(exec).toMatch(/-clawdbot-gateway-2026\.1\.24-3\/bin\/clawdbot gateway --port 18789 --bind loopback$/);
    const [trigger] = unitValues(unit, "Unit", "X-Restart-Triggers");
    expect(trigger).toMatch(/^\/nix\/store\/\S+-clawdbot\.json$/);
    expect(exec).toContain(`--config ${trigger} /home/alice/.clawdbot/clawdbot.json`);
    // the owner's CLI: the gateway's clawdbot with the service's config, secrets, environment files, token
    expect(r.packages).toEqual(["clawdbot"]);
    const cli: string = r.cli[0];
    expect(cli).toContain("export CLAWDBOT_CONFIG_PATH=/home/alice/.clawdbot/clawdbot.json");
    expect(cli).toContain("--secret CLAWDBOT_SECRET_CHANNELS_TELEGRAM_BOT_TOKEN /home/alice/.config/clawdbot/telegram-token");
    expect(cli).toContain("--secret CLAWDBOT_GATEWAY_TOKEN /home/alice/.clawdbot/gateway-token");
    expect(cli).toContain("--env-file /home/alice/.config/clawdbot/env");
    expect(cli).toMatch(/-clawdbot-gateway-2026\.1\.24-3\/bin\/clawdbot "\$@"\n$/);
  });

  it("HM's unit text is byte-identical to the T0 rendering (tests/support/nix/hm-unit.nix)", () => {
    const options = { port: 18850, memory: { heapMiB: 512 }, environment: { FOO: "a b" }, settings: { logging: { level: "debug" } } };
    const r = evalT1(`let
        e = t.homeManager { configuration = { ${hmUser} services.clawdbot = ${nixJson({ enable: true, ...options })}; }; };
        pkgs = t.pkgsFor "x86_64-linux";
        u = import ./tests/support/nix/hm-unit.nix {
          gateway = (import ./modules/lib/gateways.nix).clawdbot; package = pkgs.clawdbot-gateway; shell = pkgs.runtimeShell; path = [ pkgs.coreutils ]; home = "/home/alice";
          writeText = pkgs.writeText; options = ${nixJson(options)};
        };
      in { hm = e.unitFiles."systemd/user/clawdbot.service"; builtins = u.unitText; }`);
    expect(r.hm).toBe(r.builtins);
  });

  it("launchd agent on macOS: HM's rendered plist", () => {
    const r = evalT1(`let e = t.homeManager { system = "aarch64-darwin"; configuration = { imports = [ ./tests/fixtures/modules/clawdbot-home-manager.nix ]; ${hmMacUser} }; };
      in { inherit (e) failed plists unitFiles; }`);
    expect(r.failed).toEqual([]);
    expect(r.unitFiles).toEqual({});
    const plist: string = r.plists["org.clawdbot.gateway.plist"];
    expect(plist).toMatch(/<key>KeepAlive<\/key>\s*<true\/>/);
    expect(plist).toMatch(/<key>RunAtLoad<\/key>\s*<true\/>/);
    expect(plist).toMatch(/<key>StandardOutPath<\/key>\s*<string>\/Users\/alice\/Library\/Logs\/clawdbot-gateway\.log<\/string>/);
    expect(plist).toMatch(/<key>StandardErrorPath<\/key>\s*<string>\/Users\/alice\/Library\/Logs\/clawdbot-gateway\.log<\/string>/);
    expect(plist).toMatch(/<key>CLAWDBOT_NIX_MODE<\/key>\s*<string>1<\/string>/);
    expect(plist).toMatch(/<key>TMPDIR<\/key>\s*<string>\/Users\/alice\/Library\/Caches\/clawdbot\/tmp<\/string>/);
    expect(plist).toContain("--env-file /Users/alice/.config/clawdbot/env");
    expect(plist).toMatch(/clawdbot-launch\.sh .* -- \/nix\/store\/\S+-clawdbot-gateway-2026\.1\.24-3\/bin\/clawdbot gateway --port 18789 --bind loopback</);
  });

  it("lingering is asserted when Home Manager runs inside NixOS", () => {
    const withLinger = (linger: boolean): string[] =>
      evalT1(`(t.homeManager { osConfig = { users.users.alice.linger = ${linger}; }; configuration = { ${hmUser} services.clawdbot.enable = true; }; }).failed`);
    expect(withLinger(false)).toEqual([
      "services.clawdbot runs the gateway as a systemd user service of alice, which stops at logout and does not start at boot without lingering: set users.users.alice.linger = true in the NixOS configuration.",
    ]);
    expect(withLinger(true)).toEqual([]);
  });

  it("programs.clawdbot options of the older community flake map to services.clawdbot", () => {
    const r = evalT1(`let e = t.homeManager { configuration = { ${hmUser} programs.clawdbot = { enable = true; stateDir = "/home/alice/.cb";
        workspaceDir = "/home/alice/ws"; config.logging.level = "warn"; }; }; };
      in { inherit (e) failed; unit = e.unitFiles."systemd/user/clawdbot.service"; }`);
    expect(r.failed).toEqual([]);
    expect(r.unit).toContain('Environment="CLAWDBOT_STATE_DIR=/home/alice/.cb"');
    expect(r.unit).toContain("--mkdir /home/alice/ws");
  });

  it("programs.clawdbot options without an equivalent fail with guidance", () => {
    const failed = evalT1<string[]>(`(t.homeManager { configuration = { ${hmUser} services.clawdbot.enable = true;
        programs.clawdbot.providers.telegram.botTokenFile = "/home/alice/tg"; }; }).failed`);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(/programs\.clawdbot\.providers\.telegram' in .* no longer has any effect/);
    expect(failed[0]).toContain('Use services.clawdbot.settings.channels.telegram: botToken._secret = "/path/to/token-file";');
  });

  it("rollback: two generations render different config files and units; generation 1 again is byte-identical", () => {
    const gen = (level: string, port: number): string =>
      `(let e = t.homeManager { configuration = { ${hmUser} services.clawdbot = { enable = true; port = ${port}; settings.logging.level = "${level}"; }; }; };
          u = e.unitFiles."systemd/user/clawdbot.service";
          trigger = builtins.head (builtins.match ".*X-Restart-Triggers=([^\\n]+).*" u);
        in { unit = u; config = builtins.readFile trigger; configFile = trigger; })`;
    const r = evalT1(`{ g1 = ${gen("info", 18789)}; g2 = ${gen("debug", 18800)}; g1again = ${gen("info", 18789)}; }`);
    expect(r.g2.configFile).not.toBe(r.g1.configFile);
    expect(r.g2.unit).not.toBe(r.g1.unit);
    expect(JSON.parse(r.g1.config).logging.level).toBe("info");
    expect(JSON.parse(r.g2.config).logging.level).toBe("debug");
    expect(JSON.parse(r.g2.config).gateway.port).toBe(18800);
    expect(r.g1again.unit).toBe(r.g1.unit);
    expect(r.g1again.config).toBe(r.g1.config);
    expect(r.g1again.configFile).toBe(r.g1.configFile);
  });
});

describe.skipIf(!t1.nixpkgsLib)("nix-darwin module (T1)", () => {
  it("the README's macOS config: a launchd user agent of the primary user", () => {
    const r = evalT1(`let e = t.darwin { configuration = ./tests/fixtures/modules/clawdbot-darwin.nix; };
      in { inherit (e) failed; a = e.config.launchd.user.agents; }`);
    expect(r.failed).toEqual([]);
    const sc = r.a.clawdbot.serviceConfig;
    expect(sc).toMatchObject({
      Label: "org.clawdbot.gateway",
      KeepAlive: true,
      RunAtLoad: true,
      StandardOutPath: "/Users/alice/Library/Logs/clawdbot-gateway.log",
    });
    expect(sc.EnvironmentVariables).toMatchObject({ CLAWDBOT_NIX_MODE: "1", HOME: "/Users/alice", CLAWDBOT_STATE_DIR: "/Users/alice/.clawdbot" });
    expect(sc.ProgramArguments).toContain("--env-file");
    expect(sc.ProgramArguments.slice(-5)).toEqual(["gateway", "--port", "18789", "--bind", "loopback"]);
    expect(sc.ProgramArguments.at(-6)).toMatch(/-clawdbot-gateway-2026\.1\.24-3\/bin\/clawdbot$/);
  });
});
