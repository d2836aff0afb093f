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
import { cleanTemps, expectRenderedLikeInput, GOOD_FIXTURES, IMPORT_FIXTURES, tempDir } from "./support.js";

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
    gateway = (import ${nixStr(join(REPO, "modules/lib/gateways.nix"))}).clawdbot;
    commonFor = cfg: import ${nixStr(COMMON)} { inherit lib pkgs cfg gateway; platform = ${nixStr(platform)}; home = "/Users/alice"; };
    evaluated = lib.evalModules {
      modules = [
        ({ config, ... }: { options.services.clawdbot = (commonFor config.services.clawdbot).options; })
        ${nixStr(moduleFile)}
      ];
    };
    common = commonFor evaluated.config.services.clawdbot;
    renderOne = i:
      if ${nixStr(platform)} == "nixos" then import ${nixStr(join(REPO, "modules/lib/nixos-unit.nix"))} (common.renderArgs i)
      else import ${nixStr(join(REPO, "modules/lib/hm-unit.nix"))} (common.renderArgs i // (if ${nixStr(platform)} == "darwin" then { darwin = true; platform = "darwin"; } else { }));
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
  it.each(cases)("%s (%s): type-checks, assertions hold, renders the input modulo secrets-as-references", async (_name, platform, input) => {
    const dir = tempDir();
    const result = await runImport(input, { out: join(dir, "nix"), secretsDir: join(dir, "secrets"), upstream: "off" });
    const evaluated = nixEval(expression(join(dir, "nix", "default.nix"), platform));
    expect(evaluated.stderr).toBe("");
    const [instance, ...others] = evaluated.value as Evaluated[];
    expect(others).toEqual([]);
    expect(instance!.name).toBe("default");
    expect(instance!.failed).toEqual([]);
    expectRenderedLikeInput(readConfig(input).value, result, instance!.config, instance!.credentials);
  });

  it("--instance: evaluates as services.clawdbot.instances.<name>", async () => {
    const dir = tempDir();
    const result = await runImport(GOOD_FIXTURES.docker!, { out: join(dir, "nix"), secretsDir: join(dir, "secrets"), upstream: "off", instance: "ops" });
    const evaluated = nixEval(expression(join(dir, "nix", "default.nix"), "nixos"));
    expect(evaluated.stderr).toBe("");
    const [instance, ...others] = evaluated.value as Evaluated[];
    expect(others).toEqual([]);
    expect(instance!.name).toBe("ops");
    expect(instance!.failed).toEqual([]);
    expectRenderedLikeInput(readConfig(GOOD_FIXTURES.docker!).value, result, instance!.config, instance!.credentials);
  });

  it("a typo in the emitted settings is an evaluation error naming the option", async () => {
    const dir = tempDir();
    await runImport(GOOD_FIXTURES.wizard!, { out: join(dir, "nix"), secretsDir: join(dir, "secrets"), upstream: "off" });
    const file = join(dir, "nix", "default.nix");
    const broken = join(dir, "nix", "broken.nix");
    writeFileSync(broken, `{ imports = [ ./default.nix ]; services.clawdbot.settings.gateway.mdoe = "local"; }\n`);
    expect(existsSync(file)).toBe(true);
    const evaluated = nixEval(expression(broken, "nixos"));
    expect(evaluated.ok).toBe(false);
    expect(evaluated.stderr).toMatch(/gateway\.mdoe|mdoe/);
  });
});

// Every import fixture through the REAL modules (modules/nixos.nix; modules/home-manager.nix with Home Manager's
// own systemd and launchd modules), by the T1 harness tests/fixtures/modules/t1/eval.nix: the imported
// directory is the whole configuration. Either no assertion fails, or the import said why: each failed
// assertion names an option that one of the import's fixes names (the modules' messages name the option at
// fault; the exact words are the modules' business and are not copied here).
const harness = join(REPO, "tests/fixtures/modules/t1/eval.nix");
const realSkip = t1.libSkip ?? t1.hmSkip ?? (existsSync(harness) ? undefined : "tests/fixtures/modules/t1/eval.nix does not exist");
announceSkip("clawdbot-nix import → the real NixOS and Home Manager modules", realSkip);

describe.skipIf(!!realSkip)("T1: every import fixture evaluates through the NixOS and the Home Manager module, or import said why", () => {
  const cases = Object.entries(IMPORT_FIXTURES).flatMap(([name, input]) => (["nixos", "homeManager"] as const).map((kind) => [name, kind, input] as const));
  it.each(cases)("%s (%s)", async (_name, kind, input) => {
    const dir = tempDir();
    const result = await runImport(input, { out: join(dir, "nix"), secretsDir: join(dir, "secrets"), upstream: "off" });
    const user = kind === "homeManager" ? `home.username = "alice"; home.homeDirectory = "/home/alice";` : "";
    const evaluated = nixEval(`
      let
        t = import ${nixStr(harness)} { nixpkgsLib = ${nixStr(t1.nixpkgsLib!)}; homeManager = ${nixStr(t1.homeManager!)}; };
        e = t.${kind} { configuration = { imports = [ ${nixStr(join(dir, "nix", "default.nix"))} ]; ${user} }; };
      in e.failed`);
    // a type error (a ${VAR} in a typed option, a wrong value) is an evaluation error: never acceptable
    expect(evaluated.stderr).not.toMatch(/error:/);
    expect(evaluated.ok).toBe(true);
    const failed = evaluated.value as string[];
    if (failed.length === 0) return;
    expect(result.fixes.length, `the module refused, import said nothing:\n${failed.join("\n")}`).toBeGreaterThan(0);
    for (const message of failed) {
      expect(
        result.fixes.some((fix) => message.includes(fix.option)),
        `failed assertion not explained by the import (fixes: ${result.fixes.map((f) => f.option).join(", ")}):\n${message}`,
      ).toBe(true);
    }
  });
});
