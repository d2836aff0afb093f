# Overlay: `clawdbot-gateway` (the bare gateway), `clawdbotTools` (one derivation per baked tool, plus
# `select` / `bundle` / `availableFor` / `defaultTools`), `clawdbot` (the gateway bundled with this system's
# default tool list, nix/tools/select.nix `defaultTools`). Pick other tools with
# `pkgs.clawdbotTools.bundle [ "gogcli" "sag" ]`; a tool without a release for the system is an evaluation
# error naming both.
final: prev: {
  clawdbot-gateway = final.callPackage ./package.nix { };
  clawdbotTools = final.callPackage ./tools { };
  clawdbot = final.clawdbotTools.bundle final.clawdbotTools.defaultTools;
}
