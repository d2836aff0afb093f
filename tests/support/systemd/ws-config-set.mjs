// What the Control UI (or the agent's gateway tool) does to change the config at run time, run INSIDE the
// container by the gateway's Node: connect with the token and operator.admin, config.get, then config.set
// with one setting changed. usage: node ws-config-set.mjs --url ws://127.0.0.1:PORT --token-file F
//   [--method config.set|config.patch] [--max-concurrent N] [--protocol 3|4]
// --protocol 4 (OpenClaw): connect as a `cli` client offering protocols 3–4 (OpenClaw admits a `probe` client
// at protocol 3 but gives it no scope); 3 (Clawdbot, the default): a `probe` client at protocol 3.
// Prints one JSON line: { stage, ok, error? }. Exit 0 when the gateway accepted the write.
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const arg = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const url = arg("--url") ?? "ws://127.0.0.1:18789";
// config.set (the whole raw file, as the Control UI's editor) or config.patch (a merge patch, as the agent's
// gateway tool); --max-concurrent: the value written
const method = arg("--method") ?? "config.set";
const maxConcurrent = Number(arg("--max-concurrent") ?? "7");
const protocol = Number(arg("--protocol") ?? "3");
const token = readFileSync(arg("--token-file"), "utf8").trim();
const finish = (code, result) => {
  console.log(JSON.stringify(result));
  process.exit(code);
};
setTimeout(() => finish(1, { ok: false, stage: "timeout" }), 15000).unref();

const ws = new WebSocket(url);
const send = (id, method, params) => ws.send(JSON.stringify({ type: "req", id, method, params }));
ws.addEventListener("error", () => finish(1, { ok: false, stage: "socket" }));
ws.addEventListener("message", (event) => {
  const frame = JSON.parse(String(event.data));
  if (frame.type === "event" && frame.event === "connect.challenge") {
    send("c1", "connect", {
      minProtocol: 3,
      maxProtocol: protocol,
      client: { id: "cli", version: "container-test", platform: "linux", mode: protocol >= 4 ? "cli" : "probe" },
      role: "operator",
      scopes: ["operator.admin"],
      caps: [],
      auth: { token },
    });
  } else if (frame.type === "res" && frame.id === "c1") {
    if (!frame.ok) finish(1, { ok: false, stage: "connect", error: frame.error });
    send("g1", "config.get", {});
  } else if (frame.type === "res" && frame.id === "g1") {
    if (!frame.ok) finish(1, { ok: false, stage: "config.get", error: frame.error });
    const snapshot = frame.payload;
    if (method === "config.patch") {
      // a merge patch onto the config as the gateway loaded it (its ${VAR} references substituted)
      send("s1", "config.patch", { raw: JSON.stringify({ agents: { defaults: { maxConcurrent: maxConcurrent } } }), baseHash: snapshot.hash });
    } else {
      const config = JSON.parse(snapshot.raw);
      config.agents = { ...config.agents, defaults: { ...config.agents?.defaults, maxConcurrent } };
      send("s1", "config.set", { raw: JSON.stringify(config), baseHash: snapshot.hash });
    }
  } else if (frame.type === "res" && frame.id === "s1") {
    finish(frame.ok ? 0 : 1, { ok: frame.ok, stage: method, error: frame.error });
  }
});
