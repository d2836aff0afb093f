# golden test case
#
# The typed options of extension: every key upstream's schema declares is an option. An optional key is
# `nullOr T` with `default = null`; the module strips nulls before it renders the file. Closed objects
# reject unknown keys; open ones have an explicit `freeformType`.
{ lib }:
let
  t = lib.types;

  # Object types that occur more than once (or recursively), each written once.
  defs = {
    ChannelAccounts = t.submodule {
      options = {
        token = lib.mkOption {
          type = t.nullOr t.str;
          default = null;
          description = "Token.";
        };
        enabled = lib.mkOption {
          type = t.nullOr t.bool;
          default = null;
          description = "Enabled.";
        };
        name = lib.mkOption {
          type = t.nullOr t.str;
          default = null;
          description = "Name.";
        };
        mode = lib.mkOption {
          type = t.nullOr (t.enum [ "a" "b" ]);
          default = null;
          description = "Mode.";
        };
      };
    };
  };
in
{
  type = t.submodule {
    options = {
      channel = lib.mkOption {
        type = t.nullOr (t.submodule (defs.ChannelAccounts.getSubModules ++ [ {
          options = {
            accounts = lib.mkOption {
              type = t.nullOr (t.attrsOf defs.ChannelAccounts);
              default = null;
              description = "Accounts.";
            };
          };
        } ]));
        default = null;
        description = "Channel.";
      };
    };
  };

  # Paths of the sensitive keys ("*" = any attribute name, "[]" = any list element).
  secretPaths = [ ];
}
