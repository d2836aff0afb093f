// Preloaded by the bin/openclaw wrapper (`node --import <this file> openclaw.mjs`): makes the FIRST start of
// the OpenClaw gateway start with a warm V8 code cache, by copying Node's compile cache produced at build time
// (nix/openclaw/build-compile-cache.mjs, shipped in share/openclaw/compile-cache/) into the directory the
// gateway will use. It is the OpenClaw counterpart of nix/jiti-seed.mjs (OpenClaw has no jiti cache for its
// bundled plugins; its start is dominated by compiling ~280 MB of bundled JavaScript).
//
// Where the cache lives, read from node_modules/openclaw/openclaw.mjs (2026.9.6,
// `resolvePackagedCompileCacheDirectory`): openclaw.mjs calls `module.enableCompileCache(DIR)` with
// DIR = `${NODE_COMPILE_CACHE or $TMPDIR/node-compile-cache}/openclaw/<version>/<mtimeMs>-<size>` where the last
// segment is the stat of the package's own package.json (in the Nix store: mtime 1 s, so `1000-<size>`).
// Its child processes (spawn broker, sqlite worker) cache into `$TMPDIR/node-compile-cache` itself.
// Node (24) then keeps its entries under `DIR/v<node version>-<arch>-<flags hash>-<uid>/<hash of the absolute
// file path>`; each entry also records a checksum of the source, and a mismatch is a miss, never an error.
// So a cache made from the same files at the same absolute paths is valid for any user once the `-<uid>`
// suffix is the running user's: the build stores the cache with the placeholders `@MARKER@` and `@UID@`,
// and this file substitutes them. The target must be writable (Node writes new entries at exit), which is
// why the cache is copied instead of read from the read-only store.
//
// Environment: OPENCLAW_NIX_COMPILE_CACHE_SEED=0 disables the copy; NODE_DISABLE_COMPILE_CACHE (Node's own
// switch) also makes it pointless, and then nothing is copied. A failure never stops the gateway (it starts
// with a cold cache).
import { createHash } from "node:crypto";
import { chmodSync, constants, copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
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

/**
 * Copy the seed (placeholders substituted) into `base`; returns the number of files copied (0 when the stamp
 * says this seed was copied for this marker and user already).
 */
export function seedCompileCache(seedDir, { base = compileCacheBase(), marker, uid = process.getuid?.() ?? 0 }) {
  if (!existsSync(seedDir)) return 0;
  const stamp = join(
    base,
    `.openclaw-nix-seed-${createHash("sha256").update(`${seedDir}\0${marker}\0${uid}`).digest("hex").slice(0, 16)}`,
  );
  if (existsSync(stamp)) return 0;
  let copied = 0;
  const copy = (from, to) => {
    mkdirSync(to, { recursive: true });
    for (const name of readdirSync(from)) {
      const source = join(from, name);
      const target = join(to, name.replace(MARKER, marker).replace(UID, String(uid)));
      if (statSync(source).isDirectory()) {
        copy(source, target);
        continue;
      }
      try {
        copyFileSync(source, target, constants.COPYFILE_EXCL);
        // Store files are read-only; Node rewrites an entry whose source changed.
        chmodSync(target, 0o644);
        copied++;
      } catch (err) {
        if (err?.code !== "EEXIST") throw err;
      }
    }
  };
  copy(seedDir, base);
  writeFileSync(stamp, `${seedDir}\n`);
  return copied;
}

if (process.env.OPENCLAW_NIX_COMPILE_CACHE_SEED !== "0" && process.env.NODE_DISABLE_COMPILE_CACHE === undefined) {
  try {
    // share/openclaw/compile-cache-seed.mjs → share/openclaw/compile-cache, lib/openclaw/node_modules/openclaw
    // (nix/openclaw/build.json `seedDir`, `entry`).
    seedCompileCache(fileURLToPath(new URL("./compile-cache", import.meta.url)), {
      marker: installMarker(fileURLToPath(new URL("../../lib/openclaw/node_modules/openclaw/package.json", import.meta.url))),
    });
  } catch (err) {
    process.stderr.write(`openclaw: could not seed the compile cache (${err?.message ?? err}); starting cold\n`);
  }
}
