# vm-rollback: generation 1 → generation 2 (other port, other setting) → generation 1 again, switched the
# way `nixos-rebuild switch` / `--rollback` does (switch-to-configuration). Constants (GEN1, PORT1, PORT2,
# TOKEN_FILE, PROBE, UNIT) come from the preamble in tests/vm/default.nix.
# container: tests/modules/container-rollback.test.ts runs the same scenario under a real systemd (the
# unit and config of generation 1, then 2, then 1 again; daemon-reload + restart as a switch does), and
# asserts the same things after each step: healthy, restarted (new main PID), the live config.

import json


def health(port):
    return f"{PROBE} --url ws://127.0.0.1:{port} --token-file {TOKEN_FILE}"


def main_pid():
    return machine.succeed(f"systemctl show -p MainPID --value {UNIT}").strip()


def live_config():
    env = machine.succeed(f"systemctl show -p Environment --value {UNIT}")
    path = dict(item.split("=", 1) for item in env.split() if "=" in item)["CLAWDBOT_CONFIG_PATH"]
    return machine.succeed(f"readlink {path}").strip(), json.loads(machine.succeed(f"cat {path}"))


start_all()

# Generation 1 at boot: healthy, its config live.
# container: container-rollback "generation 1 at boot: healthy, its config live".
machine.wait_for_unit(UNIT)
machine.wait_until_succeeds(health(PORT1), timeout=180)
pid1 = main_pid()
link1, config1 = live_config()
assert config1["agents"]["defaults"]["maxConcurrent"] == 1, f"generation 1's config is not live: {config1}"

# Switch to generation 2: restarted, healthy on its port, its config live.
# container: container-rollback "switch to generation 2: restarted, healthy, generation 2's config live".
machine.succeed(f"{GEN1}/specialisation/gen2/bin/switch-to-configuration test")
machine.wait_until_succeeds(health(PORT2), timeout=180)
pid2 = main_pid()
assert pid2 != pid1, f"the service was not restarted by the switch (main PID {pid1} → {pid2})"
link2, config2 = live_config()
assert link2 != link1, "generation 2 runs generation 1's config file"
assert config2["agents"]["defaults"]["maxConcurrent"] == 2, f"generation 2's config is not live: {config2}"
machine.fail(health(PORT1))

# Back to generation 1 (the rollback): restarted, healthy on the first port, the first config live again.
# container: container-rollback "back to generation 1: restarted, healthy, the live config is generation 1's
# byte for byte".
machine.succeed(f"{GEN1}/bin/switch-to-configuration test")
machine.wait_until_succeeds(health(PORT1), timeout=180)
pid3 = main_pid()
assert pid3 not in (pid2, "0"), f"the service was not restarted by the rollback (main PID {pid2} → {pid3})"
link3, config3 = live_config()
assert link3 == link1, f"after the rollback the config is {link3}, not generation 1's {link1}"
assert config3 == config1, f"after the rollback the live config differs from generation 1's: {config3}"
