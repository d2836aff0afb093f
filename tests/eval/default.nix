# Evaluation checks (`nix flake check`, T2): the README's NixOS and Home Manager configurations (and, on NixOS,
# services.openclaw beside them) evaluate
# through the real NixOS and Home Manager module trees with the flake's modules, every assertion holds, and
# the rendered units are written out. The same configurations are evaluated here by tests/modules/t1.test.ts
# (real nixpkgs lib and Home Manager, stand-in pkgs); these checks add the real pkgs.
#
# The flake's checks call this without Home Manager (not an input of the flake); dev/flake.nix passes it,
# which adds eval-home-manager.
{
  pkgs,
  lib,
  nixosModule,
  home-manager ? null,
  homeManagerModule ? null,
}:
let
  failedAssertions = config: map (a: a.message) (builtins.filter (a: !a.assertion) config.assertions);
  checked =
    name: config: value:
    let
      failed = failedAssertions config;
    in
    if failed != [ ] then
      throw "${name}: failed assertions:\n${lib.concatStringsSep "\n" failed}"
    else
      pkgs.writeText "${name}.json" (builtins.toJSON value);

  nixos = lib.nixosSystem {
    inherit (pkgs.stdenv.hostPlatform) system;
    modules = [
      nixosModule
      ../fixtures/modules/readme-nixos.nix
      # services.openclaw beside it, with a separately published channel plugin, through the real NixOS module
      # tree: this also proves that nixpkgs' own services.openclaw is replaced (disabledModules), not
      # declared twice. tests/modules/t1-openclaw.test.ts evaluates the same with real lib and stand-in pkgs.
      {
        services.openclaw = {
          enable = true;
          port = 18800;
          plugins = [ "discord" ];
          settings.channels.discord.token._secret = "/run/agenix/discord-token";
        };
      }
      {
        boot.loader.grub.enable = false;
        fileSystems."/".device = "none";
        system.stateVersion = "26.05";
      }
    ];
  };

  homeManager = home-manager.lib.homeManagerConfiguration {
    inherit pkgs;
    modules = [
      homeManagerModule
      ../fixtures/modules/readme-home-manager.nix
      {
        home.username = "alice";
        home.homeDirectory = "/home/alice";
        home.stateVersion = "26.05";
      }
    ];
  };
in
{
  eval-nixos = checked "clawdbot-eval-nixos" nixos.config {
    inherit (nixos.config.systemd.services.clawdbot) serviceConfig environment;
    openclaw = {
      inherit (nixos.config.systemd.services.openclaw) serviceConfig environment;
    };
  };
}
// lib.optionalAttrs (home-manager != null) {
  eval-home-manager = checked "clawdbot-eval-home-manager" homeManager.config {
    inherit (homeManager.config.systemd.user.services.clawdbot) Unit Service Install;
  };
}
