# The option values of one instance, as the module system gives them: modules/common.nix's instance
# submodule (the generated service options with their computed paths, `settings` typed from upstream's
# schema, the settings the service options imply at mkDefault) evaluated by the real lib.evalModules with
# the given options as one definition. The result is what modules/common.nix renderArgs passes as
# `options` (without enable, package, instances, _module).
#
# What the platform modules add around it is not here: the instance is `instances.<name>` of a bare
# evaluation (no NixOS, Home Manager), so "default" is an instance named "default" (its paths are
# services.<gateway>'s, paths.nix `suffix`). tests/modules/t1.test.ts compares these values with the NixOS
# module's own. `pkgs` is the only stand-in: common.nix reads from it, lazily, the package option's default
# (never forced: every caller passes `package` to the renderer itself) and, for `plugins`, the plugin set's
# settingsFor (the callers that name plugins put those settings in `settings` themselves; tests/openclaw/
# nix.test.ts checks settingsFor).
{
  lib ? import ./lib.nix,
  # the gateway's description (modules/lib/gateways.nix)
  gateway ? throw "tests/support/nix/instance.nix: the `gateway` argument is required: gateway = (import ./modules/lib/gateways.nix).openclaw; (or .clawdbot)",
  # "nixos", "home-manager", "home-manager-darwin" or "darwin"
  platform,
  name ? "default",
  home ? null,
  options ? { },
}:
let
  modulePlatform = if platform == "home-manager-darwin" then "home-manager" else platform;
  pkgs = {
    ${if gateway.pluginsAttr != null then gateway.pluginsAttr else null} = {
      ids = [ ];
      # what nix/openclaw/plugins.nix settingsFor returns, empty: the callers put the plugins' settings in themselves
      settingsFor = _: { plugins = { }; };
    };
    stdenv.hostPlatform = {
      system = if platform == "nixos" || platform == "home-manager" then "x86_64-linux" else "aarch64-darwin";
      isDarwin = platform == "darwin" || platform == "home-manager-darwin";
    };
  };
  evaluated = lib.evalModules {
    modules = [
      (
        { config, ... }:
        let
          common = import ../../../modules/common.nix {
            inherit lib pkgs gateway home;
            platform = modulePlatform;
            cfg = config;
          };
        in
        {
          options = {
            inherit (common.options) instances;
            package = lib.mkOption { default = throw "tests/support/nix/instance.nix: pass `package` to the renderer"; };
          };
        }
      )
      { instances.${name} = options; }
    ];
  };
in
builtins.removeAttrs evaluated.config.instances.${name} [
  "enable"
  "package"
  "_module"
]
