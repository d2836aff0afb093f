// T0: the typed config of every packaged channel plugin comes from its own schema. The options of
// `settings.channels.<id>` are generated from the gateway's `config schema --json` snapshot
// (generator/schema/openclaw/openclaw.schema.json); each packaged plugin ships its own schema of its channel
// (openclaw.plugin.json `channelConfigs.<id>.schema`), possibly at another version than the gateway's
// (nix/openclaw/plugins/catalog.json). This proves the two the same schema for every packaged plugin, up to
// JSON Schema spellings of one type (`type: [a, b]` and `anyOf: [{type: a}, {type: b}]`) and the prose
// (title, description), and `heartbeatVisibility`, which upstream sets to its core schema for an installed
// plugin's channel (the snapshot is taken with the plugins installed). A plugin whose schema differs fails
// here: the snapshot would type its channel wrong.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { prepareOpenclawPlugins, type PreparedPlugins } from "../support/gateway.js";
import { REPO } from "../support/nix.js";

let plugins: PreparedPlugins;
beforeAll(async () => {
  plugins = await prepareOpenclawPlugins();
}, 20 * 60_000);

const isEmptyObject = (v: unknown): boolean => !!v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0;

/** One spelling per schema: no prose, a type list as anyOf of single types, object keys sorted. */
function canonical(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(canonical);
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (k === "title" || k === "description" || k === "$schema") continue;
    // upstream gives an installed plugin's channel and accounts the core heartbeatVisibility (checked below),
    // not the plugin's own: normalizeCoreOwnedChannelSchema (dist/io.snapshot-preparation-*.mjs)
    if (k === "heartbeatVisibility") continue;
    out[k] = canonical(v);
  }
  if (isEmptyObject(out.properties) && Array.isArray(out.anyOf)) delete out.properties; // twitch: anyOf at the root
  if (Array.isArray(out.type)) {
    const types = out.type as string[];
    delete out.type;
    out.anyOf = types.map((t) => ({ type: t }));
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

describe("packaged channel plugins: their channel's typed options are their own schema", () => {
  it("each plugin's channelConfigs schema equals the gateway snapshot's channels.<id> (the source of settings.channels.<id>)", () => {
    const snapshot = JSON.parse(readFileSync(join(REPO, "generator/schema/openclaw/openclaw.schema.json"), "utf8")).properties.channels.properties;
    const compared: string[] = [];
    for (const id of plugins.ids) {
      const manifest = JSON.parse(readFileSync(join(plugins.path(id), "openclaw.plugin.json"), "utf8"));
      const version = JSON.parse(readFileSync(join(plugins.path(id), "package.json"), "utf8")).version;
      for (const [channel, config] of Object.entries((manifest.channelConfigs ?? {}) as Record<string, { schema?: unknown }>)) {
        expect(config.schema, `${id}: channelConfigs.${channel}.schema`).toBeDefined();
        expect(snapshot[channel], `channels.${channel} is not in the gateway's schema`).toBeDefined();
        expect(canonical(config.schema), `${id}@${version}: channels.${channel}`).toEqual(canonical(snapshot[channel]));
        expect(canonical(snapshot[channel].properties?.heartbeatVisibility), `channels.${channel}.heartbeatVisibility`).toEqual(canonical(snapshot.defaults.properties.heartbeatVisibility));
        compared.push(`${channel}@${version}`);
      }
    }
    console.log(`channel schemas equal to the snapshot: ${compared.length} (${compared.join(", ")})`);
    expect(compared.length).toBe(plugins.ids.length);
  });
});
