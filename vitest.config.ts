import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // Every test, the conformance with upstream included (tests/conformance: every leaf and union variant of both
    // gateways' schemas through the generated Nix types and upstream's validator, about 3 minutes of CPU in one of
    // the two forks; `npm run conformance` runs it alone).
    exclude: ["**/node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    // Two cores: gateway starts are heavy, so at most two test files run at once.
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: ["default", "./tests/support/summary-reporter.ts"],
  },
});
