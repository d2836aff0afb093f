// The packaged command (cli/package.nix) is cli/build.sh's esbuild bundle run by Node 22: build it the same way
// (esbuild from node_modules instead of nixpkgs) and run it outside the repository, with no node_modules.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, symlinkSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareGateway, prepareNode, prepareNode22 } from "../support/gateway.js";
import { REPO } from "../support/nix.js";
import { runAsync } from "../support/process.js";
import { cleanTemps, fixture, tempDir } from "./support.js";

/** stderr without the progress lines printed while the gateway's validator runs (tests/cli/messages.test.ts). */
const withoutProgress = (text: string): string =>
  text
    .split("\n")
    .filter((l) => !/^(checking with .*'s own validator|… still checking|\S+'s validator done)/.test(l))
    .join("\n");

afterAll(cleanTemps);

let node: string;
let bundle: string;
/** The prepared gateway tree: what cli/package.nix gives the command as CLAWDBOT_NIX_GATEWAY. */
let gatewayTree: string;

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
  gatewayTree = (await prepareGateway()).root;
  const out = tempDir("clawdbot-nix-bundle-");
  bundle = join(out, "lib", "clawdbot-nix.mjs");
  // Build from a copy holding only what the Nix build gets (plus node_modules, which importNpmLock provides).
  const source = join(out, "src");
  for (const file of packageSources()) {
    mkdirSync(dirname(join(source, file)), { recursive: true });
    copyFileSync(join(REPO, file), join(source, file));
  }
  symlinkSync(join(REPO, "node_modules"), join(source, "node_modules"));
  const build = await runAsync("sh", [join(source, "cli/build.sh"), bundle], {
    env: { ...process.env, PATH: `${join(REPO, "node_modules/.bin")}:${process.env.PATH}` },
    timeoutMs: 120_000,
  });
  if (build.status !== 0) throw new Error(`cli/build.sh failed: ${build.stderr}`);
}, 10 * 60_000);

// asynchronous: each call may load a gateway's validator (seconds, more on a loaded machine), and a vitest
// worker must not block its event loop for a minute (tests/support/process.ts)
const run = (args: string[], cwd: string, env: Record<string, string> = {}) =>
  runAsync(node, [bundle, ...args], { cwd, timeoutMs: 120_000, env: { PATH: process.env.PATH, HOME: cwd, ...env } });

describe("the bundled command under Node 22", () => {
  it("is one self-contained file", async () => {
    expect(readdirSync(join(bundle, ".."))).toEqual(["clawdbot-nix.mjs"]);
    expect(readFileSync(bundle, "utf8")).not.toMatch(/from "(json5|ajv)/);
  });

  it("check: exit 1 with the suggestion on a typo; with the gateway (CLAWDBOT_NIX_GATEWAY) its full verdict", async () => {
    const dir = tempDir();
    copyFileSync(fixture("typo/clawdbot.json"), join(dir, "clawdbot.json"));
    const bad = await run(["check", "clawdbot.json"], dir);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("gateway.mdoe: unknown key — did you mean gateway.mode?");
    // no gateway given, none in a checkout: the schema layer only, and it says so
    const partial = await run(["check", fixture("wizard/clawdbot.json")], dir);
    expect(partial.status).toBe(0);
    expect(partial.stdout).toMatch(/not a full check: the gateway's own validator did not run \(no gateway found: set CLAWDBOT_NIX_GATEWAY/);
    // the packaged command's environment (cli/package.nix): the full verdict, on Node 22 itself
    const full = await run(["check", fixture("wizard/clawdbot.json")], dir, { CLAWDBOT_NIX_GATEWAY: gatewayTree });
    expect(full.stdout).toMatch(/: valid for clawdbot 2026\.1\.24-3$/m);
    expect(full.status).toBe(0);
    const typo = await run(["check", fixture("upstream-only/channel-typo.json")], dir, { CLAWDBOT_NIX_GATEWAY: gatewayTree });
    expect(typo.status).toBe(1);
    expect(typo.stderr).toContain("channels.telgram: unknown channel id: telgram — did you mean channels.telegram?");
  });

  it("import: writes the same files as the repository's command", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "state"));
    copyFileSync(fixture("wizard/clawdbot.json"), join(dir, "state", "clawdbot.json"));
    const result = await run(["import", "state", "--out", "nix", "--secrets-dir", join(dir, "secrets")], dir, { CLAWDBOT_NIX_GATEWAY: gatewayTree });
    expect(withoutProgress(result.stderr)).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("gateway.auth.token");
    const { runImport } = await import("../../cli/import.js");
    const other = tempDir();
    await runImport(join(dir, "state"), { out: join(other, "nix"), secretsDir: join(other, "secrets"), upstream: "off" });
    for (const file of ["default.nix", "settings.nix"]) {
      // each output owns its secrets folder: the same files but for that folder's path
      expect(readFileSync(join(dir, "nix", file), "utf8")).toBe(readFileSync(join(other, "nix", file), "utf8").replaceAll(join(other, "secrets"), join(dir, "secrets")));
    }
  });
});

describe("the bundled command for OpenClaw (Node 22 runs the command, Node 24 OpenClaw's validator)", () => {
  /** What cli/package.nix sets: CLAWDBOT_NIX_OPENCLAW_GATEWAY (the gateway package) and CLAWDBOT_NIX_OPENCLAW_NODE. */
  let env: Record<string, string>;
  beforeAll(async () => {
    const openclaw = await prepareGateway("openclaw");
    env = { CLAWDBOT_NIX_OPENCLAW_GATEWAY: openclaw.root, CLAWDBOT_NIX_OPENCLAW_NODE: await prepareNode(24) };
  }, 30 * 60_000);

  it("check: detected from openclaw.json, OpenClaw's full verdict; a misspelt channel with the nearest id", async () => {
    const dir = tempDir();
    copyFileSync(fixture("openclaw/state/openclaw.json"), join(dir, "openclaw.json"));
    const good = await run(["check", "."], dir, env);
    expect(good.stdout.split("\n").slice(0, 2)).toEqual([`${join(dir, "openclaw.json")}: valid for openclaw 2026.9.6`, "target: openclaw 2026.9.6 (the config file is named openclaw.json)"]);
    expect(good.status).toBe(0);
    // without the gateway's Node: the schema layer only, and it says why
    const noNode = await run(["check", "."], dir, { CLAWDBOT_NIX_OPENCLAW_GATEWAY: env.CLAWDBOT_NIX_OPENCLAW_GATEWAY! });
    expect(noNode.stdout).toMatch(/not a full check: the gateway's own validator did not run \(the openclaw gateway needs Node >=24\.16\.0 <25 \|\| >=26\.1\.0 and this is Node 22\.[0-9.]+: set CLAWDBOT_NIX_OPENCLAW_NODE\)/);
    const typo = await run(["check", "--target", "openclaw", fixture("openclaw/typo/openclaw.json")], dir, env);
    expect(typo.status).toBe(1);
    expect(typo.stderr).toContain("channels.telgram: unknown channel id: telgram — did you mean channels.telegram?");
  });

  it("import: services.openclaw, no secret in the Nix files", async () => {
    const dir = tempDir();
    const result = await run(["import", fixture("openclaw/state"), "--out", "nix", "--secrets-dir", join(dir, "secrets")], dir, env);
    expect(withoutProgress(result.stderr)).toBe("");
    expect(result.status).toBe(0);
    const module = readFileSync(join(dir, "nix", "default.nix"), "utf8");
    expect(module).toContain("services.openclaw = {");
    expect(module + readFileSync(join(dir, "nix", "settings.nix"), "utf8")).not.toContain("oc-test-gateway-token");
  });
});
