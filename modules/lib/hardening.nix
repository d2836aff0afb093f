# The hardening a user manager can give: seccomp filters and prctls, enforced for the gateway and every
# command its agents run, and (a user unit) a /tmp of its own. Home Manager's user unit has exactly this (a user manager
# cannot drop capabilities); the NixOS system unit has it and more (modules/lib/nixos-unit.nix).
{
  # the gateway's description (./gateways.nix)
  gateway,
  # a user manager's unit (Home Manager); the NixOS system unit adds its own namespaces (./nixos-unit.nix)
  userUnit ? false,
}:
{
  # no privilege gain through setuid binaries or file capabilities
  NoNewPrivileges = true;
  # only the system calls of an ordinary service; privileged and resource-limit calls fail with EPERM (the
  # default, SIGSYS, kills the gateway right after it starts listening)
  SystemCallArchitectures = "native";
  SystemCallFilter = [
    "@system-service"
    "~@privileged"
    "~@resources"
  ];
  SystemCallErrorNumber = "EPERM";
  # IPv4/IPv6 (providers, channels), netlink (os.networkInterfaces(), to resolve lan / tailnet binds), Unix
  # sockets; the network is not restricted beyond that: the gateway needs outbound HTTPS and its listener
  RestrictAddressFamilies = [
    "AF_INET"
    "AF_INET6"
    "AF_NETLINK"
    "AF_UNIX"
  ];
  # no new namespaces: this also keeps Chromium's sandbox (the browser tool) from starting, so run a
  # sandboxed browser elsewhere (browser.cdpUrl) or set this to false
  RestrictNamespaces = true;
  RestrictRealtime = true;
  # no setuid/setgid files made. Its seccomp filter cannot inspect openat2()'s mode and answers the call with
  # ENOSYS; OpenClaw opens every state, lock and workspace path with openat2(RESOLVE_BENEATH) (its native
  # fs-safe, which keeps agents' file tools beneath their roots) and has no fallback, so it goes without:
  # NoNewPrivileges already makes setuid bits inert for everything the gateway starts, and its folders are 0700.
  RestrictSUIDSGID = !gateway.openat2;
  LockPersonality = true;
  # V8's JIT needs writable+executable pages: MemoryDenyWriteExecute would kill node at start
  MemoryDenyWriteExecute = false;
}
# A /tmp nobody else can write (issue 19.6). OpenClaw keeps its state coordinator's locks in
# /tmp/openclaw-state-locks-<uid> whatever TMPDIR says (dist/sqlite-source-handle-*.mjs
# resolveStateLifecycleRuntimeDirectory: "/tmp" but on Windows) and refuses that folder when another user made
# it first (exit 78, "requires state migration"): in the shared /tmp any local user could keep the gateway
# down. The NixOS unit has PrivateTmp= already. A user manager can set up a mount namespace only inside a user
# namespace of the user's own: PrivateUsers=true, stated, since systemd 252 otherwise skips PrivateTmp= of a
# user unit without a word (measured in tests/modules/container-hm-tmp.test.ts: the locks were made in the
# shared /tmp). Not measured here: a kernel that refuses unprivileged user namespaces. TMPDIR
# (the compile cache) is in the cache directory either way. The owner's command, run outside the unit, keeps
# the shared /tmp: its coordinator locks and the gateway's are no longer the same files.
// (
  if userUnit then
    {
      PrivateUsers = true;
      PrivateTmp = true;
    }
  else
    { }
)
