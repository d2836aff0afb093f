#!/bin/bash
# The backup before an upgrade and the restore of docs/backups.md under a real systemd (NixOS unit), and the
# memory profile at start: build A boots and writes state; a switch to "build B" (the same tree at another
# store path) takes and verifies a backup before B starts; the state is broken; the restore block of
# docs/backups.md runs as written, its `nixos-rebuild switch --rollback` being the switch back to A's unit.
# Env: NODE UNIT PORT TOKEN_FILE GEN_A_UNIT GEN_B_UNIT PKG_A PKG_B; /etc/clawdbot-test/restore.sh (the docs' block)
STATE=/var/lib/openclaw
BACKUPS=/var/lib/openclaw-backups
URL=ws://127.0.0.1:$PORT

switch_to() {
  ln -sfn "$1" "/etc/systemd/system/$UNIT"
  ln -sfn "$1" "/etc/systemd/system/multi-user.target.wants/$UNIT"
  systemctl daemon-reload
  systemctl restart "$UNIT"
}
# what the docs' block calls: the previous generation is build A's unit
nixos-rebuild() { switch_to "$GEN_A_UNIT"; }

up() {
  wait_health "health-$1" 240 --url "$URL" --token-file "$TOKEN_FILE"
  wait_ready "ready-$1" 120
  note "$1.pid" "$(systemctl show -p MainPID --value "$UNIT")"
  cat "$STATE/.nix-package" > "$O/record.$1" 2>&1
  ls -1 "$BACKUPS" > "$O/backups.$1" 2>&1
}

# --- build A, the memory profile -------------------------------------------------------------------
up a
pid=$(systemctl show -p MainPID --value "$UNIT")
systemctl show -p MemoryMax -p MemoryHigh -p OOMScoreAdjust "$UNIT" > "$O/memory.show"
cat "/proc/$pid/oom_score_adj" > "$O/memory.oom_score_adj"
tr '\0' '\n' < "/proc/$pid/environ" | grep '^NODE_OPTIONS=' > "$O/memory.environ"
cgroup=$(systemctl show -p ControlGroup --value "$UNIT")
# peak RSS of every process of the unit (VmHWM, kB): the container has no memory controller to enforce the limit
for p in $(cat "/sys/fs/cgroup$cgroup/cgroup.procs"); do
  awk -v p="$p" '/^VmHWM:/{print p, $2}' "/proc/$p/status"
done > "$O/memory.hwm"

# state written under A
marker=written-by-a-$RANDOM$RANDOM
echo "$marker" > "$STATE/marker.txt"; chown openclaw:openclaw "$STATE/marker.txt"
note marker "$marker"

# --- build B: a backup first -----------------------------------------------------------------------
switch_to "$GEN_B_UNIT"; note switch-b.rc $?
up b
# break the state as a converting release might
echo converted-by-b > "$STATE/marker.txt"
rm -f "$STATE"/state/openclaw.sqlite*

# --- docs/backups.md's restore, as written ---------------------------------------------------------
set +e
( set -x; . /etc/clawdbot-test/restore.sh ) > "$O/restore.log" 2>&1
note restore.rc $?
up back
cat "$STATE/marker.txt" > "$O/marker.back" 2>&1
ls "$STATE/state/" > "$O/state.back" 2>&1
cat "$STATE".broken-*/marker.txt > "$O/marker.broken" 2>&1
readlink "/etc/systemd/system/$UNIT" > "$O/unit-link.back"
journalctl -u "$UNIT" --no-pager -o cat > "$O/journal-unit.txt" 2>&1
true
