// T1: nix/package.nix with `gateway = "openclaw"` and nix/openclaw/plugins.nix, evaluated with nixpkgs' real lib
// and stand-in builders (tests/support/nixpkgs-stubs.ts, plus a Node 24 stand-in): what the derivations say
// (version, lock, flags, wrapper, lifecycle check, cache step, smoke test, sources), and their shell snippets
// through shellcheck under stdenv's strict mode, as tests/nix-build does for Clawdbot's.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { announceSkip, nixEval, nixStr, REPO, t1Sources } from "../support/nix.js";
import { stubs } from "../support/nixpkgs-stubs.js";

/** --read-write-mode: the filtered source really goes into the store, so its content can be listed. */
const nixEvalRw = (expression: string) => nixEval(expression, { readWrite: true });

const t1 = t1Sources();
announceSkip("OpenClaw's package.nix and plugins.nix at T1 (nixpkgs lib)", t1.libSkip);
const shellcheck = spawnSync("shellcheck", ["--version"]).status === 0 ? undefined : "shellcheck is not installed";
announceSkip("shellcheck of OpenClaw's derivation snippets", shellcheck ?? t1.libSkip);

const spec = JSON.parse(readFileSync(join(REPO, "nix/openclaw/build.json"), "utf8")) as { npmInstallFlags: string[]; npmRebuildFlags: string[] };
const pin = JSON.parse(readFileSync(join(REPO, "nix/openclaw/package.json"), "utf8")).dependencies.openclaw as string;

describe.skipIf(t1.libSkip)("T1: the OpenClaw gateway and its plugins as Nix derivations", () => {
  const lib = t1.nixpkgsLib!;
  const expr = (system: string, body: string) => `let ${stubs(lib, system)}
      nodejs_24 = { type = "derivation"; outPath = "/stub/nodejs-24"; name = "nodejs-24"; version = "24.22.3"; meta.mainProgram = "node"; };
      pkgs = stubPkgs // { inherit nodejs_24; callPackage = lib.callPackageWith pkgs; };
      drv = pkgs.callPackage ${nixStr(join(REPO, "nix/package.nix"))} { gateway = "openclaw"; };
      plugins = pkgs.callPackage ${nixStr(join(REPO, "nix/openclaw/plugins.nix"))} { openclaw-gateway = drv; };
    in ${body}`;

  it("package.nix (gateway = \"openclaw\"): Node 24, the committed lock, lifecycle scripts run and checked, Nix-mode wrapper, compile cache", () => {
    const r = nixEvalRw(
      expr(
        "x86_64-linux",
        `{ inherit (drv) pname version npmRoot npmInstallFlags npmRebuildFlags installPhase preFixup autoPatchelfIgnoreMissingDeps; hooks = map (h: h.substitutions.nodeGyp) (builtins.filter (h: h ? substitutions.nodeGyp) drv.nativeBuildInputs); deps = drv.npmDeps.npmDepsOf; unfetched = drv.npmDeps.unfetched; srcFiles = builtins.attrNames (builtins.readDir "\${drv.src}/nix/openclaw"); smoke = drv.passthru.tests.smoke.script; mainProgram = drv.meta.mainProgram; }`,
      ),
    );
    expect(r.ok, r.stderr).toBe(true);
    const v = r.value as Record<string, unknown>;
    expect(v.pname).toBe("openclaw-gateway");
    expect(v.version).toBe(pin);
    expect(v.npmRoot).toBe("nix/openclaw");
    expect(v.deps).toBe(join(REPO, "nix/openclaw"));
    // the npm config hook is built for the gateway's Node (importNpmLock.hooks.npmConfigHook.override)
    expect(v.hooks).toEqual(["/stub/nodejs-24/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"]);
    expect(v.npmInstallFlags).toEqual(spec.npmInstallFlags);
    expect(v.npmRebuildFlags).toEqual(spec.npmRebuildFlags);
    expect(v.npmRebuildFlags).not.toContain("--ignore-scripts");
    // other platforms' natives are not fetched; this host's are
    const unfetched = v.unfetched as string[];
    expect(unfetched).toContain("node_modules/@openclaw/fs-safe-darwin-arm64");
    expect(unfetched).not.toContain("node_modules/@openclaw/fs-safe-linux-x64-gnu");
    expect((v.srcFiles as string[]).sort()).toEqual(["build-compile-cache.mjs", "build.json", "compile-cache-seed.mjs", "health-probe.mjs", "package-lock.json", "package.json"]);
    const install = v.installPhase as string;
    expect(install).toContain("node nix/prune.mjs nix/openclaw/node_modules");
    expect(install).toContain('makeWrapper /stub/nodejs-24/bin/node "$out/bin/openclaw"');
    expect(install).toContain("--set-default OPENCLAW_NIX_MODE 1");
    expect(install).not.toMatch(/CLAWDBOT_/);
    expect(install).toContain('if [ -e "$out/lib/openclaw/node_modules/openclaw/.openclaw-lifecycle-pending" ]');
    expect(install).toContain('--add-flags "--import $out/share/openclaw/compile-cache-seed.mjs $out/lib/openclaw/node_modules/openclaw/openclaw.mjs"');
    for (const f of ["health-probe.mjs", "compile-cache-seed.mjs", "openclaw.schema.json", "options.md"]) expect(install).toContain(`"$out/share/openclaw/${f}"`);
    expect(v.preFixup).toContain('nix/openclaw/build-compile-cache.mjs" "$out" "$out/share/openclaw/compile-cache"');
    expect(v.autoPatchelfIgnoreMissingDeps).toContain("libX11.so.6");
    expect(v.smoke).toContain("/readyz");
    expect(v.smoke).toContain("openclaw --version");
    expect(v.mainProgram).toBe("openclaw");
  });

  it("the gateway is always named (no default); an unknown gateway is an evaluation error naming the known ones", () => {
    const r = nixEval(expr("x86_64-linux", `(pkgs.callPackage ${nixStr(join(REPO, "nix/package.nix"))} { gateway = "clawdbot"; }).pname`));
    expect(r.value).toBe("clawdbot-gateway");
    const missing = nixEval(expr("x86_64-linux", `(pkgs.callPackage ${nixStr(join(REPO, "nix/package.nix"))} { }).pname`));
    expect(missing.ok).toBe(false);
    expect(missing.stderr).toContain('the `gateway` argument is required: callPackage ./nix/package.nix { gateway = "openclaw"; } (one of ["clawdbot","openclaw"])');
    const bad = nixEval(expr("x86_64-linux", `(pkgs.callPackage ${nixStr(join(REPO, "nix/package.nix"))} { gateway = "openclawd"; }).pname`));
    expect(bad.ok).toBe(false);
    expect(bad.stderr).toMatch(/unknown gateway "openclawd" \(\["clawdbot","openclaw"\]\)/);
  });

  it("plugins.nix: each plugin at its catalog version, its store folder, its channels; select/settingsFor; unknown ids refused", () => {
    const r = nixEval(
      expr(
        "x86_64-linux",
        `{ inherit (plugins) ids channelPlugin; discord = { inherit (plugins.discord) id package version channels path; }; settings = plugins.settingsFor [ "discord" "whatsapp" ]; unfetched = plugins.tree.npmDeps.unfetched; flags = plugins.tree.npmRebuildFlags; pname = plugins.tree.pname; }`,
      ),
    );
    expect(r.ok, r.stderr).toBe(true);
    const v = r.value as Record<string, any>;
    // every plugin the generated catalog packaged (nix/openclaw/plugins/catalog.json), in id order
    const catalog = JSON.parse(readFileSync(join(REPO, "nix/openclaw/plugins/catalog.json"), "utf8")) as { plugins: { id: string; version: string | null }[] };
    expect(v.ids).toEqual(catalog.plugins.filter((p) => p.version !== null).map((p) => p.id));
    expect(v.ids.length).toBeGreaterThan(5);
    expect(v.discord).toEqual({
      id: "discord",
      package: "@openclaw/discord",
      version: pin,
      channels: ["discord"],
      path: "/stub/openclaw-plugins/lib/openclaw-plugins/node_modules/@openclaw/discord",
    });
    expect(v.channelPlugin.whatsapp).toBe("whatsapp");
    expect(v.settings).toEqual({
      plugins: {
        load: { paths: ["/stub/openclaw-plugins/lib/openclaw-plugins/node_modules/@openclaw/discord", "/stub/openclaw-plugins/lib/openclaw-plugins/node_modules/@openclaw/whatsapp"] },
        entries: { discord: { enabled: true }, whatsapp: { enabled: true } },
      },
    });
    expect(v.flags).toEqual(["--ignore-scripts"]);
    expect(v.unfetched).toContain("node_modules/@img/sharp-darwin-arm64");
    const unknown = nixEval(expr("x86_64-linux", `builtins.deepSeq (plugins.select [ "telegramm" ]) true`));
    expect(unknown.ok).toBe(false);
    expect(unknown.stderr).toMatch(/plugin `telegramm` is not packaged .*has: buzz, clickclack, discord,/);
    const skew = nixEval(expr("x86_64-linux", `(pkgs.callPackage ${nixStr(join(REPO, "nix/openclaw/plugins.nix"))} { openclaw-gateway = { version = "2026.1.1"; }; }).ids`));
    expect(skew.ok).toBe(false);
    expect(skew.stderr).toMatch(/the plugins were chosen for gateway .*, the gateway is 2026\.1\.1/);
  });

  const dir = mkdtempSync(join(tmpdir(), "openclaw-shellcheck-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it.skipIf(!!shellcheck)("every shell snippet of both derivations passes shellcheck under stdenv's strict mode", () => {
    for (const system of ["x86_64-linux", "aarch64-darwin"]) {
      const r = nixEval(
        expr(
          system,
          `let shellOf = d: lib.filterAttrs (n: v: builtins.isString v && builtins.match "[A-Za-z0-9_]+Phase|(pre|post)[A-Z][A-Za-z0-9_]*|script" n != null) d; in { gateway = shellOf drv; smoke = { inherit (drv.passthru.tests.smoke) script; }; plugins = shellOf plugins.tree; }`,
        ),
      );
      expect(r.ok, r.stderr).toBe(true);
      for (const [where, attrs] of Object.entries(r.value as Record<string, Record<string, string>>)) {
        for (const [name, text] of Object.entries(attrs)) {
          const file = join(dir, `${system}-${where}-${name}.sh`);
          writeFileSync(file, `#!/usr/bin/env bash\nset -eu -o pipefail\nout=/out src=/src TMPDIR=/tmp\nexport out src TMPDIR\npostFixupHooks=()\n${text}\n: "\${postFixupHooks[@]}"\n`);
          const lint = spawnSync("shellcheck", ["--shell", "bash", "--severity", "style", "--format", "gcc", "-e", "SC2034", file], { encoding: "utf8" });
          expect(lint.stdout.trim(), `${where} ${name} (${system})`).toBe("");
        }
      }
    }
  });
});
