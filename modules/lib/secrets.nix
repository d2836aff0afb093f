# Secrets: which values of an instance are secrets, how each reaches the gateway without entering the Nix
# store, and which are refused.
#
# Decides: the variable of each `{ _secret = file; }` (<PREFIX>_SECRET_<PATH>) and what the config holds in
# its place (upstream's SecretRef where the field accepts one, else "${VAR}"); the gateway token's file (the
# user's, or one the launcher generates in the state directory); the refusals: a secret written as text in
# `settings` or `environment`, a secret or environment file in the store (or behind a link into it), with a
# relative path or a newline, two secrets on one variable.
#
# Reads: the gateway's facts (modules/generated/[<gateway>/]facts.json: secrets.paths, keyPattern, freeform,
# referencePaths), the instance's `settings` (null-stripped), `auth`, `environment`, `environmentFiles`,
# `allowInlineSecrets`, `stateDir`; `inStore` of ./folders.nix.
{
  lib,
  # the gateway's description (./gateways.nix): the variables' prefix, its facts
  gateway,
}:
let
  env = gateway.envPrefix;
  folders = import ./folders.nix { inherit lib gateway; };
  inherit (folders) inStore storeLinks;

  inherit (builtins)
    all
    any
    attrNames
    concatLists
    concatMap
    concatStringsSep
    elemAt
    filter
    genList
    isAttrs
    isList
    isString
    length
    match
    ;

  # What the generator derived from upstream's schema (modules/generated/<gateway>/facts.json, `gateway.facts`
  # of ./gateways.nix): the secret paths, the rule for secret key names below the places the schema does not
  # type, the channel and plugin ids.
  facts = builtins.fromJSON (builtins.readFile gateway.facts);
  generatedSecretPaths = facts.secrets.paths;

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

  isAbsolute = file: lib.hasPrefix "/" (toString file);
  hasNewline = text: length (builtins.split "\n" text) > 1;

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
in
{
  inherit
    facts
    collectSecrets
    replaceSecrets
    secretEnvName
    showPath
    valuesAt
    literalSecretsIn
    literalEnvironmentSecretsIn
    envReferences
    ;

  # One instance's secrets. `o`: its option values; `userSettings`: its settings, null-stripped; `prefix`:
  # its option path (services.<gateway>[.instances.<name>]).
  instance =
    {
      o,
      userSettings,
      prefix,
    }:
    let
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

      settingsToken = userSettings.gateway.auth.token or null;
      settingsPassword = userSettings.gateway.auth.password or null;

      # Token auth without a token file or a token in settings: the launcher generates one at the first
      # start, in the state directory (owner-only, never in the store), and reuses it.
      generatedTokenFile =
        if o.auth.mode == "token" && o.auth.tokenFile == null && settingsToken == null then
          "${o.stateDir}/gateway-token"
        else
          null;
      # Where the owner's CLI reads the token (the configured file, or the generated one).
      tokenFile = if generatedTokenFile != null then generatedTokenFile else o.auth.tokenFile;

      secretNames = map (s: s.name) allSecrets;
      # The config's `${NAME}` references that no secret (nor the gateway token) gives: they must come from
      # `environment` or `environmentFiles`, and the launcher refuses to start without them.
      requiredEnv =
        settings:
        filter (n: !(builtins.elem n (secretNames ++ [ "${env}_GATEWAY_TOKEN" ]))) (lib.unique (envReferences settings));
      # The config file's form of the settings: every { _secret } replaced by its reference.
      replace = replaceSecrets (userSettings.secrets.defaults.env or "default") [ ];

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

      duplicateNames = filter (n: length (filter (m: m == n) secretNames) > 1) secretNames;
    in
    {
      inherit
        allSecrets
        credentials
        settingsToken
        settingsPassword
        generatedTokenFile
        tokenFile
        requiredEnv
        replace
        ;

      # Each refusal names the option and the fix.
      assertions = {
        files = [
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
        ];
        names = [
          {
            assertion = duplicateNames == [ ];
            message = "${prefix}.settings: secrets at different paths map to the same environment variable (${concatStringsSep ", " duplicateNames}); rename one of the attributes.";
          }
        ];
      };
    };
}
