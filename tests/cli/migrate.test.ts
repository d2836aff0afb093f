// From Clawdbot to OpenClaw (issue 21.3): every Clawdbot fixture through OpenClaw's own legacy-config migration
// (cli/migrate.ts, in process, offline): valid for OpenClaw's validator, or each refusal named with its fix.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/clawdbot-nix.js";
import { conversionFigure, migrateToOpenclaw } from "../../cli/migrate.js";
import { readConfig, type JsonObject } from "../../cli/read-config.js";
import { TARGETS } from "../../cli/targets.js";
import { locateUpstream } from "../../cli/upstream-validator.js";
import { prepareGateway, type PreparedGateway } from "../support/gateway.js";
import { FIXTURES } from "./support.js";

/** Every readable Clawdbot config among the fixtures (clawdbot.json / .json5 and the upstream-only set). */
function clawdbotFixtures(): { file: string; value: JsonObject }[] {
  const out: { file: string; value: JsonObject }[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/^clawdbot\.json5?$/.test(name) || dir.endsWith("upstream-only")) {
        try {
          out.push({ file: path, value: readConfig(path).value! });
        } catch {
          // unreadable on purpose (syntax, cycle, missing include): not a config to convert
        }
      }
    }
  };
  walk(FIXTURES);
  return out;
}

describe("Clawdbot → OpenClaw with OpenClaw's own migration", () => {
  let gw: PreparedGateway;
  beforeAll(async () => {
    gw = await prepareGateway("openclaw");
  }, 30 * 60_000);

  it("every Clawdbot fixture: valid for OpenClaw, or every refusal explained with a fix", async () => {
    const located = locateUpstream({ target: TARGETS.openclaw, gateway: gw.root });
    expect(located.missing).toBeUndefined();
    const fixtures = clawdbotFixtures();
    expect(fixtures.length).toBeGreaterThan(10);
    const migrations = await migrateToOpenclaw(located.validator!, fixtures.map((f) => f.value));
    for (const [i, m] of migrations.entries()) {
      if (!m.ok) {
        expect(m.refusals.length, fixtures[i]!.file).toBeGreaterThan(0);
        for (const r of m.refusals) expect(r.fix, `${fixtures[i]!.file}: ${r.path}`).not.toBe("");
      }
    }
    const figure = conversionFigure(migrations);
    console.log(figure);
    expect(figure).toMatch(/^converted \d+\/\d+, explained \d+$/);
    const [, n, total, k] = /converted (\d+)\/(\d+), explained (\d+)/.exec(figure)!.map(Number);
    expect(n! + k!).toBe(total);
    // the Docker guide's config: dm.policy moved by upstream, then valid
    const docker = migrations[fixtures.findIndex((f) => f.file.endsWith("docker/clawdbot.json"))]!;
    expect(docker.ok).toBe(true);
    expect(docker.changes.join("\n")).toContain("channels.discord.dmPolicy");
    // the legacy fixture's gateway.token: the service option
    const legacy = migrations[fixtures.findIndex((f) => f.file.endsWith("legacy/clawdbot.json"))]!;
    expect(legacy.refusals.map((r) => r.fix).join("\n")).toContain("services.openclaw.auth.tokenFile");
  }, 300_000);

  it("`clawdbot-nix migrate`: the converted config on stdout, refusals with fixes and the figure on stderr", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(["migrate", "--gateway", gw.root, join(FIXTURES, "docker"), join(FIXTURES, "legacy/clawdbot.json")], (l) => out.push(l), (l) => err.push(l));
    expect(code).toBe(1);
    expect(err.at(-1)).toBe("converted 1/2, explained 1");
    expect(err.join("\n")).toMatch(/fix: agent: retired before OpenClaw's migrations/);
    const one: string[] = [];
    expect(await main(["migrate", "--gateway", gw.root, join(FIXTURES, "docker")], (l) => one.push(l), () => {})).toBe(0);
    expect(JSON.parse(one.join("\n")).channels.discord.dmPolicy).toBeDefined();
  }, 300_000);
});
