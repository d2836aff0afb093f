// Issue 19 item 6, under a real systemd: another local user cannot keep OpenClaw's Home Manager service down
// by creating its lock folder first.
//
// OpenClaw's state coordinator puts its locks in /tmp/openclaw-state-locks-<uid>, whatever TMPDIR says
// (dist/sqlite-source-handle-*.mjs resolveStateLifecycleRuntimeDirectory: "/tmp" on every platform but
// Windows), and refuses a folder there that is not its user's own: the gateway exits 78 with a misleading
// "requires state migration". /tmp is everyone's, so any local user could make that folder first (after a
// reboot emptied /tmp, before the user's manager starts the unit). The user unit has a /tmp of its own
// (PrivateTmp=true with PrivateUsers=true, modules/lib/hardening.nix), where nobody else can make anything.
//
// In a systemd-nspawn container the lingering user's manager starts the module's user unit at boot; the
// scenario stops it, removes the folder its first start made (as a reboot would), makes the folder as uid
// 65534 (nobody), starts the unit again and waits for WS health. On the unit without PrivateTmp= the second
// start fails (exit 78) and health never comes. Root only.
import { beforeAll, describe, expect, it } from "vitest";
import { prepareGateway } from "../support/gateway.js";
import { containerSkipReason, SETUP_TIMEOUT_MS, parseShow, runContainer, type ContainerResult } from "../support/systemd/container.js";
import { CONTAINER_GATEWAYS, CONTAINER_USER, gatewayRunName, homeManagerGatewayRun } from "../support/systemd/gateways.js";
import { renderHomeManagerUnit, type RenderedUnit } from "../support/systemd/render.js";
import { homeManagerUnit } from "../support/systemd/store.js";

const skip = containerSkipReason();
if (skip) console.log(`SKIP: needs root and systemd-nspawn: Home Manager lock-folder squat container test (${skip})`);

const USER = CONTAINER_USER;
const PORT = 18789;
const TOKEN = "hm-squat-token-7c1e09";
const g = CONTAINER_GATEWAYS.openclaw;
const SQUAT = `/tmp/openclaw-state-locks-${USER.uid}`;

const SCENARIO = `
URL=ws://127.0.0.1:$PORT
USER_SYSTEMCTL="runuser -u $USER_NAME -- env XDG_RUNTIME_DIR=/run/user/$USER_UID systemctl --user"
UNIT_SCOPE=$USER_SYSTEMCTL
wait_until 30 systemctl is-active -q "user@$USER_UID.service"; note user-manager.rc $?
wait_health first 150 --url "$URL" --token-file "$TOKEN_FILE"
$USER_SYSTEMCTL stop "$UNIT"
# what the first start left in the shared /tmp (nothing, with a private one), then a reboot's empty /tmp
ls -A /tmp > "$O/tmp.after-first" 2>&1
rm -rf ${SQUAT}
# the squatter: another local user (nobody) makes the gateway's lock folder first
setpriv --reuid=65534 --regid=65534 --clear-groups mkdir -m 0700 ${SQUAT}; note squat.rc $?
stat -c '%u %g %a' ${SQUAT} > "$O/squat.before" 2>&1
$USER_SYSTEMCTL reset-failed "$UNIT" 2>/dev/null
$USER_SYSTEMCTL start "$UNIT"; note start.rc $?
wait_health health 150 --url "$URL" --token-file "$TOKEN_FILE"
wait_ready ready 60
show_unit s2 $USER_SYSTEMCTL
stat -c '%u %g %a' ${SQUAT} > "$O/squat.after" 2>&1
ls -A ${SQUAT} > "$O/squat.contents" 2>&1
MAIN=$($USER_SYSTEMCTL show -p MainPID --value "$UNIT")
# the gateway's own /tmp: its lock folder is there, its user's
ls -A /proc/$MAIN/root/tmp > "$O/private-tmp" 2>&1
journalctl --no-pager -o cat _UID="$USER_UID" > "$O/journal-user.txt" 2>&1
true
`;

describe.skipIf(!!skip)("openclaw: Home Manager user unit, its lock folder squatted by another user in /tmp (issue 19.6)", () => {
  let rendered: RenderedUnit;
  let run: ContainerResult;
  const fact = (key: string): string => run.facts[key] ?? "";
  const why = (): string => `${run.diagnostics()}\n--- user journal (tail)\n${run.read("journal-user.txt").split("\n").slice(-40).join("\n")}`;

  beforeAll(async () => {
    const gw = await prepareGateway(g.name);
    rendered = renderHomeManagerUnit({ gateway: g.name, port: PORT, home: USER.home, tokenFile: g.hmTokenFile(USER.home) });
    const unitName = rendered.unitName ?? g.unit;
    const unit = homeManagerUnit(unitName, rendered.unit, USER);
    const around = homeManagerGatewayRun(g, gw, { port: PORT, token: TOKEN, unit: unitName });
    run = await runContainer({
      name: gatewayRunName(g, "hm-lock-squat"),
      timeoutSec: 300,
      files: [...rendered.storeFiles, ...unit.files, ...around.files],
      binds: around.binds,
      env: around.env,
      scenario: SCENARIO,
    });
  }, SETUP_TIMEOUT_MS);

  it("the scenario ran to the end; the squatter made the folder as uid 65534", () => {
    expect(run.finished, why()).toBe(true);
    expect(fact("scenario.rc"), why()).toBe("0");
    expect(fact("first.rc"), why()).toBe("0");
    expect(fact("squat.rc"), why()).toBe("0");
    expect(run.read("squat.before").trim()).toBe("65534 65534 700");
  });

  it("the gateway starts and is healthy while the folder in /tmp is nobody's", () => {
    expect(fact("start.rc"), why()).toBe("0");
    expect(fact("health.rc"), why()).toBe("0");
    expect(fact("ready.status"), why()).toBe("200");
    const show = parseShow(run.read("s2.show"));
    expect(show.ActiveState, why()).toBe("active");
    expect(show.NRestarts, why()).toBe("0");
    expect(run.read("journal-user.txt")).not.toContain("requires state migration");
  });

  it("the shared /tmp is untouched: the squatter's folder as it was and empty; the unit's locks are in its own /tmp", () => {
    expect(run.read("squat.after").trim()).toBe("65534 65534 700");
    expect(run.read("squat.contents").trim()).toBe("");
    expect(run.read("tmp.after-first").split("\n")).not.toContain(SQUAT.slice("/tmp/".length));
    expect(run.read("private-tmp").split("\n"), why()).toContain(SQUAT.slice("/tmp/".length));
    expect(rendered.unit).toContain("PrivateTmp=true");
    // systemd 252 skips a user unit's PrivateTmp= without a word unless PrivateUsers= is stated
    expect(rendered.unit).toContain("PrivateUsers=true");
  });
});
