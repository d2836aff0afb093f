// Preloaded by the bin/clawdbot wrapper (`node --import <this file> dist/entry.js`): makes the FIRST start of
// the gateway a warm start by copying the jiti transpile cache produced at build time (nix/build-jiti-cache.mjs,
// shipped in share/clawdbot/jiti-cache/) into the directory jiti will read.
//
// How jiti keys its file-system cache — read from node_modules/jiti/dist/jiti.cjs of the locked tree (jiti
// 2.7.0, whose JITI_DEBUG banner still says "version: 2.6.1"; clawdbot's dist/plugins/loader.js calls
// `createJiti(import.meta.url, { interopDefault: true, extensions, alias })`, then `jiti(pluginSource)` per
// plugin; @mariozechner/jiti 2.6.5 is only used by pi-coding-agent's extension loader, not at gateway start):
// - Directory: `fsCache` is on by default; JITI_FS_CACHE / JITI_CACHE only switch it (the env value is parsed
//   as JSON and turned into a boolean: it can NOT name a directory). With `true`, jiti uses
//   `<dirname(loader.js)>/node_modules/.cache/jiti` if `dist/plugins/node_modules` exists (it does not in
//   this package), else `path.join(os.tmpdir(), "jiti")` — i.e. `$TMPDIR/jiti`, falling back to /tmp/jiti;
//   when TMPDIR equals the process's cwd jiti ignores TMPDIR unless JITI_RESPECT_TMPDIR_ENV is set. The
//   directory must be writable (mkdir -p + access(W_OK)), otherwise jiti silently turns the cache off — which
//   is why the cache cannot be read straight out of the read-only Nix store.
// - File name: `<basename(dirname(file))>-<basename(file) without extension>` + (`+map` with source maps) +
//   (`.i` when the module is loaded with interopDefault) + `.<md5(absolute file path) first 8 hex>` +
//   (`.mjs` for async imports, `.cjs` otherwise); sha256 instead of md5 when Node runs in FIPS mode. The
//   ABSOLUTE PATH of the transpiled source is therefore part of the key: a cache is only valid for the tree
//   it was made in (the Nix build makes it inside $out, the preparation inside its final folder).
// - Validity: the cached file must end with ` /* v9-<md5(source text) first 16 hex> */\n` (9 = jiti's cache
//   format version); any other ending is a miss and the file is re-transpiled and overwritten.
// So a seed made from the same files at the same absolute paths is hit for every file; nothing else
// (mtime, Node version, env) is part of the key. Measured here: a first start with the seed logs 1279 cache
// hits, 0 misses, 0 stores (JITI_DEBUG=1), and jiti's directory afterwards is the seed byte for byte
// (tests/package/gateway.test.ts).
//
// Environment: CLAWDBOT_JITI_SEED=0 disables the copy. A failure never stops the gateway (it then starts cold).
import { createHash } from "node:crypto";
import { chmodSync, constants, copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The directory jiti 2.7 will use as its cache for clawdbot's plugin loader (see above). */
export function jitiCacheDir() {
  let dir = tmpdir();
  if (process.env.TMPDIR && dir === process.cwd() && !process.env.JITI_RESPECT_TMPDIR_ENV) {
    const saved = process.env.TMPDIR;
    delete process.env.TMPDIR;
    dir = tmpdir();
    process.env.TMPDIR = saved;
  }
  return join(dir, "jiti");
}

/** Copy every seed file that is not there yet; returns the number copied (0 when the stamp says done). */
export function seedJitiCache(seedDir, targetDir = jitiCacheDir()) {
  if (!existsSync(seedDir)) return 0;
  const stamp = join(targetDir, `.clawdbot-seed-${createHash("sha256").update(seedDir).digest("hex").slice(0, 16)}`);
  if (existsSync(stamp)) return 0;
  mkdirSync(targetDir, { recursive: true });
  let copied = 0;
  for (const name of readdirSync(seedDir)) {
    const dest = join(targetDir, name);
    try {
      copyFileSync(join(seedDir, name), dest, constants.COPYFILE_EXCL);
      // Store files are read-only; jiti must be able to overwrite an entry if a source ever changes.
      chmodSync(dest, 0o644);
      copied++;
    } catch (err) {
      if (err?.code !== "EEXIST") throw err;
    }
  }
  writeFileSync(stamp, `${seedDir}\n`);
  return copied;
}

if (process.env.CLAWDBOT_JITI_SEED !== "0") {
  try {
    seedJitiCache(fileURLToPath(new URL("./jiti-cache/", import.meta.url)).replace(/\/$/, ""));
  } catch (err) {
    process.stderr.write(`clawdbot: could not seed the jiti cache (${err?.message ?? err}); starting cold\n`);
  }
}
