// The generator's command line: `generate` (offline, from the committed snapshot), `generate --check`
// (exit 1 naming every stale file), `sync-upstream` (refresh the snapshot from the pinned npm package).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatSummary, generate } from "./pipeline.js";
import { syncUpstream } from "./upstream.js";

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Files whose committed content differs from what the generator writes now. */
export function staleFiles(files: Map<string, string>, root = REPO_ROOT): string[] {
  return [...files.entries()]
    .filter(([path, content]) => {
      const target = join(root, path);
      return !existsSync(target) || readFileSync(target, "utf8") !== content;
    })
    .map(([path]) => path);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...flags] = argv;
  if (command === "sync-upstream") {
    await syncUpstream();
    return main(["generate"]);
  }
  if (command !== "generate") {
    console.error("usage: tsx generator/cli.ts generate [--check] | sync-upstream");
    return 2;
  }
  const started = performance.now();
  const { files, summary } = generate();
  if (flags.includes("--check")) {
    const stale = staleFiles(files);
    for (const path of stale) console.error(`stale: ${path} (run: npm run generate)`);
    if (stale.length > 0) return 1;
    console.log(`generated files are up to date (${files.size} files)`);
  } else {
    for (const [path, content] of files) {
      const target = join(REPO_ROOT, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
    console.log(`wrote ${files.size} files`);
  }
  console.log(formatSummary(summary));
  console.log(`generate took ${((performance.now() - started) / 1000).toFixed(2)} s`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.slice(2));
}
