// The golden units (tests/golden/units/<case>/: the unit file, clawdbot.json or openclaw.json, the owner's CLI,
// the store files they name; the launcher once, in tests/golden/store/) are what the flake's modules render (services.clawdbot, services.openclaw), byte for byte — checked
// through the tests' shortcut (tier t0, tests/support/nix: the real lib, the instance's option values, the
// unit writers) and through the whole modules (tier t1: lib.evalModules, Home Manager's own rendering). The T0 gateway and container tests start exactly these files (tests/support/systemd/render.ts).
// UPDATE_GOLDEN=1 with the T1 sources rewrites them from the real evaluation.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { caseGateway, GOLDEN_STORE, GOLDEN_UNITS, goldenCases, goldenFiles, renderCase, sharedFiles, writeGolden } from "../support/golden-units.js";
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

  it("each case's folder is named by what it is, not by a hash", () => {
    for (const { key } of cases) expect(key).not.toMatch(/[0-9a-f]{10}$/);
  });

  it("the launcher is written once (tests/golden/store/), named by every case that runs it, and nothing else is there", () => {
    const named = new Set(
      cases.flatMap(({ key }) => (JSON.parse(readFileSync(join(GOLDEN_UNITS, key, "rendering.json"), "utf8")).sharedStoreFiles ?? []) as string[]),
    );
    expect(named.size, "one launcher for every case").toBe(1);
    for (const { key } of cases) expect(readFileSync(join(GOLDEN_UNITS, key, "rendering.json"), "utf8"), key).not.toContain("clawdbot-launch.sh\": \"#!");
    expect(readdirSync(GOLDEN_STORE).sort()).toEqual([...named].map((p) => p.slice(p.lastIndexOf("/") + 1)).sort());
  });

  for (const { key, case: c } of cases) {
    const committed = (name: string) => readFileSync(join(GOLDEN_UNITS, key, name), "utf8");
    const committedShared = (name: string) => readFileSync(join(GOLDEN_STORE, name), "utf8");

    it(`${key}: the T0 stand-ins render the committed files byte for byte`, () => {
      const rendering = renderCase(c, "t0");
      for (const [name, text] of Object.entries(goldenFiles(c, rendering))) expect(text, `${key}/${name}`).toBe(committed(name));
      for (const [name, text] of Object.entries(sharedFiles(rendering))) expect(text, `store/${name}`).toBe(committedShared(name));
    });

    it.skipIf(!!t1Skip)(`${key}: the real modules (T1) render the committed files byte for byte`, () => {
      const rendering = renderCase(c, "t1");
      if (process.env.UPDATE_GOLDEN === "1") writeGolden(c, rendering);
      for (const [name, text] of Object.entries(goldenFiles(c, rendering))) expect(text, `${key}/${name}`).toBe(committed(name));
      for (const [name, text] of Object.entries(sharedFiles(rendering))) expect(text, `store/${name}`).toBe(committedShared(name));
      expect(rendering.failed, "a golden case passes the module's assertions").toEqual([]);
    });
  }
});
