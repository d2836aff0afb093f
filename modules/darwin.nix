# nix-darwin: the gateways — `services.clawdbot` and `services.openclaw` — as launchd user agents
# (`launchd.user.agents`) of the primary user, with KeepAlive, RunAtLoad and logs in ~/Library/Logs. The
# agents come from modules/lib/hm-unit.nix (the same rendering as Home Manager on macOS), so state lives in
# ~/.clawdbot or ~/.openclaw. One implementation (./common.nix), each gateway described in ./lib/gateways.nix.
#
# No watchdog here: launchd's KeepAlive restarts a gateway that exits, and nothing runs the health probe on a
# schedule; `watchdog.enable = true` is an assertion on macOS (./lib/watchdog.nix), rather than an option that
# silently does nothing. (A StartInterval agent could run the probe, but launchd has no restart-after-N-in-a-row
# of its own and `launchctl kickstart -k` of another agent from one: left out.)
{
  config,
  lib,
  pkgs,
  ...
}:
let
  user = config.system.primaryUser or null;
  home =
    if user == null then
      throw "services.clawdbot / services.openclaw (nix-darwin) need system.primaryUser: the gateway runs as that user's launchd agent."
    else
      let
        # nix-darwin's users.users.<name>.home (modules/users/user.nix) is `nullOr path`, default null: a
        # declared user without `home` has null there, which `or` does not replace. macOS keeps a login
        # user's home in /Users/<name>.
        declared = config.users.users.${user}.home or null;
      in
      if declared == null then "/Users/${user}" else toString declared;

  served = import ./gateway-services.nix {
    inherit config lib pkgs home;
    platform = "darwin";
    renderUnit =
      args:
      import ./lib/hm-unit.nix (
        args
        // {
          darwin = true;
          platform = "darwin";
        }
      );
  };

  # One gateway's launchd user agents and its command.
  serviceConfig =
    { gateway, common, rendered, ... }:
    {
      assertions = common.assertions rendered ++ [
        {
          assertion = user != null;
          message = "services.${gateway.name} (nix-darwin) runs as the launchd agent of system.primaryUser: set system.primaryUser = \"<your user>\".";
        }
      ];

      # what memory.profile implies for the default instance's memory.max and memory.heapMiB (mkDefault;
      # instances get theirs from their own submodule)
      services.${gateway.name}.memory = common.defaultMemory;

      # The CLI next to the service (`openclaw status`, `openclaw dashboard`), with its config and token.
      environment.systemPackages = common.cliPackages rendered;

      launchd.user.agents = lib.listToAttrs (
        map (r: lib.nameValuePair r.serviceName { serviceConfig = r.agent; }) rendered
      );
    };
in
{
  options.services = served.options;

  config = served.config serviceConfig;
}
