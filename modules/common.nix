# The implementation shared by the NixOS, Home Manager and nix-darwin modules, for each gateway they serve
# (services.clawdbot, services.openclaw: one implementation, each gateway described in
# modules/lib/gateways.nix): the options of one gateway instance (hand-written `enable`, `package`,
# `settings`, `instances`; the service options generated into modules/generated/[<gateway>/]service.nix), the
# settings the service options imply (mkDefault), and the bridge from option values to the rendering of
# modules/lib/ (config file, environment, launcher argv, assertions).
{
  lib,
  pkgs,
  # the gateway's description (modules/lib/gateways.nix)
  gateway,
  # "nixos", "home-manager" or "darwin"
  platform,
  # config.services.<gateway> (read lazily, for the computed defaults)
  cfg,
  # the user's home directory (Home Manager, nix-darwin)
  home ? null,
}:
let
  inherit (lib) types;

  settingsType = (import gateway.settings { inherit lib; }).type;
  paths = import ./lib/paths.nix;
  render = import ./lib/render.nix { inherit lib gateway; };
  module = "services.${gateway.name}";
  toolSelection = import ../nix/tools/select.nix { };

  system = pkgs.stdenv.hostPlatform.system;
  isDarwin = pkgs.stdenv.hostPlatform.isDarwin;
  renderPlatform =
    if platform == "home-manager" && isDarwin then "home-manager-darwin" else platform;

  # The generated service options of one instance; `self` is that instance's config (for the paths that
  # follow stateDir).
  serviceOptions =
    name: self:
    import gateway.serviceOptions {
      inherit lib platform;
      defaults = {
        inherit ((paths.defaults { inherit gateway platform name home; })) stateDir;
        # the paths under the state directory follow the instance's stateDir
        inherit
          (paths.defaults {
            inherit gateway platform name home;
            inherit (self) stateDir;
          })
          configPath
          logFile
          ;
      };
    };


  settingsOption = lib.mkOption {
    type = settingsType;
    default = { };
    description = ''
      The gateway's `${gateway.configFileName}`, typed from upstream's config schema (${gateway.name}
      ${gateway.version}): unknown keys and wrong types are evaluation errors. Rendered to JSON in the Nix store
      with unset (`null`) options left out. The module defines `gateway.mode = "local"`,
      `gateway.port`/`bind`/`auth.mode` from the service options, `logging.file` and
      `agents.defaults.workspace` here at `mkDefault` priority (a value of yours wins; one that disagrees
      with the service option is an error)${autoEnableText}${pluginsText}.

      Secrets never go in here as text: write `{ _secret = "/run/agenix/telegram-token"; }` (a file read at
      service start, passed as an environment variable and referenced as `''${${gateway.envPrefix}_SECRET_…}`),
      or a `''${NAME}` reference to a variable of {option}`environmentFiles`. Reference:
      <${gateway.documentation}>.
    '';
    example = lib.literalExpression ''
      {
        agents.defaults.model.primary = "anthropic/claude-sonnet-4-5";
        channels.telegram = {
          botToken._secret = "/run/agenix/telegram-bot-token";
          dmPolicy = "pairing";
        };
      }
    '';
  };
  autoEnableText = lib.optionalString gateway.autoEnable.channels ", and renders `plugins.entries.<channel>.enabled = true` for every configured channel (otherwise the gateway rewrites its config at start)";
  pluginsText = lib.optionalString hasPlugins ". The plugins named in `plugins` and those of the configured channels are added to `plugins.load.paths` and enabled in `plugins.entries`";

  # Separately published plugins (OpenClaw's): the package set, and what the config needs to load those an
  # instance names (nix/openclaw/plugins.nix settingsFor), at normal priority so that load paths of the
  # user's own add to them.
  hasPlugins = gateway.pluginsAttr != null;
  pluginSet =
    pkgs.${gateway.pluginsAttr}
      or (pkgs.callPackage ../nix/openclaw/plugins.nix { ${gateway.packageAttr} = cfg.package; });
  packagedPlugins = if hasPlugins then lib.genAttrs pluginSet.ids (id: pluginSet.${id}.path) else { };
  # The plugins an instance loads: its `plugins` and the packaged plugin of each channel that is on
  # (./lib/plugins.nix loadedPluginsOf). They depend on settings.channels, so the condition sits on
  # settings.plugins alone: settings.channels is read without forcing it.
  pluginsLib = import ./lib/plugins.nix {
    inherit lib gateway;
    inherit (render) facts;
  };
  pluginSettings = instance: {
    plugins = lib.mkIf hasPlugins (
      let
        loaded = pluginsLib.loadedPluginsOf {
          inherit (instance) plugins;
          channels = render.stripNulls (if instance.settings.channels or null == null then { } else instance.settings.channels);
          packaged = pluginSet.ids;
        };
      in
      lib.mkIf (loaded != [ ]) (pluginSet.settingsFor loaded).plugins
    );
  };

  instanceModule =
    { name, config, ... }:
    {
      options = {
        enable = lib.mkEnableOption "this gateway instance" // {
          default = true;
        };
        package = lib.mkOption {
          type = types.package;
          default = cfg.package;
          defaultText = lib.literalExpression "config.${module}.package";
          description = "The gateway package of this instance.";
        };
        settings = settingsOption;
      }
      // serviceOptions name config;
      config = memoryDefaults config // {
        settings = lib.mkMerge [
          (moduleSettings config)
          (pluginSettings config)
        ];
      };
    };

  # What `memory.profile` implies for `memory.max` and `memory.heapMiB` (./lib/memory.nix), at mkDefault
  # priority: visible in the option values, a value of the user's wins. (MemoryHigh= and OOMScoreAdjust= have
  # no option: the units take them from the profile.)
  memoryDefaults =
    instance:
    let
      derived = memory.limits {
        inherit (instance.memory) profile;
        max = null;
        heapMiB = null;
      };
    in
    {
      memory = lib.mkIf (instance.memory.profile != null) {
        max = lib.mkDefault derived.max;
        heapMiB = lib.mkDefault derived.heapMiB;
      };
    };
  memory = import ./lib/memory.nix;

  # The settings the service options imply (gateway port, bind, auth mode, mode "local", log file,
  # workspace: modules/lib/render.nix moduleSettings), at mkDefault priority: visible in the option values,
  # and a user definition wins (one that disagrees with the service option is an assertion).
  moduleSettings = instance: lib.mapAttrsRecursive (_: lib.mkDefault) (render.moduleSettings instance);

  # Every enabled instance as { name; value = <its option values>; }; "default" is services.<gateway> itself.
  enabledInstances =
    lib.optional cfg.enable {
      name = "default";
      value = cfg;
    }
    ++ lib.filter (i: i.value.enable) (lib.mapAttrsToList lib.nameValuePair cfg.instances);

  toolPackages = pkgs.clawdbotTools or (pkgs.callPackage ../nix/tools { });

  # `dirOf passthru.spec.entry` of this flake's package: where the gateway's validator module is found.

  # The config file: written to the store and, with this flake's package (which carries its Node and the
  # layout of its tree in passthru), checked at build time against the generated JSON schema and by
  # upstream's own validator, so that an invalid config fails the build rather than the service start.
  # Other packages get a plain pkgs.writeText.
  configWriter =
    package:
    if package ? passthru.spec.entry && package ? passthru.nodejs then
      name: text:
      pkgs.runCommand name
        {
          inherit text;
          passAsFile = [ "text" ];
        }
        ''
          export HOME="$TMPDIR"
          ${package.passthru.nodejs}/bin/node ${./lib/validate-config.mjs} \
            ${package}/${builtins.dirOf package.passthru.spec.entry}/${gateway.validator} "$textPath" \
            ${gateway.schema}
          cp "$textPath" "$out"
        ''
    else
      pkgs.writeText;

  # Channel and plugin ids: `channels.<id>` and `plugins.entries.<id>` are open in the schema (plugins add
  # channels), so a misspelled id would evaluate and only the gateway would refuse it. The ids it knows are
  # the generator's facts (modules/generated/[<gateway>/]facts.json: bundled plugins and channels, and the
  # separately published ones) plus, for channels, the ids of the plugins the config declares; with
  # `plugins.load.paths` of the user's own, any plugin id may exist and nothing is checked.
  idAssertions =
    r:
    let
      inherit (render) facts;
      settings = r.render.userSettings;
      prefix = r.render.prefix;
      plugins = settings.plugins or { };
      declaredPlugins = lib.attrNames (plugins.entries or { });
      ownLoadPaths = lib.filter (p: !(lib.elem p (lib.attrValues packagedPlugins))) (plugins.load.paths or [ ]);
      pluginPathsGiven = ownLoadPaths != [ ];
      channelIds = lib.filter (id: !(lib.elem id facts.channelSettingsKeys)) (lib.attrNames (settings.channels or { }));
      knownChannels = facts.channels ++ lib.attrNames render.externalChannelPlugin ++ declaredPlugins;
      knownPlugins = facts.plugins ++ lib.attrNames (facts.externalPlugins or { });
      unknownChannels = lib.filter (id: !(lib.elem id knownChannels)) channelIds;
      unknownPlugins = lib.filter (id: !(lib.elem id knownPlugins)) declaredPlugins;
      suggest =
        known: id:
        let
          close = lib.filter (k: lib.strings.levenshteinAtMost 2 id k) known;
        in
        if close == [ ] then "" else " — did you mean \"${lib.head close}\"?";
      message =
        what: option: known: ids:
        lib.concatMapStringsSep "\n" (
          id: "${prefix}.settings.${option}.\"${id}\": unknown ${what} id${suggest known id} Known: ${lib.concatStringsSep ", " known}. A plugin that is not bundled with the gateway needs settings.plugins.load.paths."
        ) ids;
    in
    lib.optionals (!pluginPathsGiven) [
      {
        assertion = unknownChannels == [ ];
        message = message "channel" "channels" knownChannels unknownChannels;
      }
      {
        assertion = unknownPlugins == [ ];
        message = message "plugin" "plugins.entries" knownPlugins unknownPlugins;
      }
    ];

  # Settings a packaged plugin cannot serve as built (nix/openclaw/plugins.nix `refused`: Matrix's end-to-end
  # encryption), refused while the instance loads that plugin from the store: `encryption = true -> a Matrix
  # plugin of one's own`.
  refusedPluginSettings =
    r:
    let
      settings = r.render.userSettings;
      loadPaths = settings.plugins.load.paths or [ ];
      loaded = lib.filter (id: lib.elem pluginSet.${id}.path loadPaths) pluginSet.ids;
      check =
        rule:
        let
          hits = lib.filter (hit: hit.value == rule.value) (render.valuesAt rule.path [ ] settings);
        in
        {
          assertion = hits == [ ];
          message = lib.concatMapStringsSep "\n" (
            hit:
            "${r.render.prefix}.settings.${lib.concatMapStringsSep "." (k: if lib.isInt k then toString k else lib.strings.escapeNixIdentifier k) hit.path} = ${builtins.toJSON rule.value}: ${rule.why}"
          ) hits;
        };
    in
    lib.optionals hasPlugins (lib.concatMap (id: map check pluginSet.${id}.refused) loaded);
in
{
  inherit settingsType enabledInstances;

  # The path options are nixpkgs' types.externalPath (added in nixpkgs 25.11): an older nixpkgs is named here,
  # not met as "attribute 'externalPath' missing" deep in the generated option files.
  options =
    lib.throwIfNot (types ? externalPath)
      "${module}: needs nixpkgs 25.11 or later (its lib.types.externalPath); this configuration's nixpkgs lib is ${lib.version}. Follow a newer nixpkgs, or drop `inputs.nixpkgs.follows` on this flake to use the nixpkgs it pins."
      (
        {
          enable = lib.mkEnableOption "the ${gateway.displayName} gateway, an always-on AI assistant gateway (the default instance)";
          package = lib.mkPackageOption pkgs gateway.packageAttr { };
          settings = settingsOption;
          instances = lib.mkOption {
            type = types.attrsOf (types.submodule instanceModule);
            default = { };
            description = ''
              Further gateways side by side, each with the options of `${module}` and its own unit
              (`${gateway.name}-<name>`), state directory (`…-<name>`), config file and port range: each gateway uses
              its port and the next four, so keep ports at least 5 apart.
            '';
            example = lib.literalExpression ''
              {
                work = {
                  port = 18800;
                  settings.agents.defaults.model.primary = "openai/gpt-5";
                };
              }
            '';
          };
        }
        // serviceOptions "default" cfg
      );

  # services.<gateway>.settings: the default instance's share of moduleSettings and the plugins' settings
  # (modules set it in config).
  defaultSettings = lib.mkIf cfg.enable (
    lib.mkMerge [
      (moduleSettings cfg)
      (pluginSettings cfg)
    ]
  );

  # services.<gateway>.memory: the default instance's share of memoryDefaults (the platform modules set it).
  defaultMemory = lib.mkIf cfg.enable (memoryDefaults cfg).memory;

  # The renderer's arguments for one instance (modules/lib/nixos-unit.nix, hm-unit.nix).
  renderArgs = instance: {
    inherit lib gateway packagedPlugins;
    inherit (instance) name;
    options = removeAttrs instance.value [
      "enable"
      "package"
      "instances"
      "_module"
    ];
    package = instance.value.package;
    shell = pkgs.runtimeShell;
    inherit system home;
    writeText = configWriter instance.value.package;
    # coreutils for the launcher (mkdir, ln, cp, cat), then the chosen tools (a tool without a release for
    # this system is an assertion, so it is left out here rather than failing the evaluation first)
    path = [
      pkgs.coreutils
    ]
    ++ map (t: toolPackages.${t}) (
      lib.filter (t: lib.elem t (toolSelection.availableFor system)) instance.value.tools
    );
  };

  # The module-level assertions: every instance's own and the names. Those between instances (ports,
  # paths) are the platform module's, across every gateway it serves (render.crossAssertions).
  assertions =
    rendered:
    lib.concatMap (r: r.assertions ++ idAssertions r ++ refusedPluginSettings r) rendered
    ++ [
      {
        assertion = !(cfg.instances ? default);
        message = "${module}.instances.default: the name \"default\" is reserved for ${module} itself; rename the instance.";
      }
    ];

  inherit renderPlatform;

  # The owner's `<gateway>` command of each rendered instance (modules/lib/render.nix, cliScript): the
  # gateway's CLI with the service's config, secrets, environment files and gateway token.
  cliPackages = map (
    r:
    pkgs.writeTextFile {
      name = r.cliName;
      destination = "/bin/${r.cliName}";
      executable = true;
      text = r.cliScript;
    }
  );
}
