import { defineConfig } from "vitest/config";
import base from "./vitest.config.js";

// `npm run conformance`: Nix's types against upstream's validator on samples of every leaf and variant
// (tests/conformance). Only that directory: `mergeConfig` would concatenate base's include and exclude
// (running the whole suite, and excluding conformance itself), so the test block is replaced, not merged.
export default defineConfig({ test: { ...base.test, include: ["tests/conformance/**/*.test.ts"], exclude: ["**/node_modules/**"] } });
