// Round trip through the modules' own renderer: the imported default.nix's `services.clawdbot` options go through
// modules/lib/nixos-unit.nix and hm-unit.nix (what the modules install; through tests/support/nix/) and
// for Home Manager and nix-darwin, and the rendered clawdbot.json says what the input said, with secrets as
// references:
// - every leaf of the input is in the rendered file with the same value, except
// - a sensitive value (`{ _secret = …; }`, auth.tokenFile / passwordFile) is a `${NAME}` reference or absent
//   (the token reaches the gateway through the environment), and its file is handed to the unit;
// - a token-like value is the `${CLAWDBOT_IMPORTED_…}` reference the import wrote;
// - a key moved to a service option (port, bind, auth.mode) is rendered with the same value, or left to a flag.
// Skips loudly until the renderer exists.
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCheck } from "../../cli/check.js";
import { runImport } from "../../cli/import.js";
import { readConfig, type Json } from "../../cli/read-config.js";
import { announceSkip, hasNix, nixEval, nixStr, REPO } from "../support/nix.js";
import { cleanTemps, expectRenderedLikeInput, GOOD_FIXTURES, tempDir } from "./support.js";

afterAll(cleanTemps);

const UNIT_LIB = join(REPO, "tests/support/nix/nixos-unit.nix");
const PACKAGE = "/nix/store/00000000000000000000000000000000-clawdbot-gateway";

const HM_UNIT_LIB = join(REPO, "tests/support/nix/hm-unit.nix");

/** nixos: the unit library the NixOS module uses; home-manager / darwin: the shared renderer those modules call. */
const PLATFORMS = ["nixos", "home-manager", "darwin"] as const;

const renderExpression = (moduleFile: string, platform: (typeof PLATFORMS)[number]): string => `
  let
    service = builtins.removeAttrs (import ${nixStr(moduleFile)}).services.clawdbot [ "enable" ];
    rendered =
      if ${nixStr(platform)} == "nixos" then
        import ${nixStr(UNIT_LIB)} { gateway = (import ${nixStr(join(REPO, "modules/lib/gateways.nix"))}).clawdbot; package = ${nixStr(PACKAGE)}; shell = "/bin/sh"; options = service; }
      else
        import ${nixStr(HM_UNIT_LIB)} {
          gateway = (import ${nixStr(join(REPO, "modules/lib/gateways.nix"))}).clawdbot; 
          platform = if ${nixStr(platform)} == "darwin" then "darwin" else null;
          package = ${nixStr(PACKAGE)};
          shell = "/bin/sh";
          home = "/home/alice";
          options = service;
        };
  in {
    config = builtins.fromJSON rendered.configText;
    credentials = map (c: c.file) rendered.credentials;
    failed = rendered.failed;
  }`;

function notReady(): string | undefined {
  if (!hasNix()) return "nix-instantiate is not installed";
  if (!existsSync(UNIT_LIB)) return "tests/support/nix/nixos-unit.nix does not exist";
  const probe = nixEval(`(import ${nixStr(UNIT_LIB)} { gateway = (import ${nixStr(join(REPO, "modules/lib/gateways.nix"))}).clawdbot; package = ${nixStr(PACKAGE)}; shell = "/bin/sh"; options = { }; }).configText`);
  if (!probe.ok) throw new Error(`tests/support/nix/nixos-unit.nix does not render: ${probe.stderr}`);
  return undefined;
}

const reason = notReady();
announceSkip("clawdbot-nix import → modules/lib/nixos-unit.nix round trip", reason);

describe.skipIf(!!reason)("import → the module's renderer → clawdbot.json", () => {
  const cases = Object.entries(GOOD_FIXTURES).flatMap(([name, input]) => PLATFORMS.map((platform) => [name, platform, input] as const));
  it.each(cases)("%s (%s): the rendered config equals the input modulo secrets-as-references", async (_name, platform, input) => {
    const dir = tempDir();
    const result = await runImport(input, { out: join(dir, "nix"), secretsDir: join(dir, "secrets"), upstream: "off" });
    const evaluated = nixEval(renderExpression(join(dir, "nix", "default.nix"), platform));
    expect(evaluated.stderr).toBe("");
    const { config, credentials, failed } = evaluated.value as { config: Json; credentials: string[]; failed: string[] };
    // the module's assertions hold for what the import wrote (auth for non-loopback binds, no literal secrets, …)
    expect(failed).toEqual([]);
    expectRenderedLikeInput(readConfig(input).value, result, config, credentials);
    // and `check` accepts the rendered file
    writeFileSync(join(dir, "rendered.json"), JSON.stringify(config));
    const checked = await runCheck(join(dir, "rendered.json"), { upstream: "off" });
    expect(checked.problems.filter((p) => !p.warning)).toEqual([]);
  });

  it("--instance: services.clawdbot.instances.<name>, its own unit, the same config", async () => {
    const dir = tempDir();
    const result = await runImport(GOOD_FIXTURES.wizard!, { out: join(dir, "nix"), secretsDir: join(dir, "secrets"), upstream: "off", instance: "work" });
    expect(result.moves.find((m) => m.form === "service")?.option).toBe("services.clawdbot.instances.work.auth.tokenFile");
    const evaluated = nixEval(`
      let
        service = (import ${nixStr(join(dir, "nix", "default.nix"))}).services.clawdbot.instances.work;
        rendered = import ${nixStr(UNIT_LIB)} { gateway = (import ${nixStr(join(REPO, "modules/lib/gateways.nix"))}).clawdbot; name = "work"; package = ${nixStr(PACKAGE)}; shell = "/bin/sh"; options = service; };
      in { inherit (rendered) unitName failed; config = builtins.fromJSON rendered.configText; }`);
    expect(evaluated.stderr).toBe("");
    const value = evaluated.value as { unitName: string; failed: string[]; config: { channels: unknown } };
    expect(value.unitName).toBe("clawdbot-work.service");
    expect(value.failed).toEqual([]);
    expect(value.config.channels).toEqual({
      telegram: { allowFrom: ["123456789"], botToken: expect.stringMatching(/^\$\{CLAWDBOT_SECRET_[A-Z0-9_]+\}$/), dmPolicy: "pairing", enabled: true },
    });
  });
});
