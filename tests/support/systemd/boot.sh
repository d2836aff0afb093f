#!/bin/bash
# Boot a real systemd as PID 1 of a systemd-nspawn container, on a host that has no systemd of its own.
# Usage: boot.sh ROOT OUT TIMEOUT_SECONDS [NSPAWN_ARGS…] [-- KERNEL_ARGS…]
#   ROOT     a restored root file system (booted with --volatile=overlay: it is not modified)
#   OUT      a host folder bound read-write at /var/tmp/out (the probe writes its results there);
#            the container's console goes to OUT/console.log
#   NSPAWN_ARGS  extra arguments such as --bind-ro=HOST:CONTAINER
#   KERNEL_ARGS  passed to systemd, e.g. systemd.wants=probe.service
# Bounded (timeout, then SIGKILL), and always cleaned up: the container runs in a cgroup of its own, which
# is emptied (kill -9) and removed on exit, whatever happened.
set -euo pipefail
ROOT=${1:?root} OUT=${2:?out} TIMEOUT=${3:?timeout}
shift 3
NSPAWN_ARGS=() KERNEL_ARGS=()
while [ $# -gt 0 ]; do
  if [ "$1" = -- ]; then shift; KERNEL_ARGS=("$@"); break; fi
  NSPAWN_ARGS+=("$1"); shift
done
NAME=clawdbot-ct-$$-$RANDOM
# Pure cgroup2 inside the container (systemd-nspawn would otherwise mirror the host's hybrid layout).
export SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1
HIER=()
if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then HIER=(/sys/fs/cgroup)
else for h in /sys/fs/cgroup/unified /sys/fs/cgroup/systemd; do [ -w "$h/cgroup.procs" ] && HIER+=("$h"); done; fi
mkdir -p "$OUT"
cleanup() {
  set +e
  for h in "${HIER[@]}"; do
    d=$h/$NAME
    [ -d "$d" ] || continue
    for round in 1 2 3 4 5; do
      left=0
      while read -r f; do
        for p in $(cat "$f" 2>/dev/null); do kill -9 "$p" 2>/dev/null; left=1; done
      done < <(find "$d" -name cgroup.procs)
      [ $left = 0 ] && break
      sleep 0.2
    done
    find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
  done
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP
for h in "${HIER[@]}"; do mkdir "$h/$NAME"; done
rc=0
(
  for h in "${HIER[@]}"; do echo $BASHPID > "$h/$NAME/cgroup.procs"; done
  # --register=no --keep-unit: there is no host systemd/machined to register with.
  exec timeout -k 5 "$TIMEOUT" systemd-nspawn -q -D "$ROOT" -M "$NAME" --volatile=overlay \
    --private-network --register=no --keep-unit --console=pipe \
    --bind="$OUT":/var/tmp/out "${NSPAWN_ARGS[@]}" \
    --boot "${KERNEL_ARGS[@]}"
) > "$OUT/console.log" 2>&1 < /dev/null || rc=$?
echo "nspawn rc=$rc" >> "$OUT/console.log"
exit $rc
