# NixOS: the Clawdbot gateway as a hardened system service (`services.clawdbot`, plus
# `services.clawdbot.instances.<name>` for more gateways side by side).
#
# The unit's ExecStart, environment, credentials and config file come from modules/lib/nixos-unit.nix (over
# modules/lib/render.nix); this file wires the options to it and adds what belongs to the rest of the system
# (firewall, users, tmpfiles, the `clawdbot` command).
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.services.clawdbot;

  common = import ./common.nix {
    inherit lib pkgs cfg;
    platform = "nixos";
  };

  rendered = map (
    instance: import ./lib/nixos-unit.nix (common.renderArgs instance) // { inherit instance; }
  ) common.enabledInstances;

  usesClawdbotUser = lib.any (r: r.instance.value.user == "clawdbot") rendered;
in
{
  meta.maintainers = [ ];

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

  options.services.clawdbot = common.options;

  config = lib.mkMerge [
  { services.clawdbot.settings = common.defaultSettings; }
  (lib.mkIf (rendered != [ ]) {
    assertions = common.assertions rendered;

    systemd.services = lib.listToAttrs (map (r: lib.nameValuePair r.serviceName r.service) rendered);

    networking.firewall.allowedTCPPorts = lib.concatMap (
      r: lib.optional r.instance.value.openFirewall r.instance.value.port
    ) rendered;

    # The system user "clawdbot" is created when an instance names it; any other user must exist.
    users.users.clawdbot = lib.mkIf usesClawdbotUser {
      isSystemUser = true;
      group = "clawdbot";
      description = "Clawdbot gateway";
    };
    users.groups.clawdbot = lib.mkIf usesClawdbotUser { };

    # Folders the gateway writes outside StateDirectory= (a stateDir elsewhere, and the folders of
    # workspace, logFile, configPath beyond it; only with a real user, asserted): created by tmpfiles for
    # that user, since systemd opens them for the unit (ReadWritePaths=, BindPaths=) but creates none.
    systemd.tmpfiles.rules = lib.concatMap (r: r.tmpfilesRules) rendered;

    # `clawdbot` (`clawdbot-<name>`) for root: the gateway's CLI with the service's config and token
    # (`sudo clawdbot status`, `sudo clawdbot dashboard --no-open`).
    environment.systemPackages = common.cliPackages rendered;
  })
  ];
}
