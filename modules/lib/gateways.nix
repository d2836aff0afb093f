# What differs between the gateways the modules run, described once: names, paths, environment, the
# generated options and facts. The renderers (render.nix, paths.nix, environment.nix, the units) read a
# description instead of spelling a gateway's names; `clawdbot` is the one the modules serve today.
{
  clawdbot = {
    # services.<name>, the unit <name>[-<instance>], the CLI, the state folder .<name>, <name>.json
    name = "clawdbot";
    displayName = "Clawdbot";
    version = "2026.1.24-3";
    # every variable the gateway reads starts with it (<PREFIX>_NIX_MODE, <PREFIX>_GATEWAY_TOKEN, …)
    envPrefix = "CLAWDBOT";
    configFileName = "clawdbot.json";
    # the command in the package: <package>/bin/<bin>
    bin = "clawdbot";
    # the package's build-time transpile cache, copied into TMPDIR at start
    cacheSeed = "share/clawdbot/jiti-cache";
    launchdLabel = "org.clawdbot.gateway";
    documentation = "https://docs.clawd.bot/";
    facts = ../generated/facts.json;
  };
}
