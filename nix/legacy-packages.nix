# The flake's per-system `legacyPackages`: `import ./nix/legacy-packages.nix { inherit pkgs; }`.
#   clawdbotTools.<name>            a tool's derivation (evaluation error naming tool and system when it has
#                                   no pinned release for this system)
#   clawdbotTools.select [ names ]  their derivations;  clawdbotTools.bundle [ names ]  gateway + those tools
#   openclawPlugins.<id>            an OpenClaw channel plugin from npm ({ id, package, version, channels, path });
#   openclawPlugins.select / settingsFor / channelPlugin / ids / tree   (nix/openclaw/plugins.nix)
{ pkgs }:
{
  clawdbotTools = pkgs.callPackage ./tools {
    clawdbot-gateway = pkgs.callPackage ./package.nix { gateway = "clawdbot"; };
  };
  openclawPlugins = pkgs.callPackage ./openclaw/plugins.nix {
    openclaw-gateway = pkgs.callPackage ./package.nix { gateway = "openclaw"; };
  };
}
