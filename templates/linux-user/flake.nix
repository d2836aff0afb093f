# An OpenClaw (or Clawdbot) gateway as a systemd user service under Home Manager, on a Linux host that is not NixOS (the
# exe.dev case: a VM behind an HTTPS proxy). Install Nix (single-user or the Determinate installer), fill in
# the REPLACE_ME_… placeholders (README.md lists them), then:
#
#   sudo loginctl enable-linger "$USER"      # the service runs without an open login session
#   nix run home-manager/master -- switch --flake .#REPLACE_ME_USERNAME
#
# Roll back (config, package and unit together):  home-manager switch --rollback
{
  description = "My AI gateway (Home Manager on a Linux host)";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-unstable";
    home-manager = {
      url = "github:nix-community/home-manager";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    clawdbot = {
      url = "github:clawdbot/clawdbot-nix";
      # One nixpkgs for everything.
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
      # x86_64-linux (exe.dev VMs); aarch64-linux on an ARM host.
      system = "x86_64-linux";
      # Your login name on the host (`whoami`).
      username = "REPLACE_ME_USERNAME";
    in
    {
      homeConfigurations.${username} = home-manager.lib.homeManagerConfiguration {
        pkgs = nixpkgs.legacyPackages.${system};
        modules = [
          clawdbot.homeModules.default
          ./home.nix
        ];
        extraSpecialArgs = {
          inherit gateway username;
          homeDirectory = "/home/${username}";
        };
      };
    };
}
