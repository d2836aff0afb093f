#!/usr/bin/env node
// Health probe for the Clawdbot gateway, shipped as share/clawdbot/health-probe.mjs. The gateway has no
// HTTP health endpoint (every GET returns the Control UI page), so this speaks its WebSocket protocol:
//
//   server → {"type":"event","event":"connect.challenge",...}
//   client → {"type":"req","id":"c1","method":"connect","params":{minProtocol 3, client, role, scopes, auth}}
//   server → {"type":"res","id":"c1","ok":true,"payload":{"type":"hello-ok",...}}
//   client → {"type":"req","id":"h1","method":"health","params":{}}
//   server → {"type":"res","id":"h1","ok":true,"payload":{...}}
//
// Usage (Node 22, global WebSocket; no dependencies):
//   node health-probe.mjs --url ws://127.0.0.1:18789 [--token-file F | --password-file F] [--timeout-ms N]
// The token may also come from CLAWDBOT_GATEWAY_TOKEN (a file is better: argv is visible to every user).
// Exit 0 when the health request answers ok:true; 2 when the gateway refused the connect (auth); 1 for
// anything else (not listening yet, timeout, protocol error); 64 for a usage error. One JSON line on stdout.
// Tests on Node 20 import `probeHealth` and pass the `ws` package's WebSocket as `WebSocketImpl`.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { resolve } from "node:path";

/**
 * @param {{ url: string, token?: string, password?: string, timeoutMs?: number, WebSocketImpl?: any }} opts
 * @returns {Promise<{ ok: boolean, stage: string, refused?: boolean, error?: string, health?: unknown, hello?: unknown }>}
 */
export function probeHealth({ url, token, password, timeoutMs = 10_000, WebSocketImpl = globalThis.WebSocket }) {
  return new Promise((done) => {
    let stage = "open";
    let settled = false;
    let ws;
    let hello;
    const finish = (result) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try {
        ws?.close();
      } catch {
        /* already closed */
      }
      done(result);
    };
    const timer = setTimeout(() => finish({ ok: false, stage, error: `timed out after ${timeoutMs} ms` }), timeoutMs);
    const auth = {};
    if (token) auth.token = token;
    if (password) auth.password = password;
    const sendConnect = () => {
      if (stage !== "open" && stage !== "challenge") return;
      stage = "connect";
      ws.send(
        JSON.stringify({
          type: "req",
          id: "c1",
          method: "connect",
          params: {
            minProtocol: 3,
            maxProtocol: 3,
            client: { id: "cli", version: "health-probe", platform: process.platform, mode: "probe" },
            role: "operator",
            scopes: ["operator.read"],
            caps: [],
            ...(token || password ? { auth } : {}),
          },
        }),
      );
    };
    try {
      ws = new WebSocketImpl(url);
    } catch (err) {
      finish({ ok: false, stage, error: String(err) });
      return;
    }
    ws.addEventListener("error", (ev) => finish({ ok: false, stage, error: String(ev?.message ?? ev?.error ?? "websocket error") }));
    // Closed while the connect request is pending: the gateway refused it (it closes on bad auth).
    ws.addEventListener("close", (ev) =>
      finish({ ok: false, stage, ...(stage === "connect" ? { refused: true } : {}), error: `closed (${ev?.code ?? "?"}) ${ev?.reason ?? ""}`.trim() }),
    );
    ws.addEventListener("message", (ev) => {
      let frame;
      try {
        frame = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      if (frame.type === "event" && frame.event === "connect.challenge") {
        stage = "challenge";
        sendConnect();
      } else if (frame.type === "res" && frame.id === "c1") {
        if (!frame.ok || frame.payload?.type !== "hello-ok") {
          const error = frame.error?.message ?? JSON.stringify(frame.error ?? frame.payload);
          finish({ ok: false, stage, refused: true, error });
          return;
        }
        hello = frame.payload;
        stage = "health";
        ws.send(JSON.stringify({ type: "req", id: "h1", method: "health", params: {} }));
      } else if (frame.type === "res" && frame.id === "h1") {
        if (frame.ok === true) finish({ ok: true, stage, health: frame.payload, hello: { protocol: hello?.protocol } });
        else finish({ ok: false, stage, error: frame.error?.message ?? "health returned ok:false" });
      }
    });
  });
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === "--url") out.url = value;
    else if (flag === "--token-file") out.token = readFileSync(value, "utf8").trim();
    else if (flag === "--password-file") out.password = readFileSync(value, "utf8").trim();
    else if (flag === "--timeout-ms") out.timeoutMs = Number(value);
    else throw new Error(`unknown flag ${flag}`);
    i++;
  }
  if (!out.url) throw new Error("--url ws://HOST:PORT is required");
  if (!out.token && process.env.CLAWDBOT_GATEWAY_TOKEN) out.token = process.env.CLAWDBOT_GATEWAY_TOKEN;
  return out;
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`health-probe: ${err.message}\n`);
    process.exit(64);
  }
  if (typeof globalThis.WebSocket !== "function") {
    process.stderr.write("health-probe: this Node has no global WebSocket (Node >= 22 needed)\n");
    process.exit(64);
  }
  const result = await probeHealth(opts);
  const { ok, stage, refused, error } = result;
  process.stdout.write(JSON.stringify({ ok, stage, ...(refused ? { refused } : {}), ...(error ? { error } : {}) }) + "\n");
  process.exit(ok ? 0 : refused ? 2 : 1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
