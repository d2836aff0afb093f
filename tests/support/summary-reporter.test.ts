// The closing line CI reads ("tests: N passed, N failed, N skipped") counts a file that failed in a hook: vitest
// run on a fixture whose beforeAll throws (its test is reported skipped) must not say "0 failed".
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "./nix.js";
import { runAsync } from "./process.js";

describe("the summary reporter", () => {
  it("counts a file whose beforeAll threw as a failure, and vitest's exit code agrees", async () => {
    const run = await runAsync(
      join(REPO, "node_modules/.bin/vitest"),
      ["run"],
      // the fixture's own vitest.config.ts: its one file, this reporter
      { cwd: join(REPO, "tests/fixtures/reporter"), timeoutMs: 120_000 },
    );
    expect(run.stdout).toContain("tests: 0 passed, 1 failed, 1 skipped");
    expect(run.status).not.toBe(0);
  }, 150_000);
});
