// Refresh nix/tools/lock.json from the tools' GitHub releases (needs network):
//
//   npx tsx nix/tools/update.ts [TOOL...]        all tools when none is named
//
// For each tool: the latest release (GET /repos/OWNER/REPO/releases/latest), and for each system the asset
// named by the tool's `assets` pattern ("{version}" substituted). The SRI hash comes from the asset's
// `digest` ("sha256:<hex>", published by GitHub for release assets) or, when there is none, from hashing the
// downloaded asset. A system whose asset is missing gets an explicit `{ none = reason }` entry: nix/tools/
// select.nix turns a request for it into an evaluation error. GITHUB_TOKEN, when set, is sent (rate limits).
// `fetch` is injectable: the tests run the updater on a recorded release listing.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

// The flake's systems (nix/systems.nix; tests/flake/systems.test.ts keeps the lock's `systems` equal to it).
export type System = "x86_64-linux" | "aarch64-linux" | "aarch64-darwin";

export type SourceEntry = { url: string; hash: string } | { none: string };

export interface ToolEntry {
  repo: string;
  version: string | null;
  mainProgram: string;
  /** SPDX id, kept across updates (nix/tools/default.nix: meta.license); null while nobody has recorded it. */
  license: string | null;
  assets: Partial<Record<System, string>>;
  sources: Record<System, SourceEntry>;
}

export interface ToolLock {
  "//"?: string;
  systems: System[];
  tools: Record<string, ToolEntry>;
}

export interface FetchResponse {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
}
export type FetchLike = (url: string, init?: { headers?: Record<string, string> }) => Promise<FetchResponse>;

interface ReleaseAsset {
  name: string;
  browser_download_url: string;
  digest?: string | null;
}
interface Release {
  tag_name: string;
  draft?: boolean;
  prerelease?: boolean;
  assets: ReleaseAsset[];
}

export const LOCK_PATH = fileURLToPath(new URL("./lock.json", import.meta.url));

/** "sha256:<hex>" (GitHub's asset digest) → "sha256-<base64>" (SRI, what fetchurl's `hash` takes). */
export function digestToSri(digest: string): string {
  const m = /^sha256:([0-9a-f]{64})$/i.exec(digest.trim());
  if (!m) throw new Error(`unsupported digest ${digest}`);
  return `sha256-${Buffer.from(m[1]!, "hex").toString("base64")}`;
}

export const sriOf = (bytes: Uint8Array): string => `sha256-${createHash("sha256").update(bytes).digest("base64")}`;

function headers(): Record<string, string> {
  const h: Record<string, string> = { Accept: "application/vnd.github+json", "User-Agent": "clawdbot-nix-tool-updater" };
  if (process.env.GITHUB_TOKEN) h.Authorization = `Bearer ${process.env.GITHUB_TOKEN}`;
  return h;
}

/** The tool's entry refreshed from its latest GitHub release. */
export async function updateTool(lock: ToolLock, name: string, fetchImpl: FetchLike): Promise<ToolEntry> {
  const tool = lock.tools[name];
  if (!tool) throw new Error(`unknown tool ${name}; known: ${Object.keys(lock.tools).join(", ")}`);
  const url = `https://api.github.com/repos/${tool.repo}/releases/latest`;
  const res = await fetchImpl(url, { headers: headers() });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  const release = (await res.json()) as Release;
  if (typeof release.tag_name !== "string" || !Array.isArray(release.assets)) {
    throw new Error(`${url}: not a release listing`);
  }
  const version = release.tag_name.replace(/^v/, "");
  const sources = {} as Record<System, SourceEntry>;
  for (const system of lock.systems) {
    const pattern = tool.assets[system];
    if (!pattern) {
      sources[system] = { none: "no pinned release for this system" };
      continue;
    }
    const assetName = pattern.replaceAll("{version}", version);
    const asset = release.assets.find((a) => a.name === assetName);
    if (!asset) {
      sources[system] = { none: `release ${release.tag_name} has no asset ${assetName}` };
      continue;
    }
    let hash: string;
    if (asset.digest) {
      hash = digestToSri(asset.digest);
    } else {
      const dl = await fetchImpl(asset.browser_download_url, { headers: { "User-Agent": "clawdbot-nix-tool-updater" } });
      if (!dl.ok) throw new Error(`${asset.browser_download_url}: HTTP ${dl.status}`);
      hash = sriOf(new Uint8Array(await dl.arrayBuffer()));
    }
    sources[system] = { url: asset.browser_download_url, hash };
  }
  return { ...tool, version, sources };
}

export async function updateLock(lock: ToolLock, names: string[], fetchImpl: FetchLike): Promise<{ lock: ToolLock; changed: string[] }> {
  const next: ToolLock = { ...lock, tools: { ...lock.tools } };
  const changed: string[] = [];
  for (const name of names.length > 0 ? names : Object.keys(lock.tools)) {
    const updated = await updateTool(lock, name, fetchImpl);
    if (JSON.stringify(updated) !== JSON.stringify(lock.tools[name])) changed.push(name);
    next.tools[name] = updated;
  }
  return { lock: next, changed };
}

export const formatLock = (lock: ToolLock): string => JSON.stringify(lock, null, 2) + "\n";

export async function main(argv = process.argv.slice(2), fetchImpl: FetchLike = fetch as unknown as FetchLike, path = LOCK_PATH): Promise<string[]> {
  const lock = JSON.parse(readFileSync(path, "utf8")) as ToolLock;
  const { lock: next, changed } = await updateLock(lock, argv, fetchImpl);
  writeFileSync(path, formatLock(next));
  console.log(changed.length > 0 ? `updated: ${changed.join(", ")}` : "lock is up to date");
  return changed;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
