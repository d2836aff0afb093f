import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // `npm run conformance` (vitest.conformance.config.ts): every sample, about two minutes; its fast subset is
    // tests/generator/conformance-subset.test.ts
    exclude: ["tests/conformance/**", "**/node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    // Two cores: gateway starts are heavy, so at most two test files run at once.
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: ["default", "./tests/support/summary-reporter.ts"],
  },
});
