# golden test case
#
# The typed options of tagged-union-refs: every key upstream's schema declares is an option. An optional key is
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

  # A union of objects told apart by one key each fixes to a constant (OpenClaw's SecretRef by `source`): a value
  # is checked and merged as the variant its tag names, so that a missing or unknown tag, or a key that variant
  # lacks, is an error naming the option (`t.oneOf` of submodules would always take the first).
  tagged =
    tag: variants:
    let
      # the tag as written, also under mkDefault / mkForce / mkIf
      tagOf =
        v:
        let
          value = if builtins.isAttrs v then v.${tag} or null else null;
          plain = if builtins.isAttrs value && value ? content then value.content else value;
        in
        if builtins.isString plain && variants ? ${plain} then plain else null;
      names = builtins.attrNames variants;
    in
    lib.mkOptionType {
      name = "tagged";
      description = "attribute set with ${tag} = ${lib.concatMapStringsSep ", " (n: "\"${n}\"") names}";
      descriptionClass = "noun";
      check = v: tagOf v != null;
      merge =
        loc: defs:
        let
          tags = lib.unique (map (d: tagOf d.value) defs);
        in
        if builtins.length tags == 1 then
          variants.${builtins.head tags}.merge loc defs
        else
          throw "The option `${lib.showOption loc}' has conflicting ${tag} values ${lib.concatMapStringsSep ", " (n: "\"${n}\"") tags} in ${lib.showFiles (lib.getFiles defs)}.";
      nestedTypes = variants;
    };

  # Object types that occur more than once (or recursively), each written once.
  defs = {
    SecretRef = tagged "source" {
      env = t.submodule {
        options = {
          source = lib.mkOption {
            type = t.enum [ "env" ];
          };
          provider = lib.mkOption {
            type = t.strMatching "[a-z][0-9_a-z-]{0,63}";
          };
          id = lib.mkOption {
            type = t.strMatching "[A-Z][0-9A-Z_]{0,127}";
          };
        };
      };
      file = t.submodule {
        options = {
          source = lib.mkOption {
            type = t.enum [ "file" ];
          };
          provider = lib.mkOption {
            type = t.strMatching "[a-z][0-9_a-z-]{0,63}";
          };
          id = lib.mkOption {
            type = t.str;
          };
        };
      };
      exec = t.submodule {
        options = {
          source = lib.mkOption {
            type = t.enum [ "exec" ];
          };
          provider = lib.mkOption {
            type = t.strMatching "[a-z][0-9_a-z-]{0,63}";
          };
          id = lib.mkOption {
            type = t.str;
          };
        };
      };
    };
  };
in
{
  type = t.submodule {
    options = {
      apiKey = lib.mkOption {
        type = t.nullOr (t.oneOf [ secret defs.SecretRef ]);
        default = null;
        description = "Sensitive: give `{ _secret = \"/run/secrets/…\"; }` (a file outside the Nix store) instead of the value; the module passes it to the gateway through the environment and never writes it into the store.";
      };
      channel = lib.mkOption {
        type = t.nullOr (t.submodule {
          options = {
            botToken = lib.mkOption {
              type = t.nullOr (t.oneOf [ secret defs.SecretRef ]);
              default = null;
              description = "Sensitive: give `{ _secret = \"/run/secrets/…\"; }` (a file outside the Nix store) instead of the value; the module passes it to the gateway through the environment and never writes it into the store.";
            };
          };
        });
        default = null;
      };
      reference = lib.mkOption {
        type = t.nullOr defs.SecretRef;
        default = null;
      };
    };
  };
}
