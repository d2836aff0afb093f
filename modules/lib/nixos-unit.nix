# One NixOS system unit of the Clawdbot gateway: modules/nixos.nix sets `systemd.services.<serviceName>` from
# `service` below (NixOS writes the unit file), plus the tmpfiles rules and the owner's CLI.
#
#   import ./modules/lib/nixos-unit.nix {
#     inherit lib;                                 # nixpkgs lib
#     package = "/nix/store/…-clawdbot-gateway";  # its bin/clawdbot is run; share/clawdbot/jiti-cache seeds TMPDIR
#     shell = "/bin/sh";                           # a POSIX shell for the launcher (NixOS: pkgs.runtimeShell)
#     name = "default";                            # instance name: "default" → clawdbot.service,
#                                                  # "<other>" → clawdbot-<other>.service
#     path = [ ];                                  # packages whose bin/ goes on PATH (NixOS adds coreutils …)
#     system = "x86_64-linux";                     # for the tool check
#     options = config.services.clawdbot;          # the instance's option values
#   }
#   → {
#     serviceName = "clawdbot"; unitName = "clawdbot.service";
#     service = { description; wantedBy; after; wants; environment; path; restartTriggers; serviceConfig; … };
#     configText; configFile; launcher; environment; credentials; argv; execStart; assertions; failed;
#     tmpfilesRules; cliName; cliScript; tokenFile; storeFiles = [ configFile launcher <backup script> ];
#     limits (./memory.nix); backup (./backup.nix); watchdog (./watchdog.nix: its timer and service);
#   }
#
# The tests call it through tests/support/nix/nixos-unit.nix (option defaults, a lib stand-in at T0, and the
# unit file written the way NixOS writes it).
args@{
  lib,
  gateway ? throw "modules/lib/nixos-unit.nix: the `gateway` argument is required: a description of modules/lib/gateways.nix, e.g. gateway = (import ./modules/lib/gateways.nix).openclaw;",
  writeText ? builtins.toFile,
  ...
}:
let
  render = import ./render.nix { inherit lib gateway; };

  r = render.instance (
    {
      platform = "nixos";
      home = null;
    }
    // builtins.removeAttrs args [
      "writeText"
      "lib"
      "gateway"
      "node"
      "systemctl"
    ]
    // {
      inherit writeText;
    }
  );
  o = r.options;

  # memory.profile → MemoryMax=, MemoryHigh=, OOMScoreAdjust= (./memory.nix; the heap limit is in the
  # environment); the backup before an upgrade (./backup.nix): ExecStartPre=
  limits = (import ./memory.nix).limits o.memory;
  backup = import ./backup.nix {
    inherit lib gateway writeText;
    inherit (args) package shell;
    inherit (r) prefix;
    options = o;
  };

  serviceName = "${gateway.name}${r.suffix}";
  # watchdog.enable: <serviceName>-watchdog.timer and .service (./watchdog.nix); `node` runs the probe,
  # `systemctl` restarts the unit
  watchdog = (import ./watchdog.nix { inherit lib gateway writeText; }).instance {
    inherit r serviceName;
    inherit (args) shell;
    node = args.node or (throw "modules/lib/nixos-unit.nix: watchdog.enable needs the `node` argument (the Node that runs the health probe)");
    systemctl = args.systemctl or (throw "modules/lib/nixos-unit.nix: watchdog.enable needs the `systemctl` argument");
  };
  stateUnderVarLib = lib.hasPrefix "/var/lib/" o.stateDir;
  # the backup folder: a second StateDirectory= under /var/lib, else a folder opened like the others below
  backupUnderVarLib = backup.enabled && lib.hasPrefix "/var/lib/" backup.directory;
  stateDirectories =
    (if stateUnderVarLib then [ (lib.removePrefix "/var/lib/" o.stateDir) ] else [ ])
    ++ (if backupUnderVarLib then [ (lib.removePrefix "/var/lib/" backup.directory) ] else [ ]);

  # Folders the gateway writes beyond StateDirectory= and CacheDirectory=. ProtectSystem=strict makes the
  # rest of the file system read-only (ReadWritePaths= opens a folder again); ProtectHome hides /home, /root
  # and /run/user, so a folder there is bound into an empty tmpfs (ProtectHome=tmpfs + BindPaths=) and the
  # rest of the homes stay hidden. modules/nixos.nix creates each folder for the service's user.
  writableDirs =
    (if stateUnderVarLib then [ ] else [ o.stateDir ])
    ++ r.writableDirs
    ++ (if backup.enabled && !backupUnderVarLib then [ backup.directory ] else [ ]);
  # systemd-tmpfiles lines that create them for the service's user (a real user is asserted when there are
  # any beyond the state directory; StateDirectory= and CacheDirectory= need none).
  tmpfilesRules = if o.user == null then [ ] else map (dir: "d ${dir} 0700 ${o.user} ${if o.group != null then o.group else o.user} - -") writableDirs;
  underHome = d: builtins.any (h: render.isWithin h d) [ "/home" "/root" "/run/user" ];
  boundDirs = builtins.filter underHome writableDirs;
  readWriteDirs = builtins.filter (d: !(underHome d)) writableDirs;

  # NixOS sets PATH from the `path` option; the rest of the environment is rendered as is.
  environment = builtins.removeAttrs r.environment [ "PATH" ];

  serviceConfig =
    {
      Type = "simple";
      ExecStart = r.execStart;
      Restart = "on-failure";
      RestartSec = "5s";
      # 78 (EX_CONFIG): the launcher found the configuration unusable (a secret or environment file it
      # cannot read, a referenced variable without a value): fail once, with the reason in the journal.
      RestartPreventExitStatus = 78;
      # A cold start (no jiti cache) takes 35–45 s on 2 vCPU.
      TimeoutStartSec = "5min";
      WorkingDirectory = o.stateDir;
      CacheDirectory = "${gateway.name}${r.suffix}";
      CacheDirectoryMode = "0700";
      UMask = "0077";
      # Node raises its open-files soft limit itself; give it room (setrlimit is filtered below).
      LimitNOFILE = 65536;
    }
    // (
      if o.user == null then
        { DynamicUser = true; }
      else
        {
          User = o.user;
          Group = if o.group != null then o.group else o.user;
        }
    )
    // (
      if stateDirectories != [ ] then
        {
          StateDirectory = if builtins.length stateDirectories == 1 then builtins.head stateDirectories else stateDirectories;
          StateDirectoryMode = "0700";
        }
      else
        { }
    )
    // (if backup.enabled then { ExecStartPre = backup.execStartPre; } else { })
    // (if readWriteDirs != [ ] then { ReadWritePaths = readWriteDirs; } else { })
    // (if boundDirs != [ ] then { BindPaths = boundDirs; } else { })
    // (
      if r.credentials != [ ] then
        { LoadCredential = map (c: "${c.name}:${c.file}") r.credentials; }
      else
        { }
    )
    // (if o.environmentFiles != [ ] then { EnvironmentFile = o.environmentFiles; } else { })
    // (import ./memory.nix).unitSettings limits
    // r.stopPolicy
    # Hardening: what needs no privilege (./hardening.nix: seccomp, NoNewPrivileges, address families,
    # namespaces), then what a system unit can add: no capabilities, private /tmp, devices, users and mounts,
    # a read-only system, hidden homes, kernel and clock protected.
    // import ./hardening.nix { inherit gateway; }
    // {
      AmbientCapabilities = "";
      CapabilityBoundingSet = "";
      DevicePolicy = "closed";
      PrivateDevices = true;
      PrivateMounts = true;
      PrivateTmp = true;
      PrivateUsers = true;
      ProcSubset = "pid";
      ProtectClock = true;
      ProtectControlGroups = true;
      ProtectHome = if boundDirs != [ ] then "tmpfs" else true;
      ProtectHostname = true;
      ProtectKernelLogs = true;
      ProtectKernelModules = true;
      ProtectKernelTunables = true;
      ProtectProc = "invisible";
      ProtectSystem = "strict";
      RemoveIPC = true;
    };

  # A gateway that keeps failing at start (5 starts within 2 minutes) stops being restarted: the unit is
  # failed ("start-limit-hit") with the reasons in the journal, instead of looping every RestartSec.
  startLimitBurst = 5;
  startLimitIntervalSec = 120;

  service = {
    description = "${gateway.displayName} gateway${if r.name == "default" then "" else " (${r.name})"}";
    documentation = [ gateway.documentation ];
    wantedBy = [ "multi-user.target" ];
    after = [ "network-online.target" ];
    wants = [ "network-online.target" ];
    inherit environment;
    path = args.path or [ ];
    # The config file is in ExecStart already; listing it makes switch-to-configuration restart the
    # gateway whenever it changes (the gateway's own reload watcher does not follow a new symlink target).
    restartTriggers = [ r.configFile ];
    inherit startLimitBurst startLimitIntervalSec serviceConfig;
  };

in
{
  inherit
    serviceName
    service
    environment
    writableDirs
    tmpfilesRules
    ;
  inherit backup limits watchdog;
  assertions = r.assertions ++ backup.assertions ++ watchdog.assertions;
  failed = r.failed ++ map (a: a.message) (builtins.filter (a: !a.assertion) (backup.assertions ++ watchdog.assertions));
  inherit (r)
    configText
    configFile
    launcher
    credentials
    argv
    execStart
    settings
    options
    tokenFile
    cliName
    cliScript
    ;
  unitName = "${serviceName}.service";
  storeFiles = [
    r.configFile
    r.launcher
  ]
  ++ (if backup.enabled then [ backup.script ] else [ ])
  ++ (if watchdog.enabled then [ watchdog.script ] else [ ]);
  render = r;
}
