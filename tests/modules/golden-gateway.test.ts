// T0, the real gateway started from the golden units themselves (tests/golden/units/: what the modules
// render, byte for byte), outside a container: the unit's ExecStart and Environment= lines are read back the
// way systemd reads them, the files the unit names are placed under a private folder (the store paths, the
// user's home, the state directory relocated there, the port moved to a free one), and the gateway is run with
// exactly that argv and environment. The container tests start the same files under a real systemd.
import { spawn } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CACHE, freePort, prepareGateway, wsHealth, type PreparedGateway } from "../support/gateway.js";
import { goldenCases, goldenUnit, type UnitCase, type UnitRendering } from "../support/golden-units.js";
import { announceSkip, hasNix } from "../support/nix.js";
import { FAKE_PKG } from "../support/systemd/store.js";

const noNix = hasNix() ? undefined : "nix-instantiate is not installed (apt-get install nix-bin)";
announceSkip("the real gateway from the golden units (T0)", noNix);

const TOKEN = "golden-gateway-token-3e8c1a";

/** A unit file's ExecStart= and Environment= as systemd reads them (quoted words, %% and $$ unescaped). */
export function parseUnit(text: string): { argv: string[]; environment: Record<string, string> } {
  const value = (line: string) => line.slice(line.indexOf("=") + 1);
  const unescape = (s: string) => s.replaceAll("%%", "%").replaceAll("$$", "$");
  const words = (s: string): string[] => {
    const out: string[] = [];
    for (let i = 0; i < s.length; ) {
      if (s[i] === " ") {
        i++;
        continue;
      }
      if (s[i] === '"') {
        let j = i + 1;
        while (j < s.length && s[j] !== '"') j += s[j] === "\\" ? 2 : 1;
        out.push(unescape(JSON.parse(s.slice(i, j + 1)) as string));
        i = j + 1;
      } else {
        const j = s.indexOf(" ", i) === -1 ? s.length : s.indexOf(" ", i);
        out.push(unescape(s.slice(i, j)));
        i = j;
      }
    }
    return out;
  };
  const lines = text.split("\n");
  const exec = lines.find((l) => l.startsWith("ExecStart="));
  if (!exec) throw new Error("no ExecStart= in the unit");
  const environment: Record<string, string> = {};
  for (const line of lines.filter((l) => l.startsWith("Environment="))) {
    const [assignment] = words(value(line));
    const eq = assignment!.indexOf("=");
    environment[assignment!.slice(0, eq)] = assignment!.slice(eq + 1);
  }
  return { argv: words(value(exec)), environment };
}

/** The golden rendering with every path under `base` and the port moved: text replacement, longest first. */
function relocate(r: UnitRendering, gw: PreparedGateway, base: string, home: string, port: number): { unit: string; map: [string, string][] } {
  const map: [string, string][] = [
    [FAKE_PKG, gw.root],
    ...Object.keys(r.storeFiles).map((p) => [p, join(base, "store", basename(p))] as [string, string]),
    [home, join(base, "home")],
    ["18789", String(port)],
  ];
  const apply = (text: string) => map.reduce((t, [from, to]) => t.replaceAll(from, to), text);
  for (const [path, content] of Object.entries(r.storeFiles)) {
    const target = apply(path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, apply(content), { mode: 0o444 });
  }
  return { unit: apply(r.unitText), map };
}

describe.skipIf(!!noNix)("the real gateway from the golden units (T0)", () => {
  let gw: PreparedGateway;
  const bases: string[] = [];
  beforeAll(async () => {
    gw = await prepareGateway();
  }, 1_200_000);
  afterAll(() => {
    for (const b of bases) rmSync(b, { recursive: true, force: true });
  });

  it("parseUnit reads quoted words, escapes and Environment= lines", () => {
    const p = parseUnit('Environment="A=b c"\nEnvironment="P=100%%"\nExecStart=/bin/sh "x y" 50%% $$HOME "q\\"x"\n');
    expect(p.environment).toEqual({ A: "b c", P: "100%" });
    expect(p.argv).toEqual(["/bin/sh", "x y", "50%", "$HOME", 'q"x']);
  });

  // the Home Manager golden unit with a token file and no variable the launcher would refuse
  const hm = goldenCases().find(
    (c) => c.case.kind === "home-manager" && (c.case.options.auth as { tokenFile?: string } | undefined)?.tokenFile && !JSON.stringify(c.case.options).includes("NOT_SET"),
  );

  it("the Home Manager golden unit starts the real gateway: healthy with its token, the config link the unit names", async () => {
    expect(hm, "a golden Home Manager case with a token file (tests/golden/units/)").toBeDefined();
    const c = hm!.case as UnitCase;
    const r = goldenUnit(c);
    mkdirSync(join(CACHE, "runs"), { recursive: true });
    const base = mkdtempSync(join(CACHE, "runs", "golden-gateway-"));
    bases.push(base);
    const port = await freePort();
    const { unit, map } = relocate(r, gw, base, c.home!, port);
    const tokenFile = map.reduce((t, [from, to]) => t.replaceAll(from, to), (c.options.auth as { tokenFile: string }).tokenFile);
    mkdirSync(dirname(tokenFile), { recursive: true, mode: 0o700 });
    writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    const { argv, environment } = parseUnit(unit);
    expect(argv.slice(-6)).toEqual([`${gw.root}/bin/clawdbot`, "gateway", "--port", String(port), "--bind", "loopback"]);
    const child = spawn(argv[0]!, argv.slice(1), {
      env: { ...environment, PATH: `${environment.PATH}:${process.env.PATH}`, LANG: "C.UTF-8", CLAWDBOT_SKIP_CHANNELS: "1" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    try {
      const deadline = Date.now() + 150_000;
      let ok = false;
      while (!ok && Date.now() < deadline && child.exitCode === null) {
        ok = (await wsHealth({ port, token: TOKEN, timeoutMs: 3_000 })).ok;
        if (!ok) await new Promise((res) => setTimeout(res, 300));
      }
      expect(ok, out.slice(-3000)).toBe(true);
      expect((await wsHealth({ port, token: "not-the-token" })).ok).toBe(false);
      const configPath = environment.CLAWDBOT_CONFIG_PATH!;
      expect(lstatSync(configPath).isSymbolicLink()).toBe(true);
      expect(readlinkSync(configPath)).toBe(join(base, "store", basename(r.configFile)));
    } finally {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* gone */
      }
    }
  }, 300_000);
});
