// koffi's install step runs in OpenClaw's Nix build (its lifecycle scripts run: nix/openclaw/build.json). Its
// script tries the prebuilt binary and falls back to cmake, which the sandbox lacks. Which path runs, per
// system, is read from the committed lock, the installed package and the prebuilt binaries
// (tests/package/fixtures/koffi-prebuilt.json records what was read from the npm packages of the other
// systems): the lock pins the version and each system's prebuilt package by integrity; the script is
// cnoke's --prebuild build, whose first step is `node -e "require(process.argv[1])" <koffi>`; that require
// loads the prebuilt, whose dynamic dependencies the sandbox's node already provides. So the prebuilt path
// runs on every system of the flake. A new koffi (another script, another check, a prebuilt needing more)
// fails here before it fails a user's build.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { prepareGateway, REPO } from "../support/gateway.js";

const fx = JSON.parse(readFileSync(join(REPO, "tests/package/fixtures/koffi-prebuilt.json"), "utf8")) as {
  version: string;
  installScript: string;
  systems: Record<string, { package: string; binary: string; needed: string[]; integrity: string }>;
};
const lock = JSON.parse(readFileSync(join(REPO, "nix/openclaw/package-lock.json"), "utf8")) as {
  packages: Record<string, { version?: string; integrity?: string; hasInstallScript?: boolean; os?: string[]; cpu?: string[]; optional?: boolean }>;
};
const systems = (JSON.parse(readFileSync(join(REPO, "nix/tools/lock.json"), "utf8")) as { systems: string[] }).systems;
// what the sandbox's Nix-built node has loaded itself on Linux (a C++ program) and what macOS's sandbox allows
const PROVIDED = [/^libc\.so\.6$/, /^libm\.so\.6$/, /^libstdc\+\+\.so\.6$/, /^libgcc_s\.so\.1$/, /^ld-linux-[\w-]+\.so\.\d$/, /^\/usr\/lib\/lib[\w.+]+\.dylib$/];

describe("koffi's install step in the Nix build: the prebuilt path on every system (T0)", () => {
  it("the lock pins the recorded koffi with an install script, and each flake system's prebuilt package by the recorded integrity", () => {
    const koffi = lock.packages["node_modules/koffi"]!;
    expect(koffi.version).toBe(fx.version);
    expect(koffi.hasInstallScript).toBe(true);
    expect(Object.keys(fx.systems).sort()).toEqual([...systems].sort());
    for (const [system, s] of Object.entries(fx.systems)) {
      const entry = lock.packages[`node_modules/${s.package}`];
      expect(entry, system).toBeDefined();
      expect(entry!.version, system).toBe(fx.version);
      expect(entry!.integrity, `${system}: the fixture was read from this tarball`).toBe(s.integrity);
      expect(entry!.optional, system).toBe(true);
      // no install script of its own
      expect(entry!.hasInstallScript, system).toBeUndefined();
      for (const lib of s.needed) expect(PROVIDED.some((re) => re.test(lib)), `${system} needs ${lib}`).toBe(true);
    }
  });

  it("the installed koffi's script is cnoke's --prebuild build: require() first, cmake only when that fails", async () => {
    const gw = await prepareGateway("openclaw");
    const dir = join(gw.root, "lib/openclaw/node_modules/koffi");
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    expect(pkg.version).toBe(fx.version);
    expect(pkg.scripts).toEqual({ install: fx.installScript });
    const cnoke = readFileSync(join(dir, "cnoke.cjs"), "utf8");
    // the prebuilt check, the early return, and the fallback behind it
    expect(cnoke).toContain('spawnSync)(process.execPath, ["-e", "require(process.argv[1])", package_dir]);');
    expect(cnoke).toMatch(/if \(prebuild\) \{\s+let valid = await checkPrebuild\(\);\s+if \(valid\) \{\s+return;\s+\} else \{\s+console\.error\("Failed to load prebuilt binary, rebuilding from source"\);/);
    expect(cnoke).toContain('spawnSync)("cmake", ["--version"])');

    // the check as cnoke runs it, with the gateway's Node, on this host's tree: the prebuilt loads
    const check = spawnSync(gw.node, ["-e", "require(process.argv[1])", dir], { encoding: "utf8" });
    expect(check.status, check.stderr).toBe(0);
    // and the whole install script: it returns on the prebuilt, with no cmake on PATH
    const install = spawnSync(gw.node, ["./cnoke.cjs", "-P", ".", "-D", "src/koffi", "--prebuild", "--release"], {
      cwd: dir,
      encoding: "utf8",
      env: { PATH: "/nonexistent", HOME: "/nonexistent" },
    });
    expect(install.status, install.stdout + install.stderr).toBe(0);
    expect(install.stderr).not.toContain("rebuilding from source");
  });

  it.skipIf(process.platform !== "linux" || process.arch !== "x64")("this host's prebuilt (x86_64-linux) needs what the fixture records", async () => {
    const gw = await prepareGateway("openclaw");
    const s = fx.systems["x86_64-linux"]!;
    const elf = join(gw.root, "lib/openclaw/node_modules", s.package, s.binary);
    const r = spawnSync("readelf", ["-d", elf], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const needed = [...r.stdout.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);
    expect(needed).toEqual(s.needed);
  });
});
