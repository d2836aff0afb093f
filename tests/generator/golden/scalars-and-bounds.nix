# golden test case
#
# The typed options of scalars-and-bounds: every key upstream's schema declares is an option. An optional key is
# `nullOr T` with `default = null`; the module strips nulls before it renders the file. Closed objects
# reject unknown keys; open ones have an explicit `freeformType`.
{ lib }:
let
  t = lib.types;

  defs = { };
in
{
  type = t.submodule {
    options = {
      flag = lib.mkOption {
        type = t.nullOr t.bool;
        default = null;
      };
      count = lib.mkOption {
        type = t.nullOr (t.ints.between 0 9007199254740991);
        default = null;
      };
      positive = lib.mkOption {
        type = t.nullOr (t.ints.between 1 9007199254740991);
        default = null;
      };
      port = lib.mkOption {
        type = t.nullOr (t.ints.between 1 65535);
        default = null;
      };
      anyPort = lib.mkOption {
        type = t.nullOr t.port;
        default = null;
      };
      ratio = lib.mkOption {
        type = t.nullOr (t.numbers.between 0 1);
        default = null;
      };
      percent = lib.mkOption {
        type = t.nullOr (t.ints.between 0 100);
        default = null;
      };
      color = lib.mkOption {
        type = t.nullOr (t.strMatching "#?[0-9A-Fa-f]{6}");
        default = null;
      };
    };
  };
}
