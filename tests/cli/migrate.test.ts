// From Clawdbot to OpenClaw (issue 21.3): every Clawdbot fixture and every config example of Clawdbot's own
// documentation through the conversion (cli/migrate.ts: Clawdbot's load-time migration, our rules, OpenClaw's doctor
// migration, OpenClaw's validator; offline, in the pinned packages): valid for OpenClaw, or each refusal named with
// why and the fix. Prints `converted N / M, explained K`.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/clawdbot-nix.js";
import { OWN_RULES } from "../../cli/convert-rules.js";
import { conversionFigure, migrateToOpenclaw, type Migration } from "../../cli/migrate.js";
import { readConfig, type JsonObject } from "../../cli/read-config.js";
import { TARGETS } from "../../cli/targets.js";
import { locateUpstream, packageRootIn, type UpstreamValidator } from "../../cli/upstream-validator.js";
import { prepareGateway } from "../support/gateway.js";
import { clawdbotDocsExamples } from "./clawdbot-docs.js";
import { FIXTURES } from "./support.js";

/** Every readable Clawdbot config among the fixtures (clawdbot.json / .json5 and the upstream-only set). */
function clawdbotFixtures(): { name: string; value: JsonObject }[] {
  const out: { name: string; value: JsonObject }[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/^clawdbot\.json5?$/.test(name) || dir.endsWith("upstream-only")) {
        try {
          out.push({ name: path.slice(FIXTURES.length + 1), value: readConfig(path).value! });
        } catch {
          // unreadable on purpose (syntax, cycle, missing include): not a config to convert
        }
      }
    }
  };
  walk(FIXTURES);
  return out;
}

describe("Clawdbot → OpenClaw with upstream's own migrations", () => {
  let openclaw: UpstreamValidator;
  let clawdbot: UpstreamValidator;
  let clawdbotRoot: string;
  let openclawRoot: string;
  beforeAll(async () => {
    const [oc, cb] = await Promise.all([prepareGateway("openclaw"), prepareGateway("clawdbot")]);
    openclawRoot = oc.root;
    openclaw = locateUpstream({ target: TARGETS.openclaw, gateway: oc.root }).validator!;
    clawdbot = locateUpstream({ target: TARGETS.clawdbot, gateway: cb.root }).validator!;
    clawdbotRoot = packageRootIn(cb.root, TARGETS.clawdbot)!;
    expect(openclaw).toBeDefined();
    expect(clawdbot).toBeDefined();
  }, 30 * 60_000);

  it("every Clawdbot fixture and every Clawdbot config in Clawdbot's docs: valid for OpenClaw, or every refusal explained", async () => {
    const fixtures = clawdbotFixtures();
    const docs = clawdbotDocsExamples(clawdbotRoot);
    expect(fixtures.length).toBeGreaterThan(15);
    expect(docs.length).toBeGreaterThan(400);
    const all = [...fixtures, ...docs];
    const migrations = await migrateToOpenclaw(openclaw, all.map((c) => c.value), { clawdbot });
    const by = (name: string): Migration => migrations[all.findIndex((c) => c.name === name)]!;
    // a docs block is a Clawdbot config when Clawdbot accepts it after its own load-time migration (the pages also
    // show RPC frames and plugin manifests as JSON); every fixture counts
    const cases = all.map((c, i) => ({ ...c, m: migrations[i]! })).filter((c, i) => i < fixtures.length || c.m.clawdbot?.ok);
    expect(cases.length - fixtures.length).toBeGreaterThan(400);
    for (const { name, m } of cases) {
      if (m.ok) continue;
      expect(m.refusals.length, name).toBeGreaterThan(0);
      for (const r of m.refusals) {
        expect(r.explained, `${name}: ${r.where}: ${r.message}`).toBe(true);
        expect(r.why, `${name}: ${r.where}`).not.toBe("");
        expect(r.fix, `${name}: ${r.where}`).not.toBe("");
      }
    }
    const figure = conversionFigure(cases.map((c) => c.m));
    console.log(`Clawdbot → OpenClaw: ${figure.replace(/converted (\d+)\/(\d+)/, "converted $1 / $2")} (${fixtures.length} fixtures, ${cases.length - fixtures.length} configs from Clawdbot's docs)`);
    const [, n, total, k] = /converted (\d+)\/(\d+), explained (\d+)/.exec(figure)!.map(Number);
    expect(n! + k!).toBe(total);
    expect(n! / total!).toBeGreaterThan(0.9);

    // the keys issue 21 names, moved by OpenClaw's migration: dm.policy, *.allow, chunkMode, messages.tts
    const discord = by("gateway/configuration.md#38");
    expect(discord.ok).toBe(true);
    expect(discord.changes).toEqual(
      expect.arrayContaining([
        "OpenClaw: Moved channels.discord.dm.policy → channels.discord.dmPolicy.",
        "OpenClaw: Moved channels.discord.chunkMode → channels.discord.streaming.chunkMode.",
      ]),
    );
    expect(discord.changes.join("\n")).toMatch(/channels\.general\.allow → .*channels\.general\.enabled/);
    expect((discord.config.channels as JsonObject).discord).toMatchObject({ dmPolicy: expect.any(String) });
    const tts = migrations.filter((m) => m.changes.includes("OpenClaw: Moved messages.tts to top-level tts."));
    expect(tts.length).toBeGreaterThan(0);
    for (const m of tts) expect(m.ok && m.config.tts !== undefined && (m.config.messages as JsonObject | undefined)?.tts === undefined).toBe(true);

    // the fixture holding every key issue 21 names, as a long-running install has them
    const upgrade = by("clawdbot-upgrade/clawdbot.json");
    expect(upgrade.clawdbot?.ok).toBe(true);
    expect(upgrade.ok, upgrade.refusals.map((r) => r.where).join(", ")).toBe(true);
    for (const moved of [
      "channels.slack.dm.policy → channels.slack.dmPolicy",
      "channels.discord.dm.policy → channels.discord.dmPolicy",
      "channels.slack.channels.C0123456789.allow → channels.slack.channels.C0123456789.enabled",
      "channels.slack.chunkMode → channels.slack.streaming.chunkMode",
      "messages.tts to top-level tts",
      "hooks.maxBodyBytes",
      "Moved agent → agents.defaults",
      "Moved gateway.token → gateway.auth.token",
      "Removed browser.controlUrl",
    ]) {
      expect(upgrade.changes.some((c) => c.includes(moved)), moved).toBe(true);
    }
    expect(upgrade.warnings.join("\n")).toContain("cron.store (/srv/clawdbot/cron/jobs.json) was removed");

    // Clawdbot's own load-time migration first: agent.*, identity, routing, gateway.token (refused before)
    const legacy = by("legacy/clawdbot.json");
    expect(legacy.ok).toBe(true);
    expect(legacy.changes).toContain("Clawdbot: Moved gateway.token → gateway.auth.token.");
    expect(legacy.config.agent).toBeUndefined();
    expect(JSON.stringify(legacy.config.agents)).toContain("anthropic/claude-opus-4");
    for (const name of ["gateway/configuration-examples.md#1", "gateway/configuration-examples.md#2", "start/getting-started.md#1"]) {
      expect(by(name).ok, `${name}: ${by(name).refusals.map((r) => r.where).join(", ")}`).toBe(true);
      expect(by(name).changes.some((c) => c.startsWith("Clawdbot: ")), name).toBe(true);
    }
    // our rule: the default browser control URL (gateway port + 2) goes
    const browser = by("gateway/configuration.md#85");
    expect(browser.ok).toBe(true);
    expect(browser.changes.some((c) => c.startsWith("clawdbot-nix: Removed browser.controlUrl"))).toBe(true);

    // refusals name the key as Nix writes it (a key with dots quoted), why, and the fix
    const broadcast = by("broadcast-groups.md#1").refusals[0]!;
    expect(broadcast.where).toBe('broadcast."120363403215116621@g.us"[0]');
    expect(broadcast.fix).toBe("define it as agents.entries.alfred, or remove the reference");
    const remote = by("tools/browser.md#3").refusals;
    expect(remote.map((r) => r.where)).toEqual(["browser.controlUrl"]);
    expect(remote[0]!.fix).toContain("browser.cdpUrl");
    expect(by("env-port/clawdbot.json").refusals[0]!.fix).toContain("services.openclaw.port");
    expect(by("typo/clawdbot.json").refusals.map((r) => r.fix)).toEqual(
      expect.arrayContaining(["did you mean agents.defaults.workspace? Rename it", 'did you mean "loopback"?', "did you mean gateway.mode? Rename it"]),
    );
  }, 600_000);

  it("each of our own rules is for a key upstream's code leaves refused, and makes it valid", async () => {
    const samples = OWN_RULES.map((r) => r.sample);
    const without = await migrateToOpenclaw(openclaw, samples, { clawdbot, ownRules: false });
    const withRules = await migrateToOpenclaw(openclaw, samples, { clawdbot });
    for (const [i, rule] of OWN_RULES.entries()) {
      expect(without[i]!.ok, `${rule.id}: upstream alone`).toBe(false);
      expect(withRules[i]!.ok, `${rule.id}: with the rule`).toBe(true);
    }
  }, 300_000);

  it("a cron store OpenClaw's migration drops without a word is named, with where to put the jobs", async () => {
    const [custom, standard] = await migrateToOpenclaw(openclaw, [{ cron: { enabled: true, store: "/srv/clawdbot/cron.json" } }, { cron: { enabled: true, store: "~/.clawdbot/cron/jobs.json" } }], { clawdbot });
    expect(custom!.ok && standard!.ok).toBe(true);
    expect((custom!.config.cron as JsonObject | undefined)?.store).toBeUndefined();
    expect(custom!.warnings.join("\n")).toMatch(/^cron\.store \(\/srv\/clawdbot\/cron\.json\) was removed by OpenClaw's migration: .*Copy \/srv\/clawdbot\/cron\.json there/m);
    expect(standard!.warnings.join("\n")).not.toContain("cron.store");
  }, 300_000);

  it("`clawdbot-nix migrate`: the converted config on stdout, what moved and each refusal with why and fix on stderr, then the figure", async () => {
    const env = { ...process.env };
    process.env.CLAWDBOT_NIX_GATEWAY = clawdbot.packageRoot;
    try {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(["migrate", "--gateway", openclawRoot, join(FIXTURES, "docker"), join(FIXTURES, "legacy/clawdbot.json"), join(FIXTURES, "upstream-only/channel-typo.json")], (l) => out.push(l), (l) => err.push(l));
      expect(code).toBe(1);
      expect(err.at(-1)).toBe("converted 2/3, explained 1");
      const text = err.join("\n");
      expect(text).toContain("moved: Clawdbot: Moved gateway.token → gateway.auth.token.");
      expect(text).toMatch(/refused: channels\.telgram: .*\n\s+fix: did you mean channels\.telegram\? Rename it/);
      const one: string[] = [];
      expect(await main(["migrate", "--gateway", openclawRoot, join(FIXTURES, "legacy/clawdbot.json")], (l) => one.push(l), () => {})).toBe(0);
      expect(JSON.parse(one.join("\n")).gateway.auth.token).toBe("0123456789abcdef0123456789abcdef");
    } finally {
      process.env = env;
    }
  }, 300_000);
});
