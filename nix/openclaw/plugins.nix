# OpenClaw's separately published channel plugins (`@openclaw/discord`, `@openclaw/whatsapp`, …), from npm like
# the gateway: every official plugin of the gateway's own catalog (dist/channel-catalog.json, 23 in 2026.9.6).
# nix/openclaw/plugins/package.json pins each at the newest version on npm whose `openclaw` peer range accepts
# the pinned gateway (several stop at 2026.9.4 or 2026.9.5); ./plugins/catalog.json records each choice and
# any plugin left out with why; both written by `npm run sync-upstream -- openclaw` (generator/plugin-
# catalog.ts). The committed package-lock.json holds every tarball's integrity hash (importNpmLock fetches each by its own hash), the
# tree is installed with no install script, pruned by nix/prune.mjs, its prebuilt natives patched. One
# store path holds every plugin (they share hoisted dependencies); each plugin is a folder of it.
#
# Exposed as `pkgs.openclawPlugins` (overlay) and `legacyPackages.<system>.openclawPlugins`:
#
#   openclawPlugins.<id>          { id, package, version, channels, path, refused }: `path` is the plugin's folder
#                                 in the store, what OpenClaw's `plugins.load.paths` names (Nix mode accepts
#                                 plugin roots under /nix/store); `channels` the channel ids it provides;
#                                 `refused` the settings it cannot serve as built here (matrix: encryption)
#   openclawPlugins.ids           the packaged plugin ids
#   openclawPlugins.select [ids]  their attribute sets (evaluation error naming an unknown id and the known ones)
#   openclawPlugins.settingsFor [ids]
#                                 the config fragment that loads them: `plugins.load.paths` and
#                                 `plugins.entries.<id>.enabled = true` (render it explicitly: nothing to
#                                 auto-enable, so nothing for the gateway to write). Not enough alone: the
#                                 plugins are trusted only with <stateDir>/npm linked to `npmRoot`, which
#                                 modules/lib/render.nix adds (and disables the packaged plugins not named)
#   openclawPlugins.channelPlugin  channel id → plugin id, for "a configured channel needs its plugin"
#   openclawPlugins.npmRoot       the tree as upstream's managed npm root (package.json naming every plugin,
#                                 node_modules): linked at <stateDir>/npm it makes each plugin a trusted
#                                 official npm install (see gatewayPackageRoot below)
#   openclawPlugins.tree          the derivation
#
# Tested at T0 by tests/openclaw/plugins.test.ts (the same install done by tests/support/gateway.ts
# prepareOpenclawPlugins(); each plugin registered — upstream's plugins.list RPC: active — in the real gateway
# started as the NixOS module renders it, offline, as nobody) and at T1
# by tests/openclaw/nix.test.ts (this file evaluated with nixpkgs' lib and stand-in builders).
{
  lib,
  stdenv,
  importNpmLock,
  autoPatchelfHook,
  nodejs_24 ? null,
  # The gateway they are loaded into: the version they were chosen for (each one's peer range accepts it).
  openclaw-gateway ? null,
}:
let
  manifest = lib.importJSON ./plugins/package.json;
  lock = lib.importJSON ./plugins/package-lock.json;
  # The channel ids each plugin provides (its package.json `openclaw.channel.id`), recorded by
  # `npm run sync-upstream -- openclaw <version>` in ./plugins/channels.json.
  channelsOf = lib.importJSON ./plugins/channels.json;
  nodejs = if nodejs_24 == null then throw "nix/openclaw/plugins.nix needs nodejs_24" else nodejs_24;
  names = builtins.attrNames manifest.dependencies;
  idOf = name: lib.removePrefix "@openclaw/" name;
  ids = map idOf names;
  version = manifest.version;

  # Trust. Upstream (2026.9.6) lets a plugin open its keyed store and channel ingress queue only when it is
  # trusted: `resolvePluginTrust` in src/plugins/installed-plugin-record-match.ts (dist/installed-plugin-record-
  # match-*.mjs) trusts origin "bundled", or an install record that isTrustedOfficialPluginInstallRecord
  # (dist/official-external-install-records-*.mjs) accepts: source "npm", no sourcePath/artifactKind, spec,
  # resolvedName and resolvedSpec all naming the official catalog's package, installPath the plugin's folder
  # (realpaths compared). A folder in plugins.load.paths alone has no record: "record-missing", and every one of
  # these plugins failed during register (PluginTrustRefusalError) while /readyz stayed 200.
  # The records are the installed-plugin index in the state database, merged with what upstream recovers from
  # its managed npm root, <stateDir>/npm (`loadInstalledPluginIndexInstallRecords` in dist/installed-plugin-
  # index-record-reader-*.mjs: one record per `dependencies` entry of <npm root>/package.json whose
  # node_modules/<name> is a plugin: source npm, spec <name>@<range>, resolvedName, resolvedVersion,
  # resolvedSpec, installPath). That is what `openclaw plugins install @openclaw/<id>` leaves behind, and this
  # tree has that layout: lib/openclaw-plugins is an npm project whose package.json names every plugin. The
  # modules link <stateDir>/npm to it (`npmRoot`; modules/lib/render.nix), so each plugin is a trusted
  # official npm install, found in place in the store, and nothing is written but the link.
  # Two more of upstream's checks on such an install, met here: its dependencies must resolve inside the npm
  # root's realpath (dist/status-dependencies-core-*.mjs), so <stateDir>/npm links to the whole tree rather
  # than a folder of links; and <plugin>/node_modules/openclaw must be a link whose realpath is the running
  # gateway's package (the peer link, dist/plugin-peer-link-*.mjs; else "missing-openclaw-peer-link" and the
  # plugin is not loaded), made below: the tree is built for one gateway.
  gatewayPackageRoot =
    if openclaw-gateway == null then
      throw "nix/openclaw/plugins.nix: the plugins tree needs `openclaw-gateway` (each plugin's node_modules/openclaw links to the gateway that loads it)"
    else
      "${openclaw-gateway}/${(lib.importJSON ./build.json).projectDir}/node_modules/openclaw";

  tree = stdenv.mkDerivation {
    pname = "openclaw-plugins";
    inherit version;
    src = lib.fileset.toSource {
      root = ../..;
      fileset = lib.fileset.unions [
        ./plugins/package.json
        ./plugins/package-lock.json
        ../prune.mjs
      ];
    };
    npmDeps = importNpmLock {
      npmRoot = ./plugins;
      # Only what npm installs on this host gets fetched (other platforms' optional natives are not).
      packageLock = import ../gateway/filter-lock.nix {
        inherit lock;
        inherit (stdenv) hostPlatform;
      };
    };
    npmRoot = "nix/openclaw/plugins";
    # No install script runs: matrix's crypto and baileys' scripts would download native files. Matrix without
    # its native crypto library (@matrix-org/matrix-sdk-crypto-nodejs's postinstall fetches
    # matrix-sdk-crypto.<triple>.node from GitHub releases; the package names no hash and npm has no
    # per-platform package of it) still registers and runs (tests/openclaw/plugins.test.ts: active); the
    # plugin loads that library lazily, only to encrypt or decrypt media attachments in encrypted rooms, and
    # then tries the download itself, which fails on the read-only store: encrypted attachments do not work.
    # Read from the plugin's code (@openclaw/matrix 2026.9.6): the library is required only by
    # loadMatrixCryptoNodeBindings (dist/.setup/crypto-runtime-*.mjs, after ensureMatrixCryptoRuntime in
    # deps-*.mjs runs download-lib.js), called only by the crypto facade's encryptMedia (send-*.mjs
    # uploadMediaWithEncryption: media to an encrypted room) and decryptMedia (monitor-*.mjs
    # downloadMatrixMedia: media received in one); the facade exists only when the account's encryption is on
    # (sdk-*.mjs: `if (!this.encryptionEnabled) return;` before createMatrixCryptoFacade), which is
    # `accounts.<id>.encryption` when it is a boolean, else `channels.matrix.encryption`, else false
    # (client-*.mjs). Without encryption the plugin never loads it (an encrypted event is logged and skipped;
    # media to an encrypted room is refused). So `refused` below: the modules refuse encryption = true while
    # this package's matrix plugin is loaded. The rest of its crypto is matrix-js-sdk's bundled WebAssembly
    # build (@matrix-org/matrix-sdk-crypto-wasm; not exercised here: no homeserver).
    npmInstallFlags = [
      "--ignore-scripts"
      "--no-audit"
      "--no-fund"
    ];
    npmRebuildFlags = [ "--ignore-scripts" ];
    nativeBuildInputs = [
      nodejs
      (importNpmLock.hooks.npmConfigHook.override { inherit nodejs; })
    ]
    ++ lib.optionals stdenv.hostPlatform.isLinux [ autoPatchelfHook ];
    buildInputs = lib.optionals stdenv.hostPlatform.isLinux [ stdenv.cc.cc.lib ];
    # musl builds of the prebuilt natives sit next to the glibc ones; only the host's is loaded.
    autoPatchelfIgnoreMissingDeps = [ "libc.musl-*.so.1" ];
    dontBuild = true;
    dontStrip = true;
    installPhase = ''
      runHook preInstall
      node nix/prune.mjs nix/openclaw/plugins/node_modules
      mkdir -p "$out/lib/openclaw-plugins"
      mv nix/openclaw/plugins/node_modules "$out/lib/openclaw-plugins/"
      cp "$src/nix/openclaw/plugins/package.json" "$src/nix/openclaw/plugins/package-lock.json" "$out/lib/openclaw-plugins/"
      # upstream's peer link (see gatewayPackageRoot above)
      for name in ${lib.escapeShellArgs names}; do
        mkdir -p "$out/lib/openclaw-plugins/node_modules/$name/node_modules"
        ln -s ${gatewayPackageRoot} "$out/lib/openclaw-plugins/node_modules/$name/node_modules/openclaw"
      done
      runHook postInstall
    '';
    meta = {
      description = "OpenClaw's separately published channel plugins (${lib.concatStringsSep ", " ids}), from npm";
      homepage = "https://github.com/openclaw/openclaw";
      license = lib.licenses.mit;
      platforms = import ../systems.nix;
    };
  };

  plugin = name: {
    id = idOf name;
    package = name;
    version = manifest.dependencies.${name};
    channels = channelsOf.${idOf name} or [ ];
    path = "${tree}/lib/openclaw-plugins/node_modules/${name}";
    refused = refused.${idOf name} or [ ];
  };

  # Settings a packaged plugin cannot serve as built here, by plugin id: { path (segments of the config,
  # "*" any attribute name); value (the value refused); why (the end of the refusal) }. modules/common.nix
  # refuses them while the instance loads the plugin from this set.
  refused.matrix =
    map
      (path: {
        inherit path;
        value = true;
        why = "end-to-end encryption needs @matrix-org/matrix-sdk-crypto-nodejs's native library to encrypt and decrypt attachments, which the packaged Matrix plugin lacks: the library is downloaded by a postinstall the Nix build does not run, and the plugin's own download at run time fails on the read-only store. Use unencrypted rooms (leave it unset or false), or bring a Matrix plugin built with the library (a pkgs.openclawPlugins of your own).";
      })
      [
        [ "channels" "matrix" "encryption" ]
        [ "channels" "matrix" "accounts" "*" "encryption" ]
      ];

  plugins = lib.listToAttrs (map (name: lib.nameValuePair (idOf name) (plugin name)) names);

  checkedVersion =
    if openclaw-gateway == null || openclaw-gateway.version == version then
      true
    else
      throw "nix/openclaw/plugins.nix: the plugins were chosen for gateway ${version} (each one's openclaw peer range accepts it), the gateway is ${openclaw-gateway.version} (npm run sync-upstream -- openclaw <version> updates both)";

  select =
    wanted:
    map (
      id:
      plugins.${id}
        or (throw "OpenClaw plugin `${id}` is not packaged (nix/openclaw/plugins/package.json has: ${lib.concatStringsSep ", " ids})")
    ) wanted;
in
assert checkedVersion;
plugins
// {
  inherit ids select tree;
  # upstream's managed npm root: what <stateDir>/npm links to (modules/lib/render.nix). Every plugin in it is
  # an installed plugin, enabled unless the config says otherwise: the modules disable those not selected.
  npmRoot = "${tree}/lib/openclaw-plugins";
  channelPlugin = lib.listToAttrs (
    lib.concatMap (p: map (channel: lib.nameValuePair channel p.id) p.channels) (builtins.attrValues plugins)
  );
  settingsFor = wanted: {
    plugins = {
      load.paths = map (p: p.path) (select wanted);
      entries = lib.genAttrs wanted (_: {
        enabled = true;
      });
    };
  };
}
