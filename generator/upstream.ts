// Upstream's config schema: a committed snapshot per gateway taken from the pinned npm package
// (`npm run sync-upstream -- <gateway> [<version>]`), read offline by `generate`.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GATEWAYS, type GatewayDescription } from "./gateways.js";
import type { JsonSchema } from "./json-schema.js";
import type { UiHints } from "./normalize.js";

const REPO = new URL("../", import.meta.url);
const repoPath = (path: string): string => new URL(path, REPO).pathname;

/** The channel ids and plugins of the package. */
export interface UpstreamPlugins {
  /** Channels the gateway itself knows (Clawdbot: `CHANNEL_IDS`; OpenClaw: none outside plugins). */
  coreChannels: string[];
  /** Plugins shipped in the package (known to upstream's validator without any install). */
  plugins: { id: string; channels: string[] }[];
  /** Plugins published separately on npm that upstream lists as official (OpenClaw), with their channels. */
  external?: { id: string; package: string; channels: string[] }[];
}

export interface UpstreamSnapshot {
  schema: JsonSchema;
  uiHints: UiHints;
  plugins: UpstreamPlugins;
  meta: { package: string; version: string; converter: string };
}

export function readSnapshot(gateway: GatewayDescription): UpstreamSnapshot {
  const read = (name: string) => JSON.parse(readFileSync(repoPath(`${gateway.snapshotDir}/${name}`), "utf8"));
  return {
    schema: read(gateway.schemaFile),
    uiHints: read("ui-hints.json"),
    plugins: read("plugins.json"),
    meta: read("meta.json"),
  };
}

/** The version the flake packages: the one pin, in `${lockDir}/package.json`. */
export function pinnedVersion(gateway: GatewayDescription): string {
  const manifest = JSON.parse(readFileSync(repoPath(`${gateway.lockDir}/package.json`), "utf8"));
  const version = manifest.dependencies?.[gateway.packageName];
  if (typeof version !== "string" || !/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version)) {
    throw new Error(`${gateway.lockDir}/package.json must pin ${gateway.packageName} to an exact version, found ${JSON.stringify(version)}`);
  }
  return version;
}

/**
 * Clawdbot ("zod-export"), run by Node inside the installed package: upstream's own zod 4 converts upstream's
 * own schema (`z.toJSONSchema`, input side, transforms as `{}`), `buildConfigSchema()` gives the uiHints, the
 * channel registry the core channel ids, and the bundled plugins' manifests their ids and channels.
 */
const EXTRACT_ZOD = `
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { CHANNEL_IDS } from "./dist/channels/registry.js";
import { ClawdbotSchema } from "./dist/config/zod-schema.js";
import { buildConfigSchema } from "./dist/config/schema.js";
import { z } from "zod";
const schema = z.toJSONSchema(ClawdbotSchema, { io: "input", unrepresentable: "any", reused: "inline", cycles: "ref" });
const { uiHints, version } = buildConfigSchema();
const plugins = readdirSync("extensions")
  .filter((dir) => existsSync(\`extensions/\${dir}/clawdbot.plugin.json\`))
  .sort()
  .map((dir) => JSON.parse(readFileSync(\`extensions/\${dir}/clawdbot.plugin.json\`, "utf8")))
  .map((manifest) => ({ id: manifest.id, channels: manifest.channels ?? [] }));
process.stdout.write(JSON.stringify({ schema, uiHints, version, plugins: { coreChannels: [...CHANNEL_IDS], plugins } }));
`;

/**
 * OpenClaw ("cli-json-schema"), run by Node inside the installed package after `openclaw config schema
 * --json` wrote schema.json next to it: the runtime schema's uiHints (the only source of the sensitive
 * flags), the bundled plugins' manifests, and upstream's catalog of its separately published channel plugins.
 */
const EXTRACT_RUNTIME_HINTS = `
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
const file = readdirSync("dist").find((f) => /^runtime-schema-.*\\.mjs$/.test(f) &&
  /export \\{[^}]*readBestEffortRuntimeConfigSchema \\}/.test(readFileSync("dist/" + f, "utf8")));
if (!file) throw new Error("no dist/runtime-schema-*.mjs exports readBestEffortRuntimeConfigSchema");
const { readBestEffortRuntimeConfigSchema } = await import("./dist/" + file);
const runtime = await readBestEffortRuntimeConfigSchema();
const KEEP = ["label", "help", "placeholder", "sensitive", "group", "order"];
const uiHints = Object.fromEntries(Object.entries(runtime.uiHints).sort(([a], [b]) => a.localeCompare(b)).map(([key, hint]) =>
  [key, Object.fromEntries(KEEP.filter((k) => hint[k] !== undefined).map((k) => [k, hint[k]]))]));
const plugins = readdirSync("dist/extensions")
  .filter((dir) => existsSync(\`dist/extensions/\${dir}/openclaw.plugin.json\`))
  .sort()
  .map((dir) => JSON.parse(readFileSync(\`dist/extensions/\${dir}/openclaw.plugin.json\`, "utf8")))
  .map((manifest) => ({ id: manifest.id, channels: manifest.channels ?? [] }));
const catalog = JSON.parse(readFileSync("scripts/lib/official-external-channel-catalog.json", "utf8")).entries;
const external = catalog
  .filter((entry) => entry.source === "official" && entry.name.startsWith("@openclaw/"))
  .map((entry) => ({
    id: entry.openclaw?.plugin?.id ?? entry.name.replace(/^@openclaw\\//, ""),
    package: entry.name,
    channels: [...new Set([entry.openclaw?.channel?.id, ...Object.keys(entry.openclaw?.channelConfigs ?? {})].filter(Boolean))].sort(),
  }))
  .sort((a, b) => a.id.localeCompare(b.id));
// A file, not stdout: the process exits at once (plugin workers may keep it alive), before a pipe is drained.
writeFileSync("extract-hints.json", JSON.stringify({ uiHints, version: runtime.version, plugins: { coreChannels: [], plugins, external } }));
process.exit(0);
`;

/** The npm registry, through npm. */
const npm = (cwd: string, args: string[], env: NodeJS.ProcessEnv = process.env): string =>
  execFileSync("npm", args, { cwd, env, stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 * 1024 * 1024 }).toString();

/** A lock with every registry package's `resolved` URL (nixpkgs' importNpmLock fetches only those). */
const LOCK_FLAGS = ["--ignore-scripts", "--no-audit", "--no-fund", "--omit-lockfile-registry-resolved=false"];

/** Write a new pin and its lock (npm resolves the whole tree; per-package integrity hashes). */
export function repin(dir: string, pins: Record<string, string>, version: string, env: NodeJS.ProcessEnv, log: (line: string) => void, realInstall: boolean, replace = false): void {
  const manifestPath = repoPath(`${dir}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  manifest.version = version;
  manifest.dependencies = replace ? pins : { ...manifest.dependencies, ...pins };
  const work = mkdtempSync(join(tmpdir(), "sync-lock-"));
  try {
    writeFileSync(join(work, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
    if (realInstall) {
      // Packages that bundle their dependencies: `--package-lock-only` writes a lock `npm ci` rejects, and a
      // first install leaves out what the bundles need from outside; the second install completes it.
      npm(work, ["install", ...LOCK_FLAGS], env);
      npm(work, ["install", ...LOCK_FLAGS], env);
    } else {
      npm(work, ["install", "--package-lock-only", ...LOCK_FLAGS], env);
    }
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + "\n");
    copyFileSync(join(work, "package-lock.json"), repoPath(`${dir}/package-lock.json`));
    if (existsSync(join(work, "node_modules/@openclaw"))) writePluginChannels(dir, join(work, "node_modules/@openclaw"));
    log(`${dir}/package.json and package-lock.json pinned to ${version}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** nix/openclaw/plugins/channels.json: plugin id → channel ids, from each plugin's openclaw.plugin.json. */
function writePluginChannels(dir: string, scope: string): void {
  const out: Record<string, unknown> = {
    $comment:
      "Written by `npm run sync-upstream -- openclaw <version>` (generator/upstream.ts) from each plugin's openclaw.plugin.json: plugin id → the channel ids it provides. Read by nix/openclaw/plugins.nix.",
  };
  for (const name of readdirSync(scope).sort()) {
    const manifest = JSON.parse(readFileSync(join(scope, name, "openclaw.plugin.json"), "utf8"));
    out[manifest.id] = manifest.channels ?? [];
  }
  writeFileSync(repoPath(`${dir}/channels.json`), JSON.stringify(out, null, 2) + "\n");
}

/** A tree of the packaged channel plugins, laid out as nix/openclaw/plugins.nix's `lib/openclaw-plugins`. */
export interface PackagedPlugins {
  /** The npm project whose node_modules/@openclaw/<id> are the plugins: upstream's managed npm root. */
  npmRoot: string;
  /** Their ids, from the lock folder's package.json. */
  ids: string[];
}

/**
 * The packaged channel plugins as the flake builds them (nix/openclaw/plugins.nix): `npm install` from the
 * committed lock of `dir` (what nixpkgs' npm config hook runs; `npm ci` rejects these bundled-dependency
 * packages' locks), no install script, the lock left unchanged (checked), and each plugin's
 * node_modules/openclaw linked to the gateway package (upstream's peer link). Into `npmRoot`, a new folder.
 */
export function installPackagedPlugins(dir: string, npmRoot: string, gatewayPackage: string, env: NodeJS.ProcessEnv): PackagedPlugins {
  mkdirSync(npmRoot, { recursive: true });
  for (const f of ["package.json", "package-lock.json"]) copyFileSync(repoPath(`${dir}/${f}`), join(npmRoot, f));
  npm(npmRoot, ["install", ...LOCK_FLAGS], env);
  if (!readFileSync(join(npmRoot, "package-lock.json")).equals(readFileSync(repoPath(`${dir}/package-lock.json`)))) {
    throw new Error(`npm install changed ${dir}/package-lock.json: the committed lock is stale (npm run sync-upstream -- openclaw <version>)`);
  }
  const names = Object.keys(JSON.parse(readFileSync(join(npmRoot, "package.json"), "utf8")).dependencies ?? {});
  for (const name of names) {
    mkdirSync(join(npmRoot, "node_modules", name, "node_modules"), { recursive: true });
    symlinkSync(gatewayPackage, join(npmRoot, "node_modules", name, "node_modules", "openclaw"));
  }
  return { npmRoot, ids: names.map((name) => name.replace(/^@openclaw\//, "")) };
}

/**
 * OpenClaw's snapshot from its installed package (its npm lifecycle complete): `openclaw config schema --json`
 * and the runtime schema's uiHints (EXTRACT_RUNTIME_HINTS), both run in a private HOME and state (`home`, a
 * new folder) with a minimal valid config. Both are upstream's runtime config schema
 * (readBestEffortRuntimeConfigSchema): the core schema plus the metadata of every plugin upstream discovers,
 * `plugins.entries.<id>.config` typed from each plugin's own manifest `configSchema` and `channels.<id>`
 * from its `channelConfigs` (normalised by upstream for installed plugins: the core `heartbeatVisibility`).
 * With `plugins`, the packaged channel plugins are present as the modules deploy them: `<state>/npm` links
 * to their npm root (modules/lib/plugins.nix `pluginNpmRoot`), so upstream treats them as its own managed npm
 * installs and types their entries and channels as a deployed gateway validates them; every packaged id
 * missing from `plugins.entries` is an error.
 */
export function runtimeSnapshot(
  gateway: GatewayDescription,
  opts: { node: string; packageDir: string; pinned: string; env: NodeJS.ProcessEnv; home: string; plugins?: PackagedPlugins },
): UpstreamSnapshot {
  const { packageDir, home } = opts;
  const state = join(home, "state");
  mkdirSync(state, { recursive: true });
  writeFileSync(join(state, "openclaw.json"), JSON.stringify({ gateway: { mode: "local" } }) + "\n");
  if (opts.plugins) symlinkSync(opts.plugins.npmRoot, join(state, "npm"));
  const isolated = {
    ...opts.env,
    HOME: home,
    TMPDIR: home,
    [`${gateway.envPrefix}_STATE_DIR`]: state,
    [`${gateway.envPrefix}_CONFIG_PATH`]: join(state, "openclaw.json"),
    [`${gateway.envPrefix}_NIX_MODE`]: "1",
  };
  const run = (args: string[]) =>
    execFileSync(opts.node, args, { cwd: packageDir, env: isolated, maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] }).toString();
  const bin = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")).bin[gateway.packageName];
  const schema = JSON.parse(run([bin, "config", "schema", "--json"])) as JsonSchema;
  writeFileSync(join(packageDir, "extract-hints.mjs"), EXTRACT_RUNTIME_HINTS);
  run(["extract-hints.mjs"]);
  const { uiHints, version: schemaVersion, plugins } = JSON.parse(readFileSync(join(packageDir, "extract-hints.json"), "utf8"));
  const typed = Object.keys(entriesOf(schema));
  const untyped = (opts.plugins?.ids ?? []).filter((id) => !typed.includes(id));
  if (untyped.length > 0) {
    throw new Error(`upstream's runtime schema has no plugins.entries.<id> for the packaged plugin(s) ${untyped.join(", ")} installed at <state>/npm: its plugin discovery changed; read dist/runtime-schema-*.mjs (readBestEffortRuntimeConfigSchema) and make sync-upstream present them as it expects`);
  }
  const present = opts.plugins ? `, with the packaged channel plugins of ${gateway.pluginLockDir} installed as managed npm plugins at <state>/npm (${opts.plugins.ids.length})` : "";
  return {
    schema,
    uiHints,
    plugins,
    meta: { package: gateway.packageName, version: schemaVersion ?? opts.pinned, converter: `${gateway.packageName} config schema --json (JSON Schema draft-07) and readBestEffortRuntimeConfigSchema() uiHints${present}` },
  };
}

/** `plugins.entries.properties` of a config schema: the plugin ids it types. */
export function entriesOf(schema: JsonSchema): Record<string, JsonSchema> {
  return schema.properties?.plugins?.properties?.entries?.properties ?? {};
}

/** Write a snapshot into the gateway's snapshot folder (what readSnapshot reads). */
export function writeSnapshot(gateway: GatewayDescription, snapshot: UpstreamSnapshot): void {
  // indented with tabs, like the generated JSON (one byte a level: OpenClaw's schema is large)
  const write = (name: string, value: unknown) => writeFileSync(repoPath(`${gateway.snapshotDir}/${name}`), JSON.stringify(value, null, "\t") + "\n");
  mkdirSync(repoPath(gateway.snapshotDir), { recursive: true });
  write(gateway.schemaFile, snapshot.schema);
  write("ui-hints.json", snapshot.uiHints);
  write("plugins.json", snapshot.plugins);
  write("meta.json", snapshot.meta);
}

/**
 * Refresh a gateway's pin (when `version` is given: its package.json and lock; OpenClaw's channel plugins are
 * re-chosen and re-locked each time), then its snapshot from the pinned npm package: the config schema and
 * uiHints (OpenClaw's taken with the packaged plugins installed from their lock: runtimeSnapshot), the
 * plugins, and (Clawdbot) the legacy-key rules the import/check tools use (cli/upstream/legacy-rules.json).
 * Needs the npm registry.
 */
export async function syncUpstream(
  gateway: GatewayDescription,
  version?: string,
  log: (line: string) => void = console.log,
): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), `${gateway.name}-sync-`));
  try {
    const arch = process.arch === "arm64" ? "arm64" : "x64";
    npm(work, ["pack", `node-linux-${arch}@${gateway.nodeMajor}`, "--silent"]);
    execFileSync("sh", ["-c", "tar xzf node-linux-*.tgz && rm node-linux-*.tgz"], { cwd: work });
    const nodeBin = join(work, "package", "bin");
    // npm runs under the gateway's Node (engines are met), as in the Nix build and the tests.
    const env = { ...process.env, PATH: `${nodeBin}:${process.env.PATH ?? "/usr/bin:/bin"}`, npm_config_update_notifier: "false" };
    if (version) {
      const published = JSON.parse(npm(work, ["view", `${gateway.packageName}@${version}`, "version", "--json"]) || "null");
      if (published !== version) throw new Error(`${gateway.packageName}@${version} is not on npm`);
      repin(gateway.lockDir, { [gateway.packageName]: version }, version, env, log, false);
    }
    const pinned = pinnedVersion(gateway);
    const project = join(work, "project");
    execFileSync("mkdir", ["-p", project]);
    // The same manifest and lock the Nix package is built from.
    for (const f of ["package.json", "package-lock.json"]) copyFileSync(repoPath(`${gateway.lockDir}/${f}`), join(project, f));
    log(`installing ${gateway.packageName}@${pinned} (${gateway.lockDir} lock) with Node ${gateway.nodeMajor} into ${project}`);
    npm(project, ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], env);
    const packageDir = join(project, "node_modules", gateway.packageName);
    if (gateway.pluginLockDir) {
      // The official channel plugins of the gateway's own catalog (generator/plugin-catalog.ts).
      const { choosePluginVersions, officialCatalog, readWithheld, writePluginCatalog } = await import("./plugin-catalog.js");
      const view = (spec: string, field: string): unknown => {
        try {
          return JSON.parse(npm(work, ["view", spec, field, "--json"]) || "null") ?? undefined;
        } catch {
          return undefined; // E404: not served
        }
      };
      const chosen = choosePluginVersions(officialCatalog(packageDir), pinned, view, readWithheld(gateway.pluginLockDir));
      const pins = writePluginCatalog(gateway.pluginLockDir, pinned, chosen);
      repin(gateway.pluginLockDir, pins, pinned, env, log, true, true);
    }
    let snapshot: UpstreamSnapshot;
    if (gateway.schemaSource === "zod-export") {
      const node = join(nodeBin, "node");
      writeFileSync(join(packageDir, "extract-schema.mjs"), EXTRACT_ZOD);
      const out = execFileSync(node, ["extract-schema.mjs"], { cwd: packageDir, env, maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] }).toString();
      const { schema, uiHints, version: schemaVersion, plugins } = JSON.parse(out);
      const zodVersion = JSON.parse(readFileSync(join(project, "node_modules", "zod", "package.json"), "utf8")).version;
      snapshot = { schema, uiHints, plugins, meta: { package: gateway.packageName, version: schemaVersion ?? pinned, converter: `z.toJSONSchema of zod ${zodVersion} (io: input, unrepresentable: any)` } };
    } else {
      npm(project, ["rebuild", "--offline"], env); // the package lifecycle, as in the Nix build
      const plugins = gateway.pluginLockDir ? installPackagedPlugins(gateway.pluginLockDir, join(work, "plugins"), packageDir, env) : undefined;
      snapshot = runtimeSnapshot(gateway, { node: join(nodeBin, "node"), packageDir, pinned, env, home: join(work, "home"), plugins });
    }
    writeSnapshot(gateway, snapshot);
    log(`snapshot of ${gateway.packageName}@${pinned} written to ${gateway.snapshotDir}/`);
    if (gateway.name === "clawdbot") {
      const { writeLegacySnapshot } = await import("../cli/sync-legacy.js");
      log(`${await writeLegacySnapshot(packageDir)} legacy rules written to cli/upstream/legacy-rules.json`);
    } else {
      log(`no legacy-rule extraction for ${gateway.packageName}: its own validator reports legacy keys (\`config validate\`, exit 78 in Nix mode)`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
