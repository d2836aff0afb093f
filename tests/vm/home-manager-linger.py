# vm-home-manager-linger: Home Manager as a NixOS module, services.clawdbot for a user with lingering.
# Then Home Manager generation 2 and `home-manager switch --rollback` back to generation 1.
# Constants (PORT, TOKEN_FILE, PROBE, USER, UID, UNIT, GEN1, HOME_MANAGER) come from the preamble in
# tests/vm/default.nix.
# Every step is also proven on the development machines; the proving test is named above each step.

URL = f"ws://127.0.0.1:{PORT}"
SYSTEMCTL_USER = f"su - {USER} -c 'XDG_RUNTIME_DIR=/run/user/{UID} systemctl --user"

start_all()

# Lingering: the user's systemd manager runs from boot, with nobody logged in.
# container: tests/modules/container-hm.test.ts "the lingering user's manager runs from boot".
machine.wait_for_unit(f"user@{UID}.service")
machine.succeed(f"loginctl show-user {USER} -p Linger | grep -q Linger=yes")
machine.wait_for_unit(f"home-manager-{USER}.service")

# The user unit is active at boot (Home Manager's activation enabled and started it).
# container: container-hm "the user unit is enabled by its default.target.wants link and active at boot…";
# T1: Home Manager's real unit rendering (tests/modules/).
machine.wait_until_succeeds(f"{SYSTEMCTL_USER} is-active {UNIT}'", timeout=180)

# Nix mode in its environment; it runs as the user.
# container: container-hm "Environment has Nix mode and the user's state/config paths…".
env = machine.succeed(f"{SYSTEMCTL_USER} show -p Environment --value {UNIT}'")
assert "CLAWDBOT_NIX_MODE=1" in env.split(), f"CLAWDBOT_NIX_MODE=1 missing from the user unit: {env}"

# WS health answers on the port.
# T0: tests/package/gateway.test.ts, tests/image/config.test.ts (the same probe); container: container-hm.
machine.wait_until_succeeds(f"{PROBE} --url {URL} --token-file {TOKEN_FILE}", timeout=180)
machine.succeed(f"pgrep -u {USER} -f dist/entry.js")

# Rollback, the Home Manager way. Constants GEN1 (the first system; its specialisation gen2 carries Home
# Manager generation 2, a changed setting) and HOME_MANAGER (the user's `home-manager` command).
# container: tests/modules/container-hm-rollback.test.ts runs these steps under a real systemd --user (and
# also a broken generation 3: exit 78, failed once, no loop; then generation 1's activate by hand).


def as_user(command):
    return f"su - {USER} -c 'XDG_RUNTIME_DIR=/run/user/{UID} {command}'"


def main_pid():
    return machine.succeed(f"{SYSTEMCTL_USER} show -p MainPID --value {UNIT}'").strip()


def live_config():
    env = machine.succeed(f"{SYSTEMCTL_USER} show -p Environment --value {UNIT}'")
    path = dict(item.split("=", 1) for item in env.split() if "=" in item)["CLAWDBOT_CONFIG_PATH"]
    return machine.succeed(f"readlink {path}").strip(), machine.succeed(f"cat {path}")


health = f"{PROBE} --url {URL} --token-file {TOKEN_FILE}"
pid1 = main_pid()
link1, config1 = live_config()
assert '"maxConcurrent":1' in config1.replace(" ", ""), f"generation 1's config is not live: {config1}"

# Home Manager generation 2 (a changed setting): activated by home-manager-alice.service when the system
# switches to the specialisation; the changed user unit is restarted (sd-switch) with its config.
# container: container-hm-rollback "A: home-manager switch to generation 2: links re-pointed, daemon-reload,
# restarted, healthy, its config live".
machine.succeed(f"{GEN1}/specialisation/gen2/bin/switch-to-configuration test")
machine.wait_until_succeeds(f"{SYSTEMCTL_USER} is-active {UNIT}'", timeout=180)
machine.wait_until_succeeds(health, timeout=180)
pid2 = main_pid()
assert pid2 != pid1, f"the user unit was not restarted by the switch (main PID {pid1} → {pid2})"
link2, config2 = live_config()
assert link2 != link1, "Home Manager generation 2 runs generation 1's config file"
assert '"maxConcurrent":2' in config2.replace(" ", ""), f"generation 2's config is not live: {config2}"
gens = machine.succeed(as_user(f"{HOME_MANAGER} generations"))
assert len(gens.strip().splitlines()) == 2, f"expected two Home Manager generations: {gens}"

# `home-manager switch --rollback`: the profile's previous generation is activated; the user unit is
# restarted and healthy, and its config is generation 1's, the same file.
# container: container-hm-rollback "A: home-manager switch --rollback: profile back to generation 1,
# restarted, healthy, generation 1's config byte for byte".
machine.succeed(as_user(f"{HOME_MANAGER} switch --rollback"))
machine.wait_until_succeeds(f"{SYSTEMCTL_USER} is-active {UNIT}'", timeout=180)
machine.wait_until_succeeds(health, timeout=180)
pid3 = main_pid()
assert pid3 not in (pid2, "0"), f"the user unit was not restarted by the rollback (main PID {pid2} → {pid3})"
link3, config3 = live_config()
assert link3 == link1, f"after the rollback the config is {link3}, not generation 1's {link1}"
assert config3 == config1, f"after the rollback the live config differs from generation 1's: {config3}"
