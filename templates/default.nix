# `nix flake init -t <this flake>#<name>`: one template per deployment of the guide. Plain data (no inputs
# are touched), so `nix flake init` works without fetching nixpkgs. Each template's README lists its
# REPLACE_ME_… placeholders; tests/templates/ checks that list, parses and evaluates every template.
let
  agent-first = {
    path = ./agent-first;
    description = "OpenClaw (or Clawdbot, one line) under standalone Home Manager on macOS or Linux (launchd / systemd user), secrets in ~/.secrets, Telegram";
    welcomeText = ''
      # OpenClaw (or Clawdbot): standalone Home Manager (agent-first)

      OpenClaw by default; `gateway = "clawdbot";` in flake.nix for the pinned seed-era release. Fill in the
      `REPLACE_ME_…` placeholders (README.md lists them), put your API keys in ~/.secrets/gateway.env and the
      Telegram bot token in ~/.secrets/telegram-bot-token, then switch:

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
    description = "OpenClaw (or Clawdbot, one line) as a NixOS system service on a VPS (Hetzner): loopback + SSH tunnel, or lan with openFirewall; generated token, sops-nix/agenix optional";
    welcomeText = ''
      # OpenClaw (or Clawdbot): NixOS server

      OpenClaw by default; `gateway = "clawdbot";` in flake.nix for the pinned seed-era release.

      Copy your server's `hardware-configuration.nix` here (`ssh root@YOUR_SERVER nixos-generate-config
      --show-hardware-config > hardware-configuration.nix`), fill in the `REPLACE_ME_…` placeholders
      (README.md lists them; the boot loader comes from the server's /etc/nixos/configuration.nix), then
      `git add .` (a flake in a git repository sees only tracked files) and deploy:

          nixos-rebuild switch --flake .#REPLACE_ME_HOSTNAME --target-host root@YOUR_SERVER

      The gateway token is generated at the first start: `ssh root@YOUR_SERVER openclaw dashboard --no-open`
      prints the Control UI's URL with it; reach it through `ssh -N -L 18789:127.0.0.1:18789 root@YOUR_SERVER`.
    '';
  };
  linux-user = {
    path = ./linux-user;
    description = "OpenClaw (or Clawdbot, one line) as a systemd user service under Home Manager on a non-NixOS Linux host (exe.dev): lingering, lan bind with a token for an HTTPS proxy";
    welcomeText = ''
      # OpenClaw (or Clawdbot): Home Manager on a Linux host (exe.dev)

      OpenClaw by default; `gateway = "clawdbot";` in flake.nix for the pinned seed-era release. Fill in the
      `REPLACE_ME_…` placeholders (README.md lists them), put your API keys in ~/.secrets/gateway.env, enable
      lingering, switch:

          sudo loginctl enable-linger "$USER"
          nix run home-manager/master -- switch --flake .#REPLACE_ME_USERNAME

      The gateway token is generated at the first start into ~/.openclaw/gateway-token (~/.clawdbot/…).
    '';
  };
  container = {
    path = ./container;
    description = "OpenClaw (or Clawdbot, one line) as an OCI image built by Nix (x86_64-linux, aarch64-linux), with docker-compose.yml (Docker, Hetzner) and fly.toml (Fly.io, public or private)";
    welcomeText = ''
      # OpenClaw (or Clawdbot): OCI image (Docker, Hetzner with Docker, Fly.io)

      OpenClaw by default; `gateway = "clawdbot";` in flake.nix for the pinned seed-era release. Fill in the `REPLACE_ME_…` placeholders (README.md lists them), then build and load the image and start
      it (x86_64-linux or aarch64-linux):

          nix build .#default && docker load < result
          cp gateway.env.example .env && chmod 600 .env   # then set GATEWAY_TOKEN and your API keys
          mkdir -p state workspace && sudo chown 1000:1000 state workspace
          docker compose up -d
    '';
  };
}
