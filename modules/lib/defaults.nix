# The per-instance defaults, with builtins only: the computed paths of each platform, and the plain default
# of every service option read out of modules/generated/service.nix itself (through a stub `lib` whose
# mkOption returns its argument), so the builtins rendering and the real module cannot disagree on a
# default. The option types are never forced here.
let
  str = import ./strings.nix;

  stubLib = {
    mkOption = attrs: attrs // { _type = "option"; };
    optionalAttrs = cond: attrs: if cond then attrs else { };
    literalMD = text: text;
    literalExpression = text: text;
    inherit (str) hasPrefix;
    types = throw "modules/lib/defaults.nix: option types are not evaluated with builtins only";
  };

  # { a = option; b = { c = option; }; } → { a = default; b = { c = default; }; }
  defaultsOf =
    options:
    builtins.mapAttrs (
      _: option:
      if option._type or null == "option" then
        option.default or (throw "service option without a default")
      else
        defaultsOf option
    ) options;
in
rec {
  # "default" is the top-level instance (services.clawdbot.*); others are services.clawdbot.instances.<name>.
  suffix = name: if name == "default" then "" else "-${name}";

  # The computed defaults of one instance. `home` is the user's home (Home Manager, nix-darwin); the paths
  # under the state directory follow `stateDir` when it is given.
  computed =
    {
      platform,
      name ? "default",
      home ? null,
      stateDir ? null,
    }:
    let
      s = suffix name;
      stateDir' =
        if stateDir != null then
          stateDir
        else if platform == "nixos" then
          "/var/lib/clawdbot${s}"
        else if home == null then
          throw "modules/lib: platform ${platform} needs `home`"
        else
          "${home}/.clawdbot${s}";
    in
    {
      stateDir = stateDir';
      configPath = "${stateDir'}/clawdbot.json";
      logFile = "${stateDir'}/logs/gateway.log";
    };

  # Where the persistent TMPDIR lives (jiti cache, gateway lock): NixOS CacheDirectory, the user's cache
  # directory elsewhere.
  cacheDir =
    {
      platform,
      name ? "default",
      home ? null,
      ...
    }:
    if platform == "nixos" then
      "/var/cache/clawdbot${suffix name}"
    else if platform == "darwin" || platform == "home-manager-darwin" then
      "${home}/Library/Caches/clawdbot${suffix name}"
    else
      "${home}/.cache/clawdbot${suffix name}";

  # Every service option's default for this platform and instance, as plain values.
  options =
    args@{
      platform,
      name ? "default",
      home ? null,
      stateDir ? null,
    }:
    defaultsOf (
      import ../generated/service.nix {
        lib = stubLib;
        platform = if platform == "home-manager-darwin" then "home-manager" else platform;
        defaults = computed args;
      }
    )
    // {
      settings = { };
    };
}
