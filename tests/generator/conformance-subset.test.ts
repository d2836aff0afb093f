// The fast part of the conformance with upstream (issue 17.4) that runs in `npm test`: the full comparison
// (tests/conformance, `npm run conformance`, every leaf and union variant of both gateways: about two minutes
// of CPU) on a subset, each gateway's samples at the places the generator got wrong before (integer bounds of
// ±(2^53 - 1), string lengths, secret strings' checks, unions of objects without one tag) and every 40th sample
// besides: one nix-instantiate and one upstream validator process per gateway. No disagreement in the
// generator's domain may remain.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compare } from "../conformance/compare.js";
import { GATEWAYS, samplesFor, tolerated, type Name } from "../conformance/gateways.js";
import { nixVerdicts, upstreamVerdicts } from "../conformance/verdicts.js";
import { prepareGateway } from "../support/gateway.js";
import { announceSkip, REPO, t1Sources } from "../support/nix.js";

const { nixpkgsLib, libSkip } = t1Sources();
announceSkip("conformance subset (T1)", libSkip);

const tmp = mkdtempSync(join(tmpdir(), "conformance-subset-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The places of the buckets fixed in the generator, and a stride of the rest. */
const FIXED = /9007199254740991|too long|too short|^variant \d+: object$/;
const UNTAGGED = /^(channels\.twitch|channels\.reef\.guard|bindings\.\[\]|secrets\.providers\.\*)$/;

describe.skipIf(!nixpkgsLib).each(Object.keys(GATEWAYS) as Name[])("%s: a subset of the conformance samples", (name) => {
  it("the generated Nix types and upstream's validator agree (no disagreement in the generator's domain)", async () => {
    const [set, gateway] = await Promise.all([samplesFor(name), prepareGateway(name)]);
    const samples = set.samples.filter((s, i) => FIXED.test(s.what) || UNTAGGED.test(s.path) || i % 40 === 0);
    const dir = mkdtempSync(join(tmp, `${name}-`));
    const [nix, upstream] = await Promise.all([
      nixVerdicts({ nixpkgsLib: nixpkgsLib!, settings: join(REPO, GATEWAYS[name].settings), samples, dir, chunk: samples.length, parallel: 1 }),
      upstreamVerdicts({
        node: gateway.node,
        packageRoot: join(gateway.root, "lib", gateway.kind.packageName, "node_modules", gateway.kind.packageName),
        module: GATEWAYS[name].module,
        envPrefix: GATEWAYS[name].envPrefix,
        samples,
        dir,
      }),
    ]);
    const c = compare({ ...set, samples }, nix, upstream, readFileSync(join(REPO, GATEWAYS[name].settings), "utf8"), tolerated);
    console.log(`${name} subset: ${samples.length} of ${set.samples.length} samples; valid ${c.valid.agreed}/${c.valid.total}, invalid ${c.invalid.agreed}/${c.invalid.total} agree`);
    expect(samples.length).toBeGreaterThan(200);
    const failing = [...c.buckets].filter(([bucket]) => !tolerated(bucket)).map(([bucket, list]) => `${list.length} × ${bucket}: ${list.slice(0, 3).map((d) => d.sample.key).join(", ")}`);
    expect(failing).toEqual([]);
  }, 900_000);
});
