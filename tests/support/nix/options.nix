# The option values of one instance as the module system gives them (T0 stand-in): the defaults of the
# gateway's generated service options (`gateway.serviceOptions`: modules/generated/service.nix for Clawdbot,
# modules/generated/openclaw/service.nix for OpenClaw; read through the lib stand-in's mkOption), the computed paths of
# modules/lib/paths.nix, the given options over them, and the settings the module defines at mkDefault
# priority (modules/lib/render.nix moduleSettings) under the given settings. tests/modules/t1.test.ts
# proves it equal to the real module system's values.
{
  lib ? import ./lib-shim.nix,
}:
{
  # the gateway's description (modules/lib/gateways.nix)
  gateway ? (import ../../../modules/lib/gateways.nix).clawdbot,
  platform,
  name ? "default",
  home ? null,
  options ? { },
}:
let
  paths = import ../../../modules/lib/paths.nix;
  render = import ../../../modules/lib/render.nix { inherit lib gateway; };
  defaultsOf =
    decls:
    builtins.mapAttrs (
      _: decl: if decl._type or null == "option" then decl.default or (throw "service option without a default") else defaultsOf decl
    ) decls;
  computed = paths.defaults {
    inherit gateway platform name home;
    stateDir = options.stateDir or null;
  };
  declarations = import gateway.serviceOptions {
    inherit lib;
    platform = if platform == "home-manager-darwin" then "home-manager" else platform;
    defaults = computed;
  };
  given = builtins.removeAttrs options [ "settings" ];
  values = lib.recursiveUpdate (defaultsOf declarations // computed) given;
in
values
// {
  settings = lib.recursiveUpdate (render.moduleSettings values) (options.settings or { });
}
