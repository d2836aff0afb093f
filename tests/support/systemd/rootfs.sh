#!/bin/bash
# Build (once) the Debian bookworm minbase root file system a systemd-nspawn container boots from.
# Usage: rootfs.sh CACHE_DIR   → prints the path of the tarball (CACHE_DIR/bookworm-<key>.tar).
# Idempotent: the tarball's name carries a hash of this script, so a changed package list rebuilds it;
# a half-written tarball is never left under the final name.
set -euo pipefail
CACHE=${1:?usage: rootfs.sh CACHE_DIR}
MIRROR=${CLAWDBOT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# systemd + systemd-sysv: PID 1. dbus + libpam-systemd: logind, which starts the user manager of a lingering
# user. libnss-systemd: names for DynamicUser uids (Node's os.userInfo() throws without it).
# ca-certificates: what a production host has for the gateway's outbound HTTPS. procps: ps for diagnostics.
PACKAGES=systemd,systemd-sysv,dbus,libpam-systemd,libnss-systemd,ca-certificates,procps
KEY=$( { cat "$0"; echo "$MIRROR"; } | sha256sum | cut -c1-12)
TAR=$CACHE/bookworm-$KEY.tar
mkdir -p "$CACHE"
if [ -s "$TAR" ]; then echo "$TAR"; exit 0; fi
exec 9>"$CACHE/rootfs.lock"
flock -w 600 9  # another test process may be building it
if [ -s "$TAR" ]; then echo "$TAR"; exit 0; fi
TMP=$CACHE/partial-$$.tar  # the .tar suffix tells mmdebstrap the output format
trap 'rm -f "$TMP"' EXIT
# The test user of the Home Manager scenario (uid 1000, like the first user of a machine) is part of the
# image: Home Manager does not create users. Lingering is NOT baked in; each scenario decides.
mmdebstrap --quiet --variant=minbase --include="$PACKAGES" \
  --customize-hook='chroot "$1" useradd --create-home --uid 1000 --shell /bin/sh alice' \
  --customize-hook='rm -f "$1"/etc/machine-id; : > "$1"/etc/machine-id' \
  bookworm "$TMP" "$MIRROR" </dev/null >&2
mv "$TMP" "$TAR"
trap - EXIT
echo "$TAR"
