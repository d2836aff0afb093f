// Helpers of the template tests: the flake's template list, a `nix flake init` into a temp dir, the
// placeholder scan and the README's placeholder table.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { REPO } from "../support/nix.js";

export const TEMPLATE_NAMES = ["agent-first", "nixos-server", "linux-user", "container"] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** The flake URL every template's `clawdbot` input points at (one constant: change it here and in the templates). */
export const FLAKE_URL = "github:clawdbot/clawdbot-nix";

/** The placeholder syntax of the templates: REPLACE_ME_ followed by upper-case letters, digits, underscores. */
export const PLACEHOLDER = /REPLACE_ME_[A-Z0-9_]+/g;

export const NIX_ENV = {
  ...process.env,
  NIX_CONFIG: "experimental-features = nix-command flakes\nsubstituters =\n",
};

/** Every file under dir, relative, sorted. */
export function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * A copy of the parts of the repository the `templates` output reads (flake.nix, flake.lock, templates/),
 * so that `nix flake init -t path:COPY#name` sees the working tree (a git+file URL would only see committed
 * files) without copying node_modules and .cache into the store.
 */
export function flakeCopy(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "clawdbot-flake-"));
  for (const f of ["flake.nix", "flake.lock"]) cpSync(join(REPO, f), join(dir, f));
  cpSync(join(REPO, "templates"), join(dir, "templates"), { recursive: true });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface InitResult {
  status: number | null;
  stdout: string;
  stderr: string;
  dir: string;
  cleanup(): void;
}

/** `nix flake init -t path:FLAKE#NAME` in a fresh temp dir (bounded: 60 s). */
export function flakeInit(flakeDir: string, name: string): InitResult {
  const dir = mkdtempSync(join(tmpdir(), `clawdbot-init-${name || "default"}-`));
  mkdirSync(dir, { recursive: true });
  // name "" = the flake's templates.default.
  const ref = name === "" ? `path:${flakeDir}` : `path:${flakeDir}#${name}`;
  const r = spawnSync("nix", ["flake", "init", "-t", ref], {
    cwd: dir,
    env: NIX_ENV,
    encoding: "utf8",
    timeout: 60_000,
  });
  return {
    status: r.status,
    stdout: r.stdout ?? "",
    stderr: r.stderr ?? "",
    dir,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Placeholders used in the template's files (README excluded), each with the files that use it. */
export function placeholdersUsed(dir: string): Map<string, Set<string>> {
  const used = new Map<string, Set<string>>();
  for (const file of listTree(dir)) {
    if (file === "README.md") continue;
    for (const m of readFileSync(join(dir, file), "utf8").matchAll(PLACEHOLDER)) {
      if (!used.has(m[0])) used.set(m[0], new Set());
      used.get(m[0])!.add(file);
    }
  }
  return used;
}

/**
 * The README's "## Placeholders" table: | `REPLACE_ME_X` | file, file | meaning |. Returns each
 * placeholder with the files its row names.
 */
export function placeholdersListed(readme: string): Map<string, Set<string>> {
  const section = /^## Placeholders\s*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme);
  if (!section) throw new Error("README.md has no '## Placeholders' section");
  const listed = new Map<string, Set<string>>();
  for (const line of section[1]!.split("\n")) {
    const row = /^\|\s*`(REPLACE_ME_[A-Z0-9_]+)`\s*\|([^|]*)\|/.exec(line);
    if (!row) continue;
    listed.set(
      row[1]!,
      new Set(
        row[2]!
          .split(",")
          .map((f) => f.trim())
          .filter(Boolean),
      ),
    );
  }
  return listed;
}

/** The ```nix blocks of a Markdown text whose first line starts with `firstLine` (e.g. "# secrets.nix with sops-nix"). */
export function nixBlocks(markdown: string, firstLine: string): string[] {
  return [...markdown.matchAll(/^```nix\n([\s\S]*?)^```$/gm)].map((m) => m[1]!).filter((b) => b.startsWith(firstLine));
}

/** Replace every placeholder in a text with the given values (throws on a placeholder without a value). */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (p) => {
    const v: string | undefined = values[p];
    if (v === undefined) throw new Error(`no value for ${p}`);
    return v;
  });
}

/** Values the T1 tests fill in (also what a user would write). */
export const FILL = {
  REPLACE_ME_SYSTEM: "x86_64-linux",
  REPLACE_ME_USERNAME: "alice",
  REPLACE_ME_TELEGRAM_USER_ID: "123456789",
  REPLACE_ME_HOSTNAME: "clawdbot-vps",
  REPLACE_ME_SSH_PUBLIC_KEY: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleExampleExampleExampleExampleExample alice@laptop",
  REPLACE_ME_BOOT_DISK: "/dev/sda",
  REPLACE_ME_DISCORD_GUILD_ID: "123456789012345678",
  REPLACE_ME_FLY_APP: "alice-clawdbot",
  REPLACE_ME_STATE_VERSION: "25.05",
} as const satisfies Record<string, string>;

/** Python with PyYAML (docker-compose.yml) and tomllib (fly.toml), or why not. */
export function pythonParsers(): { yaml?: string; toml?: string } {
  const probe = (code: string): string | undefined => {
    const r = spawnSync("python3", ["-c", code], { encoding: "utf8" });
    return r.status === 0 ? undefined : (r.stderr || r.error?.message || "python3 failed").trim().split("\n").pop();
  };
  return { yaml: probe("import yaml"), toml: probe("import tomllib") };
}

/** Parse a YAML or TOML file to JSON with python3 (PyYAML / tomllib). */
export function parseWithPython(kind: "yaml" | "toml", file: string): unknown {
  const code =
    kind === "yaml"
      ? "import json,sys,yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))"
      : "import json,sys,tomllib; print(json.dumps(tomllib.load(open(sys.argv[1],'rb'))))";
  const r = spawnSync("python3", ["-c", code, file], { encoding: "utf8", timeout: 30_000 });
  if (r.status !== 0) throw new Error(`${kind} parse of ${file} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}
