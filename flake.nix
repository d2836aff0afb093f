{
  description = "The Clawdbot and OpenClaw gateways on Nix: packages, baked tools, NixOS / Home Manager / nix-darwin modules";

  # Only what a user's configuration needs lands in their flake.lock. Home Manager, which only the checks
  # use, is an input of the development flake (dev/flake.nix: `nix flake check ./dev`).
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-unstable";

  outputs =
    { self, nixpkgs, ... }:
    let
      inherit (nixpkgs) lib;
      # x86_64-linux, aarch64-linux, aarch64-darwin (nix/systems.nix says why not x86_64-darwin).
      systems = import ./nix/systems.nix;
      linuxSystems = lib.filter (lib.hasSuffix "-linux") systems;
      forSystems = names: f: lib.genAttrs names (system: f nixpkgs.legacyPackages.${system});
      # The flake's modules default `package` to this flake's gateway, built with the configuration's own
      # pkgs. Not through `nixpkgs.overlays`: Home Manager with `useGlobalPkgs` and NixOS with an external
      # `nixpkgs.pkgs` ignore (or refuse) overlays set by a module. The tools are found the same way.
      withPackage =
        module:
        { pkgs, lib, ... }:
        {
          imports = [ module ];
          services.clawdbot.package = lib.mkDefault (pkgs.callPackage ./nix/package.nix { gateway = "clawdbot"; });
          services.openclaw.package = lib.mkDefault (pkgs.callPackage ./nix/package.nix { gateway = "openclaw"; });
        };
    in
    {
      overlays.default = import ./nix/overlay.nix;

      packages = forSystems systems (
        pkgs:
        let
          inherit (pkgs.stdenv.hostPlatform) system;
        in
        import ./nix/packages.nix { inherit pkgs; }
        // {
          clawdbot-nix = pkgs.callPackage ./cli/package.nix {
            # `check` runs the pinned gateway's own validator after its schema layer
            inherit (self.packages.${system}) clawdbot-gateway;
          };
        }
        // lib.optionalAttrs pkgs.stdenv.hostPlatform.isLinux {
          image = pkgs.callPackage ./nix/image {
            gateway = "clawdbot";
            inherit (self.packages.${system}) clawdbot;
            inherit (self.legacyPackages.${system}) clawdbotTools;
          };
          image-openclaw = pkgs.callPackage ./nix/image {
            gateway = "openclaw";
            inherit (self.packages.${system}) openclaw-gateway;
            inherit (self.legacyPackages.${system}) clawdbotTools openclawPlugins;
          };
        }
      );

      # The tool set (`clawdbotTools.<name>`, `bundle`, `select`, …) is not a derivation: it lives here.
      legacyPackages = forSystems systems (pkgs: import ./nix/legacy-packages.nix { inherit pkgs; });

      nixosModules = {
        clawdbot = import ./modules/nixos.nix;
        default = withPackage self.nixosModules.clawdbot;
      };
      # Home Manager's flake output name; `homeManagerModules` is the older one, kept for existing users.
      homeModules = {
        clawdbot = import ./modules/home-manager.nix;
        default = withPackage self.homeModules.clawdbot;
      };
      homeManagerModules = self.homeModules;
      darwinModules = {
        clawdbot = import ./modules/darwin.nix;
        default = withPackage self.darwinModules.clawdbot;
      };

      templates = import ./templates;

      # What needs only nixpkgs; dev/flake.nix adds the Home Manager checks to these.
      checks = forSystems linuxSystems (
        pkgs:
        lib.mapAttrs' (name: lib.nameValuePair "package-${name}") (
          self.packages.${pkgs.stdenv.hostPlatform.system}.clawdbot-gateway.passthru.tests or { }
        )
        // lib.mapAttrs' (name: lib.nameValuePair "package-openclaw-${name}") (
          self.packages.${pkgs.stdenv.hostPlatform.system}.openclaw-gateway.passthru.tests or { }
        )
        // import ./tests/vm {
          inherit pkgs;
          nixosModule = self.nixosModules.default;
        }
        // import ./tests/eval {
          inherit pkgs lib;
          nixosModule = self.nixosModules.default;
        }
        // {
          # services.openclaw declared once: nixpkgs' own module is where disabledModules says it is
          eval-nixpkgs-openclaw-module = import ./tests/flake/nixpkgs-module.nix {
            inherit lib;
            inherit (pkgs) writeText;
            inherit (pkgs.stdenv.hostPlatform) system;
            nixosModule = self.nixosModules.default;
            modulesPath = "${nixpkgs}/nixos/modules";
          };
        }
      );

      formatter = forSystems systems (pkgs: pkgs.nixfmt-tree);

      # For contributors: `nix develop` gives Node 24, Nix, shellcheck, pyflakes3 (dev/shell.nix), the same
      # tools scripts/setup-debian.sh installs with apt.
      devShells = forSystems systems (pkgs: {
        default = import ./dev/shell.nix { inherit pkgs; };
      });
    };
}
