# String and attribute-set helpers with builtins only (no nixpkgs `lib`): the rendering functions of
# modules/lib/ must evaluate with a bare `nix-instantiate --eval` (tests, T0).
let
  inherit (builtins)
    attrNames
    concatStringsSep
    elem
    filter
    foldl'
    genList
    isAttrs
    isList
    listToAttrs
    replaceStrings
    stringLength
    substring
    toJSON
    ;

  lower = [ "a" "b" "c" "d" "e" "f" "g" "h" "i" "j" "k" "l" "m" "n" "o" "p" "q" "r" "s" "t" "u" "v" "w" "x" "y" "z" ];
  upper = [ "A" "B" "C" "D" "E" "F" "G" "H" "I" "J" "K" "L" "M" "N" "O" "P" "Q" "R" "S" "T" "U" "V" "W" "X" "Y" "Z" ];
  digits = [ "0" "1" "2" "3" "4" "5" "6" "7" "8" "9" ];
in
rec {
  toUpper = replaceStrings lower upper;
  toLower = replaceStrings upper lower;

  hasPrefix = prefix: s: substring 0 (stringLength prefix) s == prefix;
  hasSuffix =
    suffix: s:
    let
      n = stringLength s;
      m = stringLength suffix;
    in
    n >= m && substring (n - m) m s == suffix;
  removePrefix = prefix: s: if hasPrefix prefix s then substring (stringLength prefix) (stringLength s) s else s;

  chars = s: genList (i: substring i 1 s) (stringLength s);

  # "botToken" → "BOT_TOKEN", "my-bot" → "MY_BOT", 0 → "0": one component of an environment variable name.
  envComponent =
    value:
    let
      s = toString value;
      step =
        acc: c:
        let
          isUpper = elem c upper;
          prevWord = acc.prev != null && (elem acc.prev lower || elem acc.prev digits);
          alnum = isUpper || elem c lower || elem c digits;
        in
        {
          out = acc.out + (if !alnum then "_" else if isUpper && prevWord then "_" + c else c);
          prev = c;
        };
    in
    toUpper (
      foldl' step {
        out = "";
        prev = null;
      } (chars s)
    ).out;

  # Recursively drop nulls from attribute sets and lists (optional settings default to null).
  stripNulls =
    value:
    if isAttrs value then
      listToAttrs (
        map (name: {
          inherit name;
          value = stripNulls value.${name};
        }) (filter (name: value.${name} != null) (attrNames value))
      )
    else if isList value then
      map stripNulls (filter (v: v != null) value)
    else
      value;

  # Deep merge: attribute sets merge, anything else on the right wins.
  recursiveUpdate =
    left: right:
    if isAttrs left && isAttrs right then
      left
      // listToAttrs (
        map (name: {
          inherit name;
          value = if left ? ${name} then recursiveUpdate left.${name} right.${name} else right.${name};
        }) (attrNames right)
      )
    else
      right;

  # A systemd quoted string ("…" with C escapes, as NixOS renders Environment=); `%` doubled so that no
  # specifier is expanded.
  # A value of a systemd unit file key, as NixOS' systemd-lib and Home Manager's toSystemdIni write it.
  systemdValue =
    v:
    if v == true then
      "true"
    else if v == false then
      "false"
    else
      toString v;

  systemdQuote = s: replaceStrings [ "%" ] [ "%%" ] (toJSON s);

  # One ExecStart= argument: bare when it is safe, else quoted; `%` and `$` are escaped everywhere
  # (systemd expands specifiers and variables in ExecStart=). Like nixpkgs' lib.escapeSystemdExecArg.
  systemdExecArg =
    arg:
    let
      s = toString arg;
      safe = builtins.match "[A-Za-z0-9_./:=+,@-]+" s != null;
    in
    if safe then s else replaceStrings [ "%" "$" ] [ "%%" "$$" ] (toJSON s);

  escapeShellArg = s: "'" + replaceStrings [ "'" ] [ "'\\''" ] (toString s) + "'";

  concatLines = lines: concatStringsSep "\n" lines + "\n";

  # An absolute path with `//`, `/./`, `/../` and a trailing `/` folded, lexically (no symlinks followed):
  # what the store check compares. "a/b" (relative) stays relative.
  normalizePath =
    path:
    let
      s = toString path;
      parts = filter (p: builtins.isString p && p != "" && p != ".") (builtins.split "/" s);
      folded = foldl' (acc: p: if p == ".." then (if acc == [ ] then [ ] else genList (i: builtins.elemAt acc i) (builtins.length acc - 1)) else acc ++ [ p ]) [ ] parts;
    in
    (if hasPrefix "/" s then "/" else "") + concatStringsSep "/" folded;

  # Is `path` (normalised) `dir` or below it?
  isWithin =
    dir: path:
    let
      d = normalizePath dir;
      p = normalizePath path;
    in
    p == d || hasPrefix (if d == "/" then "/" else "${d}/") p;

  dirOf = path: toString (builtins.dirOf path);
}
