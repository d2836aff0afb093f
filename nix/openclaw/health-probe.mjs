#!/usr/bin/env node
// OpenClaw's health probe, shipped as share/openclaw/health-probe.mjs (nix/openclaw/build.json shareFiles; where
// it lands is said once, in nix/health-probe.nix). The image's HEALTHCHECK, the units' watchdog
// (modules/lib/watchdog.nix), the NixOS VM test and users run this one file. Healthy (exit 0) only when all of
// these hold:
//   1. GET /readyz answers 200 (the gateway is started and upstream's own readiness checks pass: its channels,
//      agents and plugins report ready);
//   2. every plugin named with --expect is registered: its `runtime.state` in the gateway's `plugins.list` RPC
//      is "active" (not "unloaded" after a failed register such as PluginTrustRefusalError, not "disabled");
//   3. every channel the config configures (`channels.<id>` that is an object without `enabled: false`; the
//      config is --config FILE, else $OPENCLAW_CONFIG_PATH, which the units and the image set; no config file:
//      this check is skipped and said so) is known to the running gateway (`channels.status` RPC lists it: its
//      plugin registered, and that plugin is not unloaded or disabled) and each of its enabled, configured
//      accounts is running or retrying: `running: true`, or upstream's lifecycle "starting", "ready" or
//      "recovering", or a restart scheduled (`restartPending`). A channel account that is "stopped" without a
//      pending restart, or "blocked" (e.g. a terminal disconnect), is unhealthy.
// With no --expect and no configured channel, 1 is the whole check (no WebSocket, no token needed). With no token
// and no password (`auth.mode = "none"`) 1 is the whole check too, and the JSON line says what was not checked:
// upstream admits a client without either only with a device identity, which it pairs and keeps (measured,
// 2026.9.6: `connect` without one is refused NOT_PAIRED / DEVICE_IDENTITY_REQUIRED), and a probe every interval
// would pile paired devices up.
// /readyz alone is not enough: a channel plugin that failed during register leaves it at
// 200 {"ready":true,"failing":[]} (measured, 2026.9.6). Offline or with bad credentials a channel retries
// ("recovering"): that is healthy here (the gateway does what it can, and a restart would not help), a
// stopped channel is not.
//
//   node health-probe.mjs --url ws://127.0.0.1:18789 [--token-file F | --password-file F] [--config FILE]
//                         [--expect discord,slack] [--timeout-ms 15000]
// (--port N [--host H] instead of --url; the token may also come from $OPENCLAW_GATEWAY_TOKEN, the password
// from $OPENCLAW_GATEWAY_PASSWORD: a file is better, argv is visible to every user.) The --url, --token-file,
// --password-file and --timeout-ms flags are those of Clawdbot's probe (nix/health-probe.mjs), so one command
// line (nix/health-probe.nix) checks either gateway.
//
// Exit 0 healthy; 1 otherwise, with one JSON line saying why (the plugin's runtime error and each channel
// account's state as the gateway reports them); 64 for a usage error. Node >= 22 (global WebSocket and fetch),
// no dependency. Upstream's protocol 4: after the `connect.challenge` event, `connect` with the gateway token
// or password (no device identity needed) and the operator.read scope, which `plugins.list` and
// `channels.status` require (dist/method-scopes-*.mjs); handlers in dist/plugins-*.mjs (`runtime.state`:
// "active" | "service-failed" | "disabled" | "unloaded", `runtime.error`) and dist/channels-*.mjs
// (`channelAccounts.<id>`: account snapshots with `running`, `lifecycle`, `restartPending`, `lastError`;
// lifecycles in dist/server-channels-*.mjs).
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const FLAGS = new Set(["--url", "--host", "--port", "--timeout-ms", "--expect", "--config", "--token-file", "--password-file", "--token-env"]);
const usage = (why) => {
  process.stderr.write(`health-probe: ${why}\n`);
  process.exit(64);
};
for (let i = 0; i < args.length; i += 2) {
  if (!FLAGS.has(args[i])) usage(`unknown flag ${args[i]}`);
  if (i + 1 >= args.length) usage(`${args[i]} needs a value`);
}
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const readSecret = (file) => {
  try {
    return readFileSync(file, "utf8").trim();
  } catch (e) {
    usage(`cannot read ${file}: ${e.message}`);
  }
};
let host = opt("--host", "127.0.0.1");
let port = Number(opt("--port", "18789"));
const url = opt("--url", "");
if (url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    usage(`--url ${url}: not a URL (ws://HOST:PORT)`);
  }
  host = u.hostname;
  port = Number(u.port || (u.protocol === "wss:" ? 443 : 80));
}
const timeoutMs = Number(opt("--timeout-ms", "15000"));
const expected = opt("--expect", "")
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);
const tokenFile = opt("--token-file", "");
const passwordFile = opt("--password-file", "");
const token = tokenFile ? readSecret(tokenFile) : (process.env[opt("--token-env", "OPENCLAW_GATEWAY_TOKEN")] ?? "");
const password = passwordFile ? readSecret(passwordFile) : (process.env.OPENCLAW_GATEWAY_PASSWORD ?? "");
const configPath = opt("--config", process.env.OPENCLAW_CONFIG_PATH ?? "");
// Not channels: the settings every channel shares.
const CHANNEL_SETTINGS = new Set(["defaults", "modelByChannel"]);
let configured = null;
if (configPath) {
  try {
    const config = JSON.parse(readFileSync(configPath, "utf8"));
    configured = Object.entries(config.channels ?? {})
      .filter(([id, v]) => !CHANNEL_SETTINGS.has(id) && v && typeof v === "object" && !Array.isArray(v) && v.enabled !== false)
      .map(([id]) => id)
      .sort();
  } catch (e) {
    // the module renders JSON; a config this cannot read is a finding, not a pass
    console.log(JSON.stringify({ healthy: false, error: `config ${configPath}: ${String(e).slice(0, 300)}` }));
    process.exit(1);
  }
}

const fail = (why) => {
  console.log(JSON.stringify({ healthy: false, ...why }));
  process.exit(1);
};
setTimeout(() => fail({ error: `no answer within ${timeoutMs} ms` }), timeoutMs).unref();

const ready = await fetch(`http://${host}:${port}/readyz`, { signal: AbortSignal.timeout(timeoutMs) }).then(
  async (r) => ({ status: r.status, body: await r.text() }),
  (e) => ({ status: 0, body: String(e) }),
);
// Not listening: nothing more to ask. Listening but not ready (503): the plugins' states still say why.
if (ready.status === 0) fail({ readyz: 0, error: ready.body.slice(0, 500) });
const readyOnly = (unchecked) => {
  console.log(JSON.stringify({ healthy: ready.status === 200, readyz: ready.status, ...unchecked, ...(ready.status === 200 ? {} : { body: ready.body.slice(0, 500) }) }));
  process.exit(ready.status === 200 ? 0 : 1);
};
if (expected.length === 0 && !configured?.length) readyOnly({});
if (!token && !password) {
  const why = 'not checked: no token and no password (auth.mode = "none"); upstream answers a client without them only with a paired device identity';
  readyOnly({ plugins: why, channels: why });
}

const status = await new Promise((resolve) => {
  const ws = new WebSocket(`ws://${host}:${port}`);
  let seq = 0;
  const pending = new Map();
  const call = (method, params = {}) =>
    new Promise((done) => {
      const id = `h${++seq}`;
      pending.set(id, done);
      ws.send(JSON.stringify({ type: "req", id, method, params }));
    });
  ws.onerror = (e) => fail({ error: `websocket: ${e.message ?? "error"}` });
  ws.onmessage = async (event) => {
    let frame;
    try {
      frame = JSON.parse(String(event.data));
    } catch {
      return;
    }
    if (frame.type === "event" && frame.event === "connect.challenge") {
      const hello = await call("connect", {
        minProtocol: 4,
        maxProtocol: 4,
        client: { id: "cli", version: "nix-health-probe", platform: process.platform, mode: "cli" },
        role: "operator",
        scopes: ["operator.read"],
        caps: [],
        auth: { ...(token ? { token } : {}), ...(password ? { password } : {}) },
      });
      if (!hello.ok) fail({ error: `connect refused: ${JSON.stringify(hello.error ?? null)}` });
      const r = await call("plugins.list", {});
      if (!r.ok) fail({ error: `plugins.list: ${JSON.stringify(r.error ?? null)}` });
      const c = configured?.length ? await call("channels.status", { probe: false }) : null;
      ws.close();
      if (c && !c.ok) fail({ error: `channels.status: ${JSON.stringify(c.error ?? null)}` });
      resolve({ plugins: r.payload.plugins, channelAccounts: c?.payload?.channelAccounts ?? {} });
    }
    if (frame.type === "res" && pending.has(frame.id)) {
      const done = pending.get(frame.id);
      pending.delete(frame.id);
      done(frame);
    }
  };
});

const listed = status.plugins;
const plugins = Object.fromEntries(
  expected.map((id) => {
    const p = listed.find((q) => q.id === id);
    return [id, p ? { state: p.runtime?.state ?? "unknown", origin: p.origin, ...(p.runtime?.error ? { error: p.runtime.error } : {}) } : { state: "missing" }];
  }),
);
const RUNNING_OR_RETRYING = new Set(["starting", "ready", "recovering"]);
const channels = Object.fromEntries(
  (configured ?? []).map((id) => {
    const raw = status.channelAccounts[id];
    const accounts = (Array.isArray(raw) ? raw : Object.values(raw ?? {})).filter((a) => a && a.enabled !== false && a.configured !== false);
    // the plugin providing the channel (its id, or a plugin listing the channel) must be registered
    const provider = listed.find((p) => p.id === id || [p.channels, p.channelIds].some((c) => Array.isArray(c) && c.includes(id)));
    if (provider && provider.runtime?.state && provider.runtime.state !== "active")
      return [id, { ok: false, why: `its plugin ${provider.id} is ${provider.runtime.state}${provider.runtime.error ? `: ${String(provider.runtime.error).slice(0, 200)}` : ""}` }];
    if (!raw) return [id, { ok: false, why: "the gateway has no such channel (its plugin did not register)" }];
    if (accounts.length === 0) return [id, { ok: false, why: "upstream finds no enabled, configured account (credentials or a login missing): the channel does not run" }];
    const summary = accounts.map((a) => ({
      accountId: a.accountId,
      running: a.running === true,
      lifecycle: a.lifecycle ?? null,
      ...(a.restartPending ? { restartPending: true } : {}),
      ...(a.lastError ? { lastError: String(a.lastError).slice(0, 200) } : {}),
      ok: a.running === true || RUNNING_OR_RETRYING.has(a.lifecycle) || a.restartPending === true,
    }));
    return [id, { ok: summary.every((a) => a.ok), accounts: summary }];
  }),
);
const healthy = ready.status === 200 && Object.values(plugins).every((p) => p.state === "active") && Object.values(channels).every((c) => c.ok);
console.log(
  JSON.stringify({
    healthy,
    readyz: ready.status,
    plugins,
    ...(configured ? { channels } : { channels: "not checked: no --config and no OPENCLAW_CONFIG_PATH" }),
    ...(ready.status === 200 ? {} : { body: ready.body.slice(0, 500) }),
  }),
);
process.exit(healthy ? 0 : 1);
