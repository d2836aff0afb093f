#!/bin/bash
# Secure defaults under a real systemd (run by the probe unit; probe-lib.sh is sourced). Four NixOS units of
# the gateway $GATEWAY (clawdbot, openclaw):
#   $GATEWAY.service         the defaults (token auth, token generated at first start), a Telegram secret
#   $GATEWAY-paths.service   user alice, workspace $WORKSPACE and logFile under $LOG_DIR (outside stateDir)
#   $GATEWAY-badenv.service  the config references ${NOT_SET_ANYWHERE}: the launcher stops it (78), once
#   $GATEWAY-crash.service   node refuses to start (a bad NODE_OPTIONS): restarts until the start limit
# and, against the default unit: what a local user without credentials reaches over HTTP (8), a port squatter
# while the gateway is down (9), and the owner's `rotate-token` (10).
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

# 8. What the gateway serves a local user without credentials (issue 19.2), as uid 65534, with the defaults:
#    who listens on the port and the next four, browser control (port+2: creating a profile rewrote the
#    config), the extension relay (port+3), and the canvas (a 0600 file of the service's in the canvas folder
#    of the workspace).
STATE=$(readlink -f "/var/lib/$GATEWAY")
SERVICE_UID=$(stat -c %u "$STATE")
CANARY="canvas-canary-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
for dir in "$STATE/clawd/canvas" "$STATE/workspace/canvas" "$STATE/canvas"; do
  install -d -o "$SERVICE_UID" -g "$SERVICE_UID" -m 0700 "$dir"
  printf '%s\n' "$CANARY" | install -o "$SERVICE_UID" -g "$SERVICE_UID" -m 0600 /dev/stdin "$dir/canary.html"
done
listeners() {
  local p
  for p in $(seq "$PORT" $((PORT + 4))); do
    awk -v hp="$(printf '%04X' "$p")" -v p="$p" '$4 == "0A" && $2 ~ (":" hp "$") { print p, $2, "uid=" $8 }' /proc/net/tcp /proc/net/tcp6
  done
}
listeners > "$O/listeners.txt" 2>/dev/null
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups -- env HOME=/nonexistent "$@"; }
B=http://127.0.0.1
as_nobody "$NODE" "$H/http-exposure.mjs" --secret "$CANARY" --secret "$TG_SECRET" \
  -- POST "$B:$((PORT + 2))/profiles/create" '{"name":"attacker","cdpUrl":"http://127.0.0.1:9/"}' \
  -- GET "$B:$((PORT + 2))/" \
  -- GET "$B:$((PORT + 2))/profiles" \
  -- GET "$B:$((PORT + 3))/extension/status" \
  -- GET "$B:$((PORT + 3))/json/version" \
  -- GET "$B:$((PORT + 4))/" \
  -- GET "$B:$PORT/__clawdbot__/canvas/canary.html" \
  -- GET "$B:$PORT/__openclaw__/canvas/canary.html" \
  -- GET "$B:$PORT/__openclaw__/a2ui/" \
  -- GET "$B:$PORT/__openclaw__/cap/x/canary.html" \
  -- GET "$B:$PORT/health" \
  -- GET "$B:$PORT/readyz" \
  -- GET "$B:$PORT/" \
  -- POST "$B:$PORT/v1/chat/completions" '{"model":"x","messages":[{"role":"user","content":"hi"}]}' \
  -- POST "$B:$PORT/v1/responses" '{"model":"x","input":"hi"}' \
  -- POST "$B:$PORT/tools/invoke" '{"tool":"sessions_list","args":{}}' \
  -- POST "$B:$PORT/hooks/wake" '{"text":"hi"}' \
  > "$O/exposure.jsonl" 2> "$O/exposure.err"
note exposure.rc $?
ls -a "$STATE" > "$O/state-after-exposure.ls" 2>&1
grep -rlF -- "$TG_SECRET" "$STATE" > "$O/secret-after-exposure" 2>/dev/null

# 9. Token theft by holding the port (issue 19.1): the service stopped, uid 65534 listens on its port and
#    answers `connect.challenge` like the gateway; root's owner's command is refused and the squatter receives
#    no token. With nothing listening the command runs without the token. Then the service starts and the
#    command works again.
TOKEN=$(cat "$TOKEN_FILE")
systemctl stop "$GATEWAY.service"; note stop.rc $?
"$GATEWAY" health --json > "$O/cli-down.txt" 2>&1; note cli-down.rc $?
# setpriv execs env, which execs node: $! is the squatter itself (a backgrounded function would be a subshell)
setpriv --reuid=65534 --regid=65534 --clear-groups -- env HOME=/nonexistent \
  "$NODE" "$H/port-squatter.mjs" --port "$PORT" --ws-from "$PKG/lib/$GATEWAY/node_modules/$GATEWAY" > "$O/squatter.log" 2>&1 &
SQUATTER=$!
wait_until 20 grep -q LISTENING "$O/squatter.log"; note squatter-listening.rc $?
listeners > "$O/listeners-squatted.txt" 2>/dev/null
timeout 60 "$GATEWAY" health --json > "$O/cli-squatted.txt" 2>&1; note cli-squatted.rc $?
timeout 60 "$GATEWAY" status > "$O/cli-squatted-status.txt" 2>&1; note cli-squatted-status.rc $?
sleep 1
kill "$SQUATTER"; wait "$SQUATTER" 2>/dev/null
wait_until 10 sh -c "! grep -q ':$(printf '%04X' "$PORT") [0-9A-F:]* 0A ' /proc/net/tcp /proc/net/tcp6"; note squatter-gone.rc $?
grep -cF -- "$TOKEN" "$O/squatter.log" > "$O/squatter-token-count" 2>&1
grep -c '"frame"' "$O/squatter.log" > "$O/squatter-frames" 2>&1
systemctl start "$GATEWAY.service"; note restart-after-squat.rc $?
UNIT=$GATEWAY.service UNIT_SCOPE=systemctl wait_health health-after-squat 150 --url "$URL" --token-file "$TOKEN_FILE"
"$GATEWAY" health --json > "$O/cli-after-squat.txt" 2>&1; note cli-after-squat.rc $?

# 10. Rotation: the owner's `<gateway> rotate-token` removes the generated token and restarts the service,
#     whose launcher writes a new one; the old token no longer gets in, the new one and the command do.
"$GATEWAY" rotate-token > "$O/rotate.txt" 2>&1; note rotate.rc $?
wait_until 60 sh -c "test -s '$TOKEN_FILE' && ! grep -qxF '$TOKEN' '$TOKEN_FILE'"; note rotated-file.rc $?
UNIT=$GATEWAY.service UNIT_SCOPE=systemctl wait_health health-after-rotate 150 --url "$URL" --token-file "$TOKEN_FILE"
printf '%s\n' "$TOKEN" > /run/old-token
health --url "$URL" --token-file /run/old-token > "$O/old-token.json" 2>&1; note old-token.rc $?
stat -L -c '%a %U' "$TOKEN_FILE" > "$O/rotated-token.stat" 2>&1
"$GATEWAY" health --json > "$O/cli-after-rotate.txt" 2>&1; note cli-after-rotate.rc $?
true
