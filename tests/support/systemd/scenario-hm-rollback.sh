#!/bin/bash
# Home Manager rollback under a real systemd: a lingering user's `systemd --user`, Home Manager generations
# laid out as in the store (GEN/home-files/.config/systemd/user/…, GEN/activate), the profile
# (~/.local/state/nix/profiles/home-manager-N-link) and the "current-home" GC root the activation reads.
#
#   boot  generation 1 is active (what its activation left: links, profile 1, current-home → gen 1)
#   A     `home-manager switch` to generation 2 (a changed setting), then `home-manager switch --rollback`
#   B     `home-manager switch` to generation 3 (a broken setting: the launcher exits 78, the unit fails once),
#         then the way out `home-manager generations` shows: run generation 1's own `activate`
#
# What each generation's `activate` reproduces of Home Manager's (modules/lib-bash/activation-init.sh,
# modules/home-environment.nix, modules/files.nix, modules/systemd.nix), in its order:
#   1. oldGenPath = readlink -e ~/.local/state/home-manager/gcroots/current-home  (activation-init)
#   2. writeBoundary: run without --driver-version 1 (by hand), `nix-env --profile … --set` the generation
#      (a new profile generation); `home-manager switch` sets the profile itself before calling activate
#   3. linkGeneration: cleanOldGen (remove links into the old generation's home-files that the new one does
#      not have), then linkNewGen (every file of the new home-files linked as ~/REL → NEWFILES/REL)
#   4. reloadSystemd (startServices = sd-switch, the default): `systemctl --user is-system-running` must say
#      running/degraded, then sd-switch --old-units OLD/home-files/.config/systemd/user --new-units NEW/…:
#      daemon-reload; a unit whose file changed is restarted when active; "new or changed services that are
#      wanted by active targets" (the startServices option's text) are started, which is how a unit left
#      failed by a broken generation comes back; units gone from the new generation are stopped.
#      sd-switch compares parsed unit files; `cmp` is stricter and agrees on these units (their
#      X-Restart-Triggers name the config file, so every config change changes the unit file).
#   5. current-home → the new generation
# Not reproduced: checkLinkTargets (collisions), onChange hooks, packages, news, the GC roots' store side.
# `home-manager switch` (after its build) = nix-env --profile … --set GEN; GEN/activate --driver-version 1.
# `home-manager switch --rollback` = nix-env --profile … --rollback; PROFILE/activate --driver-version 1.
#
# Env: NODE UNIT USER_NAME USER_UID PORT TOKEN_FILE GEN1 GEN2 GEN3 (generation store paths)
# PREFIX: the gateway's environment prefix (CLAWDBOT, the default; OPENCLAW), READY_URL: its /readyz (OpenClaw)
URL=ws://127.0.0.1:$PORT
HOME_DIR=/home/$USER_NAME
AS_USER="runuser -u $USER_NAME -- env HOME=$HOME_DIR USER=$USER_NAME XDG_RUNTIME_DIR=/run/user/$USER_UID PATH=/usr/local/bin:/usr/bin:/bin"
USER_SYSTEMCTL="$AS_USER systemctl --user"
UNIT_SCOPE=$USER_SYSTEMCTL

# --- the stand-ins, written out as scripts the user runs ------------------------------------------------
# nix-env --profile P --set PATH: a new generation N = highest + 1, P → P-N-link → PATH.
hm_profile_set() {
  local profile=$1 target=$2 n=0 link
  for link in "$profile"-*-link; do
    [ -L "$link" ] || continue
    link=${link#"$profile"-}; link=${link%-link}
    [ "$link" -gt "$n" ] && n=$link
  done
  n=$((n + 1))
  ln -s "$target" "$profile-$n-link"
  ln -sfn "$(basename "$profile")-$n-link" "$profile"
}

# nix-env --profile P --rollback: P → the highest generation below the current one.
hm_profile_rollback() {
  local profile=$1 cur prev=0 link n
  cur=$(readlink "$profile"); cur=${cur#"$(basename "$profile")"-}; cur=${cur%-link}
  for link in "$profile"-*-link; do
    [ -L "$link" ] || continue
    n=${link#"$profile"-}; n=${n%-link}
    [ "$n" -lt "$cur" ] && [ "$n" -gt "$prev" ] && prev=$n
  done
  [ "$prev" -gt 0 ] || { echo "error: no generation older than the current ($cur)" >&2; return 1; }
  echo "switching profile from version $cur to $prev"
  ln -sfn "$(basename "$profile")-$prev-link" "$profile"
}

# sd-switch --old-units OLD --new-units NEW (the user manager; see step 4 above).
hm_sd_switch() {
  local old=$1 new=$2 path unit
  systemctl --user daemon-reload || return 1
  if [ -n "$old" ]; then
    for path in "$old"/*.service; do
      unit=$(basename "$path")
      [ -e "$new/$unit" ] || { echo "sd-switch: stopping $unit"; systemctl --user stop "$unit"; }
    done
  fi
  for path in "$new"/*.service; do
    unit=$(basename "$path")
    if [ -n "$old" ] && [ -e "$old/$unit" ] && cmp -s "$old/$unit" "$path"; then continue; fi
    if systemctl --user is-active -q "$unit"; then
      echo "sd-switch: restarting $unit"; systemctl --user restart "$unit" || return 1
    elif compgen -G "$new/*.target.wants/$unit" > /dev/null; then
      echo "sd-switch: starting $unit"; systemctl --user start "$unit" || return 1
    fi
  done
}

# GEN/activate [--driver-version 1] (steps 1–5 above); newGenPath is set by the generation's script.
hm_activate() {
  local driver=0 profile=$HOME/.local/state/nix/profiles/home-manager gcroots=$HOME/.local/state/home-manager/gcroots
  [ "${1:-}" = --driver-version ] && driver=$2
  local oldGenPath='' newFiles oldFiles rel status
  [ -e "$gcroots/current-home" ] && oldGenPath=$(readlink -e "$gcroots/current-home")
  echo "Starting Home Manager activation: oldGenPath=$oldGenPath newGenPath=$newGenPath"
  if [ "$driver" -lt 1 ] && [ "$oldGenPath" != "$newGenPath" ]; then
    echo "Creating new profile generation"; hm_profile_set "$profile" "$newGenPath"
  fi
  newFiles=$(readlink -e "$newGenPath/home-files")
  if [ -n "$oldGenPath" ]; then
    oldFiles=$(readlink -e "$oldGenPath/home-files")
    while IFS= read -r rel; do
      [ -e "$newFiles/$rel" ] || [ -L "$newFiles/$rel" ] && continue
      [ "$(readlink "$HOME/$rel")" = "$oldFiles/$rel" ] && rm "$HOME/$rel"
    done < <(find "$oldFiles" \( -type f -o -type l \) -printf '%P\n')
  fi
  while IFS= read -r rel; do
    mkdir -p "$(dirname "$HOME/$rel")"
    ln -sfn "$newFiles/$rel" "$HOME/$rel"
  done < <(find "$newFiles" \( -type f -o -type l \) -printf '%P\n')
  status=$(systemctl --user is-system-running 2>&1)
  case $status in
    running | degraded)
      hm_sd_switch "${oldGenPath:+$oldGenPath/home-files/.config/systemd/user}" "$newGenPath/home-files/.config/systemd/user" || return 1 ;;
    *) echo "User systemd daemon not running ($status). Skipping reload." ;;
  esac
  mkdir -p "$gcroots"
  ln -sfn "$newGenPath" "$gcroots/current-home"
}

# home-manager switch --built GEN | switch --rollback | generations
hm_cli() {
  local profile=$HOME/.local/state/nix/profiles/home-manager
  case "$1 ${2:-}" in
    "switch --built") hm_profile_set "$profile" "$3" && "$profile/activate" --driver-version 1 ;;
    "switch --rollback") hm_profile_rollback "$profile" && "$profile/activate" --driver-version 1 ;;
    "generations ")
      local cur link n
      cur=$(readlink "$profile")
      for link in $(ls -dt "$profile"-*-link); do
        n=${link#"$profile"-}; n=${n%-link}
        echo "$(date -r "$link" '+%Y-%m-%d %H:%M') : id $n -> $(readlink "$link")$([ "$(basename "$link")" = "$cur" ] && echo ' (current)')"
      done ;;
    *) echo "home-manager stand-in: switch --built GEN | switch --rollback | generations" >&2; return 1 ;;
  esac
}

for gen in "$GEN1" "$GEN2" "$GEN3"; do
  { echo '#!/bin/bash'; echo "newGenPath=$gen"; declare -f hm_profile_set hm_sd_switch hm_activate; echo 'hm_activate "$@"'; } > "$gen/activate"
  chmod 0555 "$gen/activate"
done
{ echo '#!/bin/bash'; declare -f hm_profile_set hm_profile_rollback hm_cli; echo 'hm_cli "$@"'; } > /usr/local/bin/home-manager
chmod 0555 /usr/local/bin/home-manager

# --- the scenario ---------------------------------------------------------------------------------------
# record STEP: health (and OpenClaw's /readyz), main PID, the live config and where it and the unit links point.
record() {
  local step=$1 config_path
  wait_health "health-$step" 150 --url "$URL" --token-file "$TOKEN_FILE"
  wait_ready "ready-$step" 150
  show_unit "$step" $USER_SYSTEMCTL
  note "$step.pid" "$($USER_SYSTEMCTL show -p MainPID --value "$UNIT")"
  config_path=$($USER_SYSTEMCTL show -p Environment --value "$UNIT" | tr ' ' '\n' | sed -n "s/^${PREFIX:-CLAWDBOT}_CONFIG_PATH=//p")
  cat "$config_path" > "$O/config.$step" 2>&1
  readlink "$config_path" > "$O/config-link.$step" 2>&1
  { readlink "$HOME_DIR/.config/systemd/user/$UNIT"; readlink "$HOME_DIR/.config/systemd/user/default.target.wants/$UNIT"; } > "$O/unit-links.$step"
  readlink "$HOME_DIR/.local/state/nix/profiles/home-manager" > "$O/profile.$step"
  readlink "$HOME_DIR/.local/state/home-manager/gcroots/current-home" > "$O/current-home.$step"
}

# hm STEP ARGS…: run the home-manager stand-in as the user, timed; output in $O/STEP.log.
hm() {
  local step=$1 t0 rc=0; shift
  t0=$(uptime_s)
  $AS_USER "$@" > "$O/$step.log" 2>&1 || rc=$?
  note "$step.rc" $rc
  note "$step.seconds" "$(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN{printf "%.2f", b-a}')"
}

wait_until 30 systemctl is-active -q "user@$USER_UID.service"; note user-manager.rc $?
record gen1

# A: a changed setting, and back with `home-manager switch --rollback`.
hm switch2 home-manager switch --built "$GEN2"
record gen2
hm rollback1 home-manager switch --rollback
record back1

# B: a broken setting (the config references a variable nobody sets).
hm switch3 home-manager switch --built "$GEN3"
wait_until 60 $USER_SYSTEMCTL is-failed -q "$UNIT"; note broken.failed-rc $?
sleep 7  # longer than RestartSec=5s: a restart would have happened by now
show_unit broken $USER_SYSTEMCTL
note broken.health-rc "$(health --url "$URL" --token-file "$TOKEN_FILE" > "$O/broken.health.json" 2>&1; echo $?)"
# what a user looks at (README "Something broke: roll back"), run as the user
$AS_USER systemctl --user status --no-pager "$UNIT" > "$O/broken.status.txt" 2>&1
$AS_USER journalctl --user -u "$UNIT" --no-pager -o cat > "$O/broken.journal.txt" 2>&1
$AS_USER journalctl --user --no-pager -o cat > "$O/broken.journal-user-all.txt" 2>&1
# the user's lines by uid (root): a launcher that exits within milliseconds is sometimes logged before
# journald could read its cgroup, so without its unit name (then `-u` misses it, `--user` alone has it)
journalctl _UID="$USER_UID" --no-pager -o cat > "$O/broken.journal-uid.txt" 2>&1
readlink "$HOME_DIR/.local/state/nix/profiles/home-manager" > "$O/profile.broken"
hm generations3 home-manager generations
cp "$O/generations3.log" "$O/generations.broken"

# The way out: generation 1's own activate script, run by hand (as `home-manager generations` shows it).
hm activate1 "$GEN1/activate"
record back1b
hm generations4 home-manager generations
$USER_SYSTEMCTL show -p NRestarts -p ExecMainStatus -p Result "$UNIT" > "$O/back1b.state" 2>&1
$AS_USER journalctl --user -u "$UNIT" --no-pager -o short-monotonic > "$O/journal-unit.txt" 2>&1
true
