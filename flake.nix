{
  description = "The Clawdbot gateway on Nix: package, baked tools, NixOS / Home Manager / nix-darwin modules";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-unstable";
    home-manager = {
      url = "github:nix-community/home-manager";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    {
      self,
      nixpkgs,
      home-manager,
      ...
    }:
    let
      inherit (nixpkgs) lib;
      systems = [
        "x86_64-linux"
        "aarch64-linux"
        "x86_64-darwin"
        "aarch64-darwin"
      ];
      linuxSystems = builtins.filter (lib.hasSuffix "-linux") systems;
      forSystems = names: f: lib.genAttrs names (system: f nixpkgs.legacyPackages.${system});
      # The modules find the package in pkgs through the overlay, so `package` can be overridden like any
      # nixpkgs package and a user's own nixpkgs is used.
      withOverlay = module: {
        imports = [ module ];
        nixpkgs.overlays = [ self.overlays.default ];
      };
    in
    {
      overlays.default = import ./nix/overlay.nix;

      packages = forSystems systems (
        pkgs:
        import ./nix/packages.nix { inherit pkgs; }
        // {
          clawdbot-nix = pkgs.callPackage ./cli/package.nix { };
        }
        // lib.optionalAttrs pkgs.stdenv.hostPlatform.isLinux {
          image = pkgs.callPackage ./nix/image {
            inherit (self.packages.${pkgs.system}) clawdbot;
            inherit (self.legacyPackages.${pkgs.system}) clawdbotTools;
          };
        }
      );

      # The tool set (`clawdbotTools.<name>`, `bundle`, `select`, …) is not a derivation: it lives here.
      legacyPackages = forSystems systems (pkgs: import ./nix/legacy-packages.nix { inherit pkgs; });

      nixosModules = {
        clawdbot = import ./modules/nixos.nix;
        default = withOverlay self.nixosModules.clawdbot;
      };
      homeManagerModules = {
        clawdbot = import ./modules/home-manager.nix;
        default = withOverlay self.homeManagerModules.clawdbot;
      };
      darwinModules = {
        clawdbot = import ./modules/darwin.nix;
        default = withOverlay self.darwinModules.clawdbot;
      };

      templates = import ./templates;

      checks = forSystems linuxSystems (
        pkgs:
        let
          packages = self.packages.${pkgs.system};
        in
        lib.mapAttrs' (name: lib.nameValuePair "package-${name}") (
          packages.clawdbot-gateway.passthru.tests or { }
        )
        // import ./tests/vm {
          inherit pkgs home-manager;
          nixosModule = self.nixosModules.default;
          homeManagerModule = self.homeManagerModules.default;
        }
        // import ./tests/eval {
          inherit pkgs lib home-manager;
          nixosModule = self.nixosModules.default;
          homeManagerModule = self.homeManagerModules.default;
        }
      );

      formatter = forSystems systems (pkgs: pkgs.nixfmt-rfc-style);
    };
}
