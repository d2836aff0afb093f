#!/bin/bash
# Home Manager user unit under a real systemd: the user has lingering (/var/lib/systemd/linger/$USER_NAME),
# so logind starts user@UID.service at boot, and that user manager starts the unit HM linked into
# ~/.config/systemd/user/default.target.wants. Nothing here starts it.
# Env: NODE UNIT USER_NAME USER_UID PORT TOKEN_FILE
# PREFIX: the gateway's environment prefix (CLAWDBOT, the default; OPENCLAW), READY_URL: its /readyz (OpenClaw)
URL=ws://127.0.0.1:$PORT
USER_SYSTEMCTL="runuser -u $USER_NAME -- env XDG_RUNTIME_DIR=/run/user/$USER_UID systemctl --user"

wait_until 30 systemctl is-active -q "user@$USER_UID.service"; note user-manager.rc $?
loginctl show-user "$USER_NAME" -p Linger > "$O/linger" 2>&1
systemctl show "user@$USER_UID.service" -p ActiveState -p ActiveEnterTimestampMonotonic > "$O/user-manager.show" 2>&1
UNIT_SCOPE=$USER_SYSTEMCTL
wait_health health 150 --url "$URL" --token-file "$TOKEN_FILE"
wait_ready ready 150
show_unit s1 $USER_SYSTEMCTL
$USER_SYSTEMCTL is-enabled "$UNIT" > "$O/is-enabled" 2>&1
$USER_SYSTEMCTL show -p Environment --value "$UNIT" > "$O/environment" 2>&1
CONFIG_PATH=$(tr ' ' '\n' < "$O/environment" | sed -n "s/^${PREFIX:-CLAWDBOT}_CONFIG_PATH=//p")
cat "$CONFIG_PATH" > "$O/config.live" 2>&1
readlink "$CONFIG_PATH" > "$O/config.readlink" 2>&1
stat -c '%U %F' "$CONFIG_PATH" > "$O/config.stat" 2>&1
ps -o user=,pid=,args= -u "$USER_NAME" > "$O/ps.txt" 2>&1
CLAWDBOT_GATEWAY_TOKEN=not-the-token health --url "$URL" > "$O/wrong-token.json" 2>/dev/null; note wrong-token.rc $?
journalctl --no-pager -o cat _UID="$USER_UID" > "$O/journal-user.txt" 2>&1
runuser -u "$USER_NAME" -- env XDG_RUNTIME_DIR="/run/user/$USER_UID" systemd-analyze verify --user "$(readlink -f "/home/$USER_NAME/.config/systemd/user/$UNIT")" > "$O/verify.txt" 2>&1; note verify.rc $?

# Hardening (issue 9 item 8): `systemd-analyze security --user` of the loaded unit, as the user, and of a copy
# of the same unit text without its hardening directives (loaded by a daemon-reload, never started), in the
# same user manager: the first figure must be the lower one.
USER_ANALYZE="runuser -u $USER_NAME -- env XDG_RUNTIME_DIR=/run/user/$USER_UID systemd-analyze"
$USER_ANALYZE security --user --no-pager "$UNIT" > "$O/security.txt" 2>&1; note security.rc $?
note security.exposure "$(exposure_of "$O/security.txt")"
UNHARDENED=${UNIT%.service}-unhardened.service
HARDENING='^(NoNewPrivileges|SystemCallArchitectures|SystemCallFilter|SystemCallErrorNumber|RestrictAddressFamilies|RestrictNamespaces|RestrictRealtime|RestrictSUIDSGID|LockPersonality|MemoryDenyWriteExecute)='
grep -Ev "$HARDENING" "/home/$USER_NAME/.config/systemd/user/$UNIT" > "$O/unhardened.service"
install -o "$USER_NAME" -g "$USER_NAME" -m 0644 "$O/unhardened.service" "/home/$USER_NAME/.config/systemd/user/$UNHARDENED"
$USER_SYSTEMCTL daemon-reload
$USER_ANALYZE security --user --no-pager "$UNHARDENED" > "$O/security-unhardened.txt" 2>&1; note security-unhardened.rc $?
note security-unhardened.exposure "$(exposure_of "$O/security-unhardened.txt")"
$USER_SYSTEMCTL is-active "$UNHARDENED" > "$O/unhardened.is-active" 2>&1
true
