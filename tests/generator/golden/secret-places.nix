# golden test case
#
# The typed options of secret-places: every key upstream's schema declares is an option. An optional key is
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
      hooks = lib.mkOption {
        type = t.nullOr (t.submodule {
          options = {
            token = lib.mkOption {
              type = t.nullOr secret;
              default = null;
              description = "Sensitive: give `{ _secret = \"/run/secrets/…\"; }` (a file outside the Nix store) instead of the value; the module passes it to the gateway through the environment and never writes it into the store.";
            };
            tokenFile = lib.mkOption {
              type = t.nullOr t.str;
              default = null;
            };
            maxTokens = lib.mkOption {
              type = t.nullOr (t.ints.between (-9007199254740991) 9007199254740991);
              default = null;
            };
            apiKeyEnv = lib.mkOption {
              type = t.nullOr t.str;
              default = null;
            };
          };
        });
        default = null;
      };
      channel = lib.mkOption {
        type = t.nullOr (t.submodule {
          options = {
            botToken = lib.mkOption {
              type = t.nullOr secret;
              default = null;
              description = "Sensitive: give `{ _secret = \"/run/secrets/…\"; }` (a file outside the Nix store) instead of the value; the module passes it to the gateway through the environment and never writes it into the store.";
            };
            accounts = lib.mkOption {
              type = t.nullOr (t.attrsOf (t.submodule {
                options = {
                  botToken = lib.mkOption {
                    type = t.nullOr secret;
                    default = null;
                    description = "Sensitive: give `{ _secret = \"/run/secrets/…\"; }` (a file outside the Nix store) instead of the value; the module passes it to the gateway through the environment and never writes it into the store.";
                  };
                  name = lib.mkOption {
                    type = t.nullOr t.str;
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
      providers = lib.mkOption {
        type = t.nullOr (t.attrsOf (t.submodule {
          options = {
            apiKey = lib.mkOption {
              type = t.nullOr secret;
              default = null;
              description = "Sensitive: give `{ _secret = \"/run/secrets/…\"; }` (a file outside the Nix store) instead of the value; the module passes it to the gateway through the environment and never writes it into the store.";
            };
            headers = lib.mkOption {
              type = t.nullOr (t.attrsOf secret);
              default = null;
              description = "Its values are sensitive: give each as `{ _secret = \"/run/secrets/…\"; }` (a file outside the Nix store) or a `\${NAME}` reference, never as text. Upstream's schema takes no SecretRef here, so `{ _secret = …; }` is written as a `\${NAME}` string that the gateway substitutes when it reads the config: what it shows of its config (`config.get`) holds the value in clear.";
            };
          };
        }));
        default = null;
      };
      agents = lib.mkOption {
        type = t.nullOr (t.submodule {
          options = {
            list = lib.mkOption {
              type = t.nullOr (t.listOf (t.submodule {
                options = {
                  id = lib.mkOption {
                    type = t.str;
                  };
                  remote = lib.mkOption {
                    type = t.nullOr (t.submodule {
                      options = {
                        apiKey = lib.mkOption {
                          type = t.nullOr secret;
                          default = null;
                          description = "Sensitive: give `{ _secret = \"/run/secrets/…\"; }` (a file outside the Nix store) instead of the value; the module passes it to the gateway through the environment and never writes it into the store.";
                        };
                      };
                    });
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
      env = lib.mkOption {
        type = t.nullOr (t.submodule {
          freeformType = t.attrsOf secret;
          options = {
            vars = lib.mkOption {
              type = t.nullOr (t.attrsOf secret);
              default = null;
              description = "Its values are sensitive: give each as `{ _secret = \"/run/secrets/…\"; }` (a file outside the Nix store) or a `\${NAME}` reference, never as text. Upstream's schema takes no SecretRef here, so `{ _secret = …; }` is written as a `\${NAME}` string that the gateway substitutes when it reads the config: what it shows of its config (`config.get`) holds the value in clear.";
            };
          };
        });
        default = null;
        description = "Its values are sensitive: give each as `{ _secret = \"/run/secrets/…\"; }` (a file outside the Nix store) or a `\${NAME}` reference, never as text. Upstream's schema takes no SecretRef here, so `{ _secret = …; }` is written as a `\${NAME}` string that the gateway substitutes when it reads the config: what it shows of its config (`config.get`) holds the value in clear.";
      };
      serviceAccount = lib.mkOption {
        type = t.nullOr (t.oneOf [ secret (t.attrsOf t.anything) ]);
        default = null;
        description = "Sensitive: give `{ _secret = \"/run/secrets/…\"; }` (a file outside the Nix store) instead of the value; the module passes it to the gateway through the environment and never writes it into the store.";
      };
    };
  };
}
