#!/bin/sh
# Bundle the clawdbot-nix command (cli/clawdbot-nix.ts and what it imports: json5, ajv, the pinned upstream
# schema, ui-hints and legacy-rules snapshots) into one ESM file that Node 22 runs with no node_modules.
# Used by cli/package.nix (esbuild from nixpkgs) and by tests/cli/bundle.test.ts (esbuild from node_modules).
#
#   cli/build.sh OUTFILE
set -eu
out=${1:?usage: cli/build.sh OUTFILE}
cd "$(dirname "$0")/.."
exec esbuild cli/clawdbot-nix.ts --bundle --platform=node --target=node22 --format=esm \
  --outfile="$out" --log-level=warning --legal-comments=none
