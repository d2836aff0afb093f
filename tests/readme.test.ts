// The README is the users' document: what it is, install, the three configurations (the module
// configurations the tests evaluate, tests/fixtures/modules/readme-*.nix, evaluated in tests/modules/t1.test.ts,
// shown verbatim), deployments, secrets, the security model, upgrade and rollback, migrating, and the two
// set-up commands, and its OpenClaw section (the example evaluated through the real NixOS module at T1; the
// names, the stop policy, the plugins and the image it states read back from the code). Its security model is checked against the units the modules render (T0: the builtins-only
// renderers), and every relative link of the user documentation resolves.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { announceSkip, hasNix, nixEval, nixStr, REPO, t1Sources } from "./support/nix.js";

const readme = readFileSync(`${REPO}/README.md`, "utf8");
const packageJson = JSON.parse(readFileSync(`${REPO}/package.json`, "utf8"));
const nixMissing = hasNix() ? undefined : "nix-instantiate is not installed (apt-get install nix-bin)";
announceSkip("README security model against the rendered units", nixMissing);

/** The text of a `## ` section of a Markdown text (up to the next `## `). */
const section = (text: string, heading: string): string => {
  const start = text.indexOf(`\n## ${heading}\n`);
  expect(start, `section "## ${heading}"`).toBeGreaterThanOrEqual(0);
  const end = text.indexOf("\n## ", start + 4);
  return text.slice(start, end < 0 ? undefined : end);
};

/** GitHub's anchor of a heading: lower case, punctuation but `-` and `_` dropped, spaces as `-`. */
const slug = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
const anchors = (markdown: string): Set<string> =>
  new Set([...markdown.replace(/^```[\s\S]*?^```$/gm, "").matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));

const USER_DOCS = [
  "README.md",
  "CONTRIBUTING.md",
  "docs/deployments.md",
  "docs/migrating.md",
  "templates/agent-first/README.md",
  "templates/nixos-server/README.md",
  "templates/linux-user/README.md",
  "templates/container/README.md",
];
const GITHUB = "https://github.com/clawdbot/clawdbot-nix";

describe("README", () => {
  it.each(["nixos", "home-manager", "darwin"])("shows the evaluated %s configuration verbatim", (name) => {
    const fixture = readFileSync(`${REPO}/tests/fixtures/modules/readme-${name}.nix`, "utf8").trimEnd();
    expect(readme).toContain("```nix\n" + fixture + "\n```");
  });

  it("is for users: its parts in order, the developers' part last and short", () => {
    const order = ["Install", "Three configurations", "Deployments", "Secrets", "Security model", "Upgrade and rollback", "Migrating from npm, Docker or Fly.io", "Developing"];
    const at = order.map((h) => readme.indexOf(`\n## ${h}\n`));
    for (const [i, h] of order.entries()) expect(at[i], `## ${h}`).toBeGreaterThan(0);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(section(readme, "Developing").split("\n").length).toBeLessThan(25);
    expect(section(readme, "Developing")).toContain("](CONTRIBUTING.md)");
  });

  it("names npm scripts that exist", () => {
    for (const [, script] of readme.matchAll(/npm run ([\w-]+)/g)) expect(Object.keys(packageJson.scripts)).toContain(script);
  });

  it("its two set-up commands are visible (in a code block of its Developing section) and use files that exist", () => {
    const dev = section(readme, "Developing");
    for (const cmd of ["bash scripts/setup-debian.sh && npm run generate", "bash scripts/setup-debian.sh && npm test"]) {
      expect(dev).toMatch(new RegExp("```sh\\n[^`]*" + cmd.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    }
    expect(existsSync(`${REPO}/scripts/setup-debian.sh`)).toBe(true);
    expect(readFileSync(`${REPO}/.ci/run`, "utf8")).toContain("bash scripts/setup-debian.sh");
  });

  it("points to the migration guide, which has the CLI's text", () => {
    expect(section(readme, "Migrating from npm, Docker or Fly.io")).toContain("](docs/migrating.md)");
    const migrating = readFileSync(`${REPO}/docs/migrating.md`, "utf8");
    for (const h of ["## What `import` does", "## What `check` does", "## From npm", "## From Docker", "## From Fly.io", "## Troubleshooting"]) expect(migrating).toContain(h);
  });

  it("lists the secret rule of the generator (the users' part) and the security model's parts", () => {
    const secrets = section(readme, "Secrets");
    expect(secrets).toContain("{ _secret =");
    expect(secrets).toContain("allowInlineSecrets");
    expect(secrets).toContain("### Which settings are secrets");
    const security = section(readme, "Security model");
    for (const h of ["### Who can reach the gateway", "### Where each secret lives", "### What the agents' commands see", "### What the hardening costs"]) expect(security).toContain(h);
    for (const phrase of ["home.file", "environment.etc", "LoadCredential", "passes its environment to the commands its agents run", "no GPU", "no Chromium sandbox", "no Docker socket", "no setuid helpers"])
      expect(security, phrase).toContain(phrase);
  });
});

describe("the user documentation's links", () => {
  it.each(USER_DOCS)("%s: every relative link (and its anchor) and every link into this repository resolves", (file) => {
    const text = readFileSync(join(REPO, file), "utf8").replace(/^```[\s\S]*?^```$/gm, "");
    const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
    expect(links.length, file).toBeGreaterThan(0);
    for (const link of links) {
      let target: string;
      if (link.startsWith(`${GITHUB}/blob/main/`)) target = link.slice(`${GITHUB}/blob/main/`.length);
      else if (link === `${GITHUB}#readme`) target = "README.md";
      else if (/^[a-z]+:/.test(link)) continue;
      else target = link.startsWith("#") ? file + link : join(dirname(file), link);
      const [path, anchor] = target.split("#") as [string, string | undefined];
      expect(existsSync(join(REPO, path)), `${file}: ${link} → ${path}`).toBe(true);
      if (anchor) expect([...anchors(readFileSync(join(REPO, path), "utf8"))], `${file}: ${link}`).toContain(anchor);
    }
  });
});

describe.skipIf(nixMissing)("README security model = the rendered units (T0)", () => {
  const render = (file: string, args: string) => {
    const r = nixEval(`import ${nixStr(join(REPO, "tests/support/nix", file))} ({ package = "/nix/store/00000000000000000000000000000000-clawdbot-gateway"; shell = "/bin/sh"; } // ${args})`);
    expect(r.ok, r.stderr).toBe(true);
    return r.value as any;
  };
  const options = `{ settings.channels.telegram.botToken._secret = "/run/secrets/telegram"; environmentFiles = [ "-/run/secrets/clawdbot.env" ]; }`;
  const hardening = readme.slice(readme.indexOf("### What the hardening costs"));
  const named = (directive: string) => hardening.includes(`\`${directive}`);

  it("NixOS: every directive the README names is in the unit as it says; the secret by LoadCredential, the token generated in the state directory", () => {
    const nixos = render("nixos-unit.nix", `{ options = ${options}; }`);
    const sc = nixos.service.serviceConfig as Record<string, unknown>;
    const expected: Record<string, unknown> = {
      DynamicUser: true,
      ProtectSystem: "strict",
      ProtectHome: true,
      PrivateDevices: true,
      DevicePolicy: "closed",
      PrivateTmp: true,
      PrivateUsers: true,
      ProtectProc: "invisible",
      ProcSubset: "pid",
      CapabilityBoundingSet: "",
      NoNewPrivileges: true,
      RestrictSUIDSGID: true,
      RestrictNamespaces: true,
      SystemCallFilter: ["@system-service", "~@privileged", "~@resources"],
      SystemCallArchitectures: "native",
      RestrictAddressFamilies: ["AF_INET", "AF_INET6", "AF_NETLINK", "AF_UNIX"],
      MemoryDenyWriteExecute: false,
      LimitNOFILE: 65536,
    };
    for (const [key, value] of Object.entries(expected)) {
      expect(sc[key], key).toEqual(value);
      if (key !== "LimitNOFILE") expect(named(key), `README names ${key}`).toBe(true);
    }
    expect(hardening).toContain("`SystemCallFilter=@system-service ~@privileged ~@resources`");
    expect(hardening).toContain("`RestrictAddressFamilies=AF_INET AF_INET6 AF_NETLINK AF_UNIX`");
    expect(sc.SupplementaryGroups, "no Docker socket unless granted").toBeUndefined();
    expect(sc.LoadCredential).toEqual(["CLAWDBOT_SECRET_CHANNELS_TELEGRAM_BOT_TOKEN:/run/secrets/telegram"]);
    expect(sc.EnvironmentFile).toEqual(["-/run/secrets/clawdbot.env"]);
    expect(nixos.execStart).toContain("--token CLAWDBOT_GATEWAY_TOKEN /var/lib/clawdbot/gateway-token");
    expect(nixos.execStart).toContain("--credential CLAWDBOT_SECRET_CHANNELS_TELEGRAM_BOT_TOKEN");
    expect(nixos.configText).not.toContain("/run/secrets");
    expect(nixos.unitText).toContain("StartLimitBurst=5");
    expect(nixos.unitText).toContain("RestartPreventExitStatus=78");
  });

  it("Home Manager (Linux): the directives the README lists, and none of those it says the user unit keeps open", () => {
    const hm = render("hm-unit.nix", `{ home = "/home/alice"; options = ${options}; }`);
    const s = hm.unit.Service as Record<string, unknown>;
    const userSection = readme.slice(readme.indexOf("The Home Manager user unit (Linux)"));
    for (const key of ["NoNewPrivileges", "SystemCallFilter", "SystemCallArchitectures", "RestrictAddressFamilies", "RestrictNamespaces", "RestrictRealtime", "RestrictSUIDSGID", "LockPersonality"]) {
      expect(s[key], key).toBeTruthy();
      expect(userSection, key).toContain(`\`${key}`);
    }
    // "It keeps your files, devices (the GPU) and group memberships"
    for (const key of ["PrivateDevices", "ProtectHome", "ProtectSystem", "PrivateUsers", "LoadCredential"]) expect(s[key], key).toBeUndefined();
    // the launcher reads the secret file as the user; the token is generated in ~/.clawdbot
    expect(hm.execStart).toContain("--secret CLAWDBOT_SECRET_CHANNELS_TELEGRAM_BOT_TOKEN /run/secrets/telegram");
    expect(hm.execStart).toContain("--token CLAWDBOT_GATEWAY_TOKEN /home/alice/.clawdbot/gateway-token");
    expect(s.EnvironmentFile).toEqual(["-/run/secrets/clawdbot.env"]);
  });

  it("a secret file in the store or under /etc/static is refused, as the README says", () => {
    for (const file of ["/nix/store/abc-token", "/nix//store/abc-token", "/etc/static/clawdbot-token"]) {
      const r = render("nixos-unit.nix", `{ options.auth.tokenFile = ${nixStr(file)}; }`);
      expect(r.failed.join("\n"), file).toMatch(/must not be in the Nix store/);
    }
  });
});

describe("README: OpenClaw or Clawdbot", () => {
  const part = section(readme, "OpenClaw or Clawdbot");
  const gateways = () => {
    const r = nixEval(`import ${nixStr(`${REPO}/modules/lib/gateways.nix`)}`);
    expect(r.ok, r.stderr).toBe(true);
    return r.value as Record<"openclaw" | "clawdbot", { version: string; launchdLabel: string; stop: { timeoutSec: number; killMode: string | null } }>;
  };

  it("comes before the install steps, recommends OpenClaw for new installs and links the move from services.clawdbot", () => {
    expect(readme.indexOf("\n## OpenClaw or Clawdbot\n")).toBeLessThan(readme.indexOf("\n## Install\n"));
    expect(part).toMatch(/New install: OpenClaw/);
    expect(part).toContain("](docs/migrating.md#from-servicesclawdbot-to-servicesopenclaw)");
  });

  it.skipIf(nixMissing)("its versions, stop policy and launchd label are the gateways' descriptions", () => {
    const g = gateways();
    expect(part).toContain(`**${g.openclaw.version}**`);
    expect(readme).toContain(`**${g.clawdbot.version}**`);
    expect(g.openclaw.stop).toEqual({ timeoutSec: 330, killMode: "mixed" });
    expect(part).toContain("`TimeoutStopSec=330` and `KillMode=mixed`");
    expect(part).toContain(`\`${g.openclaw.launchdLabel}\``);
    // the container template's compose file waits as long
    expect(readFileSync(`${REPO}/templates/container/docker-compose.yml`, "utf8")).toContain(`stop_grace_period: ${g.openclaw.stop.timeoutSec}s`);
  });

  it("the plugins it lists are the packaged ones", () => {
    const deps = Object.keys(JSON.parse(readFileSync(`${REPO}/nix/openclaw/plugins/package.json`, "utf8")).dependencies).map((n) => n.replace("@openclaw/", ""));
    const listed = /openclawPlugins`: ([a-z,\s]+), at the gateway's version/.exec(part)?.[1]?.split(/,\s*/);
    expect(listed).toEqual(deps.sort());
  });

  it("the parts it says the package leaves out are nix/openclaw/build.json's prune groups, each keepable by name", () => {
    const groups = Object.keys(JSON.parse(readFileSync(`${REPO}/nix/openclaw/build.json`, "utf8")).prune.groups as Record<string, unknown>);
    const listed = /keepPruned = \[ "([a-z-]+)" \]; \}` \(or ([^)]+)\)/.exec(part.replace(/\s+/g, " "));
    expect(listed, "the keepPruned example").not.toBeNull();
    const names = [listed![1]!, ...[...listed![2]!.matchAll(/"([a-z-]+)"/g)].map((m) => m[1]!)];
    expect(names.sort()).toEqual(groups.sort());
    expect(readFileSync(`${REPO}/nix/package.nix`, "utf8")).toMatch(/keepPruned \? \[ \]/);
  });

  it.skipIf(nixMissing)("the image it names exists in flake.nix and is called openclaw:nix with a /readyz health check", () => {
    expect(readFileSync(`${REPO}/flake.nix`, "utf8")).toMatch(/^\s*image-openclaw = pkgs\.callPackage \.\/nix\/image \{$/m);
    expect(part).toContain("`packages.<linux>.image-openclaw` (`openclaw:nix`)");
    const r = nixEval(
      `let c = import ${nixStr(`${REPO}/nix/image/config.nix`)} { gateway = "openclaw"; package = "/P"; node = "/N"; tini = "/T"; shell = "/S"; coreutils = "/C"; caBundle = "/ca"; }; in { n = "\${c.name}:\${c.tag}"; h = builtins.elemAt c.config.Healthcheck.Test 1; }`,
    );
    expect(r.ok, r.stderr).toBe(true);
    const v = r.value as { n: string; h: string };
    expect(v.n).toBe("openclaw:nix");
    expect(v.h).toContain("/readyz");
    expect(part).toContain("image's health check is `/readyz`");
  });

  const t1 = t1Sources();
  announceSkip("README OpenClaw example through the NixOS module (T1)", t1.libSkip);

  it.skipIf(!t1.nixpkgsLib)("its example evaluates through the flake's NixOS module: assertions hold, the Discord plugin loaded, the secret referenced as ${OPENCLAW_SECRET_…}", () => {
    const blocks = [...part.matchAll(/^```nix\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
    expect(blocks).toHaveLength(1);
    const r = nixEval(`
      let
        h = import ${nixStr(`${REPO}/tests/fixtures/modules/t1/eval.nix`)} { nixpkgsLib = ${nixStr(t1.nixpkgsLib!)}; };
        e = h.nixos { configuration = { ... }: { ${blocks[0]} }; };
        unit = e.config.systemd.services.openclaw;
      in {
        inherit (e) failed;
        execStart = toString unit.serviceConfig.ExecStart;
        loadCredential = unit.serviceConfig.LoadCredential or [ ];
        timeoutStop = unit.serviceConfig.TimeoutStopSec or null;
      }`);
    expect(r.ok, r.stderr).toBe(true);
    const v = r.value as { failed: string[]; execStart: string; loadCredential: string[]; timeoutStop: unknown };
    expect(v.failed).toEqual([]);
    expect(v.loadCredential).toContain("OPENCLAW_SECRET_CHANNELS_TELEGRAM_BOT_TOKEN:/run/agenix/telegram-bot-token");
    expect(String(v.timeoutStop)).toBe("330s");
  });
});
