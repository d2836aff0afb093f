# golden test case
#
# The typed options of secrets: every key upstream's schema declares is an option. An optional key is
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

  defs = { };
in
{
  type = t.submodule {
    options = {
      auth = lib.mkOption {
        type = t.nullOr (t.submodule {
          options = {
            token = lib.mkOption {
              type = t.nullOr secret;
              default = null;
              description = "The token. Sensitive: give `{ _secret = \"/run/secrets/…\"; }` (a file outside the Nix store) instead of the value; the module passes it to the gateway through the environment and never writes it into the store.";
            };
            mode = lib.mkOption {
              type = t.nullOr (t.enum [ "token" "password" ]);
              default = null;
            };
          };
        });
        default = null;
      };
    };
  };
}
