# `nix flake init -t <this flake>#<name>`: one template per deployment of the guide. Plain data (no inputs
# are touched), so `nix flake init` works without fetching nixpkgs. Each template's README lists its
# REPLACE_ME_… placeholders; tests/templates/ checks that list, parses and evaluates every template.
let
  agent-first = {
    path = ./agent-first;
    description = "Clawdbot under standalone Home Manager on macOS or Linux (launchd / systemd user), secrets in ~/.secrets, Telegram";
    welcomeText = ''
      # Clawdbot: standalone Home Manager (agent-first)

      Fill in the `REPLACE_ME_…` placeholders (README.md lists them), put your secrets in `~/.secrets`,
      then switch:

          nix run home-manager/master -- switch --flake .#REPLACE_ME_USERNAME

      Roll back with `home-manager switch --rollback`.
    '';
  };
in
{
  default = agent-first;
  inherit agent-first;
  nixos-server = {
    path = ./nixos-server;
    description = "Clawdbot as a NixOS system service on a VPS (Hetzner): loopback + SSH tunnel, or lan with a token file and openFirewall";
    welcomeText = ''
      # Clawdbot: NixOS server

      Add your `hardware-configuration.nix`, fill in the `REPLACE_ME_…` placeholders (README.md lists them),
      then deploy:

          nixos-rebuild switch --flake .#REPLACE_ME_HOSTNAME --target-host root@YOUR_SERVER

      Reach the gateway through an SSH tunnel: `ssh -N -L 18789:127.0.0.1:18789 root@YOUR_SERVER`.
    '';
  };
  linux-user = {
    path = ./linux-user;
    description = "Clawdbot as a systemd user service under Home Manager on a non-NixOS Linux host (exe.dev): lingering, lan bind with a token for an HTTPS proxy";
    welcomeText = ''
      # Clawdbot: Home Manager on a Linux host (exe.dev)

      Fill in the `REPLACE_ME_…` placeholders (README.md lists them), create the token file, enable lingering,
      switch:

          sudo loginctl enable-linger "$USER"
          nix run home-manager/master -- switch --flake .#REPLACE_ME_USERNAME
    '';
  };
  container = {
    path = ./container;
    description = "Clawdbot as an OCI image built by Nix, with docker-compose.yml (Docker, Hetzner) and fly.toml (Fly.io, public or private)";
    welcomeText = ''
      # Clawdbot: OCI image (Docker, Hetzner with Docker, Fly.io)

      Fill in the `REPLACE_ME_…` placeholders (README.md lists them), then build and load the image:

          nix build .#default && docker load < result
          cp gateway.env.example .env   # then set CLAWDBOT_GATEWAY_TOKEN and your API keys
          docker compose up -d
    '';
  };
}
