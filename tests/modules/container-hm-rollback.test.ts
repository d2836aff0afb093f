// Home Manager rollback under a real systemd (the Home Manager twin of container-rollback): a lingering
// user's `systemd --user` in a systemd-nspawn container runs the module's user unit (rendered by
// renderHomeManagerUnit) from Home Manager generation 1. Then, each switch done the way Home Manager's
// activation does it (the steps it reproduces are listed in tests/support/systemd/scenario-hm-rollback.sh:
// profile generation, links under ~/.config/systemd/user re-pointed into the new generation's home-files,
// `systemctl --user daemon-reload`, sd-switch's restart of a changed active unit / start of a changed unit
// wanted by default.target):
//   A  generation 2 (a changed setting): restarted, healthy, its config live; `home-manager switch
//      --rollback`: restarted, healthy, generation 1's config byte for byte (the symlink names its store file)
//   B  generation 3 (a broken setting: the config references ${NOT_SET_ANYWHERE}): the launcher exits 78, the
//      unit fails once and stays failed (no restart loop), the reason is where `systemctl --user status` and
//      the journal show it; then generation 1's own `activate`, run by hand: healthy, generation 1's config
//      byte for byte again.
// For each gateway (services.clawdbot, services.openclaw). Root only.
import { beforeAll, describe, expect, it } from "vitest";
import { prepareGateway } from "../support/gateway.js";
import { containerSkipReason, SETUP_TIMEOUT_MS, parseShow, runContainer, type ContainerResult, type FileSpec } from "../support/systemd/container.js";
import { homeManagerRenderMissing, renderHomeManagerUnit, type RenderedUnit } from "../support/systemd/render.js";
import { CONTAINER_GATEWAY_LIST, CONTAINER_USER, gatewayRunName, gatewayTitle, homeManagerGatewayRun, type ContainerGateway } from "../support/systemd/gateways.js";
import { fakeStorePath } from "../support/systemd/store.js";

const skip = containerSkipReason();
if (skip) console.log(`SKIP: needs root and systemd-nspawn: Home Manager rollback container test (${skip})`);

const USER = CONTAINER_USER;
const PORT = 18789;
const TOKEN = "hm-rollback-token-7e20b4";
const UNIT_DIR = ".config/systemd/user";

/** One Home Manager generation as it is in the store: GEN/home-files → FILES, whose unit links name UNIT. */
interface Generation {
  rendered: RenderedUnit;
  /** …-home-manager-generation (its `activate` is written by the scenario). */
  path: string;
  /** …-home-manager-files: what GEN/home-files points at; the links in ~ point into it. */
  files: string;
  /** The unit file (…-clawdbot.service, …-openclaw.service) both of FILES' unit entries link to. */
  unitFile: string;
  storeFiles: FileSpec[];
}

function generation(g: ContainerGateway, rendered: RenderedUnit): Generation {
  const name = rendered.unitName ?? g.unit;
  const text = rendered.unit;
  const unitFile = fakeStorePath(name, text);
  const files = fakeStorePath("home-manager-files", text);
  const path = fakeStorePath("home-manager-generation", text);
  return {
    rendered,
    path,
    files,
    unitFile,
    storeFiles: [
      { path: unitFile, content: text, mode: 0o444 },
      { path: `${files}/${UNIT_DIR}/${name}`, symlink: unitFile },
      { path: `${files}/${UNIT_DIR}/default.target.wants/${name}`, symlink: unitFile },
      { path: `${path}/home-files`, symlink: files },
    ],
  };
}

/** What generation 1's activation left in the user's home: links, profile generation 1, current-home. */
function activatedHome(gen: Generation, unitName: string): FileSpec[] {
  const owned = { uid: USER.uid, gid: USER.gid };
  const dirs = [
    ".config",
    ".config/systemd",
    UNIT_DIR,
    `${UNIT_DIR}/default.target.wants`,
    ".local",
    ".local/state",
    ".local/state/nix",
    ".local/state/nix/profiles",
    ".local/state/home-manager",
    ".local/state/home-manager/gcroots",
  ];
  return [
    ...dirs.map((d): FileSpec => ({ path: `${USER.home}/${d}`, dir: true, mode: 0o755, ...owned })),
    { path: `${USER.home}/${UNIT_DIR}/${unitName}`, symlink: `${gen.files}/${UNIT_DIR}/${unitName}`, ...owned },
    {
      path: `${USER.home}/${UNIT_DIR}/default.target.wants/${unitName}`,
      symlink: `${gen.files}/${UNIT_DIR}/default.target.wants/${unitName}`,
      ...owned,
    },
    { path: `${USER.home}/.local/state/nix/profiles/home-manager-1-link`, symlink: gen.path, ...owned },
    { path: `${USER.home}/.local/state/nix/profiles/home-manager`, symlink: "home-manager-1-link", ...owned },
    { path: `${USER.home}/.local/state/home-manager/gcroots/current-home`, symlink: gen.path, ...owned },
  ];
}

for (const g of CONTAINER_GATEWAY_LIST) {
  const TOKEN_FILE = g.hmTokenFile(USER.home);
  describe.skipIf(!!skip)(gatewayTitle(g, "Home Manager rollback: generation 1 → 2 → rollback, → 3 (broken) → 1, lingering user, real systemd"), () => {
    let gen1: Generation;
    let gen2: Generation;
    let gen3: Generation;
    let unitName: string;
    let run: ContainerResult;
    const fact = (key: string): string => run.facts[key] ?? "";
    const why = (): string => run.diagnostics();
    const links = (gen: Generation): string => `${gen.files}/${UNIT_DIR}/${unitName}\n${gen.files}/${UNIT_DIR}/default.target.wants/${unitName}\n`;
    const sameBytes = (a: string, b: string): boolean => Buffer.from(a).equals(Buffer.from(b));

    beforeAll(async () => {
      const missing = homeManagerRenderMissing();
      if (missing) throw new Error(missing);
      const gw = await prepareGateway(g.name);
      const base = { gateway: g.name, port: PORT, home: USER.home, tokenFile: TOKEN_FILE };
      gen1 = generation(g, renderHomeManagerUnit({ ...base, settings: { agents: { defaults: { maxConcurrent: 2 } }, logging: { level: "info" } } }));
      gen2 = generation(g, renderHomeManagerUnit({ ...base, settings: { agents: { defaults: { maxConcurrent: 3 } }, logging: { level: "debug" } } }));
      gen3 = generation(
        g,
        renderHomeManagerUnit({
          ...base,
          settings: { agents: { defaults: { maxConcurrent: 2, model: { primary: "${NOT_SET_ANYWHERE}" } } }, logging: { level: "info" } },
        }),
      );
      unitName = gen1.rendered.unitName ?? g.unit;
      const gens = [gen1, gen2, gen3];
      // the user's token file, the linger file `loginctl enable-linger alice` leaves, binds, variables
      const around = homeManagerGatewayRun(g, gw, { port: PORT, token: TOKEN, unit: unitName });
      run = await runContainer({
        name: gatewayRunName(g, "hm-rollback"),
        timeoutSec: 420,
        files: [
          ...gens.flatMap((g) => g.storeFiles),
          // the store files the units name (config, launcher), once each
          ...[...new Map(gens.flatMap((g) => g.rendered.storeFiles).map((f) => [f.path, f] as const)).values()],
          ...activatedHome(gen1, unitName),
          ...around.files,
        ],
        binds: around.binds,
        env: {
          ...around.env,
          GEN1: gen1.path,
          GEN2: gen2.path,
          GEN3: gen3.path,
        },
        scenario: ". /opt/clawdbot-harness/scenario-hm-rollback.sh\n",
      });
      console.log(
        `container HM rollback (${g.name}): ${run.seconds.toFixed(1)} s in all; health after boot ${fact("health-gen1.seconds")} s; ` +
          `switch to 2 ${fact("switch2.seconds")} s + health ${fact("health-gen2.seconds")} s; ` +
          `switch --rollback ${fact("rollback1.seconds")} s + health ${fact("health-back1.seconds")} s; ` +
          `switch to 3 (broken) ${fact("switch3.seconds")} s; gen 1's activate ${fact("activate1.seconds")} s + health ${fact("health-back1b.seconds")} s`,
      );
    }, SETUP_TIMEOUT_MS);

    it("the three generations differ in unit file and config; generation 3's config references an unset variable", () => {
      expect(new Set([gen1, gen2, gen3].map((g) => g.rendered.config.path)).size).toBe(3);
      expect(new Set([gen1, gen2, gen3].map((g) => g.unitFile)).size).toBe(3);
      // the unit names its config (X-Restart-Triggers), so a config change is a unit change, restarted by sd-switch
      for (const g of [gen1, gen2, gen3]) expect(g.rendered.unit).toContain(`X-Restart-Triggers=${g.rendered.config.path}`);
      expect(gen3.rendered.config.text).toContain("${NOT_SET_ANYWHERE}");
      expect(gen3.rendered.unit).toContain("RestartPreventExitStatus=78");
    });

    it("the container ran the scenario to the end and powered off; every switch and activation succeeded", () => {
      expect(run.finished, why()).toBe(true);
      expect(fact("scenario.rc"), why()).toBe("0");
      expect(fact("user-manager.rc"), why()).toBe("0");
      for (const step of ["switch2", "rollback1", "switch3", "activate1"]) expect(fact(`${step}.rc`), `${step}: ${run.read(`${step}.log`)}`).toBe("0");
    });

    it("generation 1 at boot: healthy, its links, profile and config live", () => {
      expect(fact("health-gen1.rc"), why()).toBe("0");
      if (g.name === "openclaw") expect(fact("ready-gen1.status"), why()).toBe("200");
      expect(run.read("gen1.is-active").trim()).toBe("active");
      expect(run.read("unit-links.gen1")).toBe(links(gen1));
      expect(run.read("profile.gen1").trim()).toBe("home-manager-1-link");
      expect(run.read("config.gen1")).toBe(gen1.rendered.config.text);
      expect(run.read("config-link.gen1").trim()).toBe(gen1.rendered.config.path);
    });

    it("A: home-manager switch to generation 2: links re-pointed, daemon-reload, restarted, healthy, its config live", () => {
      expect(run.read("switch2.log")).toContain(`sd-switch: restarting ${unitName}`);
      expect(fact("health-gen2.rc"), why()).toBe("0");
      if (g.name === "openclaw") expect(fact("ready-gen2.status"), why()).toBe("200");
      expect(run.read("unit-links.gen2")).toBe(links(gen2));
      expect(run.read("profile.gen2").trim()).toBe("home-manager-2-link");
      expect(run.read("current-home.gen2").trim()).toBe(gen2.path);
      const show = parseShow(run.read("gen2.show"));
      expect(show.FragmentPath).toBe(`${USER.home}/${UNIT_DIR}/${unitName}`);
      expect(show.NeedDaemonReload).toBe("no");
      expect(fact("gen2.pid")).not.toBe(fact("gen1.pid"));
      expect(run.read("config.gen2")).toBe(gen2.rendered.config.text);
      expect(run.read("config-link.gen2").trim()).toBe(gen2.rendered.config.path);
    });

    it("A: home-manager switch --rollback: profile back to generation 1, restarted, healthy, generation 1's config byte for byte", () => {
      expect(run.read("rollback1.log")).toContain("switching profile from version 2 to 1");
      expect(run.read("rollback1.log")).toContain(`sd-switch: restarting ${unitName}`);
      expect(fact("health-back1.rc"), why()).toBe("0");
      if (g.name === "openclaw") expect(fact("ready-back1.status"), why()).toBe("200");
      expect(run.read("back1.is-active").trim()).toBe("active");
      expect(run.read("profile.back1").trim()).toBe("home-manager-1-link");
      expect(run.read("current-home.back1").trim()).toBe(gen1.path);
      expect(run.read("unit-links.back1")).toBe(links(gen1));
      expect(fact("back1.pid")).not.toBe(fact("gen2.pid"));
      expect(fact("back1.pid")).not.toBe("0");
      expect(sameBytes(run.read("config.back1"), gen1.rendered.config.text)).toBe(true);
      expect(run.read("config-link.back1").trim()).toBe(gen1.rendered.config.path);
      expect(parseShow(run.read("back1.show")).NeedDaemonReload).toBe("no");
    });

    it("B: generation 3 (a variable nobody sets): the unit fails once with 78, no restart loop, the reason shown to the user", () => {
      expect(fact("broken.failed-rc"), why()).toBe("0");
      const show = parseShow(run.read("broken.show"));
      expect(run.read("broken.is-active").trim()).toBe("failed");
      expect(show.ExecMainStatus).toBe("78");
      expect(show.NRestarts).toBe("0");
      expect(fact("broken.health-rc")).not.toBe("0");
      expect(run.read("profile.broken").trim()).toBe("home-manager-3-link");
      // what the README tells the user to run, as the user: `systemctl --user status`, `journalctl --user`
      expect(run.read("broken.status.txt")).toContain("status=78");
      const reason = "the config references ${NOT_SET_ANYWHERE}, which has no value";
      expect(run.read("broken.journal-uid.txt")).toContain(reason);
      expect(run.read("broken.journal-user-all.txt")).toContain(reason);
      // `journalctl --user -u <unit>` and status show the line only when journald read the launcher's cgroup
      // before it exited (it exits within ~10 ms): measured here, missing in about one run of three
      if (!run.read("broken.journal.txt").includes(reason)) console.log("NOTE: this run, `journalctl --user -u` lacked the launcher's reason (unit attribution race)");
      expect(run.read("generations.broken")).toMatch(new RegExp(`id 3 -> ${gen3.path} \\(current\\)`));
      expect(run.read("generations.broken")).toContain(`id 1 -> ${gen1.path}`);
    });

    it("B: generation 1's own activate, run by hand: a new profile generation, started, healthy, generation 1's config byte for byte", () => {
      expect(run.read("activate1.log")).toContain("Creating new profile generation");
      expect(run.read("activate1.log")).toContain(`sd-switch: starting ${unitName}`);
      expect(fact("health-back1b.rc"), why()).toBe("0");
      if (g.name === "openclaw") expect(fact("ready-back1b.status"), why()).toBe("200");
      expect(run.read("back1b.is-active").trim()).toBe("active");
      expect(run.read("profile.back1b").trim()).toBe("home-manager-4-link");
      expect(run.read("generations4.log")).toMatch(new RegExp(`id 4 -> ${gen1.path} \\(current\\)`));
      expect(run.read("current-home.back1b").trim()).toBe(gen1.path);
      expect(run.read("unit-links.back1b")).toBe(links(gen1));
      expect(sameBytes(run.read("config.back1b"), gen1.rendered.config.text)).toBe(true);
      expect(run.read("config-link.back1b").trim()).toBe(gen1.rendered.config.path);
      expect(fact("back1b.pid")).not.toBe("0");
      // started once more after the failed start: the start limit (5 in 120 s) was not reached
      expect(parseShow(run.read("back1b.state")).Result).toBe("success");
    });
  });
}
