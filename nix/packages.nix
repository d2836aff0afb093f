# The flake's per-system packages, without the overlay: `import ./nix/packages.nix { inherit pkgs; }`.
# Only derivations (all that `packages.<system>` may hold):
#   clawdbot-gateway, default  the bare gateway
#   openclaw-gateway           the bare OpenClaw gateway (npm `openclaw`, nix/openclaw/, Node 24)
#   clawdbot                   the gateway with this system's default tool list (nix/tools/select.nix)
#   clawdbot-tool-<name>       each tool that has a pinned release for this system
# The tool set with its functions (`select`, `bundle`, …) and OpenClaw's channel plugins with theirs
# (`openclawPlugins.<id>`, `withPlugins`) are not derivations only: nix/legacy-packages.nix.
{ pkgs }:
let
  inherit (pkgs) lib;
  inherit (import ./legacy-packages.nix { inherit pkgs; }) clawdbotTools;
  clawdbot-gateway = clawdbotTools.gateway;
in
{
  inherit clawdbot-gateway;
  default = clawdbot-gateway;
  openclaw-gateway = pkgs.callPackage ./package.nix { gateway = "openclaw"; };
  clawdbot = clawdbotTools.bundle clawdbotTools.defaultTools;
}
// lib.listToAttrs (
  map (name: lib.nameValuePair "clawdbot-tool-${name}" clawdbotTools.${name}) clawdbotTools.availableFor
)
