# The OCI image of a gateway: Clawdbot (`packages.<linux>.image`, clawdbot:nix) or OpenClaw
# (`packages.<linux>.image-openclaw`, openclaw:nix; `gateway = "openclaw"`). dockerTools.buildLayeredImage, one
# layer per store path, so an upgrade of the gateway re-sends only its own layers. Load it with
# `docker load < result` (or `podman load`, or `skopeo copy docker-archive:result docker://…`).
#
# Everything the image does at run time (entrypoint, environment, user 1000:1000, volumes, health check, the
# start script, the folders) comes from ./config.nix, a builtins-only function tested at T0; the config
# file comes from ./settings.nix (the typed settings, tested at T1). This file only wires packages in.
#
# Customise it with `.override` (see templates/container):
#   clawdbot.packages.x86_64-linux.image-openclaw.override {
#     extraPackages = [ pkgs.ffmpeg ];   # the guide's CLAWDBOT_DOCKER_APT_PACKAGES, the Nix way
#     plugins = [ "discord" ];           # OpenClaw's separately published channel plugins
#     settings = { agents.defaults.model.primary = "anthropic/claude-opus-4-5"; };
#   }
{
  lib,
  dockerTools,
  runCommand,
  writeText,
  writeScript,
  bashInteractive,
  coreutils,
  findutils,
  gnugrep,
  gnused,
  gawk,
  gnutar,
  gzip,
  curl,
  git,
  procps,
  util-linux,
  tini,
  cacert,
  nodejs_22,
  # Which gateway the image runs, always given: a name of modules/lib/gateways.nix ("clawdbot", "openclaw").
  gateway,
  # The gateway bundle (clawdbotTools.bundle: a small wrapper around the one bare gateway): bin/clawdbot
  # (puts the bundled tools on PATH), share/clawdbot/health-probe.mjs, passthru.nodejs and passthru.tools.
  # Clawdbot's image only.
  clawdbot ? null,
  # The flake's pinned tools (nix/tools). With `tools` (names, e.g. [ "gogcli" "goplaces" ]) the image gets
  # another bundle of the same gateway with exactly those tools (a wrapper; the gateway is not rebuilt): the
  # guide's "bake the binaries into the image". null keeps the bundle given as `clawdbot` (the flake's
  # default tool list).
  clawdbotTools ? null,
  tools ? null,
  # OpenClaw: the bare gateway (packages.<system>.openclaw-gateway), its separately published channel
  # plugins (legacyPackages.<system>.openclawPlugins) and which others to load, e.g. [ "discord" ]: as in the
  # modules, a configured channel loads its packaged plugin by itself. Its `tools` go
  # on PATH (clawdbotTools.select); null: none.
  openclaw-gateway ? null,
  openclawPlugins ? null,
  plugins ? [ ],
  # Packages added to the image and its PATH (after the tools): the guide's CLAWDBOT_DOCKER_APT_PACKAGES.
  extraPackages ? [ ],
  # What the agent's shell commands (`sh -lc …`) expect to find; replace the list to slim the image.
  basePackages ? [
    bashInteractive
    coreutils
    findutils
    gnugrep
    gnused
    gawk
    gnutar
    gzip
    curl
    git
    procps
  ],
  # clawdbot.json / openclaw.json, as `services.<gateway>.settings` takes it (typed; secrets as "${ENV_VAR}"
  # references).
  settings ? { },
  # Extra environment of the container (not secrets).
  environment ? { },
  port ? 18789,
  # Start as root, chown the volume mount points to 1000:1000, drop to 1000 (for Fly.io volumes).
  startAsRoot ? false,
  heapMiB ? null,
  healthcheck ? { },
  # null: config.nix's defaults (clawdbot:nix, openclaw:nix).
  name ? null,
  tag ? null,
  # The state and workspace volumes; null: config.nix's defaults (/home/node/.<gateway>, and
  # /home/node/clawd or /home/node/workspace). The container template names them the same for both gateways.
  stateDir ? null,
  workspaceDir ? null,
}:
let
  gateways = import ../../modules/lib/gateways.nix;
  # what differs between the gateways (modules/generated/<gateway>/gateway.json)
  g =
    gateways.${gateway}
      or (throw "nix/image: gateway must be one of ${builtins.toJSON (builtins.attrNames gateways)}, not ${builtins.toJSON gateway}");
  # The package the caller gave for this gateway, by the argument that takes it: Clawdbot's bundle (`clawdbot`,
  # tools baked into its wrapper) or a bare gateway (`openclaw-gateway`, tools on PATH).
  # (Nix arguments are named in the function's head, so this table is the one place that maps them.)
  packageArgs = {
    clawdbot = {
      arg = "clawdbot";
      value = clawdbot;
    };
    openclaw = {
      arg = "openclaw-gateway";
      value = openclaw-gateway;
    };
  };
  givenArg = packageArgs.${gateway}.arg or g.packageAttr;
  given = packageArgs.${gateway}.value or null;
  # a clawdbotTools bundle carries its tools (passthru.tools); `tools` makes another bundle of the same gateway
  isBundle = given != null && given ? passthru.tools;
  needTools =
    if clawdbotTools == null then
      throw "${gateway} image: `tools` needs `clawdbotTools` (pass the flake's clawdbotTools, or use the overlay)"
    else
      clawdbotTools;
  package =
    if given == null then
      throw "${gateway} image: needs `${givenArg}` (the flake's packages.<system>.${givenArg})"
    else if isBundle && tools != null then
      needTools.bundle tools
    else
      given;
  # A bundle's tools are on its wrapper's PATH (passthru.tools); a bare gateway's go on PATH next to it.
  toolPackages =
    if isBundle then
      package.passthru.tools or [ ]
    else if tools == null then
      [ ]
    else
      needTools.select tools;
  # A configured channel loads its packaged plugin by itself, as in the modules (modules/lib/plugins.nix
  # loadedPluginsOf); `plugins` names the rest.
  loadedPlugins =
    if g.pluginsAttr == null || openclawPlugins == null then
      plugins
    else
      (import ../../modules/lib/render.nix {
        inherit lib;
        gateway = g;
      }).loadedPluginsOf
        {
          inherit plugins;
          channels = settings.channels or { };
          packaged = openclawPlugins.ids;
        };
  pluginSet =
    if loadedPlugins == [ ] then
      null
    else if g.pluginsAttr == null then
      throw "${gateway} image: `plugins` names separately published plugins, which ${g.displayName} has none of (its channels are built in); remove it"
    else if openclawPlugins == null then
      throw "${gateway} image: `plugins` needs `${g.pluginsAttr}` (pass the flake's legacyPackages.<system>.${g.pluginsAttr})"
    else
      openclawPlugins;
  version = package.version or "";
  nodejs = package.passthru.nodejs or nodejs_22;
  imageConfig = import ./config.nix (
    {
      inherit gateway;
      package = "${package}";
      node = "${nodejs}";
      tini = "${tini}";
      shell = "${bashInteractive}";
      coreutils = "${coreutils}";
      util-linux = "${util-linux}";
      caBundle = "${cacert}/etc/ssl/certs/ca-bundle.crt";
      path = map toString ([ package ] ++ toolPackages ++ extraPackages ++ basePackages);
      inherit
        port
        startAsRoot
        heapMiB
        environment
        healthcheck
        version
        ;
      # the health check wants each of them active (../health-probe.nix)
      plugins = loadedPlugins;
    }
    // lib.optionalAttrs (name != null) { inherit name; }
    // lib.optionalAttrs (tag != null) { inherit tag; }
    // lib.optionalAttrs (stateDir != null) { inherit stateDir; }
    // lib.optionalAttrs (workspaceDir != null) { inherit workspaceDir; }
  );
  # The plugins' store folders are in the config (plugins.load.paths), so they are in the image's closure.
  configFile = writeText (baseNameOf imageConfig.configPath) (
    builtins.toJSON (
      import ./settings.nix { inherit lib gateway; } {
        inherit settings;
        plugins = loadedPlugins;
        defaults = imageConfig.settingsDefaults;
        pluginSettings = if pluginSet == null then { } else pluginSet.settingsFor loadedPlugins;
      }
    )
  );
  startScript = writeScript "${gateway}-container-start" imageConfig.startScript;
  # /etc (users, the config link), /bin/sh, /usr/bin/env and the start script.
  root = runCommand "${gateway}-image-root" { } ''
    mkdir -p "$out${dirOf imageConfig.configPath}" "$out/bin" "$out/usr/bin"
    ln -s ${configFile} "$out${imageConfig.configPath}"
    ln -s ${startScript} "$out${imageConfig.startScriptPath}"
    ln -s ${bashInteractive}/bin/bash "$out/bin/sh"
    ln -s ${coreutils}/bin/env "$out/usr/bin/env"
    printf '%s\n' ${lib.escapeShellArgs imageConfig.passwd} > "$out/etc/passwd"
    printf '%s\n' ${lib.escapeShellArgs imageConfig.group} > "$out/etc/group"
    printf 'hosts: files dns\npasswd: files\ngroup: files\n' > "$out/etc/nsswitch.conf"
  '';
  passthru = {
    inherit imageConfig configFile root;
    gateway = package;
  };
  meta = {
    description = "OCI image of the ${g.displayName} gateway (Nix mode, uid 1000, ${
      {
        readyz = "/readyz and channels";
        websocket = "WebSocket";
      }.${g.health}
    } health check)";
    platforms = lib.platforms.linux;
  };

  image = dockerTools.buildLayeredImage {
    inherit (imageConfig) name tag;
    contents = [
      root
      dockerTools.caCertificates
    ];
    inherit (imageConfig) fakeRootCommands config;
    maxLayers = 100;
    # Reaches only the inner stream script (streamLayeredImage), not the tarball below.
    inherit passthru;
  };
in
# buildLayeredImage returns `runCommand "<name>.tar.gz" { passthru = { imageTag; stream; }; } …` around the
# stream (pkgs/build-support/docker/default.nix): the `passthru` it is given lands on the stream derivation, and
# `meta` is not taken at all by older versions. What users build is the tarball, so its passthru (imageConfig,
# gateway, …) and meta (description, platforms) are put on it here; tests/package/nixpkgs-fidelity.test.ts
# evaluates this against a stand-in of that shape.
image.overrideAttrs (prev: {
  passthru = (prev.passthru or { }) // passthru;
  meta = (prev.meta or { }) // meta;
})
