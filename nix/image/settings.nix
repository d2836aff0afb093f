# The image's clawdbot.json: the user's `settings` checked against the typed options (the same generated
# type as `services.clawdbot.settings`, so a typo is an evaluation error naming the option), merged over the
# image's defaults (nix/image/config.nix `settingsDefaults`, each overridable), with unset (null) keys
# stripped. Needs only nixpkgs `lib`: the T1 template test evaluates it with the real lib.
{ lib }:
{
  settings ? { },
  defaults ? { },
}:
let
  settingsType = (import ../../modules/generated/settings.nix { inherit lib; }).type;
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
            settings
          ];
        }
      ];
    }).config.settings;
  # As the modules do (modules/lib/render.nix): unset (null) keys dropped; every configured channel and
  # provider plugin declared `plugins.entries.<id>.enabled = true`, or the gateway would switch it on at
  # start by rewriting its config file (read-only in the image: an EPERM in the log at every start).
  rendered = render.withAutoEnabledPlugins (render.stripNulls evaluated);
  # Secret files (`{ _secret = …; }`) need a service that reads them at start; an image has none. Secrets
  # reach the container as environment variables (`docker run -e`, env_file, `fly secrets set`) and the
  # config refers to them as "\${NAME}".
  secrets = map (hit: lib.concatMapStringsSep "." toString hit.path) (render.collectSecrets [ ] rendered);
  # Secrets written as text would be in the image's layers, readable by anyone who pulls it: the modules'
  # rule (the generator's secret paths and key names, modules/generated/facts.json).
  literals = map (hit: lib.concatMapStringsSep "." toString hit.path) (render.literalSecretsIn rendered);
  render = import ../../modules/lib/render.nix { inherit lib; };
in
if secrets != [ ] then
  throw "clawdbot image: settings ${lib.concatStringsSep ", " secrets} use { _secret = …; }, which an image cannot read; give the secret as an environment variable (env_file / fly secrets) and write \"\${NAME}\" in the settings instead"
else if literals != [ ] then
  throw "clawdbot image: settings ${lib.concatStringsSep ", " literals} hold secrets as text, which would be in the image for anyone who pulls it; give each as an environment variable (env_file / fly secrets) and write \"\${NAME}\" in the settings instead"
else
  rendered
