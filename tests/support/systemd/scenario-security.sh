#!/bin/bash
# Secure defaults under a real systemd (run by the probe unit; probe-lib.sh is sourced). Four NixOS units of
# the gateway $GATEWAY (clawdbot, openclaw):
#   $GATEWAY.service         the defaults (token auth, token generated at first start), a Telegram secret
#   $GATEWAY-paths.service   user alice, workspace $WORKSPACE and logFile under $LOG_DIR (outside stateDir)
#   $GATEWAY-badenv.service  the config references ${NOT_SET_ANYWHERE}: the launcher stops it (78), once
#   $GATEWAY-crash.service   node refuses to start (a bad NODE_OPTIONS): restarts until the start limit
# Env: NODE PKG PORT PATHS_PORT TG_SECRET WORKSPACE LOG_DIR, and the gateway's (tests/support/systemd/gateways.ts):
# GATEWAY, WS_PROTOCOL (of the attack and the run-time config write), READY_URL (OpenClaw's /readyz).
GATEWAY=${GATEWAY:-clawdbot}
URL=ws://127.0.0.1:$PORT
TOKEN_FILE=/var/lib/$GATEWAY/gateway-token
export HOME=/root

# 1. The token is generated at the first start, owner-only, and works.
wait_until 120 test -s "$TOKEN_FILE"; note token-file.rc $?
stat -L -c '%a %U' "$TOKEN_FILE" > "$O/token-file.stat" 2>&1
cat "$TOKEN_FILE" > "$O/token-before" 2>&1
UNIT=$GATEWAY.service UNIT_SCOPE=systemctl wait_health health 150 --url "$URL" --token-file "$TOKEN_FILE"
UNIT=$GATEWAY.service UNIT_SCOPE=systemctl wait_ready ready 150
health --url "$URL" > "$O/no-token.json" 2>/dev/null; note no-token.rc $?

# 2. The attack: another uid, a fresh device key, loopback, with and without a foreign Origin.
attack() {
  setpriv --reuid=65534 --regid=65534 --clear-groups -- env HOME=/nonexistent \
    "$NODE" "$H/device-attack.mjs" --url "$URL" --ws-from "$PKG/lib/$GATEWAY/node_modules/$GATEWAY" --protocol "${WS_PROTOCOL:-3}" \
    --secret "$TG_SECRET" "$@"
}
attack --origin https://evil.example > "$O/attack-origin.json" 2>&1; note attack-origin.rc $?
attack > "$O/attack.json" 2>&1; note attack.rc $?
# … and from a page of the gateway's own origin (what its Control UI would send)
attack --origin "http://127.0.0.1:$PORT" > "$O/attack-same-origin.json" 2>&1; note attack-same-origin.rc $?

# The Telegram secret reached the gateway's environment (LoadCredential → the launcher → exec).
tr '\0' '\n' < "/proc/$(systemctl show -p MainPID --value "$GATEWAY.service")/environ" | grep -qxF "${PREFIX:-CLAWDBOT}_SECRET_CHANNELS_TELEGRAM_BOT_TOKEN=$TG_SECRET"
note secret-in-env.rc $?

# 3. The owner's CLI (root on NixOS): the module's command finds the config, the secrets and the token.
"$GATEWAY" health --json > "$O/cli-health.txt" 2>&1; note cli-health.rc $?
"$GATEWAY" dashboard --no-open > "$O/cli-dashboard.txt" 2>&1; note cli-dashboard.rc $?
# … another user's cannot (it cannot read the secrets nor the token)
setpriv --reuid=65534 --regid=65534 --clear-groups -- env HOME=/nonexistent "$GATEWAY" health > "$O/cli-nobody.txt" 2>&1
note cli-nobody.rc $?

# 4. No plaintext copy outlives a restart: two config.patch calls (Clawdbot writes the config as it loaded it,
#    ${CLAWDBOT_SECRET_…} substituted, the second backs up the first; OpenClaw refuses both in Nix mode), then
#    a restart.
STATE=$(readlink -f "/var/lib/$GATEWAY")
config_patch() {
  "$NODE" "$H/ws-config-set.mjs" --method config.patch --max-concurrent "$2" --url "$URL" --token-file "$TOKEN_FILE" \
    --protocol "${WS_PROTOCOL:-3}" > "$O/$1.json" 2>&1
  note "$1.rc" $?
  # config.patch restarts the gateway in-process (SIGUSR1): wait for it before the next step
  sleep 3; UNIT=$GATEWAY.service wait_health "health-$1" 90 --url "$URL" --token-file "$TOKEN_FILE"
}
config_patch config-set1 5
config_patch config-set2 6
ls -a "$STATE" > "$O/state-before-restart.ls" 2>&1
grep -rlF -- "$TG_SECRET" "$STATE" > "$O/secret-before-restart" 2>/dev/null
systemctl restart "$GATEWAY.service"; note restart.rc $?
UNIT=$GATEWAY.service UNIT_SCOPE=systemctl wait_health health-after 150 --url "$URL" --token-file "$TOKEN_FILE"
ls -a "$STATE" > "$O/state-after-restart.ls" 2>&1
grep -rlF -- "$TG_SECRET" "$STATE" /var/cache/private "/var/cache/$GATEWAY" > "$O/secret-after-restart" 2>/dev/null
cat "$TOKEN_FILE" > "$O/token-after-restart" 2>&1

# 5. Paths outside the state directory, for a real user: created by tmpfiles, writable for the unit.
UNIT=$GATEWAY-paths.service UNIT_SCOPE=systemctl wait_health paths-health 150 --url "ws://127.0.0.1:$PATHS_PORT" --token-file "/var/lib/$GATEWAY-paths/gateway-token"
UNIT=$GATEWAY-paths.service
show_unit paths systemctl
stat -c '%U %a' "$WORKSPACE" > "$O/workspace.stat" 2>&1
stat -c '%U %s' "$LOG_DIR/gateway.log" > "$O/logfile.stat" 2>&1
ls /home > "$O/home-in-unit.ls" 2>&1
nsenter -t "$(systemctl show -p MainPID --value "$GATEWAY-paths.service")" -m ls -a /home /home/alice > "$O/home-seen-by-unit.ls" 2>&1

# 6. A config the launcher finds unusable fails once, with the reason in the journal.
wait_until 60 systemctl is-failed -q "$GATEWAY-badenv.service"; note badenv-failed.rc $?
systemctl show "$GATEWAY-badenv.service" -p Result -p NRestarts -p ExecMainStatus > "$O/badenv.show" 2>&1
journalctl -u "$GATEWAY-badenv.service" --no-pager -o cat > "$O/badenv.journal" 2>&1

# 7. A start that keeps failing stops at the start limit instead of looping: failed, and still failed (no
#    further restart) well after RestartSec.
wait_until 150 sh -c "systemctl is-failed -q $GATEWAY-crash.service && journalctl -u $GATEWAY-crash.service -o cat | grep -q 'repeated too quickly'"
note crash-limit.rc $?
systemctl show "$GATEWAY-crash.service" -p Result -p NRestarts -p ActiveState > "$O/crash.show" 2>&1
sleep 12
systemctl show "$GATEWAY-crash.service" -p NRestarts -p ActiveState > "$O/crash-later.show" 2>&1
journalctl -u "$GATEWAY-crash.service" --no-pager -o cat > "$O/crash.journal" 2>&1
true
