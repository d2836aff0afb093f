// T1: each template, instantiated with `nix flake init -t` and its placeholders filled, evaluates against the
// real nixpkgs lib (CLAWDBOT_T1_NIXPKGS_LIB) and Home Manager (CLAWDBOT_T1_HOME_MANAGER), and the
// clawdbot.json it renders passes the JSON schema (schemas/clawdbot.schema.json).
//
// - flake.nix of each template is called with stand-in inputs (real lib; `homeManagerConfiguration`,
//   `nixosSystem` and the image's `.override` capture their arguments): its wiring is checked (which
//   modules, which special args, which packages).
// - Each template carries one line that picks the gateway (flake.nix `gateway = "openclaw";`, the default, or
//   "clawdbot"): both settings are evaluated. OpenClaw's through the real modules (Home Manager on Linux and
//   macOS, NixOS, the image), its config against schemas/openclaw.schema.json; Clawdbot's through the same
//   and through the standalone renderer below.
// - The template's module (home.nix, gateway.nix) through lib.evalModules with the service's option
//   declarations (modules/generated/*.nix), rendered by modules/lib/render.nix (the builtins renderer the
//   modules use): its assertions hold and its config passes the schema.
// - The same module through the flake's real modules: home.nix with Home Manager's own modules (home
//   environment, systemd user units, launchd agents) + modules/home-manager.nix, on Linux and macOS;
//   gateway.nix with modules/nixos.nix (the NixOS options it sets outside its own are declared loosely:
//   no NixOS module tree at T1). Same config as above, assertions hold.
// - container: the template's flake → the image's default.nix (stand-in pkgs) → config.nix + settings.nix
//   (the typed settings, with real lib).
import { Ajv2020 } from "ajv/dist/2020.js";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { announceSkip, nixEval, nixStr, REPO, t1Sources } from "../support/nix.js";
import { FILL, fillPlaceholders, flakeCopy, flakeInit, listTree, nixBlocks } from "./support.js";

const t1 = t1Sources();
announceSkip("template T1 evaluation", t1.libSkip);
announceSkip("template T1: Home Manager's own option declarations", t1.nixpkgsLib ? t1.hmSkip : undefined);

type Gateway = "clawdbot" | "openclaw";
const GATEWAYS = ["openclaw", "clawdbot"] as const satisfies readonly Gateway[];
const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
const validators = Object.fromEntries(
  GATEWAYS.map((g) => [g, ajv.compile(JSON.parse(readFileSync(join(REPO, `schemas/${g}.schema.json`), "utf8")))]),
) as Record<Gateway, ReturnType<typeof ajv.compile>>;
/** The config passes the JSON schema of the gateway (Clawdbot's unless named). */
const expectValid = (config: unknown, what: string, gateway: Gateway = "clawdbot"): void => {
  const validate = validators[gateway];
  const ok = validate(config);
  expect(ok, `${what} (${gateway}): ${JSON.stringify(validate.errors?.slice(0, 5), null, 1)}`).toBe(true);
};

/** The template's one line that picks the gateway, set to `gateway` (flake.nix). */
const pickGateway = (gateway: Gateway) => (text: string): string => {
  const line = 'gateway = "openclaw";';
  if (text.split(line).length !== 2) throw new Error(`flake.nix: expected exactly one \`${line}\``);
  return text.replace(line, `gateway = "${gateway}";`);
};

const STORE = "/nix/store/00000000000000000000000000000000";
const PKG = `${STORE}-clawdbot-gateway-2026.1.24-3`;

/** Instantiate a template into a temp dir and fill its placeholders (FILL); `edit` rewrites files further. */
function instantiate(flakeDir: string, name: string, edit: Record<string, (text: string) => string> = {}) {
  const init = flakeInit(flakeDir, name);
  if (init.status !== 0) throw new Error(`nix flake init -t #${name} failed:\n${init.stderr}`);
  for (const f of listTree(init.dir)) {
    const path = join(init.dir, f);
    let text = fillPlaceholders(readFileSync(path, "utf8"), FILL);
    if (edit[f]) text = edit[f]!(text);
    writeFileSync(path, text);
  }
  return init;
}

/** lib.evalModules of a template module with the services.clawdbot option declarations, rendered. */
function clawdbotEval(opts: { lib: string; module: string; platform: "home-manager" | "nixos"; home?: string; specialArgs: string; extraModules?: string[] }): string {
  const home = opts.home ? nixStr(opts.home) : "null";
  return `
    let
      lib = import ${nixStr(`${opts.lib}/lib`)};
      repo = ${nixStr(REPO)};
      platform = ${nixStr(opts.platform)};
      home = ${home};
      gateway = (import "\${repo}/modules/lib/gateways.nix").clawdbot;
      defaults = (import "\${repo}/modules/lib/paths.nix").defaults ({ inherit gateway platform; } // (if home == null then { } else { inherit home; }));
      render = import "\${repo}/modules/lib/render.nix" { inherit lib gateway; };
      # what modules/common.nix defines in settings at mkDefault priority
      moduleSettings = { config, ... }: {
        services.clawdbot.settings = lib.mapAttrsRecursive (_: lib.mkDefault) (render.moduleSettings config.services.clawdbot);
      };
      clawdbotOptions = (import "\${repo}/modules/generated/clawdbot/service.nix" { inherit lib platform defaults; }) // {
        enable = lib.mkEnableOption "the Clawdbot gateway";
        settings = lib.mkOption {
          type = (import "\${repo}/modules/generated/clawdbot/settings.nix" { inherit lib; }).type;
          default = { };
        };
      };
      anything = lib.types.attrsOf lib.types.anything;
      declarations = {
        config._module.freeformType = anything;
        options.services = lib.mkOption {
          type = lib.types.submodule { freeformType = anything; options.clawdbot = clawdbotOptions; };
          default = { };
        };
      };
      ev = lib.evalModules {
        modules = [ declarations moduleSettings ${nixStr(opts.module)} ${(opts.extraModules ?? []).join(" ")} ];
        specialArgs = ${opts.specialArgs};
      };
      cfg = ev.config.services.clawdbot;
      r = render.instance ({
        inherit platform;
        options = builtins.removeAttrs cfg [ "enable" ];
        package = ${nixStr(PKG)};
        shell = "/bin/sh";
        system = "x86_64-linux";
      } // (if home == null then { } else { inherit home; }));
    in
    {
      enable = cfg.enable;
      options = builtins.removeAttrs cfg [ "enable" "settings" ];
      config = builtins.fromJSON r.configText;
      failed = r.failed;
      environment = r.environment;
      generatedTokenFile = r.generatedTokenFile;
      top = builtins.removeAttrs ev.config [ "services" ];
    }`;
}

interface Rendered {
  enable: boolean;
  options: Record<string, unknown> & { bind: string; port: number; auth: { mode: string; tokenFile: string | null }; environmentFiles: string[] };
  config: Record<string, any>;
  failed: string[];
  environment: Record<string, string>;
  generatedTokenFile: string | null;
  top: Record<string, any>;
}


const T1_PKGS = `(import ${nixStr(`${REPO}/tests/fixtures/modules/t1/eval.nix`)} { nixpkgsLib = ${nixStr(t1.nixpkgsLib ?? "")}; })`;

/** Stand-in pkgs for the modules: derivations are store paths. */
const STUB_PKGS = (system: string) => `
  let drv = name: { type = "derivation"; outPath = "${STORE}-\${name}"; inherit name; }; in {
    stdenv.hostPlatform = lib.systems.elaborate ${nixStr(system)};
    runtimeShell = "/bin/sh";
    # An evaluation cannot read back what it "wrote" (no store writes): the file's path carries its text.
    writeText = name: text: "${STORE}-\${name}" + (if lib.hasSuffix ".json" name then "|TEXT|" + text else "");
    writeTextFile = { name, text, ... }: drv name // { inherit text; };
    coreutils = drv "coreutils";
    nix = drv "nix";
    clawdbot-gateway = drv "clawdbot-gateway-2026.1.24-3";
    clawdbotTools = { };
    # the T1 harness's stand-ins: the OpenClaw gateway, and the real nix/openclaw/plugins.nix over builders
    # that build nothing (its store folders and settingsFor are what the modules read)
    inherit (${T1_PKGS}.pkgsFor ${nixStr(system)}) openclaw-gateway openclawPlugins;
  }`;

/** Declarations of what the modules set outside their own options (assertions, meta), for check = true. */
const ASSERTIONS_MODULE = `({ lib, ... }: {
  options.assertions = lib.mkOption { type = lib.types.listOf lib.types.unspecified; default = [ ]; };
  options.warnings = lib.mkOption { type = lib.types.listOf lib.types.str; default = [ ]; };
  options.meta = lib.mkOption { type = lib.types.attrsOf lib.types.unspecified; default = { }; };
  # read by Home Manager's generic-linux target (modules/misc/nix declares it, with more than needed here)
  options.nix.package = lib.mkOption { type = lib.types.nullOr lib.types.package; default = null; };
  options.nix.useXdg = lib.mkOption { type = lib.types.bool; default = false; };
})`;

/**
 * The template's home.nix through Home Manager's own modules (home environment, version, systemd user
 * units, launchd agents, generic Linux target) and the flake's Home Manager module (modules/home-manager.nix).
 */
function homeManagerEval(opts: { lib: string; hm: string; homeNix: string; system: string; gateway: Gateway; username: string; homeDirectory: string }): string {
  return `
    let
      hm = ${nixStr(opts.hm)};
      lib = import "\${hm}/modules/lib/stdlib-extended.nix" (import ${nixStr(`${opts.lib}/lib`)});
      pkgs = ${STUB_PKGS(opts.system)};
      ev = lib.evalModules {
        modules = [
          "\${hm}/modules/home-environment.nix"
          "\${hm}/modules/misc/version.nix"
          "\${hm}/modules/programs/home-manager.nix"
          "\${hm}/modules/targets/generic-linux.nix"
          "\${hm}/modules/systemd.nix"
          "\${hm}/modules/launchd"
          "\${hm}/modules/misc/lib.nix"
          "\${hm}/modules/misc/submodule-support.nix"
          ${ASSERTIONS_MODULE}
          # Only the Home Manager modules above are loaded: definitions other modules make for options of
          # the rest of Home Manager (programs.bash, …) are dropped, not errors. What the template itself
          # sets is checked to be declared (\`declared\` below).
          { config._module.args = { inherit pkgs; }; config._module.check = false; config.lib = lib.hm; }
          ${nixStr(`${REPO}/modules/home-manager.nix`)}
          ${nixStr(opts.homeNix)}
        ];
        specialArgs = {
          gateway = ${nixStr(opts.gateway)};
          username = ${nixStr(opts.username)};
          homeDirectory = ${nixStr(opts.homeDirectory)};
          modulesPath = "\${hm}/modules";
        };
      };
      c = ev.config;
      unit = c.systemd.user.services.${opts.gateway} or null;
      agent = c.launchd.agents.${opts.gateway} or null;
      configFile =
        if unit != null then builtins.head unit.Unit.X-Restart-Triggers
        else null;
      argv = if agent != null then agent.config.ProgramArguments else [ ];
      # the launcher's --config <store file> <config path>
      configFromArgv = let i = lib.lists.findFirstIndex (a: a == "--config") null argv; in if i == null then null else builtins.elemAt argv (i + 1);
      file = if configFile != null then configFile else configFromArgv;
    in {
      failed = map (a: a.message) (builtins.filter (a: !a.assertion) c.assertions);
      unit = if unit == null then null else { inherit (unit) Service Install; };
      agent = if agent == null then null else { inherit (agent) enable; inherit (agent.config) Label KeepAlive RunAtLoad StandardOutPath; };
      config = if file == null then null else builtins.fromJSON (builtins.elemAt (lib.splitString "|TEXT|" file) 1);
      declared = builtins.all (p: lib.hasAttrByPath p ev.options) [
        [ "home" "username" ] [ "home" "homeDirectory" ] [ "home" "stateVersion" ] [ "programs" "home-manager" "enable" ]
        [ "targets" "genericLinux" "enable" ] [ "services" "${opts.gateway}" "enable" ] [ "services" "${opts.gateway}" "settings" ]
      ];
      homeUser = c.home.username;
    }`;
}

/**
 * The template's gateway.nix through the flake's NixOS module (modules/nixos.nix). No NixOS module tree is
 * available at T1: what the module sets outside its own options (systemd.services, the firewall, users,
 * tmpfiles, assertions) is declared here with loose types, and nothing else is loaded.
 */
function nixosEval(opts: { lib: string; module: string; gateway: Gateway; extraModules?: string[]; extraOutput?: string }): string {
  return `
    let
      lib = import ${nixStr(`${opts.lib}/lib`)};
      pkgs = ${STUB_PKGS("x86_64-linux")};
      anything = lib.types.attrsOf lib.types.anything;
      ev = lib.evalModules {
        modules = [
          ${ASSERTIONS_MODULE}
          {
            options.systemd.services = lib.mkOption { type = anything; default = { }; };
            options.systemd.tmpfiles.rules = lib.mkOption { type = lib.types.listOf lib.types.str; default = [ ]; };
            options.networking.firewall.allowedTCPPorts = lib.mkOption { type = lib.types.listOf lib.types.port; default = [ ]; };
            options.users.users = lib.mkOption { type = anything; default = { }; };
            options.users.groups = lib.mkOption { type = anything; default = { }; };
            options.environment.systemPackages = lib.mkOption { type = lib.types.listOf lib.types.raw; default = [ ]; };
            config._module.args = { inherit pkgs; };
          }
          ${nixStr(`${REPO}/modules/nixos.nix`)}
          ${nixStr(opts.module)}
          ${(opts.extraModules ?? []).join("\n          ")}
        ];
        specialArgs.gateway = ${nixStr(opts.gateway)};
      };
      c = ev.config;
      service = c.systemd.services.${opts.gateway};
      triggers = service.restartTriggers or [ ];
      withText = builtins.filter (t: lib.hasInfix "|TEXT|" (toString t)) triggers;
    in {
      failed = map (a: a.message) (builtins.filter (a: !a.assertion) c.assertions);
      ports = c.networking.firewall.allowedTCPPorts;
      wantedBy = service.wantedBy or [ ];
      serviceConfig = builtins.intersectAttrs { DynamicUser = 0; StateDirectory = 0; LoadCredential = 0; MemoryMax = 0; EnvironmentFile = 0; ExecStart = 0; } (service.serviceConfig or { });
      environment = service.environment or { };
      extra = ${opts.extraOutput ?? "null"};
      config = if withText == [ ] then null else builtins.fromJSON (builtins.elemAt (lib.splitString "|TEXT|" (toString (builtins.head withText))) 1);
    }`;
}

const stripPaths = `let strip = v: if builtins.isPath v then "./" + baseNameOf v else if builtins.isList v then map strip v else if builtins.isAttrs v then builtins.mapAttrs (_: strip) v else if builtins.isFunction v then "<function>" else v; in strip`;

describe.skipIf(!t1.nixpkgsLib)("templates evaluate with their placeholders filled (T1)", () => {
  const lib = t1.nixpkgsLib!;
  let flake: ReturnType<typeof flakeCopy>;
  const cleanups: (() => void)[] = [];
  beforeAll(() => {
    flake = flakeCopy();
  });
  afterAll(() => {
    for (const c of cleanups) c();
    flake?.cleanup();
  });

  const evalOk = (expr: string): unknown => {
    const r = nixEval(expr);
    if (!r.ok) throw new Error(r.stderr.slice(-3000));
    return r.value;
  };

  describe.each(["agent-first", "linux-user"] as const)("%s (standalone Home Manager)", (name) => {
    let dir: string;
    let wiring: { modules: string[]; extraSpecialArgs: { gateway: Gateway; username: string; homeDirectory: string }; pkgs: unknown };
    let rendered: Rendered;

    beforeAll(() => {
      const init = instantiate(flake.dir, name);
      cleanups.push(init.cleanup);
      dir = init.dir;
      const outputs = evalOk(`
        let
          lib = import ${nixStr(`${lib}/lib`)};
          flake = import ${nixStr(join(dir, "flake.nix"))};
          outputs = flake.outputs {
            self = { };
            nixpkgs = { inherit lib; legacyPackages.x86_64-linux = { stand-in = "pkgs of x86_64-linux"; }; };
            home-manager.lib.homeManagerConfiguration = args: args;
            clawdbot.homeModules.default = "clawdbot.homeModules.default";
          };
        in (${stripPaths}) outputs`) as { homeConfigurations: Record<string, typeof wiring> };
      expect(Object.keys(outputs.homeConfigurations)).toEqual([FILL.REPLACE_ME_USERNAME]);
      wiring = outputs.homeConfigurations[FILL.REPLACE_ME_USERNAME]!;
      const args = wiring.extraSpecialArgs;
      rendered = evalOk(
        clawdbotEval({
          lib,
          module: join(dir, "home.nix"),
          platform: "home-manager",
          home: args.homeDirectory,
          specialArgs: `{ gateway = "clawdbot"; username = ${nixStr(args.username)}; homeDirectory = ${nixStr(args.homeDirectory)}; }`,
        }),
      ) as Rendered;
    });

    it("flake.nix: one homeConfiguration for the user, with the flake's Home Manager module and home.nix; OpenClaw unless its one line says otherwise", () => {
      expect(wiring.pkgs).toEqual({ "stand-in": "pkgs of x86_64-linux" });
      expect(wiring.modules).toEqual(["clawdbot.homeModules.default", "./home.nix"]);
      expect(wiring.extraSpecialArgs).toEqual({ gateway: "openclaw", username: "alice", homeDirectory: "/home/alice" });
      const flakeText = readFileSync(join(dir, "flake.nix"), "utf8");
      expect(flakeText).toMatch(/^\s*gateway = "openclaw";$/m);
      expect(flakeText).toContain('"clawdbot", the pinned seed-era release');
    });

    it("home.nix evaluates: the service is enabled, every module assertion holds", () => {
      expect(rendered.enable).toBe(true);
      expect(rendered.failed).toEqual([]);
      expect(rendered.top.home).toMatchObject({ username: "alice", homeDirectory: "/home/alice" });
    });

    it("the rendered clawdbot.json passes the JSON schema", () => {
      expectValid(rendered.config, `${name} clawdbot.json`);
      expect(rendered.config.gateway.mode).toBe("local");
      expect(rendered.config.logging.file).toBe("/home/alice/.clawdbot/logs/gateway.log");
    });

    it("secrets stay files: nothing secret in the rendered config or the service environment", () => {
      const text = JSON.stringify(rendered.config) + JSON.stringify(rendered.environment);
      expect(text).not.toMatch(/sk-ant|BOT_TOKEN=|123456:ABC/);
      // optional ("-"): the gateway starts before the file exists
      expect(rendered.options.environmentFiles).toEqual(["-/home/alice/.secrets/gateway.env"]);
    });

    if (name === "agent-first") {
      it("agent-first: loopback with the generated token, Telegram from a token file, allowlisted to the user, plugin declared", () => {
        expect(rendered.options.bind).toBe("loopback");
        expect(rendered.options.auth).toMatchObject({ mode: "token", tokenFile: null });
        expect(rendered.config.channels.telegram).toMatchObject({
          enabled: true,
          tokenFile: "/home/alice/.secrets/telegram-bot-token",
          dmPolicy: "allowlist",
          allowFrom: [FILL.REPLACE_ME_TELEGRAM_USER_ID],
        });
        expect(rendered.config.plugins.entries.telegram.enabled).toBe(true);
      });
    } else {
      it("linux-user: port 8080 on all interfaces with the generated token (exe.dev's HTTPS proxy), generic Linux target", () => {
        expect(rendered.options).toMatchObject({ port: 8080, bind: "lan" });
        // no file to create first: the launcher generates the token at the first start
        expect(rendered.options.auth).toMatchObject({ mode: "token", tokenFile: null });
        expect(rendered.config.gateway).toMatchObject({ port: 8080, bind: "lan", auth: { mode: "token" } });
        expect(rendered.config.gateway.auth.token).toBeUndefined();
        expect(rendered.top.targets).toEqual({ genericLinux: { enable: true } });
      });
    }

    it.skipIf(!t1.homeManager)("through Home Manager and the flake's module (Linux): a systemd user unit, assertions hold, config valid", () => {
      const r = evalOk(
        homeManagerEval({ lib, hm: t1.homeManager!, homeNix: join(dir, "home.nix"), system: "x86_64-linux", ...wiring.extraSpecialArgs, gateway: "clawdbot" }),
      ) as { failed: string[]; unit: { Service: Record<string, unknown>; Install: { WantedBy: string[] } } | null; config: Record<string, any>; declared: boolean; homeUser: string };
      expect(r.failed).toEqual([]);
      expect(r.declared).toBe(true);
      expect(r.homeUser).toBe("alice");
      expect(r.unit?.Install.WantedBy).toEqual(["default.target"]);
      expect(r.unit?.Service.EnvironmentFile).toEqual(["-/home/alice/.secrets/gateway.env"]);
      expect(r.unit?.Service.Environment).toContain('"CLAWDBOT_NIX_MODE=1"');
      expectValid(r.config, `${name} clawdbot.json (Home Manager)`);
      expect(r.config).toEqual(rendered.config);
    });

    it.skipIf(!t1.homeManager)("the template's default, OpenClaw: services.openclaw through Home Manager (Linux), assertions hold, openclaw.json valid, the same settings", () => {
      const r = evalOk(
        homeManagerEval({ lib, hm: t1.homeManager!, homeNix: join(dir, "home.nix"), system: "x86_64-linux", ...wiring.extraSpecialArgs }),
      ) as { failed: string[]; unit: { Service: Record<string, unknown>; Install: { WantedBy: string[] } } | null; config: Record<string, any>; declared: boolean };
      expect(wiring.extraSpecialArgs.gateway).toBe("openclaw");
      expect(r.failed).toEqual([]);
      expect(r.declared).toBe(true);
      expect(r.unit?.Install.WantedBy).toEqual(["default.target"]);
      expect(r.unit?.Service.EnvironmentFile).toEqual(["-/home/alice/.secrets/gateway.env"]);
      expect(r.unit?.Service.Environment).toContain('"OPENCLAW_NIX_MODE=1"');
      expectValid(r.config, `${name} openclaw.json (Home Manager)`, "openclaw");
      expect(r.config.logging.file).toBe("/home/alice/.openclaw/logs/gateway.log");
      // every setting of the template means the same to both gateways: only what the module derives differs
      // (Clawdbot's browser control and canvas, which any local user could reach, are off by default)
      const own = (c: Record<string, any>) => {
        const { logging: _l, plugins: _p, browser: _b, canvasHost: _c, ...rest } = c;
        return rest;
      };
      expect(own(r.config)).toEqual(own(rendered.config));
    });

    if (name === "agent-first") {
      it.skipIf(!t1.homeManager)("through Home Manager on macOS (aarch64-darwin): a launchd agent (ai.openclaw.gateway; org.clawdbot.gateway with the other line), config valid", () => {
        // The same template with REPLACE_ME_SYSTEM = aarch64-darwin: its flake computes the macOS home.
        const mac = instantiate(flake.dir, "agent-first", {
          "flake.nix": (t) => t.replace(`system = "${FILL.REPLACE_ME_SYSTEM}";`, 'system = "aarch64-darwin";'),
        });
        cleanups.push(mac.cleanup);
        const macWiring = (
          evalOk(`
            let
              lib = import ${nixStr(`${lib}/lib`)};
              flake = import ${nixStr(join(mac.dir, "flake.nix"))};
            in (${stripPaths}) (flake.outputs {
              self = { };
              nixpkgs = { inherit lib; legacyPackages.aarch64-darwin = { stand-in = "pkgs of aarch64-darwin"; }; };
              home-manager.lib.homeManagerConfiguration = args: args;
              clawdbot.homeModules.default = "clawdbot.homeModules.default";
            })`) as { homeConfigurations: Record<string, typeof wiring> }
        ).homeConfigurations.alice!;
        expect(macWiring.pkgs).toEqual({ "stand-in": "pkgs of aarch64-darwin" });
        expect(macWiring.extraSpecialArgs).toEqual({ gateway: "openclaw", username: "alice", homeDirectory: "/Users/alice" });
        const labels = { openclaw: "ai.openclaw.gateway", clawdbot: "org.clawdbot.gateway" } as const;
        for (const gateway of GATEWAYS) {
          const r = evalOk(
            homeManagerEval({ lib, hm: t1.homeManager!, homeNix: join(mac.dir, "home.nix"), system: "aarch64-darwin", ...macWiring.extraSpecialArgs, gateway }),
          ) as { failed: string[]; agent: { enable: boolean; Label: string; KeepAlive: boolean; RunAtLoad: boolean; StandardOutPath: string } | null; config: Record<string, any> };
          expect(r.failed, gateway).toEqual([]);
          expect(r.agent, gateway).toMatchObject({ enable: true, Label: labels[gateway], KeepAlive: true, RunAtLoad: true });
          expect(r.agent?.StandardOutPath).toBe(`/Users/alice/Library/Logs/${gateway}-gateway.log`);
          expectValid(r.config, "agent-first config (macOS)", gateway);
          expect(r.config.channels.telegram.tokenFile).toBe("/Users/alice/.secrets/telegram-bot-token");
        }
      });
    }
  });

  describe("nixos-server", () => {
    let dirs: Record<"loopback" | "lan", string>;
    const rendered: Partial<Record<"loopback" | "lan", Rendered>> = {};
    let wiring: { modules: string[] };
    let host: Record<string, any>;

    beforeAll(() => {
      // What `nixos-generate-config --show-hardware-config` writes (the shape of it): file systems, kernel
      // modules, the system — and no boot loader, which it writes into configuration.nix instead.
      const hw = (dir: string) =>
        writeFileSync(
          join(dir, "hardware-configuration.nix"),
          [
            "# stand-in for nixos-generate-config --show-hardware-config",
            "{ lib, ... }:",
            "{",
            '  boot.initrd.availableKernelModules = [ "ata_piix" "virtio_pci" "virtio_scsi" "sd_mod" "sr_mod" ];',
            '  fileSystems."/" = { device = "/dev/disk/by-uuid/0b4e1ad6-1b1c-4b4e-9c2a-3f1e2d3c4b5a"; fsType = "ext4"; };',
            '  nixpkgs.hostPlatform = lib.mkDefault "x86_64-linux";',
            "}",
            "",
          ].join("\n"),
        );
      const loop = instantiate(flake.dir, "nixos-server");
      const lan = instantiate(flake.dir, "nixos-server", {
        "gateway.nix": (t) => {
          if (!t.includes("exposeOnLan = false;")) throw new Error("gateway.nix has no `exposeOnLan = false;` switch");
          return t.replace("exposeOnLan = false;", "exposeOnLan = true;");
        },
      });
      cleanups.push(loop.cleanup, lan.cleanup);
      hw(loop.dir);
      hw(lan.dir);
      dirs = { loopback: loop.dir, lan: lan.dir };
      for (const k of ["loopback", "lan"] as const) {
        rendered[k] = evalOk(clawdbotEval({ lib, module: join(dirs[k], "gateway.nix"), platform: "nixos", specialArgs: `{ gateway = "clawdbot"; }` })) as Rendered;
      }
      const outputs = evalOk(`
        let
          lib = import ${nixStr(`${lib}/lib`)};
          flake = import ${nixStr(join(dirs.loopback, "flake.nix"))};
        in (${stripPaths}) (flake.outputs {
          self = { };
          nixpkgs.lib = lib // { nixosSystem = args: args; };
          clawdbot.nixosModules.default = "clawdbot.nixosModules.default";
        })`) as { nixosConfigurations: Record<string, { modules: string[]; specialArgs: Record<string, string> }> };
      expect(Object.keys(outputs.nixosConfigurations)).toEqual([FILL.REPLACE_ME_HOSTNAME]);
      expect(outputs.nixosConfigurations[FILL.REPLACE_ME_HOSTNAME]!.specialArgs).toEqual({ gateway: "openclaw" });
      wiring = outputs.nixosConfigurations[FILL.REPLACE_ME_HOSTNAME]!;
      host = (
        evalOk(
          clawdbotEval({
            lib,
            module: join(dirs.loopback, "configuration.nix"),
            platform: "nixos",
            specialArgs: `{ gateway = "clawdbot"; }`,
            extraModules: [nixStr(join(dirs.loopback, "gateway.nix"))],
          }),
        ) as Rendered
      ).top;
    });

    it("flake.nix: one nixosConfiguration named after the host, with the flake's NixOS module, configuration.nix, gateway.nix", () => {
      expect(wiring.modules).toEqual(["clawdbot.nixosModules.default", "./configuration.nix", "./gateway.nix"]);
    });

    it("configuration.nix: the host name, key-only SSH for root, the firewall on", () => {
      expect(host.networking).toMatchObject({ hostName: FILL.REPLACE_ME_HOSTNAME, firewall: { enable: true } });
      expect(host.users.users.root.openssh.authorizedKeys.keys).toEqual([FILL.REPLACE_ME_SSH_PUBLIC_KEY]);
    });

    it("with nixos-generate-config's hardware-configuration.nix: one boot loader (configuration.nix's GRUB disk), the system from the hardware file", () => {
      // nixos-generate-config puts the boot loader into configuration.nix: the template's configuration.nix
      // must carry it, since the hardware file has none.
      expect(host.boot.loader).toEqual({ grub: { device: FILL.REPLACE_ME_BOOT_DISK } });
      expect(host.fileSystems["/"].fsType).toBe("ext4");
      expect(host.nixpkgs.hostPlatform).toBe("x86_64-linux");
      // and the UEFI alternative the comment offers is the generated file's own pair of lines
      const conf = readFileSync(join(dirs.loopback, "configuration.nix"), "utf8");
      expect(conf).toContain("#     boot.loader.systemd-boot.enable = true;\n  #     boot.loader.efi.canTouchEfiVariables = true;");
    });

    it("the README's steps: copy hardware-configuration.nix and `git add` it (flakes see only tracked files)", () => {
      const readme = readFileSync(join(dirs.loopback, "README.md"), "utf8");
      expect(readme).toContain("nixos-generate-config --show-hardware-config > hardware-configuration.nix");
      expect(readme).toMatch(/git add \./);
      expect(readme).toMatch(/sees only tracked files/);
      // the statement of systems: what nixpkgs.hostPlatform may say among the flake's Linux systems
      expect(readme).toMatch(/^Systems: `x86_64-linux` and `aarch64-linux`/m);
    });

    it("default (loopback + SSH tunnel): the generated token, no firewall opening, assertions hold, config passes the schema", () => {
      const r = rendered.loopback!;
      expect(r.enable).toBe(true);
      expect(r.failed).toEqual([]);
      expect(r.options).toMatchObject({ bind: "loopback", openFirewall: false, auth: { mode: "token", tokenFile: null }, memory: { max: "2G" } });
      expect(r.generatedTokenFile, "the token generated at the first start").toBe("/var/lib/clawdbot/gateway-token");
      // no environment file until secrets.nix adds the secret manager's (required then: never silently optional)
      expect(r.options.environmentFiles).toEqual([]);
      expectValid(r.config, "nixos-server clawdbot.json");
      expect(r.config.channels.discord.guilds).toHaveProperty(FILL.REPLACE_ME_DISCORD_GUILD_ID);
      expect(r.config.plugins.entries.discord.enabled).toBe(true);
      expect(r.config.logging.file).toBe("/var/lib/clawdbot/logs/gateway.log");
    });

    it("exposeOnLan = true: lan bind with the generated token, firewall opened; assertions hold", () => {
      const r = rendered.lan!;
      expect(r.failed).toEqual([]);
      expect(r.options).toMatchObject({ bind: "lan", openFirewall: true, auth: { mode: "token", tokenFile: null } });
      expectValid(r.config, "nixos-server (lan) clawdbot.json");
      expect(r.config.gateway).toMatchObject({ bind: "lan", auth: { mode: "token" } });
      expect(JSON.stringify(r.config)).not.toContain("/run/secrets");
    });

    /** gateway.nix (loopback or lan) through the flake's NixOS module as `gateway`: what both have in common. */
    const throughModule = (k: "loopback" | "lan", gateway: Gateway) => {
      const r = evalOk(nixosEval({ lib, module: join(dirs[k], "gateway.nix"), gateway })) as {
        failed: string[];
        ports: number[];
        wantedBy: string[];
        serviceConfig: Record<string, unknown>;
        environment: Record<string, string>;
        config: Record<string, any> | null;
      };
      expect(r.failed, k).toEqual([]);
      expect(r.wantedBy, k).toContain("multi-user.target");
      expect(r.ports, k).toEqual(k === "lan" ? [18789] : []);
      expect(r.serviceConfig.MemoryMax, k).toBe("2G");
      // OpenClaw's backups before an upgrade go beside its state (docs/backups.md); Clawdbot has no backup command
      expect(r.serviceConfig.StateDirectory, k).toEqual(gateway === "openclaw" ? ["openclaw", "openclaw-backups"] : gateway);
      expect(r.environment[`${gateway.toUpperCase()}_NIX_MODE`], k).toBe("1");
      expect(r.config, k).not.toBeNull();
      expectValid(r.config, `nixos-server (${k}) config through the module`, gateway);
      return r.config!;
    };

    it("through the flake's NixOS module (Clawdbot): the system unit, assertions hold, the firewall follows exposeOnLan, config valid", () => {
      for (const k of ["loopback", "lan"] as const) expect(throughModule(k, "clawdbot")).toEqual(rendered[k]!.config);
    });

    it("the template's default, OpenClaw: services.openclaw through the flake's NixOS module, the Discord plugin loaded, assertions hold, openclaw.json valid", () => {
      for (const k of ["loopback", "lan"] as const) {
        const config = throughModule(k, "openclaw");
        expect(config.channels.discord.guilds).toHaveProperty(FILL.REPLACE_ME_DISCORD_GUILD_ID);
        expect(config.plugins.entries.discord.enabled).toBe(true);
        expect(config.plugins.load.paths).toEqual([expect.stringMatching(/-openclaw-plugins-[^/]+\/lib\/openclaw-plugins\/node_modules\/@openclaw\/discord$/)]);
        expect(config.gateway).toMatchObject({ bind: k, auth: { mode: "token" } });
        expect(config.logging.file).toBe("/var/lib/openclaw/logs/gateway.log");
      }
    });

    it("names no plugin: the configured Discord channel loads its plugin by itself (issue 21.2)", () => {
      const text = readFileSync(join(dirs.loopback, "gateway.nix"), "utf8");
      expect(text).not.toMatch(/plugins\s*=/);
      // and the rendering above has the discord plugin loaded (plugins.entries / plugins.load.paths)
    });
  });

  describe("nixos-server README: the sops-nix and agenix wiring, as written", () => {
    // Minimal declarations of the secret managers' options this wiring uses, with their real defaults
    // (sops-nix: path = "/run/secrets/<name>"; agenix: path = "/run/agenix/<name>"). Strict: an option
    // name the README misspells is an error here too.
    const managers = {
      "sops-nix": {
        module: "sops-nix.nixosModules.sops",
        stub: `({ lib, ... }: {
          options.sops.defaultSopsFile = lib.mkOption { type = lib.types.path; };
          options.sops.secrets = lib.mkOption {
            type = lib.types.attrsOf (lib.types.submodule ({ name, ... }: {
              options.path = lib.mkOption { type = lib.types.str; default = "/run/secrets/\${name}"; };
            }));
            default = { };
          };
        })`,
        paths: "lib.mapAttrs (_: s: s.path) c.sops.secrets",
        tokenPath: "/run/secrets/gateway-token",
        envPath: "/run/secrets/gateway.env",
      },
      agenix: {
        module: "agenix.nixosModules.default",
        stub: `({ lib, ... }: {
          options.age.secrets = lib.mkOption {
            type = lib.types.attrsOf (lib.types.submodule ({ name, ... }: {
              options.file = lib.mkOption { type = lib.types.path; };
              options.path = lib.mkOption { type = lib.types.str; default = "/run/agenix/\${name}"; };
            }));
            default = { };
          };
        })`,
        paths: "lib.mapAttrs (_: s: s.path) c.age.secrets",
        tokenPath: "/run/agenix/gateway-token",
        envPath: "/run/agenix/gateway.env",
      },
    } as const;

    describe.each(Object.keys(managers) as (keyof typeof managers)[])("%s", (name) => {
      const m = managers[name];
      let dir: string;
      let snippet: string;
      beforeAll(() => {
        const init = instantiate(flake.dir, "nixos-server");
        cleanups.push(init.cleanup);
        dir = init.dir;
        const blocks = nixBlocks(readFileSync(join(dir, "README.md"), "utf8"), `# secrets.nix with ${name} `);
        expect(blocks, `README.md: one \`\`\`nix block starting with "# secrets.nix with ${name} "`).toHaveLength(1);
        snippet = blocks[0]!;
        writeFileSync(join(dir, "secrets.nix"), snippet);
      });

      it("its flake.nix instructions, applied to the template's flake.nix, wire the manager's module and secrets.nix", () => {
        // the three instructions of the snippet's header: the input, the outputs' arguments, the modules
        const input = /^#\s+(\S+ = \{ url = "github:[^"]+"; inputs\.nixpkgs\.follows = "nixpkgs"; \};)$/m.exec(snippet);
        const outputsHead = /take it in `(outputs = \{[^}]*\}:)`/.exec(snippet);
        const modulesLine = /^#\s+(\S+ \.\/secrets\.nix)$/m.exec(snippet);
        expect(input, "the input line").not.toBeNull();
        expect(outputsHead, "the outputs line").not.toBeNull();
        expect(modulesLine?.[1]).toBe(`${m.module} ./secrets.nix`);
        let text = readFileSync(join(dir, "flake.nix"), "utf8");
        const edits: [string, string][] = [
          ["  inputs = {\n", `  inputs = {\n    ${input![1]}\n`],
          ["outputs =\n    { nixpkgs, clawdbot, ... }:", outputsHead![1]!.replace("outputs = ", "outputs =\n    ")],
          ["./gateway.nix\n", `./gateway.nix\n          ${modulesLine![1]}\n`],
        ];
        for (const [from, to] of edits) {
          expect(text, `flake.nix has ${JSON.stringify(from)}`).toContain(from);
          text = text.replace(from, to);
        }
        const edited = join(dir, "flake-with-secrets.nix");
        writeFileSync(edited, text);
        const r = evalOk(`
          let
            lib = import ${nixStr(`${lib}/lib`)};
            flake = import ${nixStr(edited)};
            manager = ${nixStr(name)};
          in (${stripPaths}) {
            follows = flake.inputs.\${manager}.inputs.nixpkgs.follows;
            outputs = flake.outputs {
              self = { };
              nixpkgs.lib = lib // { nixosSystem = args: args; };
              clawdbot.nixosModules.default = "clawdbot.nixosModules.default";
              \${manager}.nixosModules = { sops = "sops-nix.nixosModules.sops"; default = "agenix.nixosModules.default"; };
            };
          }`) as { follows: string; outputs: { nixosConfigurations: Record<string, { modules: string[] }> } };
        expect(r.follows).toBe("nixpkgs");
        expect(r.outputs.nixosConfigurations[FILL.REPLACE_ME_HOSTNAME]!.modules).toEqual([
          "clawdbot.nixosModules.default",
          "./configuration.nix",
          "./gateway.nix",
          m.module,
          "./secrets.nix",
        ]);
      });

      it.each(GATEWAYS)("secrets.nix + gateway.nix through the flake's NixOS module (%s): the token file by LoadCredential, the env file where gateway.nix reads it, nothing generated", (gateway) => {
        const r = evalOk(
          nixosEval({ lib, module: join(dir, "gateway.nix"), gateway, extraModules: [m.stub, nixStr(join(dir, "secrets.nix"))], extraOutput: m.paths }),
        ) as { failed: string[]; serviceConfig: Record<string, any>; extra: Record<string, string> };
        expect(r.failed).toEqual([]);
        expect(r.extra["gateway-token"]).toBe(m.tokenPath);
        expect(r.serviceConfig.LoadCredential).toEqual([`${gateway.toUpperCase()}_GATEWAY_TOKEN:${m.tokenPath}`]);
        // the decrypted env file, required (no "-": a boot without it fails the unit instead of starting keyless)
        expect(r.serviceConfig.EnvironmentFile).toEqual([m.envPath]);
        expect(r.extra["gateway.env"]).toBe(m.envPath);
        // with a token file, no token is generated
        expect(r.serviceConfig.ExecStart).not.toContain("gateway-token");
        expect(JSON.stringify(r)).not.toContain("/nix/store/00000000000000000000000000000000-secrets");
      });
    });
  });

  describe("container", () => {
    type Image = { name: string; tag: string; config: any; fakeRootCommands: string; contents: unknown; passthru: { configFile: { text: string } } };
    const images: Partial<Record<Gateway, Record<"default" | "fly", Image>>> = {};
    let devShell: { packages: string[] };
    let systems: { packages: Record<string, Record<string, string>>; devShells: string[]; aarch64Config: string };
    let readme: string;

    /** The template's flake (its one line set to `gateway`) → the image's default.nix with stand-in pkgs. */
    const evalFlake = (gateway: Gateway) => {
      const init = instantiate(flake.dir, "container", gateway === "openclaw" ? {} : { "flake.nix": pickGateway(gateway) });
      cleanups.push(init.cleanup);
      const pkg = (n: string, extra = "") => `{ outPath = "${STORE}-${n}"; name = "${n}"; ${extra} }`;
      const outputs = evalOk(`
        let
          lib = import ${nixStr(`${lib}/lib`)};
          flake = import ${nixStr(join(init.dir, "flake.nix"))};
          pkg = n: { outPath = "${STORE}-\${n}"; name = n; };
          # Stand-in pkgs: derivations are store paths, builders capture their arguments.
          pkgs = lib.genAttrs [ "bashInteractive" "coreutils" "findutils" "gnugrep" "gnused" "gawk" "gnutar" "gzip" "curl" "git" "procps" "util-linux" "tini" "cacert" "nodejs_22" "skopeo" "flyctl" ] pkg // {
            inherit lib;
            # the image's own fields are what the test reads; overrideAttrs as mkDerivation's (the image puts its
            # passthru and meta on the tarball with it)
            dockerTools = { buildLayeredImage = args: args // { overrideAttrs = f: args // f args; }; caCertificates = pkg "ca-certificates"; };
            runCommand = name: env: script: pkg name;
            writeText = name: text: pkg name // { inherit text; };
            writeScript = name: text: pkg name // { inherit text; };
            mkShell = args: args;
          };
          clawdbot = ${pkg("clawdbot-gateway-2026.1.24-3", `version = "2026.1.24-3"; passthru = { nodejs = ${pkg("nodejs-22")}; tools = [ ${pkg("gogcli")} ]; };`)};
          t1 = (${T1_PKGS}).pkgsFor "x86_64-linux";
          image = import ${nixStr(join(REPO, "nix/image/default.nix"))};
          imageWith = args: image ((builtins.intersectAttrs (builtins.functionArgs image) pkgs) // args);
          # The flake's two image packages (flake.nix): what callPackage gives each, then the template's override.
          # Each system's image is built for that system: the stand-in records which one was asked for.
          packagesFor = system: {
            image.override = args: imageWith ({ gateway = "clawdbot"; inherit clawdbot; } // args) // { inherit system; };
            image-openclaw.override =
              args:
              imageWith ({
                gateway = "openclaw";
                openclaw-gateway = t1.openclaw-gateway // { passthru.nodejs = pkg "nodejs-24"; };
                inherit (t1) openclawPlugins;
              } // args) // { inherit system; };
          };
          outputs = flake.outputs {
            self = { };
            nixpkgs = { inherit lib; legacyPackages = lib.genAttrs [ "x86_64-linux" "aarch64-linux" ] (_: pkgs); };
            clawdbot.packages = lib.genAttrs [ "x86_64-linux" "aarch64-linux" ] packagesFor;
          };
          show = img: {
            inherit (img) name tag config fakeRootCommands;
            contents = map toString img.contents;
            passthru.configFile.text = img.passthru.configFile.text;
          };
        in {
          images = { default = show outputs.packages.x86_64-linux.default; fly = show outputs.packages.x86_64-linux.fly; };
          devShell.packages = map (p: p.name) outputs.devShells.x86_64-linux.default.packages;
          systems = {
            packages = builtins.mapAttrs (_: ps: builtins.mapAttrs (_: p: p.system) ps) outputs.packages;
            devShells = builtins.attrNames outputs.devShells;
            aarch64Config = outputs.packages.aarch64-linux.default.passthru.configFile.text;
          };
        }`) as { images: Record<"default" | "fly", Image>; devShell: typeof devShell; systems: typeof systems };
      return { ...outputs, dir: init.dir };
    };

    beforeAll(() => {
      const o = evalFlake("openclaw");
      images.openclaw = o.images;
      devShell = o.devShell;
      systems = o.systems;
      readme = readFileSync(join(o.dir, "README.md"), "utf8");
      images.clawdbot = evalFlake("clawdbot").images;
    });

    const env = (img: Image): Record<string, string> =>
      Object.fromEntries(img.config.Env.map((e: string) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));

    it("packages.default (the template's default, OpenClaw): claw-gateway:nix as docker-compose.yml names it, uid 1000, its volumes, openclaw.json typed and valid, the Discord plugin baked in", () => {
      const img = images.openclaw!.default;
      expect(`${img.name}:${img.tag}`).toBe("claw-gateway:nix");
      expect(img.config.User).toBe("1000:1000");
      expect(env(img)).toMatchObject({
        OPENCLAW_NIX_MODE: "1",
        OPENCLAW_CONFIG_PATH: "/etc/openclaw/openclaw.json",
        OPENCLAW_STATE_DIR: "/home/node/state",
      });
      expect(Object.keys(img.config.Volumes).sort()).toEqual(["/home/node/state", "/home/node/workspace"]);
      // the package's own probe (nix/health-probe.nix): /readyz and the configured channels
      expect(img.config.Healthcheck.Test[1]).toContain("/share/openclaw/health-probe.mjs --url ws://127.0.0.1:18789 ");
      const config = JSON.parse(img.passthru.configFile.text);
      expectValid(config, "container openclaw.json", "openclaw");
      expect(config.gateway).toEqual({ mode: "local", port: 18789, bind: "lan" });
      expect(config.agents.defaults.workspace).toBe("/home/node/workspace");
      expect(config.logging.file).toBe("/home/node/state/logs/gateway.log");
      expect(config.plugins.entries.discord.enabled).toBe(true);
      expect(config.plugins.load.paths).toEqual([expect.stringMatching(/\/node_modules\/@openclaw\/discord$/)]);
      expect(config.channels.discord.guilds).toHaveProperty(FILL.REPLACE_ME_DISCORD_GUILD_ID);
    });

    it('gateway = "clawdbot": the same name and volumes (compose and fly.toml unchanged), Clawdbot\'s environment and WebSocket health check, clawdbot.json valid', () => {
      const img = images.clawdbot!.default;
      const oc = images.openclaw!.default;
      expect(`${img.name}:${img.tag}`).toBe(`${oc.name}:${oc.tag}`);
      expect(img.config.Volumes).toEqual(oc.config.Volumes);
      expect(img.config.ExposedPorts).toEqual(oc.config.ExposedPorts);
      expect(img.config.User).toBe("1000:1000");
      expect(env(img)).toMatchObject({
        CLAWDBOT_NIX_MODE: "1",
        CLAWDBOT_CONFIG_PATH: "/etc/clawdbot/clawdbot.json",
        CLAWDBOT_STATE_DIR: "/home/node/state",
      });
      expect(img.config.Healthcheck.Test[1]).toContain("health-probe.mjs --url ws://127.0.0.1:18789");
      // the gateway's tools are on the image's PATH too (docker exec … which gogcli)
      expect(env(img).PATH).toContain(`${STORE}-gogcli/bin`);
      const config = JSON.parse(img.passthru.configFile.text);
      expectValid(config, "container clawdbot.json");
      expect(config.gateway).toEqual({ mode: "local", port: 18789, bind: "lan" });
      expect(config.agents.defaults.workspace).toBe("/home/node/workspace");
      expect(config.plugins.entries.discord.enabled).toBe(true);
      expect(config.plugins.load).toBeUndefined();
      // the settings are the template's, the same for both gateways
      const ocConfig = JSON.parse(oc.passthru.configFile.text);
      expect(config.channels).toEqual(ocConfig.channels);
      expect(config.agents).toEqual(ocConfig.agents);
      expect(config.auth).toEqual(ocConfig.auth);
    });

    it("packages.fly: starts as root to hand the volume to uid 1000, 1.5 GB heap; same config (either gateway)", () => {
      for (const g of GATEWAYS) {
        const img = images[g]!.fly;
        expect(img.config.User, g).toBe("0:0");
        expect(img.config.Env, g).toContain("NODE_OPTIONS=--max-old-space-size=1536");
        expect(img.passthru.configFile.text, g).toBe(images[g]!.default.passthru.configFile.text);
      }
    });

    it("every system the README states has the image (default and fly) and the dev shell, each built for that system", () => {
      const line = readme.split("\n").find((l) => l.startsWith("Systems: "));
      expect(line, "README.md: a line starting with 'Systems: '").toBeDefined();
      const stated = [...line!.matchAll(/`((?:x86_64|aarch64)-(?:linux|darwin))`/g)].map((m) => m[1]!);
      expect(stated).toEqual(["x86_64-linux", "aarch64-linux"]);
      expect(Object.keys(systems.packages).sort()).toEqual([...stated].sort());
      for (const system of stated) expect(systems.packages[system], system).toEqual({ default: system, fly: system });
      expect(systems.devShells.sort()).toEqual([...stated].sort());
      expect(systems.aarch64Config).toBe(images.openclaw!.default.passthru.configFile.text);
    });

    it("the README's Docker steps are complete: token, chown of the volumes to the image's uid, up", () => {
      const steps = readme.slice(readme.indexOf("## Docker"), readme.indexOf("## Fly.io"));
      const order = [
        "nix build .#default && docker load < result",
        "cp gateway.env.example .env && chmod 600 .env",
        "GATEWAY_TOKEN=$(openssl rand -hex 32)",
        "mkdir -p state workspace && sudo chown 1000:1000 state workspace",
        "docker compose up -d",
      ];
      const at = order.map((cmd) => steps.indexOf(cmd));
      for (const [i, cmd] of order.entries()) expect(at[i], cmd).toBeGreaterThanOrEqual(0);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
      expect(images.openclaw!.default.config.User).toBe("1000:1000");
    });

    it("the dev shell has the push and deploy tools of the README", () => {
      expect(devShell.packages.sort()).toEqual(["flyctl", "skopeo"]);
    });

    const imageSettings = (gateway: Gateway, args: string) =>
      nixEval(`import ${nixStr(join(REPO, "nix/image/settings.nix"))} { lib = import ${nixStr(`${lib}/lib`)}; gateway = ${nixStr(gateway)}; } ${args}`);

    it.each(GATEWAYS)("the %s image refuses { _secret = …; } in its settings, naming the path", (gateway) => {
      const r = imageSettings(gateway, `{ plugins = [ "discord" ]; settings.channels.discord.token._secret = "/run/secrets/discord"; }`);
      expect(r.ok).toBe(false);
      expect(r.stderr).toContain(`${gateway} image: settings channels.discord.token use { _secret`);
    });

    it.each(GATEWAYS)("the %s image refuses secrets written as text (the modules' rule: typed paths and plugin channels' key names)", (gateway) => {
      const cases: [string, string][] = [
        ["channels.discord.token", `{ channels.discord.token = "literal-token"; }`],
        ["env.vars.OPENAI_API_KEY", `{ env.vars.OPENAI_API_KEY = "sk-literal"; }`],
      ];
      if (gateway === "clawdbot") cases.push(["channels.matrix.accessToken", `{ channels.matrix.accessToken = "literal"; }`]);
      for (const [path, settings] of cases) {
        const r = imageSettings(gateway, `{ plugins = [ "discord" ]; settings = ${settings}; }`);
        expect(r.ok, path).toBe(false);
        expect(r.stderr, path).toMatch(new RegExp(`settings ${path.replaceAll(".", "\\.")} hold secrets as text`));
      }
      expect(imageSettings(gateway, `{ plugins = [ "discord" ]; settings.channels.discord.token = "\\\${DISCORD_BOT_TOKEN}"; }`).ok, "a reference is fine").toBe(true);
    });

    it("the OpenClaw image refuses a channel whose plugin it does not load, naming the plugin line", () => {
      const r = imageSettings("openclaw", `{ settings.channels.discord.enabled = true; }`);
      expect(r.ok).toBe(false);
      expect(r.stderr).toContain('openclaw image: settings.channels.discord: the discord channel comes from the separately published plugin "discord"');
      expect(r.stderr).toContain('plugins = [ "discord" ];');
    });
  });
});
