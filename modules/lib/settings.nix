# The config file: what the service options put in it, what it holds, and which settings the service
# options own.
#
# Decides: the settings the service options imply (gateway mode "local", port, bind, auth mode, logging.file,
# agents.defaults.workspace; Clawdbot's unauthenticated browser control and canvas host off), which the
# modules define at mkDefault priority; the config file's content: the user's settings without unset (null)
# keys, the plugins declared (./plugins.nix), every secret replaced by its reference (./secrets.nix); the
# refusals of a setting that contradicts the service option that owns it (port, bind, auth mode,
# workspace) and of a remote-mode config.
#
# Reads: the instance's `settings`, `port`, `bind`, `auth.mode`, `logFile`, `workspace`; the gateway's name and
# the auth modes its schema accepts (`authModes`).
{
  lib,
  # the gateway's description (./gateways.nix)
  gateway,
}:
let
  inherit (builtins)
    filter
    isAttrs
    isList
    toJSON
    ;

  # The settings without their unset (null) options, at any depth: in attribute sets and in lists (the
  # typed settings put every unset option of a list element's submodule there as null, e.g. agents.list).
  # lib.filterAttrsRecursive does not descend into lists.
  stripNulls =
    value:
    if isAttrs value then
      lib.mapAttrs (_: stripNulls) (lib.filterAttrs (_: v: v != null) value)
    else if isList value then
      map stripNulls (filter (v: v != null) value)
    else
      value;

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
        # "none" is written where the gateway's schema has it (OpenClaw; left out, OpenClaw runs in token mode
        # with a token generated for that start, which no client has); Clawdbot's has no "none": the key left out
        // lib.optionalAttrs (builtins.elem o.auth.mode gateway.authModes) { auth.mode = o.auth.mode; };
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
in
{
  inherit stripNulls moduleSettings;

  # One instance's config file. `o`: its option values; `prefix`: its option path; `fileName`: the store
  # file's name; `writeText`: how it is written (pkgs.writeText, or the modules' validating writer);
  # `declarePlugins`, `replaceSecrets`: ./plugins.nix and ./secrets.nix for this instance.
  instance =
    {
      o,
      prefix,
      fileName,
      writeText,
      declarePlugins,
      replaceSecrets,
    }:
    let
      userSettings = stripNulls o.settings;
      settings = replaceSecrets (declarePlugins userSettings);
      configText = toJSON settings;

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
    in
    {
      inherit userSettings settings configText;
      configFile = writeText fileName configText;

      assertions = [
        {
          assertion = gatewayConflicts == [ ];
          message = builtins.concatStringsSep "\n" (
            map (
              c:
              "${prefix}.settings.gateway.${c.key} = ${toJSON c.value} conflicts with ${prefix}.${c.key} = ${toJSON c.service}: the service options own the gateway's port, bind and auth mode. Set ${prefix}.${c.key} and remove the settings key."
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
      ];
    };
}
