# A Clawdbot gateway under standalone Home Manager, on macOS (a launchd agent) or Linux (a systemd user
# service). Fill in the REPLACE_ME_… placeholders (README.md lists them), put your secrets in ~/.secrets,
# then switch:
#
#   nix run home-manager/master -- switch --flake .#REPLACE_ME_USERNAME
#
# Roll back to the previous generation (config, package and service together):
#
#   home-manager switch --rollback
{
  description = "My Clawdbot gateway (standalone Home Manager)";

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
          # services.clawdbot, with this flake's pinned gateway as its package.
          clawdbot.homeModules.default
          ./home.nix
        ];
        extraSpecialArgs = { inherit username homeDirectory; };
      };
    };
}
