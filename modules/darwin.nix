# nix-darwin: the Clawdbot gateway as a launchd user agent (`launchd.user.agents`) of the primary user,
# with KeepAlive, RunAtLoad and logs in ~/Library/Logs. The agent comes from modules/lib/hm-unit.nix (the
# same rendering as Home Manager on macOS), so state lives in ~/.clawdbot.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.services.clawdbot;

  user = config.system.primaryUser or null;
  home =
    if user == null then
      throw "services.clawdbot (nix-darwin) needs system.primaryUser: the gateway runs as that user's launchd agent."
    else
      config.users.users.${user}.home or "/Users/${user}";

  common = import ./common.nix {
    inherit lib pkgs cfg home;
    platform = "darwin";
  };

  rendered = map (
    instance:
    import ./lib/hm-unit.nix (
      common.renderArgs instance
      // {
        darwin = true;
        platform = "darwin";
      }
    )
    // {
      inherit instance;
    }
  ) common.enabledInstances;
in
{
  options.services.clawdbot = common.options;

  config = lib.mkMerge [
  { services.clawdbot.settings = common.defaultSettings; }
  (lib.mkIf (rendered != [ ]) {
    assertions = common.assertions rendered ++ [
      {
        assertion = user != null;
        message = "services.clawdbot (nix-darwin) runs as the launchd agent of system.primaryUser: set system.primaryUser = \"<your user>\".";
      }
    ];

    # The CLI next to the service (`clawdbot status`, `clawdbot dashboard`), with its config and token.
    environment.systemPackages = common.cliPackages rendered;

    launchd.user.agents = lib.listToAttrs (
      map (r: lib.nameValuePair r.serviceName { serviceConfig = r.agent; }) rendered
    );
  })
  ];
}
