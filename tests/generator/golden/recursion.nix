# golden test case
#
# The typed options of recursion: every key upstream's schema declares is an option. An optional key is
# `nullOr T` with `default = null`; the module strips nulls before it renders the file. Closed objects
# reject unknown keys; open ones have an explicit `freeformType`.
{ lib }:
let
  t = lib.types;

  # Object types that occur more than once (or recursively), each written once.
  defs = {
    Root = t.submodule {
      options = {
        name = lib.mkOption {
          type = t.str;
        };
        children = lib.mkOption {
          type = t.nullOr (t.listOf defs.Root);
          default = null;
        };
      };
    };
  };
in
{
  type = t.submodule {
    options = {
      root = lib.mkOption {
        type = t.nullOr defs.Root;
        default = null;
      };
    };
  };
}
