# The Clawdbot gateway as a NixOS system service: its own dynamic user, state in /var/lib/clawdbot, a
# hardened unit, restarted on failure and whenever its config changes. Options: docs/options.md of the
# clawdbot-nix flake.
{ ... }:
let
  # How you reach the gateway:
  #   false  loopback only (the guide's recommendation): from your laptop,
  #            ssh -N -L 18789:127.0.0.1:18789 root@YOUR_SERVER
  #          then open the URL that `sudo clawdbot dashboard --no-open` prints on the server.
  #   true   on all interfaces with the port opened in the firewall. Put TLS in front (a reverse proxy, or
  #          Tailscale) before you expose it to the internet.
  # Either way clients need the gateway token (token auth is the default): generated at the first start
  # into /var/lib/clawdbot/gateway-token (root and the service only), read by the `clawdbot` command.
  exposeOnLan = false;
in
{
  services.clawdbot = {
    enable = true;

    bind = if exposeOnLan then "lan" else "loopback";
    openFirewall = exposeOnLan;
    # To choose the token yourself (the same on several machines, rotated by your secret manager), set
    # auth.tokenFile to a file outside the Nix store, read by systemd (LoadCredential) at start: README.md,
    # "Secrets", shows the sops-nix and agenix lines.

    # Provider and channel credentials as environment variables (ANTHROPIC_API_KEY=…, DISCORD_BOT_TOKEN=…),
    # read by systemd at start from a file of your secret manager (sops-nix puts the secret "clawdbot.env"
    # there; README.md, "Secrets"). The leading "-" makes it optional: the gateway starts without it.
    environmentFiles = [ "-/run/secrets/clawdbot.env" ];

    # 2G, the one figure of every clawdbot-nix deployment (measured on 2 vCPU): a start with the package's
    # prebuilt jiti cache, copied in at every start, peaks at ~325 MiB; a cold start (the copy failed, or a
    # gateway package without that cache) at ~1.25 GB. The limit covers the whole unit, the commands the
    # agents run included; below ~1.25 GB a cold start is killed.
    memory.max = "2G";

    # Baked tool binaries on the gateway's PATH (the guide's "bake binaries into the image"), e.g.
    # [ "gogcli" "goplaces" ].
    tools = [ ];

    # The example config of the deployment guide (Discord as the channel; the bot token comes from
    # DISCORD_BOT_TOKEN in the environment file).
    settings = {
      agents.defaults = {
        model = {
          primary = "anthropic/claude-opus-4-5";
          fallbacks = [
            "anthropic/claude-sonnet-4-5"
            "openai/gpt-4o"
          ];
        };
        maxConcurrent = 4;
      };
      agents.list = [
        {
          id = "main";
          default = true;
        }
      ];
      auth.profiles = {
        "anthropic:default" = {
          mode = "token";
          provider = "anthropic";
        };
        "openai:default" = {
          mode = "token";
          provider = "openai";
        };
      };
      bindings = [
        {
          agentId = "main";
          match.channel = "discord";
        }
      ];
      channels.discord = {
        enabled = true;
        groupPolicy = "allowlist";
        guilds."REPLACE_ME_DISCORD_GUILD_ID" = {
          channels.general.allow = true;
          requireMention = false;
        };
      };
      gateway.mode = "local";
    };
  };
}
