# The Clawdbot gateway (npm `clawdbot`, pinned by nix/gateway/package-lock.json) as a Nix package.
#
# - Every npm dependency is fetched by its own lock integrity hash (nixpkgs' importNpmLock): no aggregate
#   hash that only a binary cache can reproduce, no network in the build, no git dependency (libsignal is
#   overridden to its npm release in nix/gateway/package.json).
# - nix/gateway/build.json says how the tree is installed (npm flags), laid out and wrapped; the local
#   preparation of the tests (tests/support/gateway.ts) reads the same file, and runs the same
#   nix/prune.mjs and nix/build-jiti-cache.mjs.
# - The first start is a warm start: the jiti transpile cache of the plugins is produced at build time
#   (share/clawdbot/jiti-cache) and copied into $TMPDIR/jiti by the wrapper's preload (nix/jiti-seed.mjs
#   documents how jiti keys its cache).
{
  lib,
  stdenv,
  nodejs_22,
  importNpmLock,
  autoPatchelfHook,
  makeWrapper,
  runCommand,
  # node-llama-cpp's CUDA / Vulkan builds (several hundred MB); they load the GPU driver's libraries from
  # /run/opengl-driver/lib at run time.
  withGpuEmbeddings ? false,
}:
let
  spec = builtins.fromJSON (builtins.readFile ./gateway/build.json);
  packageJSON = lib.importJSON ./gateway/package.json;

  # Files of the repository the build reads (the schema and the options reference are generated and
  # committed by `npm run generate`): only these, whatever else the working tree holds (node_modules, .cache).
  src = lib.fileset.toSource {
    root = ../.;
    fileset = lib.fileset.unions (
      [
        ./gateway/package.json
        ./gateway/package-lock.json
        ./gateway/build.json
        ./prune.mjs
        ./jiti-seed.mjs
        ./build-jiti-cache.mjs
        ./health-probe.mjs
      ]
      ++ map (file: ../. + "/${file}") (builtins.attrValues spec.shareFiles)
    );
  };

  setEnv = lib.concatStringsSep " " (
    lib.mapAttrsToList (name: value: "--set ${name} ${lib.escapeShellArg value}") spec.env.set
    ++ lib.mapAttrsToList (name: value: "--set-default ${name} ${lib.escapeShellArg value}") spec.env.setDefault
  );
in
stdenv.mkDerivation (finalAttrs: {
  pname = "clawdbot-gateway";
  version = packageJSON.dependencies.clawdbot;

  inherit src;

  # importNpmLock: one fetchurl per lock entry, by its `integrity`; the config hook installs from a lock
  # rewritten to those store paths with `npm install --ignore-scripts`, then runs `npm rebuild`.
  npmDeps = importNpmLock {
    npmRoot = ./gateway;
    # Only what npm installs on this host gets fetched (see filter-lock.nix).
    packageLock = import ./gateway/filter-lock.nix {
      lock = lib.importJSON ./gateway/package-lock.json;
      inherit (stdenv) hostPlatform;
      inherit withGpuEmbeddings;
    };
  };
  npmRoot = "nix/gateway";
  npmInstallFlags = spec.npmInstallFlags;
  # Every native module ships prebuilt; no install script is needed (and none may reach the network).
  npmRebuildFlags = spec.npmRebuildFlags;

  nativeBuildInputs = [
    nodejs_22
    # The hook's node-gyp and headers from the Node the package runs on, not the default `nodejs`.
    (importNpmLock.npmConfigHook.override { nodejs = nodejs_22; })
    makeWrapper
  ]
  ++ lib.optionals stdenv.hostPlatform.isLinux [ autoPatchelfHook ];

  # libstdc++ / libgcc_s for the prebuilt natives (sharp + libvips, node-pty, sqlite-vec, @napi-rs/canvas,
  # clipboard, reflink, node-llama-cpp).
  buildInputs = lib.optionals stdenv.hostPlatform.isLinux [ stdenv.cc.cc.lib ];

  # The GPU builds link the driver's libraries, which only exist on the machine that runs them.
  autoPatchelfIgnoreMissingDeps = lib.optionals withGpuEmbeddings [
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

    node nix/prune.mjs nix/gateway/node_modules ${lib.optionalString withGpuEmbeddings "--gpu"}

    mkdir -p "$out/${spec.projectDir}" "$out/share/clawdbot"
    mv nix/gateway/node_modules "$out/${spec.projectDir}/"
    # The config hook swapped in a lock that names store paths; ship the committed ones, from $src (where
    # the hook keeps its own copies, and until when, differs between nixpkgs versions).
    cp "$src/nix/gateway/package.json" "$out/${spec.projectDir}/package.json"
    cp "$src/nix/gateway/package-lock.json" "$out/${spec.projectDir}/package-lock.json"

    ${lib.concatStrings (
      lib.mapAttrsToList (name: source: ''
        install -Dm644 ${lib.escapeShellArg source} "$out/share/clawdbot/${name}"
      '') spec.shareFiles
    )}

    makeWrapper ${lib.getExe nodejs_22} "$out/bin/clawdbot" \
      ${setEnv} \
      ${lib.optionalString withGpuEmbeddings "--suffix LD_LIBRARY_PATH : /run/opengl-driver/lib"} \
      --add-flags "--import $out/${spec.preload} $out/${spec.entry}"

    runHook postInstall
  '';

  # The jiti cache is keyed by each source's absolute path and content, so it is made last, on the final
  # tree: after patchShebangs (fixup) and after autoPatchelf (a postFixup hook registered before this one),
  # so that the plugins load with working natives.
  preFixup = ''
    _clawdbotBuildJitiCache() {
      node "$src/nix/build-jiti-cache.mjs" "$out" "$out/${spec.jitiSeedDir}"
    }
    postFixupHooks+=(_clawdbotBuildJitiCache)
  '';

  passthru = {
    nodejs = nodejs_22;
    inherit spec withGpuEmbeddings;
    tests.smoke =
      runCommand "clawdbot-gateway-smoke-${finalAttrs.version}"
        {
          nativeBuildInputs = [
            finalAttrs.finalPackage
            nodejs_22
          ];
        }
        ''
          export HOME="$TMPDIR/home" CLAWDBOT_STATE_DIR="$TMPDIR/state"
          export CLAWDBOT_SKIP_CHANNELS=1 CLAWDBOT_DISABLE_BONJOUR=1
          mkdir -p "$HOME" "$CLAWDBOT_STATE_DIR"
          echo "{ \"gateway\": { \"mode\": \"local\" }, \"logging\": { \"file\": \"$TMPDIR/clawdbot-file.log\" } }" \
            > "$CLAWDBOT_STATE_DIR/clawdbot.json"
          echo smoke-token > "$TMPDIR/token"
          CLAWDBOT_GATEWAY_TOKEN=smoke-token clawdbot gateway --port 18789 --bind loopback --auth token \
            > "$TMPDIR/gateway.log" 2>&1 &
          pid=$!
          healthy=0
          for _ in $(seq 1 120); do
            if node ${finalAttrs.finalPackage}/share/clawdbot/health-probe.mjs \
                 --url ws://127.0.0.1:18789 --token-file "$TMPDIR/token" --timeout-ms 3000; then
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
          grep -q "running in Nix mode" "$TMPDIR/gateway.log"
          # The build-time cache was hit: jiti added no file to what the wrapper seeded.
          entries() { find "$1" -mindepth 1 -maxdepth 1 | wc -l; }
          [ "$(entries "$TMPDIR/jiti")" = "$(entries ${finalAttrs.finalPackage}/${spec.jitiSeedDir})" ]
          touch "$out"
        '';
  };

  meta = {
    description = "Clawdbot AI gateway (Node 22), pruned, with its plugin cache built in";
    homepage = "https://github.com/clawdbot/clawdbot";
    license = lib.licenses.mit;
    mainProgram = "clawdbot";
    platforms = import ./systems.nix;
    sourceProvenance = [
      lib.sourceTypes.fromSource
      lib.sourceTypes.binaryNativeCode
    ];
  };
})
