# The OCI image of the Clawdbot gateway (`packages.<linux>.image`): dockerTools.buildLayeredImage, one layer
# per store path, so an upgrade of the gateway re-sends only its own layers. Load it with
# `docker load < result` (or `podman load`, or `skopeo copy docker-archive:result docker://…`).
#
# Everything the image does at run time (entrypoint, environment, user 1000:1000, volumes, health check, the
# start script, the folders) comes from ./config.nix, a builtins-only function tested at T0; the config
# file comes from ./settings.nix (the typed settings, tested at T1). This file only wires packages in.
#
# Customise it with `.override` (see templates/container):
#   clawdbot.packages.x86_64-linux.image.override {
#     extraPackages = [ pkgs.ffmpeg ];   # the guide's CLAWDBOT_DOCKER_APT_PACKAGES, the Nix way
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
  # The gateway bundle (clawdbotTools.bundle: a small wrapper around the one bare gateway): bin/clawdbot
  # (puts the bundled tools on PATH), share/clawdbot/health-probe.mjs, passthru.nodejs and passthru.tools.
  clawdbot,
  # The flake's pinned tools (nix/tools). With `tools` (names, e.g. [ "gogcli" "goplaces" ]) the image gets
  # another bundle of the same gateway with exactly those tools (a wrapper; the gateway is not rebuilt): the
  # guide's "bake the binaries into the image". null keeps the bundle given as `clawdbot` (the flake's
  # default tool list).
  clawdbotTools ? null,
  tools ? null,
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
  # clawdbot.json, as `services.clawdbot.settings` takes it (typed; secrets as "${ENV_VAR}" references).
  settings ? { },
  # Extra environment of the container (not secrets).
  environment ? { },
  port ? 18789,
  # Start as root, chown the volume mount points to 1000:1000, drop to 1000 (for Fly.io volumes).
  startAsRoot ? false,
  heapMiB ? null,
  healthcheck ? { },
  # null: config.nix's defaults (clawdbot:nix), which the container template's compose file and fly.toml name.
  name ? null,
  tag ? null,
}:
let
  gateway =
    if tools == null then
      clawdbot
    else if clawdbotTools == null then
      throw "clawdbot image: `tools` needs `clawdbotTools` (pass the flake's clawdbotTools, or use the overlay)"
    else
      clawdbotTools.bundle tools;
  version = gateway.version or "";
  nodejs = gateway.passthru.nodejs or nodejs_22;
  imageConfig = import ./config.nix (
    {
      clawdbot = "${gateway}";
      node = "${nodejs}";
      tini = "${tini}";
      shell = "${bashInteractive}";
      coreutils = "${coreutils}";
      util-linux = "${util-linux}";
      caBundle = "${cacert}/etc/ssl/certs/ca-bundle.crt";
      path = map toString ([ gateway ] ++ (gateway.passthru.tools or [ ]) ++ extraPackages ++ basePackages);
      inherit
        port
        startAsRoot
        heapMiB
        environment
        healthcheck
        version
        ;
    }
    // lib.optionalAttrs (name != null) { inherit name; }
    // lib.optionalAttrs (tag != null) { inherit tag; }
  );
  configFile = writeText "clawdbot.json" (
    builtins.toJSON (
      import ./settings.nix { inherit lib; } {
        inherit settings;
        defaults = imageConfig.settingsDefaults;
      }
    )
  );
  startScript = writeScript "clawdbot-container-start" imageConfig.startScript;
  # /etc (users, the config link), /bin/sh, /usr/bin/env and the start script.
  root = runCommand "clawdbot-image-root" { } ''
    mkdir -p "$out/etc/clawdbot" "$out/bin" "$out/usr/bin"
    ln -s ${configFile} "$out/etc/clawdbot/clawdbot.json"
    ln -s ${startScript} "$out${imageConfig.startScriptPath}"
    ln -s ${bashInteractive}/bin/bash "$out/bin/sh"
    ln -s ${coreutils}/bin/env "$out/usr/bin/env"
    printf '%s\n' ${lib.escapeShellArgs imageConfig.passwd} > "$out/etc/passwd"
    printf '%s\n' ${lib.escapeShellArgs imageConfig.group} > "$out/etc/group"
    printf 'hosts: files dns\npasswd: files\ngroup: files\n' > "$out/etc/nsswitch.conf"
  '';
in
dockerTools.buildLayeredImage {
  inherit (imageConfig) name tag;
  contents = [
    root
    dockerTools.caCertificates
  ];
  inherit (imageConfig) fakeRootCommands config;
  maxLayers = 100;
  passthru = {
    inherit imageConfig configFile gateway;
  };
  meta = {
    description = "OCI image of the Clawdbot gateway (Nix mode, uid 1000, WebSocket health check)";
    platforms = lib.platforms.linux;
  };
}
