# golden test case
#
# The typed options of required-keys: every key upstream's schema declares is an option. An optional key is
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

  # A key the object requires: its type without the empty value (`[ ]`, `{ }`, `null`) the module system would
  # otherwise use when the key is left out (as nixpkgs' `nonEmptyListOf` does, also through the module
  # system's substitution of submodules), so that leaving it out is the error "The option `…' was accessed
  # but has no value defined".
  required =
    type:
    type
    // {
      emptyValue = { };
      substSubModules = m: required (type.substSubModules m);
    };

  defs = { };
in
{
  type = t.submodule {
    options = {
      providers = lib.mkOption {
        type = t.nullOr (t.attrsOf (t.submodule {
          options = {
            baseUrl = lib.mkOption {
              type = t.str;
            };
            models = lib.mkOption {
              type = required (t.listOf (t.submodule {
                options = {
                  id = lib.mkOption {
                    type = t.str;
                  };
                };
              }));
            };
            headers = lib.mkOption {
              type = required (t.attrsOf secret);
              description = "Its values are sensitive: give each as `{ _secret = \"/run/secrets/…\"; }` (a file outside the Nix store) or a `\${NAME}` reference, never as text. Upstream's schema takes no SecretRef here, so `{ _secret = …; }` is written as a `\${NAME}` string that the gateway substitutes when it reads the config: what it shows of its config (`config.get`) holds the value in clear.";
            };
            match = lib.mkOption {
              type = required (t.submodule {
                options = {
                  channel = lib.mkOption {
                    type = t.str;
                  };
                };
              });
            };
            note = lib.mkOption {
              type = required (t.nullOr t.str);
            };
            apiKey = lib.mkOption {
              type = t.nullOr secret;
              default = null;
              description = "Sensitive: give `{ _secret = \"/run/secrets/…\"; }` (a file outside the Nix store) instead of the value; the module passes it to the gateway through the environment and never writes it into the store.";
            };
          };
        }));
        default = null;
      };
    };
  };
}
