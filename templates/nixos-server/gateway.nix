# The gateway as a NixOS system service: a user of its own (OpenClaw: the system user `openclaw`; Clawdbot: a
# dynamic user), state in /var/lib/openclaw (/var/lib/clawdbot for Clawdbot), a hardened unit, restarted on failure and whenever its config changes. `gateway` comes from
# flake.nix ("openclaw" or "clawdbot"): this file configures services.${gateway}, and every setting means the
# same to both. Options: docs/options/openclaw.md and docs/options/clawdbot.md of the clawdbot-nix flake.
{ gateway, ... }:
let
  # How you reach the gateway:
  #   false  loopback only (the guide's recommendation): from your laptop,
  #            ssh -N -L 18789:127.0.0.1:18789 root@YOUR_SERVER
  #          then open the URL that `sudo openclaw dashboard --no-open` (`clawdbot …`) prints on the server.
  #   true   on all interfaces with the port opened in the firewall. Put TLS in front (a reverse proxy, or
  #          Tailscale) before you expose it to the internet.
  # Either way clients need the gateway token (token auth is the default): generated at the first start
  # into /var/lib/<gateway>/gateway-token (root and the service only), read by the `openclaw` command.
  exposeOnLan = false;
in
{
  services.${gateway} = {
    enable = true;

    bind = if exposeOnLan then "lan" else "loopback";
    openFirewall = exposeOnLan;
    # To choose the token yourself (the same on several machines, rotated by your secret manager), set
    # auth.tokenFile to a file outside the Nix store, read by systemd (LoadCredential) at start: README.md,
    # "Secrets", shows the sops-nix and agenix lines.

    # Provider and channel credentials as environment variables (ANTHROPIC_API_KEY=…, DISCORD_BOT_TOKEN=…)
    # come from your secret manager: secrets.nix (README.md, "Secrets") adds its decrypted file to
    # environmentFiles, required, so a boot where it is missing fails the unit instead of starting a gateway
    # without its keys. Until then the gateway starts without keys (and answers nobody).

    # 2G, the one figure of every clawdbot-nix deployment (measured on 2 vCPU): OpenClaw's three processes
    # peak at ~1.05 GB and stay at 0.9–0.96 GB; Clawdbot peaks at ~325 MiB with its prebuilt cache and
    # ~1.25 GB on a cold start. The limit covers the whole unit, the commands the agents run included.
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
      channels.discord = {
        enabled = true;
        groupPolicy = "allowlist";
        guilds."REPLACE_ME_DISCORD_GUILD_ID" = {
          channels.general.enabled = true;
          requireMention = false;
        };
      };
      gateway.mode = "local";
    };
  };
  # Discord is built into Clawdbot; OpenClaw publishes it as a separate plugin, which the module loads
  # because its channel is configured.
}
