// The service options are declared once, in generator/schema/service.ts (issue 20): `memory.profile` and
// `backup.*` (once declared by hand in modules/common.nix) and OpenClaw's `watchdog.*` are in the generated
// service options, their JSON schema and the options reference (T0), and the real module system gives them the
// defaults the hand declarations gave (T1).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { announceSkip, t1Sources } from "../support/nix.js";
import { evalT1 } from "./support.js";

const t1 = t1Sources();
announceSkip("the service options' declarations through the real module system (T1)", t1.libSkip);

const moved = ["memory.profile", "backup.enable", "backup.keep", "backup.directory"];
const watchdog = ["watchdog.enable", "watchdog.interval", "watchdog.failures"];

const schemaOf = (gateway: string) =>
  JSON.parse(readFileSync(`schemas/${gateway}-service-options.schema.json`, "utf8")) as Record<string, any>;
const at = (schema: Record<string, any>, path: string) =>
  path.split(".").reduce<Record<string, any> | undefined>((node, key) => node?.properties?.[key], schema);

describe("service options declared in generator/schema/service.ts (T0)", () => {
  for (const gateway of ["clawdbot", "openclaw"]) {
    const expected = gateway === "openclaw" ? [...moved, ...watchdog] : moved;
    it(`${gateway}: ${expected.join(", ")} are in the JSON schema and the options reference, with their defaults`, () => {
      const schema = schemaOf(gateway);
      const docs = readFileSync(`docs/options/${gateway}.md`, "utf8");
      for (const path of expected) {
        expect(at(schema, path), `${path} in schemas/${gateway}-service-options.schema.json`).toBeDefined();
        expect(docs, `${path} in docs/options/${gateway}.md`).toContain(`### \`services.${gateway}.${path}\``);
      }
      expect(at(schema, "memory.profile")!.default).toBeNull();
      expect(at(schema, "backup.enable")!.default).toBe(gateway === "openclaw");
      expect(at(schema, "backup.keep")!.default).toBe(5);
      expect(at(schema, "backup.directory")!.default).toBeNull();
      if (gateway === "openclaw") {
        expect([at(schema, "watchdog.enable")!.default, at(schema, "watchdog.interval")!.default, at(schema, "watchdog.failures")!.default]).toEqual([false, "1min", 3]);
      } else {
        expect(at(schema, "watchdog"), "Clawdbot has no watchdog").toBeUndefined();
      }
    });
  }

  it("modules/common.nix declares no service option by hand", () => {
    expect(readFileSync("modules/common.nix", "utf8")).not.toMatch(/\b(profile|keep|directory)\s*=\s*lib\.mkOption/);
  });
});

describe.skipIf(!t1.nixpkgsLib)("the moved options through the real module system (T1)", () => {
  it("the defaults are what the hand declarations gave, for services.<gateway> and each instance", () => {
    const r = evalT1(`
      let
        e = t.nixos { system = "x86_64-linux"; configuration = {
          services.openclaw = { enable = true; instances.work.port = 18800; };
          services.clawdbot.enable = true;
        }; };
        pick = c: { inherit (c) backup; profile = c.memory.profile; };
      in {
        openclaw = pick e.config.services.openclaw;
        work = pick e.config.services.openclaw.instances.work;
        clawdbot = pick e.config.services.clawdbot;
        watchdog = e.config.services.openclaw.watchdog;
        type = e.options.services.openclaw.memory.profile.type.description;
      }`);
    const openclaw = { backup: { enable: true, keep: 5, directory: null }, profile: null };
    expect(r).toEqual({
      openclaw,
      work: openclaw,
      clawdbot: { backup: { enable: false, keep: 5, directory: null }, profile: null },
      watchdog: { enable: false, interval: "1min", failures: 3 },
      type: "null or string matching the pattern [1-9][0-9]*[GKMT]?",
    });
  });
});
