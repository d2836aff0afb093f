# Home Manager: the gateways as per-user services — `services.clawdbot` (Clawdbot 2026.1.24-3) and
# `services.openclaw` (OpenClaw, the current release): a systemd user unit on Linux
# (WantedBy=default.target), a launchd agent on macOS (KeepAlive, RunAtLoad, logs in ~/Library/Logs).
#
# Running 24/7 on Linux needs lingering, so that the user manager starts at boot and survives logout:
# `users.users.<name>.linger = true;` on NixOS, `loginctl enable-linger <name>` elsewhere. When Home
# Manager runs as a NixOS module this is asserted.
#
# The unit and the agent come from modules/lib/hm-unit.nix (over modules/lib/render.nix); one
# implementation (./common.nix), each gateway described in ./lib/gateways.nix.
args@{
  config,
  lib,
  pkgs,
  ...
}:
let
  inherit (pkgs.stdenv.hostPlatform) isDarwin;
  home = config.home.homeDirectory;
  # Set by Home Manager's NixOS module; absent for a standalone Home Manager.
  osConfig = args.osConfig or null;
  username = config.home.username;
  lingers = osConfig.users.users.${username}.linger or null;

  served = import ./gateway-services.nix {
    inherit config lib pkgs home;
    platform = "home-manager";
    renderUnit = args: import ./lib/hm-unit.nix (args // { darwin = isDarwin; });
  };

  # One gateway's user service: the systemd user unit or launchd agent, its command, the lingering check.
  serviceConfig =
    { gateway, common, rendered, ... }:
    {
      assertions = common.assertions rendered ++ [
        {
          assertion = (!isDarwin && lingers != null) -> lingers == true;
          message = "services.${gateway.name} runs the gateway as a systemd user service of ${username}, which stops at logout and does not start at boot without lingering: set users.users.${username}.linger = true in the NixOS configuration.";
        }
      ];

      # The CLI next to the service (`openclaw status`, `openclaw dashboard`), with its config and token.
      home.packages = common.cliPackages rendered;

      # what memory.profile implies for the default instance's memory.max and memory.heapMiB (mkDefault;
      # instances get theirs from their own submodule)
      services.${gateway.name}.memory = common.defaultMemory;

      # the gateway's unit, and with watchdog.enable its watchdog's service and timer (./lib/watchdog.nix)
      systemd.user =
        let
          watched = lib.filter (r: r.watchdog.enabled) rendered;
        in
        {
          services = lib.mkIf (!isDarwin) (
            lib.listToAttrs (
              map (r: lib.nameValuePair r.serviceName r.unit) rendered
              ++ map (r: lib.nameValuePair r.watchdog.serviceName r.watchdog.user.service) watched
            )
          );
        }
        // lib.optionalAttrs (watched != [ ]) {
          timers = lib.listToAttrs (map (r: lib.nameValuePair r.watchdog.timerName r.watchdog.user.timer) watched);
        };

      launchd.agents = lib.mkIf isDarwin (
        lib.listToAttrs (
          map (
            r:
            lib.nameValuePair r.serviceName {
              enable = true;
              config = r.agent;
            }
          ) rendered
        )
      );
    };

  renamed = from: to: lib.mkRenamedOptionModule ([ "programs" "clawdbot" ] ++ from) ([ "services" "clawdbot" ] ++ to);
  removed = from: how: lib.mkRemovedOptionModule ([ "programs" "clawdbot" ] ++ from) how;
in
{
  meta.maintainers = [ ];

  # programs.clawdbot.* of the older community flake (nix-clawdbot) where there is a one-to-one equivalent.
  imports = [
    (renamed [ "enable" ] [ "enable" ])
    (renamed [ "package" ] [ "package" ])
    (renamed [ "stateDir" ] [ "stateDir" ])
    (renamed [ "workspaceDir" ] [ "workspace" ])
    (renamed [ "config" ] [ "settings" ])
    # … and guidance where there is none.
    (removed [ "instances" ] "Use services.clawdbot.instances.<name> (port, stateDir, settings, …); every instance needs its own port range (ports at least 5 apart).")
    (removed [ "providers" "telegram" ] ''Use services.clawdbot.settings.channels.telegram: botToken._secret = "/path/to/token-file"; allowFrom = [ … ];'')
    (removed [ "providers" "anthropic" ] "Put ANTHROPIC_API_KEY=… in a file listed in services.clawdbot.environmentFiles.")
    (removed [ "defaults" ] "Use services.clawdbot.settings.agents.defaults (model.primary, thinkingDefault).")
    (removed [ "routing" ] "Use services.clawdbot.settings.messages.queue.")
    (removed [ "launchd" ] "The gateway always runs as a launchd agent on macOS and a systemd user service on Linux.")
    (removed [ "systemd" ] "The gateway always runs as a launchd agent on macOS and a systemd user service on Linux.")
  ];

  options.services = served.options;

  config = served.config serviceConfig;
}
