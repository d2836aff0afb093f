// Issue 21.5 and 21.7 under a real systemd (systemd-nspawn), services.openclaw's NixOS unit as the module
// renders it (a golden case with `memory.profile = "2G"` and the default backups):
// - memory: MemoryMax/MemoryHigh/OOMScoreAdjust as systemd parsed them, the OOM score and NODE_OPTIONS of the
//   running gateway (/proc/<pid>), and that it came up healthy within the profile (the peak RSS of every
//   process of the unit; the container has no memory controller, so the limit itself is not enforced here);
// - backups: build A starts and writes state; a switch to build B (the same tree at another store path: a
//   second build of the package) takes and verifies a backup before B starts; the state is broken; the restore
//   block of docs/backups.md runs as written (its `nixos-rebuild switch --rollback` is the switch back to A's
//   unit) and A runs on the restored state, nothing lost, no second backup.
// Scenario: tests/support/systemd/scenario-backup.sh.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { prepareGateway } from "../support/gateway.js";
import { containerSkipReason, REPO, SETUP_TIMEOUT_MS, parseShow, runContainer, type ContainerResult } from "../support/systemd/container.js";
import { renderNixosInstance, type RenderedNixosInstance } from "../support/systemd/render.js";
import { CONTAINER_GATEWAYS, nixosGatewayRun } from "../support/systemd/gateways.js";
import { fakePackage, nixosUnit } from "../support/systemd/store.js";

const skip = containerSkipReason();
if (skip) console.log(`SKIP: needs root and systemd-nspawn: backup and memory container test (${skip})`);

const g = CONTAINER_GATEWAYS.openclaw;
const PORT = 18789;
const TOKEN = "backup-token-5d0e2c";
const PKG_A = fakePackage("openclaw");
const PKG_B = "/nix/store/22222222222222222222222222222222-openclaw-gateway";
const GIB = 1024 * 1024 * 1024;

/** The restore block of docs/backups.md (NixOS): the first sh block after its heading. */
function docsRestoreBlock(): string {
  const text = readFileSync(join(REPO, "docs/backups.md"), "utf8");
  const section = text.split("## Restore after an upgrade went wrong (NixOS)")[1] ?? "";
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error("docs/backups.md: no sh block under '## Restore after an upgrade went wrong (NixOS)'");
  return block;
}

describe.skipIf(!!skip)("openclaw: memory profile and backup before an upgrade, restore, rollback under a real systemd (systemd-nspawn)", () => {
  let a: RenderedNixosInstance;
  let unitB: string;
  let unitA: string;
  let run: ContainerResult;
  const fact = (key: string): string => run.facts[key] ?? "";
  const why = (): string => run.diagnostics();

  beforeAll(async () => {
    const gw = await prepareGateway("openclaw");
    a = renderNixosInstance(
      "default",
      {
        port: PORT,
        auth: { mode: "token", tokenFile: g.nixosTokenFile },
        memory: { profile: "2G" },
        settings: { agents: { defaults: { maxConcurrent: 2 } } },
      },
      "openclaw",
    );
    // build B: what the module renders with the package at another store path (only that path differs)
    unitB = a.unitText.split(PKG_A).join(PKG_B);
    const ua = nixosUnit(g.unit, a.unitText);
    const ub = nixosUnit(g.unit, unitB);
    unitA = ua.storePath;
    const base = nixosGatewayRun(g, gw, a.unitText, { port: PORT, token: TOKEN });
    run = await runContainer({
      name: "openclaw-backup",
      timeoutSec: 900,
      files: [
        ...a.files,
        ...ub.files.filter((f) => f.path.startsWith("/nix/store/")),
        ...ua.files,
        // the module's command for root (environment.systemPackages)
        { path: "/usr/local/bin/openclaw", content: a.cliScript, mode: 0o755 },
        { path: "/etc/clawdbot-test/restore.sh", content: docsRestoreBlock(), mode: 0o644 },
      ],
      systemUsers: base.systemUsers,
      binds: [...base.binds, { host: gw.root, container: PKG_B }],
      runtimeDirs: base.runtimeDirs,
      env: { ...base.env, GEN_A_UNIT: ua.storePath, GEN_B_UNIT: ub.storePath, PKG_A, PKG_B },
      scenario: ". /opt/clawdbot-harness/scenario-backup.sh\n",
    });
    console.log(
      `container backup (openclaw): ${run.seconds.toFixed(1)} s; healthy after boot ${fact("health-a.seconds")} s, ` +
        `after the switch to B (backup included) ${fact("health-b.seconds")} s, after the restore ${fact("health-back.seconds")} s`,
    );
  }, SETUP_TIMEOUT_MS);

  it("the unit has the profile's limits and the backup step; build B's differs only in the package", () => {
    expect(a.unitText).toMatch(/^MemoryMax=2G$/m);
    expect(a.unitText).toMatch(/^MemoryHigh=1843M$/m);
    expect(a.unitText).toMatch(/^OOMScoreAdjust=500$/m);
    expect(a.unitText).toMatch(/^ExecStartPre=.*-openclaw-backup\.sh --state \/var\/lib\/openclaw --backups \/var\/lib\/openclaw-backups /m);
    expect(unitB).not.toBe(a.unitText);
    expect(unitB.split(PKG_B).join(PKG_A)).toBe(a.unitText);
  });

  it("the container ran the scenario to the end", () => {
    expect(run.finished, why()).toBe(true);
    expect(fact("scenario.rc"), why()).toBe("0");
    expect(fact("switch-b.rc"), why()).toBe("0");
  });

  it("memory: systemd took the limits, the gateway runs with the OOM score and the heap flag, healthy within 2G", () => {
    expect(fact("health-a.rc"), why()).toBe("0");
    expect(fact("ready-a.status"), why()).toBe("200");
    const show = parseShow(run.read("memory.show"));
    expect(show.MemoryMax).toBe(String(2 * GIB));
    expect(show.MemoryHigh).toBe(String(1843 * 1024 * 1024));
    expect(show.OOMScoreAdjust).toBe("500");
    expect(run.read("memory.oom_score_adj").trim()).toBe("500");
    expect(run.read("memory.environ").trim()).toBe("NODE_OPTIONS=--max-old-space-size=1536");
    const hwm = run.read("memory.hwm").trim().split("\n").filter(Boolean).map((l) => Number(l.split(" ")[1]) * 1024);
    expect(hwm.length, run.read("memory.hwm")).toBeGreaterThanOrEqual(1);
    const peak = hwm.reduce((x, y) => x + y, 0);
    console.log(`openclaw under memory.profile = "2G": ${hwm.length} processes, sum of peak RSS ${(peak / 1024 / 1024).toFixed(0)} MiB`);
    expect(peak).toBeLessThan(2 * GIB);
  });

  it("first start: nothing to back up, build A recorded", () => {
    expect(run.read("record.a").trim()).toBe(PKG_A);
    expect(run.read("backups.a").trim()).toBe("");
  });

  it("the switch to build B took a verified backup of A's state before B started, and recorded B", () => {
    expect(fact("health-b.rc"), why()).toBe("0");
    expect(fact("b.pid")).not.toBe(fact("a.pid"));
    expect(run.read("record.b").trim()).toBe(PKG_B);
    const archives = run.read("backups.b").trim().split("\n");
    expect(archives).toHaveLength(1);
    expect(archives[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ-00000000000000000000000000000000-openclaw-gateway\.tar\.gz$/);
    const journal = run.read("journal-unit.txt");
    expect(journal).toContain(`backing it up before ${PKG_B} starts`);
    expect(journal).toContain("Archive verification: passed");
    expect(journal).toMatch(/backup verified: \/var\/lib\/openclaw-backups\//);
  });

  it("docs/backups.md's restore, then the rollback: A runs on the restored state, nothing lost, no new backup", () => {
    expect(fact("restore.rc"), run.read("restore.log") + why()).toBe("0");
    expect(fact("health-back.rc"), why()).toBe("0");
    expect(fact("ready-back.status"), why()).toBe("200");
    expect(run.read("unit-link.back").trim()).toBe(unitA);
    expect(run.read("marker.back").trim()).toBe(fact("marker"));
    expect(run.read("state.back")).toMatch(/^openclaw\.sqlite$/m);
    // the broken state is kept beside it
    expect(run.read("marker.broken").trim()).toBe("converted-by-b");
    // the restored state says A ran it last: A's start took no backup
    expect(run.read("record.back").trim()).toBe(PKG_A);
    expect(run.read("backups.back").trim().split("\n")).toEqual(run.read("backups.b").trim().split("\n"));
  });
});
