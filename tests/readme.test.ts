// The README is the users' document, OpenClaw first and short: what it is, installing Nix with flakes, a
// template per deployment, the three module configurations the tests evaluate (tests/fixtures/modules/readme-*.nix,
// evaluated in tests/modules/t1-readme.test.ts, shown verbatim), secrets, upgrade and rollback, something broke,
// migrating, Clawdbot last, and the two set-up commands. The detail it points to lives in docs/: the security
// model (docs/security.md, checked here against the units the modules render, T0), the gateways (docs/gateways.md:
// versions, stop policy, plugins, pruned parts and image read back from the code), secrets, rollback. Every
// relative link of the user documentation resolves.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { announceSkip, hasNix, nixEval, nixStr, REPO } from "./support/nix.js";

const read = (file: string) => readFileSync(`${REPO}/${file}`, "utf8");
const readme = read("README.md");
const security = read("docs/security.md");
const gatewaysDoc = read("docs/gateways.md");
const secretsDoc = read("docs/secrets.md");
const packageJson = JSON.parse(read("package.json"));
const nixMissing = hasNix() ? undefined : "nix-instantiate is not installed (apt-get install nix-bin)";
announceSkip("docs/security.md against the rendered units", nixMissing);

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
  "docs/gateways.md",
  "docs/security.md",
  "docs/secrets.md",
  "docs/rollback.md",
  "templates/agent-first/README.md",
  "templates/nixos-server/README.md",
  "templates/linux-user/README.md",
  "templates/container/README.md",
];
const GITHUB = "https://github.com/clawdbot/clawdbot-nix";

describe("README", () => {
  it.each(["nixos", "home-manager", "darwin"])("shows the evaluated %s configuration verbatim", (name) => {
    const fixture = read(`tests/fixtures/modules/readme-${name}.nix`).trimEnd();
    expect(readme).toContain("```nix\n" + fixture + "\n```");
  });

  it("is for users and short: its parts in order, Clawdbot and the developers' part last", () => {
    const order = [
      "Install Nix and turn on flakes",
      "Install",
      "Three configurations",
      "Deployments",
      "Secrets",
      "Security model",
      "Upgrade and rollback",
      "Something broke",
      "Migrating from npm, Docker or Fly.io",
      "Clawdbot, the earlier release",
      "Developing",
    ];
    const at = order.map((h) => readme.indexOf(`\n## ${h}\n`));
    for (const [i, h] of order.entries()) expect(at[i], `## ${h}`).toBeGreaterThan(0);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // about 200 lines, a quarter of them the evaluated configurations; the rest of the detail is in docs/
    expect(readme.split("\n").length).toBeLessThanOrEqual(240);
    expect(section(readme, "Developing").split("\n").length).toBeLessThan(25);
    expect(section(readme, "Developing")).toContain("](CONTRIBUTING.md)");
  });

  it("a newcomer to OpenClaw meets no Clawdbot name before the Clawdbot section, but the project's (clawdbot-nix) and the templates' input", () => {
    const before = readme.slice(0, readme.indexOf("\n## Clawdbot, the earlier release\n"));
    const names = [...before.matchAll(/[\w./:#~${}-]*clawdbot[\w./:#~${}-]*/gi)].map((m) => m[0]);
    expect(names.length).toBeGreaterThan(0);
    // the flake (github:clawdbot/clawdbot-nix, its input clawdbot-nix and that input's outputs) and the helper's name
    const allowed = (n: string) => /^(inputs\.)?(github:clawdbot\/)?clawdbot-nix(#(clawdbot-nix)?|\.\w+Modules\.default)?$/.test(n);
    expect(names.filter((n) => !allowed(n))).toEqual(["clawdbot"]); // the templates' input name, said once
    expect(before).toContain("it is `clawdbot` in the\ntemplates");
    // the command-line helper's name is explained once
    expect(before).toMatch(/command-line helper\n`clawdbot-nix`/);
    for (const t of ["agent-first", "nixos-server", "linux-user", "container"]) expect(before, t).toContain(`\`${t}\``);
  });

  it("says how to install Nix and turn on flakes, as every template's README does", () => {
    const part = section(readme, "Install Nix and turn on flakes");
    const steps = ["sh <(curl -L https://nixos.org/nix/install) --daemon", "echo 'experimental-features = nix-command flakes' >> ~/.config/nix/nix.conf"];
    for (const step of steps) expect(part).toContain(step);
    for (const t of ["agent-first", "nixos-server", "linux-user", "container"]) {
      const templateReadme = read(`templates/${t}/README.md`);
      expect(templateReadme, t).toContain("## Before you start: Nix with flakes");
      for (const step of steps) expect(templateReadme, t).toContain(step);
    }
  });

  it("names npm scripts that exist", () => {
    for (const [, script] of readme.matchAll(/npm run ([\w-]+)/g)) expect(Object.keys(packageJson.scripts)).toContain(script);
  });

  it("its two set-up commands are visible (in a code block of its Developing section) and use files that exist; the dev shell is named", () => {
    const dev = section(readme, "Developing");
    for (const cmd of ["bash scripts/setup-debian.sh && npm run generate", "bash scripts/setup-debian.sh && npm test"]) {
      expect(dev).toMatch(new RegExp("```sh\\n[^`]*" + cmd.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    }
    expect(existsSync(`${REPO}/scripts/setup-debian.sh`)).toBe(true);
    expect(read(".ci/run")).toContain("bash scripts/setup-debian.sh");
    expect(dev).toContain("`npm run clawdbot-nix -- check ~/.openclaw`");
    expect(dev).toContain("`nix develop`");
    expect(read("flake.nix")).toContain("default = import ./dev/shell.nix");
  });

  it("points to the migration guide, which has the CLI's text; the import's default output is the CLI's", () => {
    const part = section(readme, "Migrating from npm, Docker or Fly.io");
    expect(part).toContain("](docs/migrating.md)");
    // cli/clawdbot-nix.ts: "default DIR: ./clawdbot or ./openclaw", by target
    expect(read("cli/clawdbot-nix.ts")).toContain("default DIR: ./clawdbot or ./openclaw");
    expect(part).toContain("(written to `./openclaw`)");
    const migrating = read("docs/migrating.md");
    for (const h of ["## What `import` does", "## What `check` does", "## From npm", "## From Docker", "## From Fly.io", "## Troubleshooting"]) expect(migrating).toContain(h);
    expect(migrating).not.toContain("(default `./clawdbot`)");
    expect(migrating).toContain("(default `./openclaw`; `./clawdbot` for a Clawdbot config)");
  });

  it("keeps the secret rule short and links the rest: the file form, the escape hatch, and docs/secrets.md with the full rule", () => {
    const secrets = section(readme, "Secrets");
    expect(secrets).toContain("{ _secret =");
    expect(secrets).toContain("allowInlineSecrets");
    expect(secrets).toContain("](docs/secrets.md)");
    expect(secretsDoc).toContain("## Which settings are secrets");
    expect(section(readme, "Security model")).toContain("](docs/security.md)");
    for (const h of ["## Who can reach the gateway", "## Where each secret lives", "## What the agents' commands see", "## What the hardening costs"]) expect(security).toContain(h);
    for (const phrase of ["home.file", "environment.etc", "LoadCredential", "passes its environment to the commands its agents run", "no GPU", "no Chromium sandbox", "no Docker socket", "no setuid helpers"])
      expect(security, phrase).toContain(phrase);
  });

  it("one set of OpenClaw memory figures: the README, docs/gateways.md, docs/deployments.md and the templates' READMEs agree", () => {
    const docs = ["README.md", "docs/gateways.md", "docs/deployments.md", "templates/nixos-server/README.md", "templates/container/README.md"];
    // every figure in GB that these pages give (the limit, the machine size, OpenClaw's peak and idle, Clawdbot's cold start)
    const allowed = ["2", "1", "1.05", "0.9–0.96", "1.25", "0.13"];
    for (const file of docs) {
      const text = read(file).replace(/\s+/g, " ");
      for (const m of text.matchAll(/([\d.–]+) ?GB/g)) expect(allowed, `${file}: ${m[0]}`).toContain(m[1]);
    }
    expect(readme).toContain("peak at\n~1.05 GB");
    expect(gatewaysDoc).toContain("peak at **~1.05 GB** at start and stay at **0.9–0.96 GB**");
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

describe.skipIf(nixMissing)("docs/security.md = the rendered units (T0)", () => {
  const gateway = (name: "openclaw" | "clawdbot") => `(import ${nixStr(join(REPO, "modules/lib/gateways.nix"))}).${name}`;
  const render = (file: string, name: "openclaw" | "clawdbot", args: string) => {
    const r = nixEval(
      `let u = import ${nixStr(join(REPO, "tests/support/nix", file))} ({ package = "/nix/store/00000000000000000000000000000000-${name}-gateway"; shell = "/bin/sh"; gateway = ${gateway(name)}; } // ${args});
       in { failed = u.failed or [ ]; service = u.service or null; unit = u.unit or null; execStart = u.execStart or null; configText = u.configText or null; unitText = u.unitText or null; }`,
    );
    expect(r.ok, r.stderr).toBe(true);
    return r.value as any;
  };
  const options = (name: string) => `{ settings.channels.telegram.botToken._secret = "/run/secrets/telegram"; environmentFiles = [ "-/run/secrets/${name}.env" ]; }`;
  const hardening = security.slice(security.indexOf("## What the hardening costs"));
  const named = (directive: string) => hardening.includes(`\`${directive}`);

  it("NixOS: every directive the page names is in OpenClaw's unit as it says (its system user, no RestrictSUIDSGID), Clawdbot's differences as it says; secrets by LoadCredential, the token generated in the state directory", () => {
    const openclaw = render("nixos-unit.nix", "openclaw", `{ options = ${options("openclaw")}; }`);
    const clawdbot = render("nixos-unit.nix", "clawdbot", `{ options = ${options("clawdbot")}; }`);
    const sc = openclaw.service.serviceConfig as Record<string, unknown>;
    const expected: Record<string, unknown> = {
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
      RestrictNamespaces: true,
      SystemCallFilter: ["@system-service", "~@privileged", "~@resources"],
      SystemCallArchitectures: "native",
      RestrictAddressFamilies: ["AF_INET", "AF_INET6", "AF_NETLINK", "AF_UNIX"],
      MemoryDenyWriteExecute: false,
      LimitNOFILE: 65536,
    };
    for (const [key, value] of Object.entries(expected)) {
      expect(sc[key], key).toEqual(value);
      expect(clawdbot.service.serviceConfig[key], `Clawdbot: ${key}`).toEqual(value);
      if (key !== "LimitNOFILE") expect(named(key), `docs/security.md names ${key}`).toBe(true);
    }
    // "`User=openclaw` (OpenClaw's system user); Clawdbot: `DynamicUser` unless `user` is set"
    expect(sc.User).toBe("openclaw");
    expect(sc.DynamicUser).toBeUndefined();
    expect(clawdbot.service.serviceConfig.DynamicUser).toBe(true);
    expect(hardening).toContain("`User=openclaw` (OpenClaw's system user); Clawdbot: `DynamicUser`");
    // "Clawdbot also `RestrictSUIDSGID`"
    expect(sc.RestrictSUIDSGID).toBe(false);
    expect(clawdbot.service.serviceConfig.RestrictSUIDSGID).toBe(true);
    expect(hardening).toContain("Clawdbot also `RestrictSUIDSGID`");
    expect(hardening).toContain("`SystemCallFilter=@system-service ~@privileged ~@resources`");
    expect(hardening).toContain("`RestrictAddressFamilies=AF_INET AF_INET6 AF_NETLINK AF_UNIX`");
    expect(sc.SupplementaryGroups, "no Docker socket unless granted").toBeUndefined();
    expect(sc.LoadCredential).toEqual(["OPENCLAW_SECRET_CHANNELS_TELEGRAM_BOT_TOKEN:/run/secrets/telegram"]);
    expect(sc.EnvironmentFile).toEqual(["-/run/secrets/openclaw.env"]);
    // the "Where each secret lives" table's names
    expect(openclaw.execStart).toContain("--token OPENCLAW_GATEWAY_TOKEN /var/lib/openclaw/gateway-token");
    expect(security).toContain("the generated `/var/lib/openclaw/gateway-token`");
    expect(openclaw.execStart).toContain("--credential OPENCLAW_SECRET_CHANNELS_TELEGRAM_BOT_TOKEN");
    expect(security).toContain("the launcher exports `OPENCLAW_SECRET_<PATH>`");
    expect(openclaw.configText).not.toContain("/run/secrets");
    expect(openclaw.unitText).toContain("StartLimitBurst=5");
    expect(openclaw.unitText).toContain("RestartPreventExitStatus=78");
  });

  it("Home Manager (Linux): the directives the page lists for the user unit, RestrictSUIDSGID for Clawdbot only, and none of those it says the user unit keeps open", () => {
    const userSection = security.slice(security.indexOf("The Home Manager user unit (Linux)"));
    for (const name of ["openclaw", "clawdbot"] as const) {
      const hm = render("hm-unit.nix", name, `{ home = "/home/alice"; options = ${options(name)}; }`);
      const s = hm.unit.Service as Record<string, unknown>;
      for (const key of ["NoNewPrivileges", "SystemCallFilter", "SystemCallArchitectures", "RestrictAddressFamilies", "RestrictNamespaces", "RestrictRealtime", "LockPersonality"]) {
        expect(s[key], `${name}: ${key}`).toBeTruthy();
        expect(userSection, key).toContain(`\`${key}`);
      }
      expect(Boolean(s.RestrictSUIDSGID), `${name}: RestrictSUIDSGID`).toBe(name === "clawdbot");
      // "It keeps your files, devices (the GPU) and group memberships"
      for (const key of ["PrivateDevices", "ProtectHome", "ProtectSystem", "LoadCredential"]) expect(s[key], key).toBeUndefined();
      // a /tmp of its own (issue 19.6: another user could squat OpenClaw's lock folder there), which a user
      // manager sets up inside a user namespace of the user's (PrivateUsers=): the process keeps the user's
      // kernel ids, so files, devices and groups work as before; other users show as nobody
      expect([s.PrivateTmp, s.PrivateUsers], `${name}: PrivateTmp, PrivateUsers`).toEqual([true, true]);
      // the launcher reads the secret file as the user; the token is generated in ~/.<gateway>
      const prefix = name.toUpperCase();
      expect(hm.execStart).toContain(`--secret ${prefix}_SECRET_CHANNELS_TELEGRAM_BOT_TOKEN /run/secrets/telegram`);
      expect(hm.execStart).toContain(`--token ${prefix}_GATEWAY_TOKEN /home/alice/.${name}/gateway-token`);
      expect(s.EnvironmentFile).toEqual([`-/run/secrets/${name}.env`]);
    }
    expect(userSection).toContain("and for Clawdbot `RestrictSUIDSGID`");
    expect(security).toContain("the generated `~/.openclaw/gateway-token`");
  });

  it("a secret file in the store or under /etc/static is refused, as the page says", () => {
    for (const file of ["/nix/store/abc-token", "/nix//store/abc-token", "/etc/static/openclaw-token"]) {
      const r = render("nixos-unit.nix", "openclaw", `{ options.auth.tokenFile = ${nixStr(file)}; }`);
      expect(r.failed.join("\n"), file).toMatch(/must not be in the Nix store/);
    }
    expect(security).toContain("A secret path in the Nix store is refused");
  });
});

describe("docs/gateways.md: what ships and what differs, read back from the code", () => {
  const gateways = () => {
    const r = nixEval(`import ${nixStr(`${REPO}/modules/lib/gateways.nix`)}`);
    expect(r.ok, r.stderr).toBe(true);
    return r.value as Record<"openclaw" | "clawdbot", { version: string; launchdLabel: string; stop: { timeoutSec: number; killMode: string | null } }>;
  };

  it("recommends OpenClaw for new installs and links the move from services.clawdbot", () => {
    expect(gatewaysDoc).toContain("the choice for every new install");
    expect(gatewaysDoc).toContain("](migrating.md#from-servicesclawdbot-to-servicesopenclaw)");
  });

  it.skipIf(nixMissing)("its versions (and the README's), stop policy and launchd labels are the gateways' descriptions", () => {
    const g = gateways();
    for (const text of [gatewaysDoc, readme]) {
      expect(text).toContain(`**${g.openclaw.version}**`);
      expect(text).toContain(`**${g.clawdbot.version}**`);
    }
    expect(g.openclaw.stop).toEqual({ timeoutSec: 330, killMode: "mixed" });
    expect(gatewaysDoc).toContain("`TimeoutStopSec=330` and `KillMode=mixed`");
    expect(gatewaysDoc).toContain(`\`${g.openclaw.launchdLabel}\``);
    expect(gatewaysDoc).toContain(`\`${g.clawdbot.launchdLabel}\``);
    // the container template's compose file waits as long
    expect(read("templates/container/docker-compose.yml")).toContain(`stop_grace_period: ${g.openclaw.stop.timeoutSec}s`);
  });

  it("the plugins it lists are the packaged ones", () => {
    const deps = Object.keys(JSON.parse(read("nix/openclaw/plugins/package.json")).dependencies).map((n) => n.replace("@openclaw/", ""));
    const listed = /(\d+) separately published official channel plugins \(`legacyPackages.<system>.openclawPlugins`: ([a-z,\s-]+), each at/.exec(gatewaysDoc);
    expect(listed?.[2]?.split(/,\s*/)).toEqual(deps.sort());
    expect(Number(listed?.[1])).toBe(deps.length);
    // the built-in channels it names are the gateway's (modules/generated/openclaw/facts.json)
    const builtIn = JSON.parse(read("modules/generated/openclaw/facts.json")).channels as string[];
    expect(builtIn.sort()).toEqual(["a2a", "reef", "telegram"]);
    expect(gatewaysDoc).toContain("Telegram (and the a2a and reef channels) are built in");
  });

  it("the parts it says the package leaves out are nix/openclaw/build.json's prune groups, each keepable by name", () => {
    const groups = Object.keys(JSON.parse(read("nix/openclaw/build.json")).prune.groups as Record<string, unknown>);
    const listed = /keepPruned = \[ "([a-z-]+)" \]; \}` \(or ([^)]+)\)/.exec(gatewaysDoc.replace(/\s+/g, " "));
    expect(listed, "the keepPruned example").not.toBeNull();
    const names = [listed![1]!, ...[...listed![2]!.matchAll(/"([a-z-]+)"/g)].map((m) => m[1]!)];
    expect(names.sort()).toEqual(groups.sort());
    expect(read("nix/package.nix")).toMatch(/keepPruned \? \[ \]/);
  });

  it.skipIf(nixMissing)("the image it names exists in flake.nix and is called openclaw:nix, its health check the package's probe the doc describes", () => {
    expect(read("flake.nix")).toMatch(/^\s*image-openclaw = pkgs\.callPackage \.\/nix\/image \{$/m);
    expect(gatewaysDoc).toContain("`packages.<linux>.image-openclaw` (`openclaw:nix`)");
    const r = nixEval(
      `let c = import ${nixStr(`${REPO}/nix/image/config.nix`)} { gateway = "openclaw"; package = "/P"; node = "/N"; tini = "/T"; shell = "/S"; coreutils = "/C"; caBundle = "/ca"; }; in { n = "\${c.name}:\${c.tag}"; h = builtins.elemAt c.config.Healthcheck.Test 1; }`,
    );
    expect(r.ok, r.stderr).toBe(true);
    const v = r.value as { n: string; h: string };
    expect(v.n).toBe("openclaw:nix");
    expect(v.h).toContain("/N/bin/node /P/share/openclaw/health-probe.mjs ");
    expect(gatewaysDoc).toContain("`share/<gateway>/health-probe.mjs` (`passthru.healthProbe`), that the image's HEALTHCHECK");
  });
});
