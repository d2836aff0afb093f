// T1: the contributors' shell, flake.nix `devShells.<system>.default` (dev/shell.nix), evaluated the way
// `nix develop` calls it but with stand-in pkgs (no nixpkgs tree can be fetched here; tests/flake/outputs.test.ts
// does the same for the other outputs). It exists on every system of the flake, is a pkgs.mkShell, brings
// Node 24, and carries every command scripts/setup-debian.sh installs with apt, except the two the service
// tests need from the host (systemd-nspawn, mmdebstrap: root and a real systemd, which a shell cannot give).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { announceSkip, nixEval, nixStr, REPO, t1Sources } from "../support/nix.js";
import { realLib } from "../support/real-lib.js";

const { nixpkgsLib, libSkip } = t1Sources();
announceSkip("the contributors' dev shell (T1)", libSkip);

/** What the shell gives for each Debian package the set-up script installs (the host's: not in the shell). */
const FROM_APT: Record<string, string | "host"> = {
  "nix-bin": "nix",
  "systemd-container": "host",
  mmdebstrap: "host",
  python3: "python3-with-pyyaml",
  "python3-yaml": "python3-with-pyyaml",
  pyflakes3: "pyflakes3",
  shellcheck: "shellcheck",
};

describe.skipIf(!!libSkip)("T1: devShells.<system>.default", () => {
  const shells = () => {
    const r = nixEval(`
      let
        lib = ${nixpkgsLib ? realLib(nixpkgsLib) : "null"};
        flake = import ${nixStr(`${REPO}/flake.nix`)};
        drv = name: { type = "derivation"; outPath = "/nix/store/00000000000000000000000000000000-\${name}"; inherit name; };
        pkgsFor = system: {
          inherit lib;
          stdenv.hostPlatform = lib.systems.elaborate system;
          system = throw "pkgs.system read (deprecated; use stdenv.hostPlatform.system)";
          # pkgs.mkShell: a derivation of its arguments (pkgs/build-support/mkshell/default.nix)
          mkShell = args: drv (args.name or "nix-shell") // { inherit (args) packages; isShell = true; };
          nodejs_24 = drv "nodejs-24" // { version = "24.22.3"; };
          nix = drv "nix";
          git = drv "git";
          shellcheck = drv "shellcheck";
          nixfmt-tree = drv "nixfmt-tree";
          python3Packages.pyflakes = drv "pyflakes";
          python3.withPackages = f: drv "python3-with-\${lib.concatMapStringsSep "-" (p: p.name) (f { pyyaml = drv "pyyaml"; })}";
          writeShellScriptBin = name: text: drv name // { inherit text; };
        };
        nixpkgs = { inherit lib; outPath = ${nixStr(nixpkgsLib ?? "")}; legacyPackages = lib.genAttrs [ "x86_64-linux" "aarch64-linux" "aarch64-darwin" ] pkgsFor; };
        self = flake.outputs { inherit self nixpkgs; } // { outPath = ${nixStr(REPO)}; };
      in builtins.mapAttrs (_: s: { inherit (s.default) isShell; packages = map (p: { inherit (p) name; text = p.text or null; }) s.default.packages; }) self.devShells`);
    expect(r.ok, r.stderr).toBe(true);
    return r.value as Record<string, { isShell: boolean; packages: { name: string; text: string | null }[] }>;
  };

  it("exists on every system of the flake, a mkShell with Node 24", () => {
    const s = shells();
    expect(Object.keys(s).sort()).toEqual(["aarch64-darwin", "aarch64-linux", "x86_64-linux"]);
    for (const [system, shell] of Object.entries(s)) {
      expect(shell.isShell, system).toBe(true);
      expect(shell.packages.map((p) => p.name), system).toContain("nodejs-24");
    }
  });

  it("carries every tool scripts/setup-debian.sh installs (but the host's systemd-nspawn and mmdebstrap); pyflakes3 runs pyflakes", () => {
    const script = readFileSync(`${REPO}/scripts/setup-debian.sh`, "utf8");
    const apt = [...script.matchAll(/need\+=\(([\w-]+)\)/g)].map((m) => m[1]!);
    expect(apt.length).toBeGreaterThan(4);
    const names = shells()["x86_64-linux"]!.packages.map((p) => p.name);
    for (const pkg of apt) {
      expect(FROM_APT, `scripts/setup-debian.sh installs ${pkg}: say what the dev shell gives for it`).toHaveProperty(pkg);
      if (FROM_APT[pkg] !== "host") expect(names, pkg).toContain(FROM_APT[pkg]);
    }
    const wrapper = shells()["x86_64-linux"]!.packages.find((p) => p.name === "pyflakes3")!;
    expect(wrapper.text).toMatch(/^exec \S+-pyflakes\/bin\/pyflakes "\$@"$/);
  });
});
