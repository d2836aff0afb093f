// The flake's outputs, evaluated the way `nix flake` calls them but without fetching its inputs (Nix 2.8
// fetches every input before evaluating any output, and nothing can be fetched here): flake.nix's `outputs`
// function is called with the T1 source as `nixpkgs` (lib only). The development flake (dev/flake.nix), which
// adds Home Manager for the checks, is called the same way with the T1 Home Manager as `home-manager`.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { announceSkip, nixEval, nixStr, REPO, t1Sources } from "../support/nix.js";
import { realLib } from "../support/real-lib.js";

const { nixpkgsLib, homeManager, libSkip, hmSkip } = t1Sources();
const skip = libSkip;
announceSkip("flake outputs (T1)", skip);

const outputs = (body: string) =>
  nixEval(`
    let
      flake = import ${nixStr(`${REPO}/flake.nix`)};
      nixpkgs = { lib = ${nixpkgsLib ? realLib(nixpkgsLib) : "null"}; outPath = ${nixStr(nixpkgsLib ?? "")}; };
      self = flake.outputs { inherit self nixpkgs; } // { outPath = ${nixStr(REPO)}; };
    in ${body}`);

const readLock = (path: string) => JSON.parse(readFileSync(`${REPO}/${path}`, "utf8"));

describe("flake.lock and dev/flake.lock", () => {
  it("the public lock holds nixpkgs only (no input that only the checks need lands in a user's lock)", () => {
    const lock = readLock("flake.lock");
    expect(lock.version).toBe(7);
    expect(Object.keys(lock.nodes).sort()).toEqual(["nixpkgs", "root"]);
    expect(lock.nodes.root.inputs).toEqual({ nixpkgs: "nixpkgs" });
    expect(lock.nodes.nixpkgs.locked.rev).toMatch(/^[0-9a-f]{40}$/);
    expect(lock.nodes.nixpkgs.locked.narHash).toMatch(/^sha256-[A-Za-z0-9+/]{43}=$/);
    expect(lock.nodes.nixpkgs.original).toEqual({ owner: "NixOS", ref: "nixpkgs-unstable", repo: "nixpkgs", type: "github" });
    // flake.nix declares exactly that input
    const inputs = nixEval(`(import ${nixStr(`${REPO}/flake.nix`)}).inputs`);
    expect(inputs.ok, inputs.stderr).toBe(true);
    expect(Object.keys(inputs.value as object)).toEqual(["nixpkgs"]);
  });

  it("the development lock pins home-manager by rev and narHash, following the flake's own nixpkgs (the same pin)", () => {
    const dev = readLock("dev/flake.lock");
    const main = readLock("flake.lock");
    expect(dev.version).toBe(7);
    expect(dev.nodes.root.inputs).toEqual({ "clawdbot-nix": "clawdbot-nix", "home-manager": "home-manager", nixpkgs: ["clawdbot-nix", "nixpkgs"] });
    // the parent flake, by relative path (Nix >= 2.26 locks it relative to this flake, `parent` = [])
    expect(dev.nodes["clawdbot-nix"]).toMatchObject({ locked: { path: "..", type: "path" }, parent: [], inputs: { nixpkgs: "nixpkgs" } });
    expect(dev.nodes.nixpkgs).toEqual(main.nodes.nixpkgs);
    const hm = dev.nodes["home-manager"];
    expect(hm.inputs.nixpkgs).toEqual(["nixpkgs"]);
    expect(hm.locked.rev).toMatch(/^[0-9a-f]{40}$/);
    expect(hm.locked.narHash).toMatch(/^sha256-[A-Za-z0-9+/]{43}=$/);
    const inputs = nixEval(`builtins.mapAttrs (_: i: i.url or i.follows) (import ${nixStr(`${REPO}/dev/flake.nix`)}).inputs`);
    expect(inputs.ok, inputs.stderr).toBe(true);
    expect(inputs.value).toEqual({ "clawdbot-nix": "path:..", nixpkgs: "clawdbot-nix/nixpkgs", "home-manager": "github:nix-community/home-manager" });
  });
});

describe.skipIf(!!skip)("T1: flake outputs", () => {
  it("exports modules for NixOS, Home Manager and nix-darwin, templates, an overlay and a formatter per system", () => {
    const result = outputs(`{
      top = builtins.attrNames self;
      modules = map (k: builtins.attrNames self.\${k}) [ "nixosModules" "homeModules" "homeManagerModules" "darwinModules" ];
      # Home Manager's current output name, and the older one for existing users: the same modules
      homeModulesSame = self.homeManagerModules == self.homeModules;
      templates = builtins.mapAttrs (_: t: { inherit (t) description; path = builtins.pathExists t.path; }) self.templates;
      overlay = builtins.isFunction self.overlays.default;
      formatter = builtins.attrNames self.formatter;
    }`);
    expect(result.ok, result.stderr).toBe(true);
    const value = result.value as {
      top: string[];
      modules: string[][];
      homeModulesSame: boolean;
      templates: Record<string, { description: string; path: boolean }>;
      overlay: boolean;
      formatter: string[];
    };
    expect(value.top).toEqual(
      expect.arrayContaining(["packages", "legacyPackages", "nixosModules", "homeModules", "homeManagerModules", "darwinModules", "overlays", "templates", "checks", "formatter"]),
    );
    expect(value.homeModulesSame).toBe(true);
    for (const names of value.modules) expect(names).toEqual(["clawdbot", "default"]);
    expect(Object.keys(value.templates).sort()).toEqual(["agent-first", "container", "default", "linux-user", "nixos-server"]);
    for (const template of Object.values(value.templates)) {
      expect(template.path).toBe(true);
      expect(template.description.length).toBeGreaterThan(10);
    }
    expect(value.overlay).toBe(true);
    expect(value.formatter).toEqual(["aarch64-darwin", "aarch64-linux", "x86_64-linux"]);
  });
  it("the default modules default `package` to the flake's gateway built with the configuration's pkgs, without an overlay", () => {
    const result = outputs(`map (m:
      let
        module = m {
          lib = nixpkgs.lib;
          pkgs = { callPackage = path: args: { builtFrom = baseNameOf path; }; };
        };
      in {
        overlays = module ? nixpkgs;
        priority = module.services.clawdbot.package.priority;
        builtFrom = module.services.clawdbot.package.content.builtFrom;
      }) [ self.nixosModules.default self.homeManagerModules.default self.darwinModules.default ]`);
    expect(result.ok, result.stderr).toBe(true);
    expect(result.value).toEqual(Array(3).fill({ overlays: false, priority: 1000, builtFrom: "package.nix" }));
  });
});

// The flake's per-system outputs with stand-in pkgs (nothing can be built here): what `nix flake check`
// evaluates first. `pkgs.system` is never read (deprecated: it prints a warning on every evaluation), the
// formatter is nixfmt-tree, the checks need only nixpkgs, and the development flake adds the Home Manager
// checks on top of them.
describe.skipIf(!!skip)("T1: per-system outputs with stand-in pkgs", () => {
  const perSystem = (body: string, extra = "") =>
    nixEval(`
      let
        lib = ${nixpkgsLib ? realLib(nixpkgsLib) : "null"};
        flake = import ${nixStr(`${REPO}/flake.nix`)};
        drv = name: { type = "derivation"; outPath = "/nix/store/00000000000000000000000000000000-\${name}"; inherit name; };
        # what the outputs read of pkgs; pkgs.system throws like a nixpkgs without the alias would
        pkgsFor = system: {
          inherit lib;
          stdenv.hostPlatform = lib.systems.elaborate system;
          system = throw "pkgs.system read (deprecated; use stdenv.hostPlatform.system)";
          nixfmt-tree = drv "nixfmt-tree";
          nixfmt-rfc-style = throw "nixfmt-rfc-style read (a deprecated alias; use nixfmt-tree)";
          # forces every argument (the image's are read from self.packages / self.legacyPackages of the system)
          callPackage = path: args: builtins.seq (lib.all (v: builtins.seq v true) (builtins.attrValues args)) (
            if baseNameOf path == "tools" then
              { availableFor = [ ]; defaultTools = [ ]; bundle = names: drv "clawdbot"; bundleFor = gateway: names: drv "openclaw"; gateway = args.clawdbot-gateway; }
            else drv "\${baseNameOf path}\${lib.optionalString (args ? gateway) "-\${args.gateway}"}" // { passthru.tests = { }; });
          testers.runNixOSTest = args: { testName = args.name; };
          writeText = name: text: drv name;
          nodejs_22 = drv "nodejs-22";
        };
        nixpkgs = {
          inherit lib;
          outPath = ${nixStr(nixpkgsLib ?? "")};
          legacyPackages = lib.genAttrs [ "x86_64-linux" "aarch64-linux" "aarch64-darwin" ] pkgsFor;
        };
        self = flake.outputs { inherit self nixpkgs; } // { outPath = ${nixStr(REPO)}; };
        ${extra}
      in ${body}`);

  it("formatter is nixfmt-tree on every system; pkgs.system is never read", () => {
    const r = perSystem(`builtins.mapAttrs (_: f: f.name) self.formatter`);
    expect(r.ok, r.stderr).toBe(true);
    expect(r.value).toEqual({ "aarch64-darwin": "nixfmt-tree", "aarch64-linux": "nixfmt-tree", "x86_64-linux": "nixfmt-tree" });
    const packages = perSystem(`builtins.mapAttrs (_: p: builtins.mapAttrs (_: d: d.name) p) self.packages`);
    expect(packages.ok, packages.stderr).toBe(true);
    const names = packages.value as Record<string, Record<string, string>>;
    expect(Object.keys(names)).toEqual(["aarch64-darwin", "aarch64-linux", "x86_64-linux"]);
    expect(names["x86_64-linux"]!.image).toBe("image-clawdbot");
    expect(names["aarch64-darwin"]!.image).toBeUndefined();
    // OpenClaw beside Clawdbot on every system: the bare gateway and the one with the default tools; its
    // image on Linux only
    for (const system of Object.keys(names)) {
      expect(names[system]!["openclaw-gateway"], system).toBeDefined();
      expect(names[system]!.openclaw, system).toBe("openclaw");
      // `nix run` / `nix build` with no attribute: the current release, OpenClaw
      expect(names[system]!.default, system).toBe("package.nix-openclaw");
    }
    expect(names["x86_64-linux"]!["image-openclaw"]).toBe("image-openclaw");
    expect(names["aarch64-darwin"]!["image-openclaw"]).toBeUndefined();
    const text = readFileSync(`${REPO}/flake.nix`, "utf8");
    expect(text).not.toMatch(/pkgs\.system\b/);
  });

  it("the flake's checks need only nixpkgs (no Home Manager check without the development flake)", () => {
    const r = perSystem(`builtins.attrNames self.checks.x86_64-linux`);
    expect(r.ok, r.stderr).toBe(true);
    expect(r.value).toEqual(["eval-nixos", "eval-nixpkgs-openclaw-module", "vm-openclaw-system-service", "vm-rollback", "vm-system-service"]);
    const systems = perSystem(`builtins.attrNames self.checks`);
    expect(systems.value).toEqual(["aarch64-linux", "x86_64-linux"]);
  });

  it.skipIf(!homeManager)("dev/flake.nix: the flake's checks plus the Home Manager ones, through the flake's modules", () => {
    const r = perSystem(
      `builtins.mapAttrs (_: builtins.attrNames) dev.checks`,
      `dev = (import ${nixStr(`${REPO}/dev/flake.nix`)}).outputs {
          clawdbot-nix = self;
          inherit nixpkgs;
          home-manager = { outPath = ${nixStr(homeManager ?? "")}; lib = { }; nixosModules.home-manager = { }; };
        };`,
    );
    expect(r.ok, r.stderr).toBe(true);
    expect(r.value).toEqual({
      "aarch64-linux": ["eval-home-manager", "eval-nixos", "eval-nixpkgs-openclaw-module", "vm-home-manager-linger", "vm-openclaw-system-service", "vm-rollback", "vm-system-service"],
      "x86_64-linux": ["eval-home-manager", "eval-nixos", "eval-nixpkgs-openclaw-module", "vm-home-manager-linger", "vm-openclaw-system-service", "vm-rollback", "vm-system-service"],
    });
  });
});
