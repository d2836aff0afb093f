# nix-darwin: the gateways — `services.clawdbot` and `services.openclaw` — as launchd user agents
# (`launchd.user.agents`) of the primary user, with KeepAlive, RunAtLoad and logs in ~/Library/Logs. The
# agents come from modules/lib/hm-unit.nix (the same rendering as Home Manager on macOS), so state lives in
# ~/.clawdbot or ~/.openclaw. One implementation (./common.nix), each gateway described in ./lib/gateways.nix.
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
      config.users.users.${user}.home or "/Users/${user}";

  gateways = import ./lib/gateways.nix;
  render = import ./lib/render.nix { inherit lib; };

  serve =
    gateway:
    let
      cfg = config.services.${gateway.name};
      common = import ./common.nix {
        inherit lib pkgs cfg home gateway;
        platform = "darwin";
      };
    in
    {
      inherit gateway common;
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
    };
  served = map serve (lib.attrValues gateways);

  serviceConfig =
    { gateway, common, rendered }:
    [
      { services.${gateway.name}.settings = common.defaultSettings; }
      (lib.mkIf (rendered != [ ]) {
        assertions = common.assertions rendered ++ [
          {
            assertion = user != null;
            message = "services.${gateway.name} (nix-darwin) runs as the launchd agent of system.primaryUser: set system.primaryUser = \"<your user>\".";
          }
        ];

        # The CLI next to the service (`openclaw status`, `openclaw dashboard`), with its config and token.
        environment.systemPackages = common.cliPackages rendered;

        launchd.user.agents = lib.listToAttrs (
          map (r: lib.nameValuePair r.serviceName { serviceConfig = r.agent; }) rendered
        );
      })
    ];
in
{
  options.services = lib.listToAttrs (map (s: lib.nameValuePair s.gateway.name s.common.options) served);

  config = lib.mkMerge (
    lib.concatMap serviceConfig served
    ++ [
      { assertions = render.crossAssertions (map (r: r.render) (lib.concatMap (s: s.rendered) served)); }
    ]
  );
}
