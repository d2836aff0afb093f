# The unit files NixOS writes for the watchdog's `systemd.services.<unit>-watchdog` and
# `systemd.timers.<unit>-watchdog` (modules/lib/watchdog.nix), the same way ./nixos-unit-text.nix writes the
# gateway's unit (a stand-in: no NixOS source is available here; T2 builds the real one): [Unit] keys sorted,
# [Service] Environment= lines sorted by name then the serviceConfig keys sorted (lists as repeated keys), or
# [Timer] the timerConfig keys; [Install] WantedBy for the timer (the container tests link it into
# timers.target.wants from there, as NixOS does from wantedBy).
{
  service,
  timer,
}:
let
  inherit (import ./unit-text.nix) value keyLines quote;
  unitSection =
    u:
    keyLines (
      {
        Description = u.description;
        Documentation = builtins.concatStringsSep " " u.documentation;
      }
      // (if u ? after then { After = builtins.concatStringsSep " " u.after; } else { })
      // (if u ? startLimitIntervalSec then { StartLimitIntervalSec = u.startLimitIntervalSec; } else { })
    );
in
{
  service =
    builtins.concatStringsSep "\n" (
      [ "[Unit]" ]
      ++ unitSection service
      ++ [
        ""
        "[Service]"
      ]
      ++ map (n: "Environment=${quote "${n}=${service.environment.${n}}"}") (builtins.attrNames service.environment)
      ++ keyLines service.serviceConfig
    )
    + "\n";
  timer =
    builtins.concatStringsSep "\n" (
      [ "[Unit]" ]
      ++ unitSection timer
      ++ [
        ""
        "[Timer]"
      ]
      ++ keyLines timer.timerConfig
      ++ [
        ""
        "[Install]"
        "WantedBy=${builtins.concatStringsSep " " timer.wantedBy}"
      ]
    )
    + "\n";
}
