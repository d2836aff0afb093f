# What ./nixos-unit-text.nix and ./nixos-watchdog-text.nix write alike, as NixOS' systemd-lib.nix writes unit
# keys: a value as text (booleans "true"/"false"), a key per line with lists as repeated keys (keys sorted, as
# builtins.attrNames gives them), and a quoted Environment= word (JSON string, % doubled).
rec {
  value =
    v:
    if v == true then
      "true"
    else if v == false then
      "false"
    else
      toString v;
  keyLines =
    attrs:
    builtins.concatMap (
      key:
      let
        v = attrs.${key};
      in
      if builtins.isList v then map (x: "${key}=${value x}") v else [ "${key}=${value v}" ]
    ) (builtins.attrNames attrs);
  quote = s: builtins.replaceStrings [ "%" ] [ "%%" ] (builtins.toJSON s);
}
