# Builtins-only rendering of one gateway instance: plain option values in, the config file, the
# credentials, the environment, the launcher argv and the assertions out. Shared by the NixOS, Home
# Manager and nix-darwin modules (modules/common.nix) and evaluated as-is by the tests (T0).
#
#   (import ./modules/lib/render.nix).instance {
#     platform = "nixos";            # "nixos", "home-manager" (systemd user unit), "home-manager-darwin" or
#                                    # "darwin" (launchd)
#     name = "default";              # instance name; "default" is services.clawdbot itself
#     options = { port = 18789; … }; # instance options (missing ones take the defaults of generated/service.nix)
#     package = "/nix/store/…-clawdbot-gateway";
#     shell = "/nix/store/…-bash/bin/bash";   # runs the launcher (a POSIX sh script)
#     home = null;                   # the user's home (Home Manager, nix-darwin)
#     system = "x86_64-linux";       # for the tool check (nix/tools/select.nix)
#     path = [ ];                    # packages whose bin/ goes on PATH (tools, coreutils)
#     writeText = builtins.toFile;   # the modules pass pkgs.writeText
#   }
let
  str = import ./strings.nix;
  defaultsLib = import ./defaults.nix;
  toolSelection = import ../../nix/tools/select.nix { };

  inherit (builtins)
    all
    any
    attrNames
    concatLists
    concatMap
    concatStringsSep
    elem
    elemAt
    filter
    genList
    isAttrs
    isList
    isString
    length
    listToAttrs
    match
    toJSON
    ;

  # secretPaths of the generated settings; the rest of that file (the option types) is never forced.
  generatedSecretPaths =
    (import ../generated/settings.nix {
      lib = throw "modules/lib/render.nix: the settings types are not evaluated with builtins only";
    }).secretPaths;

  isSecretRef = value: isAttrs value && attrNames value == [ "_secret" ] && isString value._secret;

  # A string made only of literal text is a secret written in the clear; one that references an
  # environment variable (`${NAME}`, substituted by the gateway at load) is not.
  isEnvReference = value: match ".*\\$\\{[A-Z_][A-Z0-9_]*}.*" value != null;

  secretEnvName = path: "CLAWDBOT_SECRET_" + concatStringsSep "_" (map str.envComponent path);

  showPath = path: concatStringsSep "." (map toString path);

  # Every { _secret = file; } in a value, with its path.
  collectSecrets =
    path: value:
    if isSecretRef value then
      [
        {
          inherit path;
          name = secretEnvName path;
          file = value._secret;
        }
      ]
    else if isAttrs value then
      concatMap (key: collectSecrets (path ++ [ key ]) value.${key}) (attrNames value)
    else if isList value then
      concatLists (genList (i: collectSecrets (path ++ [ i ]) (elemAt value i)) (length value))
    else
      [ ];

  # The same value with every { _secret = file; } replaced by its "${CLAWDBOT_SECRET_…}" reference.
  replaceSecrets =
    path: value:
    if isSecretRef value then
      "\${${secretEnvName path}}"
    else if isAttrs value then
      builtins.mapAttrs (key: replaceSecrets (path ++ [ key ])) value
    else if isList value then
      genList (i: replaceSecrets (path ++ [ i ]) (elemAt value i)) (length value)
    else
      value;

  # The values at a secretPaths pattern ("*" = any attribute, "[]" = any list element), with their paths.
  valuesAt =
    pattern: path: value:
    if pattern == [ ] then
      [ { inherit path value; } ]
    else
      let
        head = builtins.head pattern;
        rest = builtins.tail pattern;
      in
      if head == "[]" then
        (
          if isList value then
            concatLists (genList (i: valuesAt rest (path ++ [ i ]) (elemAt value i)) (length value))
          else
            [ ]
        )
      else if isAttrs value && !(isSecretRef value) then
        (
          if head == "*" then
            concatMap (key: valuesAt rest (path ++ [ key ]) value.${key}) (attrNames value)
          else if value ? ${head} then
            valuesAt rest (path ++ [ head ]) value.${head}
          else
            [ ]
        )
      else
        [ ];

  inStore = file: str.hasPrefix "${builtins.storeDir}/" (toString file);

  # The upstream plugins that auto-enable (and then rewrite the config) when a provider is in use, from
  # dist/config/plugin-auto-enable.js of clawdbot 2026.1.24-3.
  providerPlugins = {
    "google-antigravity" = "google-antigravity-auth";
    "google-gemini-cli" = "google-gemini-cli-auth";
    "qwen-portal" = "qwen-portal-auth";
    "copilot-proxy" = "copilot-proxy";
  };

  # Providers a config refers to: auth profiles, models.providers keys, agent model references.
  providersIn =
    settings:
    let
      profiles = settings.auth.profiles or { };
      fromProfiles = map (key: profiles.${key}.provider or "") (attrNames profiles);
      fromModels = attrNames (settings.models.providers or { });
      modelRefs =
        agent:
        let
          model = agent.model or null;
        in
        (
          if isString model then
            [ model ]
          else if isAttrs model then
            filter isString ([ (model.primary or null) ] ++ (model.fallbacks or [ ]))
          else
            [ ]
        )
        ++ attrNames (agent.models or { });
      agents = [ (settings.agents.defaults or { }) ] ++ filter isAttrs (settings.agents.list or [ ]);
      fromRefs = map (ref: builtins.head (builtins.split "/" ref)) (
        filter (ref: match "[^/]+/.*" ref != null) (concatMap modelRefs agents)
      );
    in
    map str.toLower (fromProfiles ++ fromModels ++ fromRefs);

  # Plugins the gateway would switch on at start (rewriting its config file) unless the file already says
  # `plugins.entries.<id>.enabled = true`: every configured channel, and the provider plugins in use.
  autoEnabledPlugins =
    settings:
    let
      channels = settings.channels or { };
      channelIds = filter (
        key: key != "defaults" && isAttrs channels.${key} && channels.${key} != { }
      ) (attrNames channels);
      providers = providersIn settings;
      providerIds = map (p: providerPlugins.${p}) (filter (p: elem p providers) (attrNames providerPlugins));
    in
    channelIds ++ providerIds;

  renderSettings =
    {
      o,
      settings,
    }:
    let
      plugins = settings.plugins or { };
      deny = plugins.deny or [ ];
      wanted = filter (
        id: !(elem id deny) && (plugins.entries.${id}.enabled or null) != false
      ) (autoEnabledPlugins settings);
      allow = plugins.allow or null;
      generated = {
        gateway =
          {
            mode = "local";
            inherit (o) port bind;
          }
          // (if o.auth.mode != "none" then { auth.mode = o.auth.mode; } else { });
      }
      // (
        if o.logFile != null && !(settings ? logging.file) then { logging.file = o.logFile; } else { }
      )
      // (if o.workspace != null then { agents.defaults.workspace = o.workspace; } else { })
      // (
        if wanted != [ ] then
          {
            plugins =
              {
                entries = listToAttrs (
                  map (id: {
                    name = id;
                    value.enabled = true;
                  }) wanted
                );
              }
              // (
                if isList allow then { allow = allow ++ filter (id: !(elem id allow)) wanted; } else { }
              );
          }
        else
          { }
      );
    in
    str.recursiveUpdate settings generated;

  optionPrefixOf = name: if name == "default" then "services.clawdbot" else "services.clawdbot.instances.${name}";

  # `--flag value` pairs for the launcher.
  flagEach = flag: values: concatMap (v: [ flag ] ++ (if isList v then v else [ v ])) values;
in
rec {
  inherit
    collectSecrets
    replaceSecrets
    secretEnvName
    valuesAt
    autoEnabledPlugins
    optionPrefixOf
    ;
  secretPaths = generatedSecretPaths;

  instance =
    {
      platform,
      name ? "default",
      options ? { },
      package,
      shell,
      launcher ? ../launcher/clawdbot-launch.sh,
      home ? null,
      system ? "x86_64-linux",
      path ? [ ],
      writeText ? builtins.toFile,
      secretPaths ? generatedSecretPaths,
    }:
    let
      defaults = defaultsLib.options {
        inherit platform name home;
        stateDir = options.stateDir or null;
      };
      o = str.recursiveUpdate defaults options;
      prefix = optionPrefixOf name;
      suffix = defaultsLib.suffix name;
      isNixos = platform == "nixos";
      # systemd (system or user manager) reads EnvironmentFile= itself; launchd has no equivalent.
      systemd = platform == "nixos" || platform == "home-manager";

      cacheDir = defaultsLib.cacheDir { inherit platform name home; };
      tmpDir = "${cacheDir}/tmp";
      homeDir = if isNixos then o.stateDir else home;

      userSettings = str.stripNulls o.settings;

      # --- secrets -------------------------------------------------------------------------------
      settingsSecrets = collectSecrets [ ] userSettings;
      authSecrets =
        (
          if o.auth.tokenFile != null then
            [
              {
                path = null;
                name = "CLAWDBOT_GATEWAY_TOKEN";
                file = o.auth.tokenFile;
                option = "${prefix}.auth.tokenFile";
              }
            ]
          else
            [ ]
        )
        ++ (
          if o.auth.passwordFile != null then
            [
              {
                path = null;
                name = "CLAWDBOT_GATEWAY_PASSWORD";
                file = o.auth.passwordFile;
                option = "${prefix}.auth.passwordFile";
              }
            ]
          else
            [ ]
        );
      allSecrets =
        authSecrets ++ map (s: s // { option = "${prefix}.settings.${showPath s.path}._secret"; }) settingsSecrets;
      credentials = map (s: { inherit (s) name file; }) allSecrets;

      # --- the config file ------------------------------------------------------------------------
      settings = replaceSecrets [ ] (renderSettings {
        inherit o;
        settings = userSettings;
      });
      configText = toJSON settings;
      configFile = writeText "clawdbot${suffix}.json" configText;

      # --- environment ----------------------------------------------------------------------------
      environment =
        {
          CLAWDBOT_NIX_MODE = "1";
          CLAWDBOT_STATE_DIR = o.stateDir;
          CLAWDBOT_CONFIG_PATH = o.configPath;
          CLAWDBOT_NO_RESPAWN = "1";
          HOME = homeDir;
          TMPDIR = tmpDir;
        }
        // (if o.bonjour then { } else { CLAWDBOT_DISABLE_BONJOUR = "1"; })
        // (
          if o.memory.heapMiB != null then
            { NODE_OPTIONS = "--max-old-space-size=${toString o.memory.heapMiB}"; }
          else
            { }
        )
        // (if path != [ ] then { PATH = concatStringsSep ":" (map (p: "${p}/bin") path); } else { })
        // o.environment;

      # --- the command ----------------------------------------------------------------------------
      dirs = [
        o.stateDir
        tmpDir
        (str.dirOf o.configPath)
      ]
      ++ (if o.logFile != null then [ (str.dirOf o.logFile) ] else [ ])
      ++ (if o.workspace != null then [ o.workspace ] else [ ]);
      uniqueDirs = builtins.foldl' (acc: d: if elem d acc then acc else acc ++ [ d ]) [ ] dirs;

      launcherArgs =
        flagEach "--mkdir" uniqueDirs
        ++ [
          "--config"
          "${configFile}"
          o.configPath
        ]
        ++ (
          if isNixos then
            flagEach "--credential" (map (c: [ c.name c.name ]) credentials)
          else
            flagEach "--secret" (map (c: [ c.name c.file ]) credentials)
        )
        ++ (if systemd then [ ] else flagEach "--env-file" o.environmentFiles)
        ++ [
          "--jiti-seed"
          "${package}/share/clawdbot/jiti-cache"
          "--chdir"
          o.stateDir
        ];

      gatewayArgs = [
        "gateway"
        "--port"
        (toString o.port)
        "--bind"
        o.bind
      ]
      ++ o.extraArgs;

      argv = [
        (toString shell)
        "${launcher}"
      ]
      ++ launcherArgs
      ++ [
        "--"
        "${package}/bin/clawdbot"
      ]
      ++ gatewayArgs;

      # --- assertions -----------------------------------------------------------------------------
      settingsToken = userSettings.gateway.auth.token or null;
      settingsPassword = userSettings.gateway.auth.password or null;
      hasToken = o.auth.tokenFile != null || settingsToken != null;
      hasPassword = o.auth.passwordFile != null || settingsPassword != null;
      authOk = (o.auth.mode == "token" && hasToken) || (o.auth.mode == "password" && hasPassword);

      # The service options own the gateway's port, bind and auth mode (they also make the command line, the
      # firewall rule and the credentials); a different value in settings would be overridden silently.
      gatewayConflicts =
        filter (c: c.value != null && c.value != c.service) [
          {
            key = "port";
            value = userSettings.gateway.port or null;
            service = o.port;
          }
          {
            key = "bind";
            value = userSettings.gateway.bind or null;
            service = o.bind;
          }
          {
            key = "auth.mode";
            value = userSettings.gateway.auth.mode or null;
            service = o.auth.mode;
          }
        ];
      remoteMode = (userSettings.gateway.mode or "local") != "local";

      literalSecrets = filter (hit: isString hit.value && !(isEnvReference hit.value)) (
        concatMap (pattern: valuesAt pattern [ ] userSettings) secretPaths
      );

      storeFiles =
        filter (s: inStore s.file) allSecrets
        ++ map (f: {
          file = f;
          option = "${prefix}.environmentFiles";
        }) (filter inStore o.environmentFiles);

      available = toolSelection.availableFor system;
      unknownTools = filter (t: !(elem t toolSelection.names)) o.tools;
      missingTools = filter (t: elem t toolSelection.names && !(elem t available)) o.tools;

      secretNames = map (s: s.name) allSecrets;
      duplicateNames = filter (n: length (filter (m: m == n) secretNames) > 1) secretNames;

      assertions = [
        {
          assertion = gatewayConflicts == [ ];
          message = concatStringsSep "\n" (
            map (
              c:
              "${prefix}.settings.gateway.${c.key} = ${builtins.toJSON c.value} conflicts with ${prefix}.${c.key} = ${builtins.toJSON c.service}: the service options own the gateway's port, bind and auth mode. Set ${prefix}.${c.key} and remove the settings key."
            ) gatewayConflicts
          );
        }
        {
          assertion = !remoteMode;
          message = ''${prefix}.settings.gateway.mode = "${userSettings.gateway.mode or ""}": this service runs a local gateway (gateway.mode = "local"). A remote-mode config is for a CLI that talks to another gateway.'';
        }
        {
          assertion = o.bind != "custom";
          message = ''${prefix}.bind = "custom" is not usable with this gateway version (clawdbot 2026.1.24-3 rejects gateway.customBindHost in its config schema). Use "loopback", "lan", "tailnet" or "auto".'';
        }
        {
          assertion = o.bind == "loopback" || o.bind == "custom" || authOk;
          message = ''${prefix}.bind = "${o.bind}" requires ${prefix}.auth.mode = "token" with ${prefix}.auth.tokenFile set (or "password" with ${prefix}.auth.passwordFile): the gateway refuses to listen beyond loopback without authentication. Set both, or keep bind = "loopback".'';
        }
        {
          assertion = o.auth.mode == "token" -> hasToken;
          message = ''${prefix}.auth.mode = "token" requires ${prefix}.auth.tokenFile (a file outside the Nix store holding the token, e.g. "/run/agenix/clawdbot-token") or ${prefix}.settings.gateway.auth.token = { _secret = "/path/to/file"; }.'';
        }
        {
          assertion = o.auth.mode == "password" -> hasPassword;
          message = ''${prefix}.auth.mode = "password" requires ${prefix}.auth.passwordFile (a file outside the Nix store holding the password) or ${prefix}.settings.gateway.auth.password = { _secret = "/path/to/file"; }.'';
        }
        {
          assertion = o.allowInlineSecrets || literalSecrets == [ ];
          message = "${concatStringsSep ", " (map (hit: "${prefix}.settings.${showPath hit.path}") literalSecrets)} ${
            if length literalSecrets == 1 then "holds a literal secret" else "hold literal secrets"
          }, which would be written to the world-readable Nix store. Use { _secret = \"/run/secrets/…\"; } (a file read at service start) or a \"\${NAME}\" reference with ${prefix}.environmentFiles; set ${prefix}.allowInlineSecrets = true to accept the risk.";
        }
        {
          assertion = storeFiles == [ ];
          message = "${concatStringsSep ", " (map (s: "${s.option} = \"${s.file}\"") storeFiles)}: secret files must not be in the Nix store, which every local user can read. Keep them outside (e.g. /run/agenix/…, /run/secrets/…) and pass the path as a string, not a Nix path literal.";
        }
        {
          assertion = unknownTools == [ ];
          message = "${prefix}.tools: unknown tool ${concatStringsSep ", " (map (t: "\"${t}\"") unknownTools)}. Known tools: ${concatStringsSep ", " toolSelection.names}.";
        }
        {
          assertion = missingTools == [ ];
          message = "${prefix}.tools: ${concatStringsSep ", " (map (t: "\"${t}\"") missingTools)} has no release for ${system}. Remove it from ${prefix}.tools on this system, or pin a release in nix/tools/lock.json. Tools with a release for ${system}: ${concatStringsSep ", " available}.";
        }
        {
          assertion = duplicateNames == [ ];
          message = "${prefix}.settings: secrets at different paths map to the same environment variable (${concatStringsSep ", " duplicateNames}); rename one of the attributes.";
        }
      ]
      ++ (
        if isNixos then
          [
            {
              assertion = o.user == null -> str.hasPrefix "/var/lib/" o.stateDir;
              message = ''${prefix}.stateDir = "${o.stateDir}" is outside /var/lib, which systemd's StateDirectory= (used with DynamicUser) cannot manage. Set ${prefix}.user to a user that owns that directory, or keep the default.'';
            }
          ]
        else
          [ ]
      );
    in
    {
      inherit
        name
        platform
        prefix
        suffix
        settings
        configText
        configFile
        credentials
        environment
        argv
        launcherArgs
        gatewayArgs
        assertions
        cacheDir
        tmpDir
        ;
      options = o;
      launcher = "${launcher}";
      package = "${package}";
      dirs = uniqueDirs;
      execStart = concatStringsSep " " (map str.systemdExecArg argv);
      failed = map (a: a.message) (filter (a: !a.assertion) assertions);
    };

  # Assertions between instances: ports (each gateway uses its port and the next four) and paths.
  crossAssertions =
    instances:
    let
      n = length instances;
      pairs = concatLists (
        genList (i: genList (j: [ (elemAt instances i) (elemAt instances (i + j + 1)) ]) (n - i - 1)) n
      );
      collide =
        a: b:
        let
          d = a.options.port - b.options.port;
        in
        (if d < 0 then -d else d) <= 4;
    in
    concatMap (
      pair:
      let
        a = elemAt pair 0;
        b = elemAt pair 1;
      in
      [
        {
          assertion = !(collide a b);
          message = "${b.prefix}.port = ${toString b.options.port} collides with ${a.prefix}.port = ${toString a.options.port}: each gateway uses its port and the next four (browser control on +2 and +3, canvas on +4). Choose ports at least 5 apart.";
        }
        {
          assertion = a.options.stateDir != b.options.stateDir;
          message = "${b.prefix}.stateDir and ${a.prefix}.stateDir are both \"${a.options.stateDir}\": every instance needs its own state directory.";
        }
        {
          assertion = a.options.configPath != b.options.configPath;
          message = "${b.prefix}.configPath and ${a.prefix}.configPath are both \"${a.options.configPath}\": every instance needs its own config file.";
        }
      ]
    ) pairs;
}
