// The committed gateway lock and the prune script (fast: no install, no gateway start).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { announceSkip, hasNix, nixEval, REPO } from "../support/nix.js";
import { keepLlamaBuild as keep, planGroups, planPrune as plan, readGroups } from "../../nix/prune.mjs";

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  optional?: boolean;
}

const pkg = JSON.parse(readFileSync(join(REPO, "nix/gateway/package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  overrides: Record<string, string>;
};
const lock = JSON.parse(readFileSync(join(REPO, "nix/gateway/package-lock.json"), "utf8")) as {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
};

describe("nix/gateway lock", () => {
  it("pins clawdbot 2026.1.24-3 exactly, with libsignal from npm", () => {
    expect(pkg.dependencies).toEqual({ clawdbot: "2026.1.24-3" });
    expect(pkg.overrides).toEqual({ libsignal: "npm:libsignal@6.0.0" });
    expect(lock.lockfileVersion).toBe(3);
    expect(lock.packages["node_modules/clawdbot"]?.version).toBe("2026.1.24-3");
    expect(lock.packages["node_modules/libsignal"]?.resolved).toBe("https://registry.npmjs.org/libsignal/-/libsignal-6.0.0.tgz");
  });

  it("gives every package its registry tarball and an integrity hash (importNpmLock fetches each by it)", () => {
    const entries = Object.entries(lock.packages).filter(([path]) => path !== "");
    expect(entries.length).toBeGreaterThan(500);
    const bad = entries.filter(
      ([, e]) =>
        !e.resolved?.startsWith("https://registry.npmjs.org/") ||
        !/^sha(512|384|256|1)-[A-Za-z0-9+/]+=*$/.test(e.integrity ?? "") ||
        e.link === true,
    );
    expect(bad.map(([p]) => p)).toEqual([]);
    const git = entries.filter(([, e]) => /^(git|github:|git\+)/.test(e.resolved ?? "") || (e.version ?? "").includes("git"));
    expect(git.map(([p]) => p)).toEqual([]);
  });

  it("build.json names the flags and files the Nix build and the preparation share", () => {
    const spec = JSON.parse(readFileSync(join(REPO, "nix/gateway/build.json"), "utf8")) as {
      npmInstallFlags: string[];
      env: { set: Record<string, string>; setDefault: Record<string, string> };
      shareFiles: Record<string, string>;
    };
    expect(spec.npmInstallFlags).toContain("--ignore-scripts");
    expect(spec.npmInstallFlags.some((f) => f.startsWith("--omit"))).toBe(false); // --omit=optional breaks the CLI
    expect(spec.env.set.CLAWDBOT_NO_RESPAWN).toBe("1");
    expect(spec.env.setDefault.CLAWDBOT_NIX_MODE).toBe("1");
    for (const source of Object.values(spec.shareFiles)) expect(existsSync(join(REPO, source)), source).toBe(true);
  });
});

describe("nix/prune.mjs", () => {
  const linux = { platform: "linux", arch: "x64", gpu: false };
  it("keeps only this platform's CPU build of node-llama-cpp unless GPU builds are asked for", () => {
    expect(keep("@node-llama-cpp/linux-x64", linux)).toBe(true);
    expect(keep("@node-llama-cpp/linux-arm64", linux)).toBe(false);
    expect(keep("@node-llama-cpp/linux-armv7l", linux)).toBe(false);
    expect(keep("@node-llama-cpp/linux-x64-cuda", linux)).toBe(false);
    expect(keep("@node-llama-cpp/linux-x64-cuda-ext", linux)).toBe(false);
    expect(keep("@node-llama-cpp/linux-x64-vulkan", linux)).toBe(false);
    expect(keep("@node-llama-cpp/linux-x64-cuda", { ...linux, gpu: true })).toBe(true);
    expect(keep("@node-llama-cpp/win-x64-cuda", { ...linux, gpu: true })).toBe(false);
    expect(keep("@node-llama-cpp/mac-arm64-metal", { platform: "darwin", arch: "arm64", gpu: false })).toBe(true);
    expect(keep("@node-llama-cpp/mac-x64", { platform: "darwin", arch: "arm64", gpu: false })).toBe(false);
    expect(keep("node-llama-cpp", linux)).toBe(true);
  });

  const root = mkdtempSync(join(tmpdir(), "prune-test-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("removes maps, declarations, docs, tests, other platforms — never the clawdbot package's docs or skills", () => {
    const nm = join(root, "node_modules");
    const files: Record<string, string> = {
      "clawdbot/package.json": "{}",
      "clawdbot/docs/guide.md": "x",
      "clawdbot/skills/a/SKILL.md": "x",
      "clawdbot/dist/entry.js.map": "x",
      "dep/package.json": "{}",
      "dep/README.md": "x",
      "dep/LICENSE": "x",
      "dep/index.js": "x",
      "dep/index.js.map": "x",
      "dep/index.d.ts": "x",
      "dep/docs/api.md": "x",
      "dep/test/a.js": "x",
      "dep/lib/__tests__/a.js": "x",
      "dep/lib/doc/code.js": "x",
      "dep/prebuilds/linux-x64/a.node": "x",
      "dep/prebuilds/darwin-x64+arm64/a.node": "x",
      "@node-llama-cpp/linux-x64/package.json": "{}",
      "@node-llama-cpp/linux-arm64/package.json": JSON.stringify({ os: ["linux"], cpu: ["arm64", "x64"] }),
      "@node-llama-cpp/linux-x64-cuda/package.json": "{}",
      "winonly/package.json": JSON.stringify({ os: ["win32"] }),
    };
    for (const [p, content] of Object.entries(files)) {
      mkdirSync(dirname(join(nm, p)), { recursive: true });
      writeFileSync(join(nm, p), content);
    }
    mkdirSync(join(nm, ".bin"));
    symlinkSync("../winonly/cli.js", join(nm, ".bin/winonly"));
    writeFileSync(join(nm, ".package-lock.json"), "{}");
    const removed = plan(nm, linux).map((p) => p.slice(nm.length + 1));
    expect(removed.sort()).toEqual(
      [
        ".package-lock.json",
        "clawdbot/dist/entry.js.map",
        "@node-llama-cpp/linux-arm64",
        "@node-llama-cpp/linux-x64-cuda",
        "dep/README.md",
        "dep/docs",
        "dep/index.d.ts",
        "dep/index.js.map",
        "dep/lib/__tests__",
        "dep/prebuilds/darwin-x64+arm64",
        "dep/test",
        "winonly",
      ].sort(),
    );
    // The script itself (as the build runs it): removes them and the dangling .bin link.
    const r = spawnSync(process.execPath, [join(REPO, "nix/prune.mjs"), nm, "--platform", "linux", "--arch", "x64"], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ removedPaths: removed.length + 1 });
    expect(existsSync(join(nm, ".bin/winonly"))).toBe(false);
    expect(existsSync(join(nm, "clawdbot/docs/guide.md"))).toBe(true);
    expect(existsSync(join(nm, "clawdbot/skills/a/SKILL.md"))).toBe(true);
    expect(existsSync(join(nm, "dep/lib/doc/code.js"))).toBe(true);
    expect(existsSync(join(nm, "dep/LICENSE"))).toBe(true);
    expect(existsSync(join(nm, "@node-llama-cpp/linux-x64/package.json"))).toBe(true);
  });

  it("removes a build.json's prune groups (--spec): patterns, folders only, exceptions, platforms, kept groups", () => {
    const nm = join(root, "groups/node_modules");
    for (const p of [
      "gw/package.json",
      "gw/docs/index.md",
      "gw/docs/docs.json",
      "gw/docs/reference/templates/AGENTS.md",
      "gw/docs/reference/other.md",
      "gw/dist/worker/worker.mjs",
      "gw/dist/worker/big.mjs",
      "gw/dist/worker/local-entry.js",
      "tool/package.json",
      "tool/README.md",
      "tool/lib/cli.js",
      "tool/lib/api.js",
      "tool/lib/de/messages.json",
      "tool/lib/fr/messages.json",
      "@native/drv-linux-x64/package.json",
      "@native/drv-darwin-arm64/package.json",
      "@native/drv/package.json",
    ]) {
      mkdirSync(dirname(join(nm, p)), { recursive: true });
      writeFileSync(join(nm, p), "x");
    }
    const groups = {
      bundle: { why: "w", paths: ["gw/dist/worker/*.mjs"] },
      docs: { why: "w", paths: ["gw/docs"], except: ["gw/docs/reference/templates"] },
      cli: { why: "w", paths: ["tool", "tool/lib/*/", "tool/lib/cli.js"] },
      native: { why: "w", platforms: ["linux"], paths: ["@native/drv-linux-*"] },
      moved: { why: "w", paths: ["gw/dist/gone.mjs"] },
    };
    const rel = (ps: string[]) => ps.map((p) => p.slice(nm.length + 1)).sort();
    const linuxPlan = planGroups(nm, groups, { platform: "linux", keep: ["cli"] });
    expect(rel(linuxPlan.paths)).toEqual(
      ["@native/drv-linux-x64", "gw/dist/worker/big.mjs", "gw/dist/worker/worker.mjs", "gw/docs/docs.json", "gw/docs/index.md", "gw/docs/reference/other.md"].sort(),
    );
    expect(linuxPlan.groups.moved!.unmatched).toEqual(["gw/dist/gone.mjs"]);
    expect(linuxPlan.groups.cli).toMatchObject({ paths: [], kept: true });
    // Not on Linux: the platform group removes nothing; not kept: `tool/lib/*/` matches folders only.
    const darwin = planGroups(nm, { native: groups.native, cli: { why: "w", paths: ["tool/lib/*/"] } }, { platform: "darwin" });
    expect(rel(darwin.paths)).toEqual(["tool/lib/de", "tool/lib/fr"]);
    expect(() => planGroups(nm, groups, { platform: "linux", keep: ["nosuch"] })).toThrow(/no such group/);

    // The script with --spec: one removal per subtree (tool/README.md, a generic removal, goes with tool/),
    // the per-group report; the exception and the local entry stay.
    const spec = join(root, "groups/build.json");
    writeFileSync(spec, JSON.stringify({ prune: { "//": "c", groups: { ...groups, moved: undefined } } }));
    expect(Object.keys(readGroups(spec)).sort()).toEqual(["bundle", "cli", "docs", "native"]);
    const r = spawnSync(process.execPath, [join(REPO, "nix/prune.mjs"), nm, "--platform", "linux", "--arch", "x64", "--spec", spec], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { groups: Record<string, { removedBytes: number; unmatched: string[] }> };
    expect(out.groups.cli).toEqual({ removedBytes: 6, unmatched: [] });
    expect(existsSync(join(nm, "tool"))).toBe(false);
    expect(existsSync(join(nm, "gw/docs/reference/templates/AGENTS.md"))).toBe(true);
    expect(existsSync(join(nm, "gw/docs/index.md"))).toBe(false);
    expect(existsSync(join(nm, "gw/dist/worker/local-entry.js"))).toBe(true);
    expect(existsSync(join(nm, "@native/drv-darwin-arm64"))).toBe(true);
    const bad = spawnSync(process.execPath, [join(REPO, "nix/prune.mjs"), nm, "--spec", spec, "--keep", "nosuch"], { encoding: "utf8" });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/--keep nosuch: no such group \(bundle, docs, cli, native\)/);
  });
});

const nixSkip = hasNix() ? undefined : "nix-instantiate is not installed (apt-get install nix-bin)";
announceSkip("nix/gateway/filter-lock.nix evaluation", nixSkip);

describe.skipIf(nixSkip)("nix/gateway/filter-lock.nix (what importNpmLock is given to fetch)", () => {
  const unfetched = (args: string): string[] => {
    const r = nixEval(
      `let l = import ./nix/gateway/filter-lock.nix ({ lock = builtins.fromJSON (builtins.readFile ./nix/gateway/package-lock.json); } // ${args}); in builtins.filter (p: p != "" && !(l.packages.\${p} ? resolved)) (builtins.attrNames l.packages)`,
    );
    if (!r.ok) throw new Error(r.stderr);
    return r.value as string[];
  };

  it("skips only optional packages npm would not install, and the node-llama-cpp builds prune would delete", () => {
    const linux = unfetched(`{ platform = "linux"; arch = "x64"; libc = "glibc"; }`);
    for (const p of linux) expect(lock.packages[p]?.optional, p).toBe(true);
    expect(linux).toEqual(expect.arrayContaining([
      "node_modules/@node-llama-cpp/linux-arm64",
      "node_modules/@node-llama-cpp/linux-x64-cuda",
      "node_modules/@img/sharp-linuxmusl-x64",
      "node_modules/@img/sharp-darwin-arm64",
    ]));
    for (const kept of ["node_modules/@node-llama-cpp/linux-x64", "node_modules/@img/sharp-linux-x64", "node_modules/@img/sharp-libvips-linux-x64"]) {
      expect(linux).not.toContain(kept);
    }
    const gpu = unfetched(`{ platform = "linux"; arch = "x64"; libc = "glibc"; withGpuEmbeddings = true; }`);
    expect(gpu).not.toContain("node_modules/@node-llama-cpp/linux-x64-cuda-ext");
    expect(gpu).toContain("node_modules/@node-llama-cpp/win-x64-cuda-ext");
    const mac = unfetched(`{ platform = "darwin"; arch = "arm64"; }`);
    expect(mac).not.toContain("node_modules/@node-llama-cpp/mac-arm64-metal");
    expect(mac).not.toContain("node_modules/@img/sharp-darwin-arm64");
    expect(mac).toContain("node_modules/@img/sharp-linux-x64");
    // Unchanged entries keep their exact lock data.
    const r = nixEval(
      `(import ./nix/gateway/filter-lock.nix { lock = builtins.fromJSON (builtins.readFile ./nix/gateway/package-lock.json); platform = "linux"; arch = "x64"; }).packages."node_modules/clawdbot"`,
    );
    expect(r.value).toEqual(lock.packages["node_modules/clawdbot"]);
  });
});

describe.skipIf(nixSkip)("nix/gateway/registry-resolved.nix (a lock written without registry URLs, like the root one)", () => {
  it("gives back exactly the URL npm records: the gateway lock with its `resolved` removed comes back equal", () => {
    const r = nixEval(`
      let
        full = builtins.fromJSON (builtins.readFile ./nix/gateway/package-lock.json);
        stripped = full // { packages = builtins.mapAttrs (_: e: removeAttrs e [ "resolved" ]) full.packages; };
      in (import ./nix/gateway/registry-resolved.nix { lock = stripped; }) == full`);
    expect(r.ok, r.stderr).toBe(true);
    expect(r.value).toBe(true);
  });

  it("leaves no entry of the root lock (the CLI's) without a tarball to fetch", () => {
    const root = JSON.parse(readFileSync(join(REPO, "package-lock.json"), "utf8")) as { packages: Record<string, { resolved?: string; link?: boolean }> };
    const r = nixEval(`
      let l = import ./nix/gateway/registry-resolved.nix { lock = builtins.fromJSON (builtins.readFile ./package-lock.json); };
      in builtins.mapAttrs (_: e: e.resolved or null) l.packages`);
    expect(r.ok, r.stderr).toBe(true);
    const resolved = r.value as Record<string, string | null>;
    for (const [path, entry] of Object.entries(root.packages)) {
      if (path === "" || entry.link) continue;
      expect(resolved[path], path).toMatch(/^https:\/\/registry\.npmjs\.org\/(@[^/]+\/)?[^/]+\/-\/[^/]+\.tgz$/);
    }
    expect(resolved["node_modules/@esbuild/linux-x64"]).toMatch(/^https:\/\/registry\.npmjs\.org\/@esbuild\/linux-x64\/-\/linux-x64-\d+\.\d+\.\d+\.tgz$/);
  });
});
