#!/usr/bin/env node
// Another local user holding the gateway's port while the gateway is down (issue 19.1): listen on
// 127.0.0.1:PORT and [::1]:PORT, answer every WebSocket with `connect.challenge` as the gateway does, and
// log every frame a client sends, so that a test can tell whether the owner's command handed over its
// token. The `connect` request is answered with an error and the socket closed (a client then gives up at
// once instead of waiting for its timeout).
//
//   node port-squatter.mjs --port PORT [--ws-from DIR]
// --ws-from: a folder from which `ws` resolves (the gateway's own node_modules in a container).
// Prints "LISTENING <addresses>" once bound, then one JSON line per frame received: {"frame": <text>}.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";

const args = process.argv.slice(2);
const arg = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const port = Number(arg("--port"));
if (!port) throw new Error("--port is required");
const wsFrom = arg("--ws-from");
const require = createRequire(wsFrom ? join(wsFrom, "noop.js") : import.meta.url);
const { WebSocketServer } = require("ws");

const log = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");
const bound = [];
for (const host of ["127.0.0.1", "::1"]) {
  const server = createServer((req, res) => {
    log({ http: `${req.method} ${req.url}`, authorization: req.headers.authorization ?? null });
    res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>gateway</title>");
  });
  const wss = new WebSocketServer({ server });
  wss.on("connection", (ws, req) => {
    log({ connection: req.url, authorization: req.headers.authorization ?? null });
    ws.send(JSON.stringify({ type: "event", event: "connect.challenge", payload: { nonce: randomUUID(), ts: Date.now() } }));
    ws.on("message", (data) => {
      const text = String(data);
      log({ frame: text });
      let frame;
      try {
        frame = JSON.parse(text);
      } catch {
        return;
      }
      if (frame.type === "req" && frame.method === "connect") {
        ws.send(JSON.stringify({ type: "res", id: frame.id, ok: false, error: { code: "UNAVAILABLE", message: "squatter" } }));
        setTimeout(() => ws.close(), 100);
      }
    });
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port, ipv6Only: host === "::1" }, resolve);
  }).then(
    () => bound.push(`${host}:${port}`),
    (err) => log({ listenError: `${host}:${port} ${err.code}` }),
  );
}
if (bound.length === 0) process.exit(1);
process.stdout.write(`LISTENING ${bound.join(" ")}\n`);
