// A vitest reporter that ends the run with the plain closing line CI reads: "tests: N passed, N failed, N skipped".
// A file that failed without a failed test (a beforeAll hook or the file's collection threw: its tests are then
// reported skipped) counts one failure, and so does each error outside any test, so that the line never says
// "0 failed" when vitest fails the run.
import type { SerializedError } from "vitest";
import type { Reporter, TestModule } from "vitest/node";

export function summarize(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError> = []): { passed: number; failed: number; skipped: number } {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const module of testModules) {
    let failedHere = 0;
    for (const test of module.children.allTests()) {
      const state = test.result().state;
      if (state === "passed") passed++;
      else if (state === "failed") failedHere++;
      else skipped++;
    }
    if (module.state() === "failed" && failedHere === 0) failedHere = 1;
    failed += failedHere;
  }
  return { passed, failed: failed + unhandledErrors.length, skipped };
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const { passed, failed, skipped } = summarize(testModules, unhandledErrors);
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
