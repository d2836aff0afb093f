// The units the container tests install: rendered by the module's builtins-only functions (modules/lib/),
// with the fake package path as the package. A hand-written fixture is used only when
// CLAWDBOT_CONTAINER_FIXTURE_UNITS=1, for developing the harness.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "./container.js";
import { nixStr } from "../nix.js";
import { FAKE_PKG } from "./store.js";
import { fixtureHomeManagerUnit, fixtureNixosUnit, type RenderedUnit } from "./fixture-units.js";

export type { RenderedUnit };

export const NIXOS_UNIT_NIX = join(REPO, "tests/support/nix/nixos-unit.nix");

export interface NixosUnitInput {
  port: number;
  /** The token file LoadCredential reads (inside the container). */
  tokenFile: string;
  /** Extra settings (clawdbot.json) besides what the test needs. */
  settings?: Record<string, unknown>;
}

export function useFixtureUnits(): boolean {
  return process.env.CLAWDBOT_CONTAINER_FIXTURE_UNITS === "1";
}

/** Why the module's rendering cannot be used, or undefined. */
export function nixosRenderMissing(): string | undefined {
  if (useFixtureUnits()) return undefined;
  if (!existsSync(NIXOS_UNIT_NIX)) return `${NIXOS_UNIT_NIX} does not exist (the module's unit rendering)`;
  return undefined;
}

interface NixRendering {
  unitName: string;
  unitText: string;
  configText: string;
  configFile: string;
  failed: string[];
}

/** Evaluate one of modules/lib's renderings with the given arguments (a Nix attrset expression). */
function evalRendering(file: string, argsExpression: string): NixRendering {
  // --read-write-mode: builtins.toFile really writes the config and launcher into the host's store, from
  // where they are copied into the container at the same paths.
  const expression = `
    let r = import ${nixStr(file)} (${argsExpression});
    in { inherit (r) unitName unitText configText configFile failed; }`;
  const result = spawnSync("nix-instantiate", ["--read-write-mode", "--eval", "--strict", "--json", "--expr", expression], {
    encoding: "utf8",
    env: { ...process.env, NIX_CONFIG: "experimental-features = nix-command flakes\nsubstituters =\n" },
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`evaluating ${file} failed:\n${result.stderr}`);
  const value = JSON.parse(result.stdout) as NixRendering;
  if (value.failed.length > 0) throw new Error(`the rendering's assertions failed:\n${value.failed.join("\n")}`);
  return value;
}

const optionsFor = (input: { port: number; tokenFile: string; settings?: Record<string, unknown> }): string =>
  `builtins.fromJSON ${nixStr(
    JSON.stringify({ port: input.port, auth: { mode: "token", tokenFile: input.tokenFile }, settings: input.settings ?? {} }),
  )}`;

export function renderNixosUnit(input: NixosUnitInput): RenderedUnit {
  if (useFixtureUnits()) {
    console.log("NOTE: CLAWDBOT_CONTAINER_FIXTURE_UNITS=1: testing the hand-written fixture unit, not the module's");
    return fixtureNixosUnit(input);
  }
  const missing = nixosRenderMissing();
  if (missing) throw new Error(`renderNixosUnit: ${missing}`);
  const value = evalRendering(
    NIXOS_UNIT_NIX,
    `{
      package = ${nixStr(FAKE_PKG)};
      shell = "/bin/sh";
      # Debian's /usr (coreutils) in the container stands in for the packages NixOS puts on the unit's PATH.
      path = [ "/usr" ];
      options = ${optionsFor(input)};
    }`,
  );
  if (value.unitName !== "clawdbot.service") throw new Error(`unexpected unit name ${value.unitName}`);
  return { unitName: value.unitName, unit: value.unitText, config: { path: value.configFile, text: value.configText }, storeFiles: [] };
}

export interface HomeManagerUnitInput {
  port: number;
  home: string;
  /** A token file of the user's (Home Manager has no LoadCredential: the launcher reads it). */
  tokenFile: string;
  settings?: Record<string, unknown>;
}

export const HM_UNIT_NIX = join(REPO, "tests/support/nix/hm-unit.nix");

/** Why the Home Manager unit rendering cannot be used, or undefined. */
export function homeManagerRenderMissing(): string | undefined {
  if (useFixtureUnits()) return undefined;
  if (!existsSync(HM_UNIT_NIX)) return `${HM_UNIT_NIX} does not exist (the module's user unit rendering)`;
  return undefined;
}

export function renderHomeManagerUnit(input: HomeManagerUnitInput): RenderedUnit {
  if (useFixtureUnits()) {
    console.log("NOTE: CLAWDBOT_CONTAINER_FIXTURE_UNITS=1: testing the hand-written fixture user unit, not the module's");
    return { unitName: "clawdbot.service", ...fixtureHomeManagerUnit(input) };
  }
  const missing = homeManagerRenderMissing();
  if (missing) throw new Error(`renderHomeManagerUnit: ${missing}`);
  const value = evalRendering(
    HM_UNIT_NIX,
    `{
      package = ${nixStr(FAKE_PKG)};
      shell = "/bin/sh";
      home = ${nixStr(input.home)};
      # Debian's /usr (coreutils) stands in for the packages Home Manager puts on the unit's PATH.
      path = [ "/usr" ];
      options = ${optionsFor(input)};
    }`,
  );
  return { unitName: value.unitName, unit: value.unitText, config: { path: value.configFile, text: value.configText }, storeFiles: [] };
}

/** One NixOS instance as modules/lib/nixos-unit.nix renders it, with what a NixOS system adds around it. */
export interface RenderedNixosInstance {
  unitName: string;
  unitText: string;
  configFile: string;
  configText: string;
  /** The owner's `clawdbot` command (environment.systemPackages) and its script. */
  cliName: string;
  cliScript: string;
  /** Where the gateway token is (a token file, or the one generated at the first start). */
  tokenFile: string | null;
  /** systemd-tmpfiles lines NixOS installs for the instance (systemd.tmpfiles.rules). */
  tmpfilesRules: string[];
}

/** Any instance of the NixOS module's rendering (name, options as the module takes them). */
export function renderNixosInstance(name: string, options: Record<string, unknown>): RenderedNixosInstance {
  const expression = `
    let r = import ${nixStr(NIXOS_UNIT_NIX)} {
      package = ${nixStr(FAKE_PKG)};
      shell = "/bin/sh";
      path = [ "/usr" ];
      name = ${nixStr(name)};
      options = builtins.fromJSON ${nixStr(JSON.stringify(options))};
    };
    in { inherit (r) unitName unitText configFile configText cliName cliScript tokenFile tmpfilesRules failed; }`;
  const result = spawnSync("nix-instantiate", ["--read-write-mode", "--eval", "--strict", "--json", "--expr", expression], {
    encoding: "utf8",
    env: { ...process.env, NIX_CONFIG: "experimental-features = nix-command flakes\nsubstituters =\n" },
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`evaluating ${NIXOS_UNIT_NIX} (${name}) failed:\n${result.stderr}`);
  const value = JSON.parse(result.stdout) as RenderedNixosInstance & { failed: string[] };
  if (value.failed.length > 0) throw new Error(`the rendering's assertions failed:\n${value.failed.join("\n")}`);
  return value;
}
