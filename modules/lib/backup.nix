# The backup before an upgrade (the `backup` options, docs/backups.md): before a package other than the one
# that last ran on the state starts, the gateway's own `backup create --verify` archives the state into the
# backup folder, the `backup.keep` newest stay, and the package is recorded in `<stateDir>/.nix-package`
# (./backup.sh does it). systemd runs the step as ExecStartPre= (modules/lib/nixos-unit.nix, hm-unit.nix:
# a failed backup fails the start, with the reason in the journal); launchd has no such step, so on macOS it
# runs in front of the launcher (`wrap`), which it then execs.
#
# Clawdbot 2026.1.24-3 has no backup command (the gateway description's `backupCommand`): the option is off
# by default there, and `true` is an assertion.
#
#   backup = import ./backup.nix {
#     inherit lib gateway writeText;
#     options = o;                  # the instance's option values (backup, stateDir)
#     prefix = "services.openclaw"; # its option path, for the messages
#     package; shell;               # store paths (the gateway, a POSIX shell)
#   };
#   → { enabled; directory; script; argv; execStartPre; wrap = argv: …; assertions; }
{
  lib,
  gateway,
  options,
  prefix,
  package,
  shell,
  writeText ? builtins.toFile,
}:
let
  o = options;
  cfg = o.backup;
  enabled = cfg.enable && gateway.backupCommand;
  directory = if cfg.directory != null then cfg.directory else "${o.stateDir}-backups";
  script = writeText "${gateway.name}-backup.sh" (builtins.readFile ./backup.sh);

  args = [
    "--state"
    o.stateDir
    "--backups"
    directory
    "--keep"
    (toString cfg.keep)
    "--package"
    "${package}"
    "--name"
    prefix
    "--option"
    "${prefix}.backup"
    "--gateway"
    "${package}/bin/${gateway.bin}"
  ];
  argv = [
    (toString shell)
    "${script}"
  ]
  ++ args;

  # One ExecStartPre= argument, quoted as ./command.nix quotes ExecStart=: bare when safe, else a C string
  # with `%` and `$` escaped (systemd expands specifiers and variables there).
  execArg =
    arg:
    if builtins.match "[A-Za-z0-9_./:=+,@-]+" arg != null then
      arg
    else
      builtins.replaceStrings [ "%" "$" ] [ "%%" "$$" ] (builtins.toJSON arg);

  isWithin = dir: path: path == dir || lib.hasPrefix "${dir}/" path;
in
{
  inherit enabled directory;
  script = if enabled then "${script}" else null;
  argv = if enabled then argv else [ ];
  execStartPre = if enabled then lib.concatStringsSep " " (map execArg argv) else null;
  # launchd: the backup, then the given command (the launcher's argv)
  wrap = command: if enabled then argv ++ [ "--" ] ++ command else command;

  assertions = [
    {
      assertion = cfg.enable -> gateway.backupCommand;
      message = "${prefix}.backup.enable: ${gateway.displayName} ${gateway.version} has no backup command. Set ${prefix}.backup.enable = false and back up ${o.stateDir} yourself, or move to services.openclaw (docs/migrating.md), whose upgrades take one.";
    }
    {
      assertion = !cfg.enable || !(isWithin o.stateDir directory);
      message = "${prefix}.backup.directory: ${directory} is inside stateDir (${o.stateDir}); the gateway's backup command refuses to write inside what it backs up. Choose a folder beside it, e.g. \"${o.stateDir}-backups\" (the default).";
    }
  ];
}
