# What the Home Manager (or nix-darwin) module does around modules/lib/hm-unit.nix, with the real lib: the
# instance's option values (./instance.nix: common.nix's instance submodule through lib.evalModules) and the
# user unit file as Home Manager's modules/systemd.nix writes it (below). tests/modules/golden.test.ts
# compares that text with Home Manager's own rendering (the whole Home Manager module), byte for byte.
#
#   import ./tests/support/nix/hm-unit.nix {
#     package = "/nix/store/…"; shell = "/bin/sh"; home = "/home/alice"; darwin = false; platform = null;
#     options = { port = 18789; };        # partial: the module system's defaults fill the rest
#     lib = <nixpkgs lib>;                 # optional: ./lib.nix (../shared/t1/nixpkgs-lib) by default
#     gateway = (import ./modules/lib/gateways.nix).openclaw;   # required: which gateway (.clawdbot, .openclaw)
#   }
#   → modules/lib/hm-unit.nix's result // { unitText; }
args@{
  lib ? import ./lib.nix,
  gateway ? throw "tests/support/nix/hm-unit.nix: the `gateway` argument is required: gateway = (import ./modules/lib/gateways.nix).openclaw; (or .clawdbot)",
  options ? { },
  name ? "default",
  home,
  darwin ? false,
  platform ? null,
  ...
}:
let
  full = import ./instance.nix {
    inherit lib;
    inherit gateway;
    platform =
      if platform != null then
        platform
      else if darwin then
        "home-manager-darwin"
      else
        "home-manager";
    inherit name home options;
  };
  u = import ../../../modules/lib/hm-unit.nix (args // { inherit lib gateway; options = full; });

  # Home Manager's writer of user units, as modules/systemd.nix (home-manager ec1a8fdf7, ../shared/t1) has it:
  # toSystemdIni (lines 33-41) over the unit with null and [ ] fields and empty sections left out (lines
  # 50-63). golden.test.ts compares the result with Home Manager's own rendering byte for byte.
  toSystemdIni = lib.generators.toINI {
    listsAsDuplicateKeys = true;
    mkKeyValue =
      key: value:
      let
        value' = if builtins.isBool value then (if value then "true" else "false") else toString value;
      in
      "${key}=${value'}";
  };
  write =
    unit:
    toSystemdIni (
      lib.filterAttrs (_: section: section != { }) (lib.mapAttrs (_: lib.filterAttrs (_: value: value != null && value != [ ])) unit)
    );
  unitText = write u.unit;
  # with watchdog.enable (Linux): its user units, by file name
  watchdogUnits =
    if u.watchdog.enabled then
      {
        "${u.watchdog.serviceName}.service" = write u.watchdog.user.service;
        "${u.watchdog.timerName}.timer" = write u.watchdog.user.timer;
      }
    else
      { };
in
u // { inherit unitText watchdogUnits; }
