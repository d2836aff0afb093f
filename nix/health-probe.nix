# The gateway's health probe: where a package ships it and the one command line that runs it. Said once here,
# read by nix/package.nix (passthru.healthProbe; the OpenClaw smoke test), the image's HEALTHCHECK
# (nix/image/config.nix), the units' watchdog (modules/lib/watchdog.nix) and the NixOS VM tests
# (tests/vm/default.nix). BUILTINS ONLY (nix/image/config.nix is evaluated without nixpkgs).
#
# The probe is build.json's shareFiles "health-probe.mjs", installed by nix/package.nix in share/<gateway>/:
#   Clawdbot  nix/health-probe.mjs           a WebSocket `health` request (no HTTP health endpoint)
#   OpenClaw  nix/openclaw/health-probe.mjs  /readyz 200, the --expect plugins active, every configured
#                                            channel's plugin registered and its accounts running or retrying
# Both take --url ws://HOST:PORT, --token-file or --password-file, --timeout-ms; exit 0 only when healthy.
# OpenClaw's reads the config from $OPENCLAW_CONFIG_PATH (which the units and the image set) to know the
# configured channels.
let
  # `package`: the package's store path (a string is enough: the image passes strings, the golden units a
  # fake path); `gateway`: a description of modules/lib/gateways.nix
  path = { gateway, package }: "${package}/share/${gateway.name}/health-probe.mjs";
in
{
  inherit path;

  # The probe's argv (without the Node that runs it): the gateway on HOST:PORT, the credential (a file path,
  # never the secret itself), a bound in milliseconds, and OpenClaw's plugins that must be active.
  args =
    {
      gateway,
      package,
      port,
      host ? "127.0.0.1",
      timeoutMs,
      tokenFile ? null,
      passwordFile ? null,
      expect ? [ ],
    }:
    [
      (path { inherit gateway package; })
      "--url"
      "ws://${host}:${toString port}"
      "--timeout-ms"
      (toString timeoutMs)
    ]
    ++ (if tokenFile != null then [ "--token-file" tokenFile ] else [ ])
    ++ (if passwordFile != null then [ "--password-file" passwordFile ] else [ ])
    ++ (
      if expect != [ ] then
        [
          "--expect"
          (builtins.concatStringsSep "," expect)
        ]
      else
        [ ]
    );
}
