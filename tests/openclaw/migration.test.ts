// T0: moving from services.clawdbot to services.openclaw keeps the state (docs/migrating.md, "From
// services.clawdbot to services.openclaw"). The real Clawdbot (2026.1.24-3, Node 22) runs in Nix mode with the
// environment and config layout its module renders, and writes real state through its own protocol and CLI: a
// session with a real transcript (its agent answered by a local OpenAI-compatible endpoint: no network), the
// CLI's device identity, its pairing and device token, the default workspace, the gateway-token file as the
// launcher writes it. Then the documented procedure runs, as a user would run it (copy the state directory,
// drop the old config link, put the workspace and the CLI identity where OpenClaw looks, move `messages.tts`
// to `tts`), and the real OpenClaw (2026.9.6, Node 24) starts in Nix mode on the copy with the environment
// services.openclaw renders (OPENCLAW_NIX_MODE, _STATE_DIR, _CONFIG_PATH → a read-only rendered config, HOME,
// TMPDIR, no mDNS, the token from the copied token file). Proven for both layouts: NixOS (HOME = the state
// directory, /var/lib/clawdbot → /var/lib/openclaw) and Home Manager / nix-darwin (~/.clawdbot →
// ~/.openclaw, workspace ~/clawd).
//
// What OpenClaw does on its own (observed here, Nix mode, OPENCLAW_STATE_DIR set): no move of ~/.clawdbot
// (upstream skips its automatic move whenever OPENCLAW_STATE_DIR is set); at its first start it imports the
// legacy files into SQLite: sessions.json + JSONL transcripts → agents/<id>/agent/openclaw-agent.sqlite (the
// originals go to agents/<id>/session-sqlite-import-archive/), devices/*.json, identity/device-auth.json,
// identity/device.json and cron/jobs.json → state/openclaw.sqlite (originals renamed *.migrated or removed).
// That is one-way: Clawdbot cannot read the result. So the procedure copies, and the old directory stays
// untouched for a rollback, which is proven too (the old directory byte for byte, and Clawdbot started on it
// again with its history).
import { createHash } from "node:crypto";
import {
  appendFileSync,
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CACHE, freePort, killAll, prepareGateway, startGateway, type GatewayDirs, type PreparedGateway, type RunningGateway } from "../support/gateway.js";
import { runAsync } from "../support/process.js";
import { connectRpc, fakeModelServer } from "./gateway-rpc.js";

let clawdbot: PreparedGateway;
let openclaw: PreparedGateway;
let fake: Awaited<ReturnType<typeof fakeModelServer>>;
const bases: string[] = [];
const running: RunningGateway[] = [];

beforeAll(async () => {
  // Both trees as the Nix packages lay them out (cached; the first preparation takes minutes).
  [clawdbot, openclaw] = await Promise.all([prepareGateway("clawdbot"), prepareGateway("openclaw")]);
  fake = await fakeModelServer("pong from the model");
}, 30 * 60_000);

afterAll(async () => {
  for (const g of running) await g.stop(10_000).catch(() => undefined);
  killAll();
  await fake?.close();
  for (const b of bases) {
    await runAsync("chmod", ["-R", "u+w", b], { timeoutMs: 60_000 }); // the fake store is read-only
    rmSync(b, { recursive: true, force: true });
  }
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every entry under dir: a file's sha256, a link's target, a directory's name (for "untouched"). */
function snapshot(dir: string, rel = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(join(dir, rel)).sort()) {
    const r = join(rel, name);
    const p = join(dir, r);
    const st = lstatSync(p);
    if (st.isSymbolicLink()) out[r] = `-> ${readlinkSync(p)}`;
    else if (st.isDirectory()) Object.assign(out, { [r]: "dir" }, snapshot(dir, r));
    else out[r] = createHash("sha256").update(readFileSync(p)).digest("hex");
  }
  return out;
}

/** Write a rendered config into the fake store (read-only, like /nix/store) and link it as the launcher does. */
function renderConfig(store: string, name: string, settings: unknown, target: string): string {
  mkdirSync(store, { recursive: true });
  chmodSync(store, 0o755);
  const file = join(store, name);
  writeFileSync(file, JSON.stringify(settings));
  chmodSync(file, 0o444);
  chmodSync(store, 0o555);
  rmSync(target, { force: true });
  symlinkSync(file, target);
  return file;
}

type LayoutName = "NixOS" | "Home Manager / nix-darwin";

interface Layout {
  name: LayoutName;
  base: string;
  /** HOME of each service (NixOS: the state directory; Home Manager: the user's home). */
  oldHome: string;
  newHome: string;
  oldState: string;
  newState: string;
  oldTmp: string;
  newTmp: string;
  /** Clawdbot's default workspace (~/clawd) and its CLI identity (~/.clawdbot/identity/device.json). */
  oldWorkspace: string;
  oldIdentity: string;
  store: string;
}

function layout(name: LayoutName): Layout {
  mkdirSync(join(CACHE, "runs"), { recursive: true, mode: 0o755 });
  const base = mkdtempSync(join(CACHE, "runs", "migration-"));
  bases.push(base);
  if (name === "NixOS") {
    // services.<gateway>: stateDir /var/lib/<gateway>, HOME = stateDir, TMPDIR /var/cache/<gateway>/tmp.
    const oldState = join(base, "var/lib/clawdbot");
    const newState = join(base, "var/lib/openclaw");
    return {
      name,
      base,
      oldHome: oldState,
      newHome: newState,
      oldState,
      newState,
      oldTmp: join(base, "var/cache/clawdbot/tmp"),
      newTmp: join(base, "var/cache/openclaw/tmp"),
      oldWorkspace: join(oldState, "clawd"),
      oldIdentity: join(oldState, ".clawdbot/identity/device.json"),
      store: join(base, "nix/store"),
    };
  }
  // Home Manager (Linux; nix-darwin's launchd agent has the same paths under /Users/<name>): ~/.<gateway>.
  const home = join(base, "home/alice");
  return {
    name,
    base,
    oldHome: home,
    newHome: home,
    oldState: join(home, ".clawdbot"),
    newState: join(home, ".openclaw"),
    oldTmp: join(home, ".cache/clawdbot/tmp"),
    newTmp: join(home, ".cache/openclaw/tmp"),
    oldWorkspace: join(home, "clawd"),
    oldIdentity: join(home, ".clawdbot/identity/device.json"),
    store: join(base, "nix/store"),
  };
}

/** The settings both modules render from the same user settings (token auth on loopback, the log file). */
function rendered(port: number, stateDir: string, user: Record<string, unknown>) {
  return {
    gateway: { mode: "local", port, bind: "loopback", auth: { mode: "token" } },
    logging: { file: join(stateDir, "logs/gateway.log") },
    ...user,
  };
}

/** The user's `settings`: a local model provider (the fake endpoint), and a key OpenClaw moved (messages.tts). */
const clawdbotSettings = () => ({
  models: {
    providers: {
      local: { baseUrl: `http://127.0.0.1:${fake.port}/v1`, apiKey: "test-key", api: "openai-completions", models: [{ id: "echo", name: "echo" }] },
    },
  },
  agents: { defaults: { model: { primary: "local/echo" } } },
  messages: { tts: { auto: "off" } },
});
/** The same settings after the documented change: `messages.tts` → `tts`. */
const openclawSettings = () => {
  const { messages, ...rest } = clawdbotSettings();
  return { ...rest, tts: messages.tts };
};

const dirsOf = (l: Layout, which: "old" | "new", config: string): GatewayDirs => ({
  // base is the working directory (the launcher's --chdir: the state directory); never cleaned up by the helper
  base: which === "old" ? l.oldState : l.newState,
  home: which === "old" ? l.oldHome : l.newHome,
  state: which === "old" ? l.oldState : l.newState,
  tmp: which === "old" ? l.oldTmp : l.newTmp,
  config,
  log: join(which === "old" ? l.oldState : l.newState, "logs/gateway.log"),
});

/** The launcher's --token: 64 hex digits and a newline, mode 0600, in the state directory. */
function writeGatewayToken(stateDir: string): string {
  const token = createHash("sha256").update(stateDir).digest("hex");
  writeFileSync(join(stateDir, "gateway-token"), `${token}\n`, { mode: 0o600 });
  return token;
}

const readToken = (stateDir: string) => readFileSync(join(stateDir, "gateway-token"), "utf8").replace(/\n+$/, "");

interface HistoryMessage {
  role: string;
  content: unknown;
}
const texts = (messages: HistoryMessage[]) => messages.map((m) => `${m.role}: ${typeof m.content === "string" ? m.content : JSON.stringify(m.content)}`);

async function history(port: number, token: string, protocol: 3 | 4): Promise<string[]> {
  const rpc = await connectRpc({ port, token, protocol });
  try {
    const h = await rpc.call("chat.history", { sessionKey: "agent:main:main" });
    expect(h.ok, JSON.stringify(h.error)).toBe(true);
    return texts((h.payload as { messages: HistoryMessage[] }).messages);
  } finally {
    rpc.close();
  }
}

async function startClawdbot(l: Layout, port: number): Promise<RunningGateway> {
  const g = await startGateway(clawdbot, {
    dirs: dirsOf(l, "old", join(l.oldState, "clawdbot.json")),
    port,
    token: readToken(l.oldState),
    args: ["--auth", "token"],
    env: { CLAWDBOT_NIX_MODE: "1", CLAWDBOT_NO_RESPAWN: "1" },
  });
  running.push(g);
  await g.waitHealthy(180_000);
  return g;
}

function startOpenclaw(l: Layout, port: number): Promise<RunningGateway> {
  return startGateway(openclaw, {
    dirs: dirsOf(l, "new", join(l.newState, "openclaw.json")),
    port,
    token: readToken(l.newState),
    args: ["--auth", "token"],
    env: { OPENCLAW_NIX_MODE: "1" },
  }).then((g) => (running.push(g), g));
}

for (const name of ["NixOS", "Home Manager / nix-darwin"] as const) {
  describe(`services.clawdbot → services.openclaw (${name} layout)`, () => {
    let l: Layout;
    let port: number;
    let token: string;
    let cliDeviceId: string;
    let oldSnapshot: Record<string, string>;
    let openclawConfig: string;
    let openclawConfigText: string;

    it("the real Clawdbot, in Nix mode, writes real state: a session with its transcript, a paired CLI device, the workspace, the token file", async () => {
      l = layout(name);
      for (const d of [l.oldHome, l.oldState, l.oldTmp, join(l.oldState, "logs")]) mkdirSync(d, { recursive: true });
      port = await freePort();
      token = writeGatewayToken(l.oldState);
      renderConfig(join(l.store, "aaaa-clawdbot.json"), "clawdbot.json", rendered(port, l.oldState, clawdbotSettings()), join(l.oldState, "clawdbot.json"));
      const g = await startClawdbot(l, port);

      const rpc = await connectRpc({ port, token, protocol: 3 });
      try {
        expect((await rpc.call("sessions.patch", { key: "agent:main:main", label: "before-migration" })).ok).toBe(true);
        const sent = await rpc.call("chat.send", { sessionKey: "agent:main:main", message: "hello from clawdbot", idempotencyKey: "m1" });
        expect(sent.ok, JSON.stringify(sent.error)).toBe(true);
        let h: string[] = [];
        for (let i = 0; i < 120 && !h.some((t) => t.includes("pong from the model")); i++) {
          await sleep(500);
          const r = await rpc.call("chat.history", { sessionKey: "agent:main:main" });
          h = r.ok ? texts((r.payload as { messages: HistoryMessage[] }).messages) : [];
        }
        expect(h.join("\n")).toContain("hello from clawdbot");
        expect(h.join("\n")).toContain("pong from the model");
      } finally {
        rpc.close();
      }
      // The CLI (as the owner's `clawdbot` command runs it: same HOME and state) makes its device identity and
      // is paired on loopback.
      const cli = await runAsync(clawdbot.bin, ["health", "--json"], {
        cwd: l.oldState,
        env: {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          HOME: l.oldHome,
          TMPDIR: l.oldTmp,
          CLAWDBOT_NIX_MODE: "1",
          CLAWDBOT_STATE_DIR: l.oldState,
          CLAWDBOT_CONFIG_PATH: join(l.oldState, "clawdbot.json"),
          CLAWDBOT_GATEWAY_TOKEN: token,
          CLAWDBOT_DISABLE_BONJOUR: "1",
        },
        timeoutMs: 120_000,
      });
      expect(cli.status, cli.stderr.slice(-2000)).toBe(0);
      // What the user wrote into the workspace (the agent's memory, notes).
      appendFileSync(join(l.oldWorkspace, "USER.md"), "\nMIGRATION-MARKER-42: the user's own notes\n");
      writeFileSync(join(l.oldWorkspace, "MEMORY.md"), "remember: the lobster moved\n");

      const stopped = await g.stop(30_000);
      expect(stopped.code ?? stopped.signal).toBe(0);
      // The layout Clawdbot left: what the procedure must carry over.
      cliDeviceId = (JSON.parse(readFileSync(l.oldIdentity, "utf8")) as { deviceId: string }).deviceId;
      expect(cliDeviceId).toMatch(/^[0-9a-f]{64}$/);
      const paired = JSON.parse(readFileSync(join(l.oldState, "devices/paired.json"), "utf8")) as Record<string, unknown>;
      expect(Object.keys(paired)).toContain(cliDeviceId);
      expect(existsSync(join(l.oldState, "identity/device-auth.json"))).toBe(true);
      const sessions = readFileSync(join(l.oldState, "agents/main/sessions/sessions.json"), "utf8");
      const sessionId = (JSON.parse(sessions) as Record<string, { sessionId: string }>)["agent:main:main"]!.sessionId;
      // The session store names its transcript by absolute path (the copy's entries point into the old directory).
      expect(sessions).toContain(join(l.oldState, "agents/main/sessions", `${sessionId}.jsonl`));
      expect(readFileSync(join(l.oldState, "agents/main/sessions", `${sessionId}.jsonl`), "utf8")).toContain("pong from the model");
      for (const f of ["AGENTS.md", "SOUL.md", "USER.md", "MEMORY.md"]) expect(existsSync(join(l.oldWorkspace, f)), f).toBe(true);
    }, 300_000);

    it("the documented procedure: copy the state directory, drop the old config link, workspace and CLI identity where OpenClaw looks", async () => {
      oldSnapshot = snapshot(l.oldState);
      // 2. Copy (never move: OpenClaw's first start converts the copy one way; the original is the rollback).
      const cp = await runAsync("cp", ["-a", l.oldState, l.newState], { timeoutMs: 120_000 });
      expect(cp.status, cp.stderr).toBe(0);
      // 3. The old config link (into the store) and the old gateway's backups are not OpenClaw's.
      rmSync(join(l.newState, "clawdbot.json"), { force: true });
      // 4. The workspace: Clawdbot's default ~/clawd, OpenClaw's default $OPENCLAW_STATE_DIR/workspace.
      if (name === "NixOS") renameSync(join(l.newState, "clawd"), join(l.newState, "workspace"));
      else {
        const ws = await runAsync("cp", ["-a", l.oldWorkspace, join(l.newState, "workspace")], { timeoutMs: 120_000 });
        expect(ws.status, ws.stderr).toBe(0);
      }
      // 5. NixOS only: Clawdbot's CLI identity lived under HOME (= the state directory): ~/.clawdbot/identity.
      if (name === "NixOS") {
        renameSync(join(l.newState, ".clawdbot/identity/device.json"), join(l.newState, "identity/device.json"));
        rmSync(join(l.newState, ".clawdbot"), { recursive: true });
      }
      expect(existsSync(join(l.newState, "identity/device.json"))).toBe(true);
      mkdirSync(l.newTmp, { recursive: true });
    });

    it("unchanged settings: OpenClaw refuses the legacy key messages.tts (exit 78, config untouched), after converting the state", async () => {
      const file = renderConfig(join(l.store, "bbbb-openclaw.json"), "openclaw.json", rendered(port, l.newState, clawdbotSettings()), join(l.newState, "openclaw.json"));
      const text = readFileSync(file, "utf8");
      const g = await startOpenclaw(l, port);
      const timer = setTimeout(() => void g.stop(1_000), 150_000);
      const exit = await g.exited;
      clearTimeout(timer);
      const out = g.output();
      expect(exit.code, out.slice(-3000)).toBe(78);
      expect(out).toContain("Legacy config keys detected");
      expect(out).toMatch(/messages\.tts: messages\.tts moved to top-level tts/);
      expect(out).toContain("Config is managed by Nix");
      // The config: the same link, the same bytes, no backup (Nix mode: no migration of the config).
      expect(readlinkSync(join(l.newState, "openclaw.json"))).toBe(file);
      expect(readFileSync(file, "utf8")).toBe(text);
      expect(readdirSync(l.newState).filter((f) => f.startsWith("openclaw.json."))).toEqual([]);
      // But the state was converted BEFORE the config was refused (upstream's startup migrations run first):
      // a refused start is already past the point of no return for this directory — the reason to copy.
      expect(out).toMatch(/device pairing store migrated to SQLite: imported 1 paired/);
      expect(out).toContain("Migrated primary device identity to SQLite.");
      expect(out).toMatch(/Transcript events: imported=[1-9]/);
      expect(existsSync(join(l.newState, "agents/main/sessions/sessions.json"))).toBe(false);
      // No automatic ~/.clawdbot → ~/.openclaw move: OPENCLAW_STATE_DIR is set.
      expect(out).not.toMatch(/State dir: .* → /);
      expect(existsSync(l.oldState) && !lstatSync(l.oldState).isSymbolicLink()).toBe(true);
    }, 180_000);

    it("changed settings (messages.tts → tts): OpenClaw starts ready in Nix mode on the copy, imports the sessions, keeps the token, the pairing, the identity and the workspace", async () => {
      openclawConfig = renderConfig(join(l.store, "cccc-openclaw.json"), "openclaw.json", rendered(port, l.newState, openclawSettings()), join(l.newState, "openclaw.json"));
      openclawConfigText = readFileSync(openclawConfig, "utf8");
      const g = await startOpenclaw(l, port);
      await g.waitHealthy(240_000);
      expect(g.output()).toContain("running in Nix mode");
      expect(g.output()).not.toMatch(/State dir: .* → /);

      // The old token (the copied gateway-token file) authenticates: clients keep working.
      let rpc: Awaited<ReturnType<typeof connectRpc>> | undefined;
      try {
        rpc = await connectRpc({ port, token: readToken(l.newState), protocol: 4 });
        expect(readToken(l.newState)).toBe(token);
        const list = await rpc.call("sessions.list", {});
        expect(list.ok, JSON.stringify(list.error)).toBe(true);
        const sessions = (list.payload as { sessions: { key: string; label?: string }[] }).sessions;
        expect(sessions.find((s) => s.key === "agent:main:main")?.label).toBe("before-migration");
        const h = await rpc.call("chat.history", { sessionKey: "agent:main:main" });
        expect(h.ok, JSON.stringify(h.error)).toBe(true);
        const old = texts((h.payload as { messages: HistoryMessage[] }).messages).join("\n");
        expect(old).toContain("hello from clawdbot");
        expect(old).toContain("pong from the model");
        // Clawdbot's paired CLI device is still paired.
        const pairs = await rpc.call("device.pair.list", {});
        expect(pairs.ok, JSON.stringify(pairs.error)).toBe(true);
        expect(JSON.stringify(pairs.payload)).toContain(cliDeviceId);
        // The session goes on: the agent's next turn carries the old history and reads the old workspace.
        fake.requests.length = 0;
        const sent = await rpc.call("chat.send", { sessionKey: "agent:main:main", message: "hello from openclaw", idempotencyKey: "m2" });
        expect(sent.ok, JSON.stringify(sent.error)).toBe(true);
        // The fake endpoint answers every turn with the same text: the new turn is done when it appears twice.
        let now: string[] = [];
        for (let i = 0; i < 120 && now.filter((t) => t.includes("pong from the model")).length < 2; i++) {
          await sleep(500);
          const r = await rpc.call("chat.history", { sessionKey: "agent:main:main" });
          now = r.ok ? texts((r.payload as { messages: HistoryMessage[] }).messages) : [];
        }
        expect(now.join("\n")).toContain("hello from openclaw");
        const body = JSON.stringify(fake.requests);
        expect(fake.requests.length).toBeGreaterThan(0);
        expect(body).toContain("hello from clawdbot");
        expect(body).toContain("MIGRATION-MARKER-42");
        const agents = await rpc.call("agents.list", {});
        expect(JSON.stringify(agents.payload)).toContain(JSON.stringify(join(l.newState, "workspace")));
      } finally {
        rpc?.close();
        const stopped = await g.stop(60_000);
        expect(stopped.code ?? stopped.signal, g.output().slice(-2000)).toBe(0);
      }

      // Same device identity: Clawdbot's CLI key became OpenClaw's primary identity (state/openclaw.sqlite).
      const q = await runAsync(
        openclaw.node,
        [
          "-e",
          `const {DatabaseSync}=require("node:sqlite");const db=new DatabaseSync(process.argv[1],{readOnly:true});` +
            `console.log(JSON.stringify(db.prepare("select identity_key, device_id from device_identities").all()))`,
          join(l.newState, "state/openclaw.sqlite"),
        ],
        { timeoutMs: 60_000 },
      );
      expect(q.status, q.stderr).toBe(0);
      expect(JSON.parse(q.stdout)).toContainEqual({ identity_key: "primary", device_id: cliDeviceId });
      // The legacy files were converted, the originals kept as archives (nothing deleted without a copy).
      expect(existsSync(join(l.newState, "agents/main/sessions/sessions.json"))).toBe(false);
      const archive = readdirSync(join(l.newState, "agents/main/session-sqlite-import-archive"));
      expect(archive.some((f) => f.startsWith("legacy-store.sessions.json.imported-"))).toBe(true);
      expect(archive.some((f) => /\.jsonl\.imported-\d+$/.test(f))).toBe(true);
      expect(existsSync(join(l.newState, "devices/paired.json.migrated"))).toBe(true);
      expect(existsSync(join(l.newState, "agents/main/agent/openclaw-agent.sqlite"))).toBe(true);
      // The workspace: every file the user and Clawdbot wrote is there, unchanged; BOOTSTRAP.md (the first-run
      // ritual) is the one file upstream deletes once the workspace looks configured.
      const oldWs = snapshot(l.oldWorkspace);
      const newWs = snapshot(join(l.newState, "workspace"));
      for (const [k, v] of Object.entries(oldWs)) {
        if (k === "BOOTSTRAP.md" || k.startsWith(".git/")) continue;
        expect(newWs[k], `workspace/${k}`).toBe(v);
      }
      // The config: still the link into the store, the file byte for byte, no backup written.
      expect(lstatSync(join(l.newState, "openclaw.json")).isSymbolicLink()).toBe(true);
      expect(readlinkSync(join(l.newState, "openclaw.json"))).toBe(openclawConfig);
      expect(readFileSync(openclawConfig, "utf8")).toBe(openclawConfigText);
      expect(readdirSync(l.newState).filter((f) => f.startsWith("openclaw.json."))).toEqual([]);
    }, 420_000);

    it("rollback: the old directory is untouched, and Clawdbot starts on it again with its history", async () => {
      expect(snapshot(l.oldState)).toEqual(oldSnapshot);
      const g = await startClawdbot(l, port);
      try {
        const h = (await history(port, token, 3)).join("\n");
        expect(h).toContain("hello from clawdbot");
        expect(h).toContain("pong from the model");
        expect(h).not.toContain("hello from openclaw");
      } finally {
        const stopped = await g.stop(30_000);
        expect(stopped.code ?? stopped.signal).toBe(0);
      }
    }, 300_000);
  });
}
