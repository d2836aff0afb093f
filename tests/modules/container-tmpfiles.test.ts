// Issue 19 item 3, with the real systemd-tmpfiles: the folders the NixOS module gives the service's user
// (systemd.tmpfiles.rules `d DIR 0700 USER GROUP`, which also takes over a folder that exists) are only
// leaves of the gateway's own; the system's folders keep their owner and mode.
//
// For each gateway, two NixOS instances with a real user (alice) and paths outside the state directory, as
// the module renders them (tests/support/nix/nixos-unit.nix: the real lib, the instance's option values):
//   claim  logFile, workspace and configPath naming system folders themselves (/var/log/gateway.log, /home,
//          /etc/<gateway>.json): the module refuses it at evaluation, naming each option and a leaf to use, so
//          no rule of it reaches a system (nixos-rebuild stops there);
//   leaf   logFile and workspace in leaves under /var/log, /home/alice and /srv, named by the user.
// In a systemd-nspawn container, as systemd-tmpfiles-setup.service would at boot, the scenario runs
// `systemd-tmpfiles --create` on every rule the module let through and compares `stat` of /, /var/log, /etc,
// /home, /home/alice and /srv before and after. On the module before the refusal (c05e412^), the claim
// instance rendered `d /var/log 0700 alice alice`, `d /home …` and `d /etc …`: /var/log and /etc became
// alice's, mode 0700. Root only.
import { beforeAll, describe, expect, it } from "vitest";
import type { GatewayName } from "../support/gateway-kinds.js";
import { nixEval, nixStr } from "../support/nix.js";
import { containerSkipReason, SETUP_TIMEOUT_MS, runContainer, type ContainerResult } from "../support/systemd/container.js";

const skip = containerSkipReason();
if (skip) console.log(`SKIP: needs root and systemd-nspawn: tmpfiles of paths outside the state directory (${skip})`);

const GATEWAYS: GatewayName[] = ["clawdbot", "openclaw"];
const WATCHED = ["/", "/var/log", "/etc", "/home", "/home/alice", "/srv"];

interface Rendering {
  failed: string[];
  tmpfilesRules: string[];
}

/** One NixOS instance of `gateway` as the module renders it (the tests' shortcut through tests/support/nix). */
function render(gateway: GatewayName, name: string, options: Record<string, unknown>): Rendering {
  const r = nixEval(
    `let u = import ./tests/support/nix/nixos-unit.nix {
       gateway = (import ./modules/lib/gateways.nix).${gateway};
       package = "/nix/store/00000000000000000000000000000000-${gateway}-gateway"; shell = "/bin/sh";
       inherit (builtins.fromJSON ${nixStr(JSON.stringify({ name, options }))}) name options;
     }; in { inherit (u) failed tmpfilesRules; }`,
  );
  if (!r.ok) throw new Error(r.stderr);
  return r.value as Rendering;
}

const claimOptions = (g: GatewayName) => ({
  port: 18800,
  user: "alice",
  logFile: "/var/log/gateway.log",
  workspace: "/home",
  configPath: `/etc/${g}.json`,
});
const leafOptions = (g: GatewayName) => ({
  port: 18810,
  user: "alice",
  logFile: `/var/log/${g}-leaf/gateway.log`,
  workspace: `/srv/${g}-workspace`,
  configPath: `/home/alice/${g}-config/${g}.json`,
});
// in the order the module writes them: the config's folder, the log's, the workspace
const leaves = (g: GatewayName) => [`/home/alice/${g}-config`, `/var/log/${g}-leaf`, `/srv/${g}-workspace`];

describe.skipIf(!!skip)("paths outside the state directory: real systemd-tmpfiles takes only the gateway's own leaves (issue 19.3)", () => {
  const renderings: Record<string, { claim: Rendering; leaf: Rendering }> = {};
  let applied: string[];
  let run: ContainerResult;
  const fact = (key: string): string => run.facts[key] ?? "";
  const why = (): string => run.diagnostics();

  beforeAll(async () => {
    for (const g of GATEWAYS) renderings[g] = { claim: render(g, "claim", claimOptions(g)), leaf: render(g, "leaf", leafOptions(g)) };
    // what a system gets: the rules of every instance whose assertions hold (a failed one stops the build)
    applied = Object.values(renderings).flatMap(({ claim, leaf }) => [claim, leaf].flatMap((r) => (r.failed.length === 0 ? r.tmpfilesRules : [])));
    const statAll = (file: string) => WATCHED.map((d) => `stat -c '%n %U %G %a' ${d} >> "$O/${file}" 2>&1`).join("\n");
    run = await runContainer({
      name: "tmpfiles-system-folders",
      timeoutSec: 120,
      files: [{ path: "/etc/clawdbot-test/gateway-tmpfiles.conf", content: applied.join("\n") + "\n" }],
      scenario: `
${statAll("stat.before")}
systemd-tmpfiles --create /etc/clawdbot-test/gateway-tmpfiles.conf > "$O/tmpfiles.txt" 2>&1; note tmpfiles.rc $?
${statAll("stat.after")}
for d in ${GATEWAYS.flatMap(leaves).join(" ")}; do stat -c '%n %U %G %a %F' "$d" >> "$O/leaves" 2>&1; done
true
`,
    });
  }, SETUP_TIMEOUT_MS);

  it("the module refuses system folders at evaluation, naming each option and a leaf to use", () => {
    for (const g of GATEWAYS) {
      const message = renderings[g]!.claim.failed.join("\n");
      expect(message, g).toContain(`services.${g}.instances.claim.logFile = "/var/log/gateway.log"`);
      expect(message, g).toContain(`services.${g}.instances.claim.workspace = "/home"`);
      expect(message, g).toContain(`services.${g}.instances.claim.configPath = "/etc/${g}.json"`);
      expect(message, g).toContain(`services.${g}.instances.claim.logFile = "/var/log/${g}-claim/gateway.log"`);
      expect(renderings[g]!.leaf.failed, g).toEqual([]);
      expect(renderings[g]!.leaf.tmpfilesRules, g).toEqual(leaves(g).map((d) => `d ${d} 0700 alice alice - -`));
    }
  });

  it("systemd-tmpfiles ran every rule the module let through", () => {
    expect(run.finished, why()).toBe(true);
    expect(fact("scenario.rc"), why()).toBe("0");
    expect(fact("tmpfiles.rc"), run.read("tmpfiles.txt")).toBe("0");
    expect(applied.length).toBeGreaterThan(0);
  });

  it("/, /var/log, /etc, /home, /home/alice and /srv keep their owner and mode", () => {
    const before = run.read("stat.before");
    expect(before.trim().split("\n")).toHaveLength(WATCHED.length);
    expect(before).toContain("/var/log root root 755");
    expect(run.read("stat.after")).toBe(before);
  });

  it("the leaves the user named are created for the service's user, mode 0700", () => {
    expect(run.read("leaves").trim().split("\n")).toEqual(GATEWAYS.flatMap(leaves).map((d) => `${d} alice alice 700 directory`));
  });
});
