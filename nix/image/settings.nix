# The image's config file (clawdbot.json / openclaw.json): the user's `settings` checked against the typed
# options of the image's gateway (the same generated type as `services.<gateway>.settings`, so a typo is an
# evaluation error naming the option), merged over the image's defaults (nix/image/config.nix
# `settingsDefaults`, each overridable) and the settings that load its plugins, with unset (null) keys
# stripped. Needs only nixpkgs `lib`: the T1 tests evaluate it with the real lib.
#
#   import ./settings.nix { inherit lib; gateway = "openclaw"; } { settings = …; defaults = …; }
{
  lib,
  # Which gateway, always given: a name of modules/lib/gateways.nix ("clawdbot", "openclaw").
  gateway,
}:
{
  settings ? { },
  defaults ? { },
  # OpenClaw: the ids of the separately published plugins the image loads (nix/image/default.nix `plugins`)
  # and the config fragment that loads them (openclawPlugins.settingsFor), at normal priority.
  plugins ? [ ],
  pluginSettings ? { },
}:
let
  gateways = import ../../modules/lib/gateways.nix;
  description =
    gateways.${gateway}
      or (throw "nix/image/settings.nix: gateway must be one of ${builtins.toJSON (builtins.attrNames gateways)}, not ${builtins.toJSON gateway}");
  render = import ../../modules/lib/render.nix {
    inherit lib;
    gateway = description;
  };
  settingsType = (import description.settings { inherit lib; }).type;
  evaluated =
    (lib.evalModules {
      modules = [
        {
          options.settings = lib.mkOption {
            type = settingsType;
            default = { };
          };
          config.settings = lib.mkMerge [
            (lib.mapAttrsRecursive (_: lib.mkDefault) defaults)
            pluginSettings
            settings
          ];
        }
      ];
    }).config.settings;
  # As the modules do (modules/lib/render.nix): unset (null) keys dropped; for Clawdbot every configured
  # channel and provider plugin declared `plugins.entries.<id>.enabled = true`, or the gateway would switch
  # it on at start by rewriting its config file (read-only in the image: an EPERM in the log at every start).
  # OpenClaw rewrites nothing (gateways.nix autoEnable): the config stays as written.
  rendered = render.withAutoEnabledPlugins (render.stripNulls evaluated);
  prefix = "${gateway} image";
  # Secret files (`{ _secret = …; }`) need a service that reads them at start; an image has none. Secrets
  # reach the container as environment variables (`docker run -e`, env_file, `fly secrets set`) and the
  # config refers to them as "\${NAME}".
  secrets = map (hit: lib.concatMapStringsSep "." toString hit.path) (render.collectSecrets [ ] rendered);
  # Secrets written as text would be in the image's layers, readable by anyone who pulls it: the modules'
  # rule (the generator's secret paths and key names, modules/generated/<gateway>/facts.json).
  literals = map (hit: lib.concatMapStringsSep "." toString hit.path) (render.literalSecretsIn rendered);
  # A configured channel whose plugin is published separately (OpenClaw's Discord, Slack, …) needs that
  # plugin in the image (nix/image/default.nix loads it by itself when given openclawPlugins, as the modules
  # do), unless the user loads folders of their own.
  ownLoadPaths = lib.filter (p: !(lib.elem p (pluginSettings.plugins.load.paths or [ ]))) (
    rendered.plugins.load.paths or [ ]
  );
  channels = lib.filter (c: (rendered.channels.${c}.enabled or true) != false) (
    lib.attrNames (rendered.channels or { })
  );
  missingPlugins =
    if ownLoadPaths != [ ] then
      [ ]
    else
      lib.filter (c: render.externalChannelPlugin ? ${c} && !(lib.elem render.externalChannelPlugin.${c} plugins)) channels;
in
if secrets != [ ] then
  throw "${prefix}: settings ${lib.concatStringsSep ", " secrets} use { _secret = …; }, which an image cannot read; give the secret as an environment variable (env_file / fly secrets) and write \"\${NAME}\" in the settings instead"
else if literals != [ ] then
  throw "${prefix}: settings ${lib.concatStringsSep ", " literals} hold secrets as text, which would be in the image for anyone who pulls it; give each as an environment variable (env_file / fly secrets) and write \"\${NAME}\" in the settings instead"
else if missingPlugins != [ ] then
  throw "${prefix}: settings.channels.${lib.head missingPlugins}: the ${lib.head missingPlugins} channel comes from the separately published plugin \"${
    render.externalChannelPlugin.${lib.head missingPlugins}
  }\", which the image does not load: give the image the flake's openclawPlugins (legacyPackages.<system>.openclawPlugins; a configured channel then loads its plugin), or plugins = [ \"${render.externalChannelPlugin.${lib.head missingPlugins}}\" ]; with them"
else
  rendered
