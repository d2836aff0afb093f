// Produces Node's compile cache of the OpenClaw gateway at BUILD time (Nix postFixup, and the local preparation
// in tests/support/gateway.ts), so that the first start does not compile the bundled JavaScript from scratch.
// See nix/openclaw/compile-cache-seed.mjs for where the cache lives and how it is keyed (by the absolute path
// of each source: this must run on the FINAL tree).
//
//   node build-compile-cache.mjs PACKAGE_ROOT OUT_DIR
//
// It starts the gateway as the wrapper does (Nix mode, loopback, token auth, no channels, no mDNS, a private
// HOME/STATE/TMPDIR, logging.file inside them because /tmp/openclaw may not exist in a build sandbox), waits
// for `/readyz` (bundled plugins loaded), stops it with SIGTERM (Node writes the cache at exit), and moves
// `$TMPDIR/node-compile-cache` to OUT_DIR with the install marker and the uid replaced by placeholders.
// Needs only loopback networking (the Nix sandbox has it). Bounded (10 min); exits non-zero if the cache
// looks empty.
import { spawn } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => done(port));
    });
  });
}

function countFiles(dir) {
  let n = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    n += statSync(p).isDirectory() ? countFiles(p) : 1;
  }
  return n;
}

/** Node writes its entries 0600: the seed is read by whichever user runs the gateway (the store makes it 0444). */
function readableByAll(dir) {
  chmodSync(dir, 0o755);
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) readableByAll(p);
    else chmodSync(p, 0o644);
  }
}

/** Rename `<marker>` (openclaw/<version>/<marker>) and `v…-<uid>` directories to the seed's placeholders. */
function placeholders(dir, depth = 0) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (!statSync(p).isDirectory()) continue;
    let renamed = name;
    if (/^v\d+\.\d+\.\d+-.+-\d+$/.test(name)) renamed = name.replace(/-\d+$/, "-@UID@");
    else if (depth === 2 && dir.includes(`${"/"}openclaw${"/"}`)) renamed = "@MARKER@";
    if (renamed !== name) renameSync(p, join(dir, renamed));
    placeholders(join(dir, renamed), depth + 1);
  }
}

async function main() {
  const [rootArg, outArg] = process.argv.slice(2);
  if (!rootArg || !outArg) throw new Error("usage: node build-compile-cache.mjs PACKAGE_ROOT OUT_DIR");
  const root = resolve(rootArg);
  const out = resolve(outArg);
  const entry = join(root, "lib/openclaw/node_modules/openclaw/openclaw.mjs");
  const work = mkdtempSync(join(process.env.OPENCLAW_BUILD_TMP ?? tmpdir(), "openclaw-cc-"));
  const started = Date.now();
  try {
    const home = join(work, "home");
    const state = join(work, "state");
    const tmp = join(work, "tmp");
    for (const d of [home, state, tmp]) mkdirSync(d, { recursive: true });
    writeFileSync(
      join(state, "openclaw.json"),
      JSON.stringify({ gateway: { mode: "local" }, logging: { file: join(work, "logs", "openclaw.log") } }, null, 2),
    );
    const port = await freePort();
    let output = "";
    const child = spawn(process.execPath, [entry, "gateway", "run", "--port", String(port), "--bind", "loopback", "--auth", "token"], {
      cwd: work,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: home,
        TMPDIR: tmp,
        OPENCLAW_STATE_DIR: state,
        OPENCLAW_CONFIG_PATH: join(state, "openclaw.json"),
        OPENCLAW_NIX_MODE: "1",
        OPENCLAW_SKIP_CHANNELS: "1",
        OPENCLAW_DISABLE_BONJOUR: "1",
        OPENCLAW_GATEWAY_TOKEN: "build-compile-cache",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    let exited = false;
    const exit = new Promise((r) => child.once("exit", (code, signal) => ((exited = true), r({ code, signal }))));
    const deadline = Date.now() + 600_000;
    let ready = false;
    while (!ready && !exited && Date.now() < deadline) {
      try {
        ready = (await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(3000) })).status === 200;
      } catch {
        /* not listening yet */
      }
      if (!ready) await sleep(250);
    }
    if (!exited) child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    const { code, signal } = await exit;
    clearTimeout(killer);
    if (!ready) throw new Error(`the gateway never became ready (exit ${code ?? signal}):\n${output.slice(-4000)}`);
    const cache = join(tmp, "node-compile-cache");
    const files = existsSync(cache) ? countFiles(cache) : 0;
    if (files < 50) throw new Error(`only ${files} files in the compile cache: Node did not write it\n${output.slice(-4000)}`);
    placeholders(cache);
    readableByAll(cache);
    rmSync(out, { recursive: true, force: true });
    try {
      renameSync(cache, out);
    } catch {
      cpSync(cache, out, { recursive: true });
    }
    process.stdout.write(JSON.stringify({ files, seconds: (Date.now() - started) / 1000 }) + "\n");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
