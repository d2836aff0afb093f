# Baked tool binaries: one small derivation per tool of nix/tools/lock.json, fetched by its pinned URL and
# SRI hash (prebuilt release archives; nothing is compiled). Exposed as `pkgs.clawdbotTools` by the overlay:
#
#   clawdbotTools.<name>          the tool's derivation (evaluation error on a system without a release)
#   clawdbotTools.select [ names ] the derivations of a chosen list (same error, naming tool and system)
#   clawdbotTools.bundle [ names ] the gateway with exactly those tools on its PATH: a small wrapper around
#                                  the one bare gateway (no second npm install, node_modules or jiti cache)
#   clawdbotTools.bundleFor gateway [ names ]
#                                  the same around another gateway package (openclaw-gateway)
#   clawdbotTools.availableFor     names with a release for this system (for documentation, never for filtering)
#   clawdbotTools.defaultTools     the default bundle's list for this system;  clawdbotTools.gateway
{
  lib,
  stdenv,
  fetchurl,
  unzip,
  autoPatchelfHook,
  makeWrapper,
  runCommand,
  clawdbot-gateway ? null,
}:
let
  selection = import ./select.nix { };

  inherit (stdenv.hostPlatform) system;

  mkTool =
    name:
    let
      source = selection.source system name;
    in
    stdenv.mkDerivation {
      pname = name;
      inherit (source) version;

      src = fetchurl { inherit (source) url hash; };

      # Release archives put the binary at the top or one folder down; unpack in place and find it.
      sourceRoot = ".";

      nativeBuildInputs =
        lib.optionals (lib.hasSuffix ".zip" source.url) [ unzip ]
        ++ lib.optionals stdenv.hostPlatform.isLinux [ autoPatchelfHook ];

      # Go binaries are static; the few cgo ones need only the C library.
      buildInputs = lib.optionals stdenv.hostPlatform.isLinux [ stdenv.cc.libc ];

      dontConfigure = true;
      dontBuild = true;
      dontStrip = true;

      installPhase = ''
        runHook preInstall
        binary=$(find . -type f -name ${lib.escapeShellArg source.mainProgram} -print | sort | head -n 1)
        if [ -z "$binary" ]; then
          echo "${name}: no file named ${source.mainProgram} in ${source.url}" >&2
          exit 1
        fi
        install -Dm755 "$binary" "$out/bin/${source.mainProgram}"
        runHook postInstall
      '';

      doInstallCheck = true;
      installCheckPhase = ''
        runHook preInstallCheck
        test -x "$out/bin/${source.mainProgram}"
        runHook postInstallCheck
      '';

      meta = {
        description = "${name} (prebuilt release binary of github.com/${source.repo}) for the Clawdbot and OpenClaw gateways";
        homepage = "https://github.com/${source.repo}";
        license = lib.getLicenseFromSpdxId source.license;
        platforms = selection.systemsOf name;
        mainProgram = source.mainProgram;
        sourceProvenance = [ lib.sourceTypes.binaryNativeCode ];
      };
    };

  tools = lib.genAttrs selection.names mkTool;

  # Checks every name first, so the error names the tool and the system instead of a derivation attribute.
  select = names: map (name: builtins.seq (selection.source system name) tools.${name}) names;

  # The gateway with `toolDrvs` on its PATH: a wrapper script that execs the bare gateway's own wrapper, plus
  # links to its lib/ and share/ (the image and the modules read share/clawdbot and passthru from here).
  # The gateway still runs from its own store path, so its build-time jiti cache (keyed by the absolute
  # paths of the plugin sources) stays valid, and every bundle shares one gateway in the store. No tools: the
  # gateway itself (an empty PATH prefix would put the working directory on PATH).
  wrapWithTools =
    gateway: toolDrvs:
    if toolDrvs == [ ] then
      gateway
    else
      runCommand "${gateway.meta.mainProgram}-${gateway.version}"
        {
          inherit (gateway) version;
          nativeBuildInputs = [ makeWrapper ];
          passthru = gateway.passthru // {
            inherit gateway;
            tools = toolDrvs;
          };
          meta = gateway.meta // {
            description = "${gateway.meta.description}, with baked tools on its PATH";
          };
        }
        ''
          mkdir -p "$out/bin"
          ln -s ${gateway}/lib "$out/lib"
          ln -s ${gateway}/share "$out/share"
          makeWrapper ${lib.getExe gateway} "$out/bin/${gateway.meta.mainProgram}" \
            --prefix PATH : ${lib.escapeShellArg (lib.makeBinPath toolDrvs)}
        '';
in
tools
// {
  inherit select;
  gateway = clawdbot-gateway;
  availableFor = selection.availableFor system;
  defaultTools = selection.defaultTools.${system} or [ ];
  bundle =
    names:
    if clawdbot-gateway == null then
      throw "clawdbotTools.bundle: no clawdbot-gateway given (use the overlay or nix/packages.nix)"
    else
      wrapWithTools clawdbot-gateway (select names);
  bundleFor = gateway: names: wrapWithTools gateway (select names);
}
