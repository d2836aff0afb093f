# The watchdog (`watchdog.enable`, `watchdog.interval`, `watchdog.failures`; OpenClaw's service options): a
# `<unit>-watchdog.timer` that starts `<unit>-watchdog.service` every `watchdog.interval`, a oneshot that runs
# the package's health probe (../../nix/health-probe.nix: /readyz, and every configured channel's plugin
# registered and its channel running or retrying) and restarts the gateway unit after `watchdog.failures`
# failed probes in a row (./watchdog.sh: the counting, and why a gateway that never became healthy since its
# start is not restarted). systemd's own Restart= covers a gateway that exits; this covers one that runs and
# no longer works (hung, a channel stopped, a plugin unloaded).
#
# NixOS: a system service as root (it restarts a system unit; no capabilities, a read-only system, no
# devices), the gateway token or password by LoadCredential= as the gateway unit reads it (never in the
# store), the counts in RuntimeDirectory=. Home Manager (Linux): a user service with `systemctl --user`, the
# token file read as the user. launchd (nix-darwin, Home Manager on macOS) has no watchdog: KeepAlive restarts
# a gateway that exits, nothing probes one that runs; `watchdog.enable = true` there is an assertion.
#
#   watchdog = import ./watchdog.nix { inherit lib gateway writeText; };
#   watchdog.instance {
#     r;              # the instance's rendering (./render.nix instance)
#     serviceName;    # "openclaw", "openclaw-<name>"
#     shell;          # a POSIX shell (store path)
#     node;           # the Node that runs the probe (the package's passthru.nodejs)
#     systemctl;      # systemd's systemctl (store path of the program)
#   }
#   → { enabled; assertions; serviceName; timerName; script; argv; nixos = { service; timer; };
#       user = { service; timer; }; }   (NixOS' systemd.services/timers values, Home Manager's user units)
{
  lib,
  gateway,
  writeText ? builtins.toFile,
}:
let
  probe = import ../../nix/health-probe.nix;
  env = gateway.envPrefix;
  inherit (import ./command.nix { inherit lib gateway; }) systemdQuote;
in
{
  instance =
    {
      r,
      serviceName,
      shell,
      node,
      systemctl,
    }:
    let
      o = r.options;
      # only OpenClaw declares the options (generator/schema/service.ts)
      cfg = o.watchdog or {
        enable = false;
        interval = "1min";
        failures = 3;
      };
      launchd = r.platform == "darwin" || r.platform == "home-manager-darwin";
      enabled = cfg.enable && !launchd;
      nixos = r.platform == "nixos";
      unitName = "${serviceName}.service";
      name = "${serviceName}-watchdog";
      script = writeText "${gateway.name}-watchdog.sh" (builtins.readFile ./watchdog.sh);

      # the gateway's credential, as a file the probe reads: the token (auth.tokenFile, the generated one, a
      # settings secret) or the password; on NixOS passed in by LoadCredential= (%d: the credentials folder)
      settingsSecret =
        key:
        let
          v = r.userSettings.gateway.auth.${key} or null;
        in
        if builtins.isAttrs v then v._secret or null else null;
      tokenFile = if r.tokenFile != null then r.tokenFile else settingsSecret "token";
      passwordFile = if o.auth.passwordFile != null then o.auth.passwordFile else settingsSecret "password";
      credential =
        kind: file:
        if file == null then
          null
        else
          {
            name = "${env}_GATEWAY_${kind}";
            inherit file;
            path = if nixos then "%d/${env}_GATEWAY_${kind}" else toString file;
          };
      credentials = builtins.filter (c: c != null) [
        (credential "TOKEN" tokenFile)
        (credential "PASSWORD" passwordFile)
      ];
      credentialPath = kind: (lib.findFirst (c: c.name == "${env}_GATEWAY_${kind}") { path = null; } credentials).path;

      # where the gateway listens for a local client: a custom bind host, else loopback
      host = if o.bind == "custom" then r.userSettings.gateway.customBindHost or "127.0.0.1" else "127.0.0.1";

      argv = [
        "${shell}"
        "${script}"
        "--unit"
        unitName
        "--failures"
        (toString cfg.failures)
        "--systemctl"
        "${systemctl}"
      ]
      ++ lib.optional (!nixos) "--user"
      ++ [
        "--"
        "${node}/bin/node"
      ]
      ++ probe.args {
        inherit gateway host;
        package = r.package;
        inherit (o) port;
        # below the oneshot's own bound (TimeoutStartSec= below)
        timeoutMs = 15000;
        tokenFile = credentialPath "TOKEN";
        passwordFile = credentialPath "PASSWORD";
        expect = o.plugins or [ ];
      };
      execStart = lib.concatStringsSep " " argv;

      # what the probe needs and nothing more: loopback (or the bind host), systemctl's socket, the store
      hardening =
        import ./hardening.nix { inherit gateway; }
        // {
          RestrictSUIDSGID = true;
          RestrictAddressFamilies = [
            "AF_INET"
            "AF_INET6"
            "AF_UNIX"
          ];
        };
      serviceConfig = {
        Type = "oneshot";
        ExecStart = execStart;
        # the counts, across the oneshot's runs (until reboot)
        RuntimeDirectory = name;
        RuntimeDirectoryPreserve = true;
        TimeoutStartSec = "1min";
        UMask = "0077";
      }
      // hardening;
      # the probe reads the config to know the configured channels: the store file the gateway runs with
      environment = {
        "${env}_CONFIG_PATH" = "${r.configFile}";
      };
      description = "${gateway.displayName} gateway watchdog${if r.name == "default" then "" else " (${r.name})"}";
      timerConfig = {
        OnActiveSec = cfg.interval;
        OnUnitActiveSec = cfg.interval;
        # timers fire within a minute of their time by default (AccuracySec=1min): probe on time
        AccuracySec = "1s";
      };
    in
    {
      inherit enabled script argv name;
      serviceName = "${name}";
      timerName = "${name}";
      assertions = [
        {
          assertion = cfg.enable -> !launchd;
          message = "${r.prefix}.watchdog.enable: launchd (macOS) has no watchdog: KeepAlive restarts a gateway that exits, and nothing runs the health probe on a schedule there. Set ${r.prefix}.watchdog.enable = false on macOS.";
        }
      ];

      # NixOS: systemd.services.<name>, systemd.timers.<name>
      nixos = {
        service = {
          inherit description environment;
          documentation = [ gateway.documentation ];
          after = [ unitName ];
          # the timer is the rate: no start limit (a short interval would otherwise hit the default 5 in 10 s)
          startLimitIntervalSec = 0;
          serviceConfig =
            serviceConfig
            // lib.optionalAttrs (credentials != [ ]) {
              LoadCredential = map (c: "${c.name}:${toString c.file}") credentials;
            }
            // {
              # a system service as root (it restarts a system unit), with no capability and nothing writable
              # but its RuntimeDirectory=
              CapabilityBoundingSet = "";
              AmbientCapabilities = "";
              DevicePolicy = "closed";
              PrivateDevices = true;
              PrivateTmp = true;
              ProtectClock = true;
              ProtectControlGroups = true;
              ProtectHome = true;
              ProtectHostname = true;
              ProtectKernelLogs = true;
              ProtectKernelModules = true;
              ProtectKernelTunables = true;
              ProtectProc = "invisible";
              ProcSubset = "pid";
              ProtectSystem = "strict";
            };
        };
        timer = {
          inherit description;
          documentation = [ gateway.documentation ];
          wantedBy = [ "timers.target" ];
          inherit timerConfig;
        };
      };

      # Home Manager: systemd.user.services.<name>, systemd.user.timers.<name>
      user = {
        service = {
          Unit = {
            Description = description;
            Documentation = [ gateway.documentation ];
            After = [ unitName ];
            StartLimitIntervalSec = 0;
          };
          Service = serviceConfig // {
            Environment = map (n: systemdQuote "${n}=${environment.${n}}") (builtins.attrNames environment);
          };
        };
        timer = {
          Unit = {
            Description = description;
            Documentation = [ gateway.documentation ];
          };
          Timer = timerConfig;
          Install.WantedBy = [ "timers.target" ];
        };
      };
    };
}
