// T0: docs/deployments.md (the user documentation of the deployments) names what exists: every template it
// tells users to `nix flake init -t`, the flake URL the templates use, the options reference, the
// troubleshooting topics of the issues (port in use, LAN without token, OOM, stale lock, config rewritten,
// a start that fails on the config, paths outside the state directory), and the memory figure the templates
// use.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../support/nix.js";
import { FLAKE_URL, TEMPLATE_NAMES } from "./support.js";

const doc = readFileSync(join(REPO, "docs/deployments.md"), "utf8");
const readme = readFileSync(join(REPO, "README.md"), "utf8");

describe("docs/deployments.md", () => {
  it("has the guide, and the README links it from its Deployments section", () => {
    expect(doc.length).toBeGreaterThan(1000);
    const section = readme.slice(readme.indexOf("## Deployments"), readme.indexOf("## Secrets"));
    expect(section).toContain("](docs/deployments.md)");
  });

  it("every `nix flake init -t` names this flake and an existing template; every template is documented", () => {
    const inits = [...doc.matchAll(/nix flake init -t (\S+)#([\w-]+)/g)];
    expect(inits.length).toBeGreaterThan(0);
    for (const m of inits) {
      expect(m[1]).toBe(FLAKE_URL);
      expect(TEMPLATE_NAMES as readonly string[]).toContain(m[2]);
    }
    for (const name of TEMPLATE_NAMES) {
      expect(doc, name).toContain(`\`${name}\``);
      expect(readme, name).toContain(`\`${name}\``);
    }
  });

  it("links the generated options references of both gateways, which exist", () => {
    for (const gateway of ["openclaw", "clawdbot"]) {
      expect(doc).toContain(`](options/${gateway}.md)`);
      expect(existsSync(join(REPO, `docs/options/${gateway}.md`))).toBe(true);
    }
  });

  it("covers state and each troubleshooting topic", () => {
    for (const heading of ["## Where state lives", "## Troubleshooting"]) expect(doc).toContain(heading);
    for (const topic of [
      "**Port in use**",
      "**LAN bind without a token**",
      "**OOM**",
      "**Stale lock**",
      "**Config rewritten**",
      "**Start fails with exit status 78**",
      "**Path outside the state directory (NixOS)**",
    ])
      expect(doc).toContain(topic);
  });

  it("quotes the gateway's and the launcher's own messages for the errors it explains", () => {
    // the texts of dist/gateway/server/http-listen.js, cli/gateway-cli/run.js and infra/gateway-lock.js
    expect(doc).toContain("another gateway instance is already listening on ws://");
    expect(doc).toContain("Refusing to bind gateway to lan without auth");
    expect(doc).toContain("gateway already running (pid …); lock timeout");
    // modules/launcher/clawdbot-launch.sh
    const launcher = readFileSync(join(REPO, "modules/launcher/clawdbot-launch.sh"), "utf8");
    expect(launcher).toContain("which has no value");
    expect(doc).toContain("which has no value");
  });

  it("one memory figure: 2 GB in the docs and in every template that sets a limit, never another", () => {
    const figures = (text: string) => [...text.matchAll(/memory\.max = "([^"]+)"|mem_limit: ([\w.]+)|memory = "(\d+mb)"/g)].map((m) => m[1] ?? m[2] ?? m[3]);
    const templates = ["nixos-server/gateway.nix", "container/docker-compose.yml", "container/fly.toml", "container/fly.private.toml"].map((f) =>
      readFileSync(join(REPO, "templates", f), "utf8"),
    );
    // The README's prose too. Its three configurations are the evaluated fixtures of tests/modules/t1.test.ts
    // (tests/fixtures/modules/readme-*.nix, shown verbatim: tests/readme.test.ts), left out here.
    const fixtures = ["nixos", "home-manager", "darwin"].map((n) => readFileSync(join(REPO, `tests/fixtures/modules/readme-${n}.nix`), "utf8").trimEnd());
    const prose = fixtures.reduce((text, f) => text.replace(f, ""), readme);
    const found = [doc, prose, ...templates].flatMap(figures);
    expect(found.length).toBeGreaterThan(4);
    for (const f of found) expect(["2G", "2g", "2048mb"], f).toContain(f);
    // the superseded figures are gone from the prose
    for (const text of [doc, prose, ...templates]) expect(text).not.toMatch(/1500M|~350 MB/);
  });

  it("names tools as the `tools` option accepts them (gogcli, not gog)", () => {
    const names = Object.keys(JSON.parse(readFileSync(join(REPO, "nix/tools/lock.json"), "utf8")).tools);
    for (const text of [doc, readme]) {
      for (const m of text.matchAll(/tools = \[([^\]]*)\]/g)) {
        for (const t of m[1]!.matchAll(/"([^"]+)"/g)) expect(names, `tools = [${m[1]}]`).toContain(t[1]);
      }
    }
  });
});
