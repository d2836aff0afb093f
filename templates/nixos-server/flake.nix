# A NixOS server (a Hetzner VPS or any other) running the Clawdbot gateway as a system service.
# Fill in the REPLACE_ME_… placeholders (README.md lists them), add the hardware-configuration.nix of your
# server, then deploy from your laptop (or run `nixos-rebuild switch --flake .#…` on the server):
#
#   nixos-rebuild switch --flake .#REPLACE_ME_HOSTNAME --target-host root@YOUR_SERVER
#
# Roll back (config, package and unit together; the service restarts on the old generation):
#
#   nixos-rebuild switch --rollback --target-host root@YOUR_SERVER
{
  description = "My Clawdbot server (NixOS)";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    clawdbot = {
      url = "github:clawdbot/clawdbot-nix";
      # One nixpkgs for the system and the gateway.
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    { nixpkgs, clawdbot, ... }:
    {
      nixosConfigurations."REPLACE_ME_HOSTNAME" = nixpkgs.lib.nixosSystem {
        modules = [
          # services.clawdbot, with this flake's pinned gateway as its package.
          clawdbot.nixosModules.default
          ./configuration.nix
          ./clawdbot.nix
        ];
      };
    };
}
