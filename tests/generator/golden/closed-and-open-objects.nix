# golden test case
#
# The typed options of closed-and-open-objects: every key upstream's schema declares is an option. An optional key is
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
      closed = lib.mkOption {
        type = t.nullOr (t.submodule {
          options = {
            a = lib.mkOption {
              type = t.nullOr t.str;
              default = null;
            };
          };
        });
        default = null;
      };
      open = lib.mkOption {
        type = t.nullOr (t.submodule {
          freeformType = t.attrsOf t.anything;
          options = {
            a = lib.mkOption {
              type = t.nullOr t.str;
              default = null;
            };
          };
        });
        default = null;
      };
      record = lib.mkOption {
        type = t.nullOr (t.attrsOf (t.ints.between (-9007199254740991) 9007199254740991));
        default = null;
      };
      named = lib.mkOption {
        type = t.nullOr (t.addCheck (t.attrsOf t.str) (v: builtins.all (n: builtins.match "[0-9a-z-]+" n != null) (builtins.attrNames v)));
        default = null;
      };
      anything = lib.mkOption {
        type = t.nullOr t.anything;
        default = null;
      };
      required = lib.mkOption {
        type = t.nullOr (t.submodule {
          options = {
            id = lib.mkOption {
              type = t.str;
            };
            note = lib.mkOption {
              type = t.nullOr t.str;
              default = null;
            };
          };
        });
        default = null;
      };
    };
  };
}
