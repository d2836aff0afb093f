# Evaluation check (`nix flake check`, T2): services.openclaw is declared once, by this flake. modules/nixos.nix
# disables nixpkgs' own module by its path relative to nixos/modules, recorded in
# ./fixtures/nixpkgs-openclaw-module.json (services/misc/openclaw.nix). If nixpkgs moves or splits that module,
# disabledModules silently matches nothing and the options are declared twice; this check says so by name
# instead of leaving it to the module system's "already declared" in some user's configuration.
# tests/flake/nixpkgs-module.test.ts runs it at T1 with a stand-in module tree (evalConfig, modulesPath).
{
  lib,
  nixosModule,
  # nixpkgs' NixOS evaluation and module tree; the T1 test passes stand-ins
  evalConfig ? args: lib.nixosSystem args,
  modulesPath,
  system ? "x86_64-linux",
  writeText ? builtins.toFile,
}:
let
  fixture = lib.importJSON ./fixtures/nixpkgs-openclaw-module.json;
  base = {
    boot.loader.grub.enable = false;
    fileSystems."/".device = "none";
    system.stateVersion = "26.05";
  };
  declarationsWith =
    modules:
    let
      e = evalConfig {
        inherit system;
        modules = modules ++ [ base ];
      };
    in
    if e.options ? services && e.options.services ? openclaw then
      map toString e.options.services.openclaw.enable.declarations
    else
      [ ];
  root = toString modulesPath;
  nixpkgsOwn = declarationsWith [ ];
  recorded = "${root}/${fixture.path}";
  ours = builtins.tryEval (
    let
      d = declarationsWith [ nixosModule ];
    in
    builtins.deepSeq d d
  );
  fromNixpkgs = lib.filter (lib.hasPrefix (root + "/")) ours.value;
in
if nixpkgsOwn != [ ] && nixpkgsOwn != [ recorded ] then
  throw "services.openclaw: nixpkgs declares it in ${lib.concatStringsSep ", " nixpkgsOwn}, not (only) at ${fixture.path}, which modules/nixos.nix disables: update disabledModules there and tests/flake/fixtures/nixpkgs-openclaw-module.json"
else if !ours.success then
  throw "services.openclaw is declared twice with this flake's NixOS module (nixpkgs' own: ${lib.concatStringsSep ", " nixpkgsOwn}); disabledModules in modules/nixos.nix names ${fixture.path}"
else if fromNixpkgs != [ ] then
  throw "services.openclaw.enable is still declared by nixpkgs (${lib.concatStringsSep ", " fromNixpkgs}) next to this flake's module"
else
  writeText "nixpkgs-openclaw-module.json" (
    builtins.toJSON {
      nixpkgs = nixpkgsOwn;
      flake = ours.value;
    }
  )
