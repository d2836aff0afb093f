# golden test case
#
# The typed options of recognised-unions: every key upstream's schema declares is an option. An optional key is
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

  # A union of objects without one tag (OpenClaw's channels.twitch: one account's keys or `accounts`): each
  # variant but at most one is recognised by a key (`has`) only it declares, or one it requires to be a constant
  # (`is`); a value goes to the variant its definitions recognise, else to the one without `has`, which checks and
  # merges it, so that its errors name the option (`t.oneOf` of submodules would always take the first).
  recognised =
    variants:
    let
      # a key's value as written, also under mkDefault / mkForce / mkIf
      plain = x: if builtins.isAttrs x && x ? content then plain x.content else x;
      holds = variant: v: variant ? has && v ? ${variant.has} && (!(variant ? is) || plain v.${variant.has} == variant.is);
      indices = lib.range 0 (builtins.length variants - 1);
      fallback = lib.findFirst (i: !(builtins.elemAt variants i ? has)) null indices;
      # the variant a definition names by its keys (null: none)
      named = v: lib.findFirst (i: holds (builtins.elemAt variants i) v) null indices;
      description = lib.concatMapStringsSep " or " (
        variant: if variant ? has then "${variant.type.description} with ${variant.has}" else variant.type.description
      ) variants;
    in
    lib.mkOptionType {
      name = "recognised";
      inherit description;
      descriptionClass = "conjunction";
      check = v: builtins.isAttrs v && (named v != null || fallback != null);
      merge =
        loc: defs:
        let
          picked = lib.unique (builtins.filter (i: i != null) (map (d: named d.value) defs));
        in
        if builtins.length picked > 1 then
          throw "The option `${lib.showOption loc}' mixes the keys of different kinds (${description}) in ${lib.showFiles (lib.getFiles defs)}."
        else if picked == [ ] && fallback == null then
          throw "The option `${lib.showOption loc}' is none of: ${description}, in ${lib.showFiles (lib.getFiles defs)}."
        else
          (builtins.elemAt variants (if picked == [ ] then fallback else builtins.head picked)).type.merge loc defs;
      nestedTypes = builtins.listToAttrs (lib.imap0 (i: variant: lib.nameValuePair "variant${toString i}" variant.type) variants);
    };

  defs = { };
in
{
  type = t.submodule {
    options = {
      channel = lib.mkOption {
        type = t.nullOr (recognised [
          {
            has = "username";
            type = t.submodule {
              options = {
                username = lib.mkOption {
                  type = t.str;
                };
                token = lib.mkOption {
                  type = secret;
                  description = "Sensitive: give `{ _secret = \"/run/secrets/…\"; }` (a file outside the Nix store) instead of the value; the module passes it to the gateway through the environment and never writes it into the store.";
                };
                enabled = lib.mkOption {
                  type = t.nullOr t.bool;
                  default = null;
                };
              };
            };
          }
          {
            has = "accounts";
            type = t.submodule {
              options = {
                accounts = lib.mkOption {
                  type = required (t.attrsOf (t.submodule {
                    options = {
                      username = lib.mkOption {
                        type = t.str;
                      };
                    };
                  }));
                };
                enabled = lib.mkOption {
                  type = t.nullOr t.bool;
                  default = null;
                };
              };
            };
          }
        ]);
        default = null;
      };
      bindings = lib.mkOption {
        type = t.nullOr (t.listOf (recognised [
          {
            type = t.submodule {
              options = {
                type = lib.mkOption {
                  type = t.nullOr (t.enum [ "route" ]);
                  default = null;
                };
                agentId = lib.mkOption {
                  type = t.str;
                };
                match = lib.mkOption {
                  type = t.str;
                };
              };
            };
          }
          {
            has = "type";
            is = "acp";
            type = t.submodule {
              options = {
                type = lib.mkOption {
                  type = t.enum [ "acp" ];
                };
                agentId = lib.mkOption {
                  type = t.str;
                };
                match = lib.mkOption {
                  type = t.str;
                };
                acp = lib.mkOption {
                  type = t.nullOr (t.submodule {
                    options = {
                      mode = lib.mkOption {
                        type = t.str;
                      };
                    };
                  });
                  default = null;
                };
              };
            };
          }
        ]));
        default = null;
      };
    };
  };
}
