// explainRefusals (cli/convert-explain.ts) names the gateway its caller gives (issue 20: no silent default gateway):
// the module, the release and the options reference in its words are the target's, and the reference it points to
// exists. Pure functions over the committed schemas: no gateway process.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { explainRefusals } from "../../cli/convert-explain.js";
import { TARGETS, type TargetName } from "../../cli/targets.js";
import { REPO } from "../support/nix.js";

describe.each(["openclaw", "clawdbot"] as TargetName[])("explainRefusals for %s", (name) => {
  const target = TARGETS[name];
  const release = `${target.displayName} ${target.version}`;

  it("an unknown key without a near name: removed, pointing at the target's own options reference (a file of the checkout)", () => {
    const [refusal] = explainRefusals([{ path: "", message: 'Unrecognized key: "zzqxNotAKeyAnywhere"' }], { zzqxNotAKeyAnywhere: 1 }, true, target);
    expect(refusal).toMatchObject({ where: "zzqxNotAKeyAnywhere", explained: true });
    expect(refusal!.why).toContain(`${release} has no zzqxNotAKeyAnywhere`);
    expect(refusal!.fix).toBe(`remove it (${target.gateway.docs} lists every setting ${release} has)`);
    expect(existsSync(join(REPO, target.gateway.docs))).toBe(true);
  });

  it("a key the service owns names the target's module; a key gone without successor names the target's release", () => {
    const refusals = explainRefusals(
      [{ path: "gateway", message: 'Unrecognized key: "token"' }, { path: "models", message: 'Unrecognized key: "bedrockDiscovery"' }],
      { gateway: { token: "x" }, models: { bedrockDiscovery: {} } },
      true,
      target,
    );
    expect(refusals.map((r) => r.where)).toEqual(["gateway.token", "models.bedrockDiscovery"]);
    expect(refusals[0]!.fix).toContain(`${target.gateway.module}.auth.tokenFile`);
    expect(refusals[1]!.fix).toContain(`${release} has no Bedrock model discovery`);
  });
});
