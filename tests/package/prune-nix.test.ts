// T1: how nix/package.nix runs nix/prune.mjs, evaluated with nixpkgs' real lib and stand-in builders: OpenClaw's
// build.json prune groups are passed (--spec), `keepPruned` keeps groups by name, an unknown name is an
// evaluation error naming the groups; Clawdbot's install line is unchanged (its build.json has no groups).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { announceSkip, nixEval, nixStr, REPO, t1Sources } from "../support/nix.js";
import { stubs } from "../support/nixpkgs-stubs.js";

const t1 = t1Sources();
announceSkip("package.nix's prune flags at T1 (nixpkgs lib)", t1.libSkip);

const groups = Object.keys((JSON.parse(readFileSync(join(REPO, "nix/openclaw/build.json"), "utf8")) as { prune: { groups: Record<string, unknown> } }).prune.groups);

describe.skipIf(t1.libSkip)("T1: nix/package.nix prunes with build.json's groups", () => {
  const lib = t1.nixpkgsLib!;
  const install = (args: string) => {
    const r = nixEval(`let ${stubs(lib, "x86_64-linux")}
      in (stubPkgs.callPackage ${nixStr(join(REPO, "nix/package.nix"))} ${args}).installPhase`);
    return r;
  };
  const pruneLine = (text: string) => text.split("\n").find((l) => l.includes("node nix/prune.mjs"))!.trim();

  it("OpenClaw: --spec nix/openclaw/build.json, no group kept by default; keepPruned adds --keep per group", () => {
    const d = install(`{ gateway = "openclaw"; }`);
    expect(d.ok, d.stderr).toBe(true);
    expect(pruneLine(d.value as string)).toBe("node nix/prune.mjs nix/openclaw/node_modules --spec nix/openclaw/build.json");
    const k = install(`{ gateway = "openclaw"; keepPruned = [ "worker-bundle" "docs" ]; }`);
    expect(k.ok, k.stderr).toBe(true);
    expect(pruneLine(k.value as string)).toBe("node nix/prune.mjs nix/openclaw/node_modules --spec nix/openclaw/build.json --keep worker-bundle --keep docs");
  });

  it("an unknown group is an evaluation error naming the groups; Clawdbot has none", () => {
    const bad = install(`{ gateway = "openclaw"; keepPruned = [ "nosuch" ]; }`);
    expect(bad.ok).toBe(false);
    expect(bad.stderr).toContain(`keepPruned names ["nosuch"], not a prune group of openclaw's build.json`);
    for (const g of groups) expect(bad.stderr).toContain(`"${g}"`);
    const claw = install(`{ gateway = "clawdbot"; }`);
    expect(claw.ok, claw.stderr).toBe(true);
    expect(pruneLine(claw.value as string)).toBe("node nix/prune.mjs nix/gateway/node_modules");
    expect(install(`{ gateway = "clawdbot"; keepPruned = [ "docs" ]; }`).ok).toBe(false);
  });
});
