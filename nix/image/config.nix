# The OCI image's configuration, as data: entrypoint, environment, user, volumes, health check, the start
# script, the passwd/group lines and the folders the image creates, for either gateway (`gateway`, a name of
# modules/lib/gateways.nix). BUILTINS ONLY (no nixpkgs `lib`, no `pkgs`): nix/image/default.nix passes store
# paths in as strings, and tests/image/config.test.ts evaluates this file with nix-instantiate, then runs the
# start script and the health check against a real gateway.
#
# Layout inside the image (the deployment guide's Docker layout: user `node`, uid/gid 1000, home /home/node):
#                 Clawdbot (`clawdbot:nix`)        OpenClaw (`openclaw:nix`)
#   state         /home/node/.clawdbot             /home/node/.openclaw          <PREFIX>_STATE_DIR — a volume
#   workspace     /home/node/clawd                 /home/node/workspace          the agents'        — a volume
#   config        /etc/clawdbot/clawdbot.json      /etc/openclaw/openclaw.json   a link into the Nix store
#                 (read-only: run-time writes such as `config.set` fail and the gateway runs on)
{
  # Which gateway, always given: a name of modules/lib/gateways.nix ("clawdbot", "openclaw"), whose description
  # (modules/generated/<gateway>/gateway.json) gives the names, paths, environment prefix and health check.
  gateway,
  # Store path of the gateway package (bin/<gateway>, and share/<gateway>/health-probe.mjs, the health check:
  # ../health-probe.nix). `clawdbot` is its older name.
  clawdbot ? null,
  package ? clawdbot,
  # Store path of the Node that runs the health check (the gateway's own: 22 for Clawdbot, 24 for OpenClaw).
  node,
  # Store paths of tini (PID 1: reaps the agent's child processes, forwards signals), a POSIX shell
  # (bin/sh), coreutils (id, mkdir, chown) and util-linux (setpriv; used only when startAsRoot).
  tini,
  shell,
  coreutils,
  util-linux ? null,
  # The CA bundle file (HTTPS to model providers and channels).
  caBundle,
  # Store paths whose bin/ go on PATH, in this order: baked tools, extra packages, base utilities.
  path ? [ ],
  # The gateway's port inside the container: the entrypoint, the health check and EXPOSE all use it.
  port ? 18789,
  uid ? 1000,
  gid ? 1000,
  userName ? "node",
  home ? "/home/${userName}",
  stateDir ? "${home}/.${gateway}",
  # gateway.json image.workspace: Clawdbot's own default (~/clawd); OpenClaw's own (~/.openclaw/workspace) would
  # nest one volume in the other, so ~/workspace.
  workspaceDir ? "${home}/${(import ../../modules/lib/gateways.nix).${gateway}.image.workspace or "workspace"}",
  # (each gateway's name is its folder and its config file's: gateways.nix configFileName)
  configPath ? "/etc/${gateway}/${gateway}.json",
  # Start as root, hand the state and workspace folders to uid:gid, then drop to it (setpriv). For hosts
  # whose volumes are mounted root-owned (Fly.io). Off: the image's USER is uid:gid from the start.
  startAsRoot ? false,
  # V8 heap limit (NODE_OPTIONS=--max-old-space-size); null keeps Node's default.
  heapMiB ? null,
  # Extra environment (not secrets: they land in the image config; pass secrets with `docker run -e`,
  # an env_file or `fly secrets`).
  environment ? { },
  # Seconds. Clawdbot's cold start on 2 vCPU is 35–44 s without the package's jiti cache, ~10 s with it;
  # OpenClaw is ready (/readyz) 10–16 s after the start.
  healthcheck ? { },
  # OpenClaw: the ids of the separately published plugins the config loads (nix/openclaw/plugins.nix): the
  # health check also wants each one active in the running gateway (--expect).
  plugins ? [ ],
  version ? "",
  # The image's name and tag (`docker load` gives name:tag; docker-compose.yml and fly.toml name it).
  name ? gateway,
  tag ? "nix",
}:
let
  inherit (builtins) concatStringsSep map attrNames listToAttrs;
  gateways = import ../../modules/lib/gateways.nix;
  g =
    gateways.${gateway}
      or (throw "nix/image: gateway must be one of ${builtins.toJSON (attrNames gateways)}, not ${builtins.toJSON gateway}");
  p = g.envPrefix;
  hc = {
    interval = 30;
    timeout = 20;
    startPeriod = 120;
    retries = 3;
  } // healthcheck;
  seconds = s: s * 1000000000; # Docker wants nanoseconds
  owner = "${toString uid}:${toString gid}";
  gatewayArgs = [
    "gateway"
    "--port"
    (toString port)
    # Inside a container the gateway must listen on all interfaces for the port mapping (docker -p, Fly's
    # proxy) to reach it; the gateway refuses that without a token or password: <PREFIX>_GATEWAY_TOKEN.
    # Always explicit: OpenClaw's own default in a container is `auto` (0.0.0.0, whatever the config says
    # elsewhere), Clawdbot's is loopback.
    "--bind"
    "lan"
  ];
  shQuote = s: "'" + builtins.replaceStrings [ "'" ] [ "'\\''" ] s + "'";
  # the same environment as the services' (modules/lib/environment.nix), with what a container adds
  env = import ../../modules/lib/environment.nix {
    gateway = g;
    inherit stateDir configPath home path heapMiB;
    # no mDNS in a container network
    bonjour = false;
    # lock file and jiti cache: never on a volume (a lock left there would outlive the container)
    tmpDir = "/tmp";
    extra = {
      NODE_ENV = "production";
      LANG = "C.UTF-8";
      SSL_CERT_FILE = caBundle;
      NIX_SSL_CERT_FILE = caBundle;
    }
    // environment;
  };
  startScript = ''
    #!${shell}/bin/sh
    # Starts the ${g.displayName} gateway in the container (generated by nix/image/config.nix).
    set -eu
    if [ "$(${coreutils}/bin/id -u)" = 0 ]; then
    ${
      if startAsRoot then
        ''
          # Started as root (startAsRoot): the volumes may be root-owned (Fly.io). Give the folders to the
          # gateway's user (not recursive: only the mount points), then drop to that user for good.
          for d in ${shQuote home} ${shQuote stateDir} ${shQuote workspaceDir}; do
            ${coreutils}/bin/mkdir -p "$d"
            ${coreutils}/bin/chown ${owner} "$d"
          done
          exec ${util-linux}/bin/setpriv --reuid=${toString uid} --regid=${toString gid} --clear-groups -- "$0" "$@"''
      else
        ''
          echo "${g.name}: running as root; the image is meant to run as ${owner} (docker run --user ${owner})" >&2''
    }
    fi
    if [ -z "''${${p}_GATEWAY_TOKEN:-}''${${p}_GATEWAY_PASSWORD:-}" ]; then
      echo "${g.name}: ${p}_GATEWAY_TOKEN is not set; the gateway listens on all interfaces of the container and refuses to start without a token (set it in .env for compose, with 'fly secrets set' on Fly.io)" >&2
    fi
    exec ${package}/bin/${g.name} ${concatStringsSep " " (map shQuote gatewayArgs)} "$@"
  '';
  startScriptPath = "/bin/${g.name}-container-start";
  # CMD-SHELL (/bin/sh -c): Docker reserves exit status 2 (the WebSocket probe's refused connect), so every
  # failure is reported as 1. The package's own probe (../health-probe.nix), for either gateway, with the token
  # from <PREFIX>_GATEWAY_TOKEN (the container has it) and the config from <PREFIX>_CONFIG_PATH (env below):
  #   Clawdbot: a WebSocket `health` request (it has no HTTP health endpoint: every GET is the Control UI);
  #   OpenClaw: /readyz 200 and, when the config configures channels or `plugins` names plugins, each plugin
  #   active and each configured channel running or retrying (nix/openclaw/health-probe.mjs). /readyz alone
  #   is not enough: a channel plugin that failed during register leaves it at 200 {"ready":true} (measured,
  #   2026.9.6). "healthy" in `docker ps` then means a gateway that answers and runs what it was configured to.
  shArg = s: if builtins.match "[A-Za-z0-9_./:=,+@%-]+" s != null then s else shQuote s;
  healthTest = [
    "CMD-SHELL"
    "${node}/bin/node ${
      concatStringsSep " " (
        map shArg (
          (import ../health-probe.nix).args {
            gateway = g;
            inherit package port;
            expect = plugins;
            timeoutMs = (hc.timeout - 2) * 1000;
          }
        )
      )
    } || exit 1"
  ];
  directories = [
    {
      path = home;
      mode = "0755";
      owner = owner;
    }
    {
      path = stateDir;
      mode = "0700";
      owner = owner;
    }
    {
      path = workspaceDir;
      mode = "0755";
      owner = owner;
    }
    {
      path = "/tmp";
      mode = "1777";
      owner = "0:0";
    }
  ];
in
{
  inherit
    gateway
    name
    tag
    port
    home
    stateDir
    workspaceDir
    configPath
    env
    gatewayArgs
    startScript
    startScriptPath
    directories
    ;
  # /etc/passwd and /etc/group (the gateway and Node's os.userInfo() need the user to exist).
  passwd = [
    "root:x:0:0:root:/root:/bin/sh"
    "${userName}:x:${toString uid}:${toString gid}:${g.displayName} gateway:${home}:/bin/sh"
    "nobody:x:65534:65534:nobody:/var/empty:/bin/false"
  ];
  group = [
    "root:x:0:"
    "${userName}:x:${toString gid}:"
    "nogroup:x:65534:"
  ];
  # Defaults merged under the user's settings (each can be overridden): the config says what the
  # entrypoint does, so `clawdbot health` / `openclaw health` inside the container finds the gateway.
  settingsDefaults = {
    gateway = {
      mode = "local";
      inherit port;
      bind = "lan";
    };
    agents.defaults.workspace = workspaceDir;
  }
  // (
    # OpenClaw logs to a file of its own as well, /tmp/openclaw/openclaw-<date>.log unless logging.file
    # says where: on the state volume, as the modules do (<stateDir>/logs/gateway.log).
    if g.image.logToStateDir then { logging.file = "${stateDir}/logs/gateway.log"; } else { }
  );
  # Run by dockerTools under fakeroot, in the image's root (paths relative to it).
  fakeRootCommands = concatStringsSep "\n" (
    map (d: ''
      mkdir -p .${d.path}
      chmod ${d.mode} .${d.path}
      chown ${d.owner} .${d.path}'') directories
  );
  # The Docker image config (https://github.com/moby/moby/blob/master/image/spec/spec.md).
  config = {
    Entrypoint = [
      "${tini}/bin/tini"
      "--"
      startScriptPath
    ];
    # Extra arguments of `clawdbot gateway` (e.g. `--verbose`): `docker run IMAGE --verbose`.
    Cmd = [ ];
    Env = map (name: "${name}=${env.${name}}") (attrNames env);
    User = if startAsRoot then "0:0" else owner;
    WorkingDir = home;
    Volumes = listToAttrs (
      map
        (p: {
          name = p;
          value = { };
        })
        [
          stateDir
          workspaceDir
        ]
    );
    ExposedPorts = {
      "${toString port}/tcp" = { };
    };
    # the package's probe (healthTest above)
    Healthcheck = {
      Test = healthTest;
      Interval = seconds hc.interval;
      Timeout = seconds hc.timeout;
      StartPeriod = seconds hc.startPeriod;
      Retries = hc.retries;
    };
    StopSignal = "SIGTERM";
    Labels = {
      "org.opencontainers.image.title" = g.name;
      "org.opencontainers.image.description" = "The ${g.displayName} gateway (Nix mode), built with Nix dockerTools";
      "org.opencontainers.image.version" = version;
    };
  };
}
