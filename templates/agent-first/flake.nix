# An OpenClaw (or Clawdbot) gateway under standalone Home Manager, on macOS (a launchd agent) or Linux (a
# systemd user service). Fill in the REPLACE_ME_… placeholders (README.md lists them), put your secrets in
# ~/.secrets, then switch:
#
#   nix run home-manager/master -- switch --flake .#REPLACE_ME_USERNAME
#
# Roll back to the previous generation (config, package and service together):
#
#   home-manager switch --rollback
{
  description = "My AI gateway (standalone Home Manager)";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-unstable";
    home-manager = {
      url = "github:nix-community/home-manager";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    clawdbot = {
      url = "github:clawdbot/clawdbot-nix";
      # One nixpkgs for everything: nothing is downloaded or evaluated twice.
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    {
      nixpkgs,
      home-manager,
      clawdbot,
      ...
    }:
    let
      # Which gateway: "openclaw", the current release (npm `openclaw`, Node 24) and the choice for a new
      # install, or "clawdbot", the pinned seed-era release (2026.1.24-3, Node 22) for an install that
      # stays on it. home.nix configures services.<gateway>; its settings are valid for both.
      gateway = "openclaw";
      # aarch64-darwin (Apple silicon), x86_64-linux or aarch64-linux (not Intel Macs: nixpkgs dropped them).
      system = "REPLACE_ME_SYSTEM";
      # Your login name on this machine (`whoami`).
      username = "REPLACE_ME_USERNAME";
      # Where your home is; change it if yours is elsewhere.
      homeDirectory = if nixpkgs.lib.hasSuffix "-darwin" system then "/Users/${username}" else "/home/${username}";
    in
    {
      homeConfigurations.${username} = home-manager.lib.homeManagerConfiguration {
        pkgs = nixpkgs.legacyPackages.${system};
        modules = [
          # services.openclaw and services.clawdbot, with this flake's pinned gateways as their packages.
          clawdbot.homeModules.default
          ./home.nix
        ];
        extraSpecialArgs = { inherit gateway username homeDirectory; };
      };
    };
}
