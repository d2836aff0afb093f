# Exposure policy: who beyond the machine's own users can reach the gateway, and on what terms.
#
# Decides: the refusals of every way upstream would serve without authentication or past the service
# options: a bind beyond loopback without a token or password, password mode without a password, Tailscale
# serve/funnel without auth (funnel: without a password; both: not on loopback), trusted proxies without
# auth, a browser control URL beyond loopback without its token, `bind = "custom"` where the gateway cannot
# take it or without its address, flags in `extraArgs` the service options own (a token there is in the
# store and the process list); between instances on one machine: ports closer than 5 (each gateway uses its
# port and the next four), a shared state directory or config file.
#
# Reads: the instance's `bind`, `port`, `auth`, `extraArgs`, its settings (null-stripped: gateway.tailscale,
# gateway.trustedProxies, gateway.customBindHost, browser.controlUrl/controlToken), whether it has a password
# (./secrets.nix), and whether the gateway takes a custom bind (./gateways.nix, from its schema).
{
  lib,
  # the gateway's description (./gateways.nix)
  gateway,
}:
let
  inherit (builtins)
    any
    concatLists
    concatMap
    concatStringsSep
    elem
    elemAt
    filter
    genList
    length
    match
    ;

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
in
{
  # One instance's exposure. `o`: its option values; `userSettings`: its settings, null-stripped; `prefix`:
  # its option path; `hasPassword`: a password file or one in settings (./secrets.nix).
  instance =
    {
      o,
      userSettings,
      prefix,
      hasPassword,
    }:
    let
      # token mode always has a token (a file, settings, or the generated one)
      authOk = o.auth.mode == "token" || (o.auth.mode == "password" && hasPassword);

      gw = userSettings.gateway or { };
      tailscaleMode = gw.tailscale.mode or "off";
      trustedProxies = gw.trustedProxies or [ ];
      browserControlHost = urlHost (userSettings.browser.controlUrl or "");
      # `clawdbot gateway` flags in extraArgs that the service options own (also as --flag=value)
      ownedExtraArgs = filter (
        a: elem a ownedFlags || any (f: lib.hasPrefix "${f}=" a) ownedFlags
      ) (map toString o.extraArgs);
    in
    {
      assertions = [
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
      ];
    };

  # Assertions between instances: ports (each gateway uses its port and the next four) and paths. Each
  # instance is a rendering (render.nix `instance`: `prefix`, `options`).
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
