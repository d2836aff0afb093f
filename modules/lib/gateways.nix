# The gateways the modules run, each as the generator describes it: modules/generated/<name>/gateway.json,
# written by `npm run generate` from generator/gateways.ts (the one table of what differs between gateways;
# nix/package.nix, nix/image and clawdbot-nix read the same files). The renderers (render.nix, paths.nix,
# environment.nix, the units) and the modules (common.nix and the platform modules, which declare
# services.<name> for each entry) read a description instead of spelling a gateway's names.
#
# Every gateway.json is read as it is (its fields are documented in generator/gateways.ts GatewayJson), plus:
#   version         the pinned release (the generator's facts.json)
#   facts           the facts file (secret places, channel and plugin ids, ports; render.nix reads it)
#   settings, serviceOptions, schema   the generated typed settings, service options and JSON schema
#   configFileName  = configName; packageAttr, bin = package.attr, package.bin
#   validator       validator.module, from the folder of the package's entry (passthru.spec.entry)
# BUILTINS ONLY: nix/image/config.nix (evaluated without nixpkgs) imports this file.
let
  root = ../..;
  generated = ../generated;
  describe =
    name:
    let
      d = builtins.fromJSON (builtins.readFile (generated + "/${name}/gateway.json"));
      file = path: root + "/${path}";
      facts = file d.files.facts;
    in
    d
    // {
      inherit facts;
      inherit (builtins.fromJSON (builtins.readFile facts)) version;
      settings = file d.files.settings;
      serviceOptions = file d.files.service;
      schema = file d.files.schema;
      configFileName = d.configName;
      packageAttr = d.package.attr;
      inherit (d.package) bin;
      # the module that exports validateConfigObjectWithPlugins, under `dirOf passthru.spec.entry` of the package
      # (gateway.json names it from the package root, node_modules/<packageName>)
      validator =
        let
          spec = builtins.fromJSON (builtins.readFile (root + "/${d.lockDir}/build.json"));
          fromOut = "${spec.projectDir}/node_modules/${d.packageName}/${d.validator.module}";
          entryDir = "${dirOf spec.entry}/";
          n = builtins.stringLength entryDir;
        in
        if builtins.substring 0 n fromOut == entryDir then
          builtins.substring n (builtins.stringLength fromOut) fromOut
        else
          throw "modules/lib/gateways.nix: ${name}'s validator ${fromOut} is not under the entry's folder ${entryDir} (${d.lockDir}/build.json)";
    };
  # every folder of modules/generated/ holding a gateway.json
  names = builtins.filter (name: builtins.pathExists (generated + "/${name}/gateway.json")) (
    builtins.attrNames (builtins.readDir generated)
  );
in
builtins.listToAttrs (
  map (name: {
    inherit name;
    value = describe name;
  }) names
)
