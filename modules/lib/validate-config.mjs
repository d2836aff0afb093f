// Build-time check of a rendered clawdbot.json, as the gateway would check it at start:
// 1. against the generated JSON schema (schemas/clawdbot.schema.json, shipped as
//    share/clawdbot/clawdbot.schema.json), with the ajv that the gateway's own dependency tree carries;
// 2. with upstream's own validator (the gateway's dist/config/validation.js: its zod schema, legacy keys,
//    plugin ids).
//
//   node validate-config.mjs <gateway dist dir> <clawdbot.json> [<clawdbot.schema.json>]
//
// Exit 0 when valid (warnings are printed), 1 with one "path: message" line per problem otherwise, 64 on a
// usage error. `${NAME}` references (secrets) are strings to both checks, as they are before substitution at
// run time. Run by modules/common.nix in the derivation of the config file; tested in tests/modules/.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [dist, file, schemaFile] = process.argv.slice(2);
if (!dist || !file) {
  console.error("usage: node validate-config.mjs <gateway dist dir> <clawdbot.json> [<clawdbot.schema.json>]");
  process.exit(64);
}

const raw = JSON.parse(readFileSync(file, "utf8"));
const problems = [];

if (schemaFile) {
  let Ajv2020;
  try {
    ({ Ajv2020 } = createRequire(join(dist, "config", "validation.js"))("ajv/dist/2020.js"));
  } catch {
    console.error("warning: no ajv in the gateway's dependency tree; the JSON-schema check is skipped");
  }
  if (Ajv2020) {
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(schemaFile, "utf8")));
    if (!validate(raw)) {
      for (const error of validate.errors ?? []) {
        const path = error.instancePath.slice(1).replaceAll("/", ".") || "<root>";
        const extra = error.params?.additionalProperty ? ` (${error.params.additionalProperty})` : "";
        problems.push(`${path}: ${error.message}${extra} [JSON schema]`);
      }
    }
  }
}

const { validateConfigObjectWithPlugins } = await import(pathToFileURL(join(dist, "config", "validation.js")).href);
const result = validateConfigObjectWithPlugins(raw);
for (const w of result.warnings ?? []) console.error(`warning: ${w.path || "<root>"}: ${w.message}`);
if (!result.ok) for (const issue of result.issues) problems.push(`${issue.path || "<root>"}: ${issue.message}`);

if (problems.length > 0) {
  console.error(`clawdbot.json is not valid for this gateway (${file}):`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(`clawdbot.json: valid (${file})`);
