// What the conformance test (./conformance.test.ts) needs of each gateway: its files, the samples (made once, kept
// by content), and which disagreements are tolerated.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { TARGETS } from "../../cli/targets.js";
import { GATEWAY_NAMES, GATEWAYS as GATEWAY_DESCRIPTIONS, type GatewayName } from "../../generator/gateways.js";
import { CACHE } from "../support/gateway.js";
import { REPO } from "../support/nix.js";
import { runChecked } from "../support/process.js";
import type { SampleSet } from "./samples.js";

// each gateway's snapshot schema, generated settings, validator module and environment prefix: its description
export const GATEWAYS = Object.fromEntries(
  GATEWAY_NAMES.map((name) => {
    const g = GATEWAY_DESCRIPTIONS[name];
    return [name, { schema: `${g.snapshotDir}/${g.schemaFile}`, settings: g.outputs.settings, module: TARGETS[name].validator.module, envPrefix: g.envPrefix }];
  }),
) as Record<GatewayName, { schema: string; settings: string; module: string; envPrefix: string }>;
export type Name = GatewayName;

/**
 * Disagreements outside the generator's domain: upstream refuses a value its JSON schema allows (a refinement
 * the schema does not carry), or accepts one its schema refuses while Nix follows the schema.
 */
export const outsideSchema = (bucket: string): boolean =>
  bucket.startsWith("upstream refuses what its JSON schema allows") || bucket.startsWith("Nix refuses, upstream accepts what its JSON schema refuses");

/** Printed, not failed: upstream outside its schema, or a departure of the generator documented as deliberate. */
export const tolerated = (bucket: string): boolean => outsideSchema(bucket) || bucket.startsWith("deliberate:");
export const tag = (bucket: string): string => (outsideSchema(bucket) ? "upstream, outside its schema" : bucket.startsWith("deliberate:") ? "generator, deliberate" : "GENERATOR");

/** The samples of a schema, made in a child process and kept by content (schema, sampler, its libraries). */
export async function samplesFor(name: Name): Promise<SampleSet> {
  const schemaFile = join(REPO, GATEWAYS[name].schema);
  const key = createHash("sha256");
  for (const f of [schemaFile, join(REPO, "tests/conformance/samples.ts"), join(REPO, "node_modules/json-schema-faker/package.json"), join(REPO, "node_modules/randexp/package.json")]) key.update(readFileSync(f)).update("\0");
  const dir = join(CACHE, "conformance");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-${key.digest("hex").slice(0, 16)}.json`);
  if (!existsSync(file)) {
    const partial = `${file}.${process.pid}.tmp`;
    await runChecked(join(REPO, "node_modules/.bin/tsx"), [join(REPO, "tests/conformance/samples.ts"), schemaFile, partial], { cwd: REPO, timeoutMs: 300_000 });
    copyFileSync(partial, file);
    rmSync(partial, { force: true });
  }
  return JSON.parse(readFileSync(file, "utf8")) as SampleSet;
}

