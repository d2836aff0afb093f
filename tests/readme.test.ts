// The README shows the module configurations the tests evaluate (tests/fixtures/modules/readme-*.nix,
// evaluated in tests/modules/t1.test.ts), verbatim, and the commands it names exist.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { REPO } from "./support/nix.js";

const readme = readFileSync(`${REPO}/README.md`, "utf8");
const packageJson = JSON.parse(readFileSync(`${REPO}/package.json`, "utf8"));

describe("README", () => {
  it.each(["nixos", "home-manager", "darwin"])("shows the evaluated %s configuration verbatim", (name) => {
    const fixture = readFileSync(`${REPO}/tests/fixtures/modules/readme-${name}.nix`, "utf8").trimEnd();
    expect(readme).toContain("```nix\n" + fixture + "\n```");
  });
  it("names npm scripts that exist", () => {
    for (const [, script] of readme.matchAll(/npm run ([\w-]+)/g)) expect(Object.keys(packageJson.scripts)).toContain(script);
  });
  it("its two set-up commands use files that exist", () => {
    expect(readme).toContain("bash scripts/setup-debian.sh && npm run generate");
    expect(readme).toContain("bash scripts/setup-debian.sh && npm test");
    expect(readFileSync(`${REPO}/.ci/run`, "utf8")).toContain("bash scripts/setup-debian.sh");
  });
});
