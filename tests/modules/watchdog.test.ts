// The watchdog (issue 21.6; modules/lib/watchdog.nix, modules/lib/watchdog.sh), T0: the script's counting
// with a stand-in systemctl and probe (what the container test cannot make happen on demand: a gateway that
// never became healthy, a restart by someone else, a stopped unit), and what the renderer makes of the
// options on each platform. Under a real systemd: tests/modules/container-watchdog.test.ts.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { announceSkip, nixEval, nixStr, renderSkip, REPO } from "../support/nix.js";

const SCRIPT = join(REPO, "modules/lib/watchdog.sh");

describe("modules/lib/watchdog.sh: counts failed probes in a row per run of the gateway, restarts at N", () => {
  const dir = mkdtempSync(join(tmpdir(), "watchdog-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // systemctl: `show` answers from files (ActiveState, InvocationID), `restart` is logged
  const systemctl = join(dir, "systemctl");
  writeFileSync(
    systemctl,
    `#!/bin/sh
log="${dir}/systemctl.log"; echo "$*" >> "$log"
case "$*" in
  *ActiveState*) cat "${dir}/active" ;;
  *InvocationID*) cat "${dir}/invocation" ;;
esac
`,
  );
  chmodSync(systemctl, 0o755);
  const probe = join(dir, "probe");
  writeFileSync(probe, `#!/bin/sh\necho '{"healthy":'"$(cat "${dir}/healthy")"'}'\n[ "$(cat "${dir}/healthy")" = true ]\n`);
  chmodSync(probe, 0o755);
  const state = join(dir, "run");
  spawnSync("mkdir", ["-p", state]);
  const set = (active: string, invocation: string, healthy: boolean) => {
    writeFileSync(join(dir, "active"), `${active}\n`);
    writeFileSync(join(dir, "invocation"), `${invocation}\n`);
    writeFileSync(join(dir, "healthy"), healthy ? "true" : "false");
  };
  const run = (...extra: string[]) => {
    writeFileSync(join(dir, "systemctl.log"), "");
    const r = spawnSync("sh", [SCRIPT, "--unit", "openclaw.service", "--failures", "2", "--systemctl", systemctl, ...extra, "--", probe], {
      encoding: "utf8",
      env: { PATH: "/usr/bin:/bin", RUNTIME_DIRECTORY: state },
    });
    return { status: r.status, out: r.stdout + r.stderr, restarts: readFileSync(join(dir, "systemctl.log"), "utf8").split("\n").filter((l) => l.startsWith("restart")) };
  };

  it("a gateway that never was healthy since it started is not counted, however often it fails", () => {
    set("active", "inv1", false);
    for (let i = 0; i < 4; i++) {
      const r = run();
      expect(r.status).toBe(1);
      expect(r.out).toContain("has not been healthy since it started (not counted");
      expect(r.restarts).toEqual([]);
    }
  });

  it("healthy once, then failing: 1 of 2, then a restart of the unit (no-block), and the count starts afresh", () => {
    set("active", "inv1", true);
    expect(run().status).toBe(0);
    set("active", "inv1", false);
    const first = run();
    expect(first.out).toContain("openclaw.service is unhealthy (1 of 2 probes in a row)");
    expect(first.restarts).toEqual([]);
    const second = run();
    expect(second.out).toContain("(2 of 2 probes in a row): restarting it");
    expect(second.restarts).toEqual(["restart --no-block -- openclaw.service"]);
    // the restarted gateway (a new invocation) starts with no count and must be healthy once again
    set("active", "inv2", false);
    expect(run().out).toContain("not counted");
  });

  it("a healthy probe in between resets the count; a restart by anyone else (a new InvocationID) too", () => {
    set("active", "inv3", true);
    run();
    set("active", "inv3", false);
    expect(run().out).toContain("(1 of 2");
    set("active", "inv3", true);
    expect(run().out).toContain("healthy again after 1 failed probes");
    set("active", "inv3", false);
    expect(run().out).toContain("(1 of 2");
    set("active", "inv4", false);
    expect(run().out).toContain("not counted");
  });

  it("a unit that is not active (stopped by its owner, failed, starting) is not probed, and --user reaches the user manager", () => {
    for (const active of ["inactive", "failed", "activating"]) {
      set(active, "inv5", false);
      const r = run();
      expect(r.status).toBe(0);
      expect(r.out).toContain(`openclaw.service is ${active}: nothing to watch`);
      expect(r.restarts).toEqual([]);
    }
    set("active", "inv6", true);
    run("--user");
    expect(readFileSync(join(dir, "systemctl.log"), "utf8")).toMatch(/^--user show --property=ActiveState --value -- openclaw\.service$/m);
  });
});

const noNix = renderSkip();
announceSkip("watchdog renderings (T0)", noNix);

describe.skipIf(!!noNix)("modules/lib/watchdog.nix through the renderers (T0)", () => {
  const render = (kind: "nixos" | "hm" | "darwin", options: Record<string, unknown>, gateway = "openclaw") => {
    const file = kind === "nixos" ? "nixos-unit.nix" : "hm-unit.nix";
    const r = nixEval(
      `let u = import ./tests/support/nix/${file} {
         gateway = (import ./modules/lib/gateways.nix).${gateway};
         package = "/nix/store/00000000000000000000000000000000-${gateway}-gateway"; shell = "/bin/sh";
         node = "/nix/store/11111111111111111111111111111111-nodejs-24"; systemctl = "/run/current-system/sw/bin/systemctl";
         ${kind === "nixos" ? "" : `home = "/home/alice"; darwin = ${kind === "darwin"};`}
         options = builtins.fromJSON ${nixStr(JSON.stringify(options))};
       }; in { inherit (u) failed; enabled = u.watchdog.enabled; units = u.watchdogUnits or { }; unit = u.unitText or ""; }`,
      { readWrite: true },
    );
    if (!r.ok) throw new Error(r.stderr);
    return r.value as { failed: string[]; enabled: boolean; units: Record<string, string>; unit: string };
  };

  it("off by default: no units, and the gateway's unit is the one without the option", () => {
    const off = render("nixos", { port: 18789 });
    expect(off.enabled).toBe(false);
    expect(off.units).toEqual({});
    expect(render("nixos", { port: 18789, watchdog: { enable: false, interval: "5s" } }).unit).toBe(off.unit);
  });

  it("password auth: the password by LoadCredential= and --password-file; the generated token: from the state folder", () => {
    const pw = render("nixos", { port: 18789, auth: { mode: "password", passwordFile: "/run/keys/pw" }, watchdog: { enable: true } })
      .units["openclaw-watchdog.service"]!;
    expect(pw).toMatch(/^LoadCredential=OPENCLAW_GATEWAY_PASSWORD:\/run\/keys\/pw$/m);
    expect(pw).toContain("--password-file %d/OPENCLAW_GATEWAY_PASSWORD");
    expect(pw).not.toContain("--token-file");
    const generated = render("nixos", { port: 18789, watchdog: { enable: true } }).units["openclaw-watchdog.service"]!;
    expect(generated).toMatch(/^LoadCredential=OPENCLAW_GATEWAY_TOKEN:\/var\/lib\/openclaw\/gateway-token$/m);
    // the defaults: every minute, 3 in a row
    expect(generated).toContain("--failures 3 ");
    expect(render("nixos", { port: 18789, watchdog: { enable: true } }).units["openclaw-watchdog.timer"]).toMatch(/^OnUnitActiveSec=1min$/m);
  });

  it("auth.mode = \"none\": no credential is loaded or passed (the probe then checks /readyz: tests/openclaw/plugins.test.ts)", () => {
    const none = render("nixos", { port: 18789, auth: { mode: "none" }, watchdog: { enable: true } });
    expect(none.failed).toEqual([]);
    const service = none.units["openclaw-watchdog.service"]!;
    expect(service).not.toMatch(/^LoadCredential=/m);
    expect(service).not.toMatch(/--token-file|--password-file/);
    expect(service).toMatch(/health-probe\.mjs --url ws:\/\/127\.0\.0\.1:18789 --timeout-ms 15000$/m);
  });

  it("another instance: its own watchdog, named after its unit, probing its port", () => {
    const r = nixEval(
      `let u = import ./tests/support/nix/nixos-unit.nix {
         gateway = (import ./modules/lib/gateways.nix).openclaw; name = "work";
         package = "/P"; shell = "/bin/sh"; node = "/N"; systemctl = "/S";
         options = { port = 18800; watchdog.enable = true; };
       }; in u.watchdogUnits`,
      { readWrite: true },
    );
    expect(r.ok, r.stderr).toBe(true);
    const units = r.value as Record<string, string>;
    expect(Object.keys(units).sort()).toEqual(["openclaw-work-watchdog.service", "openclaw-work-watchdog.timer"]);
    expect(units["openclaw-work-watchdog.service"]).toContain("--unit openclaw-work.service ");
    expect(units["openclaw-work-watchdog.service"]).toContain("--url ws://127.0.0.1:18800 ");
    expect(units["openclaw-work-watchdog.service"]).toMatch(/^RuntimeDirectory=openclaw-work-watchdog$/m);
  });

  it("Home Manager: a user unit with systemctl --user and the token file read as the user", () => {
    const u = render("hm", { port: 18789, auth: { mode: "token", tokenFile: "/home/alice/.secrets/t" }, watchdog: { enable: true } });
    const service = u.units["openclaw-watchdog.service"]!;
    expect(service).toContain("--systemctl /run/current-system/sw/bin/systemctl --user -- ");
    expect(service).toContain("--token-file /home/alice/.secrets/t");
    expect(service).not.toContain("LoadCredential");
  });

  it("launchd (macOS) has none: watchdog.enable there is an assertion naming the option", () => {
    const u = render("darwin", { port: 18789, watchdog: { enable: true } });
    expect(u.enabled).toBe(false);
    expect(u.failed.join("\n")).toContain("services.openclaw.watchdog.enable: launchd (macOS) has no watchdog");
    expect(render("darwin", { port: 18789 }).failed).toEqual([]);
  });
});
