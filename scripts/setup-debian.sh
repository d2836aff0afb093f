#!/usr/bin/env bash
# Everything the project needs on a fresh Debian 12 machine, as root: Nix (to parse and evaluate the .nix
# files), systemd-nspawn and mmdebstrap (the real-systemd service tests), pyflakes and shellcheck (the lint
# the NixOS test driver runs on the VM test scripts; the derivations' shell phases), and the npm dependencies.
# Idempotent: installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v nix-instantiate >/dev/null || need+=(nix-bin)
command -v systemd-nspawn >/dev/null || need+=(systemd-container)
command -v mmdebstrap >/dev/null || need+=(mmdebstrap)
command -v python3 >/dev/null || need+=(python3)
python3 -c 'import yaml' 2>/dev/null || need+=(python3-yaml)
command -v pyflakes3 >/dev/null || need+=(pyflakes3)
command -v shellcheck >/dev/null || need+=(shellcheck)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing ${need[*]}; run as root (apt-get install -y ${need[*]})" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
