// The conformance test's upstream side (tests/conformance/verdicts.ts), run by the gateway's own Node inside its
// package: upstream's validateConfigObjectWithPlugins (the module the gateway description names,
// cli/targets.ts) on every config of a JSON list, in process. argv: the package root, the validator module, the
// samples file ([{ id, config }]). Prints one JSON line per sample: { id, ok, issues: [{ path, message }] }.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [root, module, samplesFile] = process.argv.slice(2);
const { validateConfigObjectWithPlugins } = await import(pathToFileURL(`${root}/${module}`).href);
const samples = JSON.parse(readFileSync(samplesFile, "utf8"));
const out = [];
for (const { id, config } of samples) {
  let verdict;
  try {
    const r = validateConfigObjectWithPlugins(structuredClone(config));
    verdict = { id, ok: r.ok, issues: r.ok ? [] : (r.issues ?? []).slice(0, 3).map((i) => ({ path: String(i.path ?? ""), message: String(i.message ?? "") })) };
  } catch (error) {
    verdict = { id, ok: false, issues: [{ path: "", message: `validator threw: ${String(error).slice(0, 300)}` }] };
  }
  out.push(JSON.stringify(verdict));
}
process.stdout.write(out.join("\n") + "\n");
