# The committed package-lock.json as the Nix build hands it to importNpmLock: optional packages that npm
# would not install on the host (another os / cpu / libc, in npm's own `os`/`cpu`/`libc` semantics), and
# node-llama-cpp builds that nix/prune.mjs would delete anyway (other os/arch; CUDA/Vulkan unless
# `withGpuEmbeddings`), lose their `resolved`/`integrity` and get an `os` that excludes the host. importNpmLock
# then fetches nothing for them (it fetches every entry that has a `resolved`: without this the build would
# download every platform's prebuilt binaries, CUDA ones included, ~1 GB), and npm skips them as it skips any
# optional dependency for another platform (checked with `npm ci --offline` in tests/package).
#
# Builtins only: tests evaluate it with a bare `nix-instantiate --eval`.
{
  lock,
  # Either nixpkgs' `stdenv.hostPlatform` (platform, arch and libc are read from it) …
  hostPlatform ? null,
  # … or Node's names: process.platform / process.arch (stdenv.hostPlatform.node.platform / .arch),
  platform ? hostPlatform.node.platform,
  arch ? hostPlatform.node.arch,
  # and "glibc", "musl", or null when not Linux.
  libc ?
    if hostPlatform == null || !hostPlatform.isLinux then
      null
    else if hostPlatform.isMusl then
      "musl"
    else
      "glibc",
  withGpuEmbeddings ? false,
}:
let
  inherit (builtins)
    any
    elem
    elemAt
    filter
    mapAttrs
    match
    removeAttrs
    ;

  # npm-install-checks: a list of allowed values, or "!value" exclusions; absent = any.
  allowed =
    list: value:
    let
      positive = filter (x: match "!.*" x == null) list;
    in
    list == [ ]
    || (!(elem "!${value}" list) && (positive == [ ] || elem value positive));

  llamaOs =
    {
      linux = "linux";
      darwin = "mac";
      win32 = "win";
    }
    .${platform} or platform;

  gpuVariants = [
    "cuda"
    "cuda-ext"
    "vulkan"
  ];

  # Mirrors keepLlamaBuild in nix/prune.mjs.
  wantedLlama =
    path:
    let
      m = match ".*node_modules/@node-llama-cpp/(linux|mac|win)-(x64|arm64|armv7l)(-(.+))?" path;
      variant = elemAt m 3;
    in
    m == null
    || (
      elemAt m 0 == llamaOs
      && elemAt m 1 == arch
      && (variant == null || !(elem variant gpuVariants) || withGpuEmbeddings)
    );

  installable =
    path: entry:
    wantedLlama path
    && allowed (entry.os or [ ]) platform
    && allowed (entry.cpu or [ ]) arch
    && (libc == null || allowed (entry.libc or [ ]) libc);

  skipped = entry: removeAttrs entry [ "resolved" "integrity" ] // { os = [ "!${platform}" ]; };
in
lock
// {
  packages = mapAttrs (
    path: entry: if path != "" && (entry.optional or false) && !(installable path entry) then skipped entry else entry
  ) lock.packages;
}
