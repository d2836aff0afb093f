// Build-time check of a rendered clawdbot.json with upstream's own validator (the gateway's
// dist/config/validation.js: its zod schema, legacy keys, plugin ids), as the gateway would check it at start.
//
//   node validate-config.mjs <gateway dist dir> <clawdbot.json>
//
// Exit 0 when valid (warnings are printed), 1 with one "path: message" line per problem otherwise, 64 on a
// usage error. `${NAME}` references (secrets) are strings to the schema, as they are before substitution at
// run time. Run by modules/common.nix in the derivation of the config file; tested in tests/modules/.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [dist, file] = process.argv.slice(2);
if (!dist || !file) {
  console.error("usage: node validate-config.mjs <gateway dist dir> <clawdbot.json>");
  process.exit(64);
}

const { validateConfigObjectWithPlugins } = await import(pathToFileURL(join(dist, "config", "validation.js")).href);
const raw = JSON.parse(readFileSync(file, "utf8"));
const result = validateConfigObjectWithPlugins(raw);
for (const w of result.warnings ?? []) console.error(`warning: ${w.path || "<root>"}: ${w.message}`);
if (!result.ok) {
  console.error(`clawdbot.json is not valid for this gateway (${file}):`);
  for (const issue of result.issues) console.error(`  ${issue.path || "<root>"}: ${issue.message}`);
  process.exit(1);
}
console.log(`clawdbot.json: valid (${file})`);
