# What differs between the gateways the modules run, described once. The renderers (render.nix, paths.nix,
# environment.nix, the units) and the modules (common.nix and the platform modules, which declare
# services.<name> for each entry) read a description instead of spelling a gateway's names.
#
# The names, the version and what the gateway does by default come from the generator's facts
# (modules/generated/<…>/facts.json, written from generator/gateways.ts and the gateway's schema); what only
# the Nix side needs is written here.
let
  describe =
    facts: rest:
    let
      f = builtins.fromJSON (builtins.readFile facts);
    in
    {
      inherit facts;
      inherit (f) version;
      # name: services.<name>, the unit <name>[-<instance>], the CLI, the state folder .<name>
      # envPrefix: every variable the gateway reads starts with it (<PREFIX>_NIX_MODE, <PREFIX>_GATEWAY_TOKEN, …)
      # customBind: its schema accepts gateway.customBindHost (bind = "custom")
      # openat2: it opens files with openat2(), which systemd answers with ENOSYS under RestrictSUIDSGID= and
      #   DynamicUser= (./hardening.nix; the NixOS service then runs as a system user of its name)
      inherit (f.gateway)
        name
        displayName
        envPrefix
        configFileName
        defaultWorkspace
        defaultLog
        customBind
        openat2
        ;
    }
    // rest;
in
{
  clawdbot = describe ../generated/facts.json {
    # the package attribute (mkPackageOption); its command is <package>/bin/<bin>
    packageAttr = "clawdbot-gateway";
    bin = "clawdbot";
    # the package's build-time transpile cache, copied into TMPDIR at start (null: the package seeds its own)
    cacheSeed = "share/clawdbot/jiti-cache";
    launchdLabel = "org.clawdbot.gateway";
    documentation = "https://docs.clawd.bot/";
    # the generated settings type and service options, the JSON schema of the config
    settings = ../generated/settings.nix;
    serviceOptions = ../generated/service.nix;
    schema = ../../schemas/clawdbot.schema.json;
    # the module of the package that exports validateConfigObjectWithPlugins, under `dirOf passthru.spec.entry`
    validator = "config/validation.js";
    # Plugins the gateway switches on at start, rewriting its config file, unless the file already says
    # `plugins.entries.<id>.enabled = true` (dist/config/plugin-auto-enable.js of clawdbot 2026.1.24-3): every
    # configured channel, and these provider plugins when the provider is in use.
    autoEnable = {
      channels = true;
      providerPlugins = {
        "google-antigravity" = "google-antigravity-auth";
        "google-gemini-cli" = "google-gemini-cli-auth";
        "qwen-portal" = "qwen-portal-auth";
        "copilot-proxy" = "copilot-proxy";
      };
    };
    # separately published plugins (pkgs.<attr>, e.g. nix/openclaw/plugins.nix); null: none
    pluginsAttr = null;
    # A stop: SIGTERM to the group, and the gateway exits within a second.
    stop = {
      timeoutSec = 30;
      killMode = null;
    };
  };

  openclaw = describe ../generated/openclaw/facts.json {
    packageAttr = "openclaw-gateway";
    bin = "openclaw";
    # the package's wrapper seeds Node's compile cache from the store itself (nix/openclaw/build.json)
    cacheSeed = null;
    # upstream's own label (dist/: ai.openclaw.gateway)
    launchdLabel = "ai.openclaw.gateway";
    documentation = "https://docs.openclaw.ai/";
    settings = ../generated/openclaw/settings.nix;
    serviceOptions = ../generated/openclaw/service.nix;
    schema = ../../schemas/openclaw.schema.json;
    validator = "dist/config/config.js";
    # OpenClaw never rewrites a valid config at start (in Nix mode it writes nothing): nothing to declare.
    autoEnable = {
      channels = false;
      providerPlugins = { };
    };
    pluginsAttr = "openclawPlugins";
    # Upstream's unit (dist/systemd-unit-*.mjs): on SIGTERM to the main process a stop drains running agent
    # turns for up to 315 s (+ 15 s reserve), then whatever is left in the group is killed.
    stop = {
      timeoutSec = 330;
      killMode = "mixed";
    };
  };
}
