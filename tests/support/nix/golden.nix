# One golden case of tests/golden/units/ rendered either by the T0 stand-ins (tier = "t0": this folder's
# nixos-unit.nix / hm-unit.nix with the lib stand-in) or by the real thing (tier = "t1": the flake's NixOS /
# Home Manager module through lib.evalModules with the real nixpkgs lib, Home Manager's own unit rendering).
# Both must give the committed golden files byte for byte (tests/modules/golden.test.ts); the T0 gateway and
# container tests start what those files say.
#
# The package is a fixed fake store path (…-clawdbot-gateway, …-openclaw-gateway: the gateway's package
# attribute), the shell /bin/sh and coreutils /usr: the container tests bind the prepared gateway tree at
# that path and run the units in a Debian root. `case.gateway` ("openclaw"; Clawdbot when absent) picks the
# service: services.clawdbot or services.openclaw, the same renderers over another gateway description.
{
  case,
  tier ? "t0",
  nixpkgsLib ? null,
  homeManager ? null,
}:
let
  gateway = (import ../../../modules/lib/gateways.nix).${case.gateway or "clawdbot"};
  package = "/nix/store/00000000000000000000000000000000-${gateway.packageAttr}";
  name = case.name or "default";
  home = case.home or "/home/alice";
  options = case.options or { };
  suffix = if name == "default" then "" else "-${name}";
  serviceName = "${gateway.name}${suffix}";
  # Home Manager on macOS: a launchd agent (the golden file is its plist)
  darwin = case.kind == "home-manager-darwin";
  system = if darwin then "aarch64-darwin" else "x86_64-linux";
  label = "${gateway.launchdLabel}${if name == "default" then "" else ".${name}"}";
  # what the watchdog runs (modules/lib/watchdog.nix): a fake Node of the gateway's major (the container tests
  # bind the prepared Node there) and the root file system's systemctl
  node = "/nix/store/11111111111111111111111111111111-nodejs-${toString gateway.nodeMajor}";
  systemd = "/usr";
  watchdogName = "${serviceName}-watchdog";

  t = import ../../fixtures/modules/t1/eval.nix (
    { inherit nixpkgsLib; } // (if homeManager != null then { inherit homeManager; } else { })
  );
  packageDrv = {
    type = "derivation";
    name = gateway.packageAttr;
    outPath = package;
  };
  # what the module sets, for the default instance or a named one
  serviceConfig =
    if name == "default" then
      {
        services.${gateway.name} = options // {
          enable = true;
          package = packageDrv;
        };
      }
    else
      { services.${gateway.name}.instances.${name} = options // { package = packageDrv; }; };
  pkgsOverride =
    { lib, ... }:
    {
      _module.args.pkgs = lib.mkForce (
        t.pkgsFor system
        // {
          coreutils = "/usr";
          runtimeShell = "/bin/sh";
          "nodejs_${toString gateway.nodeMajor}" = node;
          inherit systemd;
        }
      );
    };

  t0 =
    if case.kind == "nixos" then
      let
        r = import ./nixos-unit.nix {
          inherit gateway package name options node;
          shell = "/bin/sh";
          path = [ "/usr" ];
          systemctl = "${systemd}/bin/systemctl";
        };
      in
      {
        inherit (r) unitText cliScript tmpfilesRules failed watchdogUnits;
      }
    else
      let
        r = import ./hm-unit.nix {
          inherit gateway package name options home node;
          shell = "/bin/sh";
          path = [ "/usr" ];
          darwin = darwin;
          systemctl = "${systemd}/bin/systemctl";
        };
      in
      {
        unitText = if darwin then import ./hm-plist.nix { } r.agent else r.unitText;
        inherit (r) cliScript failed watchdogUnits;
        tmpfilesRules = [ ];
      };

  t1 =
    if case.kind == "nixos" then
      let
        e = t.nixos {
          configuration = {
            imports = [
              pkgsOverride
              serviceConfig
            ];
          };
        };
        written = import ./nixos-unit-text.nix {
          inherit serviceName;
          service = e.config.systemd.services.${serviceName};
        };
        watchdog =
          if e.config.systemd ? timers && e.config.systemd.timers ? ${watchdogName} then
            import ./nixos-watchdog-text.nix {
              service = e.config.systemd.services.${watchdogName};
              timer = e.config.systemd.timers.${watchdogName};
            }
          else
            null;
      in
      {
        inherit (written) unitText;
        inherit (e) failed;
        watchdogUnits =
          if watchdog == null then
            { }
          else
            {
              "${watchdogName}.service" = watchdog.service;
              "${watchdogName}.timer" = watchdog.timer;
            };
        cliScript = (builtins.head (builtins.filter (p: p.name == serviceName) e.config.environment.systemPackages)).text;
        tmpfilesRules = e.config.systemd.tmpfiles.rules;
      }
    else
      let
        e = t.homeManager {
          inherit system;
          configuration = {
            imports = [
              pkgsOverride
              serviceConfig
            ];
            home.username = "alice";
            home.homeDirectory = home;
          };
        };
      in
      {
        unitText = if darwin then e.plists."${label}.plist" else e.unitFiles."systemd/user/${serviceName}.service";
        inherit (e) failed;
        watchdogUnits = builtins.listToAttrs (
          map (file: {
            name = file;
            value = e.unitFiles."systemd/user/${file}";
          }) (builtins.filter (file: e.unitFiles ? "systemd/user/${file}") [ "${watchdogName}.service" "${watchdogName}.timer" ])
        );
        cliScript = (builtins.head (builtins.filter (p: p.name == serviceName) e.config.home.packages)).text;
        tmpfilesRules = [ ];
      };

  r = if tier == "t1" then t1 else t0;

  # every store file the unit and the CLI name (the config, the launcher, NixOS' restart-trigger file),
  # with its content; not the package, nor the watchdog's Node
  storePaths =
    text:
    builtins.filter (p: p != package && p != node) (
      map builtins.head (
        builtins.filter builtins.isList (builtins.split "(/nix/store/[0-9a-z]{32}-[^ \"'\n/]+)" text)
      )
    );
  watchdogText = builtins.concatStringsSep "" (builtins.attrValues r.watchdogUnits);
  paths = builtins.foldl' (acc: p: if builtins.elem p acc then acc else acc ++ [ p ]) [ ] (
    storePaths (r.unitText + r.cliScript + watchdogText)
  );
  configFile = builtins.head (
    builtins.filter (p: builtins.match ".*-${gateway.name}(-[^/]*)?\\.json" p != null) paths
  );
in
{
  unitName = if darwin then "${label}.plist" else "${serviceName}.service";
  inherit (r) unitText cliScript tmpfilesRules failed;
  cliName = serviceName;
}
# with watchdog.enable: the watchdog's service and timer files, by name (absent otherwise, so that the other
# cases' rendering.json stays what it was)
// (if r.watchdogUnits == { } then { } else { inherit (r) watchdogUnits; })
// {
  inherit configFile;
  configText = builtins.readFile configFile;
  storeFiles = builtins.listToAttrs (
    map (p: {
      name = p;
      value = builtins.readFile p;
    }) paths
  );
}
