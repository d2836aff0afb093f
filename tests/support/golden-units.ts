// Golden files of the units the T0 gateway and container tests start (tests/golden/units/<case>/): what the
// flake's NixOS and Home Manager modules render for each case, committed and compared byte for byte, so
// that what CI starts is what users get.
//
// A case is a module configuration ({ kind, name, home, options, gateway }): services.clawdbot, or
// services.openclaw with `gateway: "openclaw"`. Its files are produced by the real
// evaluation (tier t1: the modules through lib.evalModules with the real nixpkgs lib, Home Manager's own unit
// rendering; `UPDATE_GOLDEN=1` with the T1 sources writes them) and reproduced at every run by the tests'
// shortcut (tier t0, tests/support/nix: the instance's option values, the unit writers) —
// tests/modules/golden.test.ts checks both against the committed files.
//
// A case's folder is named by what it is (nixos-token-file, openclaw-home-manager-rollback-gen1): a case is
// found by its case.json, so the name is free. A new case gets its kind and instance, then what its options
// say, as its name; rename the folder to say why it exists. The launcher, the same store file in every
// case, is written once: tests/golden/store/<its store name>; rendering.json names it in `sharedStoreFiles`.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { GATEWAY_KINDS, type GatewayName } from "./gateway-kinds.js";
import { nixEval, nixStr, REPO, t1Sources } from "./nix.js";

export const GOLDEN_UNITS = join(REPO, "tests/golden/units");
/** The store files every case shares (the launcher), once each, by store name. */
export const GOLDEN_STORE = join(REPO, "tests/golden/store");

/** A store file shared by every case rather than the case's own (config, restart triggers): the launcher. */
export const isSharedStoreFile = (path: string): boolean => /-clawdbot-launch\.sh$/.test(path);

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

const caseText = (c: UnitCase): string => JSON.stringify(canonical(c), null, 2) + "\n";

/** What a new case's options say, as words of a folder name: each leaf, `key-value` for a short value. */
function describeOptions(options: Record<string, unknown>): string[] {
  const words: string[] = [];
  const walk = (value: unknown, key: string): void => {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      for (const k of Object.keys(value).sort()) walk((value as Record<string, unknown>)[k], k);
    } else if (key !== "port" && key !== "mode") {
      const text = String(value).replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "");
      words.push(text.length > 0 && text.length <= 12 ? `${key}-${text}` : key);
    }
  };
  walk(options, "");
  return words.map((w) => w.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));
}

/** The folder of a case: the committed one whose case.json is this case, else a new name. */
export function caseKey(c: UnitCase): string {
  const text = caseText(c);
  const found = goldenCases().find(({ key }) => readFileSync(join(GOLDEN_UNITS, key, "case.json"), "utf8") === text);
  if (found) return found.key;
  const base = `${c.gateway ? `${c.gateway}-` : ""}${c.kind}${c.name === "default" ? "" : `-${c.name}`}`;
  const taken = new Set(goldenCases().map(({ key }) => key));
  const name = [base, ...describeOptions(c.options)].join("-").slice(0, 80).replace(/-$/, "");
  for (const candidate of [base, name]) if (!taken.has(candidate)) return candidate;
  for (let i = 2; ; i++) if (!taken.has(`${name}-${i}`)) return `${name}-${i}`;
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

/** The files of a case as they are committed (the shared store files apart: sharedFiles). */
export function goldenFiles(c: UnitCase, r: UnitRendering): Record<string, string> {
  const own = Object.entries(r.storeFiles).filter(([path]) => !isSharedStoreFile(path));
  const shared = Object.keys(r.storeFiles).filter(isSharedStoreFile).sort();
  const rendering = { ...r, storeFiles: Object.fromEntries(own), sharedStoreFiles: shared };
  return {
    "case.json": caseText(c),
    [r.unitName]: r.unitText,
    [GATEWAY_KINDS[caseGateway(c)].configName]: r.configText,
    [r.cliName]: r.cliScript,
    "rendering.json": JSON.stringify(canonical(rendering), null, 2) + "\n",
  };
}

/** The shared store files of a rendering, by their name in tests/golden/store/. */
export function sharedFiles(r: UnitRendering): Record<string, string> {
  return Object.fromEntries(
    Object.entries(r.storeFiles)
      .filter(([path]) => isSharedStoreFile(path))
      .map(([path, text]) => [basename(path), text]),
  );
}

export function writeGolden(c: UnitCase, r: UnitRendering): void {
  const dir = join(GOLDEN_UNITS, caseKey(c));
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(goldenFiles(c, r))) writeFileSync(join(dir, name), text);
  mkdirSync(GOLDEN_STORE, { recursive: true });
  for (const [name, text] of Object.entries(sharedFiles(r))) writeFileSync(join(GOLDEN_STORE, name), text);
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
  const { sharedStoreFiles = [], ...r } = JSON.parse(readFileSync(file, "utf8")) as UnitRendering & { sharedStoreFiles?: string[] };
  for (const path of sharedStoreFiles) r.storeFiles[path] = readFileSync(join(GOLDEN_STORE, basename(path)), "utf8");
  if (r.failed.length > 0) throw new Error(`the golden case ${key} fails its assertions:\n${r.failed.join("\n")}`);
  return r;
}
