# The owner's command: `clawdbot` (`clawdbot-<name>` for another instance; `openclaw` for OpenClaw), the
# gateway's CLI for the user who runs the gateway (Home Manager, nix-darwin) or root (NixOS).
#
# Decides: the command's script: the same config, secrets and environment files as the service (the config's
# ${…} references must resolve for any command to load it) and the gateway token, so that `health`,
# `status` and `dashboard` (the Control UI's URL with the token) work with no extra step; who must be
# listening on the port before the token or password is handed over (Linux); `<command> rotate-token`. Anyone
# who cannot read those files cannot use it.
#
# Reads: the instance's `port`, `user`, `auth`, `stateDir`, `configPath`, `bonjour`, `environmentFiles`; its
# secrets and token file (./secrets.nix), its config file (./settings.nix); the platform; the gateway's
# names (bin, launchd label, display name).
{
  lib,
  # the gateway's description (./gateways.nix)
  gateway,
}:
let
  env = gateway.envPrefix;
  inherit (builtins) attrNames concatStringsSep;
  inherit ((import ./command.nix { inherit lib gateway; })) flagEach;
in
{
  # One instance's command. `o`: its option values; `name`: the instance; `prefix`: its option path;
  # `suffix`: "" or "-<name>"; `platform`; `package`, `shell`, `launcher`: store paths; `secrets`:
  # ./secrets.nix's instance; `configFile`: the config in the store.
  instance =
    {
      o,
      name,
      prefix,
      suffix,
      platform,
      package,
      shell,
      launcher,
      secrets,
      configFile,
    }:
    let
      isNixos = platform == "nixos";
      inherit (secrets) allSecrets generatedTokenFile tokenFile;

      cliName = "${gateway.name}${suffix}";
      cliEnvironment =
        {
          "${env}_NIX_MODE" = "1";
          # NixOS: the store file itself (root's CLI must not write into the service's state directory).
          "${env}_CONFIG_PATH" = if isNixos then "${configFile}" else o.configPath;
        }
        // (if isNixos then { } else { "${env}_STATE_DIR" = o.stateDir; })
        // (if o.bonjour then { } else { "${env}_DISABLE_BONJOUR" = "1"; });
      # Who may listen on the gateway's port when the command sends it the token or password (Linux: the
      # launcher reads /proc/net/tcp{,6}; macOS has no such table a user can read for other users' sockets,
      # so nothing is checked there). The service's user: NixOS' `user`, else the unit's DynamicUser, named
      # after the unit (it has a uid only while the unit runs); Home Manager: whoever runs the command ("-").
      # While anyone else listens there the command refuses to run; while nothing listens it runs without the
      # credentials (a stand-in could bind between the check and the connection).
      listenerCheck = platform == "nixos" || platform == "home-manager";
      listenerUser = if isNixos then (if o.user != null then o.user else cliName) else "-";
      gatewayCredentials =
        (if tokenFile != null then [ "${env}_GATEWAY_TOKEN" ] else [ ])
        ++ (if o.auth.passwordFile != null then [ "${env}_GATEWAY_PASSWORD" ] else [ ]);
      cliArgv = [
        (toString shell)
        "${launcher}"
      ]
      ++ (
        if listenerCheck then
          [
            "--listener-owner"
            (toString o.port)
            listenerUser
          ]
          ++ flagEach "--gateway-credential" gatewayCredentials
        else
          [ ]
      )
      ++ flagEach "--secret" (
        map (s: [
          s.name
          s.file
        ]) allSecrets
        ++ (
          if generatedTokenFile != null then
            [
              [
                "${env}_GATEWAY_TOKEN"
                generatedTokenFile
              ]
            ]
          else
            [ ]
        )
      )
      ++ flagEach "--env-file" o.environmentFiles
      ++ [
        "--"
        "${package}/bin/${gateway.bin}"
      ];
      # `<command> rotate-token`: a new gateway token (after a leak). The generated token: remove the file and
      # restart the service, whose launcher writes a new one at start. A token of the user's own file, or
      # password auth: say what to do instead.
      restartCommand =
        if isNixos then
          "systemctl restart ${lib.escapeShellArg "${cliName}.service"}"
        else if platform == "home-manager" then
          "systemctl --user restart ${lib.escapeShellArg "${cliName}.service"}"
        else
          ''launchctl kickstart -k "gui/$(id -u)/"${
            lib.escapeShellArg "${gateway.launchdLabel}${if name == "default" then "" else ".${name}"}"
          }'';
      rotateLines =
        [ ''if [ "''${1-}" = rotate-token ]; then'' ]
        ++ (
          if generatedTokenFile != null then
            [
              "  rm -f -- ${lib.escapeShellArg generatedTokenFile} || exit 1"
              "  printf '%s\\n' ${lib.escapeShellArg "${cliName}: removed ${generatedTokenFile}; restarting the service, whose start writes a new token (give it to every client that held the old one: a dashboard, a paired browser)"}"
              "  exec ${restartCommand}"
            ]
          else
            [
              "  printf '%s\\n' ${
                lib.escapeShellArg (
                  if tokenFile != null then
                    "${cliName}: the gateway token is the content of ${toString tokenFile} (${prefix}.auth.tokenFile): write a new one there, then restart the service"
                  else
                    "${cliName}: ${prefix} uses no gateway token (auth.mode = \"${o.auth.mode}\"): nothing to rotate"
                )
              } >&2"
              "  exit 64"
            ]
        )
        ++ [ "fi" ];
      cliScript = concatStringsSep "\n" (
        [
          "#!${toString shell}"
          "# ${cliName}: the ${gateway.displayName} CLI for the ${prefix} gateway (generated by the clawdbot-nix module)."
        ]
        ++ rotateLines
        ++ map (n: "export ${n}=${lib.escapeShellArg cliEnvironment.${n}}") (attrNames cliEnvironment)
        ++ [ "exec ${concatStringsSep " " (map lib.escapeShellArg cliArgv)} \"$@\"" ]
      )
      + "\n";
    in
    {
      inherit
        cliName
        cliEnvironment
        cliArgv
        cliScript
        ;
    };
}
