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
    # To choose the token yourself (the same on several machines, rotated by your secret manager), give a
    # file that never enters the Nix store, read by systemd (LoadCredential) when the service starts:
    #   sops-nix:  sops.secrets.clawdbot-gateway-token = { };
    #              auth.tokenFile = config.sops.secrets.clawdbot-gateway-token.path;
    #   agenix:    age.secrets.clawdbot-gateway-token.file = ./secrets/clawdbot-gateway-token.age;
    #              auth.tokenFile = config.age.secrets.clawdbot-gateway-token.path;

    # Provider and channel credentials as environment variables (ANTHROPIC_API_KEY=…, DISCORD_BOT_TOKEN=…),
    # from a file of your secret manager, read by systemd at start. The leading "-" makes it optional: the
    # gateway starts without it (and the launcher names any variable the config needs but nobody set).
    environmentFiles = [ "-/run/secrets/clawdbot.env" ];

    # A cold first start peaks at ~1.25 GB; below that the kernel kills it (the guide: 2 GB recommended).
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
