#!/bin/bash
# The watchdog (watchdog.enable, modules/lib/watchdog.nix) under a real systemd: services.openclaw's NixOS unit
# with `<unit>-watchdog.timer` every 2 s and a restart after 2 failed probes. While the gateway is healthy
# nothing is restarted over several intervals; then the gateway is frozen (SIGSTOP: systemd still sees it
# running, its port accepts connections and answers nothing) and the watchdog must restart it: a new main
# process, healthy again.
# Env: NODE UNIT PORT TOKEN_FILE WATCHDOG (the watchdog's unit name without suffix) READY_URL; for the Home
# Manager user units USER_NAME and USER_UID (systemctl --user of the lingering user's manager).
if [ -n "${USER_UID:-}" ]; then
  sc() { runuser -u "$USER_NAME" -- env XDG_RUNTIME_DIR="/run/user/$USER_UID" systemctl --user "$@"; }
  state=/run/user/$USER_UID/$WATCHDOG/state
  wlog() { journalctl -b --no-pager -o cat _SYSTEMD_USER_UNIT="$WATCHDOG.service"; }
  ulog() { journalctl -b --no-pager _UID="$USER_UID"; }
  wait_until 30 systemctl is-active -q "user@$USER_UID.service"; note user-manager.rc $?
else
  sc() { systemctl "$@"; }
  state=/run/$WATCHDOG/state
  wlog() { journalctl -b -u "$WATCHDOG.service" -o cat --no-pager; }
  ulog() { journalctl -b -u "$UNIT" --no-pager; }
fi

wait_ready ready-a 300
pid_a=$(sc show -p MainPID --value "$UNIT")
note a.pid "$pid_a"
# the watchdog has seen the gateway healthy (its state: <invocation> 0 1)
wait_until 60 grep -q ' 0 1$' "$state"; note seen-healthy.rc $?
cat "$state" > "$O/state.healthy" 2>&1
sc show -p InvocationID --value "$UNIT" > "$O/invocation.a"
sc is-active "$WATCHDOG.timer" > "$O/timer.is-active" 2>/dev/null
# several intervals while healthy: no restart
sleep 12
note healthy.pid "$(sc show -p MainPID --value "$UNIT")"
note healthy.nrestarts "$(sc show -p NRestarts --value "$UNIT")"
sc show "$WATCHDOG.service" > "$O/watchdog.show" 2>/dev/null
wlog > "$O/watchdog-healthy.log" 2>&1

# freeze the gateway
kill -STOP "$pid_a"
t0=$(uptime_s)
changed() { local p; p=$(sc show -p MainPID --value "$UNIT"); [ -n "$p" ] && [ "$p" != 0 ] && [ "$p" != "$pid_a" ]; }
wait_until 240 changed; note restarted.rc $?
note restarted.seconds "$(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN{printf "%.2f", b-a}')"
note b.pid "$(sc show -p MainPID --value "$UNIT")"
sc show -p InvocationID --value "$UNIT" > "$O/invocation.b"
wait_ready ready-b 300
wait_health health-b 120 --url "ws://127.0.0.1:$PORT" --token-file "$TOKEN_FILE"
wlog > "$O/watchdog.log" 2>&1
ulog > "$O/journal-unit.txt" 2>&1
