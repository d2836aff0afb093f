#!/bin/bash
# The watchdog (watchdog.enable, modules/lib/watchdog.nix) under a real systemd: services.openclaw's NixOS unit
# with `<unit>-watchdog.timer` every 2 s and a restart after 2 failed probes. While the gateway is healthy
# nothing is restarted over several intervals; then the gateway is frozen (SIGSTOP: systemd still sees it
# running, its port accepts connections and answers nothing) and the watchdog must restart it: a new main
# process, healthy again.
# Env: NODE UNIT PORT TOKEN_FILE WATCHDOG (the watchdog's unit name without suffix) READY_URL
state=/run/$WATCHDOG/state

wait_ready ready-a 300
pid_a=$(systemctl show -p MainPID --value "$UNIT")
note a.pid "$pid_a"
# the watchdog has seen the gateway healthy (its state: <invocation> 0 1)
wait_until 60 grep -q ' 0 1$' "$state"; note seen-healthy.rc $?
cat "$state" > "$O/state.healthy" 2>&1
systemctl show -p InvocationID --value "$UNIT" > "$O/invocation.a"
systemctl is-active "$WATCHDOG.timer" > "$O/timer.is-active" 2>&1
# several intervals while healthy: no restart
sleep 12
note healthy.pid "$(systemctl show -p MainPID --value "$UNIT")"
note healthy.nrestarts "$(systemctl show -p NRestarts --value "$UNIT")"
systemctl show "$WATCHDOG.service" > "$O/watchdog.show" 2>&1
journalctl -b -u "$WATCHDOG.service" -o cat --no-pager > "$O/watchdog-healthy.log" 2>&1

# freeze the gateway
kill -STOP "$pid_a"
t0=$(uptime_s)
changed() { local p; p=$(systemctl show -p MainPID --value "$UNIT"); [ -n "$p" ] && [ "$p" != 0 ] && [ "$p" != "$pid_a" ]; }
wait_until 240 changed; note restarted.rc $?
note restarted.seconds "$(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN{printf "%.2f", b-a}')"
note b.pid "$(systemctl show -p MainPID --value "$UNIT")"
systemctl show -p InvocationID --value "$UNIT" > "$O/invocation.b"
wait_ready ready-b 300
wait_health health-b 120 --url "ws://127.0.0.1:$PORT" --token-file "$TOKEN_FILE"
journalctl -b -u "$WATCHDOG.service" -o cat --no-pager > "$O/watchdog.log" 2>&1
journalctl -b -u "$UNIT" --no-pager > "$O/journal-unit.txt" 2>&1
