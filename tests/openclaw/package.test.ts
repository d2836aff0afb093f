// T0 smoke test of the OpenClaw gateway package: the real `openclaw` from npm, installed from the committed
// lock (nix/openclaw/) with Node 24 from npm, pruned by nix/prune.mjs, wrapped and given its build-time
// compile cache exactly as nix/package.nix does with `gateway = "openclaw"` (tests/support/gateway.ts,
// prepareGateway("openclaw")). Runs as an unprivileged user (uid 65534) when the tests run as root, so every
// start also proves that the tree needs no write access (the npm lifecycle is complete in it).
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildSpec,
  httpHealth,
  killAll,
  listFiles,
  prepareGateway,
  runClawdbot,
  startGateway,
  type PreparedGateway,
  type RunningGateway,
} from "../support/gateway.js";
import { runAsync } from "../support/process.js";

const NOBODY = process.getuid?.() === 0 ? 65534 : undefined;
const VERSION = JSON.parse(readFileSync(new URL("../../nix/openclaw/package.json", import.meta.url), "utf8")).dependencies.openclaw as string;

let gw: PreparedGateway;
const started: RunningGateway[] = [];

beforeAll(async () => {
  gw = await prepareGateway("openclaw");
}, 20 * 60_000);

afterAll(async () => {
  for (const g of started) {
    await g.stop(10_000).catch(() => undefined);
    g.cleanup();
  }
  killAll();
});

const newToken = () => `tok-${randomBytes(16).toString("hex")}`;

/** A config the gateway accepts, its file log inside the private dirs (never the hard-coded /tmp/openclaw). */
const minimal = (extra: Record<string, unknown> = {}) => (dirs: { base: string }) =>
  JSON.stringify({ gateway: { mode: "local" }, logging: { file: join(dirs.base, "openclaw-file.log") }, ...extra }, null, 2) + "\n";

describe("compile-cache-seed.mjs (the wrapper's preload) places the build-time cache without copying it", () => {
  const SEED_SCRIPT = new URL("../../nix/openclaw/compile-cache-seed.mjs", import.meta.url).pathname;
  type Seeded = { dirs: number; links: number; copies: number };
  type Seed = (seedDir: string, o: { base: string; marker: string; uid: number; mode?: string }) => Seeded;
  let work: string;
  let seed: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "openclaw-seed-"));
    chmodSync(work, 0o755);
    // The build's layout: the main process's cache under openclaw/<version>/@MARKER@, its children's at the top.
    seed = join(work, "seed");
    mkdirSync(join(seed, "openclaw/1.0/@MARKER@/v24-x64-f-@UID@"), { recursive: true });
    mkdirSync(join(seed, "v24-x64-f-@UID@"));
    for (const e of ["a1", "b2", "c3"]) writeFileSync(join(seed, "openclaw/1.0/@MARKER@/v24-x64-f-@UID@", e), e);
    writeFileSync(join(seed, "v24-x64-f-@UID@", "d4"), "d4");
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const kinds = (dir: string) => (lstatSync(dir).isSymbolicLink() ? "directory link" : readdirSync(dir).map((e) => (lstatSync(join(dir, e)).isSymbolicLink() ? "l" : "f")).join(""));

  it("links entry by entry where it could write into the seed (root), copies only when asked; once per seed, marker and user", async () => {
    const { seedCompileCache } = (await import(pathToFileURL(SEED_SCRIPT).href)) as { seedCompileCache: Seed };
    const as = process.getuid?.() === 0 ? "root" : "owner of the seed";
    for (const [mode, expected, want] of [
      ["auto", { dirs: 0, links: 4, copies: 0 }, "lll"],
      ["links", { dirs: 0, links: 4, copies: 0 }, "lll"],
      ["copy", { dirs: 0, links: 0, copies: 4 }, "fff"],
    ] as const) {
      const base = join(work, mode);
      expect(seedCompileCache(seed, { base, marker: "100-5", uid: 7, mode }), `${mode} as ${as}`).toEqual(expected);
      expect(kinds(join(base, "openclaw/1.0/100-5/v24-x64-f-7"))).toBe(want);
      expect(seedCompileCache(seed, { base, marker: "100-5", uid: 7, mode })).toEqual({ dirs: 0, links: 0, copies: 0 });
    }
    // A link another build of the release left (its seed garbage-collected) becomes a real directory.
    const base = join(work, "stale");
    mkdirSync(join(base, "openclaw/1.0/100-5"), { recursive: true });
    symlinkSync(join(work, "gone"), join(base, "openclaw/1.0/100-5/v24-x64-f-7"));
    expect(seedCompileCache(seed, { base, marker: "100-5", uid: 7 }).links).toBe(4);
    expect(kinds(join(base, "openclaw/1.0/100-5/v24-x64-f-7"))).toBe("lll");
  });

  it.runIf(NOBODY !== undefined)("links each cache directory whole for a user who cannot write into the seed (the store's case)", () => {
    const base = join(work, "nobody");
    mkdirSync(base, { mode: 0o777 });
    chmodSync(base, 0o777);
    // a copy nobody can read: the checkout may be in root's 0700 home (a fresh clone under /root)
    const copy = join(work, "compile-cache-seed.mjs");
    copyFileSync(SEED_SCRIPT, copy);
    chmodSync(copy, 0o644);
    const script = `import(${JSON.stringify(pathToFileURL(copy).href)}).then((m) => console.log(JSON.stringify(m.seedCompileCache(${JSON.stringify(seed)}, { base: ${JSON.stringify(base)}, marker: "100-5", uid: ${NOBODY} }))))`;
    const r = spawnSync(process.execPath, ["-e", script], { uid: NOBODY, gid: NOBODY, encoding: "utf8", timeout: 30_000, env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ dirs: 2, links: 0, copies: 0 });
    expect(readlinkSync(join(base, `openclaw/1.0/100-5/v24-x64-f-${NOBODY}`))).toBe(join(seed, "openclaw/1.0/@MARKER@/v24-x64-f-@UID@"));
    expect(readlinkSync(join(base, `v24-x64-f-${NOBODY}`))).toBe(join(seed, "v24-x64-f-@UID@"));
    expect(readdirSync(join(base, `openclaw/1.0/100-5/v24-x64-f-${NOBODY}`)).sort()).toEqual(["a1", "b2", "c3"]);
  });
});

describe("prepared OpenClaw tree (as nix/package.nix builds it)", () => {
  it("is laid out like $out: wrapper in Nix mode on Node 24, lifecycle complete, pruned, shipped files, compile cache", () => {
    const spec = buildSpec("openclaw");
    const wrapper = readFileSync(gw.bin, "utf8");
    expect(wrapper).toContain("export OPENCLAW_NIX_MODE=${OPENCLAW_NIX_MODE-'1'}");
    expect(wrapper).toMatch(/exec '.*node24\/package\/bin\/node' --import '.*share\/openclaw\/compile-cache-seed\.mjs' '.*openclaw\/openclaw\.mjs' "\$@"/);
    expect(existsSync(join(gw.root, spec.lifecycleMarker!))).toBe(false);
    for (const f of Object.keys(spec.shareFiles).filter((f) => f.endsWith(".mjs"))) expect(existsSync(join(gw.root, "share/openclaw", f)), f).toBe(true);
    const nm = join(gw.root, "lib/openclaw/node_modules");
    expect(existsSync(join(nm, ".package-lock.json"))).toBe(false);
    // prune.mjs: declarations go; the build.json groups go (tests below), the workspace templates stay
    expect(listFiles(join(nm, "openai")).some((f) => f.endsWith(".d.ts"))).toBe(false);
    // the build-time cache holds Node's compile cache with the seed's placeholders
    const tags = readdirSync(join(gw.jitiSeed, "openclaw", VERSION, "@MARKER@"));
    expect(tags).toHaveLength(1);
    expect(tags[0]).toMatch(/^v24\.\d+\.\d+-.+-@UID@$/);
    expect(readdirSync(join(gw.jitiSeed, "openclaw", VERSION, "@MARKER@", tags[0]!)).length).toBeGreaterThan(100);
  });

  it("is pruned by every group of build.json (prune.mjs --spec), each pattern still matching this release", () => {
    const report = JSON.parse(readFileSync(join(gw.root, ".prune.json"), "utf8")) as { groups: Record<string, { removedBytes: number; unmatched: string[]; kept?: boolean }> };
    const groups = Object.keys(buildSpec("openclaw").prune!.groups);
    expect(Object.keys(report.groups).sort()).toEqual([...groups].sort());
    for (const name of groups) {
      expect(report.groups[name]!.unmatched, name).toEqual([]);
      expect(report.groups[name]!.removedBytes, name).toBeGreaterThan(1024 * 1024);
      expect(report.groups[name]!.kept, name).toBeUndefined();
    }
  });

  const nm = () => join(gw.root, "lib/openclaw/node_modules");
  /** The dist chunk holding a source region (file names carry build hashes). */
  const chunkOf = (region: string): string => {
    const dist = join(nm(), "openclaw/dist");
    const hit = readdirSync(dist).find((f) => f.endsWith(".mjs") && readFileSync(join(dist, f), "utf8").includes(`//#region ${region}`));
    if (!hit) throw new Error(`no dist chunk holds ${region}`);
    return join(dist, hit);
  };

  it("worker-bundle: exactly upstream's worker deploy artifacts are gone, the local worker entries stay, a dispatch would name what is missing", async () => {
    // WORKER_BUNDLE_ARTIFACT_PATHS from the chunk itself (it imports only node:crypto).
    const mod = (await import(pathToFileURL(chunkOf("src/shared/worker-bundle-hash.ts")).href)) as Record<string, unknown>;
    const artifacts = Object.values(mod).find((v): v is string[] => Array.isArray(v) && v.includes("worker.mjs"));
    expect(artifacts).toBeDefined();
    const workerDir = join(nm(), "openclaw/dist/worker");
    for (const a of artifacts!) expect(existsSync(join(workerDir, a)), a).toBe(false);
    // What is left in dist/worker is what the gateway itself runs (runtime-process-entrypoints: worker/…-entry.js).
    const entries = readFileSync(chunkOf("src/infra/runtime-process-entrypoints.ts"), "utf8");
    const left = readdirSync(workerDir).sort();
    expect(left.length).toBeGreaterThan(0);
    for (const f of left) expect(entries, f).toContain(`distWorkerPath: "worker/${f}"`);
    expect(readFileSync(chunkOf("src/gateway/worker-environments/bundle-staging.ts"), "utf8")).toContain("OpenClaw worker deploy artifact is missing");
  });

  it("cua-driver-native, chrome-devtools-mcp, typescript-cli, docs: gone, while what the gateway imports stays", async () => {
    const n = nm();
    // computer use: the SDK stays (the plugin loads), the Linux native driver goes; using it is a named error.
    expect(existsSync(join(n, "@trycua/cua-driver/package.json"))).toBe(true);
    expect(readdirSync(join(n, "@trycua")).filter((d) => d.startsWith("cua-driver-linux-"))).toEqual([]);
    expect(readFileSync(join(n, "openclaw/dist/extensions/cua-computer/index.js"), "utf8")).toContain("COMPUTER_DRIVER_UNAVAILABLE");
    // the browser: Chrome MCP (existing-session profiles) goes, raw CDP (playwright-core) stays
    expect(existsSync(join(n, "openclaw/node_modules/chrome-devtools-mcp"))).toBe(false);
    expect(existsSync(join(n, "playwright-core/package.json"))).toBe(true);
    // typescript: the API the gateway requires at start still parses and compiles; the CLI and locales are gone
    expect(existsSync(join(n, "typescript/lib/_tsc.js"))).toBe(false);
    expect(existsSync(join(n, "typescript/lib/de"))).toBe(false);
    const ts = await runAsync(gw.node, ["-e", `const ts = require("typescript"); process.stdout.write(ts.transpileModule("const a: number = 1; export default a", { compilerOptions: { module: ts.ModuleKind.ESNext } }).outputText)`], { cwd: join(n, "openclaw"), timeoutMs: 60_000 });
    expect(ts.status, ts.stderr).toBe(0);
    expect(ts.stdout).toContain("const a = 1");
    // docs: the offline copy goes (the prompt then names docs.openclaw.ai), the workspace templates stay
    expect(existsSync(join(n, "openclaw/docs/docs.json"))).toBe(false);
    expect(existsSync(join(n, "openclaw/docs/index.md"))).toBe(false);
    for (const t of ["AGENTS.md", "SOUL.md", "TOOLS.md", "BOOTSTRAP.md"]) expect(existsSync(join(n, "openclaw/docs/reference/templates", t)), t).toBe(true);
    // the Control UI is whole: every asset its manifest names is there
    const manifest = JSON.parse(readFileSync(join(n, "openclaw/dist/control-ui/asset-manifest.json"), "utf8")) as { assets: { path: string; size: number }[] };
    const missing = manifest.assets.filter((a) => statSync(join(n, "openclaw/dist/control-ui", a.path), { throwIfNoEntry: false })?.size !== a.size);
    expect(missing).toEqual([]);
  }, 120_000);

  it("validates a config offline (`config validate --json`)", async () => {
    const r = await runClawdbot(gw, ["config", "validate", "--json"], { renderConfig: minimal(), timeoutMs: 120_000, ...(NOBODY ? { uid: NOBODY } : {}) });
    expect(r.code, r.output.slice(-2000)).toBe(0);
    expect(r.output).toContain('"valid":true');
  }, 180_000);

  it("answers --version from a tree it cannot write (no 'package lifecycle is incomplete')", async () => {
    const r = await runClawdbot(gw, ["--version"], { timeoutMs: 120_000, ...(NOBODY ? { uid: NOBODY } : {}) });
    expect(r.output).not.toMatch(/lifecycle is incomplete|EACCES/);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain(VERSION);
  }, 180_000);
});

describe("the OpenClaw gateway in Nix mode", () => {
  it("starts healthy (/healthz, /readyz) from the seeded compile cache, leaves the config as it was, writes the token nowhere", async () => {
    const token = newToken();
    const g = await startGateway(gw, { renderConfig: minimal(), token, args: ["--auth", "token"], ...(NOBODY ? { uid: NOBODY } : {}) });
    started.push(g);
    const before = statSync(g.dirs.config);
    const text = readFileSync(g.dirs.config, "utf8");
    const readyMs = await g.waitHealthy(240_000);
    expect(g.healthzMs).toBeLessThanOrEqual(readyMs);
    expect(await httpHealth(g.port, "/healthz")).toBe(200);
    expect(g.output()).toContain("running in Nix mode");
    expect(g.output()).not.toContain("could not seed");
    // The wrapper's preload seeded the cache where openclaw.mjs enables it, for this user.
    const ccBase = join(g.dirs.tmp, "node-compile-cache", "openclaw", VERSION);
    const [marker] = readdirSync(ccBase);
    expect(marker).toMatch(/^\d+-\d+$/);
    const [tag] = readdirSync(join(ccBase, marker!));
    expect(tag).toMatch(new RegExp(`-${NOBODY ?? process.getuid?.()}$`));
    expect(readdirSync(join(ccBase, marker!, tag!)).length).toBeGreaterThan(100);
    // Nothing was copied: a user who cannot write the package gets Node's cache directory as ONE link to the
    // build-time cache (root, who could, gets one link per entry: the next test).
    const seedTag = join(gw.jitiSeed, "openclaw", VERSION, "@MARKER@", readdirSync(join(gw.jitiSeed, "openclaw", VERSION, "@MARKER@"))[0]!);
    if (NOBODY) {
      expect(lstatSync(join(ccBase, marker!, tag!)).isSymbolicLink()).toBe(true);
      expect(realpathSync(join(ccBase, marker!, tag!))).toBe(realpathSync(seedTag));
    }
    // The pruned tree serves the Control UI and answers the CLI's health request.
    const page = await fetch(`http://127.0.0.1:${g.port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const health = await runClawdbot(gw, ["gateway", "health", "--url", `ws://127.0.0.1:${g.port}`, "--token", token, "--json"], { renderConfig: minimal(), timeoutMs: 120_000 });
    expect(health.code, health.output.slice(-2000)).toBe(0);
    expect(health.output).toMatch(/"ok":\s*true/);
    const stopped = await g.stop(30_000);
    expect(stopped.code ?? stopped.signal, g.output().slice(-2000)).toBe(0);
    // Nix mode: the config is the same file, byte for byte, with its inode and mtime.
    const after = statSync(g.dirs.config);
    expect(readFileSync(g.dirs.config, "utf8")).toBe(text);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    expect(existsSync(`${g.dirs.config}.bak`)).toBe(false);
    // The token (given by OPENCLAW_GATEWAY_TOKEN) is in no file the gateway wrote.
    const leaks = listFiles(g.dirs.base).filter((f) => readFileSync(f).includes(token));
    expect(leaks).toEqual([]);
    console.log(`openclaw first start (seeded cache): /healthz ${g.healthzMs} ms, /readyz ${readyMs} ms`);
  }, 300_000);

  it("the build-time cache covers a start: Node compiles no module of its own (seed linked entry by entry, as root gets it)", async () => {
    // OPENCLAW_NIX_COMPILE_CACHE_SEED=links: the cache directory is a real one holding a link per entry, and an
    // entry Node writes (a module the seed missed, or one whose cache V8 rejected) replaces its link with a
    // file; the store's file is never written. So after a start to /readyz and a clean stop, the regular
    // files in it are exactly what the build-time cache did not cover.
    const g = await startGateway(gw, { renderConfig: minimal(), token: newToken(), args: ["--auth", "token"], env: { OPENCLAW_NIX_COMPILE_CACHE_SEED: "links" } });
    started.push(g);
    await g.waitHealthy(240_000);
    const stopped = await g.stop(30_000);
    expect(stopped.code ?? stopped.signal, g.output().slice(-2000)).toBe(0);
    const ccBase = join(g.dirs.tmp, "node-compile-cache", "openclaw", VERSION);
    const [marker] = readdirSync(ccBase);
    const [tag] = readdirSync(join(ccBase, marker!));
    const dir = join(ccBase, marker!, tag!);
    expect(lstatSync(dir).isDirectory()).toBe(true);
    const entries = readdirSync(dir);
    const written = entries.filter((e) => !lstatSync(join(dir, e)).isSymbolicLink());
    const seedTag = join(gw.jitiSeed, "openclaw", VERSION, "@MARKER@", readdirSync(join(gw.jitiSeed, "openclaw", VERSION, "@MARKER@"))[0]!);
    const seeded = readdirSync(seedTag);
    expect(entries.length).toBeGreaterThanOrEqual(seeded.length);
    // The links point at the build-time cache.
    expect(realpathSync(join(dir, seeded[0]!))).toBe(realpathSync(join(seedTag, seeded[0]!)));
    console.log(`openclaw start with seed=links: ${seeded.length} entries linked, ${written.length} written by Node`);
    expect(written.length, written.join(" ")).toBeLessThanOrEqual(Math.ceil(seeded.length / 100));
  }, 300_000);
});

describe("bad input is refused (exit 78, the config untouched)", () => {
  const refused = async (config: Record<string, unknown>, message: RegExp) => {
    const r = await runClawdbot(gw, ["gateway", "run", "--bind", "loopback", "--port", "1"], {
      renderConfig: minimal(config),
      env: { OPENCLAW_GATEWAY_TOKEN: newToken() },
      timeoutMs: 120_000,
      ...(NOBODY ? { uid: NOBODY } : {}),
    });
    return { ...r, message };
  };

  it("a legacy (migratable) key: exit 78 in Nix mode, no migration, no .bak", async () => {
    const r = await refused({ session: { threadBindings: { ttlHours: 4 } } }, /Legacy config keys/);
    expect(r.code, r.output.slice(-2000)).toBe(78);
    expect(r.output).toMatch(/Legacy config keys|managed by Nix/);
    expect(readFileSync(r.dirs.config, "utf8")).toContain("ttlHours");
    expect(existsSync(`${r.dirs.config}.bak`)).toBe(false);
  }, 180_000);

  it("an unknown key: exit 78 naming the path", async () => {
    const r = await refused({ gateway: { mode: "local", nosuchkey: true } }, /nosuchkey/);
    expect(r.code, r.output.slice(-2000)).toBe(78);
    expect(r.output).toMatch(/nosuchkey/);
  }, 180_000);

  it("`openclaw config set` is refused in Nix mode (exit 1, file untouched)", async () => {
    const r = await runClawdbot(gw, ["config", "set", "gateway.port", "19999"], { renderConfig: minimal(), timeoutMs: 120_000 });
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/managed by Nix|immutable/);
    expect(readFileSync(r.dirs.config, "utf8")).not.toContain("19999");
  }, 180_000);
});
