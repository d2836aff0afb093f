# The systems this flake serves: its `packages`, `legacyPackages` and `formatter`, the gateway's
# meta.platforms, the tool lock's `systems` (nix/tools/lock.json) and the templates' choices.
# tests/flake/systems.test.ts keeps all of them, and the README, on this one list.
#
# x86_64-darwin is not served: nixpkgs 26.11 (and the unstable branch this flake follows) dropped it, and
# touching `legacyPackages.x86_64-darwin` there is an evaluation error.
[
  "x86_64-linux"
  "aarch64-linux"
  "aarch64-darwin"
]
