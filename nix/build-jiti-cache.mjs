// Produces the jiti transpile cache of the gateway's plugins at BUILD time (Nix postFixup, and the local
// preparation in tests/support/gateway.ts), so that the first start is warm (see nix/jiti-seed.mjs for how
// jiti keys its cache: by the absolute path and content of each source, so this must run on the FINAL tree).
//
//   node build-jiti-cache.mjs PACKAGE_ROOT OUT_DIR
//
// It runs the gateway's own `clawdbot plugins list --json` with every bundled plugin enabled: that goes through
// the same loader (dist/plugins/loader.js, same createJiti options) as `clawdbot gateway`, needs no port and
// no network, and covers the plugins a user may enable later (channels), not only the default set. Plugins
// whose npm dependencies upstream does not ship fail to load and are simply not cached (jiti never caches a
// failed transform). Private HOME/STATE/TMPDIR; bounded (10 min); exits non-zero if the cache looks empty.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const build = JSON.parse(readFileSync(new URL("./gateway/build.json", import.meta.url), "utf8"));

function main() {
  const [rootArg, outArg] = process.argv.slice(2);
  if (!rootArg || !outArg) throw new Error("usage: node build-jiti-cache.mjs PACKAGE_ROOT OUT_DIR");
  const root = resolve(rootArg);
  const out = resolve(outArg);
  const entry = join(root, build.entry);
  const extensions = join(root, build.projectDir, "node_modules/clawdbot/extensions");
  const ids = [];
  for (const name of readdirSync(extensions)) {
    const manifest = join(extensions, name, "clawdbot.plugin.json");
    if (existsSync(manifest)) ids.push(JSON.parse(readFileSync(manifest, "utf8")).id);
  }
  const work = mkdtempSync(join(process.env.CLAWDBOT_BUILD_TMP ?? tmpdir(), "clawdbot-jiti-"));
  try {
    const home = join(work, "home");
    const state = join(work, "state");
    const tmp = join(work, "tmp");
    for (const d of [home, state, tmp]) mkdirSync(d, { recursive: true });
    const config = {
      gateway: { mode: "local" },
      // The file logger defaults to /tmp/clawdbot, which a Nix build sandbox may not have.
      logging: { file: join(work, "logs", "clawdbot.log") },
      plugins: { entries: Object.fromEntries(ids.map((id) => [id, { enabled: true }])) },
    };
    writeFileSync(join(state, "clawdbot.json"), JSON.stringify(config, null, 2));
    const result = spawnSync(process.execPath, [entry, "plugins", "list", "--json"], {
      cwd: work,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: home,
        TMPDIR: tmp,
        CLAWDBOT_STATE_DIR: state,
        CLAWDBOT_CONFIG_PATH: join(state, "clawdbot.json"),
        CLAWDBOT_NIX_MODE: "1",
        CLAWDBOT_NO_RESPAWN: "1",
        CLAWDBOT_SKIP_CHANNELS: "1",
        CLAWDBOT_DISABLE_BONJOUR: "1",
      },
      encoding: "utf8",
      timeout: 600_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.status !== 0) {
      throw new Error(`clawdbot plugins list failed (${result.status ?? result.signal}):\n${result.stderr.slice(-4000)}`);
    }
    const cache = join(tmp, "jiti");
    const files = existsSync(cache) ? readdirSync(cache) : [];
    if (files.length < 100) throw new Error(`only ${files.length} files in the jiti cache: the plugin loader did not run`);
    let loaded = 0;
    try {
      loaded = JSON.parse(result.stdout).plugins.filter((p) => p.status === "loaded").length;
    } catch {
      /* the count is informational */
    }
    rmSync(out, { recursive: true, force: true });
    try {
      renameSync(cache, out);
    } catch {
      cpSync(cache, out, { recursive: true });
    }
    process.stdout.write(JSON.stringify({ files: files.length, plugins: ids.length, loaded }) + "\n");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
