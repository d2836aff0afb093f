// The packaged command (cli/package.nix) is cli/build.sh's esbuild bundle run by Node 22: build it the same way
// (esbuild from node_modules instead of nixpkgs) and run it outside the repository, with no node_modules.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, symlinkSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareNode22 } from "../support/gateway.js";
import { REPO } from "../support/nix.js";
import { cleanTemps, fixture, tempDir } from "./support.js";

afterAll(cleanTemps);

let node: string;
let bundle: string;

/** The files cli/package.nix gives the build: its `wanted` list and everything under cli/. */
function packageSources(): string[] {
  const text = readFileSync(join(REPO, "cli/package.nix"), "utf8");
  const list = /wanted = \[([^\]]*)\]/.exec(text)![1]!;
  const wanted = [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
  const cli = readdirSync(join(REPO, "cli"), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(REPO, join(e.parentPath, e.name)));
  return [...wanted, ...cli];
}

beforeAll(async () => {
  node = await prepareNode22();
  const out = tempDir("clawdbot-nix-bundle-");
  bundle = join(out, "lib", "clawdbot-nix.mjs");
  // Build from a copy holding only what the Nix build gets (plus node_modules, which importNpmLock provides).
  const source = join(out, "src");
  for (const file of packageSources()) {
    mkdirSync(dirname(join(source, file)), { recursive: true });
    copyFileSync(join(REPO, file), join(source, file));
  }
  symlinkSync(join(REPO, "node_modules"), join(source, "node_modules"));
  const build = spawnSync("sh", [join(source, "cli/build.sh"), bundle], {
    env: { ...process.env, PATH: `${join(REPO, "node_modules/.bin")}:${process.env.PATH}` },
    encoding: "utf8",
    timeout: 120_000,
  });
  if (build.status !== 0) throw new Error(`cli/build.sh failed: ${build.stderr}`);
}, 10 * 60_000);

const run = (args: string[], cwd: string) =>
  spawnSync(node, [bundle, ...args], { cwd, encoding: "utf8", timeout: 60_000, env: { PATH: process.env.PATH, HOME: cwd } });

describe("the bundled command under Node 22", () => {
  it("is one self-contained file", () => {
    expect(readdirSync(join(bundle, ".."))).toEqual(["clawdbot-nix.mjs"]);
    expect(readFileSync(bundle, "utf8")).not.toMatch(/from "(json5|ajv)/);
  });

  it("check: exit 1 with the suggestion on a typo, 0 on a valid config", () => {
    const dir = tempDir();
    copyFileSync(fixture("typo/clawdbot.json"), join(dir, "clawdbot.json"));
    const bad = run(["check", "clawdbot.json"], dir);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("gateway.mdoe: unknown key — did you mean gateway.mode?");
    expect(run(["check", fixture("wizard/clawdbot.json")], dir).status).toBe(0);
  });

  it("import: writes the same files as the repository's command", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "state"));
    copyFileSync(fixture("wizard/clawdbot.json"), join(dir, "state", "clawdbot.json"));
    const result = run(["import", "state", "--out", "nix", "--secrets-dir", join(dir, "secrets")], dir);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("gateway.auth.token");
    const { runImport } = await import("../../cli/import.js");
    const other = tempDir();
    runImport(join(dir, "state"), { out: join(other, "nix"), secretsDir: join(dir, "secrets") });
    for (const file of ["default.nix", "settings.nix"]) {
      expect(readFileSync(join(dir, "nix", file), "utf8")).toBe(readFileSync(join(other, "nix", file), "utf8"));
    }
  });
});
