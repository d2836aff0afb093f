#!/bin/bash
# Rollback under a real systemd, as NixOS's switch-to-configuration does it for a changed unit: point
# /etc/systemd/system/$UNIT (and its multi-user.target.wants link) at the other generation's unit file,
# daemon-reload, restart the unit. Generation 1 → 2 → 1; after each switch: healthy, restarted, and the
# live config (the file at <PREFIX>_CONFIG_PATH) recorded.
# Env: NODE UNIT UNIT_SCOPE=systemctl PORT TOKEN_FILE GEN1_UNIT GEN2_UNIT (store paths of the unit files).
# PREFIX: the gateway's environment prefix (CLAWDBOT, the default; OPENCLAW), READY_URL: its /readyz (OpenClaw)
URL=ws://127.0.0.1:$PORT

# record STEP: health (and OpenClaw's /readyz), main pid, the live config, which unit file systemd runs.
record() {
  local step=$1
  wait_health "health-$step" 150 --url "$URL" --token-file "$TOKEN_FILE"
  wait_ready "ready-$step" 150
  show_unit "$step" systemctl
  note "$step.pid" "$(systemctl show -p MainPID --value "$UNIT")"
  local config_path
  config_path=$(systemctl show -p Environment --value "$UNIT" | tr ' ' '\n' | sed -n "s/^${PREFIX:-CLAWDBOT}_CONFIG_PATH=//p")
  cat "$config_path" > "$O/config.$step" 2>&1
  readlink "$config_path" > "$O/config-link.$step" 2>&1
  readlink "/etc/systemd/system/$UNIT" > "$O/unit-link.$step"
}

# switch_to UNIT_FILE: what switch-to-configuration does for a unit whose file changed.
switch_to() {
  ln -sfn "$1" "/etc/systemd/system/$UNIT"
  ln -sfn "$1" "/etc/systemd/system/multi-user.target.wants/$UNIT"
  systemctl daemon-reload
  systemctl restart "$UNIT"
}

record gen1
switch_to "$GEN2_UNIT"; note switch2.rc $?
record gen2
switch_to "$GEN1_UNIT"; note switch1.rc $?
record back1
journalctl -u "$UNIT" --no-pager -o cat > "$O/journal-unit.txt" 2>&1
true
