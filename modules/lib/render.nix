# Rendering of one gateway instance: its option values (as the module system computed them) in; the config
# file, the credentials, the environment, the launcher argv, the owner's command and the assertions out. Shared
# by the NixOS, Home Manager and nix-darwin modules (modules/common.nix, nixos-unit.nix, hm-unit.nix) and the
# image (nix/image/settings.nix).
#
#   (import ./modules/lib/render.nix { inherit lib gateway; }).instance {
#     platform = "nixos";            # "nixos", "home-manager" (systemd user unit), "home-manager-darwin" or
#                                    # "darwin" (launchd)
#     name = "default";              # instance name; "default" is services.<gateway> itself
#     options = { port = 18789; … }; # the instance's option values, every option (config.services.<gateway>)
#     package = "/nix/store/…-clawdbot-gateway";
#     shell = "/nix/store/…-bash/bin/bash";   # runs the launcher (a POSIX sh script)
#     home = null;                   # the user's home (Home Manager, nix-darwin)
#     system = "x86_64-linux";       # for the tool check (nix/tools/select.nix)
#     path = [ ];                    # packages whose bin/ goes on PATH (tools, coreutils)
#     writeText = builtins.toFile;   # the modules pass pkgs.writeText
#   }
#
# An index: each decision lives in one room of this folder, readable alone (its header says what it decides
# and what it reads):
#
#   ./settings.nix       the config file: what the service options put in it, null-stripped, the settings they own
#   ./secrets.nix        secrets: their variables and references, the token file, what is refused
#   ./environment.nix    the gateway's environment (also the image's)
#   ./paths.nix          where an instance lives (the options' computed defaults, its cache and TMPDIR)
#   ./folders.nix        the folders it writes, those the unit is given, those it may not take
#   ./exposure.nix       who can reach the gateway: auth, bind, Tailscale, proxies, flags; ports between instances
#   ./plugins.nix        plugins declared so the config is never rewritten, packaged plugins, missing ones
#   ./command.nix        the service's command: the launcher's arguments, ExecStart=, the stop policy, tools
#   ./owner-command.nix  the owner's command (the gateway's CLI with the service's config and token)
{
  lib,
  # the gateway's description (./gateways.nix): names, paths, the environment prefix, its facts
  gateway ? throw "modules/lib/render.nix: the `gateway` argument is required: a description of modules/lib/gateways.nix, e.g. gateway = (import ./modules/lib/gateways.nix).openclaw;",
}:
let
  paths = import ./paths.nix;
  settingsRoom = import ./settings.nix { inherit lib gateway; };
  secretsRoom = import ./secrets.nix { inherit lib gateway; };
  foldersRoom = import ./folders.nix { inherit lib gateway; };
  exposureRoom = import ./exposure.nix { inherit lib gateway; };
  pluginsRoom = import ./plugins.nix {
    inherit lib gateway;
    inherit (secretsRoom) facts;
  };
  commandRoom = import ./command.nix { inherit lib gateway; };
  ownerRoom = import ./owner-command.nix { inherit lib gateway; };

  optionPrefixOf = name: if name == "default" then "services.${gateway.name}" else "services.${gateway.name}.instances.${name}";
in
{
  inherit (secretsRoom)
    facts
    collectSecrets
    replaceSecrets
    secretEnvName
    valuesAt
    literalSecretsIn
    literalEnvironmentSecretsIn
    ;
  inherit (pluginsRoom) autoEnabledPlugins externalChannelPlugin loadedPluginsOf withAutoEnabledPlugins;
  inherit (settingsRoom) moduleSettings stripNulls;
  inherit (foldersRoom) normalizePath isWithin;
  inherit (commandRoom) systemdQuote;
  inherit (exposureRoom) crossAssertions;
  inherit optionPrefixOf;

  instance =
    {
      platform,
      name ? "default",
      options ? { },
      package,
      shell,
      launcher ? ../launcher/clawdbot-launch.sh,
      home ? null,
      # the separately published plugins this flake packages (OpenClaw's openclawPlugins), id → store folder;
      # the instance loads those its `plugins` option names
      packagedPlugins ? { },
      system ? "x86_64-linux",
      path ? [ ],
      writeText ? builtins.toFile,
    }:
    let
      o = options;
      prefix = optionPrefixOf name;
      suffix = paths.suffix name;
      cacheDir = paths.cacheDir { inherit gateway platform name home; };
      tmpDir = "${cacheDir}/tmp";

      config = settingsRoom.instance {
        inherit o prefix writeText;
        fileName = "${gateway.name}${suffix}.json";
        declarePlugins = plugins.declare;
        replaceSecrets = secrets.replace;
      };
      inherit (config) userSettings settings;
      secrets = secretsRoom.instance { inherit o userSettings prefix; };
      plugins = pluginsRoom.instance { inherit o userSettings prefix packagedPlugins; };
      folders = foldersRoom.instance { inherit o prefix suffix cacheDir tmpDir; };
      exposure = exposureRoom.instance {
        inherit o userSettings prefix;
        hasPassword = o.auth.passwordFile != null || secrets.settingsPassword != null;
      };
      command = commandRoom.instance {
        inherit o prefix platform package shell launcher system settings;
        inherit (folders) dirs;
        inherit secrets;
        inherit (config) configFile;
        pluginArgs = plugins.launcherArgs;
      };
      owner = ownerRoom.instance {
        inherit o name prefix suffix platform package shell launcher secrets;
        inherit (config) configFile;
      };

      environment = import ./environment.nix {
        inherit gateway;
        inherit (o) stateDir configPath bonjour;
        home = if platform == "nixos" then o.stateDir else home;
        inherit tmpDir path;
        heapMiB = o.memory.heapMiB;
        extra = o.environment;
      };

      # in this order: the config's, exposure, secret files, tools, plugins, secret names, NixOS' folders
      assertions =
        config.assertions
        ++ exposure.assertions
        ++ secrets.assertions.files
        ++ command.assertions
        ++ plugins.assertions
        ++ secrets.assertions.names
        ++ (if platform == "nixos" then folders.nixosAssertions else [ ]);
    in
    {
      inherit
        name
        platform
        prefix
        suffix
        settings
        environment
        assertions
        cacheDir
        tmpDir
        userSettings
        ;
      inherit (config) configText configFile;
      inherit (secrets) credentials generatedTokenFile tokenFile;
      inherit (command)
        argv
        launcherArgs
        gatewayArgs
        requiredEnv
        execStart
        stopPolicy
        ;
      inherit (folders) writableDirs dirs;
      inherit (owner)
        cliName
        cliEnvironment
        cliArgv
        cliScript
        ;
      options = o;
      launcher = "${launcher}";
      package = "${package}";
      failed = map (a: a.message) (builtins.filter (a: !a.assertion) assertions);
    };
}
