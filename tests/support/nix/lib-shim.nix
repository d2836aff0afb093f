# A stand-in for the few nixpkgs `lib` functions modules/lib/*.nix and this folder use, written with
# builtins, so that the T0 tests evaluate the modules' renderers with a bare `nix-instantiate` (no nixpkgs
# on a fresh machine). Not a copy of lib: each function is written to give lib's result for the inputs the
# renderers pass. tests/modules/t1.test.ts proves it: every rendering case evaluated with this file and with
# the real lib gives the same JSON. A function lib has that is missing here fails loudly (attribute missing).
let
  inherit (builtins)
    attrNames
    concatStringsSep
    elemAt
    filter
    genList
    isAttrs
    isString
    length
    listToAttrs
    match
    replaceStrings
    split
    stringLength
    substring
    ;
  lower = [ "a" "b" "c" "d" "e" "f" "g" "h" "i" "j" "k" "l" "m" "n" "o" "p" "q" "r" "s" "t" "u" "v" "w" "x" "y" "z" ];
  upper = [ "A" "B" "C" "D" "E" "F" "G" "H" "I" "J" "K" "L" "M" "N" "O" "P" "Q" "R" "S" "T" "U" "V" "W" "X" "Y" "Z" ];
  regexSpecial = [ "\\" "[" "]" "{" "}" "(" ")" "^" "$" "?" "*" "+" "|" "." ];
in
rec {
  toLower = replaceStrings upper lower;
  toUpper = replaceStrings lower upper;
  hasPrefix = prefix: s: substring 0 (stringLength prefix) s == prefix;
  hasSuffix =
    suffix: s:
    stringLength s >= stringLength suffix
    && substring (stringLength s - stringLength suffix) (stringLength suffix) s == suffix;
  removePrefix = prefix: s: if hasPrefix prefix s then substring (stringLength prefix) (stringLength s) s else s;
  stringToCharacters = s: genList (i: substring i 1 s) (stringLength s);
  splitString = sep: s: filter isString (split (replaceStrings regexSpecial (map (c: "\\" + c) regexSpecial) sep) s);
  escapeShellArg =
    arg:
    let
      s = toString arg;
    in
    if match "[[:alnum:],._+:@%/-]+" s == null then "'${replaceStrings [ "'" ] [ "'\\''" ] s}'" else s;

  init = list: assert list != [ ]; genList (i: elemAt list i) (length list - 1);

  mapAttrs = builtins.mapAttrs;
  filterAttrs = pred: set: listToAttrs (map (name: { inherit name; value = set.${name}; }) (filter (name: pred name set.${name}) (attrNames set)));
  genAttrs = names: f: listToAttrs (map (name: { inherit name; value = f name; }) names);
  optionalAttrs = cond: set: if cond then set else { };
  recursiveUpdate =
    left: right:
    left
    // builtins.mapAttrs (
      name: value: if isAttrs value && isAttrs (left.${name} or null) then recursiveUpdate left.${name} value else value
    ) right;

  # What modules/generated/service.nix declares its options with (tests/support/nix/options.nix reads the
  # defaults out of it; the option types are never forced at T0).
  mkOption = attrs: attrs // { _type = "option"; };
  literalMD = text: { _type = "literalMD"; inherit text; };
  literalExpression = text: { _type = "literalExpression"; inherit text; };
  types = throw "tests/support/nix/lib-shim.nix: option types are not evaluated at T0 (tests/modules/t1.test.ts does, with the real lib)";
}
