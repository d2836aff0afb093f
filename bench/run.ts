// `npm run bench`: every benchmark, one after the other. Prints numbers; never fails on timing.
// One part alone: `npx tsx bench/package.ts openclaw` (one gateway), `npx tsx bench/package.ts openclaw --starts`
// (only OpenClaw's first/warm/cold start comparison, BENCH_RUNS runs).
import { main as generatorBench } from "./generator.js";

const benches: [string, () => Promise<void> | void][] = [
  ["generator and typed settings", generatorBench],
  ["packages (Clawdbot and OpenClaw, side by side with a naive install): size, first start, peak and steady RSS", async () => (await import("./package.js")).main()],
  ["NixOS unit exposure (systemd-analyze security)", async () => (await import("./security.js")).main()],
];

for (const [name, run] of benches) {
  console.log(`\n== ${name}`);
  await run();
}
