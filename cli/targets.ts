// The gateways clawdbot-nix imports and checks for ("targets"): Clawdbot and OpenClaw, its renamed current
// release. What differs between them (names, config file, environment prefix, custom bind, the validator, the
// files each reads from its state directory) is the generator's description of each gateway
// (modules/generated/<name>/gateway.json, written from generator/gateways.ts), read here as Nix reads it; the
// schemas, uiHints, facts and service options are the generated files. (The command is bundled into one file: it
// imports the generated JSON, not generator/gateways.ts, which reads files of the checkout when it is loaded.)
// Nothing else in cli/ spells a gateway's name: the schema layer, the upstream validator, import and check read
// a Target.
//
// Which target a config is for, when --target does not say: an `openclaw.json` file, a state dir holding one (or
// named `.openclaw`), or `meta.lastTouchedVersion` newer than the last Clawdbot release mean OpenClaw (the
// gateway that also reads Clawdbot's file, gateway.json alsoReads); then the content (keys only one gateway's
// schema has, more of them than the other's); otherwise Clawdbot, and the line printed says why and how to
// choose the other.
import { existsSync, statSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import type { GatewayJson, GatewayName } from "../generator/gateways.js";
import type { JsonSchema } from "../generator/json-schema.js";
import type { UiHints } from "../generator/normalize.js";
import clawdbotGateway from "../modules/generated/clawdbot/gateway.json" with { type: "json" };
import clawdbotSchema from "../schemas/clawdbot.schema.json" with { type: "json" };
import clawdbotHints from "../generator/schema/upstream/ui-hints.json" with { type: "json" };
import clawdbotMeta from "../generator/schema/upstream/meta.json" with { type: "json" };
import clawdbotFacts from "../modules/generated/clawdbot/facts.json" with { type: "json" };
import clawdbotService from "../schemas/clawdbot-service-options.schema.json" with { type: "json" };
import clawdbotLegacy from "./upstream/legacy-rules.json" with { type: "json" };
import openclawGateway from "../modules/generated/openclaw/gateway.json" with { type: "json" };
import openclawSchema from "../schemas/openclaw.schema.json" with { type: "json" };
import openclawHints from "../generator/schema/openclaw/ui-hints.json" with { type: "json" };
import openclawMeta from "../generator/schema/openclaw/meta.json" with { type: "json" };
import openclawFacts from "../modules/generated/openclaw/facts.json" with { type: "json" };
import openclawService from "../schemas/openclaw-service-options.schema.json" with { type: "json" };
import { isPlainObject, type JsonObject } from "./json.js";

export type TargetName = GatewayName;

export interface LegacyRule {
  path: string[];
  message: string;
  /** Upstream's optional predicate; the only form it uses is "the value is a string". */
  match?: "string";
}

/**
 * The generator's facts of a gateway (modules/generated/<name>/facts.json, written by generator/secrets.ts and the
 * plugin snapshot): secret places, channel and plugin ids. The CLI reads them; it never re-derives them.
 */
export interface GatewayFacts {
  version: string;
  secrets: {
    paths: string[][];
    /** POSIX ERE matched against a whole key name. */
    keyPattern: string;
    freeform: string[][];
  };
  channels: string[];
  channelSettingsKeys: string[];
  plugins: string[];
  channelPlugins: Record<string, string[]>;
  /** OpenClaw: separately published plugins (id → npm package, channel ids). */
  externalPlugins?: Record<string, { package: string; channels: string[] }>;
}

/**
 * How the gateway's own validator is found and run (cli/upstream-validator.ts): gateway.json `validator` — the
 * module (from the package root) exporting `validateConfigObjectWithPlugins`, the environment variables naming
 * the package tree and its Node, where did-you-mean's ids come from ("runtime": the package; "facts": the
 * generated facts), and what the gateway's reader rewrites before it validates (upstream's functions, in order;
 * the import writes the config as normalized, so that the typed settings take it).
 */
export type ValidatorDescription = GatewayJson["validator"];

/** The names a gateway goes by. */
export interface GatewayNames {
  name: TargetName;
  /** For people: "Clawdbot", "OpenClaw". */
  displayName: string;
  /** The npm package (its name is the gateway's). */
  packageName: string;
  /** The config file: clawdbot.json, openclaw.json. */
  configName: string;
  /** `services.<name>`. */
  module: string;
  /** Every variable the gateway reads starts with it and `_`. */
  envPrefix: string;
  /** The generated options reference (docs/options/<name>.md). */
  docs: string;
  /** The gateway listens on gateway.customBindHost with bind "custom" (OpenClaw; Clawdbot's schema lacks it). */
  customBind: boolean;
}

/** The service options of `services.<name>` (generated JSON schema): what import may set. */
export interface ServiceOptions {
  authModes: string[];
  binds: string[];
  /** Separately published plugins the module packages (`plugins`), none when it has no such option. */
  plugins: string[];
  /** The names of the service's options (`port`, `stateDir`, …) and of its `auth` options (`tokenFile`, …). */
  options: string[];
  authOptions: string[];
}

export interface Target {
  name: TargetName;
  gateway: GatewayNames;
  /** For people: "Clawdbot", "OpenClaw". */
  displayName: string;
  /** The pinned release (the snapshot's meta.json). */
  version: string;
  /** The generated JSON schema of the config file (schemas/<name>.schema.json). */
  schema: JsonSchema;
  uiHints: UiHints;
  /** Retired keys with upstream's migration hints, checked before the schema (Clawdbot; OpenClaw's own validator reports its legacy keys). */
  legacy: LegacyRule[];
  facts: GatewayFacts;
  /** Config file names a state directory may hold, in the order the gateway reads them. */
  stateDirFiles: string[];
  validator: ValidatorDescription;
  service: ServiceOptions;
}

function serviceOptions(schema: unknown): ServiceOptions {
  type Enum = { enum?: string[]; items?: { enum?: string[] } };
  const properties = (schema as { properties: { auth: { properties: { mode: Enum } }; bind: Enum; plugins?: Enum } }).properties;
  return {
    authModes: properties.auth.properties.mode.enum ?? [],
    binds: properties.bind.enum ?? [],
    plugins: properties.plugins?.items?.enum ?? [],
    options: Object.keys(properties).filter((k) => k !== "enable"),
    authOptions: Object.keys(properties.auth.properties),
  };
}

/** Each gateway's generated files, imported (the bundle holds them). */
const SOURCES: Record<TargetName, { gateway: unknown; schema: unknown; hints: unknown; meta: { version: string }; facts: unknown; service: unknown; legacy: LegacyRule[] }> = {
  clawdbot: {
    gateway: clawdbotGateway,
    schema: clawdbotSchema,
    hints: clawdbotHints,
    meta: clawdbotMeta,
    facts: clawdbotFacts,
    service: clawdbotService,
    legacy: (clawdbotLegacy as unknown as { rules: LegacyRule[] }).rules,
  },
  openclaw: {
    gateway: openclawGateway,
    schema: openclawSchema,
    hints: openclawHints,
    meta: openclawMeta,
    facts: openclawFacts,
    service: openclawService,
    legacy: [],
  },
};

function makeTarget(name: TargetName, all: typeof SOURCES): Target {
  const data = all[name];
  const description = data.gateway as GatewayJson;
  if (description.name !== name) throw new Error(`modules/generated/${name}/gateway.json describes ${description.name}: run npm run generate`);
  const { displayName, packageName, configName, module, envPrefix, customBind } = description;
  const gateway: GatewayNames = { name, displayName, packageName, configName, module, envPrefix, docs: description.files.docs, customBind };
  return {
    name,
    gateway,
    displayName,
    version: data.meta.version,
    schema: data.schema as JsonSchema,
    uiHints: data.hints as UiHints,
    legacy: data.legacy,
    facts: data.facts as GatewayFacts,
    // its own file first, then the other gateways' it also reads (dist/paths-*.mjs: the first that exists)
    stateDirFiles: [configName, ...description.alsoReads.map((other) => (all[other].gateway as GatewayJson).configName)],
    validator: description.validator,
    service: serviceOptions(data.service),
  };
}

export const TARGET_NAMES = Object.keys(SOURCES) as TargetName[];
export const TARGETS = Object.fromEntries(TARGET_NAMES.map((name) => [name, makeTarget(name, SOURCES)])) as Record<TargetName, Target>;

/**
 * The renamed gateway and the one it was renamed from: the gateway whose state directory also holds another's
 * config file (gateway.json alsoReads: OpenClaw reads clawdbot.json), and that other (Clawdbot). Detection and
 * state directories use them.
 */
const RENAMES = TARGET_NAMES.flatMap((name) => (SOURCES[name].gateway as GatewayJson).alsoReads.map((from) => ({ renamed: TARGETS[name], original: TARGETS[from] })));
if (RENAMES.length !== 1) throw new Error(`cli/targets.ts: expected one gateway that reads another's config file (gateway.json alsoReads), found ${RENAMES.length}`);
const { renamed: RENAMED, original: ORIGINAL } = RENAMES[0]!;

/** A target by name; undefined for an unknown one. */
export const targetNamed = (name: string): Target | undefined => (TARGET_NAMES as readonly string[]).includes(name) ? TARGETS[name as TargetName] : undefined;

/** The ids `channels.<id>` may take without a declared plugin, for did-you-mean. */
export function knownChannelIds(target: Target): string[] {
  const external = Object.values(target.facts.externalPlugins ?? {}).flatMap((p) => p.channels);
  return [...new Set([...target.facts.channels, ...Object.values(target.facts.channelPlugins).flat(), ...external])].sort();
}

/** Plugin ids the gateway knows (bundled and separately published), for did-you-mean. */
export function knownPluginIds(target: Target): string[] {
  return [...new Set([...target.facts.plugins, ...Object.keys(target.facts.externalPlugins ?? {})])].sort();
}

// ---------------------------------------------------------------------------------------------------------------
// Detection

/** "2026.1.24-3" → [2026, 1, 24, 3]; a release without a suffix sorts after its pre/post releases' base. */
function versionParts(version: string): number[] | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:-(\d+))?/.exec(version.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4] ?? 0)] : undefined;
}

/** a > b for gateway versions (YYYY.M.D[-N]); undefined when either is not one. */
export function newerVersion(a: string, b: string): boolean | undefined {
  const x = versionParts(a);
  const y = versionParts(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! > y[i]!;
  return false;
}

export interface TargetChoice {
  target: Target;
  /** Why, in words: "--target openclaw", "the config file is named openclaw.json", … */
  reason: string;
}

/**
 * The config file a path names: the path itself, or in a state directory the first of the target's file names
 * that exists (any target's when none is given: openclaw.json before clawdbot.json, as OpenClaw reads them).
 * A directory holding none gives its first candidate, so the read error names it.
 */
export function configFileIn(input: string, cwd: string, given: Target | undefined): { file: string; stateDir: boolean } {
  const path = resolve(cwd, input);
  let isDir = false;
  try {
    isDir = statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    // EACCES and the like: reading it gives the message
  }
  if (!isDir) return { file: path, stateDir: false };
  // no target given: the renamed gateways' own files first (Clawdbot never read openclaw.json; OpenClaw reads it
  // before clawdbot.json), then the original's
  const order = [...TARGET_NAMES.filter((n) => n !== ORIGINAL.name), ORIGINAL.name];
  const names = given ? given.stateDirFiles : [...new Set(order.map((n) => TARGETS[n].gateway.configName))];
  const found = names.find((name) => existsSync(resolve(path, name)));
  // nothing there: name the file the command always looked for (clawdbot.json), or the given target's
  return { file: resolve(path, found ?? (given ?? ORIGINAL).stateDirFiles[0]!), stateDir: true };
}

/** The target a config is for: --target, else the signs of OpenClaw, else Clawdbot. */
export function detectTarget(file: string, value: JsonObject | undefined, given?: TargetName, byContent?: (value: JsonObject) => TargetChoice | undefined): TargetChoice {
  if (given) return { target: TARGETS[given], reason: `--target ${given}` };
  const openclaw = RENAMED;
  const clawdbot = ORIGINAL;
  const name = basename(file);
  if (name === openclaw.gateway.configName || name === `${openclaw.gateway.configName}5`) {
    return { target: openclaw, reason: `the config file is named ${name}` };
  }
  const stateDir = basename(dirname(file));
  if (stateDir === `.${openclaw.name}` || stateDir.startsWith(`.${openclaw.name}-`)) {
    return { target: openclaw, reason: `the config is in ${stateDir}, an OpenClaw state directory` };
  }
  const meta = value && isPlainObject(value.meta) ? value.meta : undefined;
  const touched = typeof meta?.lastTouchedVersion === "string" ? meta.lastTouchedVersion : undefined;
  // Clawdbot's releases end at the pinned one (npm: clawdbot 2026.1.24-3); a newer writer is OpenClaw.
  if (touched !== undefined && newerVersion(touched, clawdbot.version)) {
    return { target: openclaw, reason: `meta.lastTouchedVersion is ${touched}, newer than the last Clawdbot release (${clawdbot.version}): written by OpenClaw` };
  }
  if (meta && isPlainObject(meta.migrations)) return { target: openclaw, reason: "meta.migrations is set, which only OpenClaw writes" };
  // the keys: some only one gateway's schema has (cli/validate.ts contentTarget)
  const content = value && byContent ? byContent(value) : undefined;
  if (content) return content;
  const why = touched !== undefined ? `meta.lastTouchedVersion ${touched}` : `no ${openclaw.gateway.configName}, no meta.lastTouchedVersion after ${clawdbot.version}`;
  return { target: clawdbot, reason: `no sign of OpenClaw (${why}); --target openclaw checks it for OpenClaw` };
}

/** `target: openclaw 2026.9.6 (why)`: the line check and import print. */
export const targetLine = (choice: TargetChoice): string => `target: ${choice.target.name} ${choice.target.version} (${choice.reason})`;
