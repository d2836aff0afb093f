# The gateway's environment, for every way this flake runs it: the NixOS, Home Manager and nix-darwin
# services (modules/lib/render.nix) and the OCI image (nix/image/config.nix). Nix mode on, the state and
# config paths, no self-respawn, HOME and a persistent TMPDIR, mDNS off unless wanted, the V8 heap limit,
# PATH from the given packages, then whatever the caller adds (the user's `environment` last).
{
  # the gateway's description (./gateways.nix): the variables' prefix
  gateway ? throw "modules/lib/environment.nix: the `gateway` argument is required: a description of modules/lib/gateways.nix, e.g. gateway = (import ./modules/lib/gateways.nix).openclaw;",
  stateDir,
  configPath,
  home,
  tmpDir,
  bonjour ? false,
  heapMiB ? null,
  # packages (store paths) whose bin/ go on PATH, in order
  path ? [ ],
  extra ? { },
}:
let
  p = gateway.envPrefix;
in
{
  "${p}_NIX_MODE" = "1";
  "${p}_STATE_DIR" = stateDir;
  "${p}_CONFIG_PATH" = configPath;
  # one process: no self-respawn (the service manager restarts it)
  "${p}_NO_RESPAWN" = "1";
  # the CLI's device key, the default workspace, exec approvals and sandboxes live under HOME
  HOME = home;
  # the jiti transpile cache and the gateway lock: persistent, never PrivateTmp
  TMPDIR = tmpDir;
}
// (if bonjour then { } else { "${p}_DISABLE_BONJOUR" = "1"; })
// (if heapMiB != null then { NODE_OPTIONS = "--max-old-space-size=${toString heapMiB}"; } else { })
// (if path != [ ] then { PATH = builtins.concatStringsSep ":" (map (p: "${p}/bin") path); } else { })
// extra
