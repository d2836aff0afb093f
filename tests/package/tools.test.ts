// Baked tools: the lock, the selection logic (T0: builtins only; T1: nix/tools/default.nix with nixpkgs'
// lib), and the updater against a recorded release listing.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { announceSkip, hasNix, nixEval, nixStr, REPO, t1Sources } from "../support/nix.js";
import { STUB_NODE_VERSIONS, stubs } from "../support/nixpkgs-stubs.js";
import { digestToSri, formatLock, sriOf, updateLock, type FetchLike, type ToolLock } from "../../nix/tools/update.js";

const nixEvalRw = (expression: string) => nixEval(expression, { readWrite: true });

// The flake's systems (nix/systems.nix; tests/flake/systems.test.ts keeps every list of them equal).
const SYSTEMS = ["x86_64-linux", "aarch64-linux", "aarch64-darwin"];
const lockText = readFileSync(join(REPO, "nix/tools/lock.json"), "utf8");
const lock = JSON.parse(lockText) as ToolLock;
const select = nixStr(join(REPO, "nix/tools/select.nix"));

describe("nix/tools/lock.json", () => {
  it("is formatted as the updater writes it", () => {
    expect(formatLock(lock)).toBe(lockText);
  });

  it("has, for every tool and every system Nix knows here, a url + SRI hash or an explicit reason", () => {
    expect(lock.systems).toEqual(SYSTEMS);
    for (const [name, tool] of Object.entries(lock.tools)) {
      expect(Object.keys(tool.sources).sort(), name).toEqual([...SYSTEMS].sort());
      expect(tool.repo, name).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(tool.mainProgram, name).toMatch(/^[\w.-]+$/);
      // an SPDX id for every tool with a release (meta.license); wacli has none pinned and none recorded
      if (Object.values(tool.sources).some((e) => "url" in e)) expect(tool.license, name).toMatch(/^[A-Za-z0-9.+-]+$/);
      for (const [system, entry] of Object.entries(tool.sources)) {
        const where = `${name} ${system}`;
        if ("url" in entry) {
          expect(entry.url, where).toMatch(new RegExp(`^https://github\\.com/${tool.repo}/releases/download/v?${tool.version}/`, "i"));
          expect(entry.hash, where).toMatch(/^sha256-[A-Za-z0-9+/]{43}=$/);
          expect(Buffer.from(entry.hash.slice(7), "base64")).toHaveLength(32);
          expect(Object.keys(entry).sort(), where).toEqual(["hash", "url"]);
        } else {
          expect(entry.none, where).toMatch(/\S/);
        }
      }
    }
  });

  it("carries gogcli (gog), goplaces and the other pinned tools, and wacli explicitly unpinned", () => {
    expect(lock.tools.gogcli?.mainProgram).toBe("gog");
    expect(lock.tools.goplaces?.version).toBe("0.4.4");
    expect(lock.tools.gogcli?.sources["x86_64-linux"]).toEqual({
      url: "https://github.com/openclaw/gogcli/releases/download/v0.37.0/gogcli_0.37.0_linux_amd64.tar.gz",
      hash: "sha256-kF/tC/q6+l3ecYnlBkKz+jHX/EqtUKjSfSuSBx2HWWI=",
    });
    expect(Object.keys(lock.tools).sort()).toEqual(
      ["camsnap", "discrawl", "gogcli", "goplaces", "imsg", "peekaboo", "poltergeist", "sag", "sonoscli", "summarize", "wacli", "wacrawl"],
    );
    expect(lock.tools.wacli?.version).toBeNull();
    for (const s of SYSTEMS) expect(lock.tools.wacli?.sources[s as "x86_64-linux"]).toMatchObject({ none: expect.stringMatching(/no pinned release/) });
  });
});

const nixSkip = hasNix() ? undefined : "nix-instantiate is not installed (apt-get install nix-bin)";
announceSkip("tool selection at T0", nixSkip);

describe.skipIf(nixSkip)("tool selection, T0 (builtins only)", () => {
  it("resolves a chosen list to pinned sources", () => {
    const r = nixEval(`map (s: s.url) ((import ${select} { }).select "x86_64-linux" [ "gogcli" "goplaces" ])`);
    expect(r.stderr).toBe("");
    expect(r.value).toEqual([lock.tools.gogcli?.sources["x86_64-linux"], lock.tools.goplaces?.sources["x86_64-linux"]].map((s) => (s as { url: string }).url));
  });

  it("every system's default bundle list resolves", () => {
    const r = nixEval(`let s = import ${select} { }; in builtins.mapAttrs (system: names: map (x: x.name) (s.select system names)) s.defaultTools`);
    expect(r.ok, r.stderr).toBe(true);
    expect(Object.keys(r.value as object).sort()).toEqual([...SYSTEMS].sort());
  });

  it("rejects a tool with no release for the system, naming tool and system", () => {
    const r = nixEval(`(import ${select} { }).select "x86_64-linux" [ "gogcli" "wacli" ]`);
    expect(r.ok).toBe(false);
    expect(r.stderr).toMatch(/`wacli` has no release for x86_64-linux/);
    const mac = nixEval(`(import ${select} { }).select "aarch64-darwin" [ "gogcli" "wacli" ]`);
    expect(mac.ok).toBe(false);
    expect(mac.stderr).toMatch(/`wacli` has no release for aarch64-darwin/);
    // x86_64-darwin is not a system of the flake any more: the lock has no entry for it
    const intelMac = nixEval(`(import ${select} { }).select "x86_64-darwin" [ "gogcli" ]`);
    expect(intelMac.ok).toBe(false);
    expect(intelMac.stderr).toMatch(/`gogcli` has no release for x86_64-darwin \(the lock has no entry for this system\)/);
    const unknown = nixEval(`(import ${select} { }).select "x86_64-linux" [ "nope" ]`);
    expect(unknown.stderr).toMatch(/unknown tool `nope`/);
  });
});

const t1 = t1Sources();
announceSkip("tool selection and package.nix at T1 (nixpkgs lib)", t1.libSkip);

describe.skipIf(t1.libSkip)("T1: nix/tools/default.nix and nix/package.nix with nixpkgs' lib", () => {
  const lib = t1.nixpkgsLib!;
  const gatewayStub = `{ type = "derivation"; outPath = "/stub/clawdbot-gateway"; version = "2026.1.24-3"; meta = { mainProgram = "clawdbot"; description = "Clawdbot AI gateway"; }; passthru = { nodejs = nodejs_22; spec.entry = "lib/clawdbot/node_modules/clawdbot/dist/entry.js"; }; }`;
  const tools = (system: string) =>
    `let ${stubs(lib, system)} tools = import ${nixStr(join(REPO, "nix/tools/default.nix"))} { inherit lib stdenv fetchurl unzip autoPatchelfHook makeWrapper runCommand; clawdbot-gateway = ${gatewayStub}; }; in`;

  it("makes one derivation per tool and a bundle from a chosen list", () => {
    const r = nixEval(`${tools("aarch64-linux")} { gog = { inherit (tools.gogcli) pname version; url = tools.gogcli.src.url; bin = tools.gogcli.meta.mainProgram; platforms = tools.gogcli.meta.platforms; license = tools.gogcli.meta.license.spdxId; }; bundle = map (t: t.pname) (tools.bundle [ "gogcli" "goplaces" ]).passthru.tools; default = tools.defaultTools; }`);
    expect(r.ok, r.stderr).toBe(true);
    expect(r.value).toEqual({
      gog: {
        pname: "gogcli",
        version: "0.37.0",
        url: (lock.tools.gogcli?.sources["aarch64-linux"] as { url: string }).url,
        bin: "gog",
        platforms: ["x86_64-linux", "aarch64-linux", "aarch64-darwin"],
        license: "MIT",
      },
      bundle: ["gogcli", "goplaces"],
      default: ["gogcli", "goplaces"],
    });
  });

  it("every tool derivation that can exist has meta.license from the lock; a tool without one recorded is an evaluation error", () => {
    const r = nixEval(`${tools("aarch64-darwin")} builtins.listToAttrs (map (n: { name = n; value = tools.\${n}.meta.license.spdxId; }) tools.availableFor)`);
    expect(r.ok, r.stderr).toBe(true);
    const licenses = r.value as Record<string, string>;
    expect(Object.keys(licenses).sort()).toEqual(Object.keys(lock.tools).filter((n) => n !== "wacli").sort());
    for (const [name, spdx] of Object.entries(licenses)) expect(spdx, name).toBe(lock.tools[name]!.license);
    const unrecorded = nixEval(`(import ${select} { lock = let l = builtins.fromJSON (builtins.readFile ${nixStr(join(REPO, "nix/tools/lock.json"))}); in l // { tools = l.tools // { gogcli = l.tools.gogcli // { license = null; }; }; }; }).source "x86_64-linux" "gogcli"`);
    expect(unrecorded.ok).toBe(false);
    expect(unrecorded.stderr).toMatch(/`gogcli` has no license recorded in nix\/tools\/lock.json/);
  });

  it("a bundle is a small wrapper around the one bare gateway: tools on PATH, lib/ and share/ linked, passthru kept", () => {
    const r = nixEval(
      `${tools("x86_64-linux")} let a = tools.bundle [ "gogcli" ]; b = tools.bundle [ "sag" "goplaces" ]; in { inherit (a) name version script; gatewayA = a.passthru.gateway.outPath; gatewayB = b.passthru.gateway.outPath; none = (tools.bundle [ ]).outPath; nodejs = a.passthru.nodejs.name; entry = a.passthru.spec.entry; main = a.meta.mainProgram; pathB = b.script; }`,
    );
    expect(r.ok, r.stderr).toBe(true);
    const v = r.value as Record<string, string>;
    expect(v.name).toBe("clawdbot-2026.1.24-3");
    expect(v.version).toBe("2026.1.24-3");
    // the same bare gateway under every bundle: one npm install, one node_modules, one jiti cache
    expect(v.gatewayA).toBe("/stub/clawdbot-gateway");
    expect(v.gatewayB).toBe("/stub/clawdbot-gateway");
    // no tools: the gateway itself (not a wrapper with an empty PATH prefix)
    expect(v.none).toBe("/stub/clawdbot-gateway");
    expect(v.script).toContain('ln -s /stub/clawdbot-gateway/lib "$out/lib"');
    expect(v.script).toContain('ln -s /stub/clawdbot-gateway/share "$out/share"');
    // it execs the gateway's own wrapper (node runs from the gateway's paths, which key the jiti cache)
    expect(v.script).toContain('makeWrapper /stub/clawdbot-gateway/bin/clawdbot "$out/bin/clawdbot"');
    expect(v.script).toContain("--prefix PATH : /stub/gogcli/bin");
    expect(v.pathB).toContain("--prefix PATH : /stub/sag/bin:/stub/goplaces/bin");
    expect(v.nodejs).toBe(`nodejs-${STUB_NODE_VERSIONS.nodejs_22}`);
    expect(v.entry).toBe("lib/clawdbot/node_modules/clawdbot/dist/entry.js");
    expect(v.main).toBe("clawdbot");
  });

  it("rejects a tool with no release for the system at evaluation, naming tool and system", () => {
    const bundle = nixEval(`${tools("x86_64-linux")} (tools.bundle [ "goplaces" "imsg" ]).script`);
    expect(bundle.ok).toBe(false);
    expect(bundle.stderr).toMatch(/`imsg` has no release for x86_64-linux/);
    const direct = nixEval(`${tools("aarch64-darwin")} tools.wacli.version`);
    expect(direct.ok).toBe(false);
    expect(direct.stderr).toMatch(/`wacli` has no release for aarch64-darwin/);
  });

  const pkgExpr = (extra: string) =>
    `let ${stubs(lib)} drv = import ${nixStr(join(REPO, "nix/package.nix"))} ({ inherit lib stdenv nodejs_22 importNpmLock autoPatchelfHook makeWrapper runCommand; gateway = "clawdbot"; } // ${extra}); in`;

  it("package.nix: one bare gateway (no `tools` argument), the npm config hook built with the package's Node", () => {
    const r = nixEval(`${pkgExpr("{ }")} { args = builtins.attrNames (builtins.functionArgs (import ${nixStr(join(REPO, "nix/package.nix"))})); hooks = map (h: h.substitutions.nodeGyp) (builtins.filter (h: h.name or "" == "npm-config-hook") drv.nativeBuildInputs); }`);
    expect(r.ok, r.stderr).toBe(true);
    const v = r.value as { args: string[]; hooks: string[] };
    expect(v.args).not.toContain("tools");
    expect(v.hooks).toEqual(["/stub/nodejs-22/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"]);
    const withTools = nixEval(`${pkgExpr(`{ tools = [ ]; }`)} drv.pname`);
    expect(withTools.ok).toBe(false);
    expect(withTools.stderr).toMatch(/unexpected argument 'tools'|called with unexpected argument/);
  });

  it("package.nix: version, importNpmLock on the committed lock, the shared flags, the wrapper environment", () => {
    const spec = JSON.parse(readFileSync(join(REPO, "nix/gateway/build.json"), "utf8")) as { npmInstallFlags: string[]; npmRebuildFlags: string[] };
    // --read-write-mode: the filtered source really goes into the store, so its content can be listed.
    const r = nixEvalRw(
      `${pkgExpr("{ }")} { inherit (drv) pname version npmRoot npmInstallFlags npmRebuildFlags installPhase preFixup; deps = drv.npmDeps.npmDepsOf; unfetched = drv.npmDeps.unfetched; srcFiles = builtins.attrNames (builtins.readDir "\${drv.src}/nix"); smoke = drv.passthru.tests.smoke.script; mainProgram = drv.meta.mainProgram; }`,
    );
    expect(r.ok, r.stderr).toBe(true);
    const v = r.value as Record<string, unknown>;
    expect(v.pname).toBe("clawdbot-gateway");
    expect(v.version).toBe("2026.1.24-3");
    expect(v.npmRoot).toBe("nix/gateway");
    expect(v.deps).toBe(join(REPO, "nix/gateway"));
    // The lock handed to importNpmLock leaves other platforms' optional packages unfetched.
    const unfetched = v.unfetched as string[];
    expect(unfetched).toContain("node_modules/@node-llama-cpp/linux-x64-cuda-ext");
    expect(unfetched).toContain("node_modules/@img/sharp-darwin-arm64");
    expect(unfetched).not.toContain("node_modules/@node-llama-cpp/linux-x64");
    expect(unfetched).not.toContain("node_modules/@img/sharp-linux-x64");
    expect(v.npmInstallFlags).toEqual(spec.npmInstallFlags);
    expect(v.npmRebuildFlags).toEqual(spec.npmRebuildFlags);
    expect((v.srcFiles as string[]).sort()).toEqual(["build-jiti-cache.mjs", "gateway", "health-probe.mjs", "jiti-seed.mjs", "prune.mjs"]);
    const install = v.installPhase as string;
    expect(install).toContain("node nix/prune.mjs nix/gateway/node_modules");
    expect(install).not.toContain("--gpu");
    expect(install).toContain("makeWrapper /stub/nodejs-22/bin/node \"$out/bin/clawdbot\"");
    expect(install).toContain("--set CLAWDBOT_NO_RESPAWN 1");
    expect(install).toContain("--set-default CLAWDBOT_NIX_MODE 1");
    expect(install).not.toContain("--prefix PATH");
    // the committed package.json and lock come from $src, never from the config hook's private copies
    expect(install).toContain('cp "$src/nix/gateway/package.json" "$out/lib/clawdbot/package.json"');
    expect(install).toContain('cp "$src/nix/gateway/package-lock.json" "$out/lib/clawdbot/package-lock.json"');
    expect(install).toContain('--add-flags "--import $out/share/clawdbot/jiti-seed.mjs $out/lib/clawdbot/node_modules/clawdbot/dist/entry.js"');
    for (const f of ["health-probe.mjs", "clawdbot.schema.json", "options.md"]) expect(install).toContain(`"$out/share/clawdbot/${f}"`);
    expect(v.preFixup).toContain('build-jiti-cache.mjs" "$out" "$out/share/clawdbot/jiti-cache"');
    expect(v.smoke).toContain("health-probe.mjs");
    expect(v.mainProgram).toBe("clawdbot");
  });

  const pkgsExpr = (system: string) => `let ${stubs(lib, system)}
    base = self: { inherit lib stdenv fetchurl unzip autoPatchelfHook makeWrapper runCommand nodejs_22 importNpmLock; callPackage = lib.callPackageWith self; };
    pkgs = lib.fix base;
    pkgsWithOverlay = lib.fix (lib.extends (import ${nixStr(join(REPO, "nix/overlay.nix"))}) base);
    packages = import ${nixStr(join(REPO, "nix/packages.nix"))} { inherit pkgs; };
    legacy = import ${nixStr(join(REPO, "nix/legacy-packages.nix"))} { inherit pkgs; };
    pathOf = drv: builtins.head (builtins.match ".*--prefix PATH : ([^ \n]*).*" drv.script);
  in`;

  it("packages.nix holds only derivations; the bundle carries the default tools; overlay and legacyPackages agree", () => {
    const linux = nixEval(
      `${pkgsExpr("x86_64-linux")} { names = builtins.attrNames packages; allDrv = builtins.all (n: (packages.\${n}.type or "") == "derivation") (builtins.attrNames packages); path = pathOf packages.clawdbot; overlayPath = pathOf pkgsWithOverlay.clawdbot; overlayGateway = pkgsWithOverlay.clawdbot-gateway.pname; picked = pathOf (legacy.clawdbotTools.bundle [ "sag" ]);
        openclaw = { path = pathOf packages.openclaw; overlayPath = pathOf pkgsWithOverlay.openclaw; inherit (packages.openclaw) name; gateway = packages.openclaw.passthru.gateway.pname; main = packages.openclaw.meta.mainProgram; inherit (packages.openclaw) script;}; }`,
    );
    expect(linux.ok, linux.stderr).toBe(true);
    expect(linux.value).toEqual({
      names: ["clawdbot", "clawdbot-gateway", "openclaw", "openclaw-gateway", ...["camsnap", "discrawl", "gogcli", "goplaces", "sag", "sonoscli", "wacrawl"].map((t) => `clawdbot-tool-${t}`), "default"].sort(),
      allDrv: true,
      path: "/stub/gogcli/bin:/stub/goplaces/bin",
      overlayPath: "/stub/gogcli/bin:/stub/goplaces/bin",
      overlayGateway: "clawdbot-gateway",
      picked: "/stub/sag/bin",
      // OpenClaw with the same tools: a wrapper around its one bare gateway, its own command name
      openclaw: {
        path: "/stub/gogcli/bin:/stub/goplaces/bin",
        overlayPath: "/stub/gogcli/bin:/stub/goplaces/bin",
        name: `openclaw-${JSON.parse(readFileSync(join(REPO, "nix/openclaw/package.json"), "utf8")).dependencies.openclaw}`,
        gateway: "openclaw-gateway",
        main: "openclaw",
        script: expect.stringContaining('"$out/bin/openclaw"'),
      },
    });
    const mac = nixEval(`${pkgsExpr("aarch64-darwin")} { names = builtins.attrNames packages; path = pathOf packages.clawdbot; }`);
    expect(mac.ok, mac.stderr).toBe(true);
    expect(mac.value).toEqual({
      names: ["clawdbot", "clawdbot-gateway", "openclaw", "openclaw-gateway", ...Object.keys(lock.tools).filter((t) => t !== "wacli").map((t) => `clawdbot-tool-${t}`), "default"].sort(),
      path: "/stub/gogcli/bin:/stub/goplaces/bin",
    });
    const refused = nixEval(`${pkgsExpr("aarch64-linux")} pathOf (pkgsWithOverlay.clawdbotTools.bundle [ "goplaces" "sag" ])`);
    expect(refused.ok).toBe(false);
    expect(refused.stderr).toMatch(/`sag` has no release for aarch64-linux/);
  });

  it("cli/package.nix: the root lock through the gateway's platform filter (only this host's optional packages are fetched), the hook on Node 22", () => {
    const rootLock = JSON.parse(readFileSync(join(REPO, "package-lock.json"), "utf8")) as { packages: Record<string, { optional?: boolean; os?: string[]; cpu?: string[] }> };
    const platformSpecific = Object.entries(rootLock.packages)
      .filter(([, e]) => e.optional && (e.os || e.cpu))
      .map(([p]) => p);
    const cli = (system: string) =>
      nixEval(`let ${stubs(lib, system)} cli = stubPkgs.callPackage ${nixStr(join(REPO, "cli/package.nix"))} { clawdbot-gateway = stubPkgs.callPackage ${nixStr(join(REPO, "nix/package.nix"))} { gateway = "clawdbot"; }; }; in { inherit (cli.npmDeps) unfetched; hook = cli.npmConfigHook.substitutions.nodeGyp; }`);
    const linux = cli("x86_64-linux");
    expect(linux.ok, linux.stderr).toBe(true);
    const v = linux.value as { unfetched: string[]; hook: string };
    expect(v.hook).toBe("/stub/nodejs-22/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js");
    // every platform-specific optional package but this host's is left unfetched
    expect(v.unfetched).toContain("node_modules/@esbuild/darwin-arm64");
    expect(v.unfetched).toContain("node_modules/@rollup/rollup-linux-x64-musl");
    expect(v.unfetched).not.toContain("node_modules/@esbuild/linux-x64");
    expect(v.unfetched).not.toContain("node_modules/@rollup/rollup-linux-x64-gnu");
    // only platform-specific optional packages are left unfetched: every other entry has its tarball
    // (the root lock has no `resolved` URLs: nix/gateway/registry-resolved.nix gives them back)
    for (const p of v.unfetched) expect(platformSpecific, p).toContain(p);
    expect(platformSpecific.length - v.unfetched.length).toBeGreaterThan(0);
    expect(platformSpecific.length - v.unfetched.length).toBeLessThanOrEqual(6);
    const mac = cli("aarch64-darwin");
    expect(mac.ok, mac.stderr).toBe(true);
    const m = mac.value as { unfetched: string[] };
    expect(m.unfetched).toContain("node_modules/@esbuild/linux-x64");
    expect(m.unfetched).not.toContain("node_modules/@esbuild/darwin-arm64");
  });

  it("package.nix: withGpuEmbeddings keeps the GPU builds and tolerates the driver's libraries", () => {
    const r = nixEval(`${pkgExpr(`{ withGpuEmbeddings = true; }`)} { inherit (drv) installPhase autoPatchelfIgnoreMissingDeps; unfetched = drv.npmDeps.unfetched; }`);
    expect(r.ok, r.stderr).toBe(true);
    const v = r.value as { installPhase: string; autoPatchelfIgnoreMissingDeps: string[]; unfetched: string[] };
    expect(v.unfetched).not.toContain("node_modules/@node-llama-cpp/linux-x64-cuda-ext");
    expect(v.unfetched).toContain("node_modules/@node-llama-cpp/win-x64-cuda-ext");
    expect(v.installPhase).toContain("nix/gateway/node_modules --gpu");
    expect(v.installPhase).toContain("/run/opengl-driver/lib");
    expect(v.autoPatchelfIgnoreMissingDeps).toContain("libcuda.so.1");
  });
});

describe("nix/tools/update.ts against a recorded release listing", () => {
  const listing = JSON.parse(readFileSync(join(REPO, "tests/package/fixtures/github-release-wacli-latest.json"), "utf8")) as {
    assets: { name: string; digest: string | null; browser_download_url: string }[];
  };
  const dir = mkdtempSync(join(tmpdir(), "tools-update-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const fakeFetch = (routes: Record<string, unknown>, calls: string[]): FetchLike => async (url) => {
    calls.push(url);
    const body = routes[url];
    if (body === undefined) return { ok: false, status: 404, json: async () => ({}), arrayBuffer: async () => new ArrayBuffer(0) };
    return {
      ok: true,
      status: 200,
      json: async () => body,
      arrayBuffer: async (): Promise<ArrayBuffer> => (body instanceof Uint8Array ? new Uint8Array(body).buffer : new ArrayBuffer(0)),
    };
  };

  it("converts GitHub digests to SRI", () => {
    expect(digestToSri("sha256:" + "00".repeat(32))).toBe("sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    expect(() => digestToSri("md5:abc")).toThrow();
  });

  it("fills wacli from the release: url + SRI per system, explicit none where no asset, hash by download when no digest", async () => {
    const calls: string[] = [];
    // One asset without a published digest: the updater downloads and hashes it.
    const patched = structuredClone(listing);
    const arm = patched.assets.find((a) => a.name.includes("linux_arm64"))!;
    arm.digest = null;
    const bytes = new TextEncoder().encode("pretend tarball");
    const { lock: next, changed } = await updateLock(
      lock,
      ["wacli"],
      fakeFetch({ "https://api.github.com/repos/openclaw/wacli/releases/latest": patched, [arm.browser_download_url]: bytes }, calls),
    );
    expect(changed).toEqual(["wacli"]);
    expect(calls).toEqual(["https://api.github.com/repos/openclaw/wacli/releases/latest", arm.browser_download_url]);
    const w = next.tools.wacli!;
    expect(w.version).toBe("0.20.0");
    expect(w.sources["x86_64-linux"]).toEqual({
      url: "https://github.com/openclaw/wacli/releases/download/v0.20.0/wacli_0.20.0_linux_amd64.tar.gz",
      hash: "sha256-8kPqfHD3/4/E3n/X60eGmHCKy9hHCtOP/BM3mAYyHow=",
    });
    expect(w.sources["aarch64-linux"]).toEqual({ url: arm.browser_download_url, hash: sriOf(bytes) });
    expect(w.sources["aarch64-darwin"]).toMatchObject({ hash: "sha256-EJ23+Pn2Az2UjDxhrtRqLmmUT7yW4VSGffDXBt8YjaQ=" });
    // only the lock's systems (x86_64-darwin is not one)
    expect(Object.keys(w.sources).sort()).toEqual([...SYSTEMS].sort());
    expect(w.license).toBeNull();
    // Other tools untouched.
    expect(next.tools.gogcli).toEqual(lock.tools.gogcli);

    // The refreshed lock drives the selection: wacli now resolves on Linux, still errors on x86_64-darwin.
    // (Its license is still unrecorded: its derivation would not evaluate until someone records it.)
    // (no silent skip: nix-instantiate is part of the set-up, scripts/setup-debian.sh)
    expect(hasNix(), "nix-instantiate is installed (scripts/setup-debian.sh)").toBe(true);
    const file = join(dir, "lock.json");
    writeFileSync(file, formatLock(next));
    const ok = nixEval(`(builtins.head ((import ${select} { lock = builtins.fromJSON (builtins.readFile ${nixStr(file)}); }).select "x86_64-linux" [ "wacli" ])).url`);
    expect(ok.value).toBe(w.sources["x86_64-linux"] && "url" in w.sources["x86_64-linux"] ? w.sources["x86_64-linux"].url : "");
    const bad = nixEval(`(import ${select} { lock = builtins.fromJSON (builtins.readFile ${nixStr(file)}); }).select "x86_64-darwin" [ "wacli" ]`);
    expect(bad.stderr).toMatch(/`wacli` has no release for x86_64-darwin/);
  });

  it("fails loudly on an API error instead of writing a partial lock", async () => {
    await expect(updateLock(lock, ["wacli"], fakeFetch({}, []))).rejects.toThrow(/HTTP 404/);
  });
});
