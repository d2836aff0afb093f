#!/bin/bash
# NixOS system service under a real systemd (run by the probe unit; probe-lib.sh is sourced), for either
# gateway.
# Env: NODE UNIT UNIT_SCOPE=systemctl PORT TOKEN_FILE (the secret LoadCredential reads), and the gateway's
# (tests/support/systemd/gateways.ts): PREFIX (CLAWDBOT, OPENCLAW), READY_URL (OpenClaw's /readyz),
# WS_PROTOCOL (of the run-time config write).
URL=ws://127.0.0.1:$PORT
PREFIX=${PREFIX:-CLAWDBOT}

# 1. Started at boot by multi-user.target (nothing here starts it): wait for WS health with the right token.
wait_health health1 150 --url "$URL" --token-file "$TOKEN_FILE"
wait_ready ready1 150
show_unit s1 systemctl
systemctl show -p Environment --value "$UNIT" > "$O/environment"
ENVIRONMENT=$(cat "$O/environment")
env_of() { tr ' ' '\n' < "$O/environment" | sed -n "s/^$1=//p" | head -1; }
CONFIG_PATH=$(env_of "${PREFIX}_CONFIG_PATH")
STATE_DIR=$(env_of "${PREFIX}_STATE_DIR")
# the gateway's lock files: Clawdbot's under $TMPDIR/clawdbot-<uid>/, OpenClaw's under $STATE_DIR/tmp/openclaw-<uid>/
# (OpenClaw keeps two, the config lock and the state lock, each naming the owner: the first is read)
lock_files() { find "$UNIT_TMPDIR"/ "$STATE_DIR"/tmp/ -name 'gateway.*.lock' 2>/dev/null; }
UNIT_TMPDIR=$(env_of TMPDIR)
note config.path "$CONFIG_PATH"

# 2. Token auth: a wrong token and no token are refused.
CLAWDBOT_GATEWAY_TOKEN=not-the-token health --url "$URL" > "$O/wrong-token.json" 2>/dev/null; note wrong-token.rc $?
health --url "$URL" > "$O/no-token.json" 2>/dev/null; note no-token.rc $?

# 3. The config file after start: still the symlink into the store, same bytes.
readlink "$CONFIG_PATH" > "$O/config.readlink"
stat -c %F "$CONFIG_PATH" > "$O/config.type"
cat "$CONFIG_PATH" > "$O/config.live" 2>&1
ls -la "$STATE_DIR"/ > "$O/state-dir.ls" 2>&1
ls -A "$STATE_DIR"/ > "$O/state-dir.names1" 2>&1
ls -a "$UNIT_TMPDIR"/ > "$O/tmpdir.ls" 2>&1
note tmpdir "$UNIT_TMPDIR"
grep -rl -- "$(cat "$TOKEN_FILE")" "$STATE_DIR"/ "$UNIT_TMPDIR"/ /var/lib/private /var/cache/private > "$O/token-found-in" 2>/dev/null

# 4. Hardening as systemd scores it, and verify.
systemd-analyze security "$UNIT" --no-pager > "$O/security.txt" 2>&1
note exposure "$(exposure_of "$O/security.txt")"
systemd-analyze verify "/etc/systemd/system/$UNIT" > "$O/verify.txt" 2>&1; note verify.rc $?

# 5. kill -9 the main process: systemd restarts it, the stale lock does not block the new one.
PID1=$(systemctl show -p MainPID --value "$UNIT"); note pid1 "$PID1"
journalctl -u "$UNIT" --no-pager -o cat > "$O/journal-start1.txt" 2>&1
kill -9 "$PID1"
# The lock the killed gateway left (before systemd restarts it after RestartSec).
lock_files > "$O/locks-after-kill" 2>&1
cat $(lock_files | sort | head -1) > "$O/lock-after-kill" 2>/dev/null
wait_until 60 sh -c "[ \"\$(systemctl show -p NRestarts --value $UNIT)\" -ge 1 ] && [ \"\$(systemctl show -p MainPID --value $UNIT)\" != 0 ]"
note restarted.rc $?
wait_health health2 150 --url "$URL" --token-file "$TOKEN_FILE"
wait_ready ready2 150
show_unit s2 systemctl
note pid2 "$(systemctl show -p MainPID --value "$UNIT")"
cat $(lock_files | sort | head -1) > "$O/lock-after-restart" 2>/dev/null
cat "$CONFIG_PATH" > "$O/config.live2" 2>&1

# 6. A run-time config write (config.set over WS, as the Control UI does) does not survive a restart: the
#    next start puts the store file back.
"$NODE" "$H/ws-config-set.mjs" --url "$URL" --token-file "$TOKEN_FILE" --protocol "${WS_PROTOCOL:-3}" > "$O/config-set.json" 2>&1
note config-set.rc $?
sleep 1
stat -c %F "$CONFIG_PATH" > "$O/config.type-after-set" 2>&1
cat "$CONFIG_PATH" > "$O/config.after-set" 2>&1
systemctl restart "$UNIT"; note restart3.rc $?
wait_health health3 150 --url "$URL" --token-file "$TOKEN_FILE"
wait_ready ready3 150
stat -c %F "$CONFIG_PATH" > "$O/config.type3" 2>&1
readlink "$CONFIG_PATH" > "$O/config.readlink3" 2>&1
cat "$CONFIG_PATH" > "$O/config.live3" 2>&1
# nothing of the state directory was lost over kill -9 and two restarts
ls -A "$STATE_DIR"/ > "$O/state-dir.names3" 2>&1
grep -rl -- "$(cat "$TOKEN_FILE")" "$STATE_DIR"/ "$UNIT_TMPDIR"/ /var/lib/private /var/cache/private > "$O/token-found-in-end" 2>/dev/null
journalctl -u "$UNIT" --no-pager -o cat > "$O/journal-unit.txt" 2>&1
true
