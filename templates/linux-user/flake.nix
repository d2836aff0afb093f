# A Clawdbot gateway as a systemd user service under Home Manager, on a Linux host that is not NixOS (the
# exe.dev case: a VM behind an HTTPS proxy). Install Nix (single-user or the Determinate installer), fill in
# the REPLACE_ME_… placeholders (README.md lists them), create the token file, then:
#
#   sudo loginctl enable-linger "$USER"      # the service runs without an open login session
#   nix run home-manager/master -- switch --flake .#REPLACE_ME_USERNAME
#
# Roll back (config, package and unit together):  home-manager switch --rollback
{
  description = "My Clawdbot gateway (Home Manager on a Linux host)";

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
          inherit username;
          homeDirectory = "/home/${username}";
        };
      };
    };
}
