// Issue 21.2: the OpenClaw snapshot (generator/schema/openclaw/, `npm run sync-upstream -- openclaw`) is
// upstream's runtime config schema taken with the packaged channel plugins installed as the modules deploy
// them (<state>/npm linked to their npm root: generator/upstream.ts runtimeSnapshot), so it types
// `plugins.entries.<id>` of every packaged plugin (nix/openclaw/plugins/catalog.json) the way upstream types a
// bundled plugin's entry, its `config` from the plugin's own manifest `configSchema`. Before, the snapshot was
// taken without them: only the bundled plugins' entries were typed.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GATEWAYS } from "../../generator/gateways.js";
import type { JsonSchema } from "../../generator/json-schema.js";
import { entriesOf, readSnapshot } from "../../generator/upstream.js";
import { prepareOpenclawPlugins } from "../support/gateway.js";
import { REPO } from "../support/nix.js";

const catalog = JSON.parse(readFileSync(join(REPO, "nix/openclaw/plugins/catalog.json"), "utf8")) as { plugins: { id: string; version: string | null }[] };
const packaged = catalog.plugins.filter((p) => p.version !== null).map((p) => p.id);
const snapshot = readSnapshot(GATEWAYS.openclaw);
const entries = entriesOf(snapshot.schema);

/** A schema without its prose: what types a value. */
const shape = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(shape);
  if (!node || typeof node !== "object") return node;
  return Object.fromEntries(Object.entries(node).filter(([k]) => k !== "title" && k !== "description").map(([k, v]) => [k, shape(v)]));
};

describe("plugins.entries of the packaged channel plugins in the OpenClaw snapshot", () => {
  it("every packaged plugin id of nix/openclaw/plugins/catalog.json has a typed entry, shaped as a bundled plugin's (telegram's)", () => {
    expect(packaged.length).toBeGreaterThan(0);
    const bundled = snapshot.plugins.plugins.map((p) => p.id);
    expect(bundled).toContain("telegram");
    const reference = entries.telegram!;
    const untyped = packaged.filter((id) => entries[id] === undefined);
    expect(untyped, "packaged plugins without plugins.entries.<id> in the snapshot").toEqual([]);
    for (const id of packaged) {
      const entry = entries[id]!;
      const { config, ...rest } = entry.properties ?? {};
      const { config: referenceConfig, ...referenceRest } = reference.properties ?? {};
      // enabled, hooks, subagent, llm: upstream's per-entry policy, the same for every plugin
      expect(shape({ ...entry, properties: rest }), id).toEqual(shape({ ...reference, properties: referenceRest }));
      // config: a closed object (the plugin's schema), never the untyped payload of an unknown id
      expect(config?.type, `${id}.config`).toBe("object");
      expect(config?.additionalProperties, `${id}.config`).toBe(false);
      expect(referenceConfig?.type).toBe("object");
    }
    console.log(`packaged plugins typed in plugins.entries: ${packaged.length - untyped.length}/${packaged.length} (bundled: ${bundled.length})`);
    // the meta records how the snapshot was taken
    expect(snapshot.meta.converter).toContain(`installed as managed npm plugins at <state>/npm (${packaged.length})`);
  });

  it("each entry's config is the installed plugin's own configSchema (every key of the manifest's, as upstream merges it)", async () => {
    const plugins = await prepareOpenclawPlugins();
    expect([...plugins.ids].sort()).toEqual([...packaged].sort());
    const differ: string[] = [];
    for (const id of packaged) {
      const manifest = JSON.parse(readFileSync(join(plugins.path(id), "openclaw.plugin.json"), "utf8")) as { configSchema: JsonSchema };
      const config = (entries[id]?.properties?.config ?? {}) as Record<string, unknown>;
      for (const [key, value] of Object.entries(manifest.configSchema)) {
        if (JSON.stringify(config[key]) !== JSON.stringify(value)) differ.push(`${id}: configSchema.${key} ${JSON.stringify(value)} vs ${JSON.stringify(config[key])}`);
      }
    }
    expect(differ).toEqual([]);
    // whatsapp's is the one with keys (the others declare none)
    expect(Object.keys(entries.whatsapp?.properties?.config?.properties ?? {})).toEqual(["pluginHooks"]);
  }, 20 * 60_000);
});
