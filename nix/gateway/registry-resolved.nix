# A package-lock.json written with npm's `omit-lockfile-registry-resolved` has no `resolved` for registry
# packages (npm derives their tarball URL from the registry and the package's name and version). nixpkgs'
# importNpmLock fetches only entries that have a `resolved`, and the build has no network: give each such
# entry back the URL npm itself would fetch (its integrity hash still pins the content). Entries that have
# a `resolved`, links, and the root are left as they are.
#
# Builtins only: tests evaluate it with a bare `nix-instantiate --eval`.
{
  lock,
  registry ? "https://registry.npmjs.org",
}:
let
  inherit (builtins) elemAt mapAttrs match;

  # "node_modules/a/node_modules/@scope/b" → "@scope/b"; an aliased entry names its real package.
  nameOf = path: entry: entry.name or (elemAt (match ".*node_modules/((@[^/]+/)?[^/]+)" path) 0);
  # "@scope/b" → "b": the tarball is named after the unscoped name.
  unscoped = name: elemAt (match "(@[^/]+/)?([^/]+)" name) 1;

  resolve =
    path: entry:
    if path == "" || entry ? resolved || (entry.link or false) || !(entry ? integrity) then
      entry
    else
      let
        name = nameOf path entry;
      in
      entry // { resolved = "${registry}/${name}/-/${unscoped name}-${entry.version}.tgz"; };
in
lock // { packages = mapAttrs resolve lock.packages; }
