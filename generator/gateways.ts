// The gateways the generator serves, each described once. Nothing else in the generator is specific to one
// gateway: the same normalisation, IR, secret rule and emitters make every gateway's files.
//
// What differs: the npm package and where its lock lives (nix/<dir>/), the Node it runs on, how its config
// schema and hints are read out of the installed package (the schema source), the names the output uses
// (config file, module, TypeScript prefix, environment prefix), and where its files go.
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
  /** The generated files. */
  outputs: { schema: string; settings: string; facts: string; docs: string; types: string };
  /** The service options (generator/schema/service.ts) are documented and emitted with this gateway. */
  withServiceOptions: boolean;
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
    outputs: {
      schema: "schemas/clawdbot.schema.json",
      settings: "modules/generated/settings.nix",
      facts: "modules/generated/facts.json",
      docs: "docs/options.md",
      types: "schemas/clawdbot-config.d.ts",
    },
    withServiceOptions: true,
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
    outputs: {
      schema: "schemas/openclaw.schema.json",
      settings: "modules/generated/openclaw/settings.nix",
      facts: "modules/generated/openclaw/facts.json",
      docs: "docs/options-openclaw.md",
      types: "schemas/openclaw-config.d.ts",
    },
    withServiceOptions: false,
  },
};

export const GATEWAY_NAMES = Object.keys(GATEWAYS) as GatewayName[];

export function gatewayNamed(name: string): GatewayDescription {
  const found = GATEWAYS[name as GatewayName];
  if (!found) throw new Error(`unknown gateway ${JSON.stringify(name)} (known: ${GATEWAY_NAMES.join(", ")})`);
  return found;
}
