// T1: the flake check tests/flake/nixpkgs-module.nix (services.openclaw declared once) with the real nixpkgs lib
// and a stand-in NixOS module tree: nixpkgs' own module at the path modules/nixos.nix disables (recorded in
// tests/flake/fixtures/nixpkgs-openclaw-module.json) passes; the same module moved elsewhere in the tree, so
// that disabledModules matches nothing, fails loudly naming the file.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { announceSkip, nixEval, nixStr, REPO, t1Sources } from "../support/nix.js";
import { realLib } from "../support/real-lib.js";

const t1 = t1Sources();
announceSkip("the flake check of nixpkgs' services.openclaw (T1)", t1.libSkip);
const fixture = JSON.parse(readFileSync(join(REPO, "tests/flake/fixtures/nixpkgs-openclaw-module.json"), "utf8")) as { path: string; options: string[]; nixpkgs: string };

describe("nixpkgs' services.openclaw: the recorded path (T0)", () => {
  it("is the one modules/nixos.nix disables, at the pinned nixpkgs", () => {
    const nixos = readFileSync(join(REPO, "modules/nixos.nix"), "utf8");
    expect(nixos).toContain(`disabledModules = [ ${JSON.stringify(fixture.path)} ];`);
    expect(fixture.nixpkgs).toBe(JSON.parse(readFileSync(join(REPO, "flake.lock"), "utf8")).nodes.nixpkgs.locked.rev);
  });
});

describe.skipIf(t1.libSkip)("T1: tests/flake/nixpkgs-module.nix with a stand-in NixOS module tree", () => {
  const tree = mkdtempSync(join(tmpdir(), "nixpkgs-modules-"));
  afterAll(() => rmSync(tree, { recursive: true, force: true }));
  // nixpkgs' module as it declares itself (its option names from the fixture)
  const nixpkgsModule = `{ lib, ... }: { options.services.openclaw = { ${fixture.options.map((o) => `${o} = lib.mkOption { type = lib.types.anything; default = null; };`).join(" ")} }; }`;
  const place = (rel: string) => {
    mkdirSync(dirname(join(tree, rel)), { recursive: true });
    writeFileSync(join(tree, rel), nixpkgsModule);
    return join(tree, rel);
  };
  // a NixOS evaluation over that tree: nixpkgs' module list, modulesPath; options the flake's module sets declared loosely
  const check = (moduleFile: string) =>
    nixEval(`let
        t = import ${nixStr(join(REPO, "tests/fixtures/modules/t1/eval.nix"))} { nixpkgsLib = ${nixStr(t1.nixpkgsLib!)}; };
        lib = ${realLib(t1.nixpkgsLib!)};
        evalConfig = { system, modules }: lib.evalModules {
          modules = [ ${nixStr(moduleFile)} { _module.check = false; _module.args.pkgs = t.pkgsFor system; } ] ++ modules;
          specialArgs.modulesPath = ${nixStr(tree)};
        };
      in import ${nixStr(join(REPO, "tests/flake/nixpkgs-module.nix"))} {
        inherit lib evalConfig;
        nixosModule = ${nixStr(join(REPO, "modules/nixos.nix"))};
        modulesPath = ${nixStr(tree)};
      }`);

  it("passes with nixpkgs' module at the recorded path: nixpkgs declares it there, the flake's module alone with it", () => {
    const r = check(place(fixture.path));
    expect(r.ok, r.stderr).toBe(true);
    expect(r.value).toMatch(/nixpkgs-openclaw-module\.json$/);
  });

  it("fails loudly, naming the file, when nixpkgs' module moved (disabledModules no longer matches)", () => {
    const moved = place("services/web-apps/openclaw.nix");
    const r = check(moved);
    expect(r.ok).toBe(false);
    expect(r.stderr).toContain(`services.openclaw: nixpkgs declares it in ${moved}, not (only) at ${fixture.path}`);
  });
});
