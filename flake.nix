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
      # The flake's modules default `package` to this flake's gateway, built with the configuration's own
      # pkgs. Not through `nixpkgs.overlays`: Home Manager with `useGlobalPkgs` and NixOS with an external
      # `nixpkgs.pkgs` ignore (or refuse) overlays set by a module. The tools are found the same way.
      withPackage =
        module:
        { pkgs, lib, ... }:
        {
          imports = [ module ];
          services.clawdbot.package = lib.mkDefault (pkgs.callPackage ./nix/package.nix { });
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
        default = withPackage self.nixosModules.clawdbot;
      };
      homeManagerModules = {
        clawdbot = import ./modules/home-manager.nix;
        default = withPackage self.homeManagerModules.clawdbot;
      };
      darwinModules = {
        clawdbot = import ./modules/darwin.nix;
        default = withPackage self.darwinModules.clawdbot;
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
