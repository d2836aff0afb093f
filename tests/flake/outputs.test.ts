// The flake's outputs, evaluated the way `nix flake` calls them but without fetching its inputs (Nix 2.8
// fetches every input before evaluating any output, and nothing can be fetched here): flake.nix's `outputs`
// function is called with the T1 sources as `nixpkgs` (lib only) and `home-manager`.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { announceSkip, nixEval, nixStr, REPO, t1Sources } from "../support/nix.js";

const { nixpkgsLib, homeManager, libSkip, hmSkip } = t1Sources();
const skip = libSkip ?? hmSkip;
announceSkip("flake outputs (T1)", skip);

const outputs = (body: string) =>
  nixEval(`
    let
      flake = import ${nixStr(`${REPO}/flake.nix`)};
      nixpkgs = { lib = import ${nixStr(`${nixpkgsLib}/lib`)}; outPath = ${nixStr(nixpkgsLib ?? "")}; };
      home-manager = { outPath = ${nixStr(homeManager ?? "")}; };
      self = flake.outputs { inherit self nixpkgs home-manager; } // { outPath = ${nixStr(REPO)}; };
    in ${body}`);

describe("flake.lock", () => {
  it("pins nixpkgs and home-manager (home-manager following nixpkgs) by rev and narHash", () => {
    const lock = JSON.parse(readFileSync(`${REPO}/flake.lock`, "utf8"));
    expect(lock.version).toBe(7);
    for (const input of ["nixpkgs", "home-manager"]) {
      expect(lock.nodes[input].locked.rev).toMatch(/^[0-9a-f]{40}$/);
      expect(lock.nodes[input].locked.narHash).toMatch(/^sha256-[A-Za-z0-9+/]{43}=$/);
    }
    expect(lock.nodes["home-manager"].inputs.nixpkgs).toEqual(["nixpkgs"]);
  });
});

describe.skipIf(!!skip)("T1: flake outputs", () => {
  it("exports modules for NixOS, Home Manager and nix-darwin, templates, an overlay and a formatter per system", () => {
    const result = outputs(`{
      top = builtins.attrNames self;
      modules = map (k: builtins.attrNames self.\${k}) [ "nixosModules" "homeManagerModules" "darwinModules" ];
      templates = builtins.mapAttrs (_: t: { inherit (t) description; path = builtins.pathExists t.path; }) self.templates;
      overlay = builtins.isFunction self.overlays.default;
      formatter = builtins.attrNames self.formatter;
    }`);
    expect(result.ok, result.stderr).toBe(true);
    const value = result.value as {
      top: string[];
      modules: string[][];
      templates: Record<string, { description: string; path: boolean }>;
      overlay: boolean;
      formatter: string[];
    };
    expect(value.top).toEqual(expect.arrayContaining(["packages", "legacyPackages", "nixosModules", "homeManagerModules", "darwinModules", "overlays", "templates", "checks", "formatter"]));
    for (const names of value.modules) expect(names).toEqual(["clawdbot", "default"]);
    expect(Object.keys(value.templates).sort()).toEqual(["agent-first", "container", "default", "linux-user", "nixos-server"]);
    for (const template of Object.values(value.templates)) {
      expect(template.path).toBe(true);
      expect(template.description.length).toBeGreaterThan(10);
    }
    expect(value.overlay).toBe(true);
    expect(value.formatter).toEqual(["aarch64-darwin", "aarch64-linux", "x86_64-darwin", "x86_64-linux"]);
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
