// OpenClaw's official channel plugins, from its own catalog (`dist/channel-catalog.json` of the pinned gateway
// package: the entries with `source: "official"`), pinned for nix/openclaw/plugins.nix by
// `npm run sync-upstream -- openclaw [<version>]`: each at the newest version the npm registry serves whose
// `openclaw` peer range accepts the pinned gateway (not only the gateway's own version: several plugins stop
// at an earlier release). Writes nix/openclaw/plugins/{package.json, package-lock.json, channels.json,
// catalog.json}; catalog.json records every catalog entry, packaged or not, and why not.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const REPO = new URL("../", import.meta.url);
const repoPath = (path: string): string => new URL(path, REPO).pathname;

type Version = [number, number, number, string];

function parseVersion(v: string): Version | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([\w.-]+))?(?:\+[\w.-]+)?$/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] ?? ""] : undefined;
}

/** semver order (a prerelease sorts before its release; prereleases compared as strings). */
export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (!x || !y) throw new Error(`not a version: ${!x ? a : b}`);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  if (x[3] === y[3]) return 0;
  if (x[3] === "") return 1;
  if (y[3] === "") return -1;
  return x[3] < y[3] ? -1 : 1;
}

/**
 * Does `version` satisfy the npm range? The comparator forms upstream's peer ranges use (`>=`, `>`, `<=`, `<`,
 * `=`, a bare version, `^`, `~`, `*`, `x`), joined by spaces (and) and `||` (or). Anything else is an error
 * (a range this cannot read must not silently pick a version). A prerelease never satisfies (npm's default).
 */
export function satisfies(version: string, range: string): boolean {
  if (parseVersion(version)?.[3]) return false;
  return range.split("||").some((alternative) => {
    const comparators = alternative.trim().split(/\s+/).filter(Boolean);
    if (comparators.length === 0) return true;
    return comparators.every((c) => {
      if (c === "*" || c === "x" || c === "X") return true;
      const m = /^(>=|<=|>|<|=|\^|~)?(\d+\.\d+\.\d+(?:-[\w.-]+)?)$/.exec(c);
      if (!m) throw new Error(`unsupported version range ${JSON.stringify(range)} (comparator ${JSON.stringify(c)})`);
      const op = m[1] ?? "=";
      const bound = m[2]!;
      const cmp = compareVersions(version, bound);
      const [maj, min] = parseVersion(bound)!;
      switch (op) {
        case ">=":
          return cmp >= 0;
        case ">":
          return cmp > 0;
        case "<=":
          return cmp <= 0;
        case "<":
          return cmp < 0;
        case "=":
          return cmp === 0;
        case "~":
          return cmp >= 0 && compareVersions(version, `${maj}.${min + 1}.0-0`) < 0;
        default: // ^
          return cmp >= 0 && compareVersions(version, maj > 0 ? `${maj + 1}.0.0-0` : `0.${min + 1}.0-0`) < 0;
      }
    });
  });
}

/** One entry of the generated nix/openclaw/plugins/catalog.json. */
export interface CatalogPlugin {
  id: string;
  package: string;
  channels: string[];
  /** The pinned version, or null when the plugin is not packaged (then `reason` says why). */
  version: string | null;
  /** Its `openclaw` peer range at that version. */
  peerRange?: string;
  reason?: string;
}

interface CatalogEntry {
  name: string;
  source?: string;
  kind?: string;
  openclaw?: { plugin?: { id?: string }; channel?: { id?: string }; channelConfigs?: Record<string, unknown>; install?: { npmSpec?: string } };
}

/** The official entries of the gateway package's own catalog (dist/channel-catalog.json). */
export function officialCatalog(packageDir: string): { id: string; package: string; channels: string[] }[] {
  const entries = (JSON.parse(readFileSync(join(packageDir, "dist/channel-catalog.json"), "utf8")) as { entries: CatalogEntry[] }).entries;
  return entries
    .filter((e) => e.source === "official")
    .map((e) => ({
      id: e.openclaw?.plugin?.id ?? e.name.replace(/^@openclaw\//, ""),
      package: e.openclaw?.install?.npmSpec?.replace(/(.)@.*$/, "$1") ?? e.name,
      channels: [...new Set([e.openclaw?.channel?.id, ...Object.keys(e.openclaw?.channelConfigs ?? {})].filter((c): c is string => !!c))].sort(),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Each catalog plugin at the newest published version whose peer range accepts `gatewayVersion`. `view(spec,
 * field)` is `npm view <spec> <field> --json` parsed (undefined when the registry does not serve it).
 * `withheld` (id → why) leaves out plugins the registration test showed cannot be packaged.
 */
export function choosePluginVersions(
  catalog: { id: string; package: string; channels: string[] }[],
  gatewayVersion: string,
  view: (spec: string, field: string) => unknown,
  withheld: Record<string, string> = {},
): CatalogPlugin[] {
  return catalog.map((entry): CatalogPlugin => {
    if (withheld[entry.id]) return { ...entry, version: null, reason: withheld[entry.id] };
    const published = view(entry.package, "versions");
    const versions = (Array.isArray(published) ? published : typeof published === "string" ? [published] : []) as string[];
    if (versions.length === 0) return { ...entry, version: null, reason: `the npm registry serves no ${entry.package}` };
    const newestFirst = versions.filter((v) => parseVersion(v) && !parseVersion(v)![3]).sort(compareVersions).reverse();
    for (const version of newestFirst) {
      const peers = (view(`${entry.package}@${version}`, "peerDependencies") ?? {}) as Record<string, string>;
      const peerRange = peers.openclaw;
      // No openclaw peer at all: not a plugin built against a host version; skip it rather than guess.
      if (peerRange === undefined) continue;
      if (satisfies(gatewayVersion, peerRange)) return { ...entry, version, peerRange };
    }
    return { ...entry, version: null, reason: `no published version of ${entry.package} (${newestFirst.slice(0, 3).join(", ")}…) has an openclaw peer range accepting ${gatewayVersion}` };
  });
}

/** nix/openclaw/plugins/withheld.json: hand-written, id → why it is not packaged (read by sync-upstream). */
export function readWithheld(dir: string): Record<string, string> {
  try {
    const raw = JSON.parse(readFileSync(repoPath(`${dir}/withheld.json`), "utf8")) as Record<string, string>;
    return Object.fromEntries(Object.entries(raw).filter(([k]) => !k.startsWith("$")));
  } catch {
    return {};
  }
}

/** Write catalog.json (every catalog entry and its decision); returns the pins for package.json. */
export function writePluginCatalog(dir: string, gatewayVersion: string, plugins: CatalogPlugin[]): Record<string, string> {
  const packaged = plugins.filter((p) => p.version !== null);
  const out = {
    $comment: `Written by \`npm run sync-upstream -- openclaw <version>\` (generator/plugin-catalog.ts) from openclaw@${gatewayVersion}'s dist/channel-catalog.json (its source "official" entries): each plugin at the newest version on npm whose openclaw peer range accepts the gateway, or version null and the reason it is not packaged (nix/openclaw/plugins/withheld.json). Read by nix/openclaw/plugins.nix and tests/openclaw/plugins.test.ts.`,
    gateway: gatewayVersion,
    catalog: plugins.length,
    packaged: packaged.length,
    plugins,
  };
  writeFileSync(repoPath(`${dir}/catalog.json`), JSON.stringify(out, null, 2) + "\n");
  return Object.fromEntries(packaged.map((p) => [p.package, p.version!]));
}
