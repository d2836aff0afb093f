// Preparing the gateway exactly as the Nix package builds it (nix/package.nix), for the T0 tests.
//
// prepareGateway() installs Node from npm (`npm pack node-linux-<arch>@<major>`) into <cache>/node<major>/,
// then the gateway from the COMMITTED lock (nix/gateway/ or nix/openclaw/: package.json + package-lock.json)
// with the flags of its build.json (the same file package.nix reads), runs the same prune script
// (nix/prune.mjs), writes the same wrapper environment, ships the same share/ files and builds the same
// build-time cache, into <cache>/gateway/<hash of those inputs>/ — the layout of $out. Idempotent (a
// `.complete` marker), rebuilt when an input changes, guarded by a lock so that two vitest workers calling it
// at once build it only once. Every long step runs asynchronously (tests/support/process.ts).
import { createHash } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { arch, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { GATEWAY_KINDS, type GatewayKind, type GatewayName } from "../gateway-kinds.js";
import { runChecked } from "../process.js";


export const REPO = new URL("../../../", import.meta.url).pathname.replace(/\/$/, "");
/**
 * Where prepared trees and test runs live: `CLAWDBOT_TEST_CACHE`, else, as root, /var/cache/clawdbot-nix-tests,
 * else the repo's ignored `.cache/`. A prepared tree names its own absolute paths (as a Nix wrapper names its
 * $out, and the jiti cache is keyed by them); the container tests bind it at that path inside the hardened
 * NixOS unit (whose PrivateTmp and ProtectHome hide /tmp, /home, /root …), and some tests run it as another
 * user (uid 1000), who cannot enter a checkout under a 0700 folder such as /root. So as root nothing the tests
 * run lives under the checkout; the folders are made world-traversable (0755), the run folders' contents
 * private per test.
 */
export const CACHE = testCacheDir();

function testCacheDir(): string {
  if (process.env.CLAWDBOT_TEST_CACHE) return process.env.CLAWDBOT_TEST_CACHE;
  if (process.getuid?.() !== 0) return join(REPO, ".cache");
  const dir = "/var/cache/clawdbot-nix-tests";
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  chmodSync(dir, 0o755);
  return dir;
}

export interface BuildSpec {
  npmInstallFlags: string[];
  npmRebuildFlags: string[];
  projectDir: string;
  entry: string;
  preload: string;
  /** Clawdbot: the build-time jiti cache. */
  jitiSeedDir?: string;
  /** OpenClaw: the build-time cache (Node's compile cache) and the script that makes it. */
  seedDir?: string;
  cacheBuilder?: string;
  /** OpenClaw: the file whose absence says the npm lifecycle completed. */
  lifecycleMarker?: string;
  env: { set: Record<string, string>; setDefault: Record<string, string> };
  shareFiles: Record<string, string>;
  /** OpenClaw: what nix/prune.mjs removes besides its generic rules (`--spec` of this file), group by group. */
  prune?: { groups: Record<string, { why: string; paths: string[]; except?: string[]; platforms?: string[] }> };
}

/** A gateway's nix/<dir>/build.json (Clawdbot's by default). */
export const buildSpec = (name: GatewayName = "clawdbot"): BuildSpec =>
  JSON.parse(readFileSync(join(REPO, GATEWAY_KINDS[name].dir, "build.json"), "utf8")) as BuildSpec;

/** Where a spec keeps its build-time cache, and which script of the repository makes it. */
const seedDirOf = (spec: BuildSpec): string => spec.seedDir ?? spec.jitiSeedDir!;
const cacheBuilderOf = (spec: BuildSpec): string => spec.cacheBuilder ?? "nix/build-jiti-cache.mjs";

export interface PreparedGateway {
  /** Which gateway ("clawdbot" unless prepareGateway was given another). */
  kind: GatewayKind;
  /** The Node binary it runs on (22 for Clawdbot, 24 for OpenClaw). */
  node: string;
  /** The pruned package tree, laid out like the Nix package's $out. */
  root: string;
  /** The wrapper: bin/clawdbot, or bin/openclaw for OpenClaw (the name is kept for the Clawdbot tests). */
  clawdbot: string;
  /** The wrapper, whatever the gateway. */
  bin: string;
  /** The entry script inside root (dist/entry.js, openclaw.mjs). */
  entry: string;
  /** The build-time cache: share/clawdbot/jiti-cache, share/openclaw/compile-cache. */
  jitiSeed: string;
}

/** Files whose content decides the prepared tree (change one and it is rebuilt). */
const INPUTS = [
  "nix/gateway/package.json",
  "nix/gateway/package-lock.json",
  "nix/gateway/build.json",
  "nix/prune.mjs",
  "nix/jiti-seed.mjs",
  "nix/build-jiti-cache.mjs",
  "nix/health-probe.mjs",
];

/** Bump when prepareGatewayUncached() changes what it builds (this file is not hashed: helpers change often). */
const PREPARATION_VERSION = "2";

function inputsKey(kind: GatewayKind): string {
  // Clawdbot's key is computed exactly as before OpenClaw existed (its prepared trees stay valid).
  const h = createHash("sha256").update(PREPARATION_VERSION).update("\0");
  if (kind.name !== "clawdbot") h.update(kind.name).update("\0");
  for (const f of kind.name === "clawdbot" ? INPUTS : kind.inputs) h.update(f).update("\0").update(readFileSync(join(REPO, f))).update("\0");
  return h.digest("hex").slice(0, 16);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A cross-process lock: mkdir is atomic; the holder's pid makes a crashed holder's lock reclaimable. */
export async function withDirLock<T>(lockDir: string, timeoutMs: number, fn: () => Promise<T> | T): Promise<T> {
  mkdirSync(dirname(lockDir), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, "pid"), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      let holder = NaN;
      try {
        holder = Number(readFileSync(join(lockDir, "pid"), "utf8"));
      } catch {
        /* being created or removed */
      }
      const age = (() => {
        try {
          return Date.now() - statSync(lockDir).mtimeMs;
        } catch {
          return 0;
        }
      })();
      if ((Number.isFinite(holder) && !pidAlive(holder)) || (!Number.isFinite(holder) && age > 30_000)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockDir} (held by pid ${holder})`);
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/** Node 22 from npm into .cache/node22 (the same binary the container tests use). */
export function prepareNode22(): Promise<string> {
  return prepareNode(22);
}

/** Node <major> from npm (`node-linux-<arch>@<major>`) into <CACHE>/node<major>. */
export async function prepareNode(major: number): Promise<string> {
  const dir = join(CACHE, `node${major}`);
  const node = join(dir, "package/bin/node");
  if (existsSync(join(dir, ".complete"))) return node;
  return withDirLock(join(CACHE, `node${major}.lock`), 600_000, async () => {
    if (existsSync(join(dir, ".complete"))) return node;
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const pkg = `node-linux-${arch() === "arm64" ? "arm64" : "x64"}@${major}`;
    // npm pack (not install): a bare install in a folder without package.json would walk up to the repo's.
    const tgz = (await runChecked("npm", ["pack", pkg, "--silent", "--pack-destination", dir], { cwd: dir, timeoutMs: 600_000 }))
      .trim()
      .split("\n")
      .pop()!;
    await runChecked("tar", ["-xzf", join(dir, tgz), "-C", dir], { timeoutMs: 120_000 });
    rmSync(join(dir, tgz));
    const version = (await runChecked(node, ["--version"], { timeoutMs: 30_000 })).trim();
    if (!version.startsWith(`v${major}.`)) throw new Error(`${pkg} gave ${version}`);
    writeFileSync(join(dir, ".complete"), version + "\n");
    return node;
  });
}

const shQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** The wrapper script: the environment of build.json, like makeWrapper's --set / --set-default. */
export function wrapperScript(spec: BuildSpec, node: string, root: string, pathPrefix: string[] = [], specFile = "nix/gateway/build.json"): string {
  const lines = ["#!/bin/sh", `# Generated by tests/support/gateway.ts from ${specFile} (the Nix wrapper reads the same file).`];
  for (const [k, v] of Object.entries(spec.env.set)) lines.push(`export ${k}=${shQuote(v)}`);
  for (const [k, v] of Object.entries(spec.env.setDefault)) lines.push(`export ${k}=\${${k}-${shQuote(v)}}`);
  if (pathPrefix.length > 0) lines.push(`export PATH=${shQuote(pathPrefix.join(":"))}\${PATH:+':'}$PATH`);
  lines.push(
    `exec ${shQuote(node)} --import ${shQuote(join(root, spec.preload))} ${shQuote(join(root, spec.entry))} "$@"`,
  );
  return lines.join("\n") + "\n";
}

const prepared = new Map<GatewayName, Promise<PreparedGateway>>();

/**
 * Prepare (once per process; once per input hash on disk) a gateway tree: Clawdbot's under <CACHE>/gateway/
 * (no argument: exactly as before OpenClaw was added), OpenClaw's under <CACHE>/openclaw/.
 */
export function prepareGateway(name: GatewayName = "clawdbot"): Promise<PreparedGateway> {
  let promise = prepared.get(name);
  if (!promise) {
    promise = prepareGatewayUncached(GATEWAY_KINDS[name]).catch((err: unknown) => {
      prepared.delete(name);
      throw err;
    });
    prepared.set(name, promise);
  }
  return promise;
}

async function prepareGatewayUncached(kind: GatewayKind): Promise<PreparedGateway> {
  const node = await prepareNode(kind.nodeMajor);
  const spec = buildSpec(kind.name);
  const key = inputsKey(kind);
  const base = join(CACHE, kind.cacheFolder);
  const root = join(base, key);
  const bin = join(root, "bin", kind.bin);
  const result: PreparedGateway = {
    kind,
    node,
    root,
    clawdbot: bin,
    bin,
    entry: join(root, spec.entry),
    jitiSeed: join(root, seedDirOf(spec)),
  };
  if (existsSync(join(root, ".complete"))) return result;
  return withDirLock(join(base, ".lock"), 20 * 60_000, async () => {
    if (existsSync(join(root, ".complete"))) return result;
    const started = Date.now();
    // Trees of other input hashes go once nobody can still be using them (~350 MB each; another test
    // process may be running on one made an hour ago from another checkout state).
    for (const name of existsSync(base) ? readdirSync(base) : []) {
      if (name.startsWith(".") || name === key) continue;
      const st = statSync(join(base, name), { throwIfNoEntry: false });
      if (st && Date.now() - st.mtimeMs > 60 * 60_000) rmSync(join(base, name), { recursive: true, force: true });
    }
    rmSync(root, { recursive: true, force: true }); // a run that died half-way
    const project = join(root, spec.projectDir);
    mkdirSync(project, { recursive: true });
    for (const f of ["package.json", "package-lock.json"]) copyFileSync(join(REPO, kind.dir, f), join(project, f));
    const env = {
      ...process.env,
      // The gateway's Node first on PATH (npm runs under it, engines are met), the machine's npm does the work.
      PATH: `${dirname(node)}:${process.env.PATH ?? "/usr/bin:/bin"}`,
      npm_config_update_notifier: "false",
      // An npm install under Node 22 once stalled for minutes in epoll with io_uring active while other heavy
      // tests ran; libuv's thread pool path is as fast here and never did.
      UV_USE_IO_URING: "0",
    };
    // nixpkgs' importNpmLock hook runs `npm install` on its rewritten lock then `npm rebuild`; `npm ci` is the
    // same installation from an unchanged lock, and fails instead of rewriting it if the lock is stale.
    await runChecked("npm", ["ci", ...spec.npmInstallFlags], { cwd: project, env, timeoutMs: 15 * 60_000 });
    await runChecked("npm", ["rebuild", ...spec.npmRebuildFlags], { cwd: project, env, timeoutMs: 5 * 60_000 });
    if (spec.lifecycleMarker && existsSync(join(root, spec.lifecycleMarker))) {
      throw new Error(`${spec.lifecycleMarker} is still there after npm rebuild: the package lifecycle is incomplete`);
    }
    // As nix/package.nix runs it: the spec's prune groups when build.json has them (none kept).
    const pruneSpec = spec.prune ? ["--spec", join(REPO, kind.dir, "build.json")] : [];
    const pruned = await runChecked(node, [join(REPO, "nix/prune.mjs"), join(project, "node_modules"), ...pruneSpec], { cwd: project, env, timeoutMs: 5 * 60_000 });
    // Its report (bytes and unmatched patterns per group), for the tests and the benchmark.
    if (spec.prune) writeFileSync(join(root, ".prune.json"), pruned);
    const share = join(root, "share", kind.share);
    mkdirSync(share, { recursive: true });
    for (const [name, source] of Object.entries(spec.shareFiles)) {
      // The schema and options reference are the lead's generated files; ship them when they exist.
      if (existsSync(join(REPO, source))) copyFileSync(join(REPO, source), join(share, name));
    }
    mkdirSync(join(root, "bin"), { recursive: true });
    writeFileSync(bin, wrapperScript(spec, node, root, [], `${kind.dir}/build.json`));
    chmodSync(bin, 0o755);
    // Last, on the final tree (jiti and Node key their caches by absolute path): the build-time cache.
    const buildTmp = mkdtempSync(join(tmpdir(), `${kind.name}-prep-`));
    try {
      await runChecked(node, [join(REPO, cacheBuilderOf(spec)), root, result.jitiSeed], {
        cwd: root,
        env: { ...env, CLAWDBOT_BUILD_TMP: buildTmp, OPENCLAW_BUILD_TMP: buildTmp },
        timeoutMs: 15 * 60_000,
      });
    } finally {
      rmSync(buildTmp, { recursive: true, force: true });
    }
    writeFileSync(join(root, ".complete"), JSON.stringify({ key, seconds: (Date.now() - started) / 1000 }) + "\n");
    return result;
  });
}

export interface PreparedPlugins {
  /** The installed tree, laid out like nix/openclaw/plugins.nix's $out (lib/openclaw-plugins/node_modules). */
  root: string;
  /** Plugin ids (the `@openclaw/<id>` packages of nix/openclaw/plugins/package.json). */
  ids: string[];
  /** A plugin's folder: what `plugins.load.paths` names. */
  path(id: string): string;
  /** The tree as upstream's managed npm root (lib/openclaw-plugins): what the module links at <stateDir>/npm. */
  npmRoot: string;
  /** The gateway package every plugin's node_modules/openclaw links to (upstream's peer link). */
  gatewayPackage: string;
}

const PLUGIN_INPUTS = ["nix/openclaw/plugins/package.json", "nix/openclaw/plugins/package-lock.json", "nix/prune.mjs"];
let preparedPlugins: Promise<PreparedPlugins> | undefined;

/**
 * OpenClaw's separately published channel plugins, as nix/openclaw/plugins.nix builds them: `npm install`
 * from the committed lock (what nixpkgs' npm config hook runs; `npm ci` rejects these bundled-dependency
 * packages' locks), the lock left unchanged (checked), no install script, pruned by nix/prune.mjs, each
 * plugin's node_modules/openclaw linked to the prepared OpenClaw gateway's package (upstream's peer link,
 * see plugins.nix gatewayPackageRoot), then made read-only like the store. Under
 * <CACHE>/openclaw-plugins/<hash of the inputs and the gateway's path>/.
 */
export function prepareOpenclawPlugins(): Promise<PreparedPlugins> {
  preparedPlugins ??= prepareOpenclawPluginsUncached().catch((err: unknown) => {
    preparedPlugins = undefined;
    throw err;
  });
  return preparedPlugins;
}

async function prepareOpenclawPluginsUncached(): Promise<PreparedPlugins> {
  const [node, gateway] = await Promise.all([prepareNode(GATEWAY_KINDS.openclaw.nodeMajor), prepareGateway("openclaw")]);
  const spec = buildSpec("openclaw");
  const gatewayPackage = join(gateway.root, spec.projectDir, "node_modules/openclaw");
  const manifest = JSON.parse(readFileSync(join(REPO, PLUGIN_INPUTS[0]!), "utf8")) as { dependencies: Record<string, string> };
  const ids = Object.keys(manifest.dependencies).map((name) => name.replace(/^@openclaw\//, ""));
  const h = createHash("sha256").update("openclaw-plugins 2\0").update(gatewayPackage).update("\0");
  for (const f of PLUGIN_INPUTS) h.update(f).update("\0").update(readFileSync(join(REPO, f))).update("\0");
  const key = h.digest("hex").slice(0, 16);
  const base = join(CACHE, "openclaw-plugins");
  const root = join(base, key);
  const project = join(root, "lib/openclaw-plugins");
  const result: PreparedPlugins = { root, ids, path: (id) => join(project, "node_modules/@openclaw", id), npmRoot: project, gatewayPackage };
  if (existsSync(join(root, ".complete"))) return result;
  return withDirLock(join(base, ".lock"), 20 * 60_000, async () => {
    if (existsSync(join(root, ".complete"))) return result;
    if (existsSync(root)) await runChecked("chmod", ["-R", "u+w", root], { timeoutMs: 120_000 });
    rmSync(root, { recursive: true, force: true });
    mkdirSync(project, { recursive: true });
    for (const f of ["package.json", "package-lock.json"]) copyFileSync(join(REPO, "nix/openclaw/plugins", f), join(project, f));
    const env = { ...process.env, PATH: `${dirname(node)}:${process.env.PATH ?? "/usr/bin:/bin"}`, npm_config_update_notifier: "false", UV_USE_IO_URING: "0" };
    await runChecked("npm", ["install", "--ignore-scripts", "--no-audit", "--no-fund", "--omit-lockfile-registry-resolved=false"], { cwd: project, env, timeoutMs: 15 * 60_000 });
    if (!readFileSync(join(project, "package-lock.json")).equals(readFileSync(join(REPO, "nix/openclaw/plugins/package-lock.json")))) {
      throw new Error("npm install changed nix/openclaw/plugins/package-lock.json: the committed lock is stale (npm run sync-upstream -- openclaw <version>)");
    }
    await runChecked(node, [join(REPO, "nix/prune.mjs"), join(project, "node_modules")], { cwd: project, env, timeoutMs: 5 * 60_000 });
    for (const name of Object.keys(manifest.dependencies)) {
      mkdirSync(join(project, "node_modules", name, "node_modules"), { recursive: true });
      symlinkSync(gatewayPackage, join(project, "node_modules", name, "node_modules/openclaw"));
    }
    await runChecked("chmod", ["-R", "a-w", join(project, "node_modules")], { timeoutMs: 120_000 });
    writeFileSync(join(root, ".complete"), JSON.stringify({ key, ids }) + "\n");
    return result;
  });
}

