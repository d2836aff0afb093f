// Real Clawdbot configs: every JSON5 config example in the documentation Clawdbot 2026.1.24-3 ships (its
// package's docs/, e.g. gateway/configuration.md, gateway/configuration-examples.md, channels/*.md), read from
// the pinned package the tests prepare, not copied. Blocks that are not objects or do not parse (fragments with
// "…") are skipped; which of the rest are Clawdbot configs is Clawdbot's own verdict (cli/migrate.ts reports it),
// since the same pages also show RPC payloads, plugin manifests and tool calls as JSON.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { isPlainObject, parseJson5, type JsonObject } from "../../cli/read-config.js";

export interface DocsExample {
  /** "gateway/configuration.md#38": the page and the block's number on it (from 1). */
  name: string;
  value: JsonObject;
}

export function clawdbotDocsExamples(packageRoot: string): DocsExample[] {
  const docs = join(packageRoot, "docs");
  const pages: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".md")) pages.push(path);
    }
  };
  walk(docs);
  const out: DocsExample[] = [];
  for (const page of pages) {
    let n = 0;
    for (const match of readFileSync(page, "utf8").matchAll(/```(?:json5?|jsonc)\n([\s\S]*?)```/g)) {
      n++;
      try {
        const value = parseJson5(match[1]!, page);
        if (isPlainObject(value) && Object.keys(value).length > 0) out.push({ name: `${relative(docs, page)}#${n}`, value });
      } catch {
        // a fragment, not a whole config
      }
    }
  }
  return out;
}
