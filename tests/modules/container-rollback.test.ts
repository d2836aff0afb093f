// Rollback under a real systemd (the container twin of the rollback NixOS VM test): the NixOS unit and
// config of generation 1, a switch to generation 2 (a changed setting), a switch back to 1 — each switch
// as switch-to-configuration does it for a changed unit (re-point the unit link, daemon-reload, restart).
// After the way back the live config (the file at <PREFIX>_CONFIG_PATH) is generation 1's, byte for byte,
// and the service was restarted and is healthy. For each gateway (services.clawdbot, services.openclaw: the
// unit's static User= created as the NixOS module does). Scenario: tests/support/systemd/scenario-rollback.sh.
import { beforeAll, describe, expect, it } from "vitest";
import { prepareGateway } from "../support/gateway.js";
import { containerSkipReason, SETUP_TIMEOUT_MS, parseShow, runContainer, type ContainerResult } from "../support/systemd/container.js";
import { nixosRenderMissing, renderNixosUnit, type RenderedUnit } from "../support/systemd/render.js";
import { CONTAINER_GATEWAY_LIST, gatewayRunName, gatewayTitle, nixosGatewayRun } from "../support/systemd/gateways.js";
import { nixosUnit } from "../support/systemd/store.js";

const skip = containerSkipReason();
if (skip) console.log(`SKIP: needs root and systemd-nspawn: rollback container test (${skip})`);

const PORT = 18789;
const TOKEN = "rollback-token-0c61aa";

for (const g of CONTAINER_GATEWAY_LIST) {
  const TOKEN_FILE = g.nixosTokenFile;
  describe.skipIf(!!skip)(gatewayTitle(g, "rollback: generation 1 → 2 → 1 under a real systemd (systemd-nspawn)"), () => {
    let gen1: RenderedUnit;
    let gen2: RenderedUnit;
    let gen1Unit: string;
    let gen2Unit: string;
    let run: ContainerResult;
    const fact = (key: string): string => run.facts[key] ?? "";
    const why = (): string => run.diagnostics();

    beforeAll(async () => {
      const missing = nixosRenderMissing();
      if (missing) throw new Error(missing);
      const gw = await prepareGateway(g.name);
      gen1 = renderNixosUnit({
        gateway: g.name,
        port: PORT,
        tokenFile: TOKEN_FILE,
        settings: { agents: { defaults: { maxConcurrent: 2 } }, logging: { level: "info" } },
      });
      gen2 = renderNixosUnit({
        gateway: g.name,
        port: PORT,
        tokenFile: TOKEN_FILE,
        settings: { agents: { defaults: { maxConcurrent: 3 } }, logging: { level: "debug" } },
      });
      const unit1 = nixosUnit(g.unit, gen1.unit);
      const unit2 = nixosUnit(g.unit, gen2.unit);
      gen1Unit = unit1.storePath;
      gen2Unit = unit2.storePath;
      const storeFiles = [...gen1.storeFiles, ...gen2.storeFiles];
      const run1 = nixosGatewayRun(g, gw, gen1.unit, { port: PORT, token: TOKEN });
      run = await runContainer({
        name: gatewayRunName(g, "rollback"),
        timeoutSec: 400,
        files: [
          ...storeFiles,
          // generation 2's unit file is in the store; generation 1 is the one linked and booted
          ...unit2.files.filter((f) => f.path.startsWith("/nix/store/")),
          ...unit1.files,
        ],
        // the unit's system user (OpenClaw's "openclaw", as the NixOS module creates it), binds, token, variables
        ...run1,
        env: {
          ...run1.env,
          GEN1_UNIT: gen1Unit,
          GEN2_UNIT: gen2Unit,
        },
        scenario: ". /opt/clawdbot-harness/scenario-rollback.sh\n",
      });
      console.log(
        `container rollback (${g.name}): ${run.seconds.toFixed(1)} s in all; health after boot ${fact("health-gen1.seconds")} s, ` +
          `after switch to 2 ${fact("health-gen2.seconds")} s, after switch back ${fact("health-back1.seconds")} s`,
      );
    }, SETUP_TIMEOUT_MS);

    it("the two generations differ in unit and config", () => {
      expect(gen2.config.text).not.toBe(gen1.config.text);
      expect(gen2.config.path).not.toBe(gen1.config.path);
      expect(gen2Unit).not.toBe(gen1Unit);
    });

    it("the container ran the scenario to the end and powered off", () => {
      expect(run.finished, why()).toBe(true);
      expect(fact("scenario.rc"), why()).toBe("0");
      expect(fact("switch2.rc"), why()).toBe("0");
      expect(fact("switch1.rc"), why()).toBe("0");
    });

    it("generation 1 at boot: healthy, its config live", () => {
      expect(fact("health-gen1.rc"), why()).toBe("0");
      if (g.name === "openclaw") expect(fact("ready-gen1.status"), why()).toBe("200");
      expect(run.read("unit-link.gen1").trim()).toBe(gen1Unit);
      expect(run.read("config.gen1")).toBe(gen1.config.text);
    });

    it("switch to generation 2: restarted, healthy, generation 2's config live", () => {
      expect(fact("health-gen2.rc"), why()).toBe("0");
      if (g.name === "openclaw") expect(fact("ready-gen2.status"), why()).toBe("200");
      expect(run.read("unit-link.gen2").trim()).toBe(gen2Unit);
      expect(parseShow(run.read("gen2.show")).FragmentPath).toBe(`/etc/systemd/system/${g.unit}`);
      expect(fact("gen2.pid")).not.toBe(fact("gen1.pid"));
      expect(run.read("config.gen2")).toBe(gen2.config.text);
      expect(run.read("config-link.gen2").trim()).toBe(gen2.config.path);
    });

    it("back to generation 1: restarted, healthy, the live config is generation 1's byte for byte", () => {
      expect(fact("health-back1.rc"), why()).toBe("0");
      if (g.name === "openclaw") expect(fact("ready-back1.status"), why()).toBe("200");
      expect(run.read("back1.is-active").trim()).toBe("active");
      expect(fact("back1.pid")).not.toBe(fact("gen2.pid"));
      expect(fact("back1.pid")).not.toBe("0");
      expect(run.read("unit-link.back1").trim()).toBe(gen1Unit);
      expect(Buffer.from(run.read("config.back1")).equals(Buffer.from(gen1.config.text))).toBe(true);
      expect(run.read("config-link.back1").trim()).toBe(gen1.config.path);
      expect(parseShow(run.read("back1.show")).NeedDaemonReload).toBe("no");
    });
  });
}
