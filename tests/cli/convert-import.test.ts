// `clawdbot-nix import --from clawdbot --target openclaw <clawdbot config>` (issue 21.3): the Clawdbot config
// converted with upstream's migrations (cli/migrate.ts), then imported into services.openclaw; a config OpenClaw
// still refuses stops the import with each key, why and the fix, and nothing written.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/clawdbot-nix.js";
import { TARGETS } from "../../cli/targets.js";
import { packageRootIn } from "../../cli/upstream-validator.js";
import { prepareGateway } from "../support/gateway.js";
import { fixture, tempDir } from "./support.js";

describe("import --from clawdbot --target openclaw", () => {
  let openclawRoot: string;
  beforeAll(async () => {
    const [oc, cb] = await Promise.all([prepareGateway("openclaw"), prepareGateway("clawdbot")]);
    openclawRoot = oc.root;
    process.env.CLAWDBOT_NIX_GATEWAY = packageRootIn(cb.root, TARGETS.clawdbot)!;
  }, 30 * 60_000);

  const run = async (...args: string[]): Promise<{ code: number; text: string }> => {
    const lines: string[] = [];
    const code = await main(["import", ...args, "--gateway", openclawRoot, "--no-verify"], (l) => lines.push(l), (l) => lines.push(l));
    return { code, text: lines.join("\n") };
  };

  it("a Clawdbot config with retired keys (agent.*, gateway.token) becomes services.openclaw, the token a file", async () => {
    const out = join(tempDir(), "openclaw");
    const secrets = tempDir();
    const { code, text } = await run(fixture("legacy/clawdbot.json"), "--from", "clawdbot", "--out", out, "--secrets-dir", secrets);
    expect(code, text).toBe(0);
    expect(text).toMatch(/target: openclaw 2026\.9\.6/);
    expect(text).toMatch(/note: converted from Clawdbot \(\d+ changes\): Clawdbot: Moved gateway\.token → gateway\.auth\.token\./);
    const module = readFileSync(join(out, "default.nix"), "utf8");
    expect(module).toContain("services.openclaw");
    expect(module).toMatch(/auth\.tokenFile = "[^"]+"/);
    const settings = readFileSync(join(out, "settings.nix"), "utf8");
    expect(settings).toMatch(/primary = "anthropic\/claude-opus-4-\d"/);
    expect(settings).not.toContain("0123456789abcdef0123456789abcdef");
    expect(settings).not.toMatch(/^\s*agent = /m);
  }, 600_000);

  it("the implied target: --from clawdbot alone imports for OpenClaw (Discord's dm.policy moved by OpenClaw's migration)", async () => {
    const out = join(tempDir(), "openclaw");
    const { code, text } = await run(fixture("docker"), "--from", "clawdbot", "--out", out, "--secrets-dir", tempDir());
    expect([0, 3], text).toContain(code);
    expect(text).toContain("OpenClaw: Moved channels.discord.dm.policy → channels.discord.dmPolicy.");
    expect(readFileSync(join(out, "settings.nix"), "utf8")).toMatch(/dmPolicy = "/);
  }, 600_000);

  it("the keys issue 21 names (dm.policy, *.allow, chunkMode, messages.tts, hooks.maxBodyBytes, cron.store) import as OpenClaw's", async () => {
    const out = join(tempDir(), "openclaw");
    const { code, text } = await run(fixture("clawdbot-upgrade/clawdbot.json"), "--from", "clawdbot", "--out", out, "--secrets-dir", tempDir());
    expect([0, 3], text).toContain(code);
    expect(text).toContain("note: cron.store (/srv/clawdbot/cron/jobs.json) was removed by OpenClaw's migration");
    const settings = readFileSync(join(out, "settings.nix"), "utf8");
    for (const written of [/dmPolicy = "pairing"/, /dmPolicy = "allowlist"/, /chunkMode = "newline"/, /^\s*tts = \{/m, /C0123456789 = \{[^}]*enabled = true/s]) expect(settings).toMatch(written);
    for (const gone of [/^\s*dm = \{[^}]*policy/m, /maxBodyBytes/, /controlUrl/, /allow = true/, /^\s*store = /m]) expect(settings).not.toMatch(gone);
  }, 600_000);

  it("a key OpenClaw still refuses stops the import: named, why, fix; nothing written", async () => {
    const out = join(tempDir(), "openclaw");
    const { code, text } = await run(fixture("upstream-only/channel-typo.json"), "--from", "clawdbot", "--target", "openclaw", "--out", out);
    expect(code).toBe(1);
    expect(text).toContain("nothing written: OpenClaw 2026.9.6 still refuses the converted config");
    expect(text).toMatch(/refused: channels\.telgram: OpenClaw 2026\.9\.6 has no channel "telgram"\n\s+fix: did you mean channels\.telegram\? Rename it/);
    expect(text).toMatch(/converted 0\/1, explained 1$/);
    expect(existsSync(out)).toBe(false);
  }, 600_000);

  it("usage: --from takes clawdbot, and converts for OpenClaw only", async () => {
    expect((await run(fixture("legacy/clawdbot.json"), "--from", "openclaw")).code).toBe(2);
    const wrong = await run(fixture("legacy/clawdbot.json"), "--from", "clawdbot", "--target", "clawdbot", "--out", join(tempDir(), "x"));
    expect(wrong.code).toBe(1);
    expect(wrong.text).toContain("give --target openclaw");
  }, 120_000);
});
