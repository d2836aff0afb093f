# A stand-in for how Home Manager writes a launchd agent (modules/launchd/default.nix: mutateConfig with
# waitForNixStore, then lib.generators.toPlist { escape = true; }), from the agent attrset
# modules/lib/hm-unit.nix gives `launchd.agents.<name>.config`. tests/modules/golden.test.ts compares it with
# Home Manager's own plist at T1.
agent:
let
  escapeXML = builtins.replaceStrings [ "\"" "'" "<" ">" "&" ] [ "&quot;" "&apos;" "&lt;" "&gt;" "&amp;" ];
  escapeShellArg =
    arg:
    let
      s = toString arg;
    in
    if builtins.match "[[:alnum:],._+:@%/-]+" s == null then "'${builtins.replaceStrings [ "'" ] [ "'\\''" ] s}'" else s;
  config =
    builtins.removeAttrs agent [ "ProgramArguments" ]
    // {
      ProgramArguments = [
        "/bin/sh"
        "-c"
        "/bin/wait4path /nix/store && exec ${builtins.concatStringsSep " " (map escapeShellArg agent.ProgramArguments)}"
      ];
    };
  expr =
    ind: x:
    if builtins.isBool x then
      ind + (if x then "<true/>" else "<false/>")
    else if builtins.isInt x then
      ind + "<integer>${toString x}</integer>"
    else if builtins.isString x then
      ind + "<string>${escapeXML x}</string>"
    else if builtins.isList x then
      builtins.concatStringsSep "\n" ([ (ind + "<array>") ] ++ map (expr "\t${ind}") x ++ [ (ind + "</array>") ])
    else
      builtins.concatStringsSep "\n" (
        [ (ind + "<dict>") ]
        ++ builtins.concatMap (name: [
          "\t${ind}<key>${escapeXML name}</key>"
          (expr "\t${ind}" x.${name})
        ]) (builtins.filter (name: x.${name} != null) (builtins.attrNames x))
        ++ [ (ind + "</dict>") ]
      );
in
''
  <?xml version="1.0" encoding="UTF-8"?>
  <!DOCTYPE plist PUBLIC "-//Apple Computer//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
  <plist version="1.0">
  ${expr "" config}
  </plist>''
