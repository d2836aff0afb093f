# The conformance test's Nix side (tests/conformance/verdicts.ts): samples `from` .. `to` - 1 of a JSON list of
# { id; config; }, each through the generated settings type with the real nixpkgs lib (one `lib.evalModules` per
# sample, its config forced with deepSeq inside `builtins.tryEval`). Each sample's verdict goes to stderr as it
# is made ("trace: conformance-result:{id,ok,same}"; `same`: the settings the module system returns, nulls left
# out, are the sample), after "trace: conformance-begin:<id>", so that an error tryEval cannot catch (an invalid
# regular expression in `builtins.match`) names its sample and the caller carries on after it.
{ nixpkgsLib, settings, samplesFile, from, to }:
let
  lib = import (nixpkgsLib + "/lib");
  generated = import settings { inherit lib; };
  samples = builtins.fromJSON (builtins.readFile samplesFile);
  strip = v:
    if builtins.isAttrs v then lib.mapAttrs (_: strip) (lib.filterAttrs (_: x: x != null) v)
    else if builtins.isList v then map strip v
    else v;
  one = s:
    let
      evaluated = lib.evalModules {
        modules = [
          { options.settings = lib.mkOption { type = generated.type; default = { }; }; }
          { settings = s.config; }
        ];
      };
      r = builtins.tryEval (let v = strip evaluated.config.settings; in builtins.deepSeq v v);
    in { inherit (s) id; ok = r.success; same = r.success && r.value == strip s.config; };
  report = s:
    let
      begin = builtins.trace "conformance-begin:${toString s.id}" null;
      r = builtins.seq begin (one s);
    in builtins.trace ("conformance-result:" + builtins.toJSON r) r.ok;
in
builtins.foldl' (n: s: builtins.seq (report s) (n + 1)) 0 (lib.sublist from (to - from) samples)
