# The per-user service of one Clawdbot gateway instance: the systemd user unit Home Manager installs on Linux,
# and the launchd agent Home Manager and nix-darwin install on macOS. modules/home-manager.nix sets
# `systemd.user.services.<serviceName> = unit` and `launchd.agents.<serviceName>.config = agent`;
# modules/darwin.nix sets `launchd.user.agents.<serviceName>.serviceConfig = agent`.
#
#   import ./modules/lib/hm-unit.nix {
#     inherit lib;                    # nixpkgs lib
#     package = "/nix/store/…-clawdbot-gateway";
#     shell = "/bin/sh";              # Home Manager: pkgs.runtimeShell
#     home = "/home/alice";           # the user's home
#     darwin = false;                 # true: launchd conventions (caches under ~/Library/Caches, env files
#                                     # read by the launcher)
#     platform = null;                # "darwin" for nix-darwin (default: Home Manager)
#     name = "default"; path = [ ]; system = "x86_64-linux";
#     options = config.services.clawdbot;   # the instance's option values
#   }
#   → {
#     serviceName = "clawdbot"; unitName = "clawdbot.service";
#     unit = { Unit = { … }; Service = { … }; Install = { WantedBy = [ "default.target" ]; }; };
#     agent = { Label; ProgramArguments; EnvironmentVariables; KeepAlive; RunAtLoad; StandardOutPath; … };
#     configText; configFile; launcher; environment; credentials; argv; execStart; assertions; failed;
#     cliName; cliScript; tokenFile; storeFiles = [ configFile launcher <backup script> ];
#     limits (./memory.nix); backup (./backup.nix); watchdog (./watchdog.nix: its user units);
#   }
#
# The tests call it through tests/support/nix/hm-unit.nix (option defaults, a lib stand-in at T0, and the
# unit file written the way Home Manager writes it; T1 compares that with Home Manager's own).
args@{
  lib,
  gateway ? throw "modules/lib/hm-unit.nix: the `gateway` argument is required: a description of modules/lib/gateways.nix, e.g. gateway = (import ./modules/lib/gateways.nix).openclaw;",
  writeText ? builtins.toFile,
  darwin ? false,
  platform ? null,
  home,
  ...
}:
let
  render = import ./render.nix { inherit lib gateway; };

  r = render.instance (
    builtins.removeAttrs args [
      "writeText"
      "darwin"
      "platform"
      "lib"
      "gateway"
      "node"
      "systemctl"
    ]
    // {
      inherit writeText home;
      platform =
        if platform != null then
          platform
        else if darwin then
          "home-manager-darwin"
        else
          "home-manager";
    }
  );
  o = r.options;

  # memory.profile → MemoryMax=, MemoryHigh=, OOMScoreAdjust= (./memory.nix; launchd has none: only the heap
  # limit, in the environment); the backup before an upgrade (./backup.nix): ExecStartPre=, or in front of the
  # launcher under launchd
  limits = (import ./memory.nix).limits o.memory;
  backup = import ./backup.nix {
    inherit lib gateway writeText;
    inherit (args) package shell;
    inherit (r) prefix;
    options = o;
  };

  serviceName = "${gateway.name}${r.suffix}";
  # watchdog.enable: the user units <serviceName>-watchdog.timer and .service (./watchdog.nix; none under
  # launchd: an assertion)
  watchdog = (import ./watchdog.nix { inherit lib gateway writeText; }).instance {
    inherit r serviceName;
    inherit (args) shell;
    node = args.node or (throw "modules/lib/hm-unit.nix: watchdog.enable needs the `node` argument (the Node that runs the health probe)");
    systemctl = args.systemctl or (throw "modules/lib/hm-unit.nix: watchdog.enable needs the `systemctl` argument");
  };
  envNames = builtins.attrNames r.environment;

  unit = {
    Unit = {
      Description = "${gateway.displayName} gateway${if r.name == "default" then "" else " (${r.name})"}";
      Documentation = [ gateway.documentation ];
      # Home Manager restarts the unit when this changes (sd-switch); the gateway's own reload watcher
      # does not follow a new symlink target.
      X-Restart-Triggers = [ "${r.configFile}" ];
      # A gateway that keeps failing at start stops being restarted (see modules/lib/nixos-unit.nix).
      StartLimitBurst = 5;
      StartLimitIntervalSec = 120;
    };
    Service =
      {
        Type = "simple";
        ExecStart = r.execStart;
        Environment = map (n: render.systemdQuote "${n}=${r.environment.${n}}") envNames;
        Restart = "on-failure";
        RestartSec = "5s";
        # 78: the launcher found the configuration unusable; fail once, with the reason in the journal.
        RestartPreventExitStatus = 78;
        # A cold start (no jiti cache) takes 35–45 s on 2 vCPU.
        TimeoutStartSec = "5min";
        UMask = "0077";
      }
      // r.stopPolicy
      # the hardening a user unit can have (./hardening.nix)
      // import ./hardening.nix {
        inherit gateway;
        userUnit = true;
      }
      // (if o.environmentFiles != [ ] then { EnvironmentFile = o.environmentFiles; } else { })
      // (if backup.enabled then { ExecStartPre = backup.execStartPre; } else { })
      // (import ./memory.nix).unitSettings limits;
    # default.target: started with the user manager — at boot when the user lingers.
    Install.WantedBy = [ "default.target" ];
  };

  logFile = "${home}/Library/Logs/${gateway.name}-gateway${r.suffix}.log";
  agent = {
    Label = "${gateway.launchdLabel}${if r.name == "default" then "" else ".${r.name}"}";
    ProgramArguments = backup.wrap r.argv;
    EnvironmentVariables = r.environment;
    # Restarted whenever it exits; started at login (Home Manager) or at load (nix-darwin).
    KeepAlive = true;
    RunAtLoad = true;
    ProcessType = "Background";
    ThrottleInterval = 10;
    # how long a stop may take before SIGKILL (launchd's default is 20 s): the units' TimeoutStopSec
    # (./gateways.nix stop: OpenClaw drains running agent turns for up to 330 s)
    ExitTimeOut = gateway.stop.timeoutSec;
    StandardOutPath = logFile;
    StandardErrorPath = logFile;
  };
in
{
  inherit
    serviceName
    unit
    agent
    ;
  inherit backup limits watchdog;
  assertions = r.assertions ++ backup.assertions ++ watchdog.assertions;
  failed = r.failed ++ map (a: a.message) (builtins.filter (a: !a.assertion) (backup.assertions ++ watchdog.assertions));
  inherit (r)
    configText
    configFile
    launcher
    credentials
    environment
    argv
    execStart
    settings
    options
    tokenFile
    cliName
    cliScript
    ;
  unitName = "${serviceName}.service";
  launchdLogFile = logFile;
  storeFiles = [
    r.configFile
    r.launcher
  ]
  ++ (if backup.enabled then [ backup.script ] else [ ])
  ++ (if watchdog.enabled then [ watchdog.script ] else [ ]);
  render = r;
}
