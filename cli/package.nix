# clawdbot-nix: `import` a live clawdbot.json or openclaw.json into Nix and `check` any config offline
# (cli/clawdbot-nix.ts; `--target clawdbot|openclaw`, or detected).
#
# The same TypeScript that runs from the repository (`npx tsx cli/clawdbot-nix.ts`) is bundled by esbuild
# (cli/build.sh) into one ESM file with its dependencies (json5, ajv) and both gateways' pinned snapshots (the
# config schemas, uiHints, facts, Clawdbot's legacy rules), then run by Node 22. The npm dependencies come from the repository's
# root package-lock.json through importNpmLock: no hash to update when the lock changes. Like the gateway,
# the lock goes through nix/gateway/filter-lock.nix first, so that only the optional packages npm installs
# on this host (esbuild's, rollup's … for this os/cpu/libc) are fetched, not every platform's.
#
# Wired in flake.nix as `packages.<system>.clawdbot-nix = pkgs.callPackage ./cli/package.nix { … };`
# (`nix run .#clawdbot-nix -- import ~/.clawdbot`, `nix run .#clawdbot-nix -- check ~/.openclaw`).
#
# `check` (and `import`, which checks first) gives the gateway's own verdict only with that gateway's package:
# both pinned gateways are wired in (CLAWDBOT_NIX_GATEWAY / CLAWDBOT_NIX_NODE for Clawdbot on Node 22,
# CLAWDBOT_NIX_OPENCLAW_GATEWAY / CLAWDBOT_NIX_OPENCLAW_NODE for OpenClaw on Node 24; set-default, so a user's
# own tree wins). `openclaw-gateway = null` leaves OpenClaw out of the closure: `--target openclaw` then checks
# the schema layer only and says so, unless CLAWDBOT_NIX_OPENCLAW_GATEWAY names a tree.
{
  lib,
  stdenv,
  callPackage,
  buildNpmPackage,
  importNpmLock,
  nodejs_22,
  nodejs_24 ? null,
  esbuild,
  makeWrapper,
  # the pinned gateways: `check` runs their own validator (cli/upstream-validator.ts) after the schema layer
  clawdbot-gateway,
  # the overlay's `openclaw-gateway` when pkgs has it, else the same package built here (nix/package.nix)
  openclaw-gateway ? callPackage ../nix/package.nix { gateway = "openclaw"; },
}:

let
  # Only what the bundle is made of: cli/ and these files (tests/cli/bundle.test.ts builds from the same
  # list). A change elsewhere in the repository (or node_modules, .cache in a working tree) does not rebuild
  # the command.
  wanted = [
    "package.json"
    "package-lock.json"
    "generator/json-schema.ts"
    "generator/normalize.ts"
    "generator/secrets.ts"
    "modules/generated/clawdbot/gateway.json"
    "modules/generated/clawdbot/facts.json"
    "modules/generated/openclaw/gateway.json"
    "modules/generated/openclaw/facts.json"
    "generator/emit/nix-text.ts"
    "generator/schema/upstream/meta.json"
    "generator/schema/upstream/ui-hints.json"
    "generator/schema/openclaw/meta.json"
    "generator/schema/openclaw/ui-hints.json"
    "schemas/clawdbot.schema.json"
    "schemas/openclaw.schema.json"
    "schemas/clawdbot-service-options.schema.json"
    "schemas/openclaw-service-options.schema.json"
  ];
  src = lib.fileset.toSource {
    root = ../.;
    fileset = lib.fileset.unions ([ ./. ] ++ map (file: ../. + "/${file}") wanted);
  };
  package = lib.importJSON ../package.json;
  upstream = lib.importJSON ../generator/schema/upstream/meta.json;
  openclaw = lib.importJSON ../generator/schema/openclaw/meta.json;
  # OpenClaw runs on Node 24 (its `engines`); without nodejs_24 (or with openclaw-gateway = null) the command
  # carries no OpenClaw gateway.
  withOpenclaw = nodejs_24 != null && openclaw-gateway != null;
  openclawFlags = lib.optionalString withOpenclaw (
    lib.concatStringsSep " " [
      "--set-default CLAWDBOT_NIX_OPENCLAW_GATEWAY ${openclaw-gateway}"
      "--set-default CLAWDBOT_NIX_OPENCLAW_NODE ${lib.getExe nodejs_24}"
    ]
  );
in
buildNpmPackage {
  pname = "clawdbot-nix";
  inherit (package) version;
  inherit src;

  nodejs = nodejs_22;
  npmDeps = importNpmLock {
    npmRoot = src;
    packageLock = import ../nix/gateway/filter-lock.nix {
      # The root lock is written without registry URLs (npm's omit-lockfile-registry-resolved).
      lock = import ../nix/gateway/registry-resolved.nix { lock = lib.importJSON ../package-lock.json; };
      inherit (stdenv) hostPlatform;
    };
  };
  # The hook's node-gyp and headers from the Node the command runs on, not the default `nodejs`: the hooks'
  # own `.override` (importNpmLock's attributes, bound by `callPackages`, would re-call the outer function,
  # which takes no `nodejs`; see nix/package.nix).
  npmConfigHook = importNpmLock.hooks.npmConfigHook.override { nodejs = nodejs_22; };
  # Install scripts are not needed to bundle (esbuild comes from nixpkgs, not from node_modules).
  npmFlags = [ "--ignore-scripts" ];

  nativeBuildInputs = [
    esbuild
    makeWrapper
  ];

  buildPhase = ''
    runHook preBuild
    sh cli/build.sh dist/clawdbot-nix.mjs
    runHook postBuild
  '';

  installPhase = ''
    runHook preInstall
    install -Dm644 dist/clawdbot-nix.mjs "$out/lib/clawdbot-nix/clawdbot-nix.mjs"
    # The snapshots the bundle carries, also as files (for editors and other tools).
    install -Dm644 -t "$out/share/clawdbot-nix" \
      schemas/clawdbot.schema.json \
      schemas/openclaw.schema.json \
      generator/schema/upstream/ui-hints.json \
      cli/upstream/legacy-rules.json
    makeWrapper ${lib.getExe nodejs_22} "$out/bin/clawdbot-nix" \
      --add-flags "$out/lib/clawdbot-nix/clawdbot-nix.mjs" \
      --set-default CLAWDBOT_NIX_GATEWAY ${clawdbot-gateway} \
      --set-default CLAWDBOT_NIX_NODE ${lib.getExe nodejs_22} ${openclawFlags}
    runHook postInstall
  '';

  doInstallCheck = true;
  installCheckPhase = ''
    runHook preInstallCheck
    cd "$(mktemp -d)"
    echo '{ gateway: { mdoe: "local" } }' > bad.json
    if "$out/bin/clawdbot-nix" check bad.json 2> err; then
      echo "check accepted an unknown key" >&2
      exit 1
    fi
    grep -q 'gateway.mdoe: unknown key — did you mean gateway.mode?' err
    echo '{ gateway: { mode: "local", auth: { token: "0123456789abcdef0123456789abcdef" } } }' > good.json
    "$out/bin/clawdbot-nix" check good.json > good.txt
    # the gateway's own verdict ran (without it, check says "not a full check" and never "valid")
    grep -q 'valid for clawdbot' good.txt
    echo '{ gateway: { mode: "local" }, channels: { telgram: { } } }' > typo.json
    if "$out/bin/clawdbot-nix" check typo.json 2> typo.err; then
      echo "check accepted a misspelled channel id (only the gateway's validator knows the ids)" >&2
      exit 1
    fi
    "$out/bin/clawdbot-nix" import good.json --out nix --secrets-dir secrets
    # (a bare `! grep` is exempt from `set -e`: it could never fail the build)
    if grep -r 0123456789abcdef nix; then
      echo "import left the token in the Nix files" >&2
      exit 1
    fi
  ''
  + lib.optionalString withOpenclaw ''
    # OpenClaw: detected from the file name, checked by OpenClaw's own validator
    mkdir oc
    echo '{ gateway: { mode: "local", auth: { token: "0123456789abcdef0123456789abcdef" } } }' > oc/openclaw.json
    "$out/bin/clawdbot-nix" check oc > oc.txt
    grep -q 'valid for openclaw ${openclaw.version}' oc.txt
    grep -q 'target: openclaw' oc.txt
    echo '{ gateway: { mode: "local" }, channels: { telgram: { } } }' > oc-typo.json
    if "$out/bin/clawdbot-nix" check --target openclaw oc-typo.json 2> oc-typo.err; then
      echo "check --target openclaw accepted a misspelled channel id" >&2
      exit 1
    fi
    grep -q 'did you mean channels.telegram' oc-typo.err
    "$out/bin/clawdbot-nix" import oc --out oc-nix --secrets-dir oc-secrets
    grep -q 'services.openclaw' oc-nix/default.nix
    if grep -r 0123456789abcdef oc-nix; then
      echo "import left the token in the Nix files" >&2
      exit 1
    fi
  ''
  + ''
    runHook postInstallCheck
  '';

  meta = {
    description = "Import a live Clawdbot or OpenClaw config into typed Nix settings (secrets split out) and check configs offline against the clawdbot ${upstream.version} and openclaw ${openclaw.version} schemas";
    license = lib.licenses.mit;
    mainProgram = "clawdbot-nix";
    platforms = lib.platforms.unix;
  };
}
