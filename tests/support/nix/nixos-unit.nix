# T0 stand-in for what the NixOS module and NixOS do around modules/lib/nixos-unit.nix: the instance's option
# values (./options.nix), the lib stand-in (./lib-shim.nix) unless a real `lib` is given, and the unit file
# written the way NixOS writes it (nixos/lib/systemd-lib.nix + nixos/modules/system/boot/systemd.nix):
# [Unit] keys, X-Restart-Triggers as a store file of the triggers, [Service] Environment= lines sorted by
# name with PATH from the unit's `path` plus NixOS' default path (bin, then sbin), then the serviceConfig keys
# sorted, lists as repeated keys, [Install] WantedBy.
#
#   import ./tests/support/nix/nixos-unit.nix {
#     package = "/nix/store/…"; shell = "/bin/sh"; name = "default"; path = [ ]; system = "x86_64-linux";
#     options = { port = 18789; };        # partial: the module system's defaults fill the rest
#     defaultPath = [ ];                   # what NixOS appends to every unit's path (coreutils, findutils, …)
#     lib = <nixpkgs lib>;                 # optional (T1): the real one instead of the stand-in
#   }
#   → modules/lib/nixos-unit.nix's result // { unitText; }
args@{
  lib ? import ./lib-shim.nix,
  options ? { },
  name ? "default",
  defaultPath ? [ ],
  ...
}:
let
  full = import ./options.nix { inherit lib; } {
    platform = "nixos";
    inherit name options;
  };
  u = import ../../../modules/lib/nixos-unit.nix (
    builtins.removeAttrs args [ "defaultPath" ]
    // {
      inherit lib;
      options = full;
    }
  );
  inherit (u) service;

  value =
    v:
    if v == true then
      "true"
    else if v == false then
      "false"
    else
      toString v;
  keyLines =
    attrs:
    builtins.concatMap (
      key:
      let
        v = attrs.${key};
      in
      if builtins.isList v then map (x: "${key}=${value x}") v else [ "${key}=${value v}" ]
    ) (builtins.attrNames attrs);
  quote = s: builtins.replaceStrings [ "%" ] [ "%%" ] (builtins.toJSON s);

  unitPath = (service.path or [ ]) ++ defaultPath;
  environment =
    service.environment
    // (
      if unitPath == [ ] then
        { }
      else
        {
          PATH = builtins.concatStringsSep ":" (map (p: "${p}/bin") unitPath ++ map (p: "${p}/sbin") unitPath);
        }
    );
  restartTriggers = builtins.toFile "X-Restart-Triggers-${u.serviceName}" (
    builtins.concatStringsSep " " (map toString service.restartTriggers)
  );

  unitText =
    builtins.concatStringsSep "\n" (
      [
        "[Unit]"
        "After=${builtins.concatStringsSep " " service.after}"
        "Description=${service.description}"
        "Documentation=${builtins.concatStringsSep " " service.documentation}"
        "StartLimitBurst=${toString service.startLimitBurst}"
        "StartLimitIntervalSec=${toString service.startLimitIntervalSec}"
        "Wants=${builtins.concatStringsSep " " service.wants}"
        "X-Restart-Triggers=${restartTriggers}"
        ""
        "[Service]"
      ]
      ++ map (n: "Environment=${quote "${n}=${environment.${n}}"}") (builtins.attrNames environment)
      ++ keyLines service.serviceConfig
      ++ [
        ""
        "[Install]"
        "WantedBy=${builtins.concatStringsSep " " service.wantedBy}"
      ]
    )
    + "\n";
in
u
// {
  inherit unitText restartTriggers;
  storeFiles = u.storeFiles ++ [ restartTriggers ];
}
