# The OpenClaw (or Clawdbot) gateway as an OCI image built by Nix: the guide's Docker, Hetzner-with-Docker and Fly.io
# recipes without a Dockerfile. Everything the container needs at run time (gateway, tools, extra
# packages, CA certificates, the config) is in the image, pinned by flake.lock; nothing is installed at run
# time. Fill in the REPLACE_ME_… placeholders (README.md lists them), then:
#
#   nix build .#default && docker load < result       # Docker / docker compose / Hetzner
#   nix build .#fly                                     # Fly.io (see README.md for the push)
{
  description = "My AI gateway image";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-unstable";
    clawdbot = {
      url = "github:clawdbot/clawdbot-nix";
      # One nixpkgs for the image's packages and the gateway.
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    { nixpkgs, clawdbot, ... }:
    let
      # Which gateway: "openclaw", the current release (npm `openclaw`, Node 24) and the choice for a new
      # deployment, or "clawdbot", the pinned seed-era release (2026.1.24-3, Node 22) for one that stays on it.
      # docker-compose.yml, gateway.env.example and fly.toml are the same for both (the names below).
      gateway = "openclaw";
      # The image runs on Linux: x86_64-linux (Fly.io machines, most VPSs) and aarch64-linux (ARM hosts such as
      # Hetzner's CAX). `nix build .#default` builds it for the machine you run it on; for another system,
      # `nix build .#packages.aarch64-linux.default` needs a builder of that system (on a Mac: a Linux builder).
      systems = [
        "x86_64-linux"
        "aarch64-linux"
      ];
      forSystems = f: nixpkgs.lib.genAttrs systems (system: f system nixpkgs.legacyPackages.${system});
      image =
        system: extra:
        clawdbot.packages.${system}.${if gateway == "openclaw" then "image-openclaw" else "image"}.override (
          {
            # The image's name and volumes as docker-compose.yml and fly.toml name them, whichever gateway.
            name = "claw-gateway";
            stateDir = "/home/node/state";
            workspaceDir = "/home/node/workspace";
            # openclaw.json / clawdbot.json (typed; secrets as "\${ENV_VAR}" references, see settings.nix).
            settings = import ./settings.nix;
            # Discord is built into Clawdbot; OpenClaw publishes it as a separate plugin, baked in because
            # settings.nix configures its channel. `plugins = [ … ];` bakes in others.
            # The guide's CLAWDBOT_DOCKER_APT_PACKAGES, the Nix way: any nixpkgs package, e.g.
            # [ pkgs.ffmpeg pkgs.socat ]. Their bin/ go on PATH.
            extraPackages = [ ];
            # The guide's baked binaries: tool names of the flake's pinned tool list (nix/tools), e.g.
            # [ "gogcli" "goplaces" ]; null: Clawdbot's image keeps the flake's default list for this system,
            # OpenClaw's has none.
            tools = null;
          }
          // extra
        );
    in
    {
      packages = forSystems (
        system: _: {
          # Docker, docker compose, Hetzner: runs as uid 1000 (chown your bind-mounted folders to 1000:1000).
          default = image system { };
          # Fly.io: its volumes are mounted root-owned, so the container starts as root, gives the volume to
          # uid 1000 and drops to it; the V8 heap gets 1.5 GB of the machine's 2 GB (the guide's setting).
          fly = image system {
            startAsRoot = true;
            heapMiB = 1536;
          };
        }
      );
      # `nix develop`: skopeo and flyctl, for the push and deploy commands in README.md.
      devShells = forSystems (
        _: pkgs: {
          default = pkgs.mkShell {
            packages = [
              pkgs.skopeo
              pkgs.flyctl
            ];
          };
        }
      );
    };
}
