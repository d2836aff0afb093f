// OpenClaw health that counts the separately published plugins: GET /readyz must be 200, and every plugin
// named with --expect must be active in the running gateway (its `plugins.list` RPC: `runtime.state` is
// "active"). /readyz alone is not enough: a channel plugin that failed during register (e.g. upstream's
// PluginTrustRefusalError) leaves it at 200 {"ready":true,"failing":[]} (measured, 2026.9.6).
//
//   node plugin-health.mjs --port 18789 --expect discord,slack [--timeout-ms 15000] [--token-env OPENCLAW_GATEWAY_TOKEN]
//
// Exit 0 healthy; 1 otherwise, with one JSON line saying why (the plugin's runtime error as the gateway
// reports it). Node >= 22 (global WebSocket and fetch), no dependency. Upstream's protocol 4: after the
// `connect.challenge` event, `connect` with the gateway token (no device identity needed) and the
// operator.read scope, which `plugins.list` requires (dist/method-scopes-*.mjs); the handler is in
// dist/plugins-*.mjs (`runtime.state`: "active" | "service-failed" | "disabled" | "unloaded", `runtime.error`).
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const port = Number(opt("--port", "18789"));
const host = opt("--host", "127.0.0.1");
const timeoutMs = Number(opt("--timeout-ms", "15000"));
const expected = opt("--expect", "")
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);
const token = process.env[opt("--token-env", "OPENCLAW_GATEWAY_TOKEN")] ?? "";

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
if (expected.length === 0) {
  console.log(JSON.stringify({ healthy: ready.status === 200, readyz: ready.status, ...(ready.status === 200 ? {} : { body: ready.body.slice(0, 500) }) }));
  process.exit(ready.status === 200 ? 0 : 1);
}

const listed = await new Promise((resolve) => {
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
        client: { id: "cli", version: "nix-plugin-health", platform: process.platform, mode: "cli" },
        role: "operator",
        scopes: ["operator.read"],
        caps: [],
        auth: { token },
      });
      if (!hello.ok) fail({ error: `connect refused: ${JSON.stringify(hello.error ?? null)}` });
      const r = await call("plugins.list", {});
      ws.close();
      if (!r.ok) fail({ error: `plugins.list: ${JSON.stringify(r.error ?? null)}` });
      resolve(r.payload.plugins);
    }
    if (frame.type === "res" && pending.has(frame.id)) {
      const done = pending.get(frame.id);
      pending.delete(frame.id);
      done(frame);
    }
  };
});

const plugins = Object.fromEntries(
  expected.map((id) => {
    const p = listed.find((q) => q.id === id);
    return [id, p ? { state: p.runtime?.state ?? "unknown", origin: p.origin, ...(p.runtime?.error ? { error: p.runtime.error } : {}) } : { state: "missing" }];
  }),
);
const healthy = ready.status === 200 && Object.values(plugins).every((p) => p.state === "active");
console.log(JSON.stringify({ healthy, readyz: ready.status, plugins, ...(ready.status === 200 ? {} : { body: ready.body.slice(0, 500) }) }));
process.exit(healthy ? 0 : 1);
