// Golden files of the units the T0 gateway and container tests start (tests/golden/units/<case>/): what the
// flake's NixOS and Home Manager modules render for each case, committed and compared byte for byte, so
// that what CI starts is what users get.
//
// A case is a module configuration ({ kind, name, home, options, gateway }): services.clawdbot, or
// services.openclaw with `gateway: "openclaw"`. Its files are produced by the real
// evaluation (tier t1: the modules through lib.evalModules with the real nixpkgs lib, Home Manager's own unit
// rendering; `UPDATE_GOLDEN=1` with the T1 sources writes them) and reproduced at every run by the T0
// stand-ins (tests/support/nix: the lib stand-in, the option defaults, the unit writers) —
// tests/modules/golden.test.ts checks both against the committed files. The folder name is the kind, the
// instance, the port and a hash of the whole case (prefixed by the gateway for OpenClaw's cases).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GATEWAY_KINDS, type GatewayName } from "./gateway-kinds.js";
import { nixEval, nixStr, REPO, t1Sources } from "./nix.js";

export const GOLDEN_UNITS = join(REPO, "tests/golden/units");

export interface UnitCase {
  /** The service: absent for services.clawdbot (every older case, whose key stays what it was). */
  gateway?: "openclaw";
  kind: "nixos" | "home-manager" | "home-manager-darwin";
  /** Instance name: "default" is services.<gateway> itself. */
  name: string;
  /** The user's home (Home Manager). */
  home?: string;
  /** The instance's options as a user writes them (the module system fills in the defaults). */
  options: Record<string, unknown>;
}

export interface UnitRendering {
  unitName: string;
  unitText: string;
  configFile: string;
  configText: string;
  cliName: string;
  cliScript: string;
  tmpfilesRules: string[];
  /** Every store file the unit and the CLI name (config, launcher, restart triggers), with its content. */
  storeFiles: Record<string, string>;
  failed: string[];
}

const canonical = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(canonical)
    : value && typeof value === "object"
      ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]))
      : value;

export function caseKey(c: UnitCase): string {
  const hash = createHash("sha256").update(JSON.stringify(canonical(c))).digest("hex").slice(0, 10);
  return `${c.gateway ? `${c.gateway}-` : ""}${c.kind}-${c.name}-${String(c.options.port ?? "default-port")}-${hash}`;
}

/** The gateway of a case. */
export const caseGateway = (c: UnitCase): GatewayName => c.gateway ?? "clawdbot";

export function goldenCases(): { key: string; case: UnitCase }[] {
  if (!existsSync(GOLDEN_UNITS)) return [];
  return readdirSync(GOLDEN_UNITS)
    .filter((key) => existsSync(join(GOLDEN_UNITS, key, "case.json")))
    .sort()
    .map((key) => ({ key, case: JSON.parse(readFileSync(join(GOLDEN_UNITS, key, "case.json"), "utf8")) as UnitCase }));
}

/** Render a case: tier "t0" with the stand-ins (any machine), "t1" with the real lib and Home Manager. */
export function renderCase(c: UnitCase, tier: "t0" | "t1"): UnitRendering {
  const t1 = t1Sources();
  if (tier === "t1" && (!t1.nixpkgsLib || (c.kind !== "nixos" && !t1.homeManager))) {
    throw new Error(`renderCase t1: ${t1.libSkip ?? t1.hmSkip}`);
  }
  const sources =
    tier === "t1"
      ? `nixpkgsLib = ${nixStr(t1.nixpkgsLib!)}; ${t1.homeManager ? `homeManager = ${nixStr(t1.homeManager)};` : ""}`
      : "";
  const r = nixEval(
    `import ./tests/support/nix/golden.nix { tier = ${nixStr(tier)}; ${sources} case = builtins.fromJSON ${nixStr(JSON.stringify(c))}; }`,
    { readWrite: true },
  );
  if (!r.ok) throw new Error(`rendering the golden case ${caseKey(c)} (${tier}) failed:\n${r.stderr}`);
  return r.value as UnitRendering;
}

/** The files of a case as they are committed. */
export function goldenFiles(c: UnitCase, r: UnitRendering): Record<string, string> {
  const rendering = { ...r };
  return {
    "case.json": JSON.stringify(canonical(c), null, 2) + "\n",
    [r.unitName]: r.unitText,
    [GATEWAY_KINDS[caseGateway(c)].configName]: r.configText,
    [r.cliName]: r.cliScript,
    "rendering.json": JSON.stringify(canonical(rendering), null, 2) + "\n",
  };
}

export function writeGolden(c: UnitCase, r: UnitRendering): void {
  const dir = join(GOLDEN_UNITS, caseKey(c));
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(goldenFiles(c, r))) writeFileSync(join(dir, name), text);
}

/**
 * The committed rendering of a case. A case without golden files is written from the real evaluation when
 * UPDATE_GOLDEN=1 and the T1 sources are there; otherwise it is an error that says how to add it.
 */
export function goldenUnit(c: UnitCase): UnitRendering {
  const key = caseKey(c);
  const file = join(GOLDEN_UNITS, key, "rendering.json");
  if (!existsSync(file)) {
    if (process.env.UPDATE_GOLDEN === "1" && t1Sources().nixpkgsLib && t1Sources().homeManager) writeGolden(c, renderCase(c, "t1"));
    else
      throw new Error(
        `no golden files for ${key} (${JSON.stringify(c)}): run the test once with UPDATE_GOLDEN=1 and the T1 sources ` +
          `(../shared/t1, or CLAWDBOT_T1_NIXPKGS_LIB and CLAWDBOT_T1_HOME_MANAGER) to write them from the real modules, then commit tests/golden/units/${key}/`,
      );
  }
  const r = JSON.parse(readFileSync(file, "utf8")) as UnitRendering;
  if (r.failed.length > 0) throw new Error(`the golden case ${key} fails its assertions:\n${r.failed.join("\n")}`);
  return r;
}
