# `clawdbot-nix import` evaluates what it writes through the real modules (cli/verify.ts runs this with
# nix-instantiate): the imported directory is the whole configuration of a NixOS system or of a Home Manager
# user, over nixpkgs' `lib` and a `pkgs` built from builtins (nothing is built). What fails is the modules'
# own verdict: the assertions they declare (their messages, word for word) and any evaluation error (an
# unknown option, a value of the wrong type), which nix-instantiate prints.
#
#   import ./verify.nix { source; nixpkgsLib; homeManager ? null; gateway; platform; module; }
#   → { failed = [ <assertion message> … ]; instances = [ <instance name> … ]; }
{
  # a clawdbot-nix source tree (modules/, nix/)
  source,
  # a folder holding nixpkgs' lib/ (a nixpkgs checkout, or nix-community/nixpkgs.lib)
  nixpkgsLib,
  # a Home Manager source tree (platform "homeManager" only)
  homeManager ? null,
  # "clawdbot" or "openclaw": the service whose settings are forced
  gateway,
  # "nixos" or "homeManager"
  platform,
  # the imported default.nix
  module,
}:
let
  lib =
    if homeManager != null then
      import (homeManager + "/modules/lib/stdlib-extended.nix") (import (nixpkgsLib + "/lib"))
    else
      import (nixpkgsLib + "/lib");

  system = "x86_64-linux";
  # A store path that is never built: only its string is used (nix-base32 has no e, o, u, t).
  drv =
    name:
    {
      type = "derivation";
      inherit name;
      outPath = "/nix/store/${
        builtins.replaceStrings [ "e" "o" "u" "t" "0" ] [ "f" "p" "v" "w" "1" ] (
          builtins.substring 0 32 (builtins.hashString "sha256" name)
        )
      }-${name}";
      meta.mainProgram = name;
    };
  openclawVersion = (lib.importJSON (source + "/nix/openclaw/plugins/package.json")).version;
  hostPlatform = {
    inherit system;
    isDarwin = false;
    isLinux = true;
  };
  pkgs = {
    inherit lib system;
    stdenv.hostPlatform = hostPlatform;
    runtimeShell = "${drv "bash"}/bin/bash";
    writeText = name: text: builtins.toFile name text;
    writeTextFile =
      { name, text, ... }:
      {
        inherit name text;
        outPath = builtins.toFile name text;
      };
    writeScriptBin = name: text: { outPath = builtins.toFile name text; };
    runCommand = name: _env: script: builtins.toFile name script;
    symlinkJoin = args: drv args.name;
    emptyDirectory = drv "empty-directory";
    coreutils = drv "coreutils";
    systemd = drv "systemd";
    sd-switch = drv "sd-switch";
    formats.ini = _: {
      type = lib.types.attrsOf (lib.types.attrsOf lib.types.anything);
      generate = name: value: builtins.toFile name (lib.generators.toINI { } value);
    };
    clawdbot-gateway = drv "clawdbot-gateway";
    clawdbotTools = lib.genAttrs (import (source + "/nix/tools/select.nix") { }).names drv;
    openclaw-gateway = drv "openclaw-gateway-${openclawVersion}" // {
      version = openclawVersion;
    };
    # the real plugin set over builders that build nothing (its ids and folders are what the modules read)
    openclawPlugins = import (source + "/nix/openclaw/plugins.nix") {
      inherit lib;
      stdenv = {
        mkDerivation = attrs: drv "${attrs.pname}-${attrs.version}";
        inherit hostPlatform;
        cc.cc.lib = drv "gcc-lib";
      };
      importNpmLock = {
        __functor = _: _: { };
        npmConfigHook.override = _: drv "npm-config-hook";
      };
      autoPatchelfHook = drv "auto-patchelf-hook";
      nodejs_24 = drv "nodejs-24";
      openclaw-gateway = pkgs.openclaw-gateway;
    };
  };

  option = type: default: lib.mkOption { inherit type default; };
  list = option (lib.types.listOf lib.types.raw) [ ];
  anyAttrs = option (lib.types.attrsOf lib.types.anything) { };

  # The options of the surrounding system that the modules set (stubs).
  stubs = {
    nixos.options = {
      systemd.services = anyAttrs;
      systemd.tmpfiles.rules = list;
      users.users = anyAttrs;
      users.groups = anyAttrs;
      networking.firewall.allowedTCPPorts = list;
      environment.systemPackages = list;
    };
    homeManager.options = {
      home.homeDirectory = option lib.types.str "/home/user";
      home.username = option lib.types.str "user";
      home.packages = list;
      home.activation = option (lib.types.lazyAttrsOf lib.types.raw) { };
      home.extraBuilderCommands = option lib.types.lines "";
      xdg.configHome = option lib.types.str "/home/user/.config";
      xdg.configFile = anyAttrs;
      xdg.dataFile = anyAttrs;
    };
  };

  modules = {
    nixos = [ (source + "/modules/nixos.nix") ];
    homeManager = [
      (homeManager + "/modules/systemd.nix")
      (homeManager + "/modules/launchd/default.nix")
      (source + "/modules/home-manager.nix")
    ];
  };

  evaluated = lib.evalModules {
    modules = [
      {
        options.assertions = list;
        options.warnings = list;
        options.meta.maintainers = list;
        config._module.args.pkgs = pkgs;
      }
      stubs.${platform}
      module
    ]
    ++ modules.${platform};
  };
  cfg = evaluated.config.services.${gateway};
  failed = map (a: a.message) (lib.filter (a: !a.assertion) evaluated.config.assertions);
in
# every setting of every instance is type-checked (deepSeq), then the assertions
builtins.deepSeq [ cfg.settings (lib.mapAttrs (_: i: i.settings) (cfg.instances or { })) ] {
  inherit failed;
  instances = lib.attrNames (cfg.instances or { });
}
