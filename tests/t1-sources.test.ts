// Where the T1 tier comes from: ../shared/t1 beside the checkout by default, CLAWDBOT_T1_* when set, a loud
// SKIP naming what is missing otherwise — and under CI (CI=true, as .ci/run is called) no skip at all: a
// fresh clone with ../shared beside it runs T1, so a missing tree there is a failure, not a quiet pass.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hasNix, REPO, SHARED_T1, t1Sources } from "./support/nix.js";

/** t1Sources() in a child process with this environment (the function reads process.env). */
function sourcesWith(env: Record<string, string | undefined>): ReturnType<typeof t1Sources> {
  const code = `import("${REPO}/tests/support/nix.ts").then((m) => process.stdout.write(JSON.stringify(m.t1Sources())))`;
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("CLAWDBOT_T1_")));
  const r = spawnSync(process.execPath, ["--import", "tsx", "-e", code], { cwd: REPO, encoding: "utf8", env: { ...clean, ...env } });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as ReturnType<typeof t1Sources>;
}

describe("the T1 sources", () => {
  it.runIf(hasNix() && existsSync(SHARED_T1))("default to ../shared/t1 when CLAWDBOT_T1_* are unset", () => {
    const s = sourcesWith({});
    expect(s.nixpkgsLib).toBe(join(SHARED_T1, "nixpkgs-lib"));
    expect(s.homeManager).toBe(join(SHARED_T1, "home-manager"));
    expect(s.libSkip).toBeUndefined();
  });

  it.runIf(hasNix())("a variable set to a wrong folder is reported, not replaced by the default", () => {
    const empty = mkdtempSync(join(tmpdir(), "t1-empty-"));
    try {
      const s = sourcesWith({ CLAWDBOT_T1_NIXPKGS_LIB: empty, CLAWDBOT_T1_HOME_MANAGER: empty });
      expect(s.nixpkgsLib).toBeUndefined();
      expect(s.libSkip).toBe(`CLAWDBOT_T1_NIXPKGS_LIB=${empty} has no lib/default.nix (a nixpkgs.lib checkout; see ../shared/t1/README.md and CONTRIBUTING, T1)`);
      expect(s.hmSkip).toContain(`CLAWDBOT_T1_HOME_MANAGER=${empty} has no modules/modules.nix`);
    } finally {
      rmSync(empty, { recursive: true });
    }
  });

  it.runIf(process.env.CI === "true")("CI runs T1: the sources are found (a fresh clone has ../shared/t1 beside it)", () => {
    const s = t1Sources();
    expect(s.libSkip, "T1 would be skipped in CI").toBeUndefined();
    expect(s.hmSkip, "T1 would be skipped in CI").toBeUndefined();
  });
});
