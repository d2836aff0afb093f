#!/bin/sh
# A backup of the gateway's state before a new package first runs on it (modules/lib/backup.nix; systemd runs
# it as ExecStartPre=, launchd in front of the launcher). POSIX sh, coreutils on PATH.
#
#   backup.sh --state DIR --backups DIR --keep N --package STORE_PATH --name NAME --option OPTION \
#     --gateway BIN [-- COMMAND ARGS...]
#
# DIR/.nix-package records the package that last started on the state. When it names another package than
# STORE_PATH, BIN's own `backup create --verify` writes DIR's archive (state folder, config, credentials,
# sessions, workspaces; verified after writing) to BACKUPS/<time>-<recorded package>.tar.gz — the state as
# that package left it —, the KEEP newest archives stay, and STORE_PATH is recorded. Without a record, a
# state folder that holds nothing yet (the first start) is only recorded; one that holds something (a state
# from before this module, or the first start with backups) is backed up. A failure exits 1 with the reason
# and leaves the record as it was, so the next start tries again and the new package never runs on a state
# without its backup. With COMMAND, it is run (exec) afterwards.
set -u

state='' backups='' keep='' package='' name=gateway option='' gateway=''
while [ "$#" -gt 0 ]; do
  case "$1" in
    --state) state=$2; shift 2 ;;
    --backups) backups=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --package) package=$2; shift 2 ;;
    --name) name=$2; shift 2 ;;
    --option) option=$2; shift 2 ;;
    --gateway) gateway=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "$0: unknown argument $1" >&2; exit 64 ;;
  esac
done
if [ -z "$state" ] || [ -z "$backups" ] || [ -z "$keep" ] || [ -z "$package" ] || [ -z "$gateway" ]; then
  echo "$0: --state, --backups, --keep, --package and --gateway are required" >&2
  exit 64
fi

say() { printf '%s\n' "$name: $*" >&2; }
fail() {
  say "$*"
  say "the new package does not start on a state without its backup. Fix the cause and restart the service; or set $option.enable = false to start without one (docs/backups.md)."
  exit 1
}
done_() {
  if [ "$#" -gt 0 ]; then exec "$@"; fi
  exit 0
}

record="$state/.nix-package"
previous=
if [ -f "$record" ]; then previous=$(cat "$record") || fail "cannot read $record"; fi
if [ "$previous" = "$package" ]; then done_ "$@"; fi

write_record() {
  { printf '%s\n' "$package" > "$record.new" && mv -f "$record.new" "$record"; } || fail "cannot write $record"
}

# the first start: nothing to back up yet (a missing or empty state folder)
if [ -z "$previous" ] && { [ ! -d "$state" ] || [ -z "$(ls -A "$state")" ]; }; then
  mkdir -p "$state" && write_record
  done_ "$@"
fi

# the gateway's backup command writes its temporary files under TMPDIR
if [ -n "${TMPDIR-}" ]; then mkdir -p "$TMPDIR" || fail "cannot create TMPDIR $TMPDIR"; fi
{ mkdir -p "$backups" && chmod 0700 "$backups"; } || fail "cannot create the backup folder $backups"

from=${previous:-unknown}
label=$(basename "$from")
archive="$backups/$(date -u +%Y-%m-%dT%H-%M-%SZ)-$label.tar.gz"
say "the state was last run by ${previous:-an unrecorded package}; backing it up before $package starts: $archive"
if ! "$gateway" backup create --output "$archive" --verify >&2; then
  rm -f "$archive"
  fail "the backup of $state into $backups failed (above)."
fi
[ -s "$archive" ] || fail "the backup command succeeded but wrote no archive at $archive."
say "backup verified: $archive"

# keep the KEEP newest (names start with the UTC time: name order is age order)
count=$(find "$backups" -maxdepth 1 -type f -name '*.tar.gz' | wc -l)
if [ "$count" -gt "$keep" ]; then
  find "$backups" -maxdepth 1 -type f -name '*.tar.gz' | sort | head -n "$((count - keep))" | while IFS= read -r old; do
    rm -f "$old" && say "removed the old backup $old (keeping $keep)"
  done
fi

write_record
done_ "$@"
