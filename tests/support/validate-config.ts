// The modules' build-time check of a rendered config (modules/lib/validate-config.mjs, as modules/common.nix
// runs it in the config file's derivation), for the tests of both gateways: the gateway's Node, its validator
// module, the generated JSON schema. Asynchronous: a validator takes seconds to load on a busy machine, and a
// vitest worker must not block its event loop for long (./process.ts).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "./nix.js";
import { runAsync } from "./process.js";

export async function validateConfigText(opts: { node: string; validator: string; schema: string; dir: string; text: string }) {
  const file = join(opts.dir, `c-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, opts.text);
  const r = await runAsync(opts.node, [join(REPO, "modules/lib/validate-config.mjs"), opts.validator, file, join(REPO, opts.schema)], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: opts.dir },
    timeoutMs: 120_000,
  });
  return { status: r.status, output: r.stdout + r.stderr };
}
