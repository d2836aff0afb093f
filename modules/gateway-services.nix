# What the NixOS, Home Manager and nix-darwin modules share around ./common.nix: one `services.<name>` per
# gateway description (./lib/gateways.nix: clawdbot, openclaw), each gateway's instances rendered by the
# platform's unit renderer, and the assertions between every instance of every gateway (ports, paths).
#
#   served = import ./gateway-services.nix {
#     inherit config lib pkgs home;
#     platform = "nixos";
#     renderUnit = args: import ./lib/nixos-unit.nix args;
#   };
#   { options.services = served.options; config = served.config ({ gateway, common, rendered, ... }: { … }); }
{
  config,
  lib,
  pkgs,
  # "nixos", "home-manager" or "darwin"
  platform,
  # the user's home directory (Home Manager, nix-darwin)
  home ? null,
  # the platform's rendering of one instance (modules/lib/nixos-unit.nix or hm-unit.nix), given its
  # arguments: common.renderArgs and what the watchdog runs (below)
  renderUnit,
}:
let
  render = import ./lib/render.nix { inherit lib; };

  # One instance's arguments for the unit renderers: common.nix's, and what the watchdog (./lib/watchdog.nix;
  # systemd only) runs: the package's Node for its health probe, systemd's systemctl.
  renderArgs =
    common: instance:
    let
      args = common.renderArgs instance;
    in
    args
    // {
      node = args.package.passthru.nodejs or pkgs."nodejs_${toString args.gateway.nodeMajor}";
      systemctl = "${pkgs.systemd}/bin/systemctl";
    };

  serve =
    gateway:
    let
      cfg = config.services.${gateway.name};
      common = import ./common.nix {
        inherit
          lib
          pkgs
          cfg
          home
          gateway
          platform
          ;
      };
    in
    {
      inherit gateway cfg common;
      rendered = map (instance: renderUnit (renderArgs common instance) // { inherit instance; }) common.enabledInstances;
    };
  served = map serve (lib.attrValues (import ./lib/gateways.nix));
in
{
  # services.clawdbot, services.openclaw
  options = lib.listToAttrs (map (s: lib.nameValuePair s.gateway.name s.common.options) served);

  # Each gateway's share of the settings, then what `perGateway` makes of its rendered instances (when it has
  # any), then the assertions between instances across gateways.
  config =
    perGateway:
    lib.mkMerge (
      lib.concatMap (s: [
        { services.${s.gateway.name}.settings = s.common.defaultSettings; }
        (lib.mkIf (s.rendered != [ ]) (perGateway s))
      ]) served
      ++ [
        { assertions = render.crossAssertions (map (r: r.render) (lib.concatMap (s: s.rendered) served)); }
      ]
    );
}
