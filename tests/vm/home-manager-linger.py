# vm-home-manager-linger: Home Manager as a NixOS module, services.clawdbot for a user with lingering.
# Constants (PORT, TOKEN_FILE, PROBE, USER, UID, UNIT) come from the preamble in tests/vm/default.nix.
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
