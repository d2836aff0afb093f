// The generator's command line:
//   generate [--check]                      every gateway's files, offline, from the committed snapshots
//                                           (--check: exit 1 naming every stale file)
//   sync-upstream <gateway> [<version>]     one command per release bump: re-pin <gateway> (clawdbot,
//                                           openclaw; always named) to <version> (its lock, and its
//                                           plugins' at the same version), refresh its snapshot from npm,
//                                           regenerate everything, and print what changed in its options
//                                           (added, removed, retyped). Without <version>: the current pin.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { diffOptions, formatDiff } from "./diff.js";
import { GATEWAY_NAMES, gatewayNamed } from "./gateways.js";
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

const USAGE = `usage: tsx generator/cli.ts generate [--check] | sync-upstream <${GATEWAY_NAMES.join("|")}> [<version>]`;

async function main(argv: string[]): Promise<number> {
  const [command, ...flags] = argv;
  if (command === "sync-upstream") {
    const [name, version, ...rest] = flags;
    if (name === undefined) {
      console.error(`sync-upstream: name the gateway to re-pin (${GATEWAY_NAMES.join(", ")}), e.g. npm run sync-upstream -- openclaw\n${USAGE}`);
      return 2;
    }
    if (rest.length > 0 || name.startsWith("-")) {
      console.error(USAGE);
      return 2;
    }
    const gateway = gatewayNamed(name);
    // No "before" the first time a gateway is synced (its snapshot does not exist yet).
    const before = (() => {
      try {
        return generate().gateways[gateway.name].settings;
      } catch {
        return undefined;
      }
    })();
    await syncUpstream(gateway, version);
    const status = await main(["generate"]);
    const after = generate().gateways[gateway.name].settings;
    console.log(`\n${gateway.packageName}: what changed in ${gateway.module}.settings`);
    console.log(before ? formatDiff(diffOptions(before, after)) : "no previous snapshot: every option is new");
    return status;
  }
  if (command !== "generate") {
    console.error(USAGE);
    return 2;
  }
  const started = performance.now();
  const { files, gateways } = generate();
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
  for (const name of GATEWAY_NAMES) console.log(formatSummary(gateways[name].summary, name));
  console.log(`generate took ${((performance.now() - started) / 1000).toFixed(2)} s`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.slice(2));
}
