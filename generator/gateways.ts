// The gateways the generator serves, each described once. Nothing else in the generator is specific to one
// gateway: the same normalisation, IR, secret rule and emitters make every gateway's files.
//
// What differs: the npm package and where its lock lives (nix/<dir>/), the Node it runs on, how its config
// schema and hints are read out of the installed package (the schema source), the names the output uses
// (config file, module, TypeScript prefix, environment prefix), and where its files go.
import { readFileSync } from "node:fs";

export type GatewayName = "clawdbot" | "openclaw";

export interface GatewayDescription {
  name: GatewayName;
  /** The npm package (pinned in `${lockDir}/package.json`). */
  packageName: string;
  /** Folder (from the repository root) of the package.json / package-lock.json the Nix package is built from. */
  lockDir: string;
  /** Separately published plugins pinned at the gateway's version (their own package.json / lock), if any. */
  pluginLockDir?: string;
  /** Node major the package runs on (`node-linux-<arch>@<major>` from npm for the sync). */
  nodeMajor: number;
  /**
   * Where the schema comes from in the installed package:
   * - "zod-export": `dist/config/zod-schema.js` exports the zod schema, converted by upstream's own zod
   *   (`z.toJSONSchema`, input side); `dist/config/schema.js` `buildConfigSchema()` gives the uiHints;
   *   channel ids from `dist/channels/registry.js`, bundled plugins from `extensions/* /clawdbot.plugin.json`.
   * - "cli-json-schema": `<bin> config schema --json` prints the JSON schema (draft-07, titles and
   *   descriptions); the runtime schema (`readBestEffortRuntimeConfigSchema()` in `dist/runtime-schema-*.mjs`)
   *   gives the uiHints with the sensitive flags; bundled plugins from `dist/extensions/* /openclaw.plugin.json`,
   *   separately published ones from `scripts/lib/official-external-channel-catalog.json`.
   */
  schemaSource: "zod-export" | "cli-json-schema";
  /** The snapshot folder (from the repository root) and the schema's file name in it. */
  snapshotDir: string;
  schemaFile: string;
  /** Names in the output. */
  configName: string;
  module: string;
  typePrefix: string;
  envPrefix: string;
  /** How people and the service options' text name it (generator/schema/service.ts). */
  displayName: string;
  /** The gateway's own defaults when the module sets none. */
  defaultWorkspace: string;
  defaultLog: string;
  /** The memory figures users need (measured by `npm run bench`). */
  memoryAdvice: string;
  /** How the owner's command gives the Control UI's URL with the token (the service options' text). */
  dashboard: string;
  /**
   * The gateway opens files with openat2(RESOLVE_BENEATH) and has no fallback: systemd answers that call with
   * ENOSYS under RestrictSUIDSGID= and DynamicUser= (which implies it; seccomp cannot inspect openat2's
   * mode), so its units go without both and its NixOS service runs as a system user of its name.
   */
  openat2: boolean;
  /** Separately published plugins this flake packages (ids; the `plugins` service option), and their package set. */
  packagedPlugins: string[];
  pluginsAttr?: string;
  /** The generated files. */
  outputs: {
    schema: string;
    settings: string;
    facts: string;
    docs: string;
    types: string;
    /** The service options: the Nix declarations and their JSON schema. */
    service: string;
    serviceSchema: string;
  };
}

/** The plugin ids pinned in a plugin lock folder's package.json (`@openclaw/<id>` dependencies). */
function pinnedPlugins(dir: string): string[] {
  const manifest = JSON.parse(readFileSync(new URL(`../${dir}/package.json`, import.meta.url), "utf8")) as {
    dependencies?: Record<string, string>;
  };
  return Object.keys(manifest.dependencies ?? {})
    .map((name) => name.replace(/^@[^/]+\//, ""))
    .sort();
}

export const GATEWAYS: Record<GatewayName, GatewayDescription> = {
  clawdbot: {
    name: "clawdbot",
    packageName: "clawdbot",
    lockDir: "nix/gateway",
    nodeMajor: 22,
    schemaSource: "zod-export",
    snapshotDir: "generator/schema/upstream",
    schemaFile: "clawdbot.schema.json",
    configName: "clawdbot.json",
    module: "services.clawdbot",
    typePrefix: "Clawdbot",
    envPrefix: "CLAWDBOT",
    displayName: "Clawdbot",
    defaultWorkspace: "~/clawd",
    defaultLog: "/tmp/clawdbot/clawdbot-<date>.log",
    memoryAdvice:
      "`\"2G\"` is the recommended figure: a start with the package's prebuilt jiti cache peaks at ~325 MiB, a cold " +
      "start (the cache could not be copied, or a package without it) at ~1.25 GB, which a lower limit would kill.",
    packagedPlugins: [],
    openat2: false,
    dashboard: "`clawdbot dashboard --no-open` prints the Control UI's URL with it",
    outputs: {
      schema: "schemas/clawdbot.schema.json",
      settings: "modules/generated/settings.nix",
      facts: "modules/generated/facts.json",
      docs: "docs/options.md",
      types: "schemas/clawdbot-config.d.ts",
      service: "modules/generated/service.nix",
      serviceSchema: "schemas/service-options.schema.json",
    },
  },
  openclaw: {
    name: "openclaw",
    packageName: "openclaw",
    lockDir: "nix/openclaw",
    pluginLockDir: "nix/openclaw/plugins",
    nodeMajor: 24,
    schemaSource: "cli-json-schema",
    snapshotDir: "generator/schema/openclaw",
    schemaFile: "openclaw.schema.json",
    configName: "openclaw.json",
    module: "services.openclaw",
    typePrefix: "Openclaw",
    envPrefix: "OPENCLAW",
    displayName: "OpenClaw",
    defaultWorkspace: "~/.openclaw/workspace",
    defaultLog: "/tmp/openclaw/openclaw-<date>.log",
    memoryAdvice:
      "`\"2G\"` is the recommended figure: the gateway runs three processes that use ~0.8 GB together when idle " +
      "(~0.95 GB peak at start, more during agent turns); a machine needs at least 1 GB of RAM, 2 GB recommended. " +
      "On 1 GB, `NODE_OPTIONS = \"--max-old-space-size=512 --max-semi-space-size=2\"` (in `environment`) brings it " +
      "to ~0.65 GB; a heap limit of 192 MiB or less, which Node picks by itself on a 512 MB machine, cannot start it.",
    packagedPlugins: pinnedPlugins("nix/openclaw/plugins"), // = pluginLockDir
    pluginsAttr: "openclawPlugins",
    // `--no-open` prints the URL without the token (only a browser or the clipboard gets it)
    dashboard: "`openclaw dashboard --json` prints the Control UI's URL with it (`url`) and a one-time pairing link (`browserUrl`)",
    // @openclaw/fs-safe's native module (every state, lock and workspace path, "openat2 beneath root")
    openat2: true,
    outputs: {
      schema: "schemas/openclaw.schema.json",
      settings: "modules/generated/openclaw/settings.nix",
      facts: "modules/generated/openclaw/facts.json",
      docs: "docs/options-openclaw.md",
      types: "schemas/openclaw-config.d.ts",
      service: "modules/generated/openclaw/service.nix",
      serviceSchema: "schemas/openclaw-service-options.schema.json",
    },
  },
};

export const GATEWAY_NAMES = Object.keys(GATEWAYS) as GatewayName[];

export function gatewayNamed(name: string): GatewayDescription {
  const found = GATEWAYS[name as GatewayName];
  if (!found) throw new Error(`unknown gateway ${JSON.stringify(name)} (known: ${GATEWAY_NAMES.join(", ")})`);
  return found;
}
