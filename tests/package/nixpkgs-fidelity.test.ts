// T1: the flake's derivations against stand-ins that behave like the nixpkgs functions they stand for
// (tests/support/nixpkgs-stubs.ts; CONTRIBUTING.md "Stand-ins and what each was checked against"):
//   - importNpmLock bound by `callPackages`: the hook's `.override { nodejs }` must be the hooks' own;
//   - the gateway's Node checked against the gateway's own `engines` at evaluation;
//   - dockerTools.buildLayeredImage giving `passthru` to the inner stream only: the image's passthru and meta
//     must be on the tarball users build.
// Each stand-in is first shown to refuse what its nixpkgs function refuses, so that a test passing here is not a
// stand-in accepting anything.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { announceSkip, nixEval, nixStr, REPO, t1Sources } from "../support/nix.js";
import { STUB_NODE_VERSIONS, stubs } from "../support/nixpkgs-stubs.js";

const t1 = t1Sources();
announceSkip("the derivations against faithful nixpkgs stand-ins (T1)", t1.libSkip);

const file = (path: string) => nixStr(join(REPO, path));
const lockOf = (dir: string) => JSON.parse(readFileSync(join(REPO, dir, "package-lock.json"), "utf8")) as { packages: Record<string, { engines?: { node?: string } }> };
const GYP = (major: string) => `/stub/nodejs-${major}/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js`;

describe.skipIf(t1.libSkip)("T1: importNpmLock as nixpkgs binds it (callPackages)", () => {
  const lib = t1.nixpkgsLib!;
  const ev = (body: string, system = "x86_64-linux") => nixEval(`let ${stubs(lib, system)} in ${body}`);

  it("the stand-in refuses what nixpkgs refuses: an attribute's .override re-calls the outer function, which takes no nodejs", () => {
    const r = ev(`(importNpmLock.npmConfigHook.override { nodejs = nodejs_22; }).name`);
    expect(r.ok).toBe(false);
    expect(r.stderr).toMatch(/called with unexpected argument 'nodejs'/);
    // the outer function's arguments, closed, as import-npm-lock/default.nix declares them
    const args = ev(`builtins.functionArgs importNpmLockFn`);
    expect(args.value).toEqual({ callPackages: false, fetchurl: false, lib: false, runCommand: false, stdenv: false });
    // the hooks' own override reaches their `nodejs`
    const ok = ev(`(importNpmLock.hooks.npmConfigHook.override { nodejs = nodejs_22; }).substitutions.nodeGyp`);
    expect(ok.value, ok.stderr).toBe(GYP("22"));
    // without an override the hook is built with pkgs.nodejs, not the package's Node
    expect(ev(`importNpmLock.npmConfigHook.substitutions.nodeGyp`).value).toBe(GYP("default"));
    // importNpmLock is still callable (its __functor survives callPackages)
    expect(ev(`(importNpmLock { npmRoot = ${file("nix/gateway")}; }).npmDepsOf`).value).toBe(join(REPO, "nix/gateway"));
  });

  it("nix/package.nix (both gateways), nix/openclaw/plugins.nix and cli/package.nix build the npm hook with their own Node", () => {
    const r = ev(`let
        hooksOf = d: map (h: h.substitutions.nodeGyp) (builtins.filter (h: (h.name or "") == "npm-config-hook") d.nativeBuildInputs);
        clawdbot = stubPkgs.callPackage ${file("nix/package.nix")} { gateway = "clawdbot"; };
        openclaw = stubPkgs.callPackage ${file("nix/package.nix")} { gateway = "openclaw"; };
        plugins = stubPkgs.callPackage ${file("nix/openclaw/plugins.nix")} { openclaw-gateway = openclaw; };
        cli = stubPkgs.callPackage ${file("cli/package.nix")} { clawdbot-gateway = clawdbot; };
      in { clawdbot = hooksOf clawdbot; openclaw = hooksOf openclaw; plugins = hooksOf plugins.tree; cli = cli.npmConfigHook.substitutions.nodeGyp; }`);
    expect(r.ok, r.stderr).toBe(true);
    expect(r.value).toEqual({ clawdbot: [GYP("22")], openclaw: [GYP("24")], plugins: [GYP("24")], cli: GYP("22") });
  });
});

describe.skipIf(t1.libSkip)("T1: the gateway's Node against the gateway's own engines (nix/package.nix)", () => {
  const lib = t1.nixpkgsLib!;
  // the range as npm recorded it from the gateway's package.json: never retyped here
  const openclawEngines = lockOf("nix/openclaw").packages["node_modules/openclaw"]!.engines!.node!;
  const clawdbotEngines = lockOf("nix/gateway").packages["node_modules/clawdbot"]!.engines!.node!;
  const pin = JSON.parse(readFileSync(join(REPO, "nix/openclaw/package.json"), "utf8")).dependencies.openclaw as string;
  const withNode = (version: string, gateway = "openclaw", arg = "nodejs_24") =>
    nixEval(`let ${stubs(lib)} node = nodeStub "x" ${nixStr(version)}; in
      (stubPkgs.callPackage ${file("nix/package.nix")} { gateway = ${nixStr(gateway)}; ${arg} = node; }).nativeBuildInputs`);

  it("reads OpenClaw's range from the committed lock", () => {
    expect(openclawEngines).toBe(">=24.16.0 <25 || >=26.1.0");
    expect(clawdbotEngines).toMatch(/^>=22\./);
  });

  it("refuses Node 24.15.0 with a message naming the range and both fixes", () => {
    const r = withNode("24.15.0");
    expect(r.ok).toBe(false);
    expect(r.stderr).toContain(`openclaw-gateway: openclaw ${pin} needs Node ${openclawEngines}`);
    expect(r.stderr).toContain("this nixpkgs' nodejs_24 is 24.15.0");
    expect(r.stderr).toContain("Use a newer nixpkgs");
    expect(r.stderr).toContain("openclaw-gateway.override { nodejs_24 = pkgs.nodejs_<major>; }");
  });

  it("accepts 24.16.0, 24.22.3 and 26.1.0; refuses 25.x, 26.0.0 and 22.x", () => {
    for (const v of ["24.16.0", "24.22.3", "26.1.0", "27.0.0"]) expect(withNode(v).ok, `${v}: ${withNode(v).stderr}`).toBe(true);
    for (const v of ["25.0.0", "25.9.1", "26.0.0", "22.22.0", "24.15.9"]) {
      const r = withNode(v);
      expect(r.ok, v).toBe(false);
      expect(r.stderr, v).toContain("needs Node");
    }
  });

  it("Clawdbot's Node is checked the same way against Clawdbot's own engines", () => {
    expect(withNode("22.22.0", "clawdbot", "nodejs_22").ok).toBe(true);
    const old = withNode("22.11.0", "clawdbot", "nodejs_22");
    expect(old.ok).toBe(false);
    expect(old.stderr).toContain(`clawdbot-gateway.override { nodejs_22 = pkgs.nodejs_<major>; }`);
  });

  it("the fixture records the pin and what is known of its nodejs_24; the stand-ins' versions satisfy both ranges", () => {
    const fx = JSON.parse(readFileSync(join(REPO, "tests/package/fixtures/nixpkgs-nodejs.json"), "utf8"));
    const flakeLock = JSON.parse(readFileSync(join(REPO, "flake.lock"), "utf8"));
    expect(fx.pin.nixpkgs).toBe(flakeLock.nodes.nixpkgs.locked.rev);
    expect(fx.pin.file).toBe("pkgs/development/web/nodejs/v24.nix");
    // unverified here (null), with the closest stored versions next to it
    expect(fx.pin.nodejs_24).toBeNull();
    expect(fx.pin.closestStored.map((s: { version: string }) => s.version)).toEqual(["24.10.0", "24.14.1"]);
    for (const v of fx.pin.closestStored) expect(withNode(v.version).ok, v.version).toBe(false);
    expect(withNode(STUB_NODE_VERSIONS.nodejs_24!).ok).toBe(true);
    expect(withNode(STUB_NODE_VERSIONS.nodejs_22!, "clawdbot", "nodejs_22").ok).toBe(true);
  });
});

describe.skipIf(t1.libSkip)("T1: the OCI image's passthru and meta are on what users build (nix/image/default.nix)", () => {
  const lib = t1.nixpkgsLib!;
  const gatewayStub = `{ type = "derivation"; outPath = "/stub/clawdbot"; name = "clawdbot-2026.1.24-3"; version = "2026.1.24-3"; meta.mainProgram = "clawdbot"; passthru = { nodejs = nodejs_22; tools = [ ]; }; }`;

  it("the stand-in refuses what nixpkgs refuses: buildLayeredImage gives passthru to the stream, none to the tarball, and no meta", () => {
    const r = nixEval(`let ${stubs(lib)} img = dockerTools.buildLayeredImage { name = "x"; tag = "t"; passthru.mine = 1; }; in
      { tarball = builtins.attrNames img.passthru; stream = img.passthru.stream.passthru.mine; hasMine = img ? mine; meta = img.meta; }`);
    expect(r.ok, r.stderr).toBe(true);
    expect(r.value).toEqual({ tarball: ["imageTag", "stream"], stream: 1, hasMine: false, meta: {} });
  });

  it("image and image-openclaw carry imageConfig, configFile, gateway and root in passthru and the description and platforms in meta", () => {
    const r = nixEval(`let ${stubs(lib)}
        img = stubPkgs.callPackage ${file("nix/image")} { gateway = "clawdbot"; clawdbot = ${gatewayStub}; };
        pick = i: { passthru = builtins.attrNames i.passthru; top = i ? imageConfig; inherit (i.meta) description platforms; name = i.passthru.imageConfig.name; gateway = i.passthru.gateway.outPath; };
      in pick img`);
    expect(r.ok, r.stderr).toBe(true);
    const v = r.value as Record<string, any>;
    expect(v.passthru).toEqual(expect.arrayContaining(["imageConfig", "configFile", "gateway", "root", "imageTag", "stream"]));
    expect(v.top).toBe(true);
    expect(v.description).toMatch(/^OCI image of the Clawdbot gateway/);
    expect(v.platforms).toContain("x86_64-linux");
    expect(v.gateway).toBe("/stub/clawdbot");
    // `.override` (callPackage) keeps them
    const o = nixEval(`let ${stubs(lib)} img = stubPkgs.callPackage ${file("nix/image")} { gateway = "clawdbot"; clawdbot = ${gatewayStub}; }; in (img.override { startAsRoot = true; }).meta.description`);
    expect(o.value, o.stderr).toMatch(/^OCI image of the Clawdbot gateway/);
  });
});
