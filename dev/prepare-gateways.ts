// npm run prepare-gateways: prepare the pinned gateways' trees the way the tests do (tests/support/gateway/prepare.ts:
// Node from npm, the gateway from its committed lock, pruned as the Nix package is), so that `npm run clawdbot-nix
// -- check` in a checkout runs the gateway's own validator, not only the schema layer. Downloads from npm once;
// idempotent afterwards. With a gateway name (openclaw, clawdbot) only that one; without, both.
import { prepareGateway } from "../tests/support/gateway/prepare.js";

const names = process.argv.slice(2);
for (const name of names.length > 0 ? names : ["openclaw", "clawdbot"]) {
  if (name !== "openclaw" && name !== "clawdbot") {
    console.error(`prepare-gateways: unknown gateway ${name} (openclaw, clawdbot)`);
    process.exit(2);
  }
  const started = Date.now();
  console.error(`prepare-gateways: ${name} …`);
  const prepared = await prepareGateway(name);
  console.error(`prepare-gateways: ${name} ready in ${prepared.root} (${Math.round((Date.now() - started) / 1000)} s)`);
}
