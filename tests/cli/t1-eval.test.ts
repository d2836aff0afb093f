// T1: the emitted settings evaluate through the generated option types (modules/generated/clawdbot/settings.nix) with the
// real nixpkgs lib, and the value (nulls stripped, as the module renders) equals the input with secrets as
// references.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runImport } from "../../cli/import.js";
import { readConfig } from "../../cli/read-config.js";
import { secretPatterns } from "../../cli/validate.js";
import { announceSkip, hasNix, nixEval, nixStr, REPO, t1Sources } from "../support/nix.js";
import { cleanTemps, expectedSettings, GOOD_FIXTURES, tempDir } from "./support.js";

afterAll(cleanTemps);

const t1 = t1Sources();
announceSkip("clawdbot-nix import: emitted settings through lib.evalModules", t1.libSkip);

/** The settings file evaluated as the `settings` option of a module, nulls stripped recursively. */
const evalExpression = (lib: string, settingsFile: string): string => `
  let
    lib = import ${nixStr(join(lib, "lib"))};
    generated = import ${nixStr(join(REPO, "modules/generated/clawdbot/settings.nix"))} { inherit lib; };
    evaluated = lib.evalModules {
      modules = [
        { options.settings = lib.mkOption { type = generated.type; default = { }; }; }
        { settings = import ${nixStr(settingsFile)}; }
      ];
    };
    strip = v:
      if builtins.isAttrs v then lib.filterAttrs (_: x: x != null) (lib.mapAttrs (_: strip) v)
      else if builtins.isList v then builtins.filter (x: x != null) (map strip v)
      else v;
  in strip evaluated.config.settings`;

describe.skipIf(!t1.nixpkgsLib)("T1: import → lib.evalModules with the generated settings type", () => {
  it.each(Object.entries(GOOD_FIXTURES))("%s: evaluates and equals the input modulo secrets-as-references", async (_name, input) => {
    const dir = tempDir();
    const result = await runImport(input, { out: join(dir, "nix"), secretsDir: join(dir, "secrets"), upstream: "off" });
    const evaluated = nixEval(evalExpression(t1.nixpkgsLib!, join(dir, "nix", "settings.nix")));
    expect(evaluated.stderr).not.toMatch(/error/);
    expect(evaluated.ok).toBe(true);
    expect(evaluated.value).toEqual(expectedSettings(readConfig(input).value, result));
    expect(evaluated.value).toEqual(result.settings);
  });

  it("a secret at a non-secret option would not type-check (why token-like values become ${VAR})", () => {
    const dir = tempDir();
    const file = join(dir, "s.nix");
    writeFileSync(file, '{ messages.responsePrefix = { _secret = "/run/secrets/x"; }; }');
    const evaluated = nixEval(evalExpression(t1.nixpkgsLib!, file));
    expect(evaluated.ok).toBe(false);
    expect(evaluated.stderr).toMatch(/messages\.responsePrefix/);
  });
});
