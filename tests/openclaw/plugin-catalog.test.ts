// T0: generator/plugin-catalog.ts, the choice sync-upstream makes for each official channel plugin of the
// gateway's own catalog: the newest published version whose `openclaw` peer range accepts the pinned gateway.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { choosePluginVersions, satisfies } from "../../generator/plugin-catalog.js";
import { REPO } from "../support/nix.js";

describe("plugin catalog: versions chosen by peer range", () => {
  it("reads npm's peer ranges (and refuses one it cannot read)", () => {
    expect(satisfies("2026.9.6", ">=2026.9.4")).toBe(true);
    expect(satisfies("2026.9.6", ">=2026.9.7")).toBe(false);
    expect(satisfies("2026.9.6", "^2026.9.0")).toBe(true);
    expect(satisfies("2026.9.6", "~2026.8.0")).toBe(false);
    expect(satisfies("2026.9.6", ">=2026.1.0 <2026.9.0 || 2026.9.6")).toBe(true);
    expect(satisfies("2026.9.6-beta.1", ">=2026.9.0")).toBe(false);
    expect(() => satisfies("2026.9.6", "latest")).toThrow(/unsupported version range/);
  });

  it("takes the newest version whose peer range accepts the gateway, not only the gateway's own version; records why a plugin is left out", () => {
    const registry: Record<string, { versions: string[]; peers: Record<string, string | undefined> }> = {
      "@openclaw/a": { versions: ["2026.9.4", "2026.9.6", "2026.9.7"], peers: { "2026.9.7": ">=2026.9.7", "2026.9.6": ">=2026.9.6", "2026.9.4": ">=2026.9.4" } },
      "@openclaw/b": { versions: ["2026.7.1", "2026.9.4"], peers: { "2026.9.4": ">=2026.9.4", "2026.7.1": ">=2026.7.1" } },
      "@openclaw/c": { versions: ["2026.9.8"], peers: { "2026.9.8": ">=2026.9.8" } },
    };
    const view = (spec: string, field: string): unknown => {
      const [, name, version] = /^(@[^@]+)(?:@(.+))?$/.exec(spec)!;
      const p = registry[name!];
      if (!p) return undefined;
      return field === "versions" ? p.versions : { openclaw: p.peers[version!] };
    };
    const catalog = ["a", "b", "c", "d", "e"].map((id) => ({ id, package: `@openclaw/${id}`, channels: [id] }));
    const chosen = choosePluginVersions(catalog, "2026.9.6", view, { e: "withheld: a reason" });
    expect(chosen.map((p) => [p.id, p.version])).toEqual([
      ["a", "2026.9.6"],
      ["b", "2026.9.4"],
      ["c", null],
      ["d", null],
      ["e", null],
    ]);
    expect(chosen[2]!.reason).toMatch(/no published version .* accepting 2026\.9\.6/);
    expect(chosen[3]!.reason).toMatch(/serves no @openclaw\/d/);
    expect(chosen[4]!.reason).toBe("withheld: a reason");
  });

  it("the committed catalog: every official plugin of OpenClaw's dist/channel-catalog.json, each packaged or with its reason, and package.json pins exactly the packaged ones", () => {
    const catalog = JSON.parse(readFileSync(join(REPO, "nix/openclaw/plugins/catalog.json"), "utf8"));
    const snapshot = JSON.parse(readFileSync(join(REPO, "generator/schema/openclaw/plugins.json"), "utf8"));
    expect(catalog.plugins.map((p: { id: string }) => p.id)).toEqual(snapshot.external.map((p: { id: string }) => p.id));
    expect(catalog.catalog).toBe(catalog.plugins.length);
    const manifest = JSON.parse(readFileSync(join(REPO, "nix/openclaw/plugins/package.json"), "utf8"));
    const packaged = catalog.plugins.filter((p: { version: string | null }) => p.version !== null);
    expect(manifest.dependencies).toEqual(Object.fromEntries(packaged.map((p: { package: string; version: string }) => [p.package, p.version])));
    for (const p of packaged) expect(satisfies(catalog.gateway, p.peerRange), p.id).toBe(true);
    for (const p of catalog.plugins) if (p.version === null) expect(p.reason, p.id).toBeTruthy();
  });
});
