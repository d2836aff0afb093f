// T0 (root only): the image as a container runtime would run it, assembled from the SAME configuration
// function (nix/image/config.nix) instead of dockerTools' layers:
//   - a root folder gets the image's /etc/passwd, /etc/group, /etc/nsswitch.conf, the config link
//     /etc/clawdbot/clawdbot.json → a read-only "store" file, /bin/sh, the start script at its path, and
//     the folders of `fakeRootCommands` (run for real, as root: real chown/chmod);
//   - the gateway and Node are bind-mounted at the store paths the configuration names; the host's /usr
//     stands in for bash/coreutils/util-linux; state and workspace are bind mounts ("volumes") owned by
//     1000:1000 as the guide tells Docker users to do;
//   - the entrypoint (without tini) runs in a private mount + PID namespace, chrooted, as the image's USER,
//     from its WorkingDir, with exactly the image's Env (plus CLAWDBOT_GATEWAY_TOKEN, as `docker run -e`);
//   - the HEALTHCHECK (CMD-SHELL) runs the way Docker runs it: /bin/sh -c inside the container, with the
//     container's environment.
// What remains on paper: dockerTools turning `contents` + `fakeRootCommands` + `config` into layers, and tini.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CACHE, freePort, prepareGateway, type PreparedGateway } from "../support/gateway.js";
import { announceSkip, hasNix, nixEval, nixStr, REPO } from "../support/nix.js";

const has = (tool: string): boolean => spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
const skip =
  process.platform !== "linux"
    ? "not Linux"
    : process.getuid?.() !== 0
      ? "not running as root (needs mount namespaces, chroot and chown)"
      : !hasNix()
        ? "nix-instantiate is not installed"
        : !has("unshare") || !has("chroot")
          ? "unshare/chroot missing (util-linux, coreutils)"
          : undefined;
announceSkip("the image's root file system run in a namespace", skip);

const STORE = {
  clawdbot: "/nix/store/11111111111111111111111111111111-clawdbot-gateway-2026.1.24-3",
  node: "/nix/store/22222222222222222222222222222222-nodejs-22",
  tini: "/nix/store/33333333333333333333333333333333-tini",
  configFile: "/nix/store/44444444444444444444444444444444-clawdbot.json",
};
const TOKEN = "image-rootfs-token-9f8e7d6c";

interface Cfg {
  env: Record<string, string>;
  startScript: string;
  startScriptPath: string;
  passwd: string[];
  group: string[];
  fakeRootCommands: string;
  settingsDefaults: unknown;
  home: string;
  stateDir: string;
  workspaceDir: string;
  configPath: string;
  config: { Entrypoint: string[]; Env: string[]; User: string; WorkingDir: string; Volumes: Record<string, object>; Healthcheck: { Test: string[] } };
}

const shq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

describe.skipIf(skip)("the image's root file system, run like a container (T0, root)", () => {
  let gw: PreparedGateway;
  let base: string;
  let root: string;
  let cfg: Cfg;
  let volumes: Record<string, string>;
  let binds: [string, string][];
  let port: number;
  const live = new Set<ChildProcess>();
  let gateway: ChildProcess | undefined;
  let output = "";
  let exited = false;

  /** A shell command: private mounts for the container, then chroot as USER with exactly `env`, then `cmd`. */
  const inContainer = (env: Record<string, string>, cmd: string[]): string => {
    const mounts = binds.map(([host, inside]) => `mount --bind ${shq(host)} ${shq(join(root, inside))}`);
    mounts.push(`mount -t proc proc ${shq(join(root, "proc"))}`, `mount --rbind /dev ${shq(join(root, "dev"))}`);
    const [uid, gid] = cfg.config.User.split(":");
    const envArgs = Object.entries(env).map(([k, v]) => shq(`${k}=${v}`));
    return [
      "set -e",
      ...mounts,
      `exec chroot --userspec=${uid}:${gid} --groups=${gid} ${shq(root)} /usr/bin/env -i ${envArgs.join(" ")} /bin/sh -c ${shq(`cd ${cfg.config.WorkingDir} && exec "$@"`)} sh ${cmd.map(shq).join(" ")}`,
    ].join("\n");
  };

  beforeAll(async () => {
    gw = await prepareGateway();
    port = await freePort();
    const r = nixEval(
      `import ${nixStr(`${REPO}/nix/image/config.nix`)} { gateway = "clawdbot"; clawdbot = ${nixStr(STORE.clawdbot)}; node = ${nixStr(STORE.node)}; tini = ${nixStr(STORE.tini)}; shell = "/usr"; coreutils = "/usr"; util-linux = "/usr"; caBundle = "/etc/ssl/certs/ca-certificates.crt"; path = [ ${nixStr(STORE.clawdbot)} "/usr" ]; port = ${port}; }`,
    );
    if (!r.ok) throw new Error(r.stderr);
    cfg = r.value as Cfg;

    mkdirSync(join(CACHE, "runs"), { recursive: true, mode: 0o755 });
    base = mkdtempSync(join(CACHE, "runs", "image-rootfs-"));
    chmodSync(base, 0o755);
    root = join(base, "root");
    mkdirSync(root);
    chmodSync(root, 0o755);
    // What the image's `root` derivation and dockerTools put there (nix/image/default.nix).
    for (const d of ["etc/clawdbot", "bin", "usr", "proc", "dev", "etc/ssl", "nix/store"]) mkdirSync(join(root, d), { recursive: true });
    symlinkSync("usr/lib", join(root, "lib"));
    if (existsSync("/lib64")) symlinkSync("usr/lib64", join(root, "lib64"));
    writeFileSync(join(root, "etc/passwd"), cfg.passwd.join("\n") + "\n");
    writeFileSync(join(root, "etc/group"), cfg.group.join("\n") + "\n");
    writeFileSync(join(root, "etc/nsswitch.conf"), "hosts: files dns\npasswd: files\ngroup: files\n");
    writeFileSync(join(root, STORE.configFile), JSON.stringify(cfg.settingsDefaults) + "\n");
    chmodSync(join(root, STORE.configFile), 0o444);
    symlinkSync(STORE.configFile, join(root, cfg.configPath));
    writeFileSync(join(root, cfg.startScriptPath), cfg.startScript);
    chmodSync(join(root, cfg.startScriptPath), 0o555);
    symlinkSync("/usr/bin/sh", join(root, "bin/sh"));
    // fakeRootCommands, for real (as root), in the image's root.
    const frc = spawnSync("sh", ["-c", cfg.fakeRootCommands], { cwd: root, encoding: "utf8" });
    if (frc.status !== 0) throw new Error(`fakeRootCommands failed:\n${frc.stderr}`);
    // Volumes: host folders owned by 1000:1000, as the guide has Docker users chown them.
    volumes = {};
    for (const v of Object.keys(cfg.config.Volumes)) {
      const host = join(base, "volumes", v.replace(/\//g, "_"));
      mkdirSync(host, { recursive: true });
      chownSync(host, 1000, 1000);
      volumes[v] = host;
    }
    // The store paths the configuration names, and the host paths the prepared wrapper refers to.
    const nodeDir = dirname(dirname(gw.node));
    binds = [
      ["/usr", "/usr"],
      ["/etc/ssl", "/etc/ssl"],
      [gw.root, STORE.clawdbot],
      [nodeDir, STORE.node],
      [gw.root, gw.root],
      [nodeDir, nodeDir],
      ...Object.entries(volumes).map(([inside, host]) => [host, inside] as [string, string]),
    ];
    for (const [, inside] of binds) mkdirSync(join(root, inside), { recursive: true });
  }, 1_200_000);

  afterAll(async () => {
    for (const c of live) {
      try {
        if (c.pid) process.kill(-c.pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }
    await new Promise((r) => setTimeout(r, 300));
    // The mounts lived in the namespaces only: on the host these are empty folders.
    if (base) rmSync(base, { recursive: true, force: true });
  });

  /** Host pids of the processes whose root is the container's root. */
  const containerPids = (): string[] =>
    readdirSync("/proc")
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          return readlinkSync(`/proc/${p}/root`) === root;
        } catch {
          return false;
        }
      });

  const healthcheck = (extraEnv: Record<string, string>) => {
    const test = cfg.config.Healthcheck.Test;
    expect(test[0]).toBe("CMD-SHELL");
    const env = { ...cfg.env, ...extraEnv };
    return spawnSync("unshare", ["--mount", "--fork", "sh", "-c", inContainer(env, ["/bin/sh", "-c", test[1]!])], {
      encoding: "utf8",
      timeout: 60_000,
    });
  };

  it("the folders of fakeRootCommands have the image's owners and modes", () => {
    const st = (p: string) => statSync(join(root, p));
    expect(st(cfg.home).uid).toBe(1000);
    expect(st(cfg.stateDir).uid).toBe(1000);
    expect(st(cfg.stateDir).mode & 0o777).toBe(0o700);
    expect(st(cfg.workspaceDir).uid).toBe(1000);
    expect(st("tmp").mode & 0o7777).toBe(0o1777);
  });

  it("the entrypoint runs the gateway as uid 1000 with the image's environment; the HEALTHCHECK passes inside", async () => {
    expect(cfg.config.Entrypoint.slice(1)).toEqual(["--", cfg.startScriptPath]);
    const env = { ...cfg.env, CLAWDBOT_SKIP_CHANNELS: "1", CLAWDBOT_GATEWAY_TOKEN: TOKEN };
    gateway = spawn("unshare", ["--mount", "--pid", "--fork", "--kill-child", "sh", "-c", inContainer(env, [cfg.startScriptPath])], {
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    live.add(gateway);
    gateway.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    gateway.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    gateway.once("exit", () => (exited = true));

    const deadline = Date.now() + 150_000;
    let last = healthcheck({ CLAWDBOT_GATEWAY_TOKEN: TOKEN });
    while (last.status !== 0 && Date.now() < deadline && !exited) {
      await new Promise((r) => setTimeout(r, 1000));
      last = healthcheck({ CLAWDBOT_GATEWAY_TOKEN: TOKEN });
    }
    expect(last.status, `${last.stdout}${last.stderr}\n--- gateway:\n${output.slice(-3000)}`).toBe(0);
    expect(JSON.parse(last.stdout.trim())).toMatchObject({ ok: true });
    // (the console line may trail the first healthy answer through the pipe)
    for (let i = 0; i < 100 && !output.includes("running in Nix mode"); i++) await new Promise((r) => setTimeout(r, 200));
    expect(output).toContain("running in Nix mode");

    // It runs as uid 1000: every process whose root is the container's root.
    const inside = containerPids();
    expect(inside.length).toBeGreaterThan(0);
    for (const p of inside) {
      const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1];
      expect(uid, `pid ${p}`).toBe("1000");
    }
  }, 200_000);

  it("state went to the state volume, owned by 1000; the lock to the container's /tmp; the config link is untouched", () => {
    const state = volumes[cfg.stateDir]!;
    const files = readdirSync(state);
    expect(files.length, "the gateway wrote nothing into the state volume").toBeGreaterThan(0);
    for (const f of files) expect(lstatSync(join(state, f)).uid, f).toBe(1000);
    const lockDir = join(root, "tmp", "clawdbot-1000");
    expect(readdirSync(lockDir).some((f) => /^gateway\.[0-9a-f]{8}\.lock$/.test(f))).toBe(true);
    expect(readdirSync(state).some((f) => f.endsWith(".lock"))).toBe(false);
    expect(readlinkSync(join(root, cfg.configPath))).toBe(STORE.configFile);
    expect(JSON.parse(readFileSync(join(root, STORE.configFile), "utf8"))).toEqual(cfg.settingsDefaults);
  });

  it("a wrong token makes the HEALTHCHECK report unhealthy (exit 1)", () => {
    const r = healthcheck({ CLAWDBOT_GATEWAY_TOKEN: "not-the-token" });
    expect(r.status, r.stdout + r.stderr).toBe(1);
  });

  it("SIGTERM (docker stop) ends the gateway cleanly", async () => {
    expect(exited).toBe(false);
    const done = new Promise<number | null>((r) => gateway!.once("exit", (code) => r(code)));
    // The gateway is PID 1 of the container (the start script execs it); docker stop signals that process.
    const pid1 = containerPids().find((p) => /^NSpid:\s+\d+\s+1$/m.test(readFileSync(`/proc/${p}/status`, "utf8")));
    expect(pid1).toBeDefined();
    process.kill(Number(pid1), "SIGTERM");
    const timer = setTimeout(() => process.kill(-gateway!.pid!, "SIGKILL"), 20_000);
    const code = await done;
    clearTimeout(timer);
    expect(code, output.slice(-2000)).toBe(0);
  }, 30_000);
});
