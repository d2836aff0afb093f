# The flake's per-system packages, without the overlay: `import ./nix/packages.nix { inherit pkgs; }`.
# Only derivations (all that `packages.<system>` may hold):
#   openclaw-gateway, default  the bare OpenClaw gateway (npm `openclaw`, nix/openclaw/, Node 24): what
#                              `nix run` starts, the current release
#   clawdbot-gateway           the bare Clawdbot gateway (npm `clawdbot`, pinned at its last release)
#   clawdbot                   the gateway with this system's default tool list (nix/tools/select.nix)
#   openclaw                   OpenClaw with the same tools
#   clawdbot-tool-<name>       each tool that has a pinned release for this system
# The tool set with its functions (`select`, `bundle`, …) and OpenClaw's channel plugins with theirs
# (`openclawPlugins.<id>`, `withPlugins`) are not derivations only: nix/legacy-packages.nix.
{ pkgs }:
let
  inherit (pkgs) lib;
  inherit (import ./legacy-packages.nix { inherit pkgs; }) clawdbotTools;
  clawdbot-gateway = clawdbotTools.gateway;
  openclaw-gateway = pkgs.callPackage ./package.nix { gateway = "openclaw"; };
in
{
  inherit clawdbot-gateway openclaw-gateway;
  default = openclaw-gateway;
  clawdbot = clawdbotTools.bundle clawdbotTools.defaultTools;
  openclaw = clawdbotTools.bundleFor openclaw-gateway clawdbotTools.defaultTools;
}
// lib.listToAttrs (
  map (name: lib.nameValuePair "clawdbot-tool-${name}" clawdbotTools.${name}) clawdbotTools.availableFor
)
