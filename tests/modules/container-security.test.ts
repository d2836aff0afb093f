// Secure defaults of the NixOS module under a real systemd (systemd-nspawn container, root only): the
// units as the module renders them with their defaults, the attack of the security issue (another uid, a
// fresh device key, loopback, any Origin) against the real gateway, the owner's `clawdbot` command, no
// plaintext copy of a secret after a restart, paths outside the state directory, and failures that end.
// The scenario is tests/support/systemd/scenario-security.sh. For each gateway (services.clawdbot; services.openclaw,
// whose units run as static users the module creates, created here from their User= lines).
import { basename } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { prepareGateway } from "../support/gateway.js";
import { containerSkipReason, SETUP_TIMEOUT_MS, parseShow, runContainer, type ContainerResult, type FileSpec } from "../support/systemd/container.js";
import { nixosRenderMissing, renderNixosInstance, type RenderedNixosInstance } from "../support/systemd/render.js";
import { CONTAINER_GATEWAY_LIST, gatewayRunName, gatewayTitle } from "../support/systemd/gateways.js";
import { fakePackage, gatewayBinds, nixosUnit, systemUsersOf } from "../support/systemd/store.js";

const skip = containerSkipReason();
if (skip) console.log(`SKIP: needs root and systemd-nspawn: security container test (${skip})`);

const PORT = 18789;
const PATHS_PORT = 18800;
const TG_SECRET = "123456789:AAE-security-test-secret-9d3f";
const TG_FILE = "/run/keys/telegram-bot-token";

for (const g of CONTAINER_GATEWAY_LIST) {
  const P = g.prefix;
  // No channel connects to the network in a test; the secret still reaches the gateway (Clawdbot: substituted into
  // the config; OpenClaw: a SecretRef to the variable the launcher sets).
  const quiet = { environment: { [`${P}_SKIP_CHANNELS`]: "1" } };
  // the paths instance's workspace and log folder, outside its state directory
  const WORKSPACE = g.name === "clawdbot" ? "/srv/clawd" : `/srv/${g.name}`;
  const LOG_DIR = `/home/alice/${g.name}-logs`;
  describe.skipIf(!!skip)(gatewayTitle(g, "secure defaults under a real systemd (systemd-nspawn)"), () => {
    let units: Record<string, RenderedNixosInstance>;
    let run: ContainerResult;
    const fact = (key: string): string => run.facts[key] ?? "";
    const why = (): string => run.diagnostics();

    beforeAll(async () => {
      const missing = nixosRenderMissing();
      if (missing) throw new Error(missing);
      const gw = await prepareGateway(g.name);
      units = {
        default: renderNixosInstance("default", {
          ...quiet,
          port: PORT,
          settings: { channels: { telegram: { botToken: { _secret: TG_FILE }, dmPolicy: "pairing" } } },
        }, g.name),
        paths: renderNixosInstance("paths", {
          ...quiet,
          port: PATHS_PORT,
          user: "alice",
          workspace: WORKSPACE,
          logFile: `${LOG_DIR}/gateway.log`,
        }, g.name),
        badenv: renderNixosInstance("badenv", {
          ...quiet,
          port: 18810,
          settings: { agents: { defaults: { model: { primary: "${NOT_SET_ANYWHERE}" } } } },
        }, g.name),
        crash: renderNixosInstance("crash", { port: 18820, environment: { NODE_OPTIONS: "--no-such-node-flag" } }, g.name),
      };
      const files: FileSpec[] = [];
      const provided: string[] = [];
      for (const u of Object.values(units)) {
        files.push(...nixosUnit(u.unitName, u.unitText).files);
        files.push(...u.files.filter((f) => !provided.includes(f.path)));
        provided.push(...files.map((f) => f.path));
      }
      run = await runContainer({
        name: gatewayRunName(g, "security"),
        timeoutSec: 600,
        files: [
          ...files,
          // environment.systemPackages: the owner's command on root's PATH
          { path: `/usr/local/bin/${units.default!.cliName}`, content: units.default!.cliScript, mode: 0o755 },
          // systemd.tmpfiles.rules, applied at boot by systemd-tmpfiles-setup.service
          { path: `/etc/tmpfiles.d/${g.name}.conf`, content: Object.values(units).flatMap((u) => u.tmpfilesRules).join("\n") + "\n" },
        ],
        // the units' system users, as the NixOS module creates them (OpenClaw's; alice is in the image)
        systemUsers: [...new Set(Object.values(units).flatMap((u) => systemUsersOf(u.unitText)))],
        binds: gatewayBinds(gw),
        runtimeDirs: [{ container: "/run/keys", files: { "telegram-bot-token": { content: `${TG_SECRET}\n`, mode: 0o400 } } }],
        env: {
          NODE: gw.node,
          PKG: fakePackage(g.name),
          PORT: String(PORT),
          PATHS_PORT: String(PATHS_PORT),
          TG_SECRET,
          WORKSPACE,
          LOG_DIR,
          ...g.env(PORT),
        },
        scenario: ". /opt/clawdbot-harness/scenario-security.sh\n",
      });
      console.log(`container security (${g.name}): ${run.seconds.toFixed(1)} s in all; first health after ${fact("health.seconds")} s`);
    }, SETUP_TIMEOUT_MS);

    it("the container ran the scenario to the end", () => {
      expect(run.finished, why()).toBe(true);
      expect(fact("scenario.rc"), why()).toBe("0");
    });

    it("the defaults: token auth with a token generated at the first start (owner-only), healthy with it", () => {
      expect(units.default!.unitText).toContain(`--token ${P}_GATEWAY_TOKEN /var/lib/${g.name}/gateway-token`);
      expect(fact("token-file.rc"), why()).toBe("0");
      // the file belongs to the service's user (Clawdbot: its transient DynamicUser; OpenClaw: the static user
      // openclaw), mode 0600
      expect(run.read("token-file.stat").trim()).toBe(`600 ${g.name}`);
      expect(fact("health.rc"), why()).toBe("0");
      expect(fact("no-token.rc"), run.read("no-token.json")).toBe("2");
      expect(run.read("token-after-restart"), "the token is reused across restarts").toBe(run.read("token-before"));
    });

    it("another local user with a fresh device key over loopback gets no session, with or without a foreign Origin", () => {
      const attack = (file: string) => {
        const result = JSON.parse(run.read(file).trim().split("\n").pop() || "{}") as { connected?: boolean; leaked?: boolean; error?: string; code?: string };
        expect(result.connected, `${file}: ${run.read(file)}`).toBe(false);
        expect(result.leaked).toBe(false);
        // the handshake itself (protocol, device proof) was accepted: the refusal is the gateway's policy
        expect(result.error, file).not.toMatch(/protocol mismatch|signature|device identity/i);
        return result;
      };
      // refused for want of the token, also from a page of the gateway's own origin
      for (const file of ["attack.json", "attack-same-origin.json"]) expect(attack(file).error, file).toMatch(/unauthorized|token/i);
      // a foreign Origin: Clawdbot refuses it for want of the token; OpenClaw before that, for the Origin
      const foreign = attack("attack-origin.json");
      if (g.name === "clawdbot") expect(foreign.error).toMatch(/unauthorized|token/i);
      else expect(foreign).toMatchObject({ error: expect.stringMatching(/^origin not allowed/), code: "CONTROL_UI_ORIGIN_NOT_ALLOWED" });
      if (g.name === "openclaw") expect(attack("attack.json")).toMatchObject({ error: expect.stringMatching(/^unauthorized: gateway token missing/), code: "AUTH_TOKEN_MISSING" });
    });

    it(`the owner's ${g.name} command (root) reaches the gateway with the token; another user's cannot`, () => {
      expect(fact("cli-health.rc"), run.read("cli-health.txt")).toBe("0");
      expect(fact("cli-dashboard.rc"), run.read("cli-dashboard.txt")).toBe("0");
      const token = run.read("token-after-restart").trim();
      expect(token).toMatch(/^[0-9a-f]{64}$/);
      if (g.name === "clawdbot") expect(run.read("cli-dashboard.txt")).toContain(`http://127.0.0.1:${PORT}/?token=${token}`);
      else {
        // OpenClaw hands the token only to a browser or the clipboard (neither here), never to stdout
        expect(run.read("cli-dashboard.txt")).toContain(`Dashboard URL: http://127.0.0.1:${PORT}/`);
        expect(run.read("cli-dashboard.txt")).not.toContain(token);
      }
      // the Telegram secret reached the gateway's environment (LoadCredential → launcher), which the config only
      // references (Clawdbot: "${VAR}"; OpenClaw: a SecretRef)
      expect(fact("secret-in-env.rc"), why()).toBe("0");
      expect(units.default!.configText).not.toContain(TG_SECRET);
      expect(fact("cli-nobody.rc")).not.toBe("0");
      expect(run.read("cli-nobody.txt")).toMatch(/not readable/);
      expect(run.read("cli-nobody.txt")).not.toContain(TG_SECRET);
    });

    it(
      g.runtimeWrite === "replaces-link"
        ? "no file under the state directory holds the secret after a restart (the config writer's backups are removed)"
        : "no file under the state directory holds the secret, before or after a restart (run-time config writes are refused in Nix mode)",
      () => {
        if (g.runtimeWrite === "replaces-link") {
          expect(fact("config-set1.rc"), run.read("config-set1.json")).toBe("0");
          expect(fact("config-set2.rc"), run.read("config-set2.json")).toBe("0");
          // the leak the launcher cleans up is real: before the restart the backup holds the resolved secret
          expect(run.read("secret-before-restart").trim(), run.read("state-before-restart.ls")).not.toBe("");
          expect(run.read("state-before-restart.ls")).toMatch(/clawdbot\.json\.bak/);
        } else {
          // OpenClaw writes nothing at run time in Nix mode, and its config holds a SecretRef, not the secret
          for (const step of ["config-set1", "config-set2"]) {
            expect(fact(`${step}.rc`), run.read(`${step}.json`)).toBe("1");
            expect(run.read(`${step}.json`)).toMatch(/NixModeConfigMutationError|managed by Nix/);
          }
          expect(run.read("secret-before-restart").trim(), run.read("state-before-restart.ls")).toBe("");
          expect(run.read("state-before-restart.ls")).not.toMatch(/\.bak/);
          expect(units.default!.configText).not.toContain(TG_SECRET);
        }
        expect(fact("health-after.rc"), why()).toBe("0");
        expect(run.read("secret-after-restart").trim(), run.read("state-after-restart.ls")).toBe("");
        expect(run.read("state-after-restart.ls")).not.toMatch(/\.bak|\.tmp/);
      },
    );

    it("issue 19.1: while the gateway is down, a local user holding its port gets no token: the owner's command refuses (78) and says why", () => {
      const token = run.read("token-after-restart").trim();
      expect(token).toMatch(/^[0-9a-f]{64}$/);
      // nothing listening: the command runs, without the token (a squatter could bind before it connects)
      expect(fact("cli-down.rc"), run.read("cli-down.txt")).not.toBe("0");
      expect(run.read("cli-down.txt")).toContain(`nothing listens on port ${PORT} (the gateway is stopped or still starting): running without ${P}_GATEWAY_TOKEN`);
      // uid 65534 on the port, answering connect.challenge as the gateway does
      expect(fact("squatter-listening.rc"), run.read("squatter.log")).toBe("0");
      expect(run.read("listeners-squatted.txt")).toMatch(new RegExp(`^${PORT} \\S+ uid=65534$`, "m"));
      for (const step of ["cli-squatted", "cli-squatted-status"]) {
        expect(fact(`${step}.rc`), run.read(`${step}.txt`)).toBe("78");
        expect(run.read(`${step}.txt`)).toContain(`port ${PORT} is held by uid 65534 (nobody), not by the gateway`);
        expect(run.read(`${step}.txt`)).toContain("would receive its token, so nothing was run");
      }
      // the squatter saw no client frame at all, let alone the token
      expect(run.read("squatter-token-count").trim(), run.read("squatter.log")).toBe("0");
      expect(run.read("squatter-frames").trim(), run.read("squatter.log")).toBe("0");
      expect(run.read("squatter.log")).not.toContain(token);
      // the service back: the command works
      expect(fact("health-after-squat.rc"), why()).toBe("0");
      expect(fact("cli-after-squat.rc"), run.read("cli-after-squat.txt")).toBe("0");
      expect(units.default!.cliScript).toContain(`--listener-owner ${PORT} ${g.name}`);
      expect(units.default!.cliScript).toContain(`--gateway-credential ${P}_GATEWAY_TOKEN`);
    });

    it(`issue 19.1: \`${g.name} rotate-token\` removes the generated token and restarts; a new token is written, the old one refused`, () => {
      expect(fact("rotate.rc"), run.read("rotate.txt")).toBe("0");
      expect(run.read("rotate.txt")).toContain(`/var/lib/${g.name}/gateway-token`);
      expect(fact("rotated-file.rc"), why()).toBe("0");
      expect(fact("health-after-rotate.rc"), why()).toBe("0");
      expect(fact("old-token.rc"), run.read("old-token.json")).not.toBe("0");
      expect(run.read("rotated-token.stat").trim()).toBe(`600 ${g.name}`);
      expect(fact("cli-after-rotate.rc"), run.read("cli-after-rotate.txt")).toBe("0");
    });

    it("issue 19.2: with the defaults, a local user without credentials reaches no browser control, relay or canvas", () => {
      expect(fact("exposure.rc"), run.read("exposure.err")).toBe("0");
      const results = run
        .read("exposure.jsonl")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { method: string; url: string; status?: number; error?: string; secretInBody?: boolean; body?: string });
      console.log(`exposure (${g.name}, uid 65534, defaults):\n${results.map((r) => `  ${r.method} ${r.url} → ${r.status ?? r.error}`).join("\n")}\n${run.read("listeners.txt")}`);
      const at = (port: number, path: string) => results.find((r) => r.url === `http://127.0.0.1:${port}${path}`)!;
      // browser control (port+2) and the extension relay (port+3): nothing listens
      for (const [port, path] of [[PORT + 2, "/profiles/create"], [PORT + 2, "/"], [PORT + 3, "/extension/status"], [PORT + 3, "/json/version"], [PORT + 4, "/"]] as const)
        expect(at(port, path).error, JSON.stringify(at(port, path))).toBe("ECONNREFUSED");
      // only the gateway's own port listens, owned by the service
      expect(run.read("listeners.txt").trim().split("\n").map((l) => l.split(" ")[0])).toEqual(expect.arrayContaining([String(PORT)]));
      expect(run.read("listeners.txt")).not.toMatch(new RegExp(`^(${PORT + 1}|${PORT + 2}|${PORT + 3}|${PORT + 4}) `, "m"));
      // no answer carries the canvas canary (a 0600 file of the service's in the workspace) or the Telegram secret
      for (const r of results) expect(r.secretInBody, JSON.stringify(r)).not.toBe(true);
      // the config was not rewritten
      expect(run.read("secret-after-exposure").trim(), run.read("state-after-exposure.ls")).toBe("");
      expect(run.read("state-after-exposure.ls")).not.toMatch(/\.bak/);
    });

    it("workspace and log file outside the state directory (real user): created by tmpfiles, writable, homes hidden", () => {
      expect(units.paths!.tmpfilesRules).toEqual([`d ${LOG_DIR} 0700 alice alice - -`, `d ${WORKSPACE} 0700 alice alice - -`]);
      expect(fact("paths-health.rc"), why()).toBe("0");
      expect(parseShow(run.read("paths.show")).NRestarts).toBe("0");
      expect(run.read("workspace.stat").trim()).toBe("alice 700");
      expect(run.read("logfile.stat").trim()).toMatch(/^alice [1-9]\d*$/);
      // ProtectHome=tmpfs + BindPaths: the unit sees only its own folder under /home
      expect(run.read("home-seen-by-unit.ls")).toContain(basename(LOG_DIR));
      expect(run.read("home-seen-by-unit.ls").trim().split(/\s+/).sort()).toEqual([".", ".", "..", "..", "/home/alice:", "/home:", "alice", basename(LOG_DIR)].sort());
    });

    it("a config referencing a variable nobody sets fails once (exit 78), the reason in the journal", () => {
      expect(fact("badenv-failed.rc"), why()).toBe("0");
      const show = parseShow(run.read("badenv.show"));
      expect(show.ExecMainStatus).toBe("78");
      expect(show.NRestarts).toBe("0");
      expect(run.read("badenv.journal")).toContain("the config references ${NOT_SET_ANYWHERE}, which has no value");
    });

    it("a start that keeps failing stops at the start limit instead of looping", () => {
      expect(fact("crash-limit.rc"), run.read("crash.journal").slice(-2000)).toBe("0");
      const show = parseShow(run.read("crash.show"));
      expect(show.ActiveState).toBe("failed");
      // StartLimitBurst=5: the first start and four restarts… then "Start request repeated too quickly"
      expect(Number(show.NRestarts)).toBe(5);
      expect(run.read("crash.journal")).toContain("Start request repeated too quickly");
      expect(run.read("crash.journal")).toMatch(/no-such-node-flag/);
      const later = parseShow(run.read("crash-later.show"));
      expect(later, "no further restart after the limit").toEqual({ NRestarts: "5", ActiveState: "failed" });
    });
  });
}
