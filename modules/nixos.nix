# NixOS: the gateways as hardened system services — `services.clawdbot` (Clawdbot 2026.1.24-3) and
# `services.openclaw` (OpenClaw, the current release), each with `instances.<name>` for more gateways side
# by side. One implementation (./common.nix), each gateway described in ./lib/gateways.nix.
#
# The unit's ExecStart, environment, credentials and config file come from modules/lib/nixos-unit.nix (over
# modules/lib/render.nix); this file wires the options to it and adds what belongs to the rest of the system
# (firewall, users, tmpfiles, the `clawdbot` / `openclaw` command).
{
  config,
  lib,
  pkgs,
  ...
}:
let
  served = import ./gateway-services.nix {
    inherit config lib pkgs;
    platform = "nixos";
    renderUnit = args: import ./lib/nixos-unit.nix args;
  };

  # One gateway's system service: units, firewall, users, tmpfiles, its command.
  serviceConfig =
    { gateway, common, rendered, ... }:
    let
      # The system user named after the gateway is created when an instance names it; any other must exist.
      usesOwnUser = lib.any (r: r.instance.value.user == gateway.name) rendered;
    in
    {
      assertions = common.assertions rendered;

      # what memory.profile implies for the default instance's memory.max and memory.heapMiB (mkDefault;
      # instances get theirs from their own submodule)
      services.${gateway.name}.memory = common.defaultMemory;

      # the gateway's unit, and with watchdog.enable its watchdog's service and timer (./lib/watchdog.nix);
      # systemd.timers only when there is one (the attribute's name must not depend on the options' values)
      systemd =
        let
          watched = lib.filter (r: r.watchdog.enabled) rendered;
        in
        {
          services = lib.listToAttrs (
            map (r: lib.nameValuePair r.serviceName r.service) rendered
            ++ map (r: lib.nameValuePair r.watchdog.serviceName r.watchdog.nixos.service) watched
          );
          # Folders the gateway writes outside StateDirectory= (a stateDir elsewhere, and the folders of
          # workspace, logFile, configPath beyond it; only with a real user, asserted): created by tmpfiles for
          # that user, since systemd opens them for the unit (ReadWritePaths=, BindPaths=) but creates none.
          tmpfiles.rules = lib.concatMap (r: r.tmpfilesRules) rendered;
        }
        // lib.optionalAttrs (watched != [ ]) {
          timers = lib.listToAttrs (map (r: lib.nameValuePair r.watchdog.timerName r.watchdog.nixos.timer) watched);
        };

      networking.firewall.allowedTCPPorts = lib.concatMap (
        r: lib.optional r.instance.value.openFirewall r.instance.value.port
      ) rendered;

      users.users.${gateway.name} = lib.mkIf usesOwnUser {
        isSystemUser = true;
        group = gateway.name;
        description = "${gateway.displayName} gateway";
      };
      users.groups.${gateway.name} = lib.mkIf usesOwnUser { };


      # `clawdbot` / `openclaw` (`<gateway>-<name>`) for root: the gateway's CLI with the service's config
      # and token (`sudo openclaw status`, `sudo openclaw dashboard --no-open`).
      environment.systemPackages = common.cliPackages rendered;
    };
in
{
  meta.maintainers = [ ];

  # nixpkgs' own services.openclaw (untyped settings merged into a mutable file, auth "none" by default)
  # declares the same options: this module replaces it.
  disabledModules = [ "services/misc/openclaw.nix" ];

  imports = [
    # The older community flake (nix-clawdbot) had these under services.clawdbot with other names.
    (lib.mkRenamedOptionModule
      [ "services" "clawdbot" "gateway" "auth" "mode" ]
      [ "services" "clawdbot" "auth" "mode" ]
    )
    (lib.mkRenamedOptionModule
      [ "services" "clawdbot" "gateway" "auth" "tokenFile" ]
      [ "services" "clawdbot" "auth" "tokenFile" ]
    )
    (lib.mkRenamedOptionModule
      [ "services" "clawdbot" "gateway" "auth" "passwordFile" ]
      [ "services" "clawdbot" "auth" "passwordFile" ]
    )
    (lib.mkRenamedOptionModule [ "services" "clawdbot" "workspaceDir" ] [ "services" "clawdbot" "workspace" ])
    (lib.mkRemovedOptionModule [ "services" "clawdbot" "providers" "telegram" ] ''Use services.clawdbot.settings.channels.telegram: botToken._secret = "/run/agenix/telegram-token"; allowFrom = [ … ];'')
    (lib.mkRemovedOptionModule [ "services" "clawdbot" "providers" "anthropic" ] "Put ANTHROPIC_API_KEY=… (or ANTHROPIC_OAUTH_TOKEN=…) in a file listed in services.clawdbot.environmentFiles.")
    (lib.mkRemovedOptionModule [ "services" "clawdbot" "defaults" ] "Use services.clawdbot.settings.agents.defaults (model.primary, thinkingDefault).")
    (lib.mkRemovedOptionModule [ "services" "clawdbot" "routing" ] "Use services.clawdbot.settings.messages.queue.")
  ];

  options.services = served.options;

  config = served.config serviceConfig;
}
