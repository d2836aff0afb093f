# vm-system-service, vm-openclaw-system-service: the NixOS system unit of services.clawdbot or
# services.openclaw. Constants (PORT, TOKEN_FILE, PROBE, GATEWAY_CLI: the package's command, COMMAND: the
# module's command on root's PATH, DASHBOARD: its arguments that print the Control UI's URL with the token,
# TOKEN_MARK: how that URL carries it, PREFIX: of the gateway's variables, UNIT) come from the preamble in
# tests/vm/default.nix; COMMAND_PATH: that command by absolute path; `machine`/`start_all` from the driver.
# Every step is also proven on the development machines; the proving test is named above each step.

import json
import shlex

URL = f"ws://127.0.0.1:{PORT}"


def unit_env():
    out = machine.succeed(f"systemctl show -p Environment --value {UNIT}")
    return dict(item.split("=", 1) for item in out.split() if "=" in item)


def gateway_call(method, params):
    # The CLI talks to the gateway over WS, the token in its environment (`--token` is lost to the parent
    # command at this version); tests/vm/config-write.test.ts runs the same call against the real gateway.
    out = machine.succeed(
        f"HOME=/root {PREFIX}_GATEWAY_TOKEN=\"$(cat {TOKEN_FILE})\" {GATEWAY_CLI} gateway call {method} --url {URL} "
        f"--params {shlex.quote(json.dumps(params))} --json"
    )
    return json.loads(out[out.index("{"):])


start_all()

# Boots and the unit is active, started by multi-user.target.
# container: tests/modules/container-nixos.test.ts "the unit started at boot and is active, answering WS health…"
machine.wait_for_unit(UNIT)

# Its environment has <PREFIX>_NIX_MODE=1 and the state/config paths.
# container: container-nixos "systemctl show -p Environment has Nix mode and the state/config paths";
# T1: the module's rendered unit (tests/modules/).
env = unit_env()
assert env.get(f"{PREFIX}_NIX_MODE") == "1", f"{PREFIX}_NIX_MODE is not 1 in the unit's environment: {env}"
config_path = env[f"{PREFIX}_CONFIG_PATH"]
# The package's probe (PROBE: share/<gateway>/health-probe.mjs) with the service's config: OpenClaw's checks
# /readyz and every channel that config configures, Clawdbot's sends a WS `health` request.
HEALTH = f"{PREFIX}_CONFIG_PATH={config_path} {PROBE} --url {URL} --token-file {TOKEN_FILE}"

# The package's health probe answers healthy on the port (OpenClaw: /readyz 200 and the configured channels
# running or retrying; Clawdbot: WS health), with the token the service has.
# T0: tests/package/gateway.test.ts and tests/image/config.test.ts (the same probe); container: container-nixos,
# container-watchdog (the watchdog runs this probe).
machine.wait_until_succeeds(HEALTH, timeout=180)

# Root's `clawdbot` / `openclaw` command (environment.systemPackages) finds the config and the token by itself, and the
# Control UI's URL carries the token; another user's gets nothing (it cannot read the token file).
# container: tests/modules/container-security.test.ts "the owner's clawdbot command (root) reaches the gateway…"
machine.succeed(f"HOME=/root {COMMAND} health --json")
dashboard = machine.succeed(f"HOME=/root {COMMAND} {DASHBOARD}")
assert f"{TOKEN_MARK}{machine.succeed(f'cat {TOKEN_FILE}').strip()}" in dashboard, f"no token in the dashboard URL: {dashboard}"
# nobody's is refused for the token file, asserted by its text: named by absolute path (a `command not found`
# would fail as well), stderr kept (machine.fail returns the command's stdout only).
# container: container-security "…another user's cannot" (the same command as nobody: "not readable").
refusal = machine.fail(f"su -s /bin/sh nobody -c 'HOME=/tmp {COMMAND_PATH} health' 2>&1")
assert "not readable" in refusal, f"nobody's {COMMAND_PATH} failed, but not for want of the token: {refusal!r}"

# The gateway logs that it runs in Nix mode.
# T0: tests/package/gateway.test.ts; container: container-hm "…the config is the store file" (journal).
machine.wait_until_succeeds(f"journalctl -u {UNIT} -o cat | grep -q 'running in Nix mode'", timeout=60)

# The config file is unchanged after start: still the link into the store.
# container: container-nixos "the config file is unchanged after start: the store file, byte for byte".
store_file = machine.succeed(f"readlink {config_path}").strip()
assert store_file.startswith("/nix/store/"), f"{config_path} is not a link into the store: {store_file!r}"
declared = machine.succeed(f"cat {store_file}")
assert json.loads(declared)["agents"]["defaults"]["maxConcurrent"] == 3, f"unexpected declared config: {declared}"

# A config.set over WS (what the Control UI and the agent's gateway tool do) ...
# T0: tests/vm/config-write.test.ts (the same CLI call against the real gateway, then a restart).
snapshot = gateway_call("config.get", {})
changed = json.loads(declared)
changed["agents"]["defaults"]["maxConcurrent"] = 9
# The write may succeed (Clawdbot: the link replaced by a file) or be refused (OpenClaw in Nix mode); either
# way ...
try:
    gateway_call("config.set", {"raw": json.dumps(changed), "baseHash": snapshot.get("hash")})
except Exception as err:  # noqa: BLE001 - a refused write is fine too
    print(f"config.set refused: {err}")

# ... does not outlive the next restart: the declarative config is live again.
# T0: tests/vm/config-write.test.ts; container: container-rollback (the live config after a restart).
machine.succeed(f"systemctl restart {UNIT}")
machine.wait_until_succeeds(HEALTH, timeout=180)
assert machine.succeed(f"readlink {config_path}").strip() == store_file, "the config link was not re-created"
live = json.loads(machine.succeed(f"cat {config_path}"))
assert live["agents"]["defaults"]["maxConcurrent"] == 3, f"config.set survived the restart: {live}"

# kill -9 of the main process: systemd restarts it and the stale lock does not block the new one.
# container: container-nixos "kill -9 of the main process: systemd restarts it, health ok again, the stale
# lock did not block it"; T0: tests/package/gateway.test.ts (stale lock).
pid = machine.succeed(f"systemctl show -p MainPID --value {UNIT}").strip()
machine.succeed(f"kill -9 {pid}")
machine.wait_until_succeeds(
    f"[ \"$(systemctl show -p MainPID --value {UNIT})\" != 0 ] && [ \"$(systemctl show -p MainPID --value {UNIT})\" != {pid} ]",
    timeout=120,
)
machine.wait_until_succeeds(HEALTH, timeout=180)
machine.fail(f"journalctl -u {UNIT} -o cat | grep -q 'gateway already running'")
