# openclaw.json (clawdbot.json), as Nix: the example config of the deployment guide (Fly.io page), valid for
# both gateways. Typed against the chosen gateway's schema when the image is built: a misspelled key fails
# the build, naming the option. Secrets never go here: they reach the container as environment variables
# (.env for compose, `fly secrets set` on Fly.io) and the gateway reads them itself (DISCORD_BOT_TOKEN,
# ANTHROPIC_API_KEY, OPENCLAW_GATEWAY_TOKEN / CLAWDBOT_GATEWAY_TOKEN), or you reference one as "\${NAME}".
{
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
}
