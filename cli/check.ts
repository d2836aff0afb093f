// `clawdbot-nix check <path>`: read a clawdbot.json like the gateway does and report every problem offline, with
// its path, upstream's help text and the nearest valid key for typos.
import { readConfig, type ReadConfig } from "./read-config.js";
import { formatProblem, UPSTREAM_VERSION, validateConfig, type Problem } from "./validate.js";

export interface CheckResult {
  source: ReadConfig;
  problems: Problem[];
  /** No errors (warnings allowed). */
  ok: boolean;
}

/** Throws ConfigReadError when the file cannot be read at all. */
export function runCheck(input: string): CheckResult {
  const source = readConfig(input);
  const problems = validateConfig(source.value);
  return { source, problems, ok: problems.every((p) => p.warning) };
}

export function formatCheck(result: CheckResult): string {
  const errors = result.problems.filter((p) => !p.warning).length;
  const warnings = result.problems.length - errors;
  const files = result.source.files.length > 1 ? ` (+ ${result.source.files.length - 1} included)` : "";
  const head = result.ok
    ? `${result.source.file}${files}: valid for clawdbot ${UPSTREAM_VERSION}${warnings > 0 ? ` (${warnings} warning${warnings === 1 ? "" : "s"})` : ""}`
    : `${result.source.file}${files}: ${errors} problem${errors === 1 ? "" : "s"} (clawdbot ${UPSTREAM_VERSION} schema)`;
  return [head, ...result.problems.map(formatProblem)].join("\n");
}
