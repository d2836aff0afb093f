// nixpkgs' real `lib` for T1 evaluations, on the Nix of this machine.
//
// lib.fileset (which nix/package.nix and cli/package.nix use for their sources, as nixpkgs does) reads
// file types with `builtins.readFileType`, a builtin of Nix >= 2.14. Debian 12's Nix (2.8) lacks it: on such
// a Nix, lib is imported with that one builtin provided (by `readDir` of the parent, which gives the same
// "regular" / "directory" / "symlink"), through a scopedImport that carries it into every file lib imports.
// On a newer Nix this is a plain `import`.
import { join } from "node:path";
import { nixStr } from "./nix.js";

/** A Nix expression evaluating to nixpkgs' lib from a nixpkgs (or nixpkgs.lib) checkout. */
export function realLib(nixpkgsLib: string): string {
  const path = nixStr(join(nixpkgsLib, "lib"));
  return `(
    if builtins ? readFileType then import ${path}
    else
      let
        scope = {
          builtins = builtins // { readFileType = p: (builtins.readDir (dirOf p)).\${baseNameOf p}; };
          import = p: scopedImport scope p;
        };
      in scopedImport scope ${path}
  )`;
}
