#!/usr/bin/env node
// The ONE prune step of the gateway package. The Nix build (nix/package.nix) and the local preparation
// (tests/support/gateway.ts) both run it on the node_modules that `npm install`/`npm ci` produced from the
// committed nix/gateway lock:
//
//   node prune.mjs NODE_MODULES_DIR [--platform linux|darwin] [--arch x64|arm64] [--gpu] [--dry-run]
//                  [--spec BUILD_JSON [--keep GROUP]...]
//
// --gpu (or CLAWDBOT_PRUNE_KEEP_GPU=1) keeps node-llama-cpp's CUDA/Vulkan builds for this platform; that is
// what the package's `withGpuEmbeddings` option passes. Platform and arch default to the running Node's.
//
// What goes (and why it is safe; the T0 smoke test starts the pruned tree and asks it for health):
// - @node-llama-cpp/<os>-<arch>[-variant] builds for another os/arch (npm installs linux-arm64 and
//   linux-armv7l on x64 because their `cpu` field also lists x64), and GPU variants unless --gpu. The CPU
//   build of this platform stays, so local embeddings keep working.
// - any other package whose package.json `os`/`cpu` excludes this platform (npm normally skips them already);
//   `prebuilds/<os>-<arch>` folders of other platforms.
// - source maps (*.map), TypeScript declarations (*.d.ts, *.d.mts, *.d.cts): nothing loads them at run time.
// - documentation: a package's top-level docs/ folder and README/CHANGELOG/HISTORY/CONTRIBUTING files;
//   tests: __tests__ folders anywhere, test/ and tests/ folders at a package's top level.
// - dangling node_modules/.bin links left by the removals, and npm's hidden lockfile
//   node_modules/.package-lock.json (an install cache; in the Nix build it names every fetched tarball's store
//   path, which would drag all of them into the runtime closure).
// These generic rules keep the documentation of the gateway package itself, `clawdbot` or `openclaw` (its
// docs/ and skills/*.md are read by the agent at run time), and of @mariozechner/pi-coding-agent (reads its own
// docs and prompt templates); license files are always kept. The same script prunes both gateways' trees
// (nix/gateway, nix/openclaw) and OpenClaw's channel plugins (nix/openclaw/plugins.nix, no --spec).
//
// --spec BUILD_JSON: also remove the named groups of that file's `prune.groups` (nix/openclaw/build.json:
// what one gateway release ships that a server never runs; each group says why). A group is
//   { "why": "...", "platforms": ["linux"]?, "paths": ["openclaw/dist/worker/worker.mjs", "typescript/lib/*/", ...],
//     "except": ["openclaw/docs/reference/templates"]? }
// with paths relative to NODE_MODULES_DIR; a `*` matches within one path segment, a trailing `/` matches
// folders only; `except` paths (and the folders leading to them) stay (OpenClaw's docs group removes its docs/
// but its workspace templates). `--keep GROUP` (repeatable) keeps a group (the Nix package's `keepPruned`); an
// unknown group name is an error. nix/package.nix and the tests' prepareGateway() pass the same file, so both
// trees are pruned alike. A path inside another removal is removed with it (counted once).
// Output: one JSON line on stdout: { removedBytes, removedPaths, keptBytes, gpu, groups }, where `groups` gives
// each spec group's removed bytes and the patterns that matched nothing (an upstream release moved them).
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const KEEP_PACKAGES = new Set(["clawdbot", "openclaw", "@mariozechner/pi-coding-agent"]);
const DOC_FILE = /^(readme|changelog|changes|history|contributing|code_of_conduct|upgrading|migration)(\.[a-z0-9]+)?$/i;
const DROP_FILE = /(\.map|\.d\.ts|\.d\.mts|\.d\.cts)$/;
const LLAMA_OS = { linux: "linux", darwin: "mac", win32: "win" };
const GPU_VARIANTS = new Set(["cuda", "cuda-ext", "vulkan"]);

function parseArgs(argv) {
  const args = { dir: undefined, platform: process.platform, arch: process.arch, gpu: false, dryRun: false, spec: undefined, keep: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--platform") args.platform = argv[++i];
    else if (a === "--arch") args.arch = argv[++i];
    else if (a === "--gpu") args.gpu = true;
    else if (a === "--dry-run") args.dryRun = true;
    else if (a === "--spec") args.spec = argv[++i];
    else if (a === "--keep") args.keep.push(argv[++i]);
    else if (a.startsWith("--")) throw new Error(`prune.mjs: unknown flag ${a}`);
    else args.dir = a;
  }
  if (process.env.CLAWDBOT_PRUNE_KEEP_GPU === "1") args.gpu = true;
  if (!args.dir) throw new Error("usage: node prune.mjs NODE_MODULES_DIR [--platform P] [--arch A] [--gpu] [--dry-run] [--spec BUILD_JSON [--keep GROUP]...]");
  if (args.keep.length > 0 && !args.spec) throw new Error("prune.mjs: --keep needs --spec");
  return args;
}

function sizeOf(path) {
  const st = lstatSync(path);
  if (!st.isDirectory()) return st.isSymbolicLink() ? 0 : st.size;
  let total = 0;
  for (const name of readdirSync(path)) total += sizeOf(join(path, name));
  return total;
}

/** Every installed package folder (nested node_modules included), as [name, dir]. */
function packages(nodeModules) {
  const out = [];
  const visit = (nm) => {
    if (!existsSync(nm)) return;
    for (const name of readdirSync(nm)) {
      if (name.startsWith(".")) continue;
      const dir = join(nm, name);
      if (!lstatSync(dir).isDirectory()) continue;
      if (name.startsWith("@")) {
        for (const sub of readdirSync(dir)) {
          const subDir = join(dir, sub);
          if (lstatSync(subDir).isDirectory()) {
            out.push([`${name}/${sub}`, subDir]);
            visit(join(subDir, "node_modules"));
          }
        }
      } else {
        out.push([name, dir]);
        visit(join(dir, "node_modules"));
      }
    }
  };
  visit(nodeModules);
  return out;
}

/** npm's os/cpu semantics: a list of allowed values, or of "!value" exclusions. */
function allowed(list, value) {
  if (!Array.isArray(list) || list.length === 0) return true;
  const negated = list.filter((x) => x.startsWith("!"));
  if (negated.includes(`!${value}`)) return false;
  const positive = list.filter((x) => !x.startsWith("!"));
  return positive.length === 0 || positive.includes(value);
}

/** Whether an @node-llama-cpp/<os>-<arch>[-variant] build belongs to this platform and selection. */
export function keepLlamaBuild(name, { platform, arch, gpu }) {
  const m = /^@node-llama-cpp\/(linux|mac|win)-(x64|arm64|armv7l)(?:-(.+))?$/.exec(name);
  if (!m) return true;
  const [, os, buildArch, variant] = m;
  if (os !== LLAMA_OS[platform] || buildArch !== arch) return false;
  if (variant && GPU_VARIANTS.has(variant)) return gpu;
  return true;
}

function prebuildMatches(dirName, { platform, arch }) {
  // prebuilds/<platform>-<arch>[+<arch>...] (prebuildify), e.g. linux-x64, darwin-x64+arm64
  const m = /^([a-z0-9]+)-(.+)$/.exec(dirName);
  if (!m) return true;
  return m[1] === platform && m[2].split("+").includes(arch);
}

export function planPrune(nodeModules, opts) {
  const remove = new Set();
  const pkgs = packages(nodeModules);
  for (const [name, dir] of pkgs) {
    let manifest = {};
    try {
      manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    } catch {
      continue;
    }
    if (!keepLlamaBuild(name, opts) || !allowed(manifest.os, opts.platform) || !allowed(manifest.cpu, opts.arch)) {
      remove.add(dir);
      continue;
    }
    if (KEEP_PACKAGES.has(name)) continue;
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      const isDir = lstatSync(path).isDirectory();
      if (isDir && (entry === "docs" || entry === "test" || entry === "tests" || entry === "__tests__")) remove.add(path);
      else if (!isDir && DOC_FILE.test(entry)) remove.add(path);
    }
    const prebuilds = join(dir, "prebuilds");
    if (existsSync(prebuilds) && lstatSync(prebuilds).isDirectory()) {
      for (const p of readdirSync(prebuilds)) if (!prebuildMatches(p, opts)) remove.add(join(prebuilds, p));
    }
  }
  // Files anywhere (the kept packages included: nothing reads maps or declarations at run time).
  const walk = (dir) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (remove.has(path)) continue;
      const st = lstatSync(path);
      if (st.isDirectory()) {
        if (entry === "__tests__") remove.add(path);
        else walk(path);
      } else if (st.isFile() && DROP_FILE.test(entry)) {
        remove.add(path);
      }
    }
  };
  walk(nodeModules);
  const hiddenLock = join(nodeModules, ".package-lock.json");
  if (existsSync(hiddenLock)) remove.add(hiddenLock);
  return [...remove].sort();
}

/** The `prune.groups` of a build.json (none when it has no `prune` key). */
export function readGroups(specFile) {
  const spec = JSON.parse(readFileSync(specFile, "utf8"));
  const groups = spec.prune?.groups ?? {};
  for (const [name, g] of Object.entries(groups)) {
    if (name.startsWith("/")) continue;
    if (!Array.isArray(g.paths) || typeof g.why !== "string") throw new Error(`prune.mjs: group ${name} of ${specFile} needs "why" and "paths"`);
  }
  return Object.fromEntries(Object.entries(groups).filter(([name]) => !name.startsWith("/")));
}

/** Paths under root matching a pattern (`*` within one segment, trailing `/` = folders only). */
function expand(root, pattern) {
  const dirsOnly = pattern.endsWith("/");
  const segments = pattern.replace(/\/+$/, "").split("/");
  let current = [root];
  segments.forEach((seg, i) => {
    const last = i === segments.length - 1;
    const next = [];
    for (const base of current) {
      if (!seg.includes("*")) {
        const p = join(base, seg);
        if (existsSync(p) || isLink(p)) next.push(p);
        continue;
      }
      if (!existsSync(base) || !lstatSync(base).isDirectory()) continue;
      const re = segmentRegExp(seg);
      for (const name of readdirSync(base).sort()) if (re.test(name)) next.push(join(base, name));
    }
    current = last && dirsOnly ? next.filter((p) => lstatSync(p).isDirectory()) : next;
  });
  return current;
}

const escapeRe = (x) => x.replace(/[.+?^$(){}|[\]\\]/g, "\\$&");
const segmentRegExp = (seg) => new RegExp("^" + seg.split("*").map(escapeRe).join("[^/]*") + "$");

function isLink(p) {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** What a path contributes to the removal when `keep` paths inside it must stay: itself, or its other children. */
function removeExcept(path, keep, out) {
  if (keep.some((k) => k === path)) return;
  if (!keep.some((k) => k.startsWith(path + "/"))) {
    out.push(path);
    return;
  }
  for (const name of readdirSync(path).sort()) removeExcept(join(path, name), keep, out);
}

/**
 * The spec groups' removals: { paths, groups: { name: { paths, unmatched } } }. Groups named in `keep`, and
 * groups whose `platforms` leave this platform out, remove nothing.
 */
export function planGroups(nodeModules, groups, { platform, keep = [] }) {
  for (const k of keep) if (!(k in groups)) throw new Error(`prune.mjs: --keep ${k}: no such group (${Object.keys(groups).join(", ")})`);
  const paths = [];
  const report = {};
  for (const [name, g] of Object.entries(groups)) {
    const own = [];
    const unmatched = [];
    if (!keep.includes(name) && (!Array.isArray(g.platforms) || g.platforms.includes(platform))) {
      const except = (g.except ?? []).map((e) => join(nodeModules, e));
      for (const pattern of g.paths) {
        const hits = expand(nodeModules, pattern);
        if (hits.length === 0) unmatched.push(pattern);
        for (const hit of hits) removeExcept(hit, except, own);
      }
    }
    paths.push(...own);
    report[name] = { paths: own, unmatched, kept: keep.includes(name) };
  }
  return { paths, groups: report };
}

function danglingBinLinks(nodeModules) {
  const out = [];
  const visit = (nm) => {
    const bin = join(nm, ".bin");
    if (existsSync(bin)) {
      for (const name of readdirSync(bin)) {
        const link = join(bin, name);
        if (lstatSync(link).isSymbolicLink() && !existsSync(resolve(dirname(link), readlinkSync(link)))) out.push(link);
      }
    }
  };
  visit(nodeModules);
  for (const [, dir] of packages(nodeModules)) visit(join(dir, "node_modules"));
  return out;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const nodeModules = resolve(opts.dir);
  if (!statSync(nodeModules).isDirectory()) throw new Error(`prune.mjs: ${nodeModules} is not a directory`);
  const generic = planPrune(nodeModules, opts);
  const spec = opts.spec ? planGroups(nodeModules, readGroups(opts.spec), opts) : { paths: [], groups: {} };
  // One removal per subtree: a path inside another removal (a dependency's README inside a group's folder) goes with it.
  const all = new Set([...generic, ...spec.paths]);
  const insideAnother = (p) => {
    for (let d = dirname(p); d.length > nodeModules.length; d = dirname(d)) if (all.has(d)) return true;
    return false;
  };
  const plan = [...all].filter((p) => !insideAnother(p)).sort();
  // A group's bytes: its paths that are removals of their own (not inside another removal).
  const planned = new Set(plan);
  const groups = {};
  for (const [name, g] of Object.entries(spec.groups)) {
    const own = g.paths.filter((p) => planned.has(p));
    groups[name] = { removedBytes: own.reduce((n, p) => n + sizeOf(p), 0), unmatched: g.unmatched, ...(g.kept ? { kept: true } : {}) };
  }
  let removedBytes = 0;
  for (const path of plan) {
    removedBytes += sizeOf(path);
    if (!opts.dryRun) rmSync(path, { recursive: true, force: true });
  }
  const dangling = opts.dryRun ? [] : danglingBinLinks(nodeModules);
  for (const link of dangling) rmSync(link, { force: true });
  const keptBytes = opts.dryRun ? undefined : sizeOf(nodeModules);
  process.stdout.write(
    JSON.stringify({ removedBytes, removedPaths: plan.length + dangling.length, keptBytes, gpu: opts.gpu, ...(opts.spec ? { groups } : {}) }) + "\n",
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
