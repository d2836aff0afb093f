# golden test case
#
# The typed options of enums-and-unions: every key upstream's schema declares is an option. An optional key is
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
      mode = lib.mkOption {
        type = t.nullOr (t.enum [ "local" "remote" ]);
        default = null;
        description = "Local or remote.";
      };
      level = lib.mkOption {
        type = t.nullOr (t.enum [ "info" "debug" ]);
        default = null;
      };
      native = lib.mkOption {
        type = t.nullOr (t.oneOf [ t.bool (t.enum [ "auto" ]) ]);
        default = null;
      };
      model = lib.mkOption {
        type = t.nullOr (t.oneOf [ t.str (t.submodule {
          options = {
            primary = lib.mkOption {
              type = t.nullOr t.str;
              default = null;
            };
            fallbacks = lib.mkOption {
              type = t.nullOr (t.listOf t.str);
              default = null;
            };
          };
        }) ]);
        default = null;
      };
      maybe = lib.mkOption {
        type = t.nullOr t.str;
        default = null;
      };
    };
  };
}
