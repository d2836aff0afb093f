// What only a real build would run, linted here (issue 10, "catch this class here"):
//
// - shellcheck on every shell snippet of every derivation of the flake (T1: the phases, hooks, runCommand
//   scripts and image scripts as Nix hands them to bash, extracted by tests/nix-build/snippets.ts), with
//   the shell options stdenv runs them under (`set -eu -o pipefail`): a `! cmd` that `set -e` ignores
//   (SC2251), an unquoted path, an unused variable fail here instead of on a user's machine (or never);
// - shellcheck on the standalone scripts a build, a unit or the set-up runs (T0);
// - no build step reads a file that a nixpkgs hook owns: the npm config hook moves the committed
//   package.json / package-lock.json to `.package.json.orig` / `.package-lock.json.orig` and puts its own
//   (store-path) versions in their place, and when it restores them differs between nixpkgs versions; a
//   phase takes the committed files from `$src` only.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { announceSkip, REPO, t1Sources } from "../support/nix.js";
import { allSnippets, type Snippet } from "./snippets.js";

const shellcheck =
  spawnSync("shellcheck", ["--version"], { encoding: "utf8" }).status === 0 ? undefined : "shellcheck is not installed (apt-get install shellcheck; scripts/setup-debian.sh)";
announceSkip("shellcheck of the derivations' shell and the standalone scripts", shellcheck);
const t1 = t1Sources();
announceSkip("the derivations' shell snippets (T1: evaluated with nixpkgs' lib)", t1.libSkip);

const SYSTEMS = ["x86_64-linux", "aarch64-linux", "aarch64-darwin"];
const dir = mkdtempSync(join(tmpdir(), "clawdbot-shellcheck-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** shellcheck's report on a file (empty when clean), every severity. */
function lint(file: string, shell: "bash" | "sh"): string {
  const r = spawnSync("shellcheck", ["--shell", shell, "--severity", "style", "--format", "gcc", file], { encoding: "utf8" });
  if (r.status !== 0 && r.stdout === "") throw new Error(`shellcheck failed on ${file}: ${r.stderr}`);
  return r.stdout.trim();
}

// What stdenv's setup.sh gives every phase: strict mode, and the variables and hook arrays it defines.
const STDENV_PRELUDE = [
  "#!/usr/bin/env bash",
  "set -eu -o pipefail",
  "declare -x out src TMPDIR NIX_BUILD_TOP textPath",
  "declare -ax postFixupHooks=()",
  "",
].join("\n");

/** The snippet as bash runs it; a script with its own `#!…/sh` line (the image's start script) as is. */
function asFile(s: Snippet, index: number): { file: string; shell: "bash" | "sh" } {
  const file = join(dir, `snippet-${index}.sh`);
  const ownShebang = /^#!\S*\/sh\b/.exec(s.text);
  writeFileSync(file, ownShebang ? s.text : `${STDENV_PRELUDE}# ${s.where}\n${s.text}\n`);
  return { file, shell: ownShebang ? "sh" : "bash" };
}

describe.skipIf(!!shellcheck)("standalone scripts pass shellcheck (T0)", () => {
  // the shell each is run by: its shebang, or how the flake runs it
  const scripts: [string, "bash" | "sh"][] = [
    ["cli/build.sh", "sh"], // cli/package.nix: `sh cli/build.sh …`
    ["modules/launcher/clawdbot-launch.sh", "sh"], // every unit: `sh <launcher>` (POSIX sh)
    ["modules/lib/backup.sh", "sh"], // OpenClaw's units: ExecStartPre=`sh <backup script>` (POSIX sh)
    ["modules/lib/watchdog.sh", "sh"], // the watchdog's oneshot: ExecStart=`sh <watchdog script>` (POSIX sh)
    ["scripts/setup-debian.sh", "bash"],
    [".ci/run", "bash"],
  ];
  it.each(scripts)("%s", (path, shell) => {
    expect(lint(join(REPO, path), shell)).toBe("");
  });
});

describe.skipIf(!!shellcheck || !t1.nixpkgsLib)("every shell snippet of every derivation (T1)", () => {
  let snippets: Snippet[] | undefined;
  const load = () => (snippets ??= allSnippets(t1.nixpkgsLib!, SYSTEMS));

  it("finds the phases of the gateway, the CLI, each tool, the bundle, the smoke test and the image", () => {
    const where = load().map((s) => s.where);
    for (const expected of [
      "nix/package.nix clawdbot-gateway installPhase",
      "nix/package.nix clawdbot-gateway preFixup",
      "nix/package.nix passthru.tests.smoke script",
      "nix/tools bundle script",
      "nix/tools gogcli installPhase",
      "nix/tools imsg installPhase", // aarch64-darwin only
      "cli/package.nix clawdbot-nix buildPhase",
      "cli/package.nix clawdbot-nix installPhase",
      "cli/package.nix clawdbot-nix installCheckPhase",
      "nix/image image root",
      "nix/image image fakeRootCommands",
      "nix/image image startScript",
      "nix/image image (startAsRoot) startScript",
    ]) {
      expect(where.some((w) => w.startsWith(`${expected} (`)), expected).toBe(true);
    }
  });

  it("each passes shellcheck under stdenv's strict mode", () => {
    const reports = load()
      .map((s, i) => {
        const { file, shell } = asFile(s, i);
        const report = lint(file, shell);
        return report ? `${s.where}:\n${report}` : "";
      })
      .filter(Boolean);
    expect(reports.join("\n\n")).toBe("");
  });

  it("the lint catches what it stands for: a bare `! grep` leak check under set -e (the old cli/package.nix)", () => {
    const { file, shell } = asFile({ where: "mutant", text: "runHook preInstallCheck\n! grep -r 0123456789abcdef nix\nrunHook postInstallCheck" }, 9999);
    expect(lint(file, shell)).toMatch(/SC2251/);
  });

  // The npm config hook's own files (nixpkgs pkgs/build-support/node/{import-npm-lock,build-npm-package}/
  // hooks/npm-config-hook.sh): its saved originals, and the package.json / lock it rewrites in npmRoot.
  const HOOK_OWNED = [/\.orig\b/, /(^|[\s"'=])(\.\/)?(nix\/gateway\/)?package(-lock)?\.json\b/m];

  it("no build step reads a file that a nixpkgs hook owns: the committed package.json and lock come from $src", () => {
    const offenders = load()
      .filter((s) => !/startScript|fakeRootCommands/.test(s.where))
      .flatMap((s) =>
        s.text
          .split("\n")
          .filter((line) => !/^\s*#/.test(line) && HOOK_OWNED.some((re) => re.test(line)))
          .map((line) => `${s.where}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
    const install = load().find((s) => s.where.startsWith("nix/package.nix clawdbot-gateway installPhase"))!.text;
    expect(install).toContain('cp "$src/nix/gateway/package.json"');
    expect(install).toContain('cp "$src/nix/gateway/package-lock.json"');
    // and the rule sees the old install phase's copy of the hook's private file
    expect(HOOK_OWNED.some((re) => re.test('cp nix/gateway/.package.json.orig "$out/lib/clawdbot/package.json"'))).toBe(true);
  });
});
