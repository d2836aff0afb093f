# Rendering of one gateway instance: its option values (as the module system computed them) in; the config
# file, the credentials, the environment, the launcher argv, the owner's CLI and the assertions out. Shared by
# the NixOS, Home Manager and nix-darwin modules (modules/common.nix) and the image (nix/image/settings.nix).
#
#   (import ./modules/lib/render.nix { inherit lib; }).instance {
#     platform = "nixos";            # "nixos", "home-manager" (systemd user unit), "home-manager-darwin" or
#                                    # "darwin" (launchd)
#     name = "default";              # instance name; "default" is services.clawdbot itself
#     options = { port = 18789; … }; # the instance's option values, every option (config.services.clawdbot)
#     package = "/nix/store/…-clawdbot-gateway";
#     shell = "/nix/store/…-bash/bin/bash";   # runs the launcher (a POSIX sh script)
#     home = null;                   # the user's home (Home Manager, nix-darwin)
#     system = "x86_64-linux";       # for the tool check (nix/tools/select.nix)
#     path = [ ];                    # packages whose bin/ goes on PATH (tools, coreutils)
#     writeText = builtins.toFile;   # the modules pass pkgs.writeText
#   }
#
# The tests evaluate it without nixpkgs through tests/support/nix/ (a small lib stand-in and the option
# defaults), which T1 proves equal to the real lib and the module system.
{
  lib,
  # the gateway's description (./gateways.nix): names, paths, the environment prefix, its facts
  gateway ? (import ./gateways.nix).clawdbot,
}:
let
  paths = import ./paths.nix;
  env = gateway.envPrefix;
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

  dirOf = path: toString (builtins.dirOf path);

  # Recursively drop nulls from attribute sets and lists (optional settings default to null).
  stripNulls =
    value:
    if isAttrs value then
      lib.mapAttrs (_: stripNulls) (lib.filterAttrs (_: v: v != null) value)
    else if isList value then
      map stripNulls (filter (v: v != null) value)
    else
      value;

  # An absolute path with `//`, `/./`, `/../` and a trailing `/` folded, lexically (no symlinks followed):
  # what the store check and the writable-path rules compare.
  normalizePath =
    path:
    let
      s = toString path;
      parts = filter (p: p != "" && p != ".") (lib.splitString "/" s);
      folded = builtins.foldl' (acc: p: if p != ".." then acc ++ [ p ] else if acc == [ ] then [ ] else lib.init acc) [ ] parts;
    in
    (if lib.hasPrefix "/" s then "/" else "") + concatStringsSep "/" folded;

  # Is `path` (normalised) `dir` or below it?
  isWithin =
    dir: path:
    let
      d = normalizePath dir;
      p = normalizePath path;
    in
    p == d || lib.hasPrefix (if d == "/" then "/" else "${d}/") p;

  # "botToken" → "BOT_TOKEN", "my-bot" → "MY_BOT", 0 → "0": one component of an environment variable name.
  envComponent =
    value:
    let
      chars = lib.stringToCharacters (toString value);
      isUpper = c: lib.toLower c != c;
      isWordChar = c: match "[a-z0-9]" c != null;
      step =
        acc: c:
        {
          out =
            acc.out
            + (
              if match "[A-Za-z0-9]" c == null then
                "_"
              else if isUpper c && acc.prev != null && isWordChar acc.prev then
                "_" + c
              else
                c
            );
          prev = c;
        };
    in
    lib.toUpper
      (builtins.foldl' step {
        out = "";
        prev = null;
      } chars).out;

  # A systemd quoted string ("…" with C escapes, as NixOS renders Environment=); `%` doubled so that no
  # specifier is expanded.
  systemdQuote = s: builtins.replaceStrings [ "%" ] [ "%%" ] (toJSON s);

  # One ExecStart= argument: bare when it is safe, else quoted; `%` and `$` are escaped everywhere
  # (systemd expands specifiers and variables in ExecStart=).
  systemdExecArg =
    arg:
    let
      s = toString arg;
    in
    if match "[A-Za-z0-9_./:=+,@-]+" s != null then s else builtins.replaceStrings [ "%" "$" ] [ "%%" "$$" ] (toJSON s);

  # What the generator derived from upstream's schema (modules/generated/facts.json): the secret paths, the
  # rule for secret key names below the places the schema does not type, the channel and plugin ids.
  facts = builtins.fromJSON (builtins.readFile gateway.facts);
  generatedSecretPaths = facts.secrets.paths;

  isSecretRef = value: isAttrs value && attrNames value == [ "_secret" ] && isString value._secret;

  # A string made only of literal text is a secret written in the clear; one that references an
  # environment variable (`${NAME}`, substituted by the gateway at load) is not.
  isEnvReference = value: match ".*\\$\\{[A-Z_][A-Z0-9_]*}.*" value != null;

  secretEnvName = path: "${env}_SECRET_" + concatStringsSep "_" (map envComponent path);

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

  # Does a concrete path (attribute names, list indices) match a pattern of facts.json ("*" = any
  # attribute, "[]" = any list element)?
  matchesPattern =
    pattern: path:
    length pattern == length path
    && all (
      i:
      let
        p = elemAt pattern i;
        x = elemAt path i;
      in
      if p == "[]" then builtins.isInt x else if p == "*" then isString x else p == x
    ) (genList (i: i) (length path));

  # The secret places that accept upstream's own reference to an environment variable (OpenClaw's SecretRef).
  acceptsReference = path: any (pattern: matchesPattern pattern path) (facts.secrets.referencePaths or [ ]);

  # The same value with every { _secret = file; } replaced by a reference to the variable the service sets
  # from the file (<PREFIX>_SECRET_…): upstream's own reference `{ source = "env"; provider; id; }` where the
  # field accepts one (the gateway then resolves it into its secrets runtime and keeps it out of the config it
  # shows and writes), else the string "${<PREFIX>_SECRET_…}" (substituted when the config is read).
  # `envProvider` is the config's default env provider alias (secrets.defaults.env, else "default").
  replaceSecrets =
    envProvider: path: value:
    if isSecretRef value then
      (
        if acceptsReference path then
          {
            source = "env";
            provider = envProvider;
            id = secretEnvName path;
          }
        else
          "\${${secretEnvName path}}"
      )
    else if isAttrs value then
      builtins.mapAttrs (key: replaceSecrets envProvider (path ++ [ key ])) value
    else if isList value then
      genList (i: replaceSecrets envProvider (path ++ [ i ]) (elemAt value i)) (length value)
    else
      value;

  # The values at a path pattern of facts.json ("*" = any attribute, "[]" = any list element), with their paths.
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

  # A secret file in the Nix store (or behind /etc/static, NixOS' links into it) is readable by every
  # local user. Compared after folding `//`, `/./`, `/../` and a trailing `/`.
  # Every string below `value` (at any depth) whose key is a secret's name by the generator's rule: the
  # secrets of what the schema leaves open (plugin channels such as channels.matrix, plugin configs).
  keyedStrings =
    path: value:
    if isAttrs value && !(isSecretRef value) then
      concatMap (
        key:
        let
          v = value.${key};
        in
        (if isString v && match facts.secrets.keyPattern key != null then [ { path = path ++ [ key ]; value = v; } ] else [ ])
        ++ keyedStrings (path ++ [ key ]) v
      ) (attrNames value)
    else if isList value then
      concatLists (genList (i: keyedStrings (path ++ [ i ]) (elemAt value i)) (length value))
    else
      [ ];

  # A URL whose userinfo holds a credential written as text: `scheme://user:password@host`, or
  # `scheme://token@host`. `${NAME}` references in it are not text (`http://user:${PROXY_PASSWORD}@proxy`,
  # `https://${GITHUB_TOKEN}@host`); a user name before a referenced or empty password is no secret.
  hasCredentialUserinfo =
    s:
    let
      m = match "[A-Za-z][A-Za-z0-9+.-]*://([^/?#@[:space:]]*)@.*" s;
      info = concatStringsSep "" (filter isString (builtins.split "\\$\\{[A-Za-z_][A-Za-z0-9_]*}" (builtins.head m)));
      colon = match "[^:]*:(.*)" info;
    in
    isString s && m != null && (if colon == null then info != "" else builtins.head colon != "");

  # Every string in a value (at any depth) that is a URL with a credential in its userinfo.
  credentialUrlsIn =
    path: value:
    if isString value then
      (if hasCredentialUserinfo value then [ { inherit path value; url = true; } ] else [ ])
    else if isAttrs value && !(isSecretRef value) then
      concatMap (key: credentialUrlsIn (path ++ [ key ]) value.${key}) (attrNames value)
    else if isList value then
      concatLists (genList (i: credentialUrlsIn (path ++ [ i ]) (elemAt value i)) (length value))
    else
      [ ];

  # Every secret written as text in `settings` (null-stripped), with its path: at the generator's secret
  # paths, at keys named like secrets below the places the schema leaves open, and any URL with a
  # credential in its userinfo (`url = true`; facts.json `secrets.urlPaths` are the typed places that take
  # one, but a URL is refused wherever it is). A "${NAME}" reference is not a literal. Used by the modules'
  # assertion and by the image (nix/image/settings.nix).
  literalSecretsIn =
    settings:
    let
      hits =
        concatMap (pattern: valuesAt pattern [ ] settings) generatedSecretPaths
        ++ concatMap (
          pattern: concatMap (hit: keyedStrings hit.path hit.value) (valuesAt pattern [ ] settings)
        ) facts.secrets.freeform;
      literal =
        filter (hit: isString hit.value && !(isEnvReference hit.value)) hits ++ credentialUrlsIn [ ] settings;
    in
    # a typed secret below an open place is found twice (and a secret URL by both rules)
    builtins.foldl' (acc: hit: if any (h: h.path == hit.path) acc then acc else acc ++ [ hit ]) [ ] literal;

  # The names in `services.<gw>.environment` that hold a secret as text: named like a secret by the
  # generator's key rule (`*_API_KEY`, `*_TOKEN`, `*_SECRET`, `*_PASSWORD`, …, the gateway's own
  # <PREFIX>_GATEWAY_TOKEN and _PASSWORD among them), with a non-empty value. The unit (or the launchd
  # plist) that holds `environment` is in the Nix store; such a variable belongs in an environment file.
  literalEnvironmentSecretsIn =
    environment:
    filter (
      name:
      let
        v = environment.${name};
      in
      match facts.secrets.keyPattern name != null && v != null && toString v != ""
    ) (attrNames environment);

  # Links into it count as in it: what NixOS, nix-darwin and Home Manager expose of the store under other
  # names (a profile, the current system, /etc's static links), whichever path the link takes.
  storeLinks = [
    builtins.storeDir
    "/nix/var/nix/profiles"
    "/etc/static"
    "/etc/profiles"
    "/run/current-system"
    "/run/booted-system"
  ];
  inStore =
    file:
    let
      p = normalizePath file;
    in
    any (dir: isWithin dir p) storeLinks || elem ".nix-profile" (lib.splitString "/" p);

  isAbsolute = file: lib.hasPrefix "/" (toString file);
  hasNewline = text: length (builtins.split "\n" text) > 1;

  # Folders the system or other users need (a unit given one would own all of it): the file system's top
  # folders, the FHS folders services share, and a home directory itself (/home/<user>, /Users/<user>,
  # /root). `/var/log/clawdbot` is a leaf of the service's own; `/var/log` is not.
  sharedFolders = [
    "/"
    "/bin"
    "/boot"
    "/dev"
    "/etc"
    "/home"
    "/Users"
    "/lib"
    "/media"
    "/mnt"
    "/nix"
    "/nix/store"
    "/nix/var"
    "/opt"
    "/proc"
    "/root"
    "/run"
    "/run/user"
    "/sbin"
    "/srv"
    "/sys"
    "/tmp"
    "/usr"
    "/usr/local"
    "/var"
    "/var/cache"
    "/var/db"
    "/var/empty"
    "/var/lib"
    "/var/lib/private"
    "/var/log"
    "/var/spool"
    "/var/tmp"
  ];
  isSystemFolder =
    dir:
    let
      d = normalizePath dir;
      parts = lib.splitString "/" (lib.removePrefix "/" d);
    in
    elem d sharedFolders
    # a home directory itself, and a user's runtime folder
    || (length parts == 2 && elem (builtins.head parts) [ "home" "Users" ])
    || (length parts == 3 && lib.hasPrefix "/run/user/" d)
    # anything in the store or the system's own trees
    || isWithin "/nix" d
    || isWithin "/etc" d
    || isWithin "/proc" d
    || isWithin "/sys" d
    || isWithin "/dev" d
    || isWithin "/boot" d
    || isWithin "/usr" d;


  # The `${NAME}` references of a rendered config (upstream's env substitution: `$${NAME}` is an escape).
  envReferences =
    value:
    if isString value then
      concatMap (m: if isList m && builtins.elemAt m 0 == "" then [ (builtins.elemAt m 1) ] else [ ]) (
        builtins.split "(\\$?)\\$\\{([A-Z_][A-Z0-9_]*)}" value
      )
    else if isAttrs value then
      concatMap (key: envReferences value.${key}) (attrNames value)
    else if isList value then
      concatMap envReferences value
    else
      [ ];

  unique = builtins.foldl' (acc: x: if elem x acc then acc else acc ++ [ x ]) [ ];

  # The host of an http(s)/ws(s) URL, lower-cased ("" when it is not one).
  urlHost =
    url:
    let
      m = match "[A-Za-z][A-Za-z0-9+.-]*://(\\[[^]]*]|[^/:?#]*).*" (toString url);
    in
    if m == null then "" else lib.toLower (builtins.head m);
  isLoopbackHost = host: elem host [ "localhost" "127.0.0.1" "[::1]" "::1" ] || lib.hasPrefix "127." host;

  # `clawdbot gateway` flags the service options own (the module passes them from the options).
  ownedFlags = [ "--port" "--bind" "--auth" "--token" "--password" ];

  # The upstream plugins that auto-enable (and then rewrite the config) when a provider is in use
  # (./gateways.nix: autoEnable).
  providerPlugins = gateway.autoEnable.providerPlugins;

  # Channels provided by separately published plugins (facts.externalPlugins: plugin id → its channels),
  # as channel id → plugin id.
  externalChannelPlugin = listToAttrs (
    concatMap (
      id:
      map (channel: {
        name = channel;
        value = id;
      }) facts.externalPlugins.${id}.channels
    ) (attrNames (facts.externalPlugins or { }))
  );

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
    map lib.toLower (fromProfiles ++ fromModels ++ fromRefs);

  # The configured channels: `channels.<id>` with settings (not the shared keys such as `defaults`).
  configuredChannels =
    settings:
    let
      channels = settings.channels or { };
    in
    filter (
      key: !(elem key facts.channelSettingsKeys) && isAttrs channels.${key} && channels.${key} != { }
    ) (attrNames channels);

  # Plugins the gateway would switch on at start (rewriting its config file) unless the file already says
  # `plugins.entries.<id>.enabled = true`: every configured channel, and the provider plugins in use
  # (Clawdbot; OpenClaw rewrites nothing).
  autoEnabledPlugins =
    settings:
    let
      providers = providersIn settings;
      providerIds = map (p: providerPlugins.${p}) (filter (p: elem p providers) (attrNames providerPlugins));
    in
    (if gateway.autoEnable.channels then configuredChannels settings else [ ]) ++ providerIds;

  # The settings the service options imply. The modules define them in `settings` at mkDefault priority
  # (modules/common.nix), so they show in the option values and a user definition wins; one that disagrees
  # with the service option (port, bind, auth mode, workspace) is then an assertion below.
  moduleSettings =
    o:
    {
      gateway =
        {
          mode = "local";
          inherit (o) port bind;
        }
        // lib.optionalAttrs (o.auth.mode != "none") { auth.mode = o.auth.mode; };
    }
    // lib.optionalAttrs (o.logFile != null) { logging.file = o.logFile; }
    // lib.optionalAttrs (o.workspace != null) { agents.defaults.workspace = o.workspace; }
    # Clawdbot serves, with no authentication at all, browser control on 127.0.0.1:port+2 (creating a
    # profile rewrites the config, secrets in clear, and points the gateway at any address), the Chrome
    # extension relay on port+3 (/extension, /cdp), and the canvas folder of its workspace under
    # /__clawdbot__/canvas/ on the gateway's port: to every local user. Off unless the user turns them on.
    # (OpenClaw opens neither port with its defaults and serves its canvas routes only with auth.)
    // lib.optionalAttrs (gateway.name == "clawdbot") {
      browser.enabled = false;
      canvasHost.enabled = false;
    };

  # The plugins the gateway would switch on at start (rewriting its config file) are declared
  # `plugins.entries.<id>.enabled = true` and added to an allowlist, unless the user denied or disabled them.
  # Added here, to the final settings: which plugins depends on the whole config.
  withAutoEnabledPlugins =
    settings:
    let
      plugins = settings.plugins or { };
      deny = plugins.deny or [ ];
      wanted = filter (
        id: !(elem id deny) && (plugins.entries.${id}.enabled or null) != false
      ) (autoEnabledPlugins settings);
      allow = plugins.allow or null;
    in
    if wanted == [ ] then
      settings
    else
      lib.recursiveUpdate settings {
        plugins =
          {
            entries = lib.genAttrs wanted (_: {
              enabled = true;
            });
          }
          // lib.optionalAttrs (isList allow) { allow = allow ++ filter (id: !(elem id allow)) wanted; };
      };

  optionPrefixOf = name: if name == "default" then "services.${gateway.name}" else "services.${gateway.name}.instances.${name}";

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
    externalChannelPlugin
    optionPrefixOf
    facts
    literalSecretsIn
    literalEnvironmentSecretsIn
    moduleSettings
    withAutoEnabledPlugins
    normalizePath
    isWithin
    systemdQuote
    stripNulls
    ;

  instance =
    {
      platform,
      name ? "default",
      options ? { },
      package,
      shell,
      launcher ? ../launcher/clawdbot-launch.sh,
      home ? null,
      # the separately published plugins this flake packages (OpenClaw's openclawPlugins), id → store folder;
      # the instance loads those its `plugins` option names
      packagedPlugins ? { },
      system ? "x86_64-linux",
      path ? [ ],
      writeText ? builtins.toFile,
    }:
    let
      o = options;
      prefix = optionPrefixOf name;
      suffix = paths.suffix name;
      isNixos = platform == "nixos";
      # systemd (system or user manager) reads EnvironmentFile= itself; launchd has no equivalent.
      systemd = platform == "nixos" || platform == "home-manager";

      cacheDir = paths.cacheDir { inherit gateway platform name home; };
      tmpDir = "${cacheDir}/tmp";
      homeDir = if isNixos then o.stateDir else home;

      userSettings = stripNulls o.settings;

      # --- secrets -------------------------------------------------------------------------------
      settingsSecrets = collectSecrets [ ] userSettings;
      authSecrets =
        (
          if o.auth.tokenFile != null then
            [
              {
                path = null;
                name = "${env}_GATEWAY_TOKEN";
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
                name = "${env}_GATEWAY_PASSWORD";
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

      # Token auth without a token file or a token in settings: the launcher generates one at the first
      # start, in the state directory (owner-only, never in the store), and reuses it.
      generatedTokenFile =
        if o.auth.mode == "token" && o.auth.tokenFile == null && settingsToken == null then
          "${o.stateDir}/gateway-token"
        else
          null;
      # Where the owner's CLI reads the token (the configured file, or the generated one).
      tokenFile = if generatedTokenFile != null then generatedTokenFile else o.auth.tokenFile;

      # --- the config file ------------------------------------------------------------------------
      settings = replaceSecrets (userSettings.secrets.defaults.env or "default") [ ] (
        withPackagedPluginsOff (withAutoEnabledPlugins userSettings)
      );
      configText = toJSON settings;
      configFile = writeText "${gateway.name}${suffix}.json" configText;

      # --- environment ----------------------------------------------------------------------------
      environment = import ./environment.nix {
        inherit gateway;
        inherit (o) stateDir configPath bonjour;
        home = homeDir;
        inherit tmpDir path;
        heapMiB = o.memory.heapMiB;
        extra = o.environment;
      };

      # --- the command ----------------------------------------------------------------------------
      dirs = [
        o.stateDir
        tmpDir
        (dirOf o.configPath)
      ]
      ++ (if o.logFile != null then [ (dirOf o.logFile) ] else [ ])
      ++ (if o.workspace != null then [ o.workspace ] else [ ]);
      uniqueDirs = builtins.foldl' (acc: d: if elem d acc then acc else acc ++ [ d ]) [ ] dirs;

      secretNames' = map (s: s.name) allSecrets ++ [ "${env}_GATEWAY_TOKEN" ];
      requiredEnv = filter (n: !(elem n secretNames')) (unique (envReferences settings));

      launcherArgs =
        flagEach "--mkdir" uniqueDirs
        ++ [
          "--config"
          "${configFile}"
          o.configPath
        ]
        ++ pluginLauncherArgs
        ++ (
          if isNixos then
            flagEach "--credential" (map (c: [ c.name c.name ]) credentials)
          else
            flagEach "--secret" (map (c: [ c.name c.file ]) credentials)
        )
        ++ (
          if generatedTokenFile != null then
            [
              "--token"
              "${env}_GATEWAY_TOKEN"
              generatedTokenFile
            ]
          else
            [ ]
        )
        ++ (if systemd then [ ] else flagEach "--env-file" o.environmentFiles)
        ++ flagEach "--require-env" requiredEnv
        ++ (if gateway.cacheSeed != null then [ "--jiti-seed" "${package}/${gateway.cacheSeed}" ] else [ ])
        ++ [
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
        "${package}/bin/${gateway.bin}"
      ]
      ++ gatewayArgs;

      # --- the owner's CLI ---------------------------------------------------------------------------
      # `clawdbot` (`clawdbot-<name>` for another instance) for the user who runs the gateway (Home Manager,
      # nix-darwin) or root (NixOS): the same config, secrets and environment files as the service (the
      # config's ''${…} references must resolve for any command to load it), and the gateway token, so that
      # `clawdbot health`, `clawdbot status` and `clawdbot dashboard` (the Control UI's URL with the token)
      # work with no extra step. Anyone who cannot read those files cannot use it.
      cliName = "${gateway.name}${suffix}";
      cliEnvironment =
        {
          "${env}_NIX_MODE" = "1";
          # NixOS: the store file itself (root's CLI must not write into the service's state directory).
          "${env}_CONFIG_PATH" = if isNixos then "${configFile}" else o.configPath;
        }
        // (if isNixos then { } else { "${env}_STATE_DIR" = o.stateDir; })
        // (if o.bonjour then { } else { "${env}_DISABLE_BONJOUR" = "1"; });
      # Who may listen on the gateway's port when the command sends it the token or password (Linux: the
      # launcher reads /proc/net/tcp{,6}; macOS has no such table a user can read for other users' sockets,
      # so nothing is checked there). The service's user: NixOS' `user`, else the unit's DynamicUser, named
      # after the unit (it has a uid only while the unit runs); Home Manager: whoever runs the command ("-").
      # While anyone else listens there the command refuses to run; while nothing listens it runs without the
      # credentials (a stand-in could bind between the check and the connection).
      listenerCheck = platform == "nixos" || platform == "home-manager";
      listenerUser = if isNixos then (if o.user != null then o.user else cliName) else "-";
      gatewayCredentials =
        (if tokenFile != null then [ "${env}_GATEWAY_TOKEN" ] else [ ])
        ++ (if o.auth.passwordFile != null then [ "${env}_GATEWAY_PASSWORD" ] else [ ]);
      cliArgv = [
        (toString shell)
        "${launcher}"
      ]
      ++ (
        if listenerCheck then
          [
            "--listener-owner"
            (toString o.port)
            listenerUser
          ]
          ++ flagEach "--gateway-credential" gatewayCredentials
        else
          [ ]
      )
      ++ flagEach "--secret" (
        map (s: [
          s.name
          s.file
        ]) allSecrets
        ++ (
          if generatedTokenFile != null then
            [
              [
                "${env}_GATEWAY_TOKEN"
                generatedTokenFile
              ]
            ]
          else
            [ ]
        )
      )
      ++ flagEach "--env-file" o.environmentFiles
      ++ [
        "--"
        "${package}/bin/${gateway.bin}"
      ];
      # `<command> rotate-token`: a new gateway token (after a leak). The generated token: remove the file and
      # restart the service, whose launcher writes a new one at start. A token of the user's own file, or
      # password auth: say what to do instead.
      restartCommand =
        if isNixos then
          "systemctl restart ${lib.escapeShellArg "${cliName}.service"}"
        else if platform == "home-manager" then
          "systemctl --user restart ${lib.escapeShellArg "${cliName}.service"}"
        else
          ''launchctl kickstart -k "gui/$(id -u)/"${
            lib.escapeShellArg "${gateway.launchdLabel}${if name == "default" then "" else ".${name}"}"
          }'';
      rotateLines =
        [ ''if [ "''${1-}" = rotate-token ]; then'' ]
        ++ (
          if generatedTokenFile != null then
            [
              "  rm -f -- ${lib.escapeShellArg generatedTokenFile} || exit 1"
              "  printf '%s\\n' ${lib.escapeShellArg "${cliName}: removed ${generatedTokenFile}; restarting the service, whose start writes a new token (give it to every client that held the old one: a dashboard, a paired browser)"}"
              "  exec ${restartCommand}"
            ]
          else
            [
              "  printf '%s\\n' ${
                lib.escapeShellArg (
                  if tokenFile != null then
                    "${cliName}: the gateway token is the content of ${toString tokenFile} (${prefix}.auth.tokenFile): write a new one there, then restart the service"
                  else
                    "${cliName}: ${prefix} uses no gateway token (auth.mode = \"${o.auth.mode}\"): nothing to rotate"
                )
              } >&2"
              "  exit 64"
            ]
        )
        ++ [ "fi" ];
      cliScript = concatStringsSep "\n" (
        [
          "#!${toString shell}"
          "# ${cliName}: the ${gateway.displayName} CLI for the ${prefix} gateway (generated by the clawdbot-nix module)."
        ]
        ++ rotateLines
        ++ map (n: "export ${n}=${lib.escapeShellArg cliEnvironment.${n}}") (attrNames cliEnvironment)
        ++ [ "exec ${concatStringsSep " " (map lib.escapeShellArg cliArgv)} \"$@\"" ]
      )
      + "\n";

      # --- assertions -----------------------------------------------------------------------------
      settingsToken = userSettings.gateway.auth.token or null;
      settingsPassword = userSettings.gateway.auth.password or null;
      hasPassword = o.auth.passwordFile != null || settingsPassword != null;
      # token mode always has a token (a file, settings, or the generated one)
      authOk = o.auth.mode == "token" || (o.auth.mode == "password" && hasPassword);

      # --- exposure: every way upstream serves beyond this machine's users without authentication ---
      gw = userSettings.gateway or { };
      tailscaleMode = gw.tailscale.mode or "off";
      trustedProxies = gw.trustedProxies or [ ];
      browserControlHost = urlHost (userSettings.browser.controlUrl or "");
      # `clawdbot gateway` flags in extraArgs that the service options own (also as --flag=value)
      ownedExtraArgs = filter (
        a: elem a ownedFlags || any (f: lib.hasPrefix "${f}=" a) ownedFlags
      ) (map toString o.extraArgs);

      # --- paths the gateway writes (NixOS: ProtectSystem=strict, ProtectHome) ---------------------
      # Beyond the state directory (StateDirectory=, or ReadWritePaths= for a stateDir elsewhere) and the
      # cache directory, each must be made writable for the unit: the folders of workspace, logFile and
      # configPath.
      writableDirs = filter (d: !(isWithin o.stateDir d) && !(isWithin cacheDir d)) (
        unique (
          map normalizePath (
            [ (dirOf o.configPath) ]
            ++ (if o.logFile != null then [ (dirOf o.logFile) ] else [ ])
            ++ (if o.workspace != null then [ o.workspace ] else [ ])
          )
        )
      );
      # NixOS creates each of those folders with tmpfiles (`d`, which also sets the mode and owner of a folder
      # that exists) and opens it with ReadWritePaths=: only a folder the service can own. A folder the system
      # or other users need (`/`, `/var/log`, `/etc`, a home directory itself, …) is refused, naming the
      # option and a leaf to use instead.
      claimedFolders = filter (c: c.dir != null && isSystemFolder c.dir) (
        [
          {
            option = "stateDir";
            dir = o.stateDir;
          }
          {
            option = "configPath";
            dir = dirOf o.configPath;
          }
          {
            option = "logFile";
            dir = if o.logFile != null then dirOf o.logFile else null;
          }
          {
            option = "workspace";
            dir = o.workspace;
          }
        ]
      );
      # A leaf of the gateway's own in the folder the user named, or under /var/lib when that is the
      # system's own (/etc, /usr, /nix, …).
      ownFolderFor =
        c:
        let
          leaf = "${gateway.name}${suffix}";
          inside = normalizePath "${normalizePath c.dir}/${leaf}";
          folder = if isSystemFolder inside then "/var/lib/${leaf}" else inside;
        in
        if c.option == "logFile" then
          "${folder}/${baseNameOf o.logFile}"
        else if c.option == "configPath" then
          "${folder}/${baseNameOf o.configPath}"
        else
          folder;
      writablePathOptions =
        map (p: "${prefix}.${p}") (
          filter (p: o.${p} != null && !(isWithin o.stateDir (if p == "workspace" then o.${p} else dirOf o.${p}))) [
            "workspace"
            "logFile"
            "configPath"
          ]
        );

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
      workspaceConflict =
        o.workspace != null
        && (userSettings.agents.defaults.workspace or null) != null
        && userSettings.agents.defaults.workspace != o.workspace;
      remoteMode = (userSettings.gateway.mode or "local") != "local";

      literalSecrets = literalSecretsIn userSettings;
      literalEnvironment = literalEnvironmentSecretsIn o.environment;

      environmentFilePaths = map (lib.removePrefix "-") o.environmentFiles;
      storeFiles =
        filter (s: inStore s.file) allSecrets
        ++ map (f: {
          file = f;
          option = "${prefix}.environmentFiles";
        }) (filter inStore environmentFilePaths);
      multiLineFiles =
        filter (s: hasNewline (toString s.file)) allSecrets
        ++ map (f: {
          file = f;
          option = "${prefix}.environmentFiles";
        }) (filter hasNewline environmentFilePaths);
      relativeFiles =
        filter (s: !(isAbsolute s.file)) allSecrets
        ++ map (f: {
          file = f;
          option = "${prefix}.environmentFiles";
        }) (filter (f: !(isAbsolute f)) environmentFilePaths);

      available = toolSelection.availableFor system;
      unknownTools = filter (t: !(elem t toolSelection.names)) o.tools;
      missingTools = filter (t: elem t toolSelection.names && !(elem t available)) o.tools;

      # --- channels whose plugin is published separately (OpenClaw) ----------------------------------
      # Each needs its plugin among the loaded ones: the instance's `plugins` option, or a folder of the
      # user's own in settings.plugins.load.paths (then any plugin may be there, and nothing is checked).
      loadedPlugins = o.plugins or [ ];
      pluginsPackaged = attrNames packagedPlugins;
      ownLoadPaths = filter (p: !(elem p (builtins.attrValues packagedPlugins))) (userSettings.plugins.load.paths or [ ]);
      missingPlugins =
        if ownLoadPaths != [ ] then
          [ ]
        else
          filter (c: externalChannelPlugin ? ${c} && !(elem externalChannelPlugin.${c} loadedPlugins)) (
            configuredChannels userSettings
          );

      # The packaged plugins as upstream's own managed npm installs (nix/openclaw/plugins.nix: why; the trust
      # rule is resolvePluginTrust, dist/installed-plugin-record-match-*.mjs): <stateDir>/npm becomes a link to
      # the plugins tree (the launcher's `--config SOURCE TARGET` makes TARGET a symlink to SOURCE, replacing a
      # link, refusing a real folder, e.g. plugins installed with `openclaw plugins install`: exit 78). Upstream
      # then recovers an official npm install record for each plugin in it, so the plugins the config loads are
      # trusted (without it they failed during register: PluginTrustRefusalError). The tree is the npm root
      # of every packaged plugin (`packagedPlugins`: id → <tree>/lib/openclaw-plugins/node_modules/@openclaw/<id>,
      # so the root is that folder three levels up), and an installed plugin is enabled by default: those
      # the instance does not load are disabled in the config (unless the user's settings say otherwise).
      pluginNpmRoot =
        let
          id = builtins.head loadedPlugins;
          folder = packagedPlugins.${id};
          suffix = "/node_modules/@openclaw/${id}";
        in
        if lib.hasSuffix suffix folder then
          builtins.substring 0 (builtins.stringLength folder - builtins.stringLength suffix) folder
        else
          throw "modules/lib/render.nix: packaged plugin ${id} is not at <npm root>${suffix}: ${folder}";
      usesPackagedPlugins = loadedPlugins != [ ] && builtins.all (id: packagedPlugins ? ${id}) loadedPlugins;
      pluginLauncherArgs =
        if usesPackagedPlugins then
          [
            "--config"
            pluginNpmRoot
            "${o.stateDir}/npm"
          ]
        else
          [ ];
      packagedPluginsOff = filter (
        id: !(elem id loadedPlugins) && (userSettings.plugins.entries.${id}.enabled or null) == null
      ) pluginsPackaged;
      withPackagedPluginsOff =
        s:
        if usesPackagedPlugins && packagedPluginsOff != [ ] then
          lib.recursiveUpdate s {
            plugins.entries = lib.genAttrs packagedPluginsOff (_: {
              enabled = false;
            });
          }
        else
          s;

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
          assertion = !workspaceConflict;
          message = ''${prefix}.settings.agents.defaults.workspace = "${userSettings.agents.defaults.workspace or ""}" conflicts with ${prefix}.workspace = "${toString o.workspace}": the service option also creates the folder and opens it for the unit. Set ${prefix}.workspace and remove the settings key.'';
        }
        {
          assertion = !remoteMode;
          message = ''${prefix}.settings.gateway.mode = "${userSettings.gateway.mode or ""}": this service runs a local gateway (gateway.mode = "local"). A remote-mode config is for a CLI that talks to another gateway.'';
        }
        {
          assertion = o.bind == "custom" -> gateway.customBind;
          message = ''${prefix}.bind = "custom" is not usable with this gateway version (${gateway.name} ${gateway.version} rejects gateway.customBindHost in its config schema). Use "loopback", "lan", "tailnet" or "auto".'';
        }
        {
          assertion = o.bind == "custom" && gateway.customBind -> (userSettings.gateway.customBindHost or null) != null;
          message = ''${prefix}.bind = "custom" needs the address to listen on: ${prefix}.settings.gateway.customBindHost = "192.0.2.10";'';
        }
        {
          assertion = o.bind == "loopback" || authOk;
          message = ''${prefix}.bind = "${o.bind}" requires authentication: ${prefix}.auth.mode = "token" (the default; a token file, or one generated at the first start) or "password" with ${prefix}.auth.passwordFile. The gateway refuses to listen beyond loopback without it.'';
        }
        {
          assertion = o.auth.mode == "password" -> hasPassword;
          message = ''${prefix}.auth.mode = "password" requires ${prefix}.auth.passwordFile (a file outside the Nix store holding the password) or ${prefix}.settings.gateway.auth.password = { _secret = "/path/to/file"; }.'';
        }
        {
          assertion = (tailscaleMode == "serve" || tailscaleMode == "funnel") -> o.auth.mode != "none";
          message = ''${prefix}.settings.gateway.tailscale.mode = "${tailscaleMode}" with ${prefix}.auth.mode = "none": the gateway would trust Tailscale's identity headers and let every member of the tailnet${if tailscaleMode == "funnel" then " (with funnel: the whole internet)" else ""} in. Use ${prefix}.auth.mode = "token" (the default) or "password".'';
        }
        {
          assertion = tailscaleMode == "funnel" -> o.auth.mode == "password";
          message = ''${prefix}.settings.gateway.tailscale.mode = "funnel" publishes the gateway on the internet; upstream requires ${prefix}.auth.mode = "password" (with ${prefix}.auth.passwordFile) for it. Use "serve" (tailnet only) to keep token auth.'';
        }
        {
          assertion = (tailscaleMode == "serve" || tailscaleMode == "funnel") -> o.bind == "loopback";
          message = ''${prefix}.settings.gateway.tailscale.mode = "${tailscaleMode}" needs ${prefix}.bind = "loopback" (Tailscale forwards to 127.0.0.1; the gateway refuses to start otherwise).'';
        }
        {
          assertion = trustedProxies != [ ] -> o.auth.mode != "none";
          message = ''${prefix}.settings.gateway.trustedProxies is set with ${prefix}.auth.mode = "none": requests through the proxy count as local, and local clients are approved without a token, so everyone who reaches the proxy gets in. Use ${prefix}.auth.mode = "token" (the default) or "password".'';
        }
        {
          assertion =
            browserControlHost != "" && !(isLoopbackHost browserControlHost)
            -> (userSettings.browser.controlToken or null) != null;
          message = ''${prefix}.settings.browser.controlUrl points at ${browserControlHost}, beyond loopback, without ${prefix}.settings.browser.controlToken: anyone who reaches it drives the browser. Set browser.controlToken = { _secret = "/run/secrets/…"; } or keep the URL on 127.0.0.1.'';
        }
        {
          assertion = ownedExtraArgs == [ ];
          message = "${prefix}.extraArgs: ${concatStringsSep ", " (map (a: "\"${a}\"") ownedExtraArgs)} ${
            if length ownedExtraArgs == 1 then "is a flag" else "are flags"
          } the service options own (a token or password on the command line is in the Nix store and visible to every local user in the process list; a port or bind there would bypass the checks and the firewall). Use ${prefix}.port, ${prefix}.bind, ${prefix}.auth.mode, ${prefix}.auth.tokenFile or ${prefix}.auth.passwordFile.";
        }
        {
          assertion = relativeFiles == [ ];
          message = "${concatStringsSep ", " (map (s: "${s.option} = \"${s.file}\"") relativeFiles)}: secret and environment files need absolute paths (the service does not run in your configuration's folder).";
        }
        {
          assertion = o.allowInlineSecrets || literalSecrets == [ ];
          message = "${concatStringsSep ", " (map (hit: "${prefix}.settings.${showPath hit.path}") literalSecrets)} ${
            if length literalSecrets == 1 then "holds a literal secret" else "hold literal secrets"
          }, which would be written to the world-readable Nix store. Use { _secret = \"/run/secrets/…\"; } (a file read at service start) or a \"\${NAME}\" reference with ${prefix}.environmentFiles${
            if any (hit: hit.url or false) literalSecrets then
              " (a URL with credentials in it: the whole URL as { _secret = …; }, or its password as a reference, \"http://user:\${PROXY_PASSWORD}@host\")"
            else
              ""
          }; set ${prefix}.allowInlineSecrets = true to accept the risk.";
        }
        {
          assertion = o.allowInlineSecrets || literalEnvironment == [ ];
          message = "${concatStringsSep ", " (map (name: "${prefix}.environment.${name}") literalEnvironment)} ${
            if length literalEnvironment == 1 then "holds a secret" else "hold secrets"
          } as text, which would be written to the world-readable Nix store (the unit file). Put ${
            if length literalEnvironment == 1 then "it" else "them"
          } in a file outside the store and list it in ${prefix}.environmentFiles (NAME=value lines, read at service start); set ${prefix}.allowInlineSecrets = true to accept the risk.";
        }
        {
          assertion = storeFiles == [ ];
          message = "${concatStringsSep ", " (map (s: "${s.option} = \"${s.file}\"") storeFiles)}: secret files must not be in the Nix store or behind a link into it (${concatStringsSep ", " storeLinks}, a .nix-profile), which every local user can read. Keep them outside (e.g. /run/agenix/…, /run/secrets/…) and pass the path as a string, not a Nix path literal.";
        }
        {
          # The launcher takes its files as newline-separated lists; a newline in a path is no real file name.
          assertion = multiLineFiles == [ ];
          message = "${concatStringsSep ", " (map (s: "${s.option} = ${builtins.toJSON s.file}") multiLineFiles)}: a secret or environment file path must not contain a newline.";
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
          assertion = missingPlugins == [ ];
          message = concatStringsSep "\n" (
            map (
              c:
              let
                plugin = externalChannelPlugin.${c};
              in
              "${prefix}.settings.channels.${c}: the ${c} channel comes from the separately published plugin ${facts.externalPlugins.${plugin}.package}, which this instance does not load. ${
                if elem plugin pluginsPackaged then
                  "Add it: ${prefix}.plugins = [ \"${plugin}\" ];"
                else
                  "This flake does not package it (packaged: ${concatStringsSep ", " pluginsPackaged}); install it yourself and list its folder in ${prefix}.settings.plugins.load.paths."
              }"
            ) missingPlugins
          );
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
              assertion = o.user == null -> !gateway.openat2;
              message = ''${prefix}.user = null (a transient DynamicUser) cannot run ${gateway.displayName}: it opens files with openat2(), which systemd refuses (ENOSYS) under DynamicUser=, which implies RestrictSUIDSGID=. Keep the default user "${gateway.name}" (created by the module) or name one of yours.'';
            }
            {
              assertion = claimedFolders == [ ];
              message = "${
                concatStringsSep ", " (map (c: "${prefix}.${c.option} = \"${toString o.${c.option}}\"") claimedFolders)
              }: the service would take over ${
                concatStringsSep ", " (unique (map (c: normalizePath c.dir) claimedFolders))
              } (systemd-tmpfiles gives the folder to the service's user, mode 0700, and the unit may write all of it). Use a folder of the gateway's own, e.g. ${
                concatStringsSep ", " (map (c: "${prefix}.${c.option} = \"${ownFolderFor c}\"") claimedFolders)
              }.";
            }
            {
              assertion = o.user == null -> lib.hasPrefix "/var/lib/" o.stateDir;
              message = ''${prefix}.stateDir = "${o.stateDir}" is outside /var/lib, which systemd's StateDirectory= (used with DynamicUser) cannot manage. Set ${prefix}.user to a user that owns that directory, or keep the default.'';
            }
            {
              assertion = o.user == null -> writablePathOptions == [ ];
              message = ''${concatStringsSep ", " writablePathOptions} ${
                if length writablePathOptions == 1 then "is" else "are"
              } outside ${prefix}.stateDir = "${o.stateDir}". The service runs with DynamicUser (a new uid on every start) and ProtectSystem=strict, so it could not create or keep files there (it would restart forever). Keep ${
                if length writablePathOptions == 1 then "it" else "them"
              } under stateDir, or set ${prefix}.user to a user of yours: the module then creates ${concatStringsSep ", " writableDirs} for that user and makes ${
                if length writableDirs == 1 then "it" else "them"
              } writable for the unit (ReadWritePaths=, or BindPaths= under /home and /root).'';
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
      inherit
        userSettings
        generatedTokenFile
        tokenFile
        requiredEnv
        writableDirs
        cliName
        cliEnvironment
        cliArgv
        cliScript
        ;
      options = o;
      launcher = "${launcher}";
      package = "${package}";
      dirs = uniqueDirs;
      execStart = concatStringsSep " " (map systemdExecArg argv);
      # How systemd stops the gateway (./gateways.nix: stop): how long it may take, whom SIGTERM reaches.
      stopPolicy = {
        TimeoutStopSec = "${toString gateway.stop.timeoutSec}s";
      }
      // (if gateway.stop.killMode != null then { KillMode = gateway.stop.killMode; } else { });
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
