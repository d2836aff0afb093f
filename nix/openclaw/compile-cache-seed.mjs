// Preloaded by the bin/openclaw wrapper (`node --import <this file> openclaw.mjs`): makes the FIRST start of
// the OpenClaw gateway start with a warm V8 code cache, by linking Node's compile cache produced at build time
// (nix/openclaw/build-compile-cache.mjs, shipped in share/openclaw/compile-cache/) into the directory the
// gateway will use. It is the OpenClaw counterpart of nix/jiti-seed.mjs (OpenClaw has no jiti cache for its
// bundled plugins; its start compiles ~5,800 modules of bundled JavaScript).
//
// Where the cache lives, read from node_modules/openclaw/openclaw.mjs (2026.9.6,
// `resolvePackagedCompileCacheDirectory`): openclaw.mjs calls `module.enableCompileCache(DIR)` with
// DIR = `${NODE_COMPILE_CACHE or $TMPDIR/node-compile-cache}/openclaw/<version>/<mtimeMs>-<size>` where the last
// segment is the stat of the package's own package.json (in the Nix store: mtime 1 s, so `1000-<size>`).
// Its child processes (spawn broker, sqlite worker) cache into `$TMPDIR/node-compile-cache` itself.
// Node (24) then keeps its entries under `DIR/v<node version>-<arch>-<V8 flags hash>-<uid>/<hash of the
// absolute file path>`; each entry also records a checksum of the source, and a mismatch is a miss, never an
// error. So a cache made from the same files at the same absolute paths is valid for any user once the
// `-<uid>` suffix is the running user's: the build stores the cache with the placeholders `@MARKER@` and
// `@UID@`, and this file substitutes them. (Heap flags such as --max-old-space-size leave the flags hash as
// it is; a flag that changes it gives another directory, and a cold but correct start.)
//
// Nothing is copied. The seed is ~5,800 entries (~38 MB), and copying them (open, read, write, chmod each:
// 0.3 s on an idle 2-vCPU machine, 1.2–3 s while the disk is busy) cost as much as the cache saves (~1 s of
// compilation), so a first start was no faster than one without it. Instead:
// - Each of Node's cache directories (`v…-<uid>`) is ONE symlink to the seed's in the store, when this
//   process cannot write into the seed (the read-only store; any user but root): no file is created, and
//   the first start reads exactly what a warm start reads. Node never writes into it: entries whose code
//   cache was accepted are not persisted ("skip persisting … because cache was the same"), and a module the
//   seed does not cover (a configured channel's, an external plugin's) finds no entry, is compiled, and its
//   entry cannot be created there (Node ignores that silently): such modules are compiled at every start,
//   as they are without a cache.
// - Where this process COULD write into the seed (root on a writable store, the tests' prepared trees) the
//   directory is a real one holding one symlink per entry (one inode each, no data), so that Node never
//   creates files in the store: it writes a new or rejected entry to a temporary file that it renames over
//   the link (replacing the link, never the store file). Also when the directory exists already (a cache
//   Node or an earlier version of this file made): entries that exist are kept.
// A link left by another build of the same release (the package was rebuilt or garbage-collected) is
// replaced; a dangling entry link is a miss, and Node replaces it.
//
// Environment: OPENCLAW_NIX_COMPILE_CACHE_SEED=0 disables the seed; `links` always links entry by entry, `copy`
// copies every entry as this file did before (bench/package.ts compares the three); NODE_DISABLE_COMPILE_CACHE (Node's own switch) also makes it
// pointless, and then nothing is placed. A failure never stops the gateway (it starts with a cold cache).
import { createHash } from "node:crypto";
import {
  accessSync,
  chmodSync,
  constants,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  renameSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const MARKER = "@MARKER@";
export const UID = "@UID@";

/** The `<mtimeMs>-<size>` segment openclaw.mjs derives from its package.json. */
export function installMarker(packageJson) {
  try {
    const st = statSync(packageJson);
    return `${Math.trunc(st.mtimeMs)}-${st.size}`.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^_+|_+$/g, "");
  } catch {
    return "no-package-json";
  }
}

/** The base directory of the cache (before openclaw/<version>/<marker>). */
export function compileCacheBase(env = process.env) {
  return env.NODE_COMPILE_CACHE ? env.NODE_COMPILE_CACHE : join(tmpdir(), "node-compile-cache");
}

/** Can this process create files in `dir`? (root can, unless the file system is read-only.) */
function writable(dir) {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Make the seed's entries (placeholders substituted) available under `base`. Returns what it did: `dirs`
 * cache directories linked whole, `links` entries linked one by one, `copies` entries copied; all 0 when the
 * stamp says this seed was placed for this marker and user already. `mode`: "auto" (above), "links" (never a
 * whole directory), "copy" (every entry copied, as this file did before; also the fallback where a symlink
 * cannot be made).
 */
export function seedCompileCache(seedDir, { base = compileCacheBase(), marker, uid = process.getuid?.() ?? 0, mode = "auto" }) {
  const done = { dirs: 0, links: 0, copies: 0 };
  if (!existsSync(seedDir)) return done;
  const stamp = join(
    base,
    `.openclaw-nix-seed-${createHash("sha256").update(`${seedDir}\0${marker}\0${uid}`).digest("hex").slice(0, 16)}`,
  );
  if (existsSync(stamp)) return done;
  const copy = mode === "copy";
  /** Link a whole directory only where Node could not create files in it. */
  const linkWhole = (source) => mode === "auto" && !writable(source);
  const copyFile = (source, target) => {
    copyFileSync(source, target, constants.COPYFILE_EXCL);
    // Store files are read-only; Node replaces an entry whose source changed.
    chmodSync(target, 0o644);
    done.copies++;
  };
  /** One of Node's cache directories (`v…-@UID@`): link it whole, or fill a real directory entry by entry. */
  const cacheDir = (source, target) => {
    const whole = linkWhole(source);
    let existing;
    try {
      existing = lstatSync(target);
    } catch (err) {
      if (err?.code !== "ENOENT") throw err;
    }
    if (existing?.isSymbolicLink()) {
      if (whole && readlinkSync(target) === source) return;
      // Another build's seed (or gone): replaced below (rename replaces a link atomically; in the per-entry
      // case it goes first). Another process seeding at the same time may have removed it already.
      if (!whole) rmLink(target);
      existing = undefined;
    }
    if (!existing && whole) {
      const temporary = `${target}.seed-${process.pid}`;
      symlinkSync(source, temporary, "dir");
      renameSync(temporary, target);
      done.dirs++;
      return;
    }
    mkdirSync(target, { recursive: true });
    // withFileTypes: one getdents per directory, no stat per entry.
    for (const entry of readdirSync(source, { withFileTypes: true })) {
      const from = join(source, entry.name);
      const to = join(target, entry.name);
      try {
        if (copy) copyFile(from, to);
        else {
          try {
            symlinkSync(from, to);
            done.links++;
          } catch (err) {
            if (err?.code === "EEXIST") throw err;
            copyFile(from, to); // a file system without symlinks
          }
        }
      } catch (err) {
        if (err?.code !== "EEXIST") throw err;
      }
    }
  };
  const rmLink = (path) => {
    try {
      unlinkSync(path);
    } catch (err) {
      if (err?.code !== "ENOENT") throw err;
    }
  };
  const walk = (from, to) => {
    mkdirSync(to, { recursive: true });
    for (const entry of readdirSync(from, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const source = join(from, entry.name);
      const target = join(to, entry.name.replace(MARKER, marker).replace(UID, String(uid)));
      if (entry.name.includes(UID)) cacheDir(source, target);
      else walk(source, target);
    }
  };
  walk(seedDir, base);
  writeFileSync(stamp, `${seedDir}\n`);
  return done;
}

if (process.env.OPENCLAW_NIX_COMPILE_CACHE_SEED !== "0" && process.env.NODE_DISABLE_COMPILE_CACHE === undefined) {
  try {
    // share/openclaw/compile-cache-seed.mjs → share/openclaw/compile-cache, lib/openclaw/node_modules/openclaw
    // (nix/openclaw/build.json `seedDir`, `entry`).
    seedCompileCache(fileURLToPath(new URL("./compile-cache", import.meta.url)), {
      marker: installMarker(fileURLToPath(new URL("../../lib/openclaw/node_modules/openclaw/package.json", import.meta.url))),
      mode: ["copy", "links"].includes(process.env.OPENCLAW_NIX_COMPILE_CACHE_SEED) ? process.env.OPENCLAW_NIX_COMPILE_CACHE_SEED : "auto",
    });
  } catch (err) {
    process.stderr.write(`openclaw: could not seed the compile cache (${err?.message ?? err}); starting cold\n`);
  }
}
