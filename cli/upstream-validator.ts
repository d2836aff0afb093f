// The gateway's own verdict: upstream's validateConfigObjectWithPlugins (dist/config/validation.js of the pinned
// clawdbot package: its zod schema, cross-field refinements, agent/plugin/channel ids, legacy keys), run by a
// Node >= 22 in a child process (the gateway needs Node 22; this command may run on another Node).
//
// Where the gateway comes from, first match wins:
//   1. `--gateway DIR` or CLAWDBOT_NIX_GATEWAY=DIR: the clawdbot package root (holding dist/config/validation.js),
//      or a tree that holds it at lib/clawdbot/node_modules/clawdbot (the Nix package's $out, a prepared tree);
//   2. in a checkout of this repository: the prepared gateway tree of the tests (.cache/gateway/<key>/, see
//      tests/support/gateway.ts), the newest complete one.
// The Node that runs it: CLAWDBOT_NIX_NODE, else this process's own Node when it is >= 22, else the checkout's
// .cache/node22. The package found must be the pinned version (meta.json), or it is not used.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { JsonObject } from "./read-config.js";
import { UPSTREAM_VERSION } from "./validate.js";

export interface UpstreamValidator {
  /** A Node >= 22 binary. */
  node: string;
  /** The clawdbot package root (…/node_modules/clawdbot). */
  packageRoot: string;
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
}

export class UpstreamRunError extends Error {
  override name = "UpstreamRunError";
}

const VALIDATION = "dist/config/validation.js";

/** The package root inside DIR, if any. */
export function packageRootIn(dir: string): string | undefined {
  for (const candidate of [dir, join(dir, "lib/clawdbot/node_modules/clawdbot"), join(dir, "node_modules/clawdbot")]) {
    if (existsSync(join(candidate, VALIDATION))) return resolve(candidate);
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

function preparedTree(cache: string): string | undefined {
  const base = join(cache, "gateway");
  if (!existsSync(base)) return undefined;
  const complete = readdirSync(base)
    .filter((name) => !name.startsWith("."))
    .map((name) => join(base, name))
    .filter((dir) => existsSync(join(dir, ".complete")))
    .sort((a, b) => statSync(join(b, ".complete")).mtimeMs - statSync(join(a, ".complete")).mtimeMs);
  for (const dir of complete) {
    const root = packageRootIn(dir);
    if (root) return root;
  }
  return undefined;
}

const nodeMajor = (node: string): number | undefined => {
  const run = spawnSync(node, ["--version"], { encoding: "utf8", timeout: 30_000 });
  const match = /^v(\d+)\./.exec(run.stdout ?? "");
  return match ? Number(match[1]) : undefined;
};

/** Find the pinned gateway's validator and a Node to run it, or say why there is none. */
export function locateUpstream(options: { gateway?: string; env?: NodeJS.ProcessEnv } = {}): Located {
  const env = options.env ?? process.env;
  const root = checkout();
  let packageRoot: string | undefined;
  const given = options.gateway ?? env.CLAWDBOT_NIX_GATEWAY;
  if (given) {
    packageRoot = packageRootIn(resolve(given));
    if (!packageRoot) return { missing: `${given} holds no clawdbot package (no ${VALIDATION})` };
  } else if (root) {
    for (const cache of caches(root, env)) {
      packageRoot = preparedTree(cache);
      if (packageRoot) break;
    }
    if (!packageRoot) return { missing: "no gateway found: prepare it (any test of tests/cli/upstream-parity.test.ts does) or set CLAWDBOT_NIX_GATEWAY" };
  } else return { missing: "no gateway found: set CLAWDBOT_NIX_GATEWAY to the clawdbot package" };

  let version: string | undefined;
  try {
    version = (JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version?: string }).version;
  } catch {
    // reported below
  }
  if (version !== UPSTREAM_VERSION) return { missing: `${packageRoot} is clawdbot ${version ?? "of unknown version"}, this check is for ${UPSTREAM_VERSION}` };

  let node = env.CLAWDBOT_NIX_NODE;
  if (!node && Number(process.versions.node.split(".")[0]) >= 22) node = process.execPath;
  if (!node && root) {
    const cached = caches(root, env).map((c) => join(c, "node22/package/bin/node")).find((n) => existsSync(n));
    if (cached) node = cached;
  }
  if (!node) return { missing: `the gateway needs Node >= 22 and this is Node ${process.versions.node}: set CLAWDBOT_NIX_NODE` };
  const major = nodeMajor(node);
  if (major === undefined || major < 22) return { missing: `${node} is not a Node >= 22` };
  return { validator: { node, packageRoot } };
}

const MARK = "@@clawdbot-nix-upstream@@";

/** Runs inside the gateway's package with its Node: the verdict and the ids needed for suggestions, as JSON. */
const SCRIPT = `
const { pathToFileURL } = await import("node:url");
const root = process.argv[1];
const load = (p) => import(pathToFileURL(root + "/dist/" + p).href);
const { validateConfigObjectWithPlugins } = await load("config/validation.js");
const { CHANNEL_IDS } = await load("channels/registry.js");
const { loadPluginManifestRegistry } = await load("plugins/manifest-registry.js");
let text = "";
for await (const chunk of process.stdin) text += chunk;
const config = JSON.parse(text);
const result = validateConfigObjectWithPlugins(config);
let plugins = [];
try {
  plugins = loadPluginManifestRegistry({ config: result.ok ? result.config : {} }).plugins;
} catch {}
process.stdout.write("\\n${MARK}" + JSON.stringify({
  ok: result.ok,
  issues: result.ok ? [] : result.issues,
  warnings: result.warnings ?? [],
  channelIds: ["defaults", ...CHANNEL_IDS, ...plugins.flatMap((p) => p.channels ?? [])],
  pluginIds: plugins.map((p) => p.id),
}) + "\\n");
`;

const cache = new Map<string, UpstreamVerdict>();

/** Run a command with `input` on stdin (bounded in time); never blocks the event loop. */
function runAsync(command: string, args: string[], input: string, options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<{ status: number | null; stdout: string; stderr: string; error?: Error }> {
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
 * (CLAWDBOT_STATE_DIR/extensions). Rejects with UpstreamRunError when the validator cannot run.
 */
export async function runUpstream(validator: UpstreamValidator, config: JsonObject, stateDir: string): Promise<UpstreamVerdict> {
  const input = JSON.stringify(config);
  const key = [validator.node, validator.packageRoot, stateDir, input].join("\u0000");
  const cached = cache.get(key);
  if (cached) return structuredClone(cached);
  const run = await runAsync(validator.node, ["--input-type=module", "-e", SCRIPT, validator.packageRoot], input, {
    cwd: validator.packageRoot,
    env: { ...process.env, CLAWDBOT_STATE_DIR: stateDir, CLAWDBOT_SKIP_CHANNELS: "1", CLAWDBOT_DISABLE_BONJOUR: "1", NODE_OPTIONS: "" },
    timeoutMs: 180_000,
  });
  const line = run.stdout.split("\n").find((l) => l.startsWith(MARK));
  if (run.status !== 0 || !line) {
    const why = run.error ? run.error.message : `exit ${run.status}: ${run.stderr.trim().split("\n").slice(-3).join(" / ")}`;
    throw new UpstreamRunError(`the gateway's validator (${validator.packageRoot}) did not run: ${why}`);
  }
  const verdict = JSON.parse(line.slice(MARK.length)) as UpstreamVerdict;
  cache.set(key, verdict);
  return structuredClone(verdict);
}
