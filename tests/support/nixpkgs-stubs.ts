// nixpkgs' real `lib` plus stand-ins for the builders and packages that need a real `pkgs` (nothing can be
// built here): what the T1 tests of the flake's derivations (nix/package.nix, nix/tools, cli/package.nix,
// nix/image) evaluate them with. Builders return their arguments, so a derivation's attributes — its
// phases, its scripts, its inputs — can be read as data. `let ${stubs(lib)} … in`: every name is a binding
// (`stubPkgs.callPackage` calls a file of the flake the way nixpkgs does).
//
// A stand-in accepts no more than the nixpkgs function it stands for: the same closed argument sets, the same
// binding (`callPackage` / `callPackages`), the same place for `passthru` and `meta`. Each says what it was
// checked against (CONTRIBUTING.md, "Stand-ins and what each was checked against"): nixpkgs at the pin
// 391b592e (flake.lock) where the file could be read at that revision, else the closest stored version,
// named by its commit.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { nixStr, REPO } from "./nix.js";
import { realLib } from "./real-lib.js";

/** Which Node each stand-in nodejs is (tests/package/fixtures/nixpkgs-nodejs.json says where each comes from). */
export const STUB_NODE_VERSIONS = JSON.parse(readFileSync(join(REPO, "tests/package/fixtures/nixpkgs-nodejs.json"), "utf8")).stubs as Record<string, string>;

export const stubs = (lib: string, system = "x86_64-linux") => `
  lib = ${realLib(lib)};
  stubDrv = name: { type = "derivation"; outPath = "/stub/" + name; inherit name; meta.mainProgram = name; };

  # stdenv.mkDerivation (pkgs/stdenv/generic/make-derivation.nix, stored 2025 versions): a function of the
  # attributes or of finalAttrs; the result carries every attribute, \`passthru\` merged on top and kept as
  # \`.passthru\`, \`meta\`, and \`overrideAttrs\` taking \`prev: …\` or \`final: prev: …\` (lib.toExtension).
  mkDerivationStub = fnOrAttrs:
    let
      fn = if builtins.isFunction fnOrAttrs then fnOrAttrs else (_: fnOrAttrs);
      attrs = fn (attrs // { finalPackage = drv; });
      drv = attrs // (attrs.passthru or { }) // {
        type = "derivation";
        outPath = "/stub/" + (attrs.pname or attrs.name or "drv");
        passthru = attrs.passthru or { };
        meta = attrs.meta or { };
        overrideAttrs = f: mkDerivationStub (final: let prev = fn final; ext = lib.toExtension f; in prev // ext final prev);
      };
    in drv;
  stdenv = {
    hostPlatform = {
      inherit system; isLinux = lib.hasSuffix "linux" system; isDarwin = lib.hasSuffix "darwin" system; isMusl = false;
      node = { platform = if lib.hasSuffix "linux" system then "linux" else "darwin"; arch = if lib.hasPrefix "x86_64" system then "x64" else "arm64"; };
    };
    cc = { libc = "/stub/libc"; cc.lib = "/stub/libstdc++"; };
    mkDerivation = mkDerivationStub;
  };
  system = ${nixStr(system)};
  fetchurl = args: args;
  unzip = "/stub/unzip";
  autoPatchelfHook = "/stub/autopatchelf";
  makeWrapper = "/stub/makewrapper";
  # runCommand name env buildCommand (pkgs/build-support/trivial-builders/default.nix: runCommandWith →
  # stdenv.mkDerivation (derivationArgs // { inherit name buildCommand; })): env's passthru and meta end up
  # where mkDerivation puts them. \`script\` is this stand-in's own alias of buildCommand, read by the tests.
  runCommand = name: env: script: mkDerivationStub (env // { inherit name; buildCommand = script; inherit script; });
  writeText = name: text: stubDrv name // { inherit text; };
  writeScript = name: text: stubDrv name // { inherit text; };

  # Node: a derivation with \`version\` (pkgs/development/web/nodejs/nodejs.nix sets it from v<major>.nix).
  nodeStub = major: version: { type = "derivation"; outPath = "/stub/nodejs-" + major; name = "nodejs-" + version; inherit version; meta.mainProgram = "node"; };
  nodejs_22 = nodeStub "22" ${nixStr(STUB_NODE_VERSIONS.nodejs_22!)};
  stubNodejs24 = nodeStub "24" ${nixStr(STUB_NODE_VERSIONS.nodejs_24!)};
  # pkgs.nodejs, what a hook built without an override gets: never the Node a package asked for.
  stubNodejsDefault = nodeStub "default" ${nixStr(STUB_NODE_VERSIONS.nodejs!)};
  esbuild = stubDrv "esbuild";

  # makeSetupHook { name, substitutions, … } script (pkgs/build-support/setup-hooks/make-setup-hook via
  # trivial-builders): a derivation named \`name\`.
  makeSetupHook = { name, substitutions ? { }, propagatedBuildInputs ? [ ], depsTargetTargetPropagated ? [ ], meta ? { }, passthru ? { } }: script:
    stubDrv name // { inherit substitutions script; };
  srcOnly = drv: stubDrv ("source-" + (drv.name or "src"));

  # pkgs/build-support/node/import-npm-lock/hooks/default.nix (stored a7e6638a and 5e3666d1; the pin's could not
  # be read here): { callPackage, lib, makeSetupHook, srcOnly, nodejs } → { npmConfigHook, … }; its node-gyp
  # and headers come from \`nodejs\`.
  importNpmLockHooks = { callPackage, lib, makeSetupHook, srcOnly, nodejs }: {
    npmConfigHook = makeSetupHook {
      name = "npm-config-hook";
      substitutions = {
        nodeSrc = srcOnly nodejs;
        nodeGyp = "\${nodejs}/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js";
        storePrefix = builtins.storeDir;
      };
    } "npm-config-hook.sh";
  };
  # pkgs/build-support/node/import-npm-lock/default.nix (stored 3022f7ac and 0631887b): a closed argument set
  # { lib, fetchurl, stdenv, callPackages, runCommand }; \`hooks = callPackages ./hooks { }\`; the result is
  # { importNpmLock, hooks, npmConfigHook (= hooks.npmConfigHook), __functor }. Here \`importNpmLock\` records
  # which root it was given and which lock entries it would not fetch (no \`resolved\`).
  importNpmLockFn = { lib, fetchurl, stdenv, callPackages, runCommand }:
    let
      hooks = callPackages importNpmLockHooks { };
    in {
      importNpmLock = { npmRoot ? null, package ? lib.importJSON (npmRoot + "/package.json"), packageLock ? lib.importJSON (npmRoot + "/package-lock.json"), pname ? package.name or "unknown", version ? package.version or "0.0.0" }: {
        npmDepsOf = toString npmRoot;
        unfetched = builtins.filter (p: p != "" && !(packageLock.packages.\${p} ? resolved)) (builtins.attrNames packageLock.packages);
      };
      inherit hooks;
      inherit (hooks) npmConfigHook;
      __functor = self: self.importNpmLock;
    };

  # pkgs/build-support/node/build-npm-package/default.nix (stored 38b6fd79): { nodejs ? …, npmDeps ? …,
  # npmConfigHook ? null, nativeBuildInputs ? [ ], … } @ args → stdenv.mkDerivation (args // { nativeBuildInputs
  # = … ++ [ nodejs (npmConfigHook or the npmHooks' own, built for \`nodejs\`) … ]; }).
  buildNpmPackage = { nodejs ? stubPkgs.nodejs, npmConfigHook ? null, nativeBuildInputs ? [ ], ... }@args:
    stdenv.mkDerivation (args // {
      nativeBuildInputs = nativeBuildInputs ++ [ nodejs (if npmConfigHook != null then npmConfigHook else stubDrv "npm-config-hook-default") ];
    });

  # pkgs/build-support/docker/default.nix (stored 34b7a306 and later): streamLayeredImage takes passthru (and,
  # in later versions, meta) for the stream script; buildLayeredImage = makeOverridable ({ name, … }@args:
  # runCommand "<name>.tar.gz" { inherit (stream) imageName; passthru = { inherit (stream) imageTag; … }; } …):
  # the tarball users build gets neither the caller's passthru nor its meta.
  dockerTools = rec {
    streamLayeredImage = { name, tag ? null, fromImage ? null, contents ? [ ], config ? { }, architecture ? null, created ? "1970-01-01T00:00:01Z", mtime ? created, uid ? 0, gid ? 0, uname ? "root", gname ? "root", maxLayers ? 100, extraCommands ? "", fakeRootCommands ? "", enableFakechroot ? false, includeStorePaths ? true, includeNixDB ? false, passthru ? { }, meta ? { }, layeringPipeline ? null, debug ? false }@args:
      runCommand ("stream-" + baseNameOf name) {
        imageName = lib.toLower name;
        passthru = passthru // { imageTag = tag; isExe = true; };
        inherit meta;
        streamArgs = args;
      } "makeWrapper stream $out";
    buildLayeredImage = lib.makeOverridable ({ name, compressor ? "gz", ... }@args:
      let stream = streamLayeredImage (builtins.removeAttrs args [ "compressor" ]);
      in runCommand "\${baseNameOf name}.tar.gz" {
        inherit (stream) imageName;
        passthru = { inherit (stream) imageTag; inherit stream; };
      } "\${stream} | pigz -nT > $out");
    caCertificates = stubDrv "ca-certificates";
  };
  # everything else a callPackage'd file of the flake asks for (the image's base packages …)
  otherPackages = lib.genAttrs [ "bashInteractive" "coreutils" "findutils" "gnugrep" "gnused" "gawk" "gnutar" "gzip" "curl" "git" "procps" "util-linux" "tini" "cacert" ] stubDrv;
  stubPkgs = lib.fix (self: otherPackages // {
    inherit lib stdenv fetchurl unzip autoPatchelfHook makeWrapper runCommand writeText writeScript nodejs_22 esbuild buildNpmPackage dockerTools makeSetupHook srcOnly;
    nodejs = stubNodejsDefault;
    nodejs_24 = stubNodejs24;
    callPackage = lib.callPackageWith self;
    # all-packages.nix: \`importNpmLock = callPackages ../build-support/node/import-npm-lock { };\` — each
    # attribute's \`.override\` re-calls the outer, closed function (lib/customisation.nix callPackagesWith).
    callPackages = lib.callPackagesWith self;
    importNpmLock = self.callPackages importNpmLockFn { };
  });
  importNpmLock = stubPkgs.importNpmLock;
`;
