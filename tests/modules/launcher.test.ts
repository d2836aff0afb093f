// T0: the launcher script (modules/launcher/clawdbot-launch.sh) under a strict POSIX shell (dash where
// available), with `env` / `pwd` as the command: secrets, environment files, the config symlink, the jiti
// seed, and its refusals.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { REPO } from "../support/nix.js";

const LAUNCHER = join(REPO, "modules/launcher/clawdbot-launch.sh");
const SHELL = existsSync("/bin/dash") ? "/bin/dash" : "/bin/sh";
const base = mkdtempSync(join(tmpdir(), "clawdbot-launch-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function launch(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(SHELL, [LAUNCHER, ...args], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", TMPDIR: join(base, "tmp"), ...env },
    encoding: "utf8",
    timeout: 20_000,
  });
  const vars = Object.fromEntries(
    r.stdout
      .split("\n")
      .filter((l) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(l))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, vars };
}

describe("clawdbot-launch.sh", () => {
  it("exports secrets without trailing newlines, from files and from $CREDENTIALS_DIRECTORY", () => {
    const secrets = join(base, "secrets");
    mkdirSync(secrets);
    writeFileSync(join(secrets, "tok"), "s3cret value\n\n");
    const creds = join(base, "creds");
    mkdirSync(creds);
    writeFileSync(join(creds, "CLAWDBOT_GATEWAY_TOKEN"), "from-credential\n");
    const r = launch(
      ["--secret", "CLAWDBOT_SECRET_X", join(secrets, "tok"), "--credential", "CLAWDBOT_GATEWAY_TOKEN", "CLAWDBOT_GATEWAY_TOKEN", "--", "env"],
      { CREDENTIALS_DIRECTORY: creds },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.vars.CLAWDBOT_SECRET_X).toBe("s3cret value");
    expect(r.vars.CLAWDBOT_GATEWAY_TOKEN).toBe("from-credential");
    // never printed
    expect(r.stderr).not.toContain("s3cret");
  });

  it("refuses a missing secret file, --credential without LoadCredential, a bad variable name", () => {
    const missing = launch(["--secret", "X", join(base, "nope"), "--", "env"]);
    // 78 = EX_CONFIG: the units' RestartPreventExitStatus=, so a start that cannot work fails once
    expect(missing.status).toBe(78);
    expect(missing.stderr).toContain("secret file for X is not readable");
    const noCreds = launch(["--credential", "X", "X", "--", "env"]);
    expect(noCreds.status).toBe(78);
    expect(noCreds.stderr).toContain("CREDENTIALS_DIRECTORY is not set");
    writeFileSync(join(base, "ok"), "v");
    expect(launch(["--secret", "1BAD", join(base, "ok"), "--", "env"]).stderr).toContain("invalid variable name: 1BAD");
    expect(launch(["--bogus"]).stderr).toContain("unknown option: --bogus");
    expect(launch(["--mkdir", join(base, "m")]).stderr).toContain("no command after --");
  });

  it("refuses a secret file too large for the environment with 78 and names it, instead of exec failing with 126", () => {
    // 1 MiB: over Linux's 128 KiB a variable, `exec` would fail "Argument list too long" (126), which the
    // unit's Restart= retries until its start limit.
    const big = join(base, "big-secret");
    writeFileSync(big, "x".repeat(1024 * 1024));
    const r = launch(["--secret", "CLAWDBOT_SECRET_BIG", big, "--", "env"]);
    expect(r.status).toBe(78);
    expect(r.stderr).toContain(`the secret file for CLAWDBOT_SECRET_BIG is 1048576 bytes, over the 65536 a secret can have`);
    expect(r.stderr).toContain(big);
    // without the check the same exec is the 126 the unit looped on (node's spawn gives E2BIG directly)
    const direct = spawnSync(SHELL, ["-c", `X=$(cat "$1") && export X && exec env`, "sh", big], { encoding: "utf8" });
    expect(direct.status).toBe(126);
    // 64 KiB, a large certificate or key, passes
    const edge = join(base, "edge-secret");
    writeFileSync(edge, "y".repeat(65536));
    const ok = launch(["--secret", "CLAWDBOT_SECRET_EDGE", edge, "--", "env"]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.vars.CLAWDBOT_SECRET_EDGE?.length).toBe(65536);
  });

  it("reads environment files like systemd's EnvironmentFile= (comments, export, quotes, optional '-')", () => {
    const f = join(base, "env");
    writeFileSync(
      f,
      ["# comment", "; other comment", "", "  ANTHROPIC_API_KEY=sk-ant-1", "export QUOTED=\"a b c\"", "SINGLE='x=y'", "EMPTY=", "NOEOL=last"].join("\n"),
    );
    const r = launch(["--env-file", f, "--env-file", `-${join(base, "absent")}`, "--", "env"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.vars).toMatchObject({ ANTHROPIC_API_KEY: "sk-ant-1", QUOTED: "a b c", SINGLE: "x=y", EMPTY: "", NOEOL: "last" });
    const required = launch(["--env-file", join(base, "absent"), "--", "env"]);
    expect(required.status).toBe(78);
    expect(required.stderr).toContain("environment file does not exist");
  });

  it("makes the config path a symlink to the store file, replacing a regular file; mkdir; chdir", () => {
    const store = join(base, "store-config.json");
    writeFileSync(store, "{}\n");
    const state = join(base, "state with space");
    const target = join(state, "clawdbot.json");
    const first = launch(["--mkdir", state, "--config", store, target, "--chdir", state, "--", "pwd"]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout.trim()).toBe(state);
    expect(readlinkSync(target)).toBe(store);
    rmSync(target);
    writeFileSync(target, '{"written":"at run time"}');
    chmodSync(target, 0o600);
    expect(launch(["--config", store, target, "--", "true"]).status).toBe(0);
    expect(lstatSync(target).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, "utf8")).toBe("{}\n");
  });

  it("removes the config writer's backups and temporary files (the config with secrets substituted)", () => {
    const store = join(base, "store-config-2.json");
    writeFileSync(store, "{}\n");
    const state = join(base, "state-stale");
    mkdirSync(state);
    const target = join(state, "clawdbot.json");
    // what upstream's writeConfigFile leaves after two config.patch calls (and a crash mid-write)
    const stale = ["clawdbot.json.bak", "clawdbot.json.bak.1", "clawdbot.json.bak.4", "clawdbot.json.123.4f2a-uuid.tmp"];
    for (const f of stale) writeFileSync(join(state, f), '{"botToken":"123456:SECRET"}');
    writeFileSync(join(state, "sessions.json"), "{}");
    writeFileSync(join(state, "clawdbot.json.note"), "kept: not the writer's");
    const r = launch(["--config", store, target, "--", "true"]);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(state).sort()).toEqual(["clawdbot.json", "clawdbot.json.note", "sessions.json"]);
  });

  it("--token generates a 64-hex-digit token file (0600) once, then reuses it", () => {
    const dir = join(base, "token-state");
    mkdirSync(dir);
    const file = join(dir, "gateway-token");
    const first = launch(["--token", "CLAWDBOT_GATEWAY_TOKEN", file, "--", "env"]);
    expect(first.status, first.stderr).toBe(0);
    const token = readFileSync(file, "utf8").trim();
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(lstatSync(file).mode & 0o777).toBe(0o600);
    expect(first.vars.CLAWDBOT_GATEWAY_TOKEN).toBe(token);
    expect(first.stderr).toContain("generated a gateway token");
    expect(first.stderr).not.toContain(token);
    expect(readdirSync(dir)).toEqual(["gateway-token"]);
    const second = launch(["--token", "CLAWDBOT_GATEWAY_TOKEN", file, "--", "env"]);
    expect(second.vars.CLAWDBOT_GATEWAY_TOKEN).toBe(token);
    expect(second.stderr).not.toContain("generated");
    // another token is another file
    const other = launch(["--token", "CLAWDBOT_GATEWAY_TOKEN", join(dir, "other"), "--", "env"]);
    expect(other.vars.CLAWDBOT_GATEWAY_TOKEN).not.toBe(token);
  });

  it("--require-env: a referenced variable without a value stops the start with 78 and names it", () => {
    const f = join(base, "env-required");
    writeFileSync(f, "PRESENT=yes\nEMPTY=\n");
    expect(launch(["--env-file", f, "--require-env", "PRESENT", "--", "true"]).status).toBe(0);
    for (const name of ["ABSENT", "EMPTY"]) {
      const r = launch(["--env-file", f, "--require-env", name, "--", "true"]);
      expect(r.status).toBe(78);
      expect(r.stderr).toContain(`references \${${name}}, which has no value`);
    }
    expect(launch(["--require-env", "bad-name", "--", "true"]).status).toBe(78);
  });

  it("seeds $TMPDIR/jiti from the package once, writable, and leaves an existing cache alone", () => {
    const seed = join(base, "seed");
    mkdirSync(seed);
    writeFileSync(join(seed, "a.cjs"), "cached");
    chmodSync(join(seed, "a.cjs"), 0o444);
    chmodSync(seed, 0o555);
    const tmp = join(base, "tmp-seed");
    expect(launch(["--jiti-seed", seed, "--", "true"], { TMPDIR: tmp }).status).toBe(0);
    expect(readdirSync(join(tmp, "jiti"))).toEqual(["a.cjs"]);
    writeFileSync(join(tmp, "jiti", "a.cjs"), "rewritten by jiti"); // writable
    expect(launch(["--jiti-seed", seed, "--", "true"], { TMPDIR: tmp }).status).toBe(0);
    expect(readFileSync(join(tmp, "jiti", "a.cjs"), "utf8")).toBe("rewritten by jiti");
    chmodSync(seed, 0o755);
  });

  describe("--listener-owner: the owner's command sends the gateway's credentials to the service only", () => {
    // A listener on HOST:PORT held by a child node process, as uid 65534 when `as` is "other" (root: setpriv;
    // otherwise this user, with the service's user named "nobody", so that it is not the service either).
    const isRoot = process.getuid?.() === 0;
    const children: ChildProcess[] = [];
    afterEach(() => {
      for (const c of children.splice(0)) c.kill("SIGKILL");
    });
    async function listen(host: string, port: number, as: "me" | "other"): Promise<void> {
      const code = `const s=require("net").createServer();s.on("error",e=>{console.log("ERR "+e.code);process.exit(1)});s.listen({host:${JSON.stringify(host)},port:${port},ipv6Only:${host === "::"}},()=>console.log("LISTENING"));`;
      const argv = as === "other" && isRoot ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", process.execPath, "-e", code] : [process.execPath, "-e", code];
      const child = spawn(argv[0]!, argv.slice(1), { stdio: ["ignore", "pipe", "inherit"] });
      children.push(child);
      await new Promise<void>((resolve, reject) => {
        let out = "";
        child.stdout!.on("data", (d) => {
          out += String(d);
          if (out.includes("LISTENING")) resolve();
          if (out.includes("ERR")) reject(new Error(`listen ${host}:${port}: ${out}`));
        });
        child.on("exit", () => reject(new Error(`listener exited: ${out}`)));
      });
    }
    // a port nobody uses now (different for each test)
    let next = 20000 + Math.floor(Math.random() * 20000);
    const freePort = () => next++;
    // the service's user as the launcher is told: this user ("-"), or for the "other" listener a user who is
    // not its holder (root: any listener of 65534 is foreign to "-"; otherwise name nobody, the holder is us)
    const serviceUser = (holder: "me" | "other") => (holder === "me" || isRoot ? "-" : "nobody");
    const tokenFile = join(base, "listener-token");
    writeFileSync(tokenFile, "the-gateway-token\n");
    const marker = join(base, "listener-ran");
    const run = (port: number, user: string, extra: string[] = []) => {
      rmSync(marker, { force: true });
      return launch([
        "--secret", "CLAWDBOT_GATEWAY_TOKEN", tokenFile,
        "--secret", "CLAWDBOT_SECRET_OTHER", tokenFile,
        "--listener-owner", String(port), user,
        "--gateway-credential", "CLAWDBOT_GATEWAY_TOKEN",
        ...extra,
        "--", "sh", "-c", `touch '${marker}'; env`,
      ]);
    };

    it("nothing listens (the gateway is down): the command runs, without the token (a stand-in could bind before it connects)", () => {
      const port = freePort();
      const r = run(port, "-");
      expect(r.status, r.stderr).toBe(0);
      expect(r.vars.CLAWDBOT_GATEWAY_TOKEN).toBeUndefined();
      // what is not sent to the gateway stays: the config needs it
      expect(r.vars.CLAWDBOT_SECRET_OTHER).toBe("the-gateway-token");
      expect(r.stderr).toContain(`nothing listens on port ${port} (the gateway is stopped or still starting): running without CLAWDBOT_GATEWAY_TOKEN`);
      expect(r.stderr).not.toContain("the-gateway-token");
    });

    for (const host of ["127.0.0.1", "::1", "0.0.0.0"]) {
      it(`the service's user listens on ${host}: the command gets the token`, async () => {
        const port = freePort();
        await listen(host, port, "me");
        const r = run(port, serviceUser("me"));
        expect(r.status, r.stderr).toBe(0);
        expect(r.vars.CLAWDBOT_GATEWAY_TOKEN).toBe("the-gateway-token");
        expect(r.stderr).toBe("");
      });
    }

    for (const host of ["127.0.0.1", "::1", "0.0.0.0", "::"]) {
      it(`another uid listens on ${host}: refused with 78, nothing run, the token never handed over`, async () => {
        const port = freePort();
        await listen(host, port, "other");
        const user = serviceUser("other");
        const r = run(port, user);
        expect(r.status, r.stderr).toBe(78);
        expect(existsSync(marker), "the command did not run").toBe(false);
        expect(r.stdout).toBe("");
        const uid = isRoot ? 65534 : process.getuid!();
        expect(r.stderr).toContain(`port ${port} is held by uid ${uid}`);
        expect(r.stderr).toContain("another program listens where the gateway should and would receive its token, so nothing was run");
        expect(r.stderr).toContain(`ss -ltnp 'sport = :${port}'`);
        expect(r.stderr).not.toContain("the-gateway-token");
      });
    }

    it("a DynamicUser whose unit is not running has no uid: any listener but root's is refused, and says so", async () => {
      const port = freePort();
      await listen("127.0.0.1", port, "other");
      const r = run(port, "clawdbot-no-such-dynamic-user");
      expect(r.status).toBe(78);
      expect(r.stderr).toContain("its user clawdbot-no-such-dynamic-user, who has no uid now: the service is not running");
    });

    it("a listener on another port, or a connection that is not a listener, does not count", async () => {
      const port = freePort();
      await listen("127.0.0.1", port + 1000, "other");
      const r = run(port, serviceUser("other"));
      expect(r.status, r.stderr).toBe(0);
      expect(r.vars.CLAWDBOT_GATEWAY_TOKEN).toBeUndefined();
    });

    it("refuses a bad port, and --gateway-credential without --listener-owner", () => {
      for (const bad of ["0", "65536", "18789x", ""]) {
        const r = launch(["--listener-owner", bad, "-", "--", "true"]);
        expect(r.status).toBe(78);
        expect(r.stderr).toContain("--listener-owner: not a port");
      }
      const alone = launch(["--gateway-credential", "X", "--", "true"]);
      expect(alone.status).toBe(78);
      expect(alone.stderr).toContain("--gateway-credential needs --listener-owner");
    });
  });

  it("names no absolute /bin or /usr/bin path", () => {
    const text = readFileSync(LAUNCHER, "utf8");
    expect(text).not.toMatch(/(^|[\s"'=;(])\/(usr\/)?s?bin\//m);
  });
});
