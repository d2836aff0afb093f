# Plugins: which plugins the config declares so that the gateway never rewrites it, how the packaged plugins
# are loaded and trusted, and which channel lacks its plugin.
#
# Decides: `plugins.entries.<id>.enabled = true` (and the allowlist) for the plugins the gateway would
# switch on at start (Clawdbot: every configured channel and the provider plugins in use; OpenClaw: none);
# the link <stateDir>/npm → the packaged plugins' npm root (the launcher's `--config SOURCE TARGET`), with the
# packaged plugins the instance does not load disabled; which plugins an instance loads (its `plugins` and the
# plugins of its channels); the refusal of a configured channel whose separately published plugin is not
# packaged.
#
# Reads: the gateway's description (./gateways.nix: autoEnable), its facts (channels, channelSettingsKeys,
# externalPlugins), the instance's `settings` (null-stripped), `plugins`, `stateDir`, and the packaged plugins
# (id → store folder) modules/common.nix passes.
{
  lib,
  # the gateway's description (./gateways.nix)
  gateway,
  # the gateway's facts (./secrets.nix reads them)
  facts,
}:
let
  inherit (builtins)
    attrNames
    concatMap
    concatStringsSep
    elem
    filter
    isAttrs
    isList
    isString
    listToAttrs
    match
    ;

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

  # The channels that are on, by upstream's rule for a configured channel (isChannelConfigured,
  # dist/channel-configured-shared-*.mjs hasMeaningfulChannelConfigShallow): `channels.<id>` is an object with a
  # key other than `enabled`, or `{ enabled = true; }` alone; one with `enabled = false` is off (upstream's
  # listExplicitlyDisabledChannelIdsForConfig, dist/config-presence-*.mjs, keeps it from activating anything).
  # `channels`: settings.channels, null-stripped.
  enabledChannels =
    channels:
    filter (
      key:
      let
        value = channels.${key};
        keys = attrNames value;
      in
      !(elem key facts.channelSettingsKeys)
      && isAttrs value
      && (value.enabled or null) != false
      && (if keys == [ "enabled" ] then value.enabled == true else keys != [ ])
    ) (attrNames channels);

  # The separately published plugins an instance loads: those its `plugins` option names, then the plugin of
  # each channel that is on, when this flake packages it (`packaged`: ids), as home-assistant derives its
  # components from its config. Reads only `plugins` and settings.channels (null-stripped), never the rest of
  # the settings: modules/common.nix puts the result into settings.plugins.
  loadedPluginsOf =
    {
      plugins,
      channels,
      packaged,
    }:
    plugins
    ++ lib.unique (
      filter (id: elem id packaged && !(elem id plugins)) (
        map (c: externalChannelPlugin.${c}) (filter (c: externalChannelPlugin ? ${c}) (enabledChannels channels))
      )
    );

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

  # The plugins the gateway would switch on at start (rewriting its config file) are declared
  # `plugins.entries.<id>.enabled = true` and added to an allowlist, unless the user denied or disabled them.
  # Added to the final settings: which plugins depends on the whole config.
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
in
{
  inherit
    externalChannelPlugin
    configuredChannels
    enabledChannels
    loadedPluginsOf
    autoEnabledPlugins
    withAutoEnabledPlugins
    ;

  # One instance's plugins. `o`: its option values; `userSettings`: its settings, null-stripped; `prefix`:
  # its option path; `packagedPlugins`: the separately published plugins this flake packages (OpenClaw's
  # openclawPlugins), id → store folder.
  instance =
    {
      o,
      userSettings,
      prefix,
      packagedPlugins,
    }:
    let
      # --- channels whose plugin is published separately (OpenClaw) ----------------------------------
      # The loaded plugins: the instance's `plugins` option and the packaged plugin of every channel that is
      # on (loadedPluginsOf above; modules/common.nix puts their load paths and entries into the settings). A
      # configured channel whose plugin this flake does not package needs a folder of the user's own in
      # settings.plugins.load.paths (then any plugin may be there, and nothing is checked).
      pluginsPackaged = attrNames packagedPlugins;
      loadedPlugins = loadedPluginsOf {
        plugins = o.plugins or [ ];
        channels = userSettings.channels or { };
        packaged = pluginsPackaged;
      };
      ownLoadPaths = filter (p: !(elem p (builtins.attrValues packagedPlugins))) (userSettings.plugins.load.paths or [ ]);
      missingPlugins =
        if ownLoadPaths != [ ] then
          [ ]
        else
          filter (
            c:
            externalChannelPlugin ? ${c}
            && !(elem externalChannelPlugin.${c} loadedPlugins)
            && !(elem externalChannelPlugin.${c} pluginsPackaged)
          ) (configuredChannels userSettings);
      # A channel that is off (`enabled = false`) does not load its packaged plugin; its plugin entry is
      # declared disabled so that upstream's validator takes `channels.<id>` for the config of a plugin that is
      # not loaded (a warning, "stale channel plugin config ignored") rather than an unknown channel id (an
      # error: dist/io.snapshot-preparation-*.mjs hasStalePluginEvidenceForUnknownChannel).
      offChannelPlugins = lib.unique (
        filter (id: elem id pluginsPackaged && !(elem id loadedPlugins)) (
          map (c: externalChannelPlugin.${c}) (
            filter (c: externalChannelPlugin ? ${c}) (configuredChannels userSettings)
          )
        )
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
          throw "modules/lib/plugins.nix: packaged plugin ${id} is not at <npm root>${suffix}: ${folder}";
      usesPackagedPlugins = loadedPlugins != [ ] && builtins.all (id: packagedPlugins ? ${id}) loadedPlugins;
      packagedPluginsOff = filter (
        id: !(elem id loadedPlugins) && (userSettings.plugins.entries.${id}.enabled or null) == null
      ) (if usesPackagedPlugins then pluginsPackaged else offChannelPlugins);
    in
    {
      # The launcher's arguments that link <stateDir>/npm to the packaged plugins' npm root.
      launcherArgs =
        if usesPackagedPlugins then
          [
            "--config"
            pluginNpmRoot
            "${o.stateDir}/npm"
          ]
        else
          [ ];

      # The settings with the plugins declared: those the gateway would switch on, and the packaged ones
      # this instance does not load switched off.
      declare =
        s:
        let
          declared = withAutoEnabledPlugins s;
        in
        if packagedPluginsOff != [ ] then
          lib.recursiveUpdate declared {
            plugins.entries = lib.genAttrs packagedPluginsOff (_: {
              enabled = false;
            });
          }
        else
          declared;

      assertions = [
        {
          assertion = missingPlugins == [ ];
          message = concatStringsSep "\n" (
            map (
              c:
              let
                plugin = externalChannelPlugin.${c};
              in
              "${prefix}.settings.channels.${c}: the ${c} channel comes from the separately published plugin ${facts.externalPlugins.${plugin}.package}, which this flake does not package (packaged: ${concatStringsSep ", " pluginsPackaged}); install it yourself and list its folder in ${prefix}.settings.plugins.load.paths."
            ) missingPlugins
          );
        }
      ];
    };
}
