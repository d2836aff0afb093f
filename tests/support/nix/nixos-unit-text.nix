# A stand-in for how NixOS writes a system unit (nixos/lib/systemd-lib.nix + nixos/modules/system/boot/
# systemd.nix), from the `systemd.services.<name>` attrset the module defines: [Unit] keys, X-Restart-Triggers
# as a store file of the triggers, [Service] Environment= lines sorted by name with PATH from the unit's
# `path` plus NixOS' default path (bin, then sbin), the serviceConfig keys sorted (lists as repeated keys),
# [Install] WantedBy. No NixOS source is available here (nixpkgs.lib has lib/ only); T2 builds the real one.
{
  serviceName,
  service,
  # what NixOS appends to every unit's path (coreutils, findutils, gnugrep, gnused, systemd)
  defaultPath ? [ ],
}:
let
  inherit (import ./unit-text.nix) value keyLines quote;

  unitPath = map toString (service.path or [ ]) ++ defaultPath;
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
  restartTriggers = builtins.toFile "X-Restart-Triggers-${serviceName}" (
    builtins.concatStringsSep " " (map toString service.restartTriggers)
  );
in
{
  inherit restartTriggers;
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
}
