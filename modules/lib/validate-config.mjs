// Build-time check of a rendered config (clawdbot.json, openclaw.json), as the gateway would check it at start:
// 1. against the generated JSON schema (schemas/<gateway>.schema.json), with the ajv that the gateway's own
//    dependency tree carries;
// 2. with upstream's own validator, the module of the gateway's package that exports
//    `validateConfigObjectWithPlugins` (its schema, legacy keys, plugin ids): modules/lib/gateways.nix names
//    it per gateway (clawdbot: dist/config/validation.js, openclaw: dist/config/config.js).
//
//   node validate-config.mjs <validator module> <config.json> [<schema.json>]
//
// Exit 0 when valid (warnings are printed), 1 with one "path: message" line per problem otherwise, 64 on a
// usage error. `${NAME}` references (secrets) are strings to both checks, as they are before substitution at
// run time. Run by modules/common.nix in the derivation of the config file; tested in tests/modules/.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const [validator, file, schemaFile] = process.argv.slice(2);
if (!validator || !file) {
  console.error("usage: node validate-config.mjs <validator module> <config.json> [<schema.json>]");
  process.exit(64);
}

const raw = JSON.parse(readFileSync(file, "utf8"));
const problems = [];

if (schemaFile) {
  let Ajv2020;
  try {
    ({ Ajv2020 } = createRequire(validator)("ajv/dist/2020.js"));
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

const { validateConfigObjectWithPlugins } = await import(pathToFileURL(validator).href);
const result = validateConfigObjectWithPlugins(raw);
for (const w of result.warnings ?? []) console.error(`warning: ${w.path || "<root>"}: ${w.message}`);
if (!result.ok) for (const issue of result.issues) problems.push(`${issue.path || "<root>"}: ${issue.message}`);

if (problems.length > 0) {
  console.error(`The config is not valid for this gateway (${file}):`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(`The config is valid (${file})`);
