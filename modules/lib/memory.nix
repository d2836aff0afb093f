# The gateway's memory from one setting, `memory.profile` (a size as systemd writes it: "1G", "1536M"): the
# hard limit of the whole service (MemoryMax=, the commands its agents run included), the point where the
# kernel starts reclaiming and throttling before it (MemoryHigh=, 90 %), Node's heap limit (75 %, in MiB:
# `--max-old-space-size` in NODE_OPTIONS, which the gateway's worker processes inherit too) and the OOM score
# (OOMScoreAdjust=: when the whole machine runs out, the kernel ends the gateway and its agents' commands
# before the system's own services). `memory.max` and `memory.heapMiB`, when set, win over their share.
#
# systemd enforces the limits (NixOS' system unit, Home Manager's user unit on Linux); launchd has no memory
# limit, so on macOS only the heap limit applies (modules/lib/render.nix puts it in the environment on every
# platform).
#
#   memory = import ./memory.nix;
#   memory.limits { profile = "1G"; max = null; heapMiB = null; }
#   → { max = "1G"; high = "921M"; heapMiB = 768; oomScoreAdjust = 500; }
#   memory.unitSettings (memory.limits o.memory)   → { MemoryMax; MemoryHigh; OOMScoreAdjust; } (those set)
let
  # systemd's size suffixes (base 1024)
  factor = {
    "" = 1;
    K = 1024;
    M = 1024 * 1024;
    G = 1024 * 1024 * 1024;
    T = 1024 * 1024 * 1024 * 1024;
  };
  mebibyte = 1024 * 1024;

  # "1G" → 1073741824 (the option's type admits only [1-9][0-9]*[KMGT]?)
  bytesOf =
    size:
    let
      m = builtins.match "([1-9][0-9]*)([KMGT]?)" size;
    in
    if m == null then
      throw "modules/lib/memory.nix: not a size: ${size}"
    else
      builtins.fromJSON (builtins.head m) * factor.${builtins.elemAt m 1};

  # what a profile gives, before memory.max / memory.heapMiB
  ofProfile =
    profile:
    let
      bytes = bytesOf profile;
    in
    {
      max = profile;
      high = "${toString (bytes * 9 / 10 / mebibyte)}M";
      heapMiB = bytes * 3 / 4 / mebibyte;
      # above every system service's 0 (and the user manager's 100), below the 1000 that means "always first"
      oomScoreAdjust = 500;
    };
  none = {
    max = null;
    high = null;
    heapMiB = null;
    oomScoreAdjust = null;
  };

  pick = given: derived: if given != null then given else derived;
in
{
  # The option values `memory` (profile, max, heapMiB) → the limits the units and the environment get.
  limits =
    memory:
    let
      p = if memory.profile or null == null then none else ofProfile memory.profile;
    in
    p
    // {
      max = pick memory.max p.max;
      heapMiB = pick memory.heapMiB p.heapMiB;
    };

  # The systemd settings of those limits (system and user units alike).
  unitSettings =
    limits:
    (if limits.max != null then { MemoryMax = limits.max; } else { })
    // (if limits.high != null then { MemoryHigh = limits.high; } else { })
    // (if limits.oomScoreAdjust != null then { OOMScoreAdjust = limits.oomScoreAdjust; } else { });

  inherit bytesOf;
}
