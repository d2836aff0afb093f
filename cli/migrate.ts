// From Clawdbot to OpenClaw (issue 21.3): a Clawdbot config converted by OpenClaw's own legacy-config migration
// (`migrateLegacyConfig`, what `openclaw doctor --fix` applies: LEGACY_CONFIG_MIGRATIONS, channel compatibility,
// binding repair), called in process inside the pinned OpenClaw package on a copy: offline, non-interactive,
// bounded in time, nothing written. What it cannot move is named, with OpenClaw's message and the fix.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { displayPath, serviceOptionFor } from "./validate.js";
import type { JsonObject } from "./read-config.js";
import { TARGETS } from "./targets.js";
import { runAsync, type UpstreamIssue, type UpstreamValidator } from "./upstream-validator.js";

const MARK = "@@clawdbot-nix-migrate@@";

/** Runs inside the OpenClaw package: stdin a JSON list of configs; each migrated by upstream's function, then validated. */
const SCRIPT = `
const { pathToFileURL } = await import("node:url");
const { readdirSync, readFileSync } = await import("node:fs");
const [root, module] = process.argv.slice(1);
const load = (p) => import(pathToFileURL(root + "/" + p).href);
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
let text = "";
for await (const chunk of process.stdin) text += chunk;
const results = [];
for (const config of JSON.parse(text)) {
  const migrated = migrateLegacyConfig(structuredClone(config), {});
  const next = migrated.sourceConfig ?? migrated.config ?? config;
  const verdict = validateConfigObjectWithPlugins(structuredClone(next));
  results.push({ config: next, changes: (migrated.changes ?? []).filter((c) => !/other validation issues remain/.test(c)), warnings: migrated.warnings ?? [], ok: verdict.ok, issues: verdict.ok ? [] : verdict.issues });
}
process.stdout.write("\\n${MARK}" + JSON.stringify(results) + "\\n");
`;

export interface Refusal extends UpstreamIssue {
  /** What to do about it, in words. */
  fix: string;
}

export interface Migration {
  /** The config as OpenClaw's migration left it. */
  config: JsonObject;
  /** Upstream's own words for what it moved. */
  changes: string[];
  warnings: string[];
  /** OpenClaw's validator accepts the result. */
  ok: boolean;
  /** What it refuses still, each with the fix. */
  refusals: Refusal[];
}

/** Keys retired before the migrations were written (docs/gateway/doctor/config-migrations.md): no migration exists. */
const RETIRED: Record<string, string> = {
  agent: "move its settings under agents.defaults (model → agents.defaults.model.primary, workspace → agents.defaults.workspace, …)",
  routing: "move group and queue settings under messages and channels.<id> (bindings for routing to agents)",
  identity: "move it to agents.entries.<id>.identity",
};

/** The fix for one refusal: a service option, a retired key's destination, or OpenClaw's own message. */
export function fixFor(issue: UpstreamIssue, config: JsonObject): string {
  const unknown = /^Unrecognized keys?: (.+)$/.exec(issue.message);
  const keys = unknown ? [...unknown[1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!) : [];
  const parent = issue.path === "" ? [] : issue.path.split(".");
  const fixes = keys.map((key) => {
    const option = serviceOptionFor([...parent, key], TARGETS.openclaw) ?? (parent.join(".") === "gateway" && key === "token" ? "services.openclaw.auth.tokenFile" : undefined);
    if (option) return `${displayPath([...parent, key])}: set the service option ${option} instead (a file holding the value)`;
    if (parent.length === 0 && RETIRED[key]) return `${key}: retired before OpenClaw's migrations, ${RETIRED[key]}`;
    return `${displayPath([...parent, key])}: OpenClaw ${TARGETS.openclaw.version} has no such setting and no migration for it: remove it (options-openclaw.md lists what replaced it)`;
  });
  if (fixes.length > 0) return fixes.join("; ");
  void config;
  return `change the value as OpenClaw says (${issue.message.split("\n")[0]})`;
}

/** Migrate Clawdbot configs for OpenClaw with OpenClaw's own code (one process for all; 180 s at most). */
export async function migrateToOpenclaw(validator: UpstreamValidator, configs: JsonObject[]): Promise<Migration[]> {
  const state = mkdtempSync(join(tmpdir(), "clawdbot-nix-migrate-"));
  try {
    const run = await runAsync(validator.node, ["--input-type=module", "-e", SCRIPT, validator.packageRoot, TARGETS.openclaw.validator.module], JSON.stringify(configs), {
      cwd: validator.packageRoot,
      env: { ...process.env, OPENCLAW_STATE_DIR: state, OPENCLAW_SKIP_CHANNELS: "1", OPENCLAW_DISABLE_BONJOUR: "1", NODE_OPTIONS: "" },
      timeoutMs: 180_000,
    });
    const line = run.stdout.split("\n").find((l) => l.startsWith(MARK));
    if (run.status !== 0 || !line) throw new Error(`OpenClaw's migration did not run: ${run.error?.message ?? `exit ${run.status}: ${run.stderr.trim().split("\n").slice(-3).join(" / ")}`}`);
    const results = JSON.parse(line.slice(MARK.length)) as (Omit<Migration, "refusals"> & { issues: UpstreamIssue[] })[];
    return results.map(({ issues, ...rest }) => ({ ...rest, refusals: issues.map((issue) => ({ ...issue, fix: fixFor(issue, rest.config) })) }));
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
}

/** `converted N/M, explained K`: configs OpenClaw accepts after migration, and those whose every refusal has a fix. */
export function conversionFigure(migrations: Migration[]): string {
  const converted = migrations.filter((m) => m.ok).length;
  const explained = migrations.filter((m) => !m.ok && m.refusals.every((r) => r.fix !== "")).length;
  return `converted ${converted}/${migrations.length}, explained ${explained}`;
}
