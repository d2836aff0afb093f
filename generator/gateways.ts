// The gateways the generator serves, each described once. Nothing else in the generator is specific to one
// gateway: the same normalisation, IR, secret rule and emitters make every gateway's files.
//
// What differs: the npm package and where its lock lives (nix/<dir>/), the Node it runs on, how its config
// schema and hints are read out of the installed package (the schema source), the names the output uses
// (config file, module, TypeScript prefix, environment prefix), and what the Nix package, the modules, the image
// and clawdbot-nix need to know about it. `generate` writes the part they read as
// modules/generated/<name>/gateway.json (gatewayJson below): modules/lib/gateways.nix, nix/package.nix, nix/image
// and cli/targets.ts read that file, so this table is the only one.
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
  /**
   * Its CLI has `backup create --output <dir> --verify` (OpenClaw's dist/commands/backup.ts: an archive of the
   * state folder, config, credentials and workspaces, verified after writing; `backup restore` unpacks one):
   * the services take one before a new package first runs on the state (the `backup` service options).
   * Clawdbot 2026.1.24-3 has no backup command.
   */
  backupCommand: boolean;
  /** Separately published plugins this flake packages (ids; the `plugins` service option), and their package set (pkgs.<attr>; null: none). */
  packagedPlugins: string[];
  pluginsAttr: string | null;
  /** The Nix package (nix/package.nix): its attribute (pkgs.<attr>, the modules' mkPackageOption), its command (bin/<bin>), its meta. */
  package: {
    attr: string;
    bin: string;
    description: string;
    homepage: string;
    /** Libraries of prebuilt natives that are loaded only for features a gateway never starts with (autoPatchelfIgnoreMissingDeps). */
    ignoreMissingDeps: string[];
  };
  /**
   * How to ask whether the gateway is up (the package's smoke test, the image's health check):
   * - "websocket": no HTTP health endpoint (every GET returns the Control UI); the package's health-probe.mjs
   *   connects and sends a `health` request with the token;
   * - "readyz": the unauthenticated GET /readyz, 200 once the gateway and every configured channel, agent and
   *   plugin are ready.
   */
  health: "websocket" | "readyz";
  /** How the foreground command starts the gateway (after the command itself). */
  runArgs: string[];
  /** The package's build-time cache the modules copy into TMPDIR at start (render.nix --jiti-seed); null: the package's wrapper seeds its own. */
  cacheSeed: string | null;
  /** launchd's label (nix-darwin, Home Manager on macOS); an instance appends `.<name>`. */
  launchdLabel: string;
  documentation: string;
  /** The gateway's own validator (cli/upstream-validator.ts, the modules' build-time check). */
  validator: {
    /** The module (from the package root, node_modules/<packageName>) that exports `validateConfigObjectWithPlugins`. */
    module: string;
    /** clawdbot-nix's environment variables naming the gateway's package tree and the Node to run it with. */
    gatewayEnv: string;
    nodeEnv: string;
    /**
     * Ids for did-you-mean: "runtime" asks the package (its channel registry and plugin manifests); "facts" takes
     * them from the generated facts (core, bundled and separately published plugins).
     */
    ids: "runtime" | "facts";
    /** What the gateway's config reader rewrites before it validates: upstream's functions, by name, in order. */
    normalize: string[];
  };
  /** Other gateways whose config file this one also reads from its state directory, after its own. */
  alsoReads: GatewayName[];
  /**
   * Plugins the gateway switches on at start, rewriting its config file, unless the file already says
   * `plugins.entries.<id>.enabled = true`: every configured channel (channels), and provider plugins when the
   * provider is in use (provider → plugin id).
   */
  autoEnable: { channels: boolean; providerPlugins: Record<string, string> };
  /** A stop: systemd's TimeoutStopSec / launchd's ExitTimeOut, and KillMode (null: systemd's default). */
  stop: { timeoutSec: number; killMode: string | null };
  /** The OCI image (nix/image): the workspace volume (under the user's home), and whether the config logs to the state volume. */
  image: { workspace: string; logToStateDir: boolean };
  /** The generated files: every gateway's in the same places, named by the gateway (outputsOf). */
  outputs: GatewayOutputs;
}

export interface GatewayOutputs {
  /** This description, for Nix (modules/lib/gateways.nix) and the CLI (cli/targets.ts). */
  gateway: string;
  schema: string;
  settings: string;
  facts: string;
  docs: string;
  types: string;
  /** The service options: the Nix declarations and their JSON schema. */
  service: string;
  serviceSchema: string;
}

/** Where a gateway's generated files go: modules/generated/<name>/, docs/options/<name>.md, schemas/<name>…. */
export function outputsOf(name: GatewayName): GatewayOutputs {
  return {
    gateway: `modules/generated/${name}/gateway.json`,
    schema: `schemas/${name}.schema.json`,
    settings: `modules/generated/${name}/settings.nix`,
    facts: `modules/generated/${name}/facts.json`,
    docs: `docs/options/${name}.md`,
    types: `schemas/${name}-config.d.ts`,
    service: `modules/generated/${name}/service.nix`,
    serviceSchema: `schemas/${name}-service-options.schema.json`,
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
    pluginsAttr: null,
    openat2: false,
    backupCommand: false,
    dashboard: "`clawdbot dashboard --no-open` prints the Control UI's URL with it",
    package: {
      attr: "clawdbot-gateway",
      bin: "clawdbot",
      description: "Clawdbot AI gateway (Node 22), pruned, with its plugin cache built in",
      homepage: "https://github.com/clawdbot/clawdbot",
      // every prebuilt native needs only libc, libstdc++ and libgcc_s
      ignoreMissingDeps: [],
    },
    health: "websocket",
    runArgs: ["gateway"],
    // the package's build-time jiti cache (nix/gateway/build.json seedDir), copied into TMPDIR at start
    cacheSeed: "share/clawdbot/jiti-cache",
    launchdLabel: "org.clawdbot.gateway",
    documentation: "https://docs.clawd.bot/",
    // its environment variables are the ones the command always had
    validator: { module: "dist/config/validation.js", gatewayEnv: "CLAWDBOT_NIX_GATEWAY", nodeEnv: "CLAWDBOT_NIX_NODE", ids: "runtime", normalize: [] },
    alsoReads: [],
    // dist/config/plugin-auto-enable.js of clawdbot 2026.1.24-3
    autoEnable: {
      channels: true,
      providerPlugins: {
        "google-antigravity": "google-antigravity-auth",
        "google-gemini-cli": "google-gemini-cli-auth",
        "qwen-portal": "qwen-portal-auth",
        "copilot-proxy": "copilot-proxy",
      },
    },
    // SIGTERM to the group, and the gateway exits within a second
    stop: { timeoutSec: 30, killMode: null },
    // its own default (~/clawd); it logs only to /tmp
    image: { workspace: "clawd", logToStateDir: false },
    outputs: outputsOf("clawdbot"),
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
    backupCommand: true,
    package: {
      attr: "openclaw-gateway",
      bin: "openclaw",
      description: "OpenClaw AI gateway (Node 24), pruned, in Nix mode, with its compile cache built in",
      homepage: "https://github.com/openclaw/openclaw",
      // @trycua/cua-driver (computer use) links a desktop's X11 libraries; it is loaded only for computer use,
      // never at gateway start (an idle gateway maps only fs-safe-native.node); build.json's prune group
      // cua-driver-native removes it on Linux unless kept (keepPruned). koffi ships a musl build next to the
      // glibc one; only the host's is loaded.
      ignoreMissingDeps: ["libX11.so.6", "libXi.so.6", "libXext.so.6", "libxkbcommon.so.0", "libxcb.so.1", "libXau.so.6", "libXdmcp.so.6", "libbsd.so.0", "libc.musl-*.so.1"],
    },
    health: "readyz",
    runArgs: ["gateway", "run"],
    // the package's wrapper seeds Node's compile cache from the store itself (nix/openclaw/build.json)
    cacheSeed: null,
    // upstream's own label (dist/: ai.openclaw.gateway)
    launchdLabel: "ai.openclaw.gateway",
    documentation: "https://docs.openclaw.ai/",
    // io.factory: migrateLegacyContextBudgetConfig, then migratePersistedImplicitMainRoster, on every read
    validator: {
      module: "dist/config/config.js",
      gatewayEnv: "CLAWDBOT_NIX_OPENCLAW_GATEWAY",
      nodeEnv: "CLAWDBOT_NIX_OPENCLAW_NODE",
      ids: "facts",
      normalize: ["migrateLegacyContextBudgetConfig", "migratePersistedImplicitMainRoster"],
    },
    // dist/paths-*.mjs: $STATE_DIR/{openclaw,clawdbot}.json, the first that exists
    alsoReads: ["clawdbot"],
    // OpenClaw never rewrites a valid config at start (in Nix mode it writes nothing): nothing to declare.
    autoEnable: { channels: false, providerPlugins: {} },
    // Upstream's unit (dist/systemd-unit-*.mjs): on SIGTERM to the main process a stop drains running agent
    // turns for up to 315 s (+ 15 s reserve), then whatever is left in the group is killed.
    stop: { timeoutSec: 330, killMode: "mixed" },
    // its own default (~/.openclaw/workspace) would nest one volume in the other; it logs to a file of its own
    // as well (/tmp/openclaw/…), which the image puts on the state volume as the modules do
    image: { workspace: "workspace", logToStateDir: true },
    outputs: outputsOf("openclaw"),
  },
};

export const GATEWAY_NAMES = Object.keys(GATEWAYS) as GatewayName[];

export function gatewayNamed(name: string): GatewayDescription {
  const found = GATEWAYS[name as GatewayName];
  if (!found) throw new Error(`unknown gateway ${JSON.stringify(name)} (known: ${GATEWAY_NAMES.join(", ")})`);
  return found;
}

/**
 * modules/generated/<name>/gateway.json: the description as Nix (modules/lib/gateways.nix, nix/package.nix,
 * nix/image) and clawdbot-nix (cli/targets.ts) read it. What only the generator uses (the schema source, the
 * snapshot, the TypeScript prefix, the service options' text) stays out; `customBind` and `authModes` are
 * derived from the gateway's schema. The version is the facts' (facts.json `version`).
 */
export interface GatewayJson {
  $comment: string;
  name: GatewayName;
  displayName: string;
  packageName: string;
  configName: string;
  module: string;
  envPrefix: string;
  defaultWorkspace: string;
  defaultLog: string;
  /** The gateway's schema accepts gateway.customBindHost (and so bind = "custom"). */
  customBind: boolean;
  /** The values the gateway's schema accepts at gateway.auth.mode (Clawdbot has no "none": it is the key left out). */
  authModes: string[];
  openat2: boolean;
  backupCommand: boolean;
  nodeMajor: number;
  lockDir: string;
  pluginsAttr: string | null;
  package: GatewayDescription["package"];
  health: GatewayDescription["health"];
  runArgs: string[];
  cacheSeed: string | null;
  launchdLabel: string;
  documentation: string;
  validator: GatewayDescription["validator"];
  alsoReads: GatewayName[];
  autoEnable: GatewayDescription["autoEnable"];
  stop: GatewayDescription["stop"];
  image: GatewayDescription["image"];
  /** The generated files, from the repository root. */
  files: GatewayOutputs;
}

export function gatewayJson(gateway: GatewayDescription, derived: { customBind: boolean; authModes: string[] }, comment: string): GatewayJson {
  const { name, displayName, packageName, configName, module, envPrefix, defaultWorkspace, defaultLog, openat2, backupCommand, nodeMajor, lockDir } = gateway;
  const { pluginsAttr, package: pkg, health, runArgs, cacheSeed, launchdLabel, documentation, validator, alsoReads, autoEnable, stop, image } = gateway;
  return {
    $comment: comment,
    name,
    displayName,
    packageName,
    configName,
    module,
    envPrefix,
    defaultWorkspace,
    defaultLog,
    customBind: derived.customBind,
    authModes: derived.authModes,
    openat2,
    backupCommand,
    nodeMajor,
    lockDir,
    pluginsAttr,
    package: pkg,
    health,
    runArgs,
    cacheSeed,
    launchdLabel,
    documentation,
    validator,
    alsoReads,
    autoEnable,
    stop,
    image,
    files: gateway.outputs,
  };
}
