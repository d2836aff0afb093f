// T1: the imported default.nix evaluated as a module with the real nixpkgs lib against the option declarations the
// NixOS, Home Manager and nix-darwin modules share (modules/common.nix: typed settings, generated service options,
// instances), then rendered the way those modules render (common.renderArgs → modules/lib/nixos-unit.nix for NixOS,
// modules/lib/render.nix `instance` for Home Manager / nix-darwin). The rendered clawdbot.json must say what the
// input said, with secrets as references, and the modules' assertions must hold. `pkgs` is a stub: only the
// attributes common.nix reads (nothing is built).
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runImport } from "../../cli/import.js";
import { readConfig, type Json } from "../../cli/read-config.js";
import { announceSkip, nixEval, nixStr, REPO, t1Sources } from "../support/nix.js";
import { cleanTemps, expectRenderedLikeInput, GOOD_FIXTURES, tempDir } from "./support.js";

afterAll(cleanTemps);

const t1 = t1Sources();
const COMMON = join(REPO, "modules/common.nix");
const skip = t1.libSkip ?? (existsSync(COMMON) ? undefined : "modules/common.nix does not exist yet");
announceSkip("clawdbot-nix import → the modules' option declarations (lib.evalModules)", skip);

const PLATFORMS = ["nixos", "home-manager", "darwin"] as const;

const expression = (moduleFile: string, platform: (typeof PLATFORMS)[number]): string => `
  let
    lib = import ${nixStr(join(t1.nixpkgsLib ?? "", "lib"))};
    fakeDrv = name: { type = "derivation"; inherit name; outPath = "/nix/store/00000000000000000000000000000000-\${name}"; };
    isDarwin = ${nixStr(platform)} == "darwin";
    pkgs = {
      stdenv.hostPlatform = { system = if isDarwin then "aarch64-darwin" else "x86_64-linux"; inherit isDarwin; };
      runtimeShell = "/bin/sh";
      writeText = builtins.toFile;
      coreutils = fakeDrv "coreutils";
      clawdbot-gateway = fakeDrv "clawdbot-gateway";
      clawdbotTools = { };
    };
    commonFor = cfg: import ${nixStr(COMMON)} { inherit lib pkgs cfg; platform = ${nixStr(platform)}; home = "/Users/alice"; };
    evaluated = lib.evalModules {
      modules = [
        ({ config, ... }: { options.services.clawdbot = (commonFor config.services.clawdbot).options; })
        ${nixStr(moduleFile)}
      ];
    };
    common = commonFor evaluated.config.services.clawdbot;
    render = import ${nixStr(join(REPO, "modules/lib/render.nix"))};
    renderOne = i:
      if ${nixStr(platform)} == "nixos" then import ${nixStr(join(REPO, "modules/lib/nixos-unit.nix"))} (common.renderArgs i)
      else render.instance (common.renderArgs i // { platform = common.renderPlatform; });
  in map (i: let r = renderOne i; in {
    inherit (i) name;
    config = builtins.fromJSON r.configText;
    credentials = map (c: c.file) r.credentials;
    failed = map (a: a.message) (builtins.filter (a: !a.assertion) r.assertions);
  }) common.enabledInstances`;

interface Evaluated {
  name: string;
  config: Json;
  credentials: string[];
  failed: string[];
}

describe.skipIf(!!skip)("T1: import → modules/common.nix options → the modules' renderer", () => {
  const cases = Object.entries(GOOD_FIXTURES).flatMap(([name, input]) => PLATFORMS.map((platform) => [name, platform, input] as const));
  it.each(cases)("%s (%s): type-checks, assertions hold, renders the input modulo secrets-as-references", (_name, platform, input) => {
    const dir = tempDir();
    const result = runImport(input, { out: join(dir, "nix"), secretsDir: join(dir, "secrets") });
    const evaluated = nixEval(expression(join(dir, "nix", "default.nix"), platform));
    expect(evaluated.stderr).toBe("");
    const [instance, ...others] = evaluated.value as Evaluated[];
    expect(others).toEqual([]);
    expect(instance!.name).toBe("default");
    expect(instance!.failed).toEqual([]);
    expectRenderedLikeInput(readConfig(input).value, result, instance!.config, instance!.credentials);
  });

  it("--instance: evaluates as services.clawdbot.instances.<name>", () => {
    const dir = tempDir();
    const result = runImport(GOOD_FIXTURES.docker!, { out: join(dir, "nix"), secretsDir: join(dir, "secrets"), instance: "ops" });
    const evaluated = nixEval(expression(join(dir, "nix", "default.nix"), "nixos"));
    expect(evaluated.stderr).toBe("");
    const [instance, ...others] = evaluated.value as Evaluated[];
    expect(others).toEqual([]);
    expect(instance!.name).toBe("ops");
    expect(instance!.failed).toEqual([]);
    expectRenderedLikeInput(readConfig(GOOD_FIXTURES.docker!).value, result, instance!.config, instance!.credentials);
  });

  it("a typo in the emitted settings is an evaluation error naming the option", () => {
    const dir = tempDir();
    runImport(GOOD_FIXTURES.wizard!, { out: join(dir, "nix"), secretsDir: join(dir, "secrets") });
    const file = join(dir, "nix", "default.nix");
    const broken = join(dir, "nix", "broken.nix");
    writeFileSync(broken, `{ imports = [ ./default.nix ]; services.clawdbot.settings.gateway.mdoe = "local"; }\n`);
    expect(existsSync(file)).toBe(true);
    const evaluated = nixEval(expression(broken, "nixos"));
    expect(evaluated.ok).toBe(false);
    expect(evaluated.stderr).toMatch(/gateway\.mdoe|mdoe/);
  });
});
