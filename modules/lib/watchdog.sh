# The watchdog of a gateway unit (modules/lib/watchdog.nix): run by <unit>-watchdog.service, a oneshot that
# <unit>-watchdog.timer starts every `watchdog.interval`. POSIX sh; only `systemctl` besides the shell.
#
#   watchdog.sh --unit openclaw.service --failures 3 --systemctl /path/to/systemctl [--user] -- PROBE ARGV…
#
# Each run:
#   - the gateway unit not active (stopped by its owner, failed, starting, stopping): nothing to watch; systemd
#     restarts a gateway that exits (Restart=on-failure), and a stopped one stays stopped.
#   - else the probe runs (the package's health probe, nix/health-probe.nix). Healthy: the count of failures in
#     a row goes back to 0. Unhealthy: counted, but only once the gateway has been healthy since it started —
#     a gateway that never came up (still starting, a config it cannot run) is left to its own logs rather than
#     restarted in a loop; at `--failures` in a row the watchdog restarts the unit (`systemctl restart
#     --no-block`: its stop drains, its start is systemd's).
# The counts belong to one run of the gateway (its InvocationID): a restart, by anyone, starts them afresh.
# They are kept in $RUNTIME_DIRECTORY (RuntimeDirectoryPreserve=yes: across the oneshot's runs, until reboot).
# Exit 0 when the gateway is healthy or not watched; 1 when the probe failed (the unit shows failed until the
# next healthy run); 64 for a usage error.
set -u

unit=""
failures=""
systemctl=""
user=""
while [ $# -gt 0 ]; do
  case "$1" in
    --unit) unit=$2; shift 2 ;;
    --failures) failures=$2; shift 2 ;;
    --systemctl) systemctl=$2; shift 2 ;;
    --user) user=--user; shift ;;
    --) shift; break ;;
    *) echo "watchdog: unknown argument $1" >&2; exit 64 ;;
  esac
done
if [ -z "$unit" ] || [ -z "$failures" ] || [ -z "$systemctl" ] || [ $# -eq 0 ]; then
  echo "watchdog: usage: watchdog.sh --unit UNIT --failures N --systemctl PATH [--user] -- PROBE…" >&2
  exit 64
fi
state=${RUNTIME_DIRECTORY:?watchdog: RuntimeDirectory= is not set}

sc() {
  if [ -n "$user" ]; then "$systemctl" --user "$@"; else "$systemctl" "$@"; fi
}

active=$(sc show --property=ActiveState --value -- "$unit")
invocation=$(sc show --property=InvocationID --value -- "$unit")
if [ "$active" != active ] || [ -z "$invocation" ]; then
  echo "watchdog: $unit is ${active:-unknown}: nothing to watch"
  exit 0
fi

# <invocation> <failures in a row> <healthy since start: 0|1>
seen=""
count=0
healthy_once=0
if [ -r "$state/state" ]; then
  read -r seen count healthy_once < "$state/state" || true
fi
if [ "$seen" != "$invocation" ]; then
  count=0
  healthy_once=0
fi

if verdict=$("$@" 2>&1); then
  if [ "$count" -gt 0 ]; then echo "watchdog: $unit is healthy again after $count failed probes: $verdict"; fi
  printf '%s 0 1\n' "$invocation" > "$state/state"
  exit 0
fi

if [ "$healthy_once" != 1 ]; then
  echo "watchdog: $unit has not been healthy since it started (not counted; the watchdog restarts a gateway that stopped being healthy): $verdict"
  printf '%s 0 0\n' "$invocation" > "$state/state"
  exit 1
fi
count=$((count + 1))
if [ "$count" -lt "$failures" ]; then
  echo "watchdog: $unit is unhealthy ($count of $failures probes in a row): $verdict"
  printf '%s %s 1\n' "$invocation" "$count" > "$state/state"
  exit 1
fi
echo "watchdog: $unit is unhealthy ($count of $failures probes in a row): restarting it: $verdict"
: > "$state/state"
sc restart --no-block -- "$unit"
exit 1
