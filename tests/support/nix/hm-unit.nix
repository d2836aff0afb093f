# T0 stand-in for what the Home Manager (or nix-darwin) module does around modules/lib/hm-unit.nix: the
# instance's option values (./options.nix), the lib stand-in (./lib-shim.nix) unless a real `lib` is given,
# and the user unit file written the way Home Manager's modules/systemd.nix writes it (lib.generators.toINI:
# sections and keys sorted, lists as repeated keys, null and [ ] left out). tests/modules/t1.test.ts compares
# that text with Home Manager's own rendering, byte for byte.
#
#   import ./tests/support/nix/hm-unit.nix {
#     package = "/nix/store/…"; shell = "/bin/sh"; home = "/home/alice"; darwin = false; platform = null;
#     options = { port = 18789; };        # partial: the module system's defaults fill the rest
#     lib = <nixpkgs lib>;                 # optional (T1)
#     gateway = (import ./modules/lib/gateways.nix).openclaw;   # optional: Clawdbot's by default
#   }
#   → modules/lib/hm-unit.nix's result // { unitText; }
args@{
  lib ? import ./lib-shim.nix,
  gateway ? (import ../../../modules/lib/gateways.nix).clawdbot,
  options ? { },
  name ? "default",
  home,
  darwin ? false,
  platform ? null,
  ...
}:
let
  full = import ./options.nix { inherit lib; } {
    inherit gateway;
    platform =
      if platform != null then
        platform
      else if darwin then
        "home-manager-darwin"
      else
        "home-manager";
    inherit name home options;
  };
  u = import ../../../modules/lib/hm-unit.nix (args // { inherit lib; options = full; });

  value =
    v:
    if v == true then
      "true"
    else if v == false then
      "false"
    else
      toString v;
  keep = v: v != null && v != [ ];
  section =
    name: attrs:
    "[${name}]\n"
    + builtins.concatStringsSep "" (
      builtins.concatMap (
        key:
        let
          v = attrs.${key};
        in
        if builtins.isList v then map (x: "${key}=${value x}\n") v else [ "${key}=${value v}\n" ]
      ) (builtins.filter (key: keep attrs.${key}) (builtins.attrNames attrs))
    );
  unitText = builtins.concatStringsSep "\n" (map (name: section name u.unit.${name}) (builtins.attrNames u.unit));
in
u // { inherit unitText; }
