# golden test case
#
# The typed options of lists-merge: every key upstream's schema declares is an option. An optional key is
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
      allow = lib.mkOption {
        type = t.nullOr (t.listOf t.str);
        default = null;
      };
      items = lib.mkOption {
        type = t.nullOr (t.listOf (t.submodule {
          options = {
            id = lib.mkOption {
              type = t.str;
            };
          };
        }));
        default = null;
      };
    };
  };
}
