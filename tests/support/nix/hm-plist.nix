# How Home Manager writes a launchd agent, from the agent attrset modules/lib/hm-unit.nix gives
# `launchd.agents.<name>.config`: modules/launchd/default.nix (home-manager ec1a8fdf7, ../shared/t1)
# mutateConfig with waitForNixStore (lines 94-120: ProgramArguments become /bin/sh -c "/bin/wait4path
# /nix/store && exec <args>"), then lib.generators.toPlist { escape = true; } (line 125).
# tests/modules/golden.test.ts compares it with Home Manager's own plist (the whole Home Manager module).
{
  lib ? import ./lib.nix,
}:
agent:
lib.generators.toPlist { escape = true; } (
  builtins.removeAttrs agent [ "ProgramArguments" ]
  // {
    ProgramArguments = [
      "/bin/sh"
      "-c"
      "/bin/wait4path /nix/store && exec ${lib.escapeShellArgs agent.ProgramArguments}"
    ];
  }
)
