# Your Home Manager configuration: the Clawdbot gateway as a user service (launchd on macOS, systemd --user
# on Linux), listening on 127.0.0.1:18789 only. Every option is documented in the options reference
# (docs/options.md of the clawdbot-nix flake); `settings` is your clawdbot.json, typed: a misspelled key is
# an evaluation error, not a gateway that refuses to start.
{
  username,
  homeDirectory,
  ...
}:
let
  # Secrets stay plain files outside the Nix store (chmod 600); the gateway reads them when it starts:
  #   ~/.secrets/telegram-bot-token   the token @BotFather gave you (one line)
  #   ~/.secrets/clawdbot.env         ANTHROPIC_API_KEY=sk-ant-…   (and OPENAI_API_KEY=… for the fallback)
  secrets = "${homeDirectory}/.secrets";
in
{
  home.username = username;
  home.homeDirectory = homeDirectory;
  # The Home Manager release you first switched with; leave it when you upgrade.
  home.stateVersion = "25.05";
  programs.home-manager.enable = true;

  services.clawdbot = {
    enable = true;

    # Loopback with token auth (the default): only this machine reaches the gateway, and only with the
    # token generated at the first start into ~/.clawdbot/gateway-token (owner-only). The `clawdbot` command
    # this module installs reads it: `clawdbot status`, and `clawdbot dashboard` opens the Control UI
    # (http://127.0.0.1:18789/) with it. State (sessions, credentials) lives in ~/.clawdbot, the agent's
    # workspace in ~/clawd; both survive switches and rollbacks.

    # Provider API keys as environment variables, read from the file at every start. The leading "-" makes
    # it optional: the gateway starts without it (and answers nobody until the key is there).
    environmentFiles = [ "-${secrets}/clawdbot.env" ];

    # Baked tool binaries the agent's skills may call (names from the flake's clawdbotTools), e.g.
    # [ "gogcli" "goplaces" ]. Nothing is downloaded at run time.
    tools = [ ];

    # The example config of the deployment guide, with Telegram as the one channel.
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
          match.channel = "telegram";
        }
      ];
      channels.telegram = {
        enabled = true;
        # The gateway reads the bot token from this file; it never enters the Nix store.
        tokenFile = "${secrets}/telegram-bot-token";
        # Only you may talk to the bot: your numeric Telegram user id (ask @userinfobot).
        dmPolicy = "allowlist";
        allowFrom = [ "REPLACE_ME_TELEGRAM_USER_ID" ];
      };
      gateway.mode = "local";
    };
  };
}
