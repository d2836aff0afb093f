// WS health probe run INSIDE the container by the bind-mounted Node 22 (global WebSocket, no dependency).
// usage: node ws-health.mjs --url ws://127.0.0.1:PORT [--token-file F | --token T] [--timeout-ms N]
// Prints one JSON line. Exit 0: health ok:true. 2: the gateway refused the connect (auth). 1: anything else
// (not listening yet, timeout, protocol error).
const args = process.argv.slice(2);
const arg = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const url = arg("--url") ?? "ws://127.0.0.1:18789";
const tokenFile = arg("--token-file");
let token = arg("--token");
if (tokenFile) token = (await import("node:fs")).readFileSync(tokenFile, "utf8").trim();
const timeoutMs = Number(arg("--timeout-ms") ?? 8000);

const finish = (code, result) => {
  console.log(JSON.stringify(result));
  process.exit(code);
};
setTimeout(() => finish(1, { ok: false, stage: "timeout" }), timeoutMs).unref();

let ws;
try {
  ws = new WebSocket(url);
} catch (error) {
  finish(1, { ok: false, stage: "open", error: String(error) });
}
let connected = false;
const connect = () =>
  ws.send(
    JSON.stringify({
      type: "req",
      id: "c1",
      method: "connect",
      params: {
        minProtocol: 3,
        maxProtocol: 3,
        client: { id: "cli", version: "probe", platform: "linux", mode: "probe" },
        role: "operator",
        scopes: ["operator.read"],
        caps: [],
        ...(token ? { auth: { token } } : {}),
      },
    }),
  );
ws.addEventListener("error", () => finish(1, { ok: false, stage: connected ? "request" : "open", error: "socket error" }));
ws.addEventListener("close", (event) =>
  finish(connected ? 1 : 2, { ok: false, stage: connected ? "request" : "connect", close: event.code, reason: event.reason }),
);
ws.addEventListener("message", (event) => {
  let frame;
  try {
    frame = JSON.parse(String(event.data));
  } catch {
    return;
  }
  if (frame.type === "event" && frame.event === "connect.challenge") connect();
  else if (frame.type === "res" && frame.id === "c1") {
    if (!frame.ok) finish(2, { ok: false, stage: "connect", error: frame.error });
    connected = true;
    ws.send(JSON.stringify({ type: "req", id: "h1", method: "health", params: {} }));
  } else if (frame.type === "res" && frame.id === "h1") {
    const ok = frame.ok === true && frame.payload?.ok === true;
    finish(ok ? 0 : 1, { ok, stage: "health", error: frame.error });
  }
});
