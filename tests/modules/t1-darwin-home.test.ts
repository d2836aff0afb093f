// T1: modules/darwin.nix with nix-darwin's own shape of users.users (real nixpkgs lib). The shared harness
// (tests/fixtures/modules/t1/eval.nix) declares users.users as untyped attributes, so a user declared there has
// no `home` at all; nix-darwin's modules/users/user.nix declares `home = mkOption { type = nullOr path;
// default = null; }` (read at nix-darwin/nix-darwin 0aada922, the stored version): every declared user has a
// `home`, null unless set. This file evaluates the module with that option.
import { describe, expect, it } from "vitest";
import { t1Sources } from "../support/nix.js";
import { evalT1, evalT1Error } from "./support.js";

const t1 = t1Sources();

/** nix-darwin's user submodule, as far as the module reads it (name, home), with its defaults. */
const darwinEval = (configuration: string) => `let
    lib = t.lib;
    list = lib.mkOption { type = lib.types.listOf lib.types.anything; default = [ ]; };
    anyAttrs = lib.mkOption { type = lib.types.attrsOf lib.types.anything; default = { }; };
    e = lib.evalModules {
      modules = [
        {
          options = {
            assertions = list;
            warnings = list;
            meta.maintainers = list;
            system.primaryUser = lib.mkOption { type = lib.types.nullOr lib.types.str; default = null; };
            users.users = lib.mkOption {
              default = { };
              type = lib.types.attrsOf (lib.types.submodule ({ name, ... }: {
                options.name = lib.mkOption { type = lib.types.nonEmptyStr; default = name; };
                options.home = lib.mkOption { type = lib.types.nullOr lib.types.path; default = null; };
              }));
            };
            environment.systemPackages = list;
            launchd.user.agents = anyAttrs;
          };
        }
        { _module.args.pkgs = t.pkgsFor "aarch64-darwin"; }
        ./modules/darwin.nix
        (${configuration})
      ];
    };
  in e.config`;

describe.skipIf(!t1.nixpkgsLib)("nix-darwin: the primary user's home (T1, nix-darwin's users.users shape)", () => {
  it("a user declared without `home` (null in nix-darwin) gets /Users/<name>", () => {
    const r = evalT1(`let c = ${darwinEval(`{ system.primaryUser = "alice"; users.users.alice = { }; services.openclaw.enable = true; services.clawdbot = { enable = true; port = 18800; }; }`)}; in
      { home = c.users.users.alice.home; oc = c.launchd.user.agents.openclaw.serviceConfig.EnvironmentVariables.OPENCLAW_STATE_DIR; cb = c.launchd.user.agents.clawdbot.serviceConfig.EnvironmentVariables.CLAWDBOT_STATE_DIR; }`);
    expect(r).toEqual({ home: null, oc: "/Users/alice/.openclaw", cb: "/Users/alice/.clawdbot" });
  });

  it("a declared home is used; a user not declared at all gets /Users/<name>", () => {
    const set = evalT1(`(${darwinEval(`{ system.primaryUser = "alice"; users.users.alice.home = "/Volumes/Home/alice"; services.openclaw.enable = true; }`)}).launchd.user.agents.openclaw.serviceConfig.EnvironmentVariables.OPENCLAW_STATE_DIR`);
    expect(set).toBe("/Volumes/Home/alice/.openclaw");
    const undeclared = evalT1(`(${darwinEval(`{ system.primaryUser = "bob"; services.openclaw.enable = true; }`)}).launchd.user.agents.openclaw.serviceConfig.EnvironmentVariables.OPENCLAW_STATE_DIR`);
    expect(undeclared).toBe("/Users/bob/.openclaw");
  });

  it("the stand-in is nix-darwin's shape: a declared user's home is null, not absent", () => {
    const err = evalT1Error(`(${darwinEval(`{ users.users.alice.home = 3; }`)}).users.users.alice.home`);
    expect(err).toMatch(/is not of type `null or path'|not of type/);
    expect(evalT1(`(${darwinEval(`{ users.users.alice = { }; }`)}).users.users.alice.home`)).toBeNull();
  });
});
