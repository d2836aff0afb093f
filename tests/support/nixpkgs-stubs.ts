// nixpkgs' real `lib` plus stand-ins for the builders and packages that need a real `pkgs` (nothing can be
// built here): what the T1 tests of the flake's derivations (nix/package.nix, nix/tools, cli/package.nix,
// nix/image) evaluate them with. Builders return their arguments, so a derivation's attributes — its
// phases, its scripts, its inputs — can be read as data. `let ${stubs(lib)} … in`: every name is a binding
// (`stubPkgs.callPackage` calls a file of the flake the way nixpkgs does).
import { nixStr } from "./nix.js";
import { realLib } from "./real-lib.js";

export const stubs = (lib: string, system = "x86_64-linux") => `
  lib = ${realLib(lib)};
  stubDrv = name: { type = "derivation"; outPath = "/stub/" + name; inherit name; meta.mainProgram = name; };
  stdenv = {
    hostPlatform = {
      inherit system; isLinux = lib.hasSuffix "linux" system; isDarwin = lib.hasSuffix "darwin" system; isMusl = false;
      node = { platform = if lib.hasSuffix "linux" system then "linux" else "darwin"; arch = if lib.hasPrefix "x86_64" system then "x64" else "arm64"; };
    };
    cc = { libc = "/stub/libc"; cc.lib = "/stub/libstdc++"; };
    mkDerivation = fn: let attrs = (if builtins.isFunction fn then fn (attrs // { finalPackage = { outPath = "/stub/final"; }; }) else fn); in attrs // { type = "derivation"; outPath = "/stub/" + (attrs.pname or "drv"); override = a: a; };
  };
  system = ${nixStr(system)};
  fetchurl = args: args;
  unzip = "/stub/unzip";
  autoPatchelfHook = "/stub/autopatchelf";
  makeWrapper = "/stub/makewrapper";
  runCommand = name: env: script: env // { inherit name script; type = "derivation"; outPath = "/stub/" + name; };
  writeText = name: text: stubDrv name // { inherit text; };
  writeScript = name: text: stubDrv name // { inherit text; };
  nodejs_22 = { type = "derivation"; outPath = "/stub/nodejs-22"; name = "nodejs-22"; meta.mainProgram = "node"; };
  esbuild = stubDrv "esbuild";
  buildNpmPackage = args: stdenv.mkDerivation args;
  importNpmLock = {
    __functor = self: args: {
      npmDepsOf = toString args.npmRoot;
      unfetched = builtins.filter (p: p != "" && !(args.packageLock.packages.\${p} ? resolved)) (builtins.attrNames args.packageLock.packages);
    };
    # As nixpkgs builds it (callPackages): overridable, here recording the Node it was given.
    npmConfigHook = { override = args: "/stub/npm-config-hook-" + args.nodejs.name; };
  };
  dockerTools = { buildLayeredImage = args: args // { type = "derivation"; outPath = "/stub/image"; }; caCertificates = stubDrv "ca-certificates"; };
  # everything else a callPackage'd file of the flake asks for (the image's base packages …)
  otherPackages = lib.genAttrs [ "bashInteractive" "coreutils" "findutils" "gnugrep" "gnused" "gawk" "gnutar" "gzip" "curl" "git" "procps" "util-linux" "tini" "cacert" ] stubDrv;
  stubPkgs = lib.fix (self: otherPackages // {
    inherit lib stdenv fetchurl unzip autoPatchelfHook makeWrapper runCommand writeText writeScript nodejs_22 esbuild buildNpmPackage importNpmLock dockerTools;
    callPackage = lib.callPackageWith self;
  });
`;
