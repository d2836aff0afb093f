# The service's command: the launcher's arguments and the gateway's, as the unit or agent runs them.
#
# Decides: what the launcher (modules/launcher/clawdbot-launch.sh) does before it execs the gateway: the
# folders it creates, the config it links into place (and the packaged plugins' npm root), the secrets it
# reads (NixOS: from LoadCredential=; elsewhere: from their files), the token it generates, the environment
# files it reads (launchd has no EnvironmentFile=), the `${NAME}` references that must have a value, the
# compile cache it seeds; the gateway's own flags (port, bind, extraArgs); ExecStart= quoting; the stop
# policy; the refusal of a tool this flake does not know or has no release of for the system.
#
# Reads: the instance's `port`, `bind`, `extraArgs`, `environmentFiles`, `stateDir`, `configPath`, `tools`;
# the platform; the folders (./folders.nix), secrets (./secrets.nix), config file (./settings.nix) and
# plugin arguments (./plugins.nix) of the instance; the gateway's description (bin, cacheSeed, stop);
# nix/tools/select.nix (the tools and their systems).
{
  lib,
  # the gateway's description (./gateways.nix)
  gateway,
}:
let
  env = gateway.envPrefix;
  toolSelection = import ../../nix/tools/select.nix { };

  inherit (builtins)
    concatMap
    concatStringsSep
    elem
    filter
    isList
    match
    toJSON
    ;

  # `--flag value` pairs for the launcher.
  flagEach = flag: values: concatMap (v: [ flag ] ++ (if isList v then v else [ v ])) values;

  # A systemd quoted string ("…" with C escapes, as NixOS renders Environment=); `%` doubled so that no
  # specifier is expanded.
  systemdQuote = s: builtins.replaceStrings [ "%" ] [ "%%" ] (toJSON s);

  # One ExecStart= argument: bare when it is safe, else quoted; `%` and `$` are escaped everywhere
  # (systemd expands specifiers and variables in ExecStart=).
  systemdExecArg =
    arg:
    let
      s = toString arg;
    in
    if match "[A-Za-z0-9_./:=+,@-]+" s != null then s else builtins.replaceStrings [ "%" "$" ] [ "%%" "$$" ] (toJSON s);
in
{
  inherit flagEach systemdQuote;

  # One instance's command. `o`: its option values; `prefix`: its option path; `platform`; `package`,
  # `shell`, `launcher`: store paths; `system`: for the tool check; `dirs`: ./folders.nix; `secrets`:
  # ./secrets.nix's instance; `configFile`, `settings`: ./settings.nix's; `pluginArgs`: ./plugins.nix's
  # launcher arguments.
  instance =
    {
      o,
      prefix,
      platform,
      package,
      shell,
      launcher,
      system,
      dirs,
      secrets,
      configFile,
      settings,
      pluginArgs,
    }:
    let
      isNixos = platform == "nixos";
      # systemd (system or user manager) reads EnvironmentFile= itself; launchd has no equivalent.
      systemd = platform == "nixos" || platform == "home-manager";
      inherit (secrets) credentials generatedTokenFile;

      requiredEnv = secrets.requiredEnv settings;

      launcherArgs =
        flagEach "--mkdir" dirs
        ++ [
          "--config"
          "${configFile}"
          o.configPath
        ]
        ++ pluginArgs
        ++ (
          if isNixos then
            flagEach "--credential" (map (c: [ c.name c.name ]) credentials)
          else
            flagEach "--secret" (map (c: [ c.name c.file ]) credentials)
        )
        ++ (
          if generatedTokenFile != null then
            [
              "--token"
              "${env}_GATEWAY_TOKEN"
              generatedTokenFile
            ]
          else
            [ ]
        )
        ++ (if systemd then [ ] else flagEach "--env-file" o.environmentFiles)
        ++ flagEach "--require-env" requiredEnv
        ++ (if gateway.cacheSeed != null then [ "--jiti-seed" "${package}/${gateway.cacheSeed}" ] else [ ])
        ++ [
          "--chdir"
          o.stateDir
        ];

      gatewayArgs = [
        "gateway"
        "--port"
        (toString o.port)
        "--bind"
        o.bind
      ]
      ++ o.extraArgs;

      argv = [
        (toString shell)
        "${launcher}"
      ]
      ++ launcherArgs
      ++ [
        "--"
        "${package}/bin/${gateway.bin}"
      ]
      ++ gatewayArgs;

      available = toolSelection.availableFor system;
      unknownTools = filter (t: !(elem t toolSelection.names)) o.tools;
      missingTools = filter (t: elem t toolSelection.names && !(elem t available)) o.tools;
    in
    {
      inherit
        requiredEnv
        launcherArgs
        gatewayArgs
        argv
        ;
      execStart = concatStringsSep " " (map systemdExecArg argv);
      # How systemd stops the gateway (./gateways.nix: stop): how long it may take, whom SIGTERM reaches.
      stopPolicy = {
        TimeoutStopSec = "${toString gateway.stop.timeoutSec}s";
      }
      // (if gateway.stop.killMode != null then { KillMode = gateway.stop.killMode; } else { });

      assertions = [
        {
          assertion = unknownTools == [ ];
          message = "${prefix}.tools: unknown tool ${concatStringsSep ", " (map (t: "\"${t}\"") unknownTools)}. Known tools: ${concatStringsSep ", " toolSelection.names}.";
        }
        {
          assertion = missingTools == [ ];
          message = "${prefix}.tools: ${concatStringsSep ", " (map (t: "\"${t}\"") missingTools)} has no release for ${system}. Remove it from ${prefix}.tools on this system, or pin a release in nix/tools/lock.json. Tools with a release for ${system}: ${concatStringsSep ", " available}.";
        }
      ];
    };
}
