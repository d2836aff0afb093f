#!/bin/bash
# Secure defaults under a real systemd (run by the probe unit; probe-lib.sh is sourced). Four NixOS units:
#   clawdbot.service         the defaults (token auth, token generated at first start), a Telegram secret
#   clawdbot-paths.service   user alice, workspace /srv/clawd and logFile under /home/alice (outside stateDir)
#   clawdbot-badenv.service  the config references ${NOT_SET_ANYWHERE}: the launcher stops it (78), once
#   clawdbot-crash.service   node refuses to start (a bad NODE_OPTIONS): restarts until the start limit
# Env: NODE PKG PORT PATHS_PORT TG_SECRET
URL=ws://127.0.0.1:$PORT
TOKEN_FILE=/var/lib/clawdbot/gateway-token
export HOME=/root

# 1. The token is generated at the first start, owner-only, and works.
wait_until 120 test -s "$TOKEN_FILE"; note token-file.rc $?
stat -L -c '%a %U' "$TOKEN_FILE" > "$O/token-file.stat" 2>&1
cat "$TOKEN_FILE" > "$O/token-before" 2>&1
UNIT=clawdbot.service UNIT_SCOPE=systemctl wait_health health 150 --url "$URL" --token-file "$TOKEN_FILE"
health --url "$URL" > "$O/no-token.json" 2>/dev/null; note no-token.rc $?

# 2. The attack: another uid, a fresh device key, loopback, with and without a foreign Origin.
attack() {
  setpriv --reuid=65534 --regid=65534 --clear-groups -- env HOME=/nonexistent \
    "$NODE" "$H/device-attack.mjs" --url "$URL" --ws-from "$PKG/lib/clawdbot/node_modules/clawdbot" --secret "$TG_SECRET" "$@"
}
attack --origin https://evil.example > "$O/attack-origin.json" 2>&1; note attack-origin.rc $?
attack > "$O/attack.json" 2>&1; note attack.rc $?

# 3. The owner's CLI (root on NixOS): the module's `clawdbot` finds the config, the secrets and the token.
clawdbot health --json > "$O/cli-health.txt" 2>&1; note cli-health.rc $?
clawdbot dashboard --no-open > "$O/cli-dashboard.txt" 2>&1; note cli-dashboard.rc $?
# … another user's cannot (it cannot read the secrets nor the token)
setpriv --reuid=65534 --regid=65534 --clear-groups -- env HOME=/nonexistent clawdbot health > "$O/cli-nobody.txt" 2>&1
note cli-nobody.rc $?

# 4. No plaintext copy outlives a restart: two config.patch calls (each writes the config as the gateway
#    loaded it, ${CLAWDBOT_SECRET_…} substituted; the second backs up the first), then a restart.
STATE=/var/lib/private/clawdbot
"$NODE" "$H/ws-config-set.mjs" --method config.patch --max-concurrent 5 --url "$URL" --token-file "$TOKEN_FILE" > "$O/config-set1.json" 2>&1; note config-set1.rc $?
# config.patch restarts the gateway in-process (SIGUSR1): wait for it before the second write
sleep 3; UNIT=clawdbot.service wait_health health-patch1 90 --url "$URL" --token-file "$TOKEN_FILE"
"$NODE" "$H/ws-config-set.mjs" --method config.patch --max-concurrent 6 --url "$URL" --token-file "$TOKEN_FILE" > "$O/config-set2.json" 2>&1; note config-set2.rc $?
sleep 3; UNIT=clawdbot.service wait_health health-patch2 90 --url "$URL" --token-file "$TOKEN_FILE"
ls -a "$STATE" > "$O/state-before-restart.ls" 2>&1
grep -rlF -- "$TG_SECRET" "$STATE" > "$O/secret-before-restart" 2>/dev/null
systemctl restart clawdbot.service; note restart.rc $?
UNIT=clawdbot.service UNIT_SCOPE=systemctl wait_health health-after 150 --url "$URL" --token-file "$TOKEN_FILE"
ls -a "$STATE" > "$O/state-after-restart.ls" 2>&1
grep -rlF -- "$TG_SECRET" "$STATE" /var/cache/private > "$O/secret-after-restart" 2>/dev/null
cat "$TOKEN_FILE" > "$O/token-after-restart" 2>&1

# 5. Paths outside the state directory, for a real user: created by tmpfiles, writable for the unit.
UNIT=clawdbot-paths.service UNIT_SCOPE=systemctl wait_health paths-health 150 --url "ws://127.0.0.1:$PATHS_PORT" --token-file /var/lib/clawdbot-paths/gateway-token
UNIT=clawdbot-paths.service
show_unit paths systemctl
stat -c '%U %a' /srv/clawd > "$O/workspace.stat" 2>&1
stat -c '%U %s' /home/alice/clawdbot-logs/gateway.log > "$O/logfile.stat" 2>&1
ls /home > "$O/home-in-unit.ls" 2>&1
nsenter -t "$(systemctl show -p MainPID --value clawdbot-paths.service)" -m ls -a /home /home/alice > "$O/home-seen-by-unit.ls" 2>&1

# 6. A config the launcher finds unusable fails once, with the reason in the journal.
wait_until 60 systemctl is-failed -q clawdbot-badenv.service; note badenv-failed.rc $?
systemctl show clawdbot-badenv.service -p Result -p NRestarts -p ExecMainStatus > "$O/badenv.show" 2>&1
journalctl -u clawdbot-badenv.service --no-pager -o cat > "$O/badenv.journal" 2>&1

# 7. A start that keeps failing stops at the start limit instead of looping: failed, and still failed (no
#    further restart) well after RestartSec.
wait_until 150 sh -c 'systemctl is-failed -q clawdbot-crash.service && journalctl -u clawdbot-crash.service -o cat | grep -q "repeated too quickly"'
note crash-limit.rc $?
systemctl show clawdbot-crash.service -p Result -p NRestarts -p ActiveState > "$O/crash.show" 2>&1
sleep 12
systemctl show clawdbot-crash.service -p NRestarts -p ActiveState > "$O/crash-later.show" 2>&1
journalctl -u clawdbot-crash.service --no-pager -o cat > "$O/crash.journal" 2>&1
true
