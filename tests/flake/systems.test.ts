// One list of systems (issue 10): the flake's systems (nix/systems.nix: its packages, legacyPackages,
// formatter, the gateway's meta.platforms), the tool lock's `systems` and entries, the default tool lists,
// the templates' choices and the README say the same thing. x86_64-darwin is not among them: nixpkgs 26.11
// (and the unstable branch the flake follows) dropped it, so evaluating it is an error there.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { announceSkip, hasNix, nixEval, nixStr, REPO } from "../support/nix.js";

const SYSTEMS = ["x86_64-linux", "aarch64-linux", "aarch64-darwin"];
const ALL_KNOWN = ["x86_64-linux", "aarch64-linux", "x86_64-darwin", "aarch64-darwin"];
const read = (path: string) => readFileSync(join(REPO, path), "utf8");
const nixSkip = hasNix() ? undefined : "nix-instantiate is not installed (apt-get install nix-bin)";
announceSkip("systems: nix/systems.nix and the tool selection", nixSkip);

/** The systems a text names, in the order of ALL_KNOWN. */
const named = (text: string) => ALL_KNOWN.filter((s) => new RegExp(`\\b${s}\\b`).test(text));

describe.skipIf(nixSkip)("one list of systems", () => {
  const systems = () => {
    const r = nixEval(`import ${nixStr(join(REPO, "nix/systems.nix"))}`);
    expect(r.ok, r.stderr).toBe(true);
    return r.value as string[];
  };

  it("nix/systems.nix is the list, and flake.nix takes its systems from it (and nowhere else)", () => {
    expect(systems()).toEqual(SYSTEMS);
    const flake = read("flake.nix");
    expect(flake).toContain("systems = import ./nix/systems.nix;");
    // no system spelled out in flake.nix besides comments
    const code = flake.split("\n").filter((l) => !/^\s*#/.test(l)).join("\n");
    expect(named(code)).toEqual([]);
    expect(read("nix/package.nix")).toContain("platforms = import ./systems.nix;");
  });

  it("the tool lock lists the same systems, every tool has an entry for each and none for another; every system has a default tool list", () => {
    const lock = JSON.parse(read("nix/tools/lock.json")) as { systems: string[]; tools: Record<string, { assets: object; sources: object }> };
    expect(lock.systems).toEqual(systems());
    for (const [name, tool] of Object.entries(lock.tools)) {
      expect(Object.keys(tool.sources).sort(), name).toEqual([...SYSTEMS].sort());
      for (const s of Object.keys(tool.assets)) expect(SYSTEMS, `${name} assets`).toContain(s);
    }
    const r = nixEval(`builtins.attrNames (import ${nixStr(join(REPO, "nix/tools/select.nix"))} { }).defaultTools`);
    expect(r.ok, r.stderr).toBe(true);
    expect(r.value).toEqual([...SYSTEMS].sort());
    expect(read("nix/tools/update.ts")).toMatch(/export type System = "x86_64-linux" \| "aarch64-linux" \| "aarch64-darwin";/);
  });

  it("each template's flake offers only systems of the list; the one that lets you choose offers all of them", () => {
    for (const t of ["agent-first", "container", "linux-user", "nixos-server"]) {
      const flake = read(`templates/${t}/flake.nix`);
      const offered = [...flake.matchAll(/^\s*(?:#.*|system = .*)$/gm)].flatMap((m) => named(m[0]));
      for (const s of offered) expect(SYSTEMS, `templates/${t}/flake.nix offers ${s}`).toContain(s);
    }
    const choice = read("templates/agent-first/flake.nix").split("\n").find((l) => l.includes("aarch64-darwin (Apple silicon)"))!;
    expect(named(choice)).toEqual(SYSTEMS);
    const readme = read("templates/agent-first/README.md").split("\n").find((l) => l.startsWith("| `REPLACE_ME_SYSTEM`"))!;
    expect(named(readme.replace(/nixpkgs dropped `x86_64-darwin`/, ""))).toEqual(SYSTEMS);
  });

  it("the README states the list, and that x86_64-darwin is not served", () => {
    const line = read("README.md").split("\n").find((l) => l.startsWith("Systems: "));
    expect(line, "README.md: a line starting with 'Systems: '").toBeDefined();
    expect(named(line!.split("(")[0]!)).toEqual(SYSTEMS);
    expect(line).toMatch(/not `x86_64-darwin`/);
  });
});
