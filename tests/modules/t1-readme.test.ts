// T1: the README's three configurations (tests/fixtures/modules/readme-*.nix, shown verbatim there:
// tests/readme.test.ts) are OpenClaw's, and evaluate through the real modules: NixOS (the system user
// openclaw, LoadCredential, the Discord plugin, the firewall), Home Manager (HM's own user unit and the
// owner's command) and nix-darwin (a launchd agent of the primary user). Clawdbot's same configurations are
// tests/fixtures/modules/clawdbot-*.nix (tests/modules/t1.test.ts).
import { describe, expect, it } from "vitest";
import { announceSkip, t1Sources } from "../support/nix.js";
import { evalT1, unitValues } from "./support.js";

const t1 = t1Sources();
announceSkip("the README's OpenClaw configurations (T1)", t1.libSkip ?? t1.hmSkip);
const VERSION = "2026.9.6";

describe.skipIf(!t1.nixpkgsLib)("the README's configurations are services.openclaw and evaluate (T1)", () => {
  it("NixOS: the system user openclaw, secrets by LoadCredential, the Discord plugin, the port opened", () => {
    const r = evalT1(`let e = t.nixos { configuration = ./tests/fixtures/modules/readme-nixos.nix; }; in {
      inherit (e) failed; svc = e.config.systemd.services; fw = e.config.networking.firewall.allowedTCPPorts; }`);
    expect(r.failed).toEqual([]);
    const s = r.svc.openclaw;
    expect(s.environment).toMatchObject({ OPENCLAW_NIX_MODE: "1", OPENCLAW_STATE_DIR: "/var/lib/openclaw", OPENCLAW_CONFIG_PATH: "/var/lib/openclaw/openclaw.json" });
    expect(s.serviceConfig).toMatchObject({ User: "openclaw", MemoryMax: "2G", EnvironmentFile: ["/run/agenix/openclaw-env"] });
    // the state directory (one of the unit's StateDirectory= entries)
    expect([s.serviceConfig.StateDirectory].flat()).toContain("openclaw");
    expect(s.serviceConfig.LoadCredential).toEqual(
      expect.arrayContaining(["OPENCLAW_GATEWAY_TOKEN:/run/agenix/openclaw-token", "OPENCLAW_SECRET_CHANNELS_TELEGRAM_BOT_TOKEN:/run/agenix/telegram-bot-token"]),
    );
    expect(s.serviceConfig.ExecStart).toMatch(new RegExp(`-openclaw-gateway-${VERSION}/bin/openclaw gateway --port 18789 --bind lan$`));
    // the drain docs/gateways.md describes, on the README's own configuration
    expect(s.serviceConfig).toMatchObject({ TimeoutStopSec: "330s", KillMode: "mixed" });
    expect(r.fw).toEqual([18789]);
  });

  it.skipIf(!t1.homeManager)("Home Manager: HM's own user unit and the owner's openclaw command", () => {
    const r = evalT1(`let e = t.homeManager { configuration = { imports = [ ./tests/fixtures/modules/readme-home-manager.nix ];
        home.username = "alice"; home.homeDirectory = "/home/alice"; }; };
      in { inherit (e) failed unitFiles; packages = map (p: p.name) e.config.home.packages; }`);
    expect(r.failed).toEqual([]);
    const unit: string = r.unitFiles["systemd/user/openclaw.service"];
    expect(unitValues(unit, "Service", "Environment")).toContain('"OPENCLAW_STATE_DIR=/home/alice/.openclaw"');
    expect(unitValues(unit, "Service", "EnvironmentFile")).toEqual(["/home/alice/.config/openclaw/env"]);
    const [exec] = unitValues(unit, "Service", "ExecStart");
    expect(exec).toContain("--secret OPENCLAW_SECRET_CHANNELS_TELEGRAM_BOT_TOKEN /home/alice/.config/openclaw/telegram-token");
    expect(r.packages).toContain("openclaw");
  });

  it("nix-darwin: a launchd agent of the primary user", () => {
    const r = evalT1(`let e = t.darwin { configuration = ./tests/fixtures/modules/readme-darwin.nix; };
      in { inherit (e) failed; a = e.config.launchd.user.agents; }`);
    expect(r.failed).toEqual([]);
    const sc = r.a.openclaw.serviceConfig;
    expect(sc).toMatchObject({ Label: "ai.openclaw.gateway", KeepAlive: true, RunAtLoad: true, StandardOutPath: "/Users/alice/Library/Logs/openclaw-gateway.log" });
    expect(sc.EnvironmentVariables).toMatchObject({ OPENCLAW_NIX_MODE: "1", OPENCLAW_STATE_DIR: "/Users/alice/.openclaw" });
  });
});
