# Tool selection over nix/tools/lock.json: which release to fetch for which system.
#
# Builtins only (no nixpkgs `lib`), so that tests evaluate it with a bare `nix-instantiate --eval` (T0) and
# nix/tools/default.nix uses the very same logic with real nixpkgs (T1). Asking for a tool that has no
# release for a system is an evaluation error naming the tool and the system: tools are never silently
# dropped from a bundle.
{
  lock ? builtins.fromJSON (builtins.readFile ./lock.json),
}:
let
  inherit (builtins)
    attrNames
    concatStringsSep
    filter
    hasAttr
    map
    ;

  names = attrNames lock.tools;

  knownSystems = lock.systems;

  toolOf =
    name:
    if hasAttr name lock.tools then
      lock.tools.${name}
    else
      throw "clawdbot tools: unknown tool `${name}`. Known tools: ${concatStringsSep ", " names}.";

  hasRelease = system: name: (toolOf name).sources.${system} or { } ? url;
in
rec {
  inherit names knownSystems;

  # Systems for which `name` has a pinned release (meta.platforms of its derivation).
  systemsOf = name: filter (system: hasRelease system name) knownSystems;

  # Tools with a pinned release for `system`.
  availableFor = system: filter (hasRelease system) names;

  # The pinned source of one tool for one system, or an evaluation error naming both.
  source =
    system: name:
    let
      tool = toolOf name;
      entry = tool.sources.${system} or { none = "the lock has no entry for this system"; };
    in
    if entry ? url then
      {
        inherit name system;
        inherit (tool) version mainProgram repo;
        # SPDX id (nixpkgs: lib.getLicenseFromSpdxId). A tool whose license nobody has recorded cannot be
        # built: record it in the lock when pinning its release.
        license =
          if tool.license or null != null then
            tool.license
          else
            throw "clawdbot tools: `${name}` has no license recorded in nix/tools/lock.json; record its SPDX id with its release.";
        inherit (entry) url hash;
      }
    else
      throw (
        "clawdbot tools: `${name}` has no release for ${system} (${entry.none or "no url in the lock"}). "
        + "Remove \"${name}\" from the tool list for ${system}, or pin a release in nix/tools/lock.json "
        + "(npx tsx nix/tools/update.ts ${name}). Tools with a release for ${system}: "
        + concatStringsSep ", " (availableFor system)
        + "."
      );

  # The sources of a chosen tool list; fails on the first tool without a release for `system`.
  select = system: toolNames: map (source system) toolNames;

  # The tool list of the default `clawdbot` bundle, chosen per system (explicit, never filtered).
  defaultTools = {
    "x86_64-linux" = [
      "gogcli"
      "goplaces"
    ];
    "aarch64-linux" = [
      "gogcli"
      "goplaces"
    ];
    "aarch64-darwin" = [
      "gogcli"
      "goplaces"
    ];
  };
}
