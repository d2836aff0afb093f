# golden test case
#
# The typed options of bounds-lengths-notes: every key upstream's schema declares is an option. An optional key is
# `nullOr T` with `default = null`; the module strips nulls before it renders the file. Closed objects
# reject unknown keys; open ones have an explicit `freeformType`.
{ lib }:
let
  t = lib.types;

  # A sensitive string: the value itself, or `{ _secret = "/path/to/file"; }` naming a file outside the
  # Nix store that holds it. The module turns the file form into an environment variable reference.
  # Only a set whose one key is `_secret` is this form, so that a union with an attribute set (a service
  # account given as JSON) still takes other sets.
  secretRef = t.addCheck (t.submodule {
    options._secret = lib.mkOption {
      type = t.externalPath;
      description = "Absolute path of a file (outside the Nix store) holding the secret value.";
    };
  }) (v: builtins.isAttrs v && builtins.attrNames v == [ "_secret" ]);
  # A secret string whose text form has checks of its own (a pattern, a length): the text checked, the file
  # form as any other.
  secretOf = str: t.either str secretRef;
  secret = secretOf t.str;

  # Object types that occur more than once (or recursively), each written once.
  defs = {
    HooksBeforeOrAfter = t.submodule {
      options = {
        command = lib.mkOption {
          type = t.str;
          description = "Upstream requires the value to match the JavaScript regular expression `^(?!\\s*-)`, which Nix's `builtins.match` cannot run (a lookahead): the gateway's validator checks it when the configuration is built.";
        };
        args = lib.mkOption {
          type = t.nullOr (t.listOf t.str);
          default = null;
        };
        cwd = lib.mkOption {
          type = t.nullOr t.str;
          default = null;
        };
      };
    };
  };
in
{
  type = t.submodule {
    options = {
      timeoutMs = lib.mkOption {
        type = t.nullOr (t.ints.between 0 9007199254740991);
        default = null;
      };
      offset = lib.mkOption {
        type = t.nullOr (t.ints.between (-9007199254740991) 9007199254740991);
        default = null;
      };
      id = lib.mkOption {
        type = t.nullOr (t.addCheck (t.strMatching "[a-z][0-9a-z-]*") (s: builtins.stringLength s >= 1 && builtins.stringLength s <= 8));
        default = null;
      };
      auth = lib.mkOption {
        type = t.nullOr (t.submodule {
          options = {
            token = lib.mkOption {
              type = t.nullOr (secretOf (t.addCheck t.str (s: builtins.stringLength s >= 1)));
              default = null;
              description = "The token. Sensitive: give `{ _secret = \"/run/secrets/…\"; }` (a file outside the Nix store) instead of the value; the module passes it to the gateway through the environment and never writes it into the store.\n\nUpstream requires the value to match the JavaScript regular expression `^(?!\\s*-)`, which Nix's `builtins.match` cannot run (a lookahead): the gateway's validator checks it when the configuration is built.";
            };
          };
        });
        default = null;
      };
      hooks = lib.mkOption {
        type = t.nullOr (t.submodule {
          options = {
            before = lib.mkOption {
              type = t.nullOr defs.HooksBeforeOrAfter;
              default = null;
            };
            after = lib.mkOption {
              type = t.nullOr defs.HooksBeforeOrAfter;
              default = null;
            };
          };
        });
        default = null;
      };
    };
  };
}
