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
          type = t.nullOr t.ints.positive;
          default = null;
          description = "Attempts.";
        };
        jitter = lib.mkOption {
          type = t.nullOr (t.numbers.between 0 1);
          default = null;
          description = "Jitter.";
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
              description = "Retry.";
            };
            accounts = lib.mkOption {
              type = t.nullOr (t.attrsOf (t.submodule {
                options = {
                  retry = lib.mkOption {
                    type = t.nullOr defs.Retry;
                    default = null;
                    description = "Retry.";
                  };
                };
              }));
              default = null;
              description = "Accounts.";
            };
          };
        });
        default = null;
        description = "Telegram.";
      };
      discord = lib.mkOption {
        type = t.nullOr (t.submodule {
          options = {
            retry = lib.mkOption {
              type = t.nullOr defs.Retry;
              default = null;
              description = "Retry.";
            };
            enabled = lib.mkOption {
              type = t.nullOr t.bool;
              default = null;
              description = "Enabled.";
            };
          };
        });
        default = null;
        description = "Discord.";
      };
    };
  };

  # Paths of the sensitive keys ("*" = any attribute name, "[]" = any list element).
  secretPaths = [ ];
}
