#!/bin/bash
# Helpers for the scenario scripts that the probe unit runs INSIDE the container (sourced by probe-main.sh).
# Every result goes into $O (the bound output folder) as small files the test reads.
O=/var/tmp/out
H=/opt/clawdbot-harness

# Seconds since boot, e.g. 12.34.
uptime_s() { cut -d' ' -f1 /proc/uptime; }

# note KEY VALUE: append "KEY=VALUE" to $O/facts (the test parses it).
note() { echo "$1=$2" >> "$O/facts"; }

# The package's WS health probe (nix/health-probe.mjs, bound by container.ts) with the Node the unit uses
# (22 for Clawdbot, 24 for OpenClaw, which admits the probe's protocol-3 client). Extra args go to the probe; a token to try is given as CLAWDBOT_GATEWAY_TOKEN.
health() { "$NODE" /opt/clawdbot-probe.mjs "$@"; }

# wait_health NAME SECONDS ARGS…: retry the probe until ok or SECONDS pass, or $UNIT failed or restarted
# ($UNIT_SCOPE is the systemctl command that manages it, e.g. "systemctl" or "systemctl --user -M alice@").
# Writes $O/NAME.json (last probe answer), notes NAME.rc and NAME.seconds.
wait_health() {
  local name=$1 secs=$2; shift 2
  local t0 rc=1 end restarts0=
  t0=$(uptime_s)
  [ -n "${UNIT_SCOPE:-}" ] && restarts0=$($UNIT_SCOPE show -p NRestarts --value "$UNIT" 2>/dev/null)
  end=$(awk -v a="$t0" -v b="$secs" 'BEGIN{print a+b}')
  while :; do
    rc=0; health "$@" > "$O/$name.json" 2> "$O/$name.err" || rc=$?
    [ $rc = 0 ] && break
    # give up early when the unit failed or crashed and was restarted meanwhile
    if [ -n "${UNIT_SCOPE:-}" ]; then
      $UNIT_SCOPE is-failed -q "$UNIT" 2>/dev/null && { note "$name.gave-up" failed; break; }
      [ "$($UNIT_SCOPE show -p NRestarts --value "$UNIT" 2>/dev/null)" != "$restarts0" ] && { note "$name.gave-up" restarted; break; }
    fi
    awk -v n="$(uptime_s)" -v e="$end" 'BEGIN{exit !(n>=e)}' && break
    sleep 0.5
  done
  note "$name.rc" $rc
  note "$name.seconds" "$(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN{printf "%.2f", b-a}')"
  return $rc
}

# wait_ready NAME SECONDS: when READY_URL is set (OpenClaw's unauthenticated /readyz), poll it with the
# unit's Node until it answers 200, SECONDS pass or $UNIT failed; notes NAME.rc, NAME.status (the last HTTP
# status, 0 for no answer) and NAME.seconds. Without READY_URL (Clawdbot: every GET is the Control UI) it
# notes nothing.
wait_ready() {
  [ -n "${READY_URL:-}" ] || return 0
  local name=$1 secs=$2 t0 end status=0
  t0=$(uptime_s)
  end=$(awk -v a="$t0" -v b="$secs" 'BEGIN{print a+b}')
  while :; do
    status=$("$NODE" -e 'fetch(process.argv[1]).then(r => console.log(r.status), () => console.log(0))' "$READY_URL" 2>/dev/null)
    [ "$status" = 200 ] && break
    [ -n "${UNIT_SCOPE:-}" ] && $UNIT_SCOPE is-failed -q "$UNIT" 2>/dev/null && { note "$name.gave-up" failed; break; }
    awk -v n="$(uptime_s)" -v e="$end" 'BEGIN{exit !(n>=e)}' && break
    sleep 0.5
  done
  note "$name.status" "${status:-0}"
  note "$name.rc" "$([ "$status" = 200 ] && echo 0 || echo 1)"
  note "$name.seconds" "$(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN{printf "%.2f", b-a}')"
  [ "$status" = 200 ]
}

# wait_until SECONDS COMMAND…: poll COMMAND every 0.2 s; rc 0 when it succeeded in time.
wait_until() {
  local secs=$1; shift
  local i=0 n=$((secs * 5))
  until "$@" >/dev/null 2>&1; do i=$((i + 1)); [ $i -ge $n ] && return 1; sleep 0.2; done
}

# show_unit PREFIX SYSTEMCTL…: save `systemctl show` and is-active of $UNIT under PREFIX.
show_unit() {
  local prefix=$1; shift
  "$@" show "$UNIT" > "$O/$prefix.show" 2>&1
  "$@" is-active "$UNIT" > "$O/$prefix.is-active" 2>&1
}

# Exposure score from `systemd-analyze security` text: "→ Overall exposure level for X: 1.7 OK 🙂".
exposure_of() { sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' "$1" | head -1; }
