# Overlay: `clawdbot-gateway` (the bare gateway), `clawdbotTools` (one derivation per baked tool, plus
# `select` / `bundle` / `availableFor` / `defaultTools`), `clawdbot` (the gateway bundled with this system's
# default tool list, nix/tools/select.nix `defaultTools`). Pick other tools with
# `pkgs.clawdbotTools.bundle [ "gogcli" "sag" ]`; a tool without a release for the system is an evaluation
# error naming both. `openclaw-gateway` is the OpenClaw gateway (npm `openclaw`, Node 24, nix/openclaw/);
# `openclawPlugins` its separately published channel plugins (nix/openclaw/plugins.nix); `openclaw` it with the
# default tool list.
final: prev: {
  clawdbot-gateway = final.callPackage ./package.nix { gateway = "clawdbot"; };
  openclaw-gateway = final.callPackage ./package.nix { gateway = "openclaw"; };
  openclawPlugins = final.callPackage ./openclaw/plugins.nix { openclaw-gateway = final.openclaw-gateway; };
  clawdbotTools = final.callPackage ./tools { };
  clawdbot = final.clawdbotTools.bundle final.clawdbotTools.defaultTools;
  openclaw = final.clawdbotTools.bundleFor final.openclaw-gateway final.clawdbotTools.defaultTools;
}
