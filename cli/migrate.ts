// From Clawdbot to OpenClaw (issue 21.3): a Clawdbot config converted with upstream's own migration code, the
// way the config would have travelled had it been run by each release in turn:
//   1. Clawdbot's load-time migration (clawdbot 2026.1.24-3, dist/config/legacy.js applyLegacyMigrations: what
//      Clawdbot does to `agent.*`, `routing.*`, `identity`, top-level channels, `gateway.token`, `tools.bash`, … every
//      time it reads the file, "auto-migrated on load"), in the Clawdbot package with its Node; with Clawdbot's
//      verdict on the result (is the input a Clawdbot config at all?);
//   2. our own rules (cli/convert-rules.ts), only for keys neither migration moves, each with its reason;
//   3. OpenClaw's doctor migration (`migrateLegacyConfig`, what `openclaw doctor --fix` applies to the config:
//      LEGACY_CONFIG_MIGRATIONS, channel compatibility, binding repair), in the OpenClaw package with its Node,
//      then OpenClaw's validator (validateConfigObjectWithPlugins).
// Each runs as one child process for all configs, on copies, bounded in time, with HOME and the state directory in
// a temporary folder and the network refused inside the process (fetch and TCP connections throw). Nothing is
// written. `openclaw doctor --fix` itself is not run: it is interactive by design, takes minutes offline, and
// besides the migration it deletes every key it does not know (`agent` with the model in it, `gateway.token`) and
// writes host facts into the config (skills it found unusable here, wizard stamps). What OpenClaw still refuses is
// named key by key, with why and the fix (cli/convert-explain.ts).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JsonObject } from "./read-config.js";
import { TARGETS } from "./targets.js";
import { explainRefusals, formatRefusal, type Refusal } from "./convert-explain.js";
import { applyOwnRules } from "./convert-rules.js";
import { locateUpstream, runAsync, type UpstreamIssue, type UpstreamValidator } from "./upstream-validator.js";

export type { Refusal } from "./convert-explain.js";

const MARK = "@@clawdbot-nix-migrate@@";

/** Prepended to each script: no network from upstream's code (a migration has no business there). */
const OFFLINE = `
const net = await import("node:net");
const offline = () => { throw new Error("clawdbot-nix migrate runs offline: upstream's code tried to reach the network"); };
globalThis.fetch = async () => offline();
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = args[0];
  if (first && typeof first === "object" && !Array.isArray(first) && typeof first.path === "string") return connect.apply(this, args);
  if (typeof first === "string" && !/^\\d+$/.test(first)) return connect.apply(this, args);
  offline();
};
let text = "";
for await (const chunk of process.stdin) text += chunk;
const { pathToFileURL } = await import("node:url");
const [root, module] = process.argv.slice(1);
const load = (p) => import(pathToFileURL(root + "/" + p).href);
`;

/** Clawdbot's package: its load-time migration on each config, then its validator. */
const CLAWDBOT_SCRIPT = `${OFFLINE}
const { applyLegacyMigrations } = await load("dist/config/legacy.js");
const { validateConfigObjectWithPlugins } = await load(module);
const results = JSON.parse(text).map((config) => {
  const migrated = applyLegacyMigrations(structuredClone(config));
  const next = migrated.next ?? config;
  const verdict = validateConfigObjectWithPlugins(structuredClone(next));
  return { config: next, changes: migrated.changes ?? [], ok: verdict.ok, issues: verdict.ok ? [] : verdict.issues };
});
process.stdout.write("\\n${MARK}" + JSON.stringify(results) + "\\n");
`;

/** OpenClaw's package: its doctor's legacy-config migration (found by name in the bundled dist), then its validator. */
const OPENCLAW_SCRIPT = `${OFFLINE}
const { readdirSync, readFileSync } = await import("node:fs");
const find = async (name) => {
  for (const file of readdirSync(root + "/dist").filter((f) => f.endsWith(".mjs"))) {
    const source = readFileSync(root + "/dist/" + file, "utf8");
    if (!source.includes("function " + name + "(")) continue;
    const exported = new RegExp("export [{][^}]*[^A-Za-z0-9_$]" + name + " as ([A-Za-z_$][A-Za-z0-9_$]*)").exec(source);
    if (exported) return (await load("dist/" + file))[exported[1]];
  }
  throw new Error("upstream's " + name + " was not found in " + root + "/dist");
};
const migrateLegacyConfig = await find("migrateLegacyConfig");
const { validateConfigObjectWithPlugins } = await load(module);
const results = [];
for (const config of JSON.parse(text)) {
  const migrated = migrateLegacyConfig(structuredClone(config), {});
  const next = migrated.sourceConfig ?? migrated.config ?? config;
  const verdict = validateConfigObjectWithPlugins(structuredClone(next));
  results.push({ config: next, changes: (migrated.changes ?? []).filter((c) => !/other validation issues remain/.test(c)), warnings: migrated.warnings ?? [], ok: verdict.ok, issues: verdict.ok ? [] : verdict.issues });
}
process.stdout.write("\\n${MARK}" + JSON.stringify(results) + "\\n");
`;

export interface Migration {
  /** The config as the migrations left it. */
  config: JsonObject;
  /** What moved, in upstream's own words, each prefixed by who moved it (Clawdbot:, clawdbot-nix:, OpenClaw:). */
  changes: string[];
  warnings: string[];
  /** OpenClaw's validator accepts the result. */
  ok: boolean;
  /** What OpenClaw still refuses, key by key, each with why and the fix. */
  refusals: Refusal[];
  /** Clawdbot's verdict on the input after its own migration (undefined: Clawdbot's package was not there). */
  clawdbot?: { ok: boolean; issues: UpstreamIssue[] };
}

export interface MigrateOptions {
  /** Clawdbot's package for its load-time migration; default: found as `check` finds it; null: skip that step. */
  clawdbot?: UpstreamValidator | null;
  /** false: skip our own rules (the tests show upstream's code alone refuses what each rule is for). */
  ownRules?: boolean;
}

interface StageResult {
  config: JsonObject;
  changes: string[];
  warnings?: string[];
  ok: boolean;
  issues: UpstreamIssue[];
}

/** One upstream step over all configs in one bounded child process, offline, HOME and state in a temporary folder. */
async function runStage(validator: UpstreamValidator, script: string, module: string, configs: JsonObject[], what: string): Promise<StageResult[]> {
  const home = mkdtempSync(join(tmpdir(), "clawdbot-nix-migrate-"));
  try {
    const prefix = (validator.target ?? TARGETS.openclaw).gateway.envPrefix;
    const run = await runAsync(validator.node, ["--input-type=module", "-e", script, validator.packageRoot, module], JSON.stringify(configs), {
      cwd: validator.packageRoot,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: home,
        TMPDIR: home,
        [`${prefix}_HOME`]: home,
        [`${prefix}_STATE_DIR`]: join(home, "state"),
        [`${prefix}_CONFIG_PATH`]: join(home, "state", "none.json"),
        [`${prefix}_SKIP_CHANNELS`]: "1",
        [`${prefix}_DISABLE_BONJOUR`]: "1",
        NODE_OPTIONS: "",
      },
      timeoutMs: 180_000,
    });
    const line = run.stdout.split("\n").find((l) => l.startsWith(MARK));
    if (run.status !== 0 || !line) throw new Error(`${what} did not run: ${run.error?.message ?? `exit ${run.status}: ${run.stderr.trim().split("\n").slice(-3).join(" / ")}`}`);
    return JSON.parse(line.slice(MARK.length)) as StageResult[];
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** Convert Clawdbot configs for OpenClaw: Clawdbot's migration, our rules, OpenClaw's migration and validator. */
export async function migrateToOpenclaw(validator: UpstreamValidator, configs: JsonObject[], options: MigrateOptions = {}): Promise<Migration[]> {
  const clawdbot = options.clawdbot === undefined ? locateUpstream({ target: TARGETS.clawdbot }).validator : (options.clawdbot ?? undefined);
  const first = clawdbot
    ? await runStage(clawdbot, CLAWDBOT_SCRIPT, TARGETS.clawdbot.validator.module, configs, `Clawdbot's load-time migration (${clawdbot.packageRoot})`)
    : undefined;
  const changes: string[][] = configs.map((_, i) => (first?.[i]?.changes ?? []).map((c) => `Clawdbot: ${c}`));
  const inputs = configs.map((config, i) => {
    const next = structuredClone(first?.[i]?.config ?? config);
    if (options.ownRules !== false) changes[i]!.push(...applyOwnRules(next).map((c) => `clawdbot-nix: ${c}`));
    return next;
  });
  const second = await runStage(validator, OPENCLAW_SCRIPT, TARGETS.openclaw.validator.module, inputs, `OpenClaw's migration (${validator.packageRoot})`);
  return second.map((r, i) => ({
    config: r.config,
    changes: [...changes[i]!, ...r.changes.map((c) => `OpenClaw: ${c}`)],
    warnings: [...(r.warnings ?? []), ...dataWarnings(inputs[i]!, r.config)],
    ok: r.ok,
    refusals: explainRefusals(r.issues, r.config, first !== undefined, TARGETS.openclaw),
    ...(first ? { clawdbot: { ok: first[i]!.ok, issues: first[i]!.issues } } : {}),
  }));
}

/** Clawdbot's default cron job store (docs/automation/cron-jobs.md of the Clawdbot package). */
const DEFAULT_CRON_STORE = "~/.clawdbot/cron/jobs.json";

/**
 * What a removed key leaves behind outside the config. OpenClaw's migration retires cron.store ("tier-eval tranche
 * retirements") without a word about the jobs in it: OpenClaw keeps cron jobs in its state database and imports
 * <state directory>/cron/jobs.json once, at its first start (docs/migrating.md, measured). Jobs kept elsewhere would
 * be left behind silently.
 */
function dataWarnings(before: JsonObject, after: JsonObject): string[] {
  const cron = (c: JsonObject): unknown => (c.cron !== null && typeof c.cron === "object" && !Array.isArray(c.cron) ? (c.cron as JsonObject).store : undefined);
  const store = cron(before);
  if (typeof store !== "string" || cron(after) !== undefined || store === DEFAULT_CRON_STORE) return [];
  return [
    `cron.store (${store}) was removed by OpenClaw's migration: OpenClaw imports cron jobs only from <state directory>/cron/jobs.json, once, at its first start. Copy ${store} there before that start, or the jobs in it are not carried over.`,
  ];
}

/**
 * `converted N/M, explained K`: configs OpenClaw accepts after the conversion, and those it refuses with every
 * refusal explained (why and the fix). A config with a refusal we cannot explain counts in neither.
 */
export function conversionFigure(migrations: Migration[]): string {
  const converted = migrations.filter((m) => m.ok).length;
  const explained = migrations.filter((m) => !m.ok && m.refusals.length > 0 && m.refusals.every((r) => r.explained)).length;
  return `converted ${converted}/${migrations.length}, explained ${explained}`;
}

/** The report of one conversion: the verdict, what moved, what is refused (why, fix). */
export function formatMigration(file: string, m: Migration): string[] {
  const lines = [`${file}: ${m.ok ? `converted, valid for ${TARGETS.openclaw.displayName} ${TARGETS.openclaw.version}` : `${m.refusals.length} key${m.refusals.length === 1 ? "" : "s"} ${TARGETS.openclaw.displayName} still refuses`}`];
  if (m.clawdbot && !m.clawdbot.ok) {
    lines.push(`  note: not a valid Clawdbot ${TARGETS.clawdbot.version} config either (${m.clawdbot.issues.map((i) => `${i.path || "<root>"}: ${i.message.split("\n")[0]}`).join("; ")})`);
  }
  for (const change of m.changes) lines.push(`  moved: ${change}`);
  for (const warning of m.warnings) lines.push(`  warning: ${warning}`);
  for (const r of m.refusals) lines.push(formatRefusal(r));
  return lines;
}
