// T0: every template of the flake's `templates` output is instantiated with `nix flake init -t` (Nix 2.8,
// offline: the output is plain data and must not force the nixpkgs / home-manager inputs), every file of it
// parses, its placeholders are exactly the ones its README lists (and in the files the README names), its
// inputs share one nixpkgs through `follows`, and the container template's compose file and fly.toml agree
// with the image's configuration (port, volumes, image name).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { announceSkip, hasNix, nixEval, nixParse, nixStr, REPO } from "../support/nix.js";
import {
  FLAKE_URL,
  flakeCopy,
  flakeInit,
  listTree,
  parseWithPython,
  placeholdersListed,
  placeholdersUsed,
  pythonParsers,
  TEMPLATE_NAMES,
} from "./support.js";

const nixMissing = hasNix() ? undefined : "nix is not installed (apt-get install nix-bin)";
announceSkip("template init tests", nixMissing);
const parsers = pythonParsers();
announceSkip("docker-compose.yml YAML parse", parsers.yaml && `python3 has no PyYAML (${parsers.yaml}; apt-get install python3-yaml)`);
announceSkip("fly.toml TOML parse", parsers.toml && `python3 has no tomllib (${parsers.toml}; Python >= 3.11 needed)`);

describe.skipIf(nixMissing)("flake templates (T0)", () => {
  let flake: ReturnType<typeof flakeCopy>;
  const inits = new Map<string, ReturnType<typeof flakeInit>>();

  beforeAll(() => {
    flake = flakeCopy();
  });
  afterAll(() => {
    for (const r of inits.values()) r.cleanup();
    flake?.cleanup();
  });

  const init = (name: string) => {
    if (!inits.has(name)) inits.set(name, flakeInit(flake.dir, name));
    return inits.get(name)!;
  };

  it("exports exactly the four templates and a default (= agent-first), each described", () => {
    const r = nixEval(
      `let t = import ${nixStr(`${REPO}/templates`)}; in builtins.mapAttrs (n: v: { description = v.description; welcome = v ? welcomeText; path = baseNameOf (toString v.path); }) t`,
    );
    expect(r.ok, r.stderr).toBe(true);
    const value = r.value as Record<string, { description: string; welcome: boolean; path: string }>;
    expect(Object.keys(value).sort()).toEqual(["default", ...TEMPLATE_NAMES].sort());
    expect(value.default!.path).toBe("agent-first");
    for (const name of TEMPLATE_NAMES) {
      expect(value[name]!.path, name).toBe(name);
      expect(value[name]!.description.length, name).toBeGreaterThan(20);
      expect(value[name]!.welcome, name).toBe(true);
    }
  });

  it("`nix flake init -t` of the default template writes agent-first", () => {
    const r = init("");
    expect(r.status, r.stderr).toBe(0);
    expect(listTree(r.dir)).toEqual(listTree(join(REPO, "templates/agent-first")));
  });

  describe.each(TEMPLATE_NAMES)("%s", (name) => {
    const source = join(REPO, "templates", name);

    it("`nix flake init -t path:<flake>#name` copies every file, unchanged", () => {
      const r = init(name);
      expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
      const files = listTree(source);
      expect(listTree(r.dir)).toEqual(files);
      for (const f of files) expect(readFileSync(join(r.dir, f), "utf8"), f).toBe(readFileSync(join(source, f), "utf8"));
      expect(files).toContain("flake.nix");
      expect(files).toContain("README.md");
    });

    it("every .nix file parses", () => {
      const r = init(name);
      const nixFiles = listTree(r.dir).filter((f) => f.endsWith(".nix"));
      expect(nixFiles.length).toBeGreaterThan(0);
      for (const f of nixFiles) {
        const p = nixParse(join(r.dir, f));
        expect(p.ok, `${f}: ${p.stderr}`).toBe(true);
      }
    });

    it.skipIf(parsers.yaml)("every YAML file parses", () => {
      const r = init(name);
      for (const f of listTree(r.dir).filter((f) => /\.ya?ml$/.test(f))) expect(parseWithPython("yaml", join(r.dir, f)), f).toBeTruthy();
    });

    it.skipIf(parsers.toml)("every TOML file parses", () => {
      const r = init(name);
      for (const f of listTree(r.dir).filter((f) => f.endsWith(".toml"))) expect(parseWithPython("toml", join(r.dir, f)), f).toBeTruthy();
    });

    it("its placeholders are exactly those the README lists, in the files it names", () => {
      const r = init(name);
      const used = placeholdersUsed(r.dir);
      const listed = placeholdersListed(readFileSync(join(r.dir, "README.md"), "utf8"));
      expect([...listed.keys()].sort()).toEqual([...used.keys()].sort());
      for (const [p, files] of used) expect([...listed.get(p)!].sort(), p).toEqual([...files].sort());
    });

    it("its inputs share one nixpkgs through `follows`; clawdbot is this flake", () => {
      const r = init(name);
      const ev = nixEval(`(import ${nixStr(join(r.dir, "flake.nix"))}).inputs`);
      expect(ev.ok, ev.stderr).toBe(true);
      const inputs = ev.value as Record<string, { url?: string; inputs?: Record<string, { follows?: string }> }>;
      expect(inputs.clawdbot?.url).toBe(FLAKE_URL);
      expect(inputs.nixpkgs?.url).toMatch(/^github:NixOS\/nixpkgs\//);
      expect(inputs.clawdbot?.inputs?.nixpkgs?.follows).toBe("nixpkgs");
      if (inputs["home-manager"]) expect(inputs["home-manager"].inputs?.nixpkgs?.follows).toBe("nixpkgs");
      // This flake has no home-manager input (only its development flake, dev/flake.nix, has one): a
      // `follows` for it would name an input that does not exist.
      expect(Object.keys(inputs.clawdbot?.inputs ?? {})).toEqual(["nixpkgs"]);
    });
  });

  describe("container template agrees with the image, whichever gateway its flake.nix picks", () => {
    // What the template's flake.nix passes to the image for the names compose and fly.toml use.
    const flakeText = readFileSync(join(REPO, "templates/container/flake.nix"), "utf8");
    const override = (key: string): string => {
      const m = new RegExp(`^\\s*${key} = "([^"]+)";$`, "m").exec(flakeText);
      if (!m) throw new Error(`templates/container/flake.nix: no \`${key} = "…";\``);
      return m[1]!;
    };
    const images = () => ["openclaw", "clawdbot"].map((g) => image(g));
    const image = (gateway: string) => {
      const r = nixEval(
        `import ${nixStr(`${REPO}/nix/image/config.nix`)} { gateway = ${nixStr(gateway)}; package = "/P"; node = "/N"; tini = "/T"; shell = "/S"; coreutils = "/C"; caBundle = "/ca"; name = ${nixStr(override("name"))}; stateDir = ${nixStr(override("stateDir"))}; workspaceDir = ${nixStr(override("workspaceDir"))}; }`,
      );
      expect(r.ok, r.stderr).toBe(true);
      return r.value as {
        name: string;
        tag: string;
        port: number;
        home: string;
        stateDir: string;
        workspaceDir: string;
        config: { Volumes: Record<string, unknown> };
      };
    };

    it.skipIf(parsers.yaml)("docker-compose.yml: image name:tag, volumes at the image's state and workspace, container port, the token under both names", () => {
      const compose = parseWithPython("yaml", join(REPO, "templates/container/docker-compose.yml")) as {
        services: Record<string, { image: string; volumes?: string[]; ports?: string[]; environment?: Record<string, string>; entrypoint?: string[] }>;
      };
      const gw = compose.services["gateway"]!;
      for (const img of images()) {
        expect(gw.image).toBe(`${img.name}:${img.tag}`);
        const targets = (gw.volumes ?? []).map((v) => v.replace(/^\$\{[^}]*\}/, "HOST").split(":")[1]);
        expect(targets.sort()).toEqual(Object.keys(img.config.Volumes).sort());
        expect(gw.ports!.map((p) => Number(p.split(":").pop()))).toEqual([img.port]);
      }
      for (const name of ["OPENCLAW_GATEWAY_TOKEN", "CLAWDBOT_GATEWAY_TOKEN"]) {
        expect(gw.environment?.[name], name).toMatch(/^\$\{GATEWAY_TOKEN:\?/);
        expect(compose.services["cli"]!.environment?.[name], name).toMatch(/^\$\{GATEWAY_TOKEN:\?/);
      }
      expect(compose.services["cli"]!.image).toBe(gw.image);
      // `docker compose run --rm cli openclaw health`: the CLI of either gateway from the image's PATH
      expect(compose.services["cli"]!.entrypoint).toEqual(["/usr/bin/env"]);
      const env = readFileSync(join(REPO, "templates/container/gateway.env.example"), "utf8");
      expect(env).toMatch(/^GATEWAY_TOKEN=$/m);
    });

    it.skipIf(parsers.toml)("fly.toml and fly.private.toml: internal_port = the image's port, volume at its home, image tag", () => {
      for (const img of images()) for (const f of ["fly.toml", "fly.private.toml"]) {
        const fly = parseWithPython("toml", join(REPO, "templates/container", f)) as {
          app: string;
          build: { image: string };
          http_service: { internal_port: number; force_https: boolean };
          mounts: { destination: string; source: string };
          vm: { memory: string }[];
        };
        expect(fly.http_service.internal_port, f).toBe(img.port);
        expect(fly.mounts.destination, f).toBe(img.home);
        expect(img.stateDir.startsWith(img.home + "/") && img.workspaceDir.startsWith(img.home + "/")).toBe(true);
        expect(fly.build.image, f).toBe(`registry.fly.io/${fly.app}:${img.tag}`);
        expect(fly.vm[0]!.memory, f).toBe("2048mb");
      }
    });
  });
});
