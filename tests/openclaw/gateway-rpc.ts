// A small client of the gateways' WebSocket protocol for the migration test: connect with the gateway token
// (no device identity: token auth needs none), then call methods. Clawdbot speaks protocol 3, OpenClaw 4.
// Bounded: every call times out; the socket is closed by close().
import WebSocket from "ws";

export interface RpcResult {
  ok: boolean;
  payload?: unknown;
  error?: { code?: string; message?: string } & Record<string, unknown>;
}

export interface GatewayRpc {
  hello: unknown;
  call(method: string, params?: Record<string, unknown>, timeoutMs?: number): Promise<RpcResult>;
  close(): void;
}

export function connectRpc(opts: {
  port: number;
  token: string;
  protocol: 3 | 4;
  scopes?: string[];
  timeoutMs?: number;
}): Promise<GatewayRpc> {
  const ws = new WebSocket(`ws://127.0.0.1:${opts.port}`);
  const pending = new Map<string, (r: RpcResult) => void>();
  let seq = 0;
  let closed = false;
  const close = () => {
    closed = true;
    try {
      ws.close();
    } catch {
      /* already closed */
    }
  };
  const call = (method: string, params: Record<string, unknown> = {}, timeoutMs = 15_000): Promise<RpcResult> =>
    new Promise((resolveCall) => {
      if (closed) return resolveCall({ ok: false, error: { message: "socket closed" } });
      const id = `r${++seq}`;
      const timer = setTimeout(() => {
        pending.delete(id);
        resolveCall({ ok: false, error: { message: `${method}: timed out after ${timeoutMs} ms` } });
      }, timeoutMs);
      pending.set(id, (r) => {
        clearTimeout(timer);
        resolveCall(r);
      });
      ws.send(JSON.stringify({ type: "req", id, method, params }));
    });
  return new Promise((resolveConnect, rejectConnect) => {
    const timer = setTimeout(() => {
      close();
      rejectConnect(new Error(`connect timed out after ${opts.timeoutMs ?? 15_000} ms`));
    }, opts.timeoutMs ?? 15_000);
    let connecting = false;
    const sendConnect = () => {
      if (connecting) return;
      connecting = true;
      void call("connect", {
        minProtocol: opts.protocol,
        maxProtocol: opts.protocol,
        client: { id: "cli", version: "migration-test", platform: process.platform, mode: "cli" },
        role: "operator",
        scopes: opts.scopes ?? ["operator.read", "operator.write", "operator.admin"],
        caps: [],
        auth: { token: opts.token },
      }).then((r) => {
        clearTimeout(timer);
        if (!r.ok) {
          close();
          rejectConnect(new Error(`connect refused: ${JSON.stringify(r.error)}`));
        } else resolveConnect({ hello: r.payload, call, close });
      });
    };
    ws.on("message", (data) => {
      let frame: { type?: string; id?: string; event?: string; ok?: boolean; payload?: unknown; error?: RpcResult["error"] };
      try {
        frame = JSON.parse(String(data));
      } catch {
        return;
      }
      if (frame.type === "event" && frame.event === "connect.challenge") sendConnect();
      if (frame.type === "res" && frame.id && pending.has(frame.id)) {
        const done = pending.get(frame.id)!;
        pending.delete(frame.id);
        done({ ok: frame.ok === true, payload: frame.payload, ...(frame.error ? { error: frame.error } : {}) });
      }
    });
    ws.on("error", (err) => {
      clearTimeout(timer);
      close();
      rejectConnect(err);
    });
    ws.on("close", () => {
      closed = true;
      for (const [id, done] of pending) {
        pending.delete(id);
        done({ ok: false, error: { message: "socket closed" } });
      }
    });
  });
}

/**
 * A local OpenAI-compatible chat completions endpoint (no network): every request is answered with one
 * streamed assistant message `reply`, so a gateway's agent run completes and writes a real transcript.
 */
export async function fakeModelServer(reply: string): Promise<{ port: number; requests: unknown[]; close(): Promise<void> }> {
  const { createServer } = await import("node:http");
  const requests: unknown[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      let parsed: { stream?: boolean; model?: string } = {};
      try {
        parsed = JSON.parse(body);
      } catch {
        /* not JSON */
      }
      requests.push({ url: req.url, body: parsed });
      if (!req.url?.endsWith("/chat/completions")) {
        res.writeHead(404).end();
        return;
      }
      const id = `chatcmpl-${requests.length}`;
      const created = Math.floor(Date.now() / 1000);
      const model = parsed.model ?? "echo";
      if (parsed.stream === false) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ id, object: "chat.completion", created, model, choices: [{ index: 0, message: { role: "assistant", content: reply }, finish_reason: "stop" }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) =>
        `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
      res.write(chunk({ role: "assistant", content: "" }, null));
      res.write(chunk({ content: reply }, null));
      res.write(chunk({}, "stop", { usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
      res.end("data: [DONE]\n\n");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  return { port, requests, close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }) };
}
