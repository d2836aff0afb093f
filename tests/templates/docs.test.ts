// T0: the README's deployment part (the user documentation of the deployments) names what exists: every template it
// tells users to `nix flake init -t`, the flake URL the templates use, the options reference, and the
// troubleshooting topics of the issue (port in use, LAN without token, OOM, stale lock, config rewritten).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../support/nix.js";
import { FLAKE_URL, TEMPLATE_NAMES } from "./support.js";

const readme = readFileSync(join(REPO, "README.md"), "utf8");
const doc = readme.slice(readme.indexOf("## Deploying the gateway"), readme.indexOf("## Migrating from npm"));

describe("README: deploying the gateway", () => {
  it("has the part, before the migration part", () => expect(doc.length).toBeGreaterThan(1000));
  it("every `nix flake init -t` names this flake and an existing template; every template is documented", () => {
    const inits = [...doc.matchAll(/nix flake init -t (\S+)#([\w-]+)/g)];
    expect(inits.length).toBeGreaterThan(0);
    for (const m of inits) {
      expect(m[1]).toBe(FLAKE_URL);
      expect(TEMPLATE_NAMES as readonly string[]).toContain(m[2]);
    }
    for (const name of TEMPLATE_NAMES) expect(doc, name).toContain(`\`${name}\``);
  });

  it("links the generated options reference, which exists", () => {
    expect(doc).toMatch(/\]\(docs\/options\.md\)/);
    expect(existsSync(join(REPO, "docs/options.md"))).toBe(true);
  });

  it("covers state, rollback, secrets and each troubleshooting topic", () => {
    for (const heading of ["### Where state lives", "### Rollback", "### How secrets flow", "### Troubleshooting"]) expect(doc).toContain(heading);
    for (const topic of ["**Port in use**", "**LAN bind without a token**", "**OOM**", "**Stale lock**", "**Config rewritten**"]) expect(doc).toContain(topic);
  });

  it("quotes the gateway's own messages for the errors it explains", () => {
    // the texts of dist/gateway/server/http-listen.js, cli/gateway-cli/run.js and infra/gateway-lock.js
    expect(doc).toContain("another gateway instance is already listening on ws://");
    expect(doc).toContain("Refusing to bind gateway to lan without auth");
    expect(doc).toContain("gateway already running (pid …); lock timeout");
  });
});
