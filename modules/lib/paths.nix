# Where an instance lives, per platform: the computed defaults of its paths (stateDir, configPath, logFile:
# the module system's defaults of those options) and where its persistent TMPDIR is, for a gateway description
# (./gateways.nix; always given). "default" is services.<gateway> itself; another name is
# services.<gateway>.instances.<name>.
let
  required = what: throw "modules/lib/paths.nix ${what}: the `gateway` argument is required: a description of modules/lib/gateways.nix, e.g. gateway = (import ./modules/lib/gateways.nix).openclaw;";
in
rec {
  suffix = name: if name == "default" then "" else "-${name}";

  # `home` is the user's home (Home Manager, nix-darwin); the paths under the state directory follow
  # `stateDir` when it is given.
  defaults =
    {
      gateway ? required "defaults",
      platform,
      name ? "default",
      home ? null,
      stateDir ? null,
    }:
    let
      stateDir' =
        if stateDir != null then
          stateDir
        else if platform == "nixos" then
          "/var/lib/${gateway.name}${suffix name}"
        else if home == null then
          throw "modules/lib/paths.nix: platform ${platform} needs `home`"
        else
          "${home}/.${gateway.name}${suffix name}";
    in
    {
      stateDir = stateDir';
      configPath = "${stateDir'}/${gateway.configFileName}";
      logFile = "${stateDir'}/logs/gateway.log";
    };

  # The persistent TMPDIR (jiti cache, gateway lock): NixOS' CacheDirectory, the user's cache elsewhere.
  cacheDir =
    {
      gateway ? required "cacheDir",
      platform,
      name ? "default",
      home ? null,
      ...
    }:
    if platform == "nixos" then
      "/var/cache/${gateway.name}${suffix name}"
    else if platform == "darwin" || platform == "home-manager-darwin" then
      "${home}/Library/Caches/${gateway.name}${suffix name}"
    else
      "${home}/.cache/${gateway.name}${suffix name}";
}
