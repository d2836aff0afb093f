// T1: memory as one setting (issue 21.7) and the backup before an upgrade (issue 21.5) through the real
// modules (NixOS, Home Manager with HM's own unit rendering, nix-darwin) and real nixpkgs `lib`:
// `memory.profile` gives MemoryMax, MemoryHigh (90 %), OOMScoreAdjust and Node's heap limit (75 %, in MiB,
// NODE_OPTIONS); `memory.max` / `memory.heapMiB` win over their share; launchd gets only the heap limit.
// `backup` renders ExecStartPre= (or the launchd wrapper) with the gateway's own backup command, a folder
// beside the state, and refuses what cannot work (Clawdbot has no backup command; a folder inside stateDir).
import { describe, expect, it } from "vitest";
import { announceSkip, t1Sources } from "../support/nix.js";
import { evalT1, evalT1Error, nixJson, unitValues } from "./support.js";

const t1 = t1Sources();
announceSkip("memory.profile and backup through the real modules (T1)", t1.libSkip);
announceSkip("memory.profile and backup with Home Manager (T1)", t1.hmSkip ?? t1.libSkip);

const nixos = (services: Record<string, unknown>): string =>
  `(t.nixos { system = "x86_64-linux"; configuration = { services = ${nixJson(services)}; }; })`;
const hmUser = `home.username = "alice"; home.homeDirectory = "/home/alice";`;

describe.skipIf(!t1.nixpkgsLib)("memory.profile: NixOS (T1)", () => {
  it("one setting: MemoryMax, MemoryHigh 90 %, OOMScoreAdjust, and the heap at 75 % in NODE_OPTIONS; the option values show it", () => {
    const r = evalT1(`let e = ${nixos({ openclaw: { enable: true, memory: { profile: "2G" } } })}; s = e.config.systemd.services.openclaw; in {
      inherit (e) failed; inherit (s) serviceConfig environment; memory = e.config.services.openclaw.memory; }`);
    expect(r.failed).toEqual([]);
    expect(r.serviceConfig).toMatchObject({ MemoryMax: "2G", MemoryHigh: "1843M", OOMScoreAdjust: 500 });
    expect(r.environment.NODE_OPTIONS).toBe("--max-old-space-size=1536");
    // the derived values are the options' own (mkDefault), readable in the configuration
    expect(r.memory).toEqual({ profile: "2G", max: "2G", heapMiB: 1536 });
  });

  it("other sizes: 1536M and 1G; memory.max and memory.heapMiB win over their share", () => {
    const r = evalT1(`let
        e = ${nixos({
          openclaw: {
            enable: true,
            memory: { profile: "1536M" },
            instances: {
              small: { port: 18800, memory: { profile: "1G" } },
              mine: { port: 18810, memory: { profile: "1G", max: "3G", heapMiB: 512 } },
            },
          },
        })};
        svc = n: { inherit (e.config.systemd.services.\${n}) serviceConfig environment; };
      in { inherit (e) failed; d = svc "openclaw"; small = svc "openclaw-small"; mine = svc "openclaw-mine"; }`);
    expect(r.failed).toEqual([]);
    expect(r.d.serviceConfig).toMatchObject({ MemoryMax: "1536M", MemoryHigh: "1382M", OOMScoreAdjust: 500 });
    expect(r.d.environment.NODE_OPTIONS).toBe("--max-old-space-size=1152");
    expect(r.small.serviceConfig).toMatchObject({ MemoryMax: "1G", MemoryHigh: "921M", OOMScoreAdjust: 500 });
    expect(r.small.environment.NODE_OPTIONS).toBe("--max-old-space-size=768");
    expect(r.mine.serviceConfig).toMatchObject({ MemoryMax: "3G", MemoryHigh: "921M", OOMScoreAdjust: 500 });
    expect(r.mine.environment.NODE_OPTIONS).toBe("--max-old-space-size=512");
  });

  it("no profile: no limit, no OOM adjustment, Node's own heap (the unit as before)", () => {
    const r = evalT1(`let e = ${nixos({ openclaw: { enable: true }, clawdbot: { enable: true, port: 18800 } })}; in {
      inherit (e) failed; o = e.config.systemd.services.openclaw; c = e.config.systemd.services.clawdbot; }`);
    expect(r.failed).toEqual([]);
    for (const s of [r.o, r.c]) {
      for (const key of ["MemoryMax", "MemoryHigh", "OOMScoreAdjust"]) expect(s.serviceConfig[key], key).toBeUndefined();
      expect(s.environment.NODE_OPTIONS).toBeUndefined();
    }
  });

  it("a size systemd would not take is the type's error, naming the option", () => {
    const err = evalT1Error(`${nixos({ openclaw: { enable: true, memory: { profile: "1GB" } } })}.config.systemd.services.openclaw.serviceConfig.MemoryMax`);
    expect(err).toMatch(/services\.openclaw\.memory\.profile' is not of type `null or string matching the pattern \[1-9\]\[0-9\]\*\[GKMT\]\?'/);
  });
});

describe.skipIf(!t1.nixpkgsLib || !t1.homeManager)("memory.profile: Home Manager (T1)", () => {
  it("Linux: the same limits in HM's own rendering of the user unit", () => {
    const r = evalT1(`let e = t.homeManager { configuration = { ${hmUser} services.openclaw = ${nixJson({ enable: true, memory: { profile: "1G" } })}; }; };
      in { inherit (e) failed unitFiles; }`);
    expect(r.failed).toEqual([]);
    const unit: string = r.unitFiles["systemd/user/openclaw.service"];
    expect(unitValues(unit, "Service", "MemoryMax")).toEqual(["1G"]);
    expect(unitValues(unit, "Service", "MemoryHigh")).toEqual(["921M"]);
    expect(unitValues(unit, "Service", "OOMScoreAdjust")).toEqual(["500"]);
    expect(unitValues(unit, "Service", "Environment")).toContain('"NODE_OPTIONS=--max-old-space-size=768"');
  });

  it("macOS: launchd has no memory limit, only the heap limit reaches the agent", () => {
    const r = evalT1(`let e = t.homeManager { system = "aarch64-darwin"; configuration = { home.username = "alice"; home.homeDirectory = "/Users/alice";
      services.openclaw = ${nixJson({ enable: true, memory: { profile: "1G" } })}; }; }; in { inherit (e) failed plists; }`);
    expect(r.failed).toEqual([]);
    const plist: string = r.plists["ai.openclaw.gateway.plist"];
    expect(plist).toMatch(/<key>NODE_OPTIONS<\/key>\s*<string>--max-old-space-size=768<\/string>/);
    expect(plist).not.toMatch(/Memory|ResourceLimits/);
  });
});

describe.skipIf(!t1.nixpkgsLib)("memory.profile: nix-darwin (T1)", () => {
  it("the heap limit in the agent's environment", () => {
    const r = evalT1(`let e = t.darwin { configuration = { system.primaryUser = "alice"; services.openclaw = ${nixJson({ enable: true, memory: { profile: "1536M" } })}; }; };
      in { inherit (e) failed; a = e.config.launchd.user.agents.openclaw.serviceConfig; }`);
    expect(r.failed).toEqual([]);
    expect(r.a.EnvironmentVariables.NODE_OPTIONS).toBe("--max-old-space-size=1152");
  });
});

describe.skipIf(!t1.nixpkgsLib)("backup before an upgrade: NixOS (T1)", () => {
  it("OpenClaw by default: ExecStartPre= runs the package's own backup command into <stateDir>-backups, a second StateDirectory=", () => {
    const r = evalT1(`let e = ${nixos({ openclaw: { enable: true } })}; s = e.config.systemd.services.openclaw; in {
      inherit (e) failed; inherit (s) serviceConfig; backup = e.config.services.openclaw.backup; }`);
    expect(r.failed).toEqual([]);
    expect(r.backup).toEqual({ enable: true, keep: 5, directory: null });
    expect(r.serviceConfig.StateDirectory).toEqual(["openclaw", "openclaw-backups"]);
    const pre: string = r.serviceConfig.ExecStartPre;
    const pkg = /--package (\S+)/.exec(pre)?.[1] ?? "";
    expect(pkg).toMatch(/^\/nix\/store\/[0-9a-z]{32}-openclaw-gateway-/);
    expect(pre).toMatch(/-openclaw-backup\.sh --state \/var\/lib\/openclaw --backups \/var\/lib\/openclaw-backups --keep 5 /);
    expect(pre).toContain(`--gateway ${pkg}/bin/openclaw`);
    expect(pre).toContain("--option services.openclaw.backup");
    // the same package as the gateway's own command
    expect(r.serviceConfig.ExecStart).toContain(`${pkg}/bin/openclaw gateway`);
  });

  it("keep, a folder of one's own (outside /var/lib: opened for the unit and made by tmpfiles), off", () => {
    const r = evalT1(`let e = ${nixos({
      openclaw: {
        enable: true,
        backup: { keep: 2, directory: "/srv/openclaw-backups" },
        instances: { off: { port: 18800, backup: { enable: false } } },
      },
    })}; in { inherit (e) failed; d = e.config.systemd.services.openclaw.serviceConfig; off = e.config.systemd.services.openclaw-off.serviceConfig;
      rules = e.config.systemd.tmpfiles.rules; }`);
    expect(r.failed).toEqual([]);
    expect(r.d.ExecStartPre).toContain("--backups /srv/openclaw-backups --keep 2 ");
    expect(r.d.StateDirectory).toBe("openclaw");
    expect(r.d.ReadWritePaths).toEqual(["/srv/openclaw-backups"]);
    expect(r.rules).toContain("d /srv/openclaw-backups 0700 openclaw openclaw - -");
    expect(r.off.ExecStartPre).toBeUndefined();
    expect(r.off.StateDirectory).toBe("openclaw-off");
  });

  it("refused: a backup folder inside stateDir (upstream will not write inside what it backs up); Clawdbot's, which has no backup command", () => {
    const inside = evalT1(`${nixos({ openclaw: { enable: true, backup: { directory: "/var/lib/openclaw/backups" } } })}.failed`);
    expect(inside).toEqual([
      expect.stringMatching(/^services\.openclaw\.backup\.directory: \/var\/lib\/openclaw\/backups is inside stateDir \(\/var\/lib\/openclaw\); .*"\/var\/lib\/openclaw-backups"/),
    ]);
    const clawdbot = evalT1(`let e = ${nixos({ clawdbot: { enable: true } })}; in { inherit (e) failed; b = e.config.services.clawdbot.backup.enable; pre = e.config.systemd.services.clawdbot.serviceConfig.ExecStartPre or null; }`);
    expect(clawdbot).toEqual({ failed: [], b: false, pre: null });
    const on = evalT1(`${nixos({ clawdbot: { enable: true, backup: { enable: true } } })}.failed`);
    expect(on).toEqual([expect.stringMatching(/^services\.clawdbot\.backup\.enable: Clawdbot 2026\.1\.24-3 has no backup command\. Set services\.clawdbot\.backup\.enable = false/)]);
  });
});

describe.skipIf(!t1.nixpkgsLib || !t1.homeManager)("backup before an upgrade: Home Manager and nix-darwin (T1)", () => {
  it("the user unit's ExecStartPre=; launchd: the backup in front of the launcher, which it execs", () => {
    const r = evalT1(`let
        l = t.homeManager { configuration = { ${hmUser} services.openclaw.enable = true; }; };
        d = t.darwin { configuration = { system.primaryUser = "alice"; services.openclaw.enable = true; }; };
      in { lf = l.failed; unit = l.unitFiles."systemd/user/openclaw.service"; df = d.failed; args = d.config.launchd.user.agents.openclaw.serviceConfig.ProgramArguments; }`);
    expect(r.lf).toEqual([]);
    const [pre] = unitValues(r.unit, "Service", "ExecStartPre");
    expect(pre).toMatch(/-openclaw-backup\.sh --state \/home\/alice\/\.openclaw --backups \/home\/alice\/\.openclaw-backups --keep 5 /);
    expect(r.df).toEqual([]);
    const args: string[] = r.args;
    expect(args[1]).toMatch(/-openclaw-backup\.sh$/);
    expect(args.slice(2, 8)).toEqual(["--state", "/Users/alice/.openclaw", "--backups", "/Users/alice/.openclaw-backups", "--keep", "5"]);
    const dashes = args.indexOf("--");
    expect(args[dashes + 2]).toMatch(/-clawdbot-launch\.sh$/);
    expect(args[args.length - 1]).toBe("loopback");
  });
});
