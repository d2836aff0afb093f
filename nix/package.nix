# A gateway from npm, pinned by a committed lock, as a Nix package: the Clawdbot gateway (npm `clawdbot`,
# nix/gateway/; `gateway = "clawdbot"`) or the OpenClaw gateway (npm `openclaw`, nix/openclaw/;
# `gateway = "openclaw"`). What differs between them is modules/generated/<gateway>/gateway.json.
#
# - Every npm dependency is fetched by its own lock integrity hash (nixpkgs' importNpmLock): no aggregate
#   hash that only a binary cache can reproduce, no network in the build, no git dependency (libsignal is
#   overridden to its npm release in nix/gateway/package.json).
# - nix/<gateway>/build.json says how the tree is installed (npm flags), laid out and wrapped; the local
#   preparation of the tests (tests/support/gateway.ts, `prepareGateway()` / `prepareGateway("openclaw")`)
#   reads the same file, and runs the same nix/prune.mjs and build-time cache script.
# - The first start is a warm start: Clawdbot's jiti transpile cache of the plugins is produced at build time
#   (share/clawdbot/jiti-cache) and copied into $TMPDIR/jiti by the wrapper's preload (nix/jiti-seed.mjs
#   documents how jiti keys its cache); OpenClaw's is Node's compile cache (share/openclaw/compile-cache),
#   which its preload links, not copies, into $TMPDIR/node-compile-cache: one symlink per cache directory
#   (nix/openclaw/compile-cache-seed.mjs says why a copy of its ~5,800 files made the first start no faster).
# - OpenClaw only: its npm lifecycle scripts run in the build (the config hook's `npm rebuild` without
#   --ignore-scripts), so node_modules/openclaw/.openclaw-lifecycle-pending is gone from the store tree;
#   with it every CLI call would try to finish the install and fail on the read-only store (EACCES). The
#   build fails if the marker is still there. The other install scripts run too; koffi's (cnoke --prebuild)
#   first `require()`s its prebuilt binary and would fall back to cmake, which the sandbox lacks: on every
#   system of the flake the prebuilt loads (it needs only libc/libstdc++/libgcc_s, or /usr/lib on macOS),
#   so cmake is never reached (tests/package/koffi.test.ts, from the lock and the packages).
{
  lib,
  stdenv,
  nodejs_22,
  # OpenClaw needs Node >= 24.16 (its `engines`); the gateway's nodeMajor picks one of the two.
  nodejs_24 ? null,
  importNpmLock,
  autoPatchelfHook,
  makeWrapper,
  runCommand,
  # node-llama-cpp's CUDA / Vulkan builds (several hundred MB); they load the GPU driver's libraries from
  # /run/opengl-driver/lib at run time. Clawdbot only (OpenClaw has no node-llama-cpp).
  withGpuEmbeddings ? false,
  # Which gateway: a name of modules/generated/ ("clawdbot", "openclaw"), whose gateway.json (written by the
  # generator from generator/gateways.ts) says what differs. Always given: callPackage ./nix/package.nix
  # { gateway = "openclaw"; }.
  gateway ? null,
  # Prune groups of nix/<gateway>/build.json (`prune.groups`, each says why it goes) to keep in the tree, e.g.
  # [ "worker-bundle" ] for OpenClaw's cloud workers, [ "docs" ] for an agent without web access. OpenClaw
  # only (Clawdbot's build.json has no groups); an unknown name fails the build.
  keepPruned ? [ ],
}:
let
  gateways = import ../modules/lib/gateways.nix;
  # where the package ships its health probe, and the command line that runs it (one place for both)
  healthProbe = import ./health-probe.nix;
  # What differs between the gateways, and only that (modules/generated/<gateway>/gateway.json); everything
  # else is the same build.
  g =
    if gateway == null then
      throw "nix/package.nix: the `gateway` argument is required: callPackage ./nix/package.nix { gateway = \"openclaw\"; } (one of ${builtins.toJSON (builtins.attrNames gateways)})"
    else
      gateways.${gateway}
        or (throw "nix/package.nix: unknown gateway ${builtins.toJSON gateway} (${builtins.toJSON (builtins.attrNames gateways)})");
  desc = {
    dir = ../. + "/${g.lockDir}";
    npmRoot = g.lockDir;
    pname = g.package.attr;
    inherit (g) packageName bin;
    # the Node the gateway runs on (gateway.json nodeMajor), one of this file's arguments
    nodeArg = "nodejs_${toString g.nodeMajor}";
    nodejs =
      {
        inherit nodejs_22 nodejs_24;
      }.${desc.nodeArg} or null;
    # share/<name>: the package's own files (build.json shareFiles), the build-time cache
    share = g.name;
    inherit (g.package) ignoreMissingDeps description homepage;
  };
  node =
    if desc.nodejs == null then
      throw "${desc.pname}: the ${g.displayName} gateway runs on Node ${toString g.nodeMajor}; give the package ${desc.nodeArg} (`${desc.pname}.override { ${desc.nodeArg} = pkgs.nodejs_${toString g.nodeMajor}; }`)"
    else
      desc.nodejs;
  # Files of the repository the build reads besides the lock folder's package.json, lock and build.json (and
  # build.json's shareFiles): the prune script and the build-time cache's builder.
  buildFiles = [
    ./prune.mjs
    (../. + "/${spec.cacheBuilder}")
  ];

  lock = lib.importJSON (desc.dir + "/package-lock.json");

  # The Node the gateway runs on must satisfy the gateway's own `engines` (its package.json, as npm recorded it
  # in the committed lock; OpenClaw 2026.9.6: ">=24.16.0 <25 || >=26.1.0"), checked when the package is
  # evaluated: a too old nodejs_24 would otherwise build, then fail at the first start. Which nodejs_24 the
  # pinned nixpkgs gives is recorded in tests/package/fixtures/nixpkgs-nodejs.json (pkgs/development/web/nodejs/
  # v24.nix; it could not be read at the pin from here). A range is `||` of space-separated comparators
  # (>=, <=, >, <, =; a missing minor or patch is 0); a pre-release counts as its release.
  engines = lock.packages."node_modules/${desc.packageName}".engines.node or null;
  semverParts =
    v:
    let
      parts = lib.splitString "." (builtins.head (lib.splitString "-" (lib.removePrefix "v" v)));
    in
    lib.concatStringsSep "." (lib.take 3 (parts ++ [
      "0"
      "0"
    ]));
  comparatorHolds =
    version: comparator:
    let
      m = builtins.match "(>=|<=|>|<|=)?v?([0-9][0-9.]*)" comparator;
      op = if builtins.elemAt m 0 == null then "=" else builtins.elemAt m 0;
      c = builtins.compareVersions (semverParts version) (semverParts (builtins.elemAt m 1));
    in
    if m == null then
      throw "nix/package.nix: cannot read the comparator ${builtins.toJSON comparator} of ${desc.packageName}'s engines ${builtins.toJSON engines}"
    else
      {
        ">=" = c >= 0;
        "<=" = c <= 0;
        ">" = c > 0;
        "<" = c < 0;
        "=" = c == 0;
      }.${op};
  satisfies =
    version: range:
    lib.any (alternative: lib.all (comparatorHolds version) (lib.filter (c: c != "") (lib.splitString " " alternative))) (
      map lib.trim (lib.splitString "||" range)
    );
  nodeVersion = node.version or (lib.getVersion node);
  nodejs =
    if engines == null || satisfies nodeVersion engines then
      node
    else
      throw "${desc.pname}: ${desc.packageName} ${packageJSON.dependencies.${desc.packageName}} needs Node ${engines} (its package.json `engines`), but this nixpkgs' ${desc.nodeArg} is ${nodeVersion}. Use a newer nixpkgs (`nix flake update nixpkgs`), or give the package a Node that fits: `${desc.pname}.override { ${desc.nodeArg} = pkgs.nodejs_<major>; }`.";

  spec = builtins.fromJSON (builtins.readFile (desc.dir + "/build.json"));
  packageJSON = lib.importJSON (desc.dir + "/package.json");

  # Files of the repository the build reads (the schema and the options reference are generated and
  # committed by `npm run generate`): only these, whatever else the working tree holds (node_modules, .cache).
  src = lib.fileset.toSource {
    root = ../.;
    fileset = lib.fileset.unions (
      [
        (desc.dir + "/package.json")
        (desc.dir + "/package-lock.json")
        (desc.dir + "/build.json")
      ]
      ++ buildFiles
      ++ map (file: ../. + "/${file}") (builtins.attrValues spec.shareFiles)
    );
  };

  # The prune script's arguments besides the tree: the GPU builds, and the spec's groups (build.json `prune`).
  pruneGroups = (spec.prune or { }).groups or { };
  unknownKept = builtins.filter (group: !(pruneGroups ? ${group})) keepPruned;
  pruneFlags =
    lib.throwIf (unknownKept != [ ])
      "nix/package.nix: keepPruned names ${builtins.toJSON unknownKept}, not a prune group of ${gateway}'s build.json (${builtins.toJSON (builtins.attrNames pruneGroups)})"
      (
        lib.concatStringsSep " " (
          lib.optional withGpuEmbeddings "--gpu"
          ++ lib.optionals (spec ? prune) (
            [
              "--spec"
              "${desc.npmRoot}/build.json"
            ]
            ++ lib.concatMap (group: [
              "--keep"
              group
            ]) keepPruned
          )
        )
      );

  setEnv = lib.concatStringsSep " " (
    lib.mapAttrsToList (name: value: "--set ${name} ${lib.escapeShellArg value}") spec.env.set
    ++ lib.mapAttrsToList (name: value: "--set-default ${name} ${lib.escapeShellArg value}") spec.env.setDefault
  );

  # The smoke test's run of the gateway: start it in the background, ask `probe` once a second (up to
  # `tries` times, while the gateway lives), stop it, print its log, and fail unless the probe answered.
  runUntilHealthy =
    {
      start,
      probe,
      tries,
    }:
    ''
      ${start} > "$TMPDIR/gateway.log" 2>&1 &
      pid=$!
      healthy=0
      for _ in $(seq 1 ${toString tries}); do
        if ${probe}; then
          healthy=1
          break
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 1
      done
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" || true
      cat "$TMPDIR/gateway.log"
      [ "$healthy" = 1 ]
    '';

  # The smoke test, by how the gateway answers health (gateway.json `health`): over its WebSocket protocol
  # (Clawdbot: no HTTP health endpoint; it also checks the build-time jiti cache was hit), or over HTTP
  # (`/readyz`: channels, agents and plugins ready; OpenClaw: it also checks Nix mode left the config as it was
  # and wrote the token nowhere).
  inherit (g) envPrefix;
  # the state folder's variable, as the script reads it: $CLAWDBOT_STATE_DIR, $OPENCLAW_STATE_DIR
  stateDir = "$" + "${envPrefix}_STATE_DIR";
  run = "${g.bin} ${lib.concatStringsSep " " g.runArgs}";
  smokeScripts = {
    websocket = finalAttrs: ''
      export HOME="$TMPDIR/home" ${envPrefix}_STATE_DIR="$TMPDIR/state"
      export ${envPrefix}_SKIP_CHANNELS=1 ${envPrefix}_DISABLE_BONJOUR=1
      mkdir -p "$HOME" "${stateDir}"
      echo "{ \"gateway\": { \"mode\": \"local\" }, \"logging\": { \"file\": \"$TMPDIR/${g.name}-file.log\" } }" \
        > "${stateDir}/${g.configName}"
      echo smoke-token > "$TMPDIR/token"
      ${runUntilHealthy {
        start = "${envPrefix}_GATEWAY_TOKEN=smoke-token ${run} --port 18789 --bind loopback --auth token";
        probe = "node ${
          healthProbe.path {
            gateway = g;
            package = finalAttrs.finalPackage;
          }
        } --url ws://127.0.0.1:18789 --token-file \"$TMPDIR/token\" --timeout-ms 3000";
        tries = 120;
      }}
      grep -q "running in Nix mode" "$TMPDIR/gateway.log"
      # The build-time cache was hit: jiti added no file to what the wrapper seeded.
      entries() { find "$1" -mindepth 1 -maxdepth 1 | wc -l; }
      [ "$(entries "$TMPDIR/jiti")" = "$(entries ${finalAttrs.finalPackage}/${spec.seedDir})" ]
      touch "$out"
    '';
    readyz = finalAttrs: ''
      export HOME="$TMPDIR/home" ${envPrefix}_STATE_DIR="$TMPDIR/state"
      export ${envPrefix}_SKIP_CHANNELS=1 ${envPrefix}_DISABLE_BONJOUR=1
      mkdir -p "$HOME" "${stateDir}"
      echo "{ \"gateway\": { \"mode\": \"local\" }, \"logging\": { \"file\": \"$TMPDIR/${g.name}-file.log\" } }" \
        > "${stateDir}/${g.configName}"
      cp "${stateDir}/${g.configName}" "$TMPDIR/config.before"
      # Every CLI call works from the read-only store (the npm lifecycle is complete).
      ${g.bin} --version
      # the package's own probe (passthru.healthProbe): with no channel configured, /readyz 200
      ${runUntilHealthy {
        start = "${envPrefix}_GATEWAY_TOKEN=smoke-token ${run} --port 18789 --bind loopback --auth token";
        probe = "node ${
          lib.escapeShellArgs (
            healthProbe.args {
              gateway = g;
              package = finalAttrs.finalPackage;
              port = 18789;
              timeoutMs = 3000;
            }
          )
        }";
        tries = 180;
      }}
      grep -q "running in Nix mode" "$TMPDIR/gateway.log"
      # The config is the file it was (Nix mode keeps it immutable), and the token is in no file.
      cmp "${stateDir}/${g.configName}" "$TMPDIR/config.before"
      if grep -rlF smoke-token "$HOME" "${stateDir}"; then exit 1; fi
      touch "$out"
    '';
  };
in
stdenv.mkDerivation (finalAttrs: {
  inherit (desc) pname;
  version = packageJSON.dependencies.${desc.packageName};

  inherit src;

  # importNpmLock: one fetchurl per lock entry, by its `integrity`; the config hook installs from a lock
  # rewritten to those store paths with `npm install --ignore-scripts`, then runs `npm rebuild`.
  npmDeps = importNpmLock {
    npmRoot = desc.dir;
    # Only what npm installs on this host gets fetched (see filter-lock.nix).
    packageLock = import ./gateway/filter-lock.nix {
      inherit lock;
      inherit (stdenv) hostPlatform;
      inherit withGpuEmbeddings;
    };
  };
  inherit (desc) npmRoot;
  npmInstallFlags = spec.npmInstallFlags;
  # Every native module ships prebuilt; no install script is needed (and none may reach the network) —
  # except OpenClaw's own lifecycle (see the top of this file), which build.json lets run.
  npmRebuildFlags = spec.npmRebuildFlags;

  nativeBuildInputs = [
    nodejs
    # The hook's node-gyp and headers from the Node the package runs on, not the default `nodejs`. nixpkgs
    # binds importNpmLock with `callPackages`, so `importNpmLock.npmConfigHook.override` would re-call the
    # outer import-npm-lock/default.nix, which takes no `nodejs` ("called with unexpected argument 'nodejs'");
    # the hooks are built by `callPackages ./hooks { }` from a function of `nodejs`, and their own
    # `.override` reaches it.
    (importNpmLock.hooks.npmConfigHook.override { inherit nodejs; })
    makeWrapper
  ]
  ++ lib.optionals stdenv.hostPlatform.isLinux [ autoPatchelfHook ];

  # libstdc++ / libgcc_s for the prebuilt natives (sharp + libvips, node-pty, sqlite-vec, @napi-rs/canvas,
  # clipboard, reflink, node-llama-cpp).
  buildInputs = lib.optionals stdenv.hostPlatform.isLinux [ stdenv.cc.cc.lib ];

  # The GPU builds link the driver's libraries, which only exist on the machine that runs them.
  autoPatchelfIgnoreMissingDeps =
    desc.ignoreMissingDeps
    ++ lib.optionals withGpuEmbeddings [
      "libcuda.so.1"
      "libcudart.so.*"
      "libcublas.so.*"
      "libcublasLt.so.*"
      "libvulkan.so.1"
    ];

  dontBuild = true;
  # Prebuilt upstream natives are only patchelf-ed, never stripped.
  dontStrip = true;

  installPhase = ''
    runHook preInstall

    node nix/prune.mjs ${desc.npmRoot}/node_modules ${pruneFlags}

    mkdir -p "$out/${spec.projectDir}" "$out/share/${desc.share}"
    mv ${desc.npmRoot}/node_modules "$out/${spec.projectDir}/"
    # The config hook swapped in a lock that names store paths; ship the committed ones, from $src (where
    # the hook keeps its own copies, and until when, differs between nixpkgs versions).
    cp "$src/${desc.npmRoot}/package.json" "$out/${spec.projectDir}/package.json"
    cp "$src/${desc.npmRoot}/package-lock.json" "$out/${spec.projectDir}/package-lock.json"
    ${lib.optionalString (spec ? lifecycleMarker) ''
      if [ -e "$out/${spec.lifecycleMarker}" ]; then
        echo "${spec.lifecycleMarker} is still there: the npm lifecycle did not complete" >&2
        exit 1
      fi
    ''}
    ${lib.concatStrings (
      lib.mapAttrsToList (name: source: ''
        install -Dm644 ${lib.escapeShellArg source} "$out/share/${desc.share}/${name}"
      '') spec.shareFiles
    )}

    makeWrapper ${lib.getExe nodejs} "$out/bin/${desc.bin}" \
      ${setEnv} \
      ${lib.optionalString withGpuEmbeddings "--suffix LD_LIBRARY_PATH : /run/opengl-driver/lib"} \
      --add-flags "--import $out/${spec.preload} $out/${spec.entry}"

    runHook postInstall
  '';

  # The build-time cache is keyed by each source's absolute path and content, so it is made last, on the
  # final tree: after patchShebangs (fixup) and after autoPatchelf (a postFixup hook registered before this
  # one), so that the gateway loads with working natives.
  preFixup = ''
    _${desc.share}BuildCache() {
      node "$src/${spec.cacheBuilder}" "$out" "$out/${spec.seedDir}"
    }
    postFixupHooks+=(_${desc.share}BuildCache)
  '';

  passthru = {
    inherit nodejs spec withGpuEmbeddings gateway keepPruned;
    # The health probe this package ships (share/<gateway>/health-probe.mjs, ./health-probe.nix says what it
    # checks): what the image's HEALTHCHECK, the units' watchdog and the VM tests run.
    healthProbe = healthProbe.path {
      gateway = g;
      package = finalAttrs.finalPackage;
    };
    tests.smoke =
      runCommand "${desc.pname}-smoke-${finalAttrs.version}"
        {
          nativeBuildInputs = [
            finalAttrs.finalPackage
            nodejs
          ];
        }
        (smokeScripts.${g.health} finalAttrs);
  };

  meta = {
    inherit (desc) description homepage;
    license = lib.licenses.mit;
    mainProgram = desc.bin;
    platforms = import ./systems.nix;
    sourceProvenance = [
      lib.sourceTypes.fromSource
      lib.sourceTypes.binaryNativeCode
    ];
  };
})
