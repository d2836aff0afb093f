# What the NixOS module and NixOS do around modules/lib/nixos-unit.nix, with the real lib: the instance's
# option values (./instance.nix: common.nix's instance submodule through lib.evalModules) and the unit file
# written the way NixOS writes it (./nixos-unit-text.nix, the one writer no tier here has).
#
#   import ./tests/support/nix/nixos-unit.nix {
#     package = "/nix/store/…"; shell = "/bin/sh"; name = "default"; path = [ ]; system = "x86_64-linux";
#     options = { port = 18789; };        # partial: the module system's defaults fill the rest
#     defaultPath = [ ];                   # what NixOS appends to every unit's path (coreutils, findutils, …)
#     lib = <nixpkgs lib>;                 # optional: ./lib.nix (../shared/t1/nixpkgs-lib) by default
#     gateway = (import ./modules/lib/gateways.nix).openclaw;   # required: which gateway (.clawdbot, .openclaw)
#   }
#   → modules/lib/nixos-unit.nix's result // { unitText; }
args@{
  lib ? import ./lib.nix,
  gateway ? throw "tests/support/nix/nixos-unit.nix: the `gateway` argument is required: gateway = (import ./modules/lib/gateways.nix).openclaw; (or .clawdbot)",
  options ? { },
  name ? "default",
  defaultPath ? [ ],
  ...
}:
let
  full = import ./instance.nix {
    inherit lib;
    inherit gateway;
    platform = "nixos";
    inherit name options;
  };
  u = import ../../../modules/lib/nixos-unit.nix (
    builtins.removeAttrs args [ "defaultPath" ]
    // {
      inherit lib gateway;
      options = full;
    }
  );
  written = import ./nixos-unit-text.nix {
    inherit (u) serviceName service;
    inherit defaultPath;
  };
  # with watchdog.enable: its service and timer files, by name
  watchdogUnits =
    if u.watchdog.enabled then
      let
        w = import ./nixos-watchdog-text.nix { inherit (u.watchdog.nixos) service timer; };
      in
      {
        "${u.watchdog.serviceName}.service" = w.service;
        "${u.watchdog.timerName}.timer" = w.timer;
      }
    else
      { };
in
u
// {
  inherit watchdogUnits;
  inherit (written) unitText restartTriggers;
  storeFiles = u.storeFiles ++ [ written.restartTriggers ];
}
