# The development flake: the checks that need inputs a user's flake.lock should never carry (Home Manager),
# on top of the flake's own checks. From a checkout (Nix >= 2.26, for the relative `path:..` input):
#
#   nix flake check ./dev        # every check: the flake's own plus the Home Manager ones
#
# nixpkgs is the flake's own (`follows`), so both evaluate against the same pinned tree.
{
  description = "clawdbot-nix development checks (Home Manager)";

  inputs = {
    clawdbot-nix.url = "path:..";
    nixpkgs.follows = "clawdbot-nix/nixpkgs";
    home-manager = {
      url = "github:nix-community/home-manager";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    {
      clawdbot-nix,
      nixpkgs,
      home-manager,
      ...
    }:
    let
      inherit (nixpkgs) lib;
    in
    {
      checks = lib.mapAttrs (
        system: checks:
        let
          pkgs = nixpkgs.legacyPackages.${system};
          args = {
            inherit pkgs home-manager;
            nixosModule = clawdbot-nix.nixosModules.default;
            homeManagerModule = clawdbot-nix.homeModules.default;
          };
        in
        checks
        // import "${clawdbot-nix}/tests/vm" args
        // import "${clawdbot-nix}/tests/eval" (args // { inherit lib; })
      ) clawdbot-nix.checks;
    };
}
