// Issue 21.6 under a real systemd (systemd-nspawn): services.openclaw's NixOS unit with the watchdog
// (watchdog.enable, interval "2s", failures 2; modules/lib/watchdog.nix), as the module renders it (a golden
// case: the gateway's unit, and the watchdog's service and timer in rendering.json watchdogUnits). The
// gateway, the watchdog's script and the package's health probe (share/openclaw/health-probe.mjs of the
// prepared tree) are the real ones. While the gateway is healthy the watchdog restarts nothing over several
// intervals; frozen with SIGSTOP (systemd still sees it running: Restart= cannot help) it is restarted by the
// watchdog after two failed probes: a new main process, a new invocation, healthy again.
// The same for Home Manager's user units (systemctl --user of a lingering user's manager).
// Scenario: tests/support/systemd/scenario-watchdog.sh.
import { dirname } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { prepareGateway } from "../support/gateway.js";
import { containerSkipReason, SETUP_TIMEOUT_MS, parseShow, runContainer, type ContainerResult } from "../support/systemd/container.js";
import { renderNixosInstance, type RenderedNixosInstance } from "../support/systemd/render.js";
import { CONTAINER_GATEWAYS, CONTAINER_USER, homeManagerGatewayRun, nixosGatewayRun } from "../support/systemd/gateways.js";
import { homeManagerUnit, nixosUnit } from "../support/systemd/store.js";
import { goldenUnit, type UnitRendering } from "../support/golden-units.js";

const skip = containerSkipReason();
if (skip) console.log(`SKIP: needs root and systemd-nspawn: watchdog container test (${skip})`);

const g = CONTAINER_GATEWAYS.openclaw;
const PORT = 18789;
const TOKEN = "watchdog-token-7b1f3a";
const WATCHDOG = "openclaw-watchdog";
/** The Node the golden units name for the watchdog (tests/support/nix/golden.nix). */
const FAKE_NODE_24 = "/nix/store/11111111111111111111111111111111-nodejs-24";

describe.skipIf(!!skip)("openclaw: the watchdog restarts a gateway that stopped being healthy, and only then (systemd-nspawn)", () => {
  let r: RenderedNixosInstance & { watchdogUnits?: Record<string, string> };
  let run: ContainerResult;
  const fact = (key: string): string => run.facts[key] ?? "";
  const why = (): string => `${run.diagnostics()}\n--- watchdog.log\n${run.read("watchdog.log").split("\n").slice(-30).join("\n")}`;

  beforeAll(async () => {
    const gw = await prepareGateway("openclaw");
    r = renderNixosInstance(
      "default",
      { port: PORT, auth: { mode: "token", tokenFile: g.nixosTokenFile }, watchdog: { enable: true, interval: "2s", failures: 2 } },
      "openclaw",
    );
    const units = r.watchdogUnits ?? {};
    const base = nixosGatewayRun(g, gw, r.unitText, { port: PORT, token: TOKEN });
    run = await runContainer({
      name: "openclaw-watchdog",
      timeoutSec: 900,
      files: [
        ...r.files,
        ...nixosUnit(g.unit, r.unitText).files,
        ...Object.entries(units).flatMap(([name, text]) => nixosUnit(name, text).files),
      ],
      systemUsers: base.systemUsers,
      binds: [...base.binds, { host: dirname(dirname(gw.node)), container: FAKE_NODE_24 }],
      runtimeDirs: base.runtimeDirs,
      env: { ...base.env, WATCHDOG },
      scenario: ". /opt/clawdbot-harness/scenario-watchdog.sh\n",
    });
    console.log(
      `container watchdog (openclaw): ${run.seconds.toFixed(1)} s; ready after boot ${fact("ready-a.seconds")} s; ` +
        `restarted ${fact("restarted.seconds")} s after SIGSTOP; ready again ${fact("ready-b.seconds")} s later`,
    );
  }, SETUP_TIMEOUT_MS);

  it("the module renders the watchdog's timer and oneshot service: the package's probe, the token by LoadCredential, the restart after 2", () => {
    const service = r.watchdogUnits?.[`${WATCHDOG}.service`] ?? "";
    const timer = r.watchdogUnits?.[`${WATCHDOG}.timer`] ?? "";
    expect(Object.keys(r.watchdogUnits ?? {}).sort()).toEqual([`${WATCHDOG}.service`, `${WATCHDOG}.timer`]);
    expect(timer).toMatch(/^OnUnitActiveSec=2s$/m);
    expect(timer).toMatch(/^WantedBy=timers\.target$/m);
    expect(service).toMatch(/^Type=oneshot$/m);
    expect(service).toMatch(
      /^ExecStart=\/bin\/sh \/nix\/store\/[0-9a-z]{32}-openclaw-watchdog\.sh --unit openclaw\.service --failures 2 --systemctl \/usr\/bin\/systemctl -- \/nix\/store\/1{32}-nodejs-24\/bin\/node \/nix\/store\/0{32}-openclaw-gateway\/share\/openclaw\/health-probe\.mjs --url ws:\/\/127\.0\.0\.1:18789 --timeout-ms 15000 --token-file %d\/OPENCLAW_GATEWAY_TOKEN$/m,
    );
    expect(service).toMatch(/^LoadCredential=OPENCLAW_GATEWAY_TOKEN:\/run\/keys\/openclaw-gateway-token$/m);
    expect(service).toMatch(/^CapabilityBoundingSet=$/m);
    expect(service).toMatch(/^ProtectSystem=strict$/m);
    expect(service).not.toContain(TOKEN);
    // the gateway's own unit is the one without a watchdog: the watchdog adds units, it changes none
    expect(r.unitText).not.toContain("watchdog");
  });

  it("the container ran the scenario to the end; the timer is active", () => {
    expect(run.finished, why()).toBe(true);
    expect(fact("scenario.rc"), why()).toBe("0");
    expect(run.read("timer.is-active").trim(), why()).toBe("active");
  });

  it("healthy: the watchdog's probes pass and it restarts nothing over several intervals", () => {
    expect(fact("ready-a.rc"), why()).toBe("0");
    expect(fact("seen-healthy.rc"), `${run.read("state.healthy")}\n${why()}`).toBe("0");
    expect(run.read("state.healthy").trim()).toBe(`${run.read("invocation.a").trim()} 0 1`);
    expect(fact("healthy.pid")).toBe(fact("a.pid"));
    expect(fact("healthy.nrestarts")).toBe("0");
    const show = parseShow(run.read("watchdog.show"));
    // it ran (several times, the last one passed) as a oneshot
    expect(show.Type).toBe("oneshot");
    expect(show.Result, run.read("watchdog-healthy.log")).toBe("success");
    expect(run.read("watchdog-healthy.log")).not.toContain("restarting");
  });

  it("frozen (SIGSTOP, still 'running' for systemd): the watchdog restarts it after 2 failed probes, and it is healthy again", () => {
    expect(fact("restarted.rc"), why()).toBe("0");
    expect(fact("b.pid")).not.toBe(fact("a.pid"));
    expect(run.read("invocation.b").trim()).not.toBe(run.read("invocation.a").trim());
    const log = run.read("watchdog.log");
    expect(log).toMatch(/watchdog: openclaw\.service is unhealthy \(1 of 2 probes in a row\)/);
    expect(log).toMatch(/watchdog: openclaw\.service is unhealthy \(2 of 2 probes in a row\): restarting it/);
    expect(fact("ready-b.rc"), why()).toBe("0");
    expect(fact("health-b.rc"), why()).toBe("0");
  });
});

describe.skipIf(!!skip)("openclaw: the Home Manager watchdog (user units, systemctl --user) restarts a frozen gateway (systemd-nspawn)", () => {
  const USER = CONTAINER_USER;
  let r: UnitRendering & { watchdogUnits?: Record<string, string> };
  let run: ContainerResult;
  const fact = (key: string): string => run.facts[key] ?? "";
  const why = (): string => `${run.diagnostics()}\n--- watchdog.log\n${run.read("watchdog.log").split("\n").slice(-30).join("\n")}`;

  beforeAll(async () => {
    const gw = await prepareGateway("openclaw");
    r = goldenUnit({
      gateway: "openclaw",
      kind: "home-manager",
      name: "default",
      home: USER.home,
      options: { port: PORT, auth: { mode: "token", tokenFile: g.hmTokenFile(USER.home) }, watchdog: { enable: true, interval: "2s", failures: 2 } },
    });
    const around = homeManagerGatewayRun(g, gw, { port: PORT, token: TOKEN, unit: g.unit });
    run = await runContainer({
      name: "openclaw-hm-watchdog",
      timeoutSec: 900,
      files: [
        ...Object.entries(r.storeFiles).map(([path, content]) => ({ path, content, mode: 0o444 })),
        ...homeManagerUnit(g.unit, r.unitText, USER).files,
        ...Object.entries(r.watchdogUnits ?? {}).flatMap(([name, text]) => homeManagerUnit(name, text, USER).files),
        ...around.files,
      ],
      binds: [...around.binds, { host: dirname(dirname(gw.node)), container: FAKE_NODE_24 }],
      env: { ...around.env, WATCHDOG },
      scenario: ". /opt/clawdbot-harness/scenario-watchdog.sh\n",
    });
    console.log(
      `container watchdog (openclaw, Home Manager): ${run.seconds.toFixed(1)} s; ready after boot ${fact("ready-a.seconds")} s; ` +
        `restarted ${fact("restarted.seconds")} s after SIGSTOP; ready again ${fact("ready-b.seconds")} s later`,
    );
  }, SETUP_TIMEOUT_MS);

  it("the user units: systemctl --user, the token file read as the user", () => {
    const service = r.watchdogUnits?.[`${WATCHDOG}.service`] ?? "";
    expect(service).toContain(`--systemctl /usr/bin/systemctl --user -- `);
    expect(service).toContain(`--token-file ${g.hmTokenFile(USER.home)}`);
    expect(r.watchdogUnits?.[`${WATCHDOG}.timer`]).toMatch(/^WantedBy=timers\.target$/m);
  });

  it("the user manager ran both; healthy: nothing restarted; frozen: restarted by the watchdog, healthy again", () => {
    expect(run.finished, why()).toBe(true);
    expect(fact("scenario.rc"), why()).toBe("0");
    expect(fact("user-manager.rc"), why()).toBe("0");
    expect(run.read("timer.is-active").trim(), why()).toBe("active");
    expect(fact("seen-healthy.rc"), why()).toBe("0");
    expect(fact("healthy.pid")).toBe(fact("a.pid"));
    expect(fact("healthy.nrestarts")).toBe("0");
    expect(fact("restarted.rc"), why()).toBe("0");
    expect(fact("b.pid")).not.toBe(fact("a.pid"));
    expect(run.read("watchdog.log")).toMatch(/\(2 of 2 probes in a row\): restarting it/);
    expect(fact("ready-b.rc"), why()).toBe("0");
    expect(fact("health-b.rc"), why()).toBe("0");
  });
});
