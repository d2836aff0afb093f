# golden test case
#
# The typed options of shared-definitions: every key upstream's schema declares is an option. An optional key is
# `nullOr T` with `default = null`; the module strips nulls before it renders the file. Closed objects
# reject unknown keys; open ones have an explicit `freeformType`.
{ lib }:
let
  t = lib.types;

  # Object types that occur more than once (or recursively), each written once.
  defs = {
    Retry = t.submodule {
      options = {
        attempts = lib.mkOption {
          type = t.nullOr (t.ints.between 1 9007199254740991);
          default = null;
        };
        minDelayMs = lib.mkOption {
          type = t.nullOr (t.ints.between 0 9007199254740991);
          default = null;
        };
        jitter = lib.mkOption {
          type = t.nullOr (t.numbers.between 0 1);
          default = null;
        };
      };
    };
  };
in
{
  type = t.submodule {
    options = {
      telegram = lib.mkOption {
        type = t.nullOr (t.submodule {
          options = {
            retry = lib.mkOption {
              type = t.nullOr defs.Retry;
              default = null;
            };
            accounts = lib.mkOption {
              type = t.nullOr (t.attrsOf (t.submodule {
                options = {
                  retry = lib.mkOption {
                    type = t.nullOr defs.Retry;
                    default = null;
                  };
                };
              }));
              default = null;
            };
          };
        });
        default = null;
      };
      discord = lib.mkOption {
        type = t.nullOr (t.submodule {
          options = {
            retry = lib.mkOption {
              type = t.nullOr defs.Retry;
              default = null;
            };
            enabled = lib.mkOption {
              type = t.nullOr t.bool;
              default = null;
            };
          };
        });
        default = null;
      };
    };
  };
}
