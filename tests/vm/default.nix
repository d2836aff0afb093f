# NixOS VM tests (T2): `nix flake check` on a machine with KVM runs them (flake.nix `checks.<linux>`).
# They cannot run on the development machines (no KVM, no binary cache), so they are kept THIN: every step
# of the Python scripts is also proven by a test that runs there, named in a comment next to the step:
#   T0  tests/package/gateway.test.ts (the real gateway, Nix mode, WS health), tests/image/config.test.ts
#       (the package's health probe), tests/vm/config-write.test.ts (config.set over WS vs. the declarative
#       config), tests/templates/*.test.ts
#   T1  lib.evalModules of the modules with real nixpkgs lib / Home Manager (tests/modules/, tests/cli/)
#   container  tests/modules/container-*.test.ts: the rendered units under a real systemd (systemd-nspawn):
#       container-nixos (boot, environment, config unchanged, kill -9 + stale lock), container-hm (lingering
#       user unit at boot), container-rollback (generation 1 → 2 → 1, daemon-reload + restart),
#       container-hm-rollback (Home Manager generations 1 → 2 → switch --rollback, a broken 3 → 1's activate).
# Each script gets its constants from the preamble below (Python globals) and imports the modules it uses
# itself; `machine`, `start_all` and the other driver globals come from the NixOS test driver, which lints
# the assembled script with pyflakes (an unused import fails the build). tests/vm/scripts.test.ts compiles
# the scripts (T0), and at T1 calls this file with stand-in pkgs: every machine configuration (both
# generations of vm-rollback, the Home Manager user of vm-home-manager-linger) passes the modules'
# assertions, and the complete scripts (preamble with the real constants + the .py file) compile and pass
# pyflakes the way the driver runs it.
#
# vm-system-service and vm-openclaw-system-service are one definition (systemService) for services.clawdbot and
# services.openclaw: the container tests run both gateways' units the same way.
#
# The flake's checks call this without Home Manager (not an input of the flake); dev/flake.nix passes it,
# which adds vm-home-manager-linger.
{
  pkgs,
  nixosModule,
  home-manager ? null,
  homeManagerModule ? null,
}:
let
  port = 18789;
  # A test-only token: in the Nix store, which is fine for a throwaway VM (never do this for real).
  token = "vm-test-token-3c1e9a7f5b2d4e6a";
  tokenFile = "/etc/clawdbot-test/gateway-token";
  common = {
    virtualisation.memorySize = 2048;
    virtualisation.cores = 2;
    environment.etc."clawdbot-test/gateway-token" = {
      text = token;
      mode = "0400";
    };
  };
  # The package's health probe (nix/health-probe.nix: share/<gateway>/health-probe.mjs; OpenClaw's checks /readyz
  # and the configured channels) with the Node it was built with.
  probe =
    gateway: package:
    "${package.passthru.nodejs or pkgs.nodejs_22}/bin/node ${
      (import ../../nix/health-probe.nix).path {
        gateway = (import ../../modules/lib/gateways.nix).${gateway};
        inherit package;
      }
    }";

  # How each gateway's command prints the Control UI's URL with the token: Clawdbot's with ?token=; OpenClaw's
  # --no-open prints none, its --json has it as #token= (tests/modules/container-security.test.ts runs both).
  dashboard = {
    clawdbot = {
      args = "dashboard --no-open";
      mark = "?token=";
    };
    openclaw = {
      args = "dashboard --json";
      mark = "#token=";
    };
  };

  # The system service of a gateway (services.<gateway>), for tests/vm/system-service.py.
  systemService =
    gateway: extra:
    pkgs.testers.runNixOSTest {
      name = "${gateway}-system-service";
      nodes.machine = {
        imports = [
          nixosModule
          common
          extra
        ];
        services.${gateway} = {
          enable = true;
          inherit port;
          auth = {
            mode = "token";
            inherit tokenFile;
          };
          settings.agents.defaults.maxConcurrent = 3;
        };
      };
      testScript =
        { nodes, ... }:
        let
          package = nodes.machine.services.${gateway}.package;
        in
        script ./system-service.py {
          PORT = port;
          TOKEN_FILE = tokenFile;
          PROBE = probe gateway package;
          GATEWAY_CLI = "${package}/bin/${gateway}";
          COMMAND = gateway;
          # the same command by absolute path (environment.systemPackages), for another user's shell
          COMMAND_PATH = "/run/current-system/sw/bin/${gateway}";
          DASHBOARD = dashboard.${gateway}.args;
          TOKEN_MARK = dashboard.${gateway}.mark;
          PREFIX = (import ../../modules/lib/gateways.nix).${gateway}.envPrefix;
          UNIT = "${gateway}.service";
        };
    };
  preamble =
    constants:
    pkgs.lib.concatStrings (
      pkgs.lib.mapAttrsToList (name: value: "${name} = ${builtins.toJSON value}\n") constants
    );
  script = file: constants: preamble constants + builtins.readFile file;
in
{
  # 1. The system service: boots, active, Nix mode in its environment and its log, WS health, the config
  #    unchanged after start, a config.set over WS undone by the next restart, restart after kill -9.
  vm-system-service = systemService "clawdbot" { };

  # 1b. The same for services.openclaw: three processes of ~1 GB together need a larger VM.
  vm-openclaw-system-service = systemService "openclaw" { virtualisation.memorySize = pkgs.lib.mkForce 3072; };

  # 2. Rollback: generation 1 → a second generation with changed settings (a specialisation, switched to
  #    like `nixos-rebuild switch` does) → back to generation 1. The first config is live again and the
  #    service was restarted each time.
  vm-rollback = pkgs.testers.runNixOSTest {
    name = "clawdbot-rollback";
    nodes.machine = {
      imports = [
        nixosModule
        common
      ];
      services.clawdbot = {
        enable = true;
        inherit port;
        auth = {
          mode = "token";
          inherit tokenFile;
        };
        settings.agents.defaults.maxConcurrent = 1;
      };
      specialisation.gen2.configuration = {
        services.clawdbot.port = pkgs.lib.mkForce (port + 10);
        services.clawdbot.settings.agents.defaults.maxConcurrent = pkgs.lib.mkForce 2;
      };
    };
    testScript =
      { nodes, ... }:
      script ./rollback.py {
        # The first generation's system; its specialisation is the second one. (/run/current-system follows
        # every switch, so the way back is named by its store path, as a rollback does.)
        GEN1 = "${nodes.machine.system.build.toplevel}";
        PORT1 = port;
        PORT2 = port + 10;
        TOKEN_FILE = tokenFile;
        PROBE = probe "clawdbot" nodes.machine.services.clawdbot.package;
        UNIT = "clawdbot.service";
      };
  };
}
// pkgs.lib.optionalAttrs (home-manager != null) {
  # 3. Home Manager as a NixOS module, for a user with lingering: the user unit starts at boot, with nobody
  #    logged in, and answers WS health. Then a second Home Manager generation (a changed setting, in a
  #    specialisation: switching to it restarts home-manager-alice.service, which activates it, as
  #    `nixos-rebuild switch` would) and the way back as a Home Manager user takes it: `home-manager switch
  #    --rollback`. enableLegacyProfileManagement gives the user the per-user `home-manager` profile that
  #    `home-manager generations` / `switch --rollback` work on (off by default for Home Manager as a NixOS
  #    module, whose generations are then the system's). The `home-manager` command is the one of the same
  #    Home Manager (programs.home-manager.package; under the NixOS module `enable` does not install it).
  vm-home-manager-linger = pkgs.testers.runNixOSTest {
    name = "clawdbot-home-manager-linger";
    nodes.machine = {
      imports = [
        home-manager.nixosModules.home-manager
        common
      ];
      users.users.alice = {
        isNormalUser = true;
        uid = 1000;
        linger = true;
      };
      systemd.tmpfiles.rules = [
        # The user's own copy of the token (the module reads it when the user service starts).
        "f /home/alice/.gateway-token 0400 alice users - ${token}"
        # Where Home Manager keeps the user's profile generations (nix-env creates it only on first use).
        "d /home/alice/.local 0755 alice users -"
        "d /home/alice/.local/state 0755 alice users -"
        "d /home/alice/.local/state/nix 0755 alice users -"
        "d /home/alice/.local/state/nix/profiles 0755 alice users -"
      ];
      # The common setup: Home Manager shares the system's pkgs (the module needs no overlay).
      home-manager.useGlobalPkgs = true;
      home-manager.enableLegacyProfileManagement = true;
      home-manager.users.alice = {
        imports = [ homeManagerModule ];
        home.stateVersion = "25.05";
        services.clawdbot = {
          enable = true;
          inherit port;
          auth = {
            mode = "token";
            tokenFile = "/home/alice/.gateway-token";
          };
          settings.agents.defaults.maxConcurrent = 1;
        };
      };
      # Home Manager generation 2: the same user with a changed setting.
      specialisation.gen2.configuration = {
        home-manager.users.alice.services.clawdbot.settings.agents.defaults.maxConcurrent = pkgs.lib.mkForce 2;
      };
    };
    testScript =
      { nodes, ... }:
      let
        package = nodes.machine.home-manager.users.alice.services.clawdbot.package;
      in
      script ./home-manager-linger.py {
        PORT = port;
        TOKEN_FILE = "/home/alice/.gateway-token";
        PROBE = probe "clawdbot" package;
        USER = "alice";
        UID = 1000;
        UNIT = "clawdbot.service";
        # The first system; its specialisation carries Home Manager generation 2.
        GEN1 = "${nodes.machine.system.build.toplevel}";
        HOME_MANAGER = "${nodes.machine.home-manager.users.alice.programs.home-manager.package}/bin/home-manager";
      };
  };
}
