// `clawdbot-nix check <path>`: read a clawdbot.json or openclaw.json like the gateway does and give the gateway's
// own verdict, in friendlier words. The gateway (the target, cli/targets.ts) is --target's, or detected. Two layers:
//   1. the schema layer (cli/validate.ts): upstream's schema as JSON schema and its legacy keys, offline, with the
//      path, upstream's help text and the nearest valid key for typos;
//   2. upstream's own validator (cli/upstream-validator.ts), which also checks what the JSON schema cannot say
//      (cross-field rules, agent / plugin / channel ids). Its issues that the first layer already explained are
//      not repeated; the others are added, with a suggestion where one fits.
// When upstream's validator ran, the verdict is upstream's. When it could not run, the result says so and never
// claims "valid".
import { dirname } from "node:path";
import { startsWith, valueAt, type Segment } from "./json-path.js";
import { isPlainObject, type Json } from "./json.js";
import { readConfig, type ReadConfig, type ReadOptions } from "./read-config.js";
import { nearest } from "./suggest.js";
import { configFileIn, detectTarget, TARGETS, targetLine, type Target, type TargetChoice, type TargetName } from "./targets.js";
import { locateUpstream, runUpstream, UpstreamRunError, type UpstreamIssue, type UpstreamValidator, type UpstreamVerdict } from "./upstream-validator.js";
import { acceptsString, contentTarget, displayPath, formatProblem, helpAt, readsEnv, validateConfig, type Problem } from "./validate.js";

export interface CheckOptions {
  /** "auto" (default): find the pinned gateway (see upstream-validator.ts); "off": the schema layer only. */
  upstream?: "auto" | "off" | UpstreamValidator;
  /** A gateway package or tree for "auto" (the --gateway flag). */
  gateway?: string;
  /** The gateway the config is for (--target); detected from the file when absent (cli/targets.ts). */
  target?: TargetName;
  /** Lines for people while the gateway's own validator runs (seconds): the command writes them to stderr. */
  progress?: (line: string) => void;
}

/** What ran: the schema layer always; upstream's validator, or why not. */
export type UpstreamLayer = { ran: true; packageRoot: string } | { ran: false; reason: string };

export interface Verdict {
  problems: Problem[];
  /** No errors (warnings allowed). */
  ok: boolean;
  upstream: UpstreamLayer;
  /** The config as the gateway normalizes it on reading, when that changes it (upstream's verdict). */
  normalized?: UpstreamVerdict["normalized"];
}

export interface CheckResult extends Verdict {
  source: ReadConfig;
  /** The gateway checked for, and why. */
  choice: TargetChoice;
}

/**
 * Read a config for a gateway: the file a path or state directory names (for the target given, or any), then the
 * target (--target, else detected from the file). Throws ConfigReadError when it cannot be read.
 */
export function readForTarget(input: string, options: ReadOptions & { target?: TargetName } = {}): { source: ReadConfig; choice: TargetChoice } {
  const given = options.target !== undefined ? TARGETS[options.target] : undefined;
  const { file } = configFileIn(input, options.cwd ?? process.cwd(), given);
  const source = readConfig(file, options);
  return { source, choice: detectTarget(source.file, source.value, options.target, contentTarget) };
}

/** Upstream's dotted path as segments: a number where the value there is a list. */
export function upstreamPath(path: string, config: Json): Segment[] {
  if (path === "") return [];
  // A key may hold dots (a WhatsApp group "120363…@g.us"): at each level, the longest run of parts that is a key
  // of the value there is one segment.
  const parts = path.split(".");
  const segments: Segment[] = [];
  for (let i = 0; i < parts.length; ) {
    const parent = valueAt(config, segments);
    if (Array.isArray(parent) && /^\d+$/.test(parts[i]!)) {
      segments.push(Number(parts[i++]));
      continue;
    }
    let take = 1;
    if (isPlainObject(parent)) {
      for (let n = parts.length - i; n > 1; n--) {
        if (Object.hasOwn(parent, parts.slice(i, i + n).join("."))) {
          take = n;
          break;
        }
      }
    }
    segments.push(parts.slice(i, i + take).join("."));
    i += take;
  }
  return segments;
}

function upstreamProblem(issue: UpstreamIssue, config: Json, verdict: UpstreamVerdict, warning: boolean, target: Target): Problem {
  const path = upstreamPath(issue.path, config);
  const problem: Problem = { kind: "upstream", path, message: issue.message };
  if (warning) problem.warning = true;
  const channel = /^unknown channel id: (.+)$/.exec(issue.message);
  // OpenClaw adds "(stale config entry ignored; …)" after the id
  const plugin = /^plugin not found: (\S+)/.exec(issue.message);
  const heartbeat = /^unknown heartbeat target: (.+)$/.exec(issue.message);
  const suggestion = channel
    ? nearest(channel[1]!, verdict.channelIds)
    : plugin
      ? nearest(plugin[1]!, verdict.pluginIds)
      : heartbeat
        ? nearest(heartbeat[1]!, ["last", "none", ...verdict.channelIds.filter((c) => c !== "defaults")])
        : undefined;
  if (channel && suggestion) {
    problem.suggestion = displayPath(["channels", suggestion]);
    problem.message += ` — did you mean ${problem.suggestion}?`;
  } else if ((plugin || heartbeat) && suggestion) {
    problem.suggestion = JSON.stringify(suggestion);
    problem.message += ` — did you mean ${problem.suggestion}?`;
  } else if (channel) {
    problem.message += ` (known: ${[...new Set(verdict.channelIds)].filter((c) => c !== "defaults").sort().join(", ")})`;
  }
  problem.message = nixInstallAdvice(problem.message, target);
  const help = helpAt(path, target);
  if (help) problem.help = help;
  return problem;
}

/**
 * Upstream's "install … with: openclaw plugins install <spec>" as a Nix user does it: the module's `plugins`
 * option (`plugins = [ "discord" ]`), which packages the plugin; a plugin this flake does not package is said so.
 */
export function nixInstallAdvice(message: string, target: Target): string {
  const install = new RegExp(`(?:[,;—-]\\s*)?(?:install (?:the official external plugin )?with:\\s*)?\`?${target.gateway.packageName} plugins install ([^\\s\`]+)\`?`).exec(message);
  if (!install) return message;
  const spec = install[1]!;
  const named = /^plugin not installed: (\S+)/.exec(message)?.[1];
  const external = Object.entries(target.facts.externalPlugins ?? {});
  const id =
    named ??
    external.find(([, p]) => spec === p.package || spec.startsWith(`${p.package}@`))?.[0] ??
    external.find(([pluginId]) => spec === pluginId)?.[0];
  const advice =
    id !== undefined && target.service.plugins.includes(id)
      ? `— under Nix: ${target.gateway.module}.plugins = [ ${JSON.stringify(id)} ]; (the module packages it; no \`plugins install\`)`
      : `— under Nix \`${target.gateway.packageName} plugins install\` cannot write to the package: this flake does not package ${id ?? spec}, so it cannot be used here`;
  return `${message.slice(0, install.index).trimEnd()} ${advice}${message.slice(install.index + install[0].length)}`;
}

/** Both layers on a config already read, for the target named in the options. */
export async function checkValue(source: ReadConfig, options: CheckOptions & { target: TargetName }): Promise<Verdict> {
  const target = TARGETS[options.target];
  const config = source.value;
  const schema = validateConfig(config, target);
  let validator: UpstreamValidator | undefined;
  let upstream: UpstreamLayer;
  if (options.upstream === "off") upstream = { ran: false, reason: "not asked for (--schema-only)" };
  else if (typeof options.upstream === "object") {
    validator = options.upstream;
    if (validator.target.name !== target.name) throw new Error(`the validator given is ${validator.target.name}'s, the check is for ${target.name}`);
    upstream = { ran: true, packageRoot: validator.packageRoot };
  } else {
    const located = locateUpstream({ target, ...(options.gateway !== undefined ? { gateway: options.gateway } : {}) });
    if (located.validator) upstream = { ran: true, packageRoot: (validator = located.validator).packageRoot };
    else upstream = { ran: false, reason: located.missing };
  }
  if (!validator) return { problems: schema, ok: schema.every((p) => p.warning), upstream };

  let verdict: UpstreamVerdict;
  const started = Date.now();
  const progress = options.progress;
  progress?.(`checking with ${target.displayName} ${target.version}'s own validator (takes a few seconds)…`);
  const ticker = progress ? setInterval(() => progress(`… still checking (${Math.round((Date.now() - started) / 1000)} s)`), 5_000) : undefined;
  try {
    verdict = await runUpstream(validator, config, dirname(source.file));
  } catch (error) {
    if (!(error instanceof UpstreamRunError)) throw error;
    return { problems: schema, ok: schema.every((p) => p.warning), upstream: { ran: false, reason: error.message } };
  } finally {
    if (ticker) clearInterval(ticker);
  }
  progress?.(`${target.displayName}'s validator done (${((Date.now() - started) / 1000).toFixed(1)} s)`);

  const problems = [...schema];
  // An issue is explained already when the schema layer names the same place or a key below it (zod names an
  // unknown key at its parent object).
  const explained = (path: Segment[]): boolean => schema.some((p) => startsWith(p.path, path) || (path.length > 0 && startsWith(path, p.path) && p.kind === "legacy"));
  // A `${VAR}` value where a string may fit is judged when the gateway substitutes it (a warning, like the schema
  // layer says); anything else upstream refuses is an error.
  const mayFitLater = (path: Segment[]): boolean => readsEnv(config, path) && acceptsString(path, target);
  for (const issue of verdict.issues) {
    const path = upstreamPath(issue.path, config);
    if (explained(path)) continue;
    problems.push(upstreamProblem(issue, config, verdict, mayFitLater(path), target));
  }
  for (const warning of verdict.warnings) problems.push(upstreamProblem(warning, config, verdict, true, target));
  // Upstream decides: what only the schema layer refuses (upstream accepts it) is reported, not fatal.
  const upstreamRefuses = verdict.issues.some((issue) => !mayFitLater(upstreamPath(issue.path, config)));
  if (!upstreamRefuses) {
    for (const problem of problems) {
      if (problem.warning) continue;
      problem.warning = true;
      problem.schemaOnly = true;
      problem.message += " (the gateway's own validator accepts it: reported by the schema layer only)";
    }
  }
  return { problems, ok: problems.every((p) => p.warning), upstream, ...(verdict.normalized ? { normalized: verdict.normalized } : {}) };
}

/** Read, choose the target, then both layers. Throws ConfigReadError when the file cannot be read at all. */
export async function runCheck(input: string, options: CheckOptions & ReadOptions = {}): Promise<CheckResult> {
  const { source, choice } = readForTarget(input, options);
  return { source, choice, ...(await checkValue(source, { ...options, target: choice.target.name })) };
}

/** The first line of a verdict: never "valid" unless upstream's validator agreed. */
export function verdictLine(result: CheckResult): string {
  const errors = result.problems.filter((p) => !p.warning).length;
  const warnings = result.problems.length - errors;
  const files = result.source.files.length > 1 ? ` (+ ${result.source.files.length - 1} included)` : "";
  const warned = warnings > 0 ? ` (${warnings} warning${warnings === 1 ? "" : "s"})` : "";
  const head = `${result.source.file}${files}`;
  const { name, version } = result.choice.target;
  if (result.upstream.ran) {
    return result.ok
      ? `${head}: valid for ${name} ${version}${warned}`
      : `${head}: ${errors} problem${errors === 1 ? "" : "s"} (${name} ${version}: schema and the gateway's own validator)`;
  }
  return result.ok
    ? `${head}: no problem found by the schema layer${warned}; not a full check: the gateway's own validator did not run (${result.upstream.reason})`
    : `${head}: ${errors} problem${errors === 1 ? "" : "s"} (${name} ${version} schema layer only: the gateway's own validator did not run (${result.upstream.reason}))`;
}

/** The verdict line, the target line, then warnings and problems. */
export function formatCheck(result: CheckResult): string {
  return [verdictLine(result), targetLine(result.choice), ...result.source.warnings.map((w) => `warning: ${w}`), ...result.problems.map(formatProblem)].join("\n");
}
