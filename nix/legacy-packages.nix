# The flake's per-system `legacyPackages`: `import ./nix/legacy-packages.nix { inherit pkgs; }`.
#   clawdbotTools.<name>            a tool's derivation (evaluation error naming tool and system when it has
#                                   no pinned release for this system)
#   clawdbotTools.select [ names ]  their derivations;  clawdbotTools.bundle [ names ]  gateway + those tools
{ pkgs }:
{
  clawdbotTools = pkgs.callPackage ./tools {
    clawdbot-gateway = pkgs.callPackage ./package.nix { };
  };
}
