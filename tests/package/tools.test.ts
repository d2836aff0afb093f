// Baked tools: the lock, the selection logic (T0: builtins only; T1: nix/tools/default.nix with nixpkgs'
// lib), and the updater against a recorded release listing.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { announceSkip, hasNix, nixEval, nixStr, REPO, t1Sources } from "../support/nix.js";
import { digestToSri, formatLock, sriOf, updateLock, type FetchLike, type ToolLock } from "../../nix/tools/update.js";

function nixEvalRw(expression: string): { ok: boolean; stderr: string; value?: unknown } {
  const r = spawnSync("nix-instantiate", ["--eval", "--strict", "--json", "--read-write-mode", "--expr", expression], {
    cwd: REPO,
    encoding: "utf8",
    env: { ...process.env, NIX_CONFIG: "experimental-features = nix-command flakes\nsubstituters =\n" },
  });
  return { ok: r.status === 0, stderr: r.stderr, ...(r.status === 0 ? { value: JSON.parse(r.stdout) as unknown } : {}) };
}

const SYSTEMS = ["x86_64-linux", "aarch64-linux", "x86_64-darwin", "aarch64-darwin"];
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
    const mac = nixEval(`(import ${select} { }).select "x86_64-darwin" [ "gogcli" ]`);
    expect(mac.ok).toBe(false);
    expect(mac.stderr).toMatch(/`gogcli` has no release for x86_64-darwin/);
    const unknown = nixEval(`(import ${select} { }).select "x86_64-linux" [ "nope" ]`);
    expect(unknown.stderr).toMatch(/unknown tool `nope`/);
  });
});

const t1 = t1Sources();
announceSkip("tool selection and package.nix at T1 (nixpkgs lib)", t1.libSkip);

/** nixpkgs' lib plus stand-ins for the builders that need `pkgs` (nothing can be built here). */
const stubs = (lib: string, system = "x86_64-linux") => `
  lib = import ${nixStr(join(lib, "lib"))};
  stdenv = {
    hostPlatform = {
      inherit system; isLinux = lib.hasSuffix "linux" system; isDarwin = lib.hasSuffix "darwin" system; isMusl = false;
      node = { platform = if lib.hasSuffix "linux" system then "linux" else "darwin"; arch = if lib.hasPrefix "x86_64" system then "x64" else "arm64"; };
    };
    cc = { libc = "/stub/libc"; cc.lib = "/stub/libstdc++"; };
    mkDerivation = fn: let attrs = (if builtins.isFunction fn then fn (attrs // { finalPackage = { outPath = "/stub/final"; }; }) else fn); in attrs // { type = "derivation"; outPath = "/stub/" + (attrs.pname or "drv"); override = a: a; };
  };
  system = ${nixStr(system)};
  fetchurl = args: args;
  unzip = "/stub/unzip";
  autoPatchelfHook = "/stub/autopatchelf";
  makeWrapper = "/stub/makewrapper";
  runCommand = name: env: script: { inherit name script; };
  nodejs_22 = { type = "derivation"; outPath = "/stub/nodejs-22"; name = "nodejs-22"; meta.mainProgram = "node"; };
  importNpmLock = {
    __functor = self: args: {
      npmDepsOf = toString args.npmRoot;
      unfetched = builtins.filter (p: p != "" && !(args.packageLock.packages.\${p} ? resolved)) (builtins.attrNames args.packageLock.packages);
    };
    npmConfigHook = "/stub/npm-config-hook";
  };
`;

describe.skipIf(t1.libSkip)("T1: nix/tools/default.nix and nix/package.nix with nixpkgs' lib", () => {
  const lib = t1.nixpkgsLib!;
  const tools = (system: string) => `let ${stubs(lib, system)} tools = import ${nixStr(join(REPO, "nix/tools/default.nix"))} { inherit lib stdenv fetchurl unzip autoPatchelfHook; clawdbot-gateway = { override = a: a; }; }; in`;

  it("makes one derivation per tool and a bundle from a chosen list", () => {
    const r = nixEval(`${tools("aarch64-linux")} { gog = { inherit (tools.gogcli) pname version; url = tools.gogcli.src.url; bin = tools.gogcli.meta.mainProgram; platforms = tools.gogcli.meta.platforms; }; bundle = map (t: t.pname) (tools.bundle [ "gogcli" "goplaces" ]).tools; default = tools.defaultTools; }`);
    expect(r.ok, r.stderr).toBe(true);
    expect(r.value).toEqual({
      gog: {
        pname: "gogcli",
        version: "0.37.0",
        url: (lock.tools.gogcli?.sources["aarch64-linux"] as { url: string }).url,
        bin: "gog",
        platforms: ["x86_64-linux", "aarch64-linux", "aarch64-darwin"],
      },
      bundle: ["gogcli", "goplaces"],
      default: ["gogcli", "goplaces"],
    });
  });

  it("rejects a tool with no release for the system at evaluation, naming tool and system", () => {
    const bundle = nixEval(`${tools("x86_64-linux")} map (t: t.pname) (tools.bundle [ "goplaces" "imsg" ]).tools`);
    expect(bundle.ok).toBe(false);
    expect(bundle.stderr).toMatch(/`imsg` has no release for x86_64-linux/);
    const direct = nixEval(`${tools("aarch64-darwin")} tools.wacli.version`);
    expect(direct.ok).toBe(false);
    expect(direct.stderr).toMatch(/`wacli` has no release for aarch64-darwin/);
  });

  const pkgExpr = (extra: string) =>
    `let ${stubs(lib)} drv = import ${nixStr(join(REPO, "nix/package.nix"))} ({ inherit lib stdenv nodejs_22 importNpmLock autoPatchelfHook makeWrapper runCommand; } // ${extra}); in`;

  it("package.nix: version, importNpmLock on the committed lock, the shared flags, the wrapper environment", () => {
    const spec = JSON.parse(readFileSync(join(REPO, "nix/gateway/build.json"), "utf8")) as { npmInstallFlags: string[]; npmRebuildFlags: string[] };
    // --read-write-mode: the filtered source really goes into the store, so its content can be listed.
    const r = nixEvalRw(
      `${pkgExpr(`{ tools = [ { outPath = "/stub/gog"; } ]; }`)} { inherit (drv) pname version npmRoot npmInstallFlags npmRebuildFlags installPhase preFixup; deps = drv.npmDeps.npmDepsOf; unfetched = drv.npmDeps.unfetched; srcFiles = builtins.attrNames (builtins.readDir "\${drv.src}/nix"); smoke = drv.passthru.tests.smoke.script; mainProgram = drv.meta.mainProgram; }`,
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
    expect(install).toContain("--prefix PATH : /stub/gog/bin");
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
    pathOf = drv: builtins.head (builtins.match ".*--prefix PATH : ([^ ]*).*" drv.installPhase);
  in`;

  it("packages.nix holds only derivations; the bundle carries the default tools; overlay and legacyPackages agree", () => {
    const linux = nixEval(
      `${pkgsExpr("x86_64-linux")} { names = builtins.attrNames packages; allDrv = builtins.all (n: (packages.\${n}.type or "") == "derivation") (builtins.attrNames packages); path = pathOf packages.clawdbot; overlayPath = pathOf pkgsWithOverlay.clawdbot; overlayGateway = pkgsWithOverlay.clawdbot-gateway.pname; picked = pathOf (legacy.clawdbotTools.bundle [ "sag" ]); }`,
    );
    expect(linux.ok, linux.stderr).toBe(true);
    expect(linux.value).toEqual({
      names: ["clawdbot", "clawdbot-gateway", ...["camsnap", "discrawl", "gogcli", "goplaces", "sag", "sonoscli", "wacrawl"].map((t) => `clawdbot-tool-${t}`), "default"].sort(),
      allDrv: true,
      path: "/stub/gogcli/bin:/stub/goplaces/bin",
      overlayPath: "/stub/gogcli/bin:/stub/goplaces/bin",
      overlayGateway: "clawdbot-gateway",
      picked: "/stub/sag/bin",
    });
    const mac = nixEval(`${pkgsExpr("x86_64-darwin")} { names = builtins.attrNames packages; path = pathOf packages.clawdbot; }`);
    expect(mac.ok, mac.stderr).toBe(true);
    expect(mac.value).toEqual({ names: ["clawdbot", "clawdbot-gateway", "clawdbot-tool-goplaces", "default"], path: "/stub/goplaces/bin" });
    const refused = nixEval(`${pkgsExpr("x86_64-darwin")} pathOf (pkgsWithOverlay.clawdbotTools.bundle [ "goplaces" "gogcli" ])`);
    expect(refused.ok).toBe(false);
    expect(refused.stderr).toMatch(/`gogcli` has no release for x86_64-darwin/);
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
    expect(w.sources["x86_64-darwin"]).toEqual({ none: "no pinned release for this system" });
    // Other tools untouched.
    expect(next.tools.gogcli).toEqual(lock.tools.gogcli);

    // The refreshed lock drives the selection: wacli now resolves on Linux, still errors on x86_64-darwin.
    if (!hasNix()) return;
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
