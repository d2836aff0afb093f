# The contributors' shell, `nix develop` in a checkout (flake.nix `devShells.default`): what
# scripts/setup-debian.sh installs with apt, from the flake's own nixpkgs. Then, as on Debian:
#
#   npm ci && npm run generate      # the main job: regenerate every generated file, print the summary
#   npm test                        # every test (the T1 sources beside the checkout: CONTRIBUTING.md)
#
# Not here: the service tests under a real systemd need root, systemd-nspawn and mmdebstrap from the host
# (they print `SKIP: …` without them), and the T2 checks run with `nix flake check ./dev`.
{ pkgs }:
pkgs.mkShell {
  packages = [
    # OpenClaw's Node (the tests and the generator run on any Node >= 20; the gateway trees they prepare
    # bring their own)
    pkgs.nodejs_24
    # nix-instantiate and nix eval: T0 parses and evaluates every .nix file, T1 evaluates the modules
    pkgs.nix
    pkgs.git
    # the derivations' shell phases, the launcher, the scripts (tests/nix-build/shell.test.ts)
    pkgs.shellcheck
    # the NixOS test driver's lint of tests/vm/*.py, under the name Debian gives it (tests/vm/scripts.test.ts)
    (pkgs.writeShellScriptBin "pyflakes3" ''exec ${pkgs.python3Packages.pyflakes}/bin/pyflakes "$@"'')
    (pkgs.python3.withPackages (ps: [ ps.pyyaml ]))
    # `nix fmt`'s formatter (flake.nix `formatter`)
    pkgs.nixfmt-tree
  ];
}
