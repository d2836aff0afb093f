// Refresh cli/upstream/legacy-rules.json from an installed gateway tree: upstream's own list of retired config
// keys (dist/config/legacy.rules.js) with its migration hints, as data. `check` and `import` read the snapshot
// offline; tests/cli/upstream-parity.test.ts compares it with the live module when a gateway tree is prepared.
//
//   npx tsx cli/sync-legacy.ts <gateway package root, e.g. …/node_modules/clawdbot>
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { LegacyRule, LegacySnapshot } from "./validate.js";

export const LEGACY_SNAPSHOT = new URL("./upstream/legacy-rules.json", import.meta.url);

interface UpstreamRule {
  path: string[];
  message: string;
  match?: (value: unknown, root: unknown) => boolean;
}

/** Upstream's rules as data. A `match` predicate is kept only in the one form upstream uses: "is a string". */
export async function loadUpstreamLegacyRules(gatewayRoot: string): Promise<LegacyRule[]> {
  const module = (await import(pathToFileURL(join(gatewayRoot, "dist/config/legacy.rules.js")).href)) as {
    LEGACY_CONFIG_RULES: UpstreamRule[];
  };
  return module.LEGACY_CONFIG_RULES.map((rule) => {
    const out: LegacyRule = { path: [...rule.path], message: rule.message };
    if (rule.match) {
      const text = rule.match.toString();
      if (!/typeof value === "string"/.test(text) || !rule.match("x", {}) || rule.match(1, {})) {
        throw new Error(`legacy rule ${rule.path.join(".")} has a match predicate this snapshot cannot express: ${text}`);
      }
      out.match = "string";
    }
    return out;
  });
}

/** Write the snapshot from an installed gateway package (called by `npm run sync-upstream` too). */
export async function writeLegacySnapshot(root: string): Promise<number> {
  const rules = await loadUpstreamLegacyRules(root);
  const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version as string;
  const snapshot: LegacySnapshot = { package: "clawdbot", version, source: "dist/config/legacy.rules.js", rules };
  writeFileSync(LEGACY_SNAPSHOT, JSON.stringify(snapshot, null, 2) + "\n");
  return rules.length;
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const root = process.argv[2];
  if (!root) {
    console.error("usage: tsx cli/sync-legacy.ts <gateway package root>");
    process.exit(2);
  }
  console.log(`${await writeLegacySnapshot(root)} legacy rules written to cli/upstream/legacy-rules.json`);
}
