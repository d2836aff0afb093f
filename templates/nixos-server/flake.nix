# A NixOS server (a Hetzner VPS or any other) running the OpenClaw (or Clawdbot) gateway as a system service.
# Fill in the REPLACE_ME_… placeholders (README.md lists them), add the hardware-configuration.nix of your
# server, then deploy from your laptop (or run `nixos-rebuild switch --flake .#…` on the server):
#
#   nixos-rebuild switch --flake .#REPLACE_ME_HOSTNAME --target-host root@YOUR_SERVER
#
# Roll back (config, package and unit together; the service restarts on the old generation):
#
#   nixos-rebuild switch --rollback --target-host root@YOUR_SERVER
{
  description = "My AI gateway server (NixOS)";

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
    let
      # Which gateway: "openclaw", the current release (npm `openclaw`, Node 24) and the choice for a new
      # server, or "clawdbot", the pinned seed-era release (2026.1.24-3, Node 22) for a server that stays on
      # it. gateway.nix configures services.<gateway>; its settings are valid for both.
      gateway = "openclaw";
    in
    {
      nixosConfigurations."REPLACE_ME_HOSTNAME" = nixpkgs.lib.nixosSystem {
        specialArgs = { inherit gateway; };
        modules = [
          # services.openclaw and services.clawdbot, with this flake's pinned gateways as their packages.
          clawdbot.nixosModules.default
          ./configuration.nix
          ./gateway.nix
        ];
      };
    };
}
