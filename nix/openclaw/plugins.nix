# OpenClaw's separately published channel plugins (`@openclaw/discord`, `@openclaw/whatsapp`, …), from npm like
# the gateway: nix/openclaw/plugins/package.json pins each at exactly the gateway's version, the committed
# package-lock.json holds every tarball's integrity hash (importNpmLock fetches each by its own hash), the
# tree is installed with no install script, pruned by nix/prune.mjs, its prebuilt natives patched. One
# store path holds every plugin (they share hoisted dependencies); each plugin is a folder of it.
#
# Exposed as `pkgs.openclawPlugins` (overlay) and `legacyPackages.<system>.openclawPlugins`:
#
#   openclawPlugins.<id>          { id, package, version, channels, path }: `path` is the plugin's folder in the
#                                 store, what OpenClaw's `plugins.load.paths` names (Nix mode accepts plugin
#                                 roots under /nix/store); `channels` the channel ids it provides
#   openclawPlugins.ids           the packaged plugin ids
#   openclawPlugins.select [ids]  their attribute sets (evaluation error naming an unknown id and the known ones)
#   openclawPlugins.settingsFor [ids]
#                                 the config fragment that loads them: `plugins.load.paths` and
#                                 `plugins.entries.<id>.enabled = true` (render it explicitly: nothing to
#                                 auto-enable, so nothing for the gateway to write)
#   openclawPlugins.channelPlugin  channel id → plugin id, for "a configured channel needs its plugin"
#   openclawPlugins.tree          the derivation
#
# Tested at T0 by tests/openclaw/plugins.test.ts (the same install done by tests/support/gateway.ts
# prepareOpenclawPlugins(), the real Discord plugin loaded by the real gateway from a read-only tree) and at T1
# by tests/openclaw/nix.test.ts (this file evaluated with nixpkgs' lib and stand-in builders).
{
  lib,
  stdenv,
  importNpmLock,
  autoPatchelfHook,
  nodejs_24 ? null,
  # The gateway they are loaded into: its version must be theirs.
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
    # No install script runs: matrix's crypto and baileys' scripts would download native files.
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
  };

  plugins = lib.listToAttrs (map (name: lib.nameValuePair (idOf name) (plugin name)) names);

  checkedVersion =
    if openclaw-gateway == null || openclaw-gateway.version == version then
      true
    else
      throw "nix/openclaw/plugins.nix: the plugins are ${version}, the gateway ${openclaw-gateway.version} (npm run sync-upstream -- openclaw <version> updates both)";

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
