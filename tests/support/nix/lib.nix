# nixpkgs' real `lib` for the tests' evaluations: CLAWDBOT_T1_NIXPKGS_LIB when set, else
# ../shared/t1/nixpkgs-lib beside the checkout (tests/support/nix.ts t1Sources finds the same folder; the tests
# that import this file skip loudly when it says the tree is missing). Never a stand-in: the modules' renderers
# are evaluated with the lib they are written against.
let
  set = builtins.getEnv "CLAWDBOT_T1_NIXPKGS_LIB";
  root = if set != "" then set else toString ../../../../shared/t1/nixpkgs-lib;
in
if builtins.pathExists "${root}/lib/default.nix" then
  import "${root}/lib"
else
  throw "tests/support/nix/lib.nix: no nixpkgs lib at ${root} (${
    if set != "" then "CLAWDBOT_T1_NIXPKGS_LIB" else "CLAWDBOT_T1_NIXPKGS_LIB is unset and ../shared/t1/nixpkgs-lib is missing"
  }; see ../shared/t1/README.md and CONTRIBUTING, T1)"
