// The gateway's own verdict: upstream's validateConfigObjectWithPlugins, run by the gateway's Node in a child
// process (this command may run on another Node). Clawdbot: dist/config/validation.js of the pinned clawdbot
// package (its zod schema, cross-field refinements, agent/plugin/channel ids, legacy keys), Node >= 22. OpenClaw:
// dist/config/config.js of the pinned openclaw package (the same checks, its plugin catalog), Node >= 24.
//
// Where the gateway comes from, first match wins (the names are the target's, cli/targets.ts):
//   1. `--gateway DIR`, or CLAWDBOT_NIX_GATEWAY=DIR (Clawdbot) / CLAWDBOT_NIX_OPENCLAW_GATEWAY=DIR (OpenClaw): the
//      package root (holding the validator module), or a tree that holds it at lib/<package>/node_modules/<package>
//      (the Nix package's $out, a prepared tree) or node_modules/<package>;
//   2. in a checkout of this repository: the prepared gateway trees of the tests (.cache/<folder>/<key>/, see
//      tests/support/gateway.ts), the newest complete one holding the package.
// The Node that runs it: CLAWDBOT_NIX_NODE (CLAWDBOT_NIX_OPENCLAW_NODE), else this process's own Node when the
// package's `engines` accept it, else the checkout's .cache/node<major>. The package found must be the pinned
// version, or it is not used.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { JsonObject } from "./read-config.js";
import { knownChannelIds, knownPluginIds, type Target } from "./targets.js";

export interface UpstreamValidator {
  /** A Node binary the gateway runs on (>= 22 for Clawdbot, >= 24 for OpenClaw). */
  node: string;
  /** The gateway's package root (…/node_modules/clawdbot, …/node_modules/openclaw). */
  packageRoot: string;
  /** Which gateway. */
  target: Target;
}

export type Located = { validator: UpstreamValidator; missing?: undefined } | { validator?: undefined; missing: string };

export interface UpstreamIssue {
  /** Upstream's dotted path ("agents.list.0.model", "" for the root). */
  path: string;
  message: string;
}

export interface UpstreamVerdict {
  ok: boolean;
  issues: UpstreamIssue[];
  warnings: UpstreamIssue[];
  /** Built-in channel ids and the channels of the plugins upstream found: what `channels.<id>` may be. */
  channelIds: string[];
  /** Ids of the plugins upstream found (bundled and installed). */
  pluginIds: string[];
  /**
   * The config as the gateway normalizes it when it reads it (OpenClaw: `agents.list` → keyed `agents.entries`,
   * retired context-budget keys), by upstream's own functions (the target's `validator.normalize`), when that
   * changed anything; with upstream's diagnostics ("Moved agents.list to keyed agents.entries.").
   */
  normalized?: { config: JsonObject; diagnostics: string[] };
}

export class UpstreamRunError extends Error {
  override name = "UpstreamRunError";
}

const packageName = (dir: string): string | undefined => {
  try {
    return (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string }).name;
  } catch {
    return undefined;
  }
};

/** The target's package root inside DIR, if any. */
export function packageRootIn(dir: string, target: Target): string | undefined {
  const name = target.gateway.packageName;
  for (const candidate of [dir, join(dir, `lib/${name}/node_modules/${name}`), join(dir, `node_modules/${name}`)]) {
    if (existsSync(join(candidate, target.validator.module)) && packageName(candidate) === name) return resolve(candidate);
  }
  return undefined;
}

/** The repository checkout this file is in (undefined inside the bundled command). */
function checkout(): string | undefined {
  try {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
    return existsSync(join(root, "flake.nix")) && existsSync(join(root, "cli", "clawdbot-nix.ts")) ? root : undefined;
  } catch {
    return undefined;
  }
}

/** The test caches a checkout may have prepared (tests/support/gateway.ts testCacheDir). */
function caches(root: string, env: NodeJS.ProcessEnv): string[] {
  return [env.CLAWDBOT_TEST_CACHE, join(root, ".cache"), "/var/cache/clawdbot-nix-tests"].filter((d): d is string => !!d && existsSync(d));
}

/** The newest complete prepared tree (<cache>/<folder>/<key>/.complete) holding the target's package. */
function preparedTree(cache: string, target: Target): string | undefined {
  const visible = (dir: string): string[] => {
    try {
      return readdirSync(dir).filter((name) => !name.startsWith("."));
    } catch {
      return [];
    }
  };
  const complete = visible(cache)
    .flatMap((folder) => visible(join(cache, folder)).map((name) => join(cache, folder, name)))
    .filter((dir) => existsSync(join(dir, ".complete")))
    .sort((a, b) => statSync(join(b, ".complete")).mtimeMs - statSync(join(a, ".complete")).mtimeMs);
  for (const dir of complete) {
    const root = packageRootIn(dir, target);
    if (root && packageVersion(root) === target.version) return root;
  }
  return undefined;
}

function packageJson(root: string): { version?: string; engines?: { node?: string } } {
  try {
    return JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version?: string; engines?: { node?: string } };
  } catch {
    return {};
  }
}

const packageVersion = (root: string): string | undefined => packageJson(root).version;

const nodeVersion = (node: string): string | undefined => {
  const run = spawnSync(node, ["--version"], { encoding: "utf8", timeout: 30_000 });
  const match = /^v(\d+\.\d+\.\d+)/.exec(run.stdout ?? "");
  return match ? match[1] : undefined;
};

const parts = (version: string): number[] => version.split(".").map((p) => Number.parseInt(p, 10) || 0);
const compare = (a: string, b: string): number => {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
};

/**
 * Does a Node version satisfy a package's `engines.node` (`>=22.12.0`, `>=24.16.0 <25 || >=26.1.0`: sets of
 * comparators joined by `||`)? No range: any version.
 */
export function satisfiesEngines(version: string, range: string | undefined): boolean {
  if (!range?.trim()) return true;
  return range.split("||").some((set) =>
    set
      .trim()
      .split(/\s+/)
      .filter((c) => c !== "")
      .every((comparator) => {
        const match = /^(>=|<=|>|<|=)?v?(\d+(?:\.\d+){0,2})/.exec(comparator);
        if (!match) return true;
        const c = compare(version, match[2]!);
        switch (match[1]) {
          case ">=":
            return c >= 0;
          case ">":
            return c > 0;
          case "<":
            return c < 0;
          case "<=":
            return c <= 0;
          default:
            return c === 0;
        }
      }),
  );
}

/** The oldest Node major a range admits (the lowest `>=` bound), for messages and the checkout's Node cache. */
export function minimumMajor(range: string | undefined): number {
  const bounds = [...(range ?? "").matchAll(/>=?\s*v?(\d+)/g)].map((m) => Number(m[1]));
  return bounds.length > 0 ? Math.min(...bounds) : 0;
}

/** Find the pinned gateway's validator and a Node to run it, or say why there is none. */
export function locateUpstream(options: { gateway?: string; env?: NodeJS.ProcessEnv; target: Target }): Located {
  const env = options.env ?? process.env;
  const { target } = options;
  const { packageName: name } = target.gateway;
  const { gatewayEnv, nodeEnv, module } = target.validator;
  const root = checkout();
  let packageRoot: string | undefined;
  const given = options.gateway ?? env[gatewayEnv];
  if (given) {
    packageRoot = packageRootIn(resolve(given), target);
    if (!packageRoot) return { missing: `${given} holds no ${name} package (no ${module})` };
  } else if (root) {
    for (const cache of caches(root, env)) {
      packageRoot = preparedTree(cache, target);
      if (packageRoot) break;
    }
    if (!packageRoot) {
      return { missing: `no ${name} ${target.version} gateway found: prepare it (the tests do: tests/support/gateway.ts prepareGateway(${JSON.stringify(target.name)})) or set ${gatewayEnv}` };
    }
  } else return { missing: `no gateway found: set ${gatewayEnv} to the ${name} package` };

  const pinned = packageVersion(packageRoot);
  if (pinned !== target.version) return { missing: `${packageRoot} is ${name} ${pinned ?? "of unknown version"}, this check is for ${target.version}` };

  // the Node the package itself asks for (its package.json engines)
  const engines = packageJson(packageRoot).engines?.node;
  const minimum = minimumMajor(engines);
  let node = env[nodeEnv];
  if (!node && satisfiesEngines(process.versions.node, engines)) node = process.execPath;
  if (!node && root) {
    const cached = caches(root, env).map((c) => join(c, `node${minimum}/package/bin/node`)).find((n) => existsSync(n));
    if (cached) node = cached;
  }
  if (!node) return { missing: `the ${name} gateway needs Node ${engines} and this is Node ${process.versions.node}: set ${nodeEnv}` };
  const version = nodeVersion(node);
  if (version === undefined || !satisfiesEngines(version, engines)) return { missing: `${node} is Node ${version ?? "of unknown version"}, the ${name} gateway needs Node ${engines}` };
  return { validator: { node, packageRoot, target } };
}

const MARK = "@@clawdbot-nix-upstream@@";

/**
 * Runs inside the gateway's package with its Node: the verdict, and (with `runtime` ids) the ids needed for
 * suggestions, as JSON. argv: the package root, the validator module, "runtime" or "facts", and the names of
 * the read-time normalizations (comma-separated, may be empty). Each is upstream's own function, found in the
 * bundled dist by its name: the chunk that defines it (`function <name>(`) and exports it (`<name> as x`).
 * They run in the order the gateway's config reader applies them, each returning { config, changes?,
 * diagnostics? }.
 */
const SCRIPT = `
const { pathToFileURL } = await import("node:url");
const { readdirSync, readFileSync } = await import("node:fs");
const [root, module, ids, normalizeNames] = process.argv.slice(1);
const load = (p) => import(pathToFileURL(root + "/" + p).href);
const { validateConfigObjectWithPlugins } = await load(module);
let text = "";
for await (const chunk of process.stdin) text += chunk;
const config = JSON.parse(text);
const result = validateConfigObjectWithPlugins(structuredClone(config));
let normalized;
const names = (normalizeNames || "").split(",").filter(Boolean);
if (names.length > 0) {
  const chunks = readdirSync(root + "/dist").filter((f) => f.endsWith(".mjs")).map((f) => "dist/" + f);
  const find = async (name) => {
    for (const file of chunks) {
      const source = readFileSync(root + "/" + file, "utf8");
      if (!source.includes("function " + name + "(")) continue;
      const exported = new RegExp("export [{][^}]*[^A-Za-z0-9_$]" + name + " as ([A-Za-z_$][A-Za-z0-9_$]*)").exec(source);
      if (exported) return (await load(file))[exported[1]];
    }
    throw new Error("upstream's " + name + " was not found in " + root + "/dist");
  };
  let current = structuredClone(config);
  const diagnostics = [];
  let changed = false;
  for (const name of names) {
    const step = (await find(name))(current, { env: process.env });
    if (step.changed) {
      changed = true;
      current = step.config;
      for (const d of [...(step.changes ?? []).map((c) => c.message), ...(step.diagnostics ?? [])]) diagnostics.push(d);
    }
    // What the gateway keeps only in memory (the legacy default agent whose markers it removed) it persists as
    // agents.ownership = "explicit" when it writes a multi-agent roster (io.write-topology, doctor): so here.
    const agents = current.agents;
    if (step.retainedLegacyDefaultAgentId !== undefined && agents && agents.ownership === undefined && Object.keys(agents.entries ?? {}).length > 1) {
      current = { ...current, agents: { ...agents, ownership: "explicit" } };
      diagnostics.push("Stamped the multi-agent roster for explicit per-surface ownership.");
    }
  }
  if (changed) normalized = { config: current, diagnostics };
}
let channelIds = [];
let pluginIds = [];
if (ids === "runtime") {
  const { CHANNEL_IDS } = await load("dist/channels/registry.js");
  const { loadPluginManifestRegistry } = await load("dist/plugins/manifest-registry.js");
  let plugins = [];
  try {
    plugins = loadPluginManifestRegistry({ config: result.ok ? result.config : {} }).plugins;
  } catch {}
  channelIds = ["defaults", ...CHANNEL_IDS, ...plugins.flatMap((p) => p.channels ?? [])];
  pluginIds = plugins.map((p) => p.id);
}
process.stdout.write("\\n${MARK}" + JSON.stringify({
  ok: result.ok,
  issues: result.ok ? [] : result.issues,
  warnings: result.warnings ?? [],
  channelIds,
  pluginIds,
  ...(normalized ? { normalized } : {}),
}) + "\\n");
`;

const cache = new Map<string, UpstreamVerdict>();

/** Run a command with `input` on stdin (bounded in time); never blocks the event loop. */
export function runAsync(command: string, args: string[], input: string, options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<{ status: number | null; stdout: string; stderr: string; error?: Error }> {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let failure: Error | undefined;
    const timer = setTimeout(() => {
      failure = new Error(`timed out after ${options.timeoutMs / 1000} s`);
      child.kill("SIGKILL");
    }, options.timeoutMs);
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
    child.stdin.on("error", () => {}); // a child that exits early closes its stdin: the exit status says why
    child.once("error", (error) => (failure = error));
    child.once("close", (status) => {
      clearTimeout(timer);
      resolvePromise({ status, stdout, stderr, ...(failure ? { error: failure } : {}) });
    });
    child.stdin.end(input);
  });
}

/**
 * Upstream's verdict on a config as written (`${VAR}` references unsubstituted: a reference is a string to it,
 * as it is to the schema layer). `stateDir` is where the gateway would look for installed plugins
 * (<PREFIX>_STATE_DIR/extensions). Rejects with UpstreamRunError when the validator cannot run.
 */
export async function runUpstream(validator: UpstreamValidator, config: JsonObject, stateDir: string): Promise<UpstreamVerdict> {
  const { target } = validator;
  const input = JSON.stringify(config);
  const key = [target.name, validator.node, validator.packageRoot, stateDir, input].join("\u0000");
  const cached = cache.get(key);
  if (cached) return structuredClone(cached);
  const prefix = target.gateway.envPrefix;
  const run = await runAsync(validator.node, ["--input-type=module", "-e", SCRIPT, validator.packageRoot, target.validator.module, target.validator.ids, (target.validator.normalize ?? []).join(",")], input, {
    cwd: validator.packageRoot,
    env: {
      ...process.env,
      [`${prefix}_STATE_DIR`]: stateDir,
      [`${prefix}_SKIP_CHANNELS`]: "1",
      [`${prefix}_DISABLE_BONJOUR`]: "1",
      NODE_OPTIONS: "",
    },
    timeoutMs: 180_000,
  });
  const line = run.stdout.split("\n").find((l) => l.startsWith(MARK));
  if (run.status !== 0 || !line) {
    const why = run.error ? run.error.message : `exit ${run.status}: ${run.stderr.trim().split("\n").slice(-3).join(" / ")}`;
    throw new UpstreamRunError(`the gateway's validator (${validator.packageRoot}) did not run: ${why}`);
  }
  const verdict = JSON.parse(line.slice(MARK.length)) as UpstreamVerdict;
  if (target.validator.ids === "facts") {
    verdict.channelIds = ["defaults", ...knownChannelIds(target)];
    verdict.pluginIds = knownPluginIds(target);
  }
  cache.set(key, verdict);
  return structuredClone(verdict);
}
