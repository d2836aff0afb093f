# Your Home Manager configuration: the gateway as a user service (launchd on macOS, systemd --user on
# Linux), listening on 127.0.0.1:18789 only. `gateway` comes from flake.nix ("openclaw" or "clawdbot"): this
# file configures services.${gateway}, and every setting below means the same to both. Every option is
# documented in the options references (docs/options/openclaw.md and docs/options/clawdbot.md of the clawdbot-nix
# flake); `settings` is your openclaw.json / clawdbot.json, typed: a misspelled key is an evaluation error,
# not a gateway that refuses to start.
{
  gateway,
  username,
  homeDirectory,
  ...
}:
let
  # Secrets stay plain files outside the Nix store (chmod 600); the gateway reads them when it starts:
  #   ~/.secrets/telegram-bot-token   the token @BotFather gave you (one line)
  #   ~/.secrets/gateway.env          ANTHROPIC_API_KEY=sk-ant-…   (and OPENAI_API_KEY=… for the fallback)
  secrets = "${homeDirectory}/.secrets";
in
{
  home.username = username;
  home.homeDirectory = homeDirectory;
  # The Home Manager release of your first switch (README.md, placeholders); never change it afterwards.
  home.stateVersion = "REPLACE_ME_STATE_VERSION";
  programs.home-manager.enable = true;

  services.${gateway} = {
    enable = true;

    # Loopback with token auth (the default): only this machine reaches the gateway, and only with the
    # token generated at the first start into ~/.openclaw/gateway-token (~/.clawdbot/… for Clawdbot,
    # owner-only). The `openclaw` (`clawdbot`) command this module installs reads it: `openclaw status`, and
    # `openclaw dashboard` opens the Control UI (http://127.0.0.1:18789/) with it. State (sessions,
    # credentials) lives in ~/.openclaw (~/.clawdbot), with the agent's workspace; both survive switches and
    # rollbacks.

    # Provider API keys as environment variables, read from the file at every start. The leading "-" makes
    # it optional: the gateway starts without it (and answers nobody until the key is there).
    environmentFiles = [ "-${secrets}/gateway.env" ];

    # Baked tool binaries the agent's skills may call (names from the flake's clawdbotTools), e.g.
    # [ "gogcli" "goplaces" ]. Nothing is downloaded at run time.
    tools = [ ];

    # The example config of the deployment guide, with Telegram (built into both gateways) as the one
    # channel and the one default agent ("main").
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
