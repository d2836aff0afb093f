// The units the container tests install: the golden files of tests/golden/units/ (what the flake's NixOS
// and Home Manager modules render for each case, checked at T0 and T1 by tests/modules/golden.test.ts),
// with the fake package path as the package. The functions take the test's inputs and return the committed
// rendering of that case: services.clawdbot's, or services.openclaw's with `gateway: "openclaw"`.
import type { GatewayName } from "../gateway-kinds.js";
import { goldenUnit, type UnitCase, type UnitRendering } from "../golden-units.js";
import type { FileSpec } from "./container.js";

export interface RenderedUnit {
  /** The unit's name (clawdbot.service, openclaw.service for the default instance). */
  unitName?: string;
  /** The unit file text. */
  unit: string;
  /** The store files the unit names (config, launcher, NixOS' restart-trigger file), to place in the root. */
  storeFiles: FileSpec[];
  /** The rendered config (clawdbot.json, openclaw.json) text and its store path. */
  config: { path: string; text: string };
}

export interface NixosUnitInput {
  /** The service (services.clawdbot when absent). */
  gateway?: GatewayName;
  port: number;
  /** The token file LoadCredential reads (inside the container). */
  tokenFile: string;
  /** Extra settings (clawdbot.json) besides what the test needs. */
  settings?: Record<string, unknown>;
}

export interface HomeManagerUnitInput {
  gateway?: GatewayName;
  port: number;
  home: string;
  /** A token file of the user's (Home Manager has no LoadCredential: the launcher reads it). */
  tokenFile: string;
  settings?: Record<string, unknown>;
}

const storeFilesOf = (r: UnitRendering): FileSpec[] =>
  Object.entries(r.storeFiles).map(([path, content]) => ({ path, content, mode: 0o444 }));

const asUnit = (r: UnitRendering): RenderedUnit => ({
  unitName: r.unitName,
  unit: r.unitText,
  config: { path: r.configFile, text: r.configText },
  storeFiles: storeFilesOf(r),
});

const optionsFor = (input: { port: number; tokenFile: string; settings?: Record<string, unknown> }) => ({
  port: input.port,
  auth: { mode: "token", tokenFile: input.tokenFile },
  settings: input.settings ?? {},
});

/** The case's gateway field: only OpenClaw's cases have one (Clawdbot's keys stay what they were). */
const gatewayField = (gateway: GatewayName | undefined): Pick<UnitCase, "gateway"> => (gateway === "openclaw" ? { gateway } : {});

export function renderNixosUnit(input: NixosUnitInput): RenderedUnit {
  return asUnit(goldenUnit({ ...gatewayField(input.gateway), kind: "nixos", name: "default", options: optionsFor(input) }));
}

export function renderHomeManagerUnit(input: HomeManagerUnitInput): RenderedUnit {
  return asUnit(goldenUnit({ ...gatewayField(input.gateway), kind: "home-manager", name: "default", home: input.home, options: optionsFor(input) }));
}

/** One NixOS instance as the module renders it, with what a NixOS system adds around it. */
export interface RenderedNixosInstance extends UnitRendering {
  /** The store files as FileSpecs for the container root. */
  files: FileSpec[];
}

/** Any instance of the NixOS module (name, options as the module takes them). */
export function renderNixosInstance(name: string, options: Record<string, unknown>, gateway?: GatewayName): RenderedNixosInstance {
  const c: UnitCase = { ...gatewayField(gateway), kind: "nixos", name, options };
  const r = goldenUnit(c);
  return { ...r, files: storeFilesOf(r) };
}

/** Kept for the tests' "why not" messages: the golden files need no evaluation here. */
export const nixosRenderMissing = (): string | undefined => undefined;
export const homeManagerRenderMissing = (): string | undefined => undefined;
