// The golden units (tests/golden/units/<case>/: the unit file, clawdbot.json or openclaw.json, the owner's CLI,
// the store files they name) are what the flake's modules render (services.clawdbot, services.openclaw), byte for byte — checked at T0 with the stand-ins of
// tests/support/nix (every run, any machine) and at T1 with the real nixpkgs lib and Home Manager's own
// rendering. The T0 gateway and container tests start exactly these files (tests/support/systemd/render.ts).
// UPDATE_GOLDEN=1 with the T1 sources rewrites them from the real evaluation.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { caseGateway, GOLDEN_UNITS, goldenCases, goldenFiles, renderCase, writeGolden } from "../support/golden-units.js";
import { announceSkip, renderSkip, t1Sources } from "../support/nix.js";

// nixpkgs' real lib (../shared/t1) is the lowest tier for Nix: without it this is a loud SKIP
const noNix = renderSkip();
announceSkip("golden units (T0)", noNix);
const t1 = t1Sources();
const t1Skip = t1.libSkip ?? t1.hmSkip;
announceSkip("golden units from the real modules (T1)", t1Skip);

const cases = goldenCases();

describe.skipIf(!!noNix)("golden units", () => {
  it("there are cases for NixOS and Home Manager, each with its files, for both gateways", () => {
    for (const gateway of ["clawdbot", "openclaw"] as const) {
      const kinds = cases.filter((c) => caseGateway(c.case) === gateway).map((c) => c.case.kind);
      expect(kinds, gateway).toContain("nixos");
      expect(kinds, gateway).toContain("home-manager");
      // the launchd agent of Home Manager on macOS (the plist Home Manager writes, waitForNixStore wrapping)
      expect(kinds, gateway).toContain("home-manager-darwin");
    }
  });

  for (const { key, case: c } of cases) {
    const committed = (name: string) => readFileSync(join(GOLDEN_UNITS, key, name), "utf8");

    it(`${key}: the T0 stand-ins render the committed files byte for byte`, () => {
      const files = goldenFiles(c, renderCase(c, "t0"));
      for (const [name, text] of Object.entries(files)) expect(text, `${key}/${name}`).toBe(committed(name));
    });

    it.skipIf(!!t1Skip)(`${key}: the real modules (T1) render the committed files byte for byte`, () => {
      const rendering = renderCase(c, "t1");
      if (process.env.UPDATE_GOLDEN === "1") writeGolden(c, rendering);
      const files = goldenFiles(c, rendering);
      for (const [name, text] of Object.entries(files)) expect(text, `${key}/${name}`).toBe(committed(name));
      expect(rendering.failed, "a golden case passes the module's assertions").toEqual([]);
    });
  }
});
