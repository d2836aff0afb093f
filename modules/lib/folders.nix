# Paths: the folders an instance writes, which of them the unit must be given, and which it may not take.
#
# Decides: the folders the launcher creates (state, TMPDIR, the config's, the log's, the workspace); those
# outside the state and cache directories that NixOS opens for the unit (writableDirs: tmpfiles `d` and
# ReadWritePaths=); the refusal of a folder the system or other users need (`/`, `/var/log`, `/etc`, a home
# directory itself, …: systemd-tmpfiles would give it to the service's user) with a leaf of the gateway's own
# to use instead; what DynamicUser cannot write (NixOS); what counts as the Nix store (a secret file there
# is readable by every local user: ./secrets.nix).
#
# Reads: the instance's `stateDir`, `configPath`, `logFile`, `workspace`, `user`, its cache directory
# (./paths.nix), the gateway's name and whether it opens files with openat2 (./gateways.nix). Paths are
# compared lexically (no symlinks followed), after folding `//`, `/./`, `/../` and a trailing `/`.
{
  lib,
  # the gateway's description (./gateways.nix)
  gateway,
}:
let
  inherit (builtins)
    any
    concatStringsSep
    elem
    filter
    length
    ;

  dirOf = path: toString (builtins.dirOf path);

  # An absolute path with `//`, `/./`, `/../` and a trailing `/` folded, lexically (no symlinks followed):
  # what the store check and the writable-path rules compare. (lib.path.subpath.normalise takes relative
  # paths only and refuses `..`; lib.path works on path values, these are strings a user wrote.)
  normalizePath =
    path:
    let
      s = toString path;
      parts = filter (p: p != "" && p != ".") (lib.splitString "/" s);
      folded = builtins.foldl' (acc: p: if p != ".." then acc ++ [ p ] else if acc == [ ] then [ ] else lib.init acc) [ ] parts;
    in
    (if lib.hasPrefix "/" s then "/" else "") + concatStringsSep "/" folded;

  # Is `path` (normalised) `dir` or below it?
  isWithin =
    dir: path:
    let
      d = normalizePath dir;
      p = normalizePath path;
    in
    p == d || lib.hasPrefix (if d == "/" then "/" else "${d}/") p;

  # A secret file in the Nix store (or behind /etc/static, NixOS' links into it) is readable by every
  # local user. Links into it count as in it: what NixOS, nix-darwin and Home Manager expose of the store
  # under other names (a profile, the current system, /etc's static links), whichever path the link takes.
  storeLinks = [
    builtins.storeDir
    "/nix/var/nix/profiles"
    "/etc/static"
    "/etc/profiles"
    "/run/current-system"
    "/run/booted-system"
  ];
  inStore =
    file:
    let
      p = normalizePath file;
    in
    any (dir: isWithin dir p) storeLinks || elem ".nix-profile" (lib.splitString "/" p);

  # Folders the system or other users need (a unit given one would own all of it): the file system's top
  # folders, the FHS folders services share, and a home directory itself (/home/<user>, /Users/<user>,
  # /root). `/var/log/clawdbot` is a leaf of the service's own; `/var/log` is not.
  sharedFolders = [
    "/"
    "/bin"
    "/boot"
    "/dev"
    "/etc"
    "/home"
    "/Users"
    "/lib"
    "/media"
    "/mnt"
    "/nix"
    "/nix/store"
    "/nix/var"
    "/opt"
    "/proc"
    "/root"
    "/run"
    "/run/user"
    "/sbin"
    "/srv"
    "/sys"
    "/tmp"
    "/usr"
    "/usr/local"
    "/var"
    "/var/cache"
    "/var/db"
    "/var/empty"
    "/var/lib"
    "/var/lib/private"
    "/var/log"
    "/var/spool"
    "/var/tmp"
  ];
  isSystemFolder =
    dir:
    let
      d = normalizePath dir;
      parts = lib.splitString "/" (lib.removePrefix "/" d);
    in
    elem d sharedFolders
    # a home directory itself, and a user's runtime folder
    || (length parts == 2 && elem (builtins.head parts) [ "home" "Users" ])
    || (length parts == 3 && lib.hasPrefix "/run/user/" d)
    # anything in the store or the system's own trees
    || isWithin "/nix" d
    || isWithin "/etc" d
    || isWithin "/proc" d
    || isWithin "/sys" d
    || isWithin "/dev" d
    || isWithin "/boot" d
    || isWithin "/usr" d;
in
{
  inherit
    dirOf
    normalizePath
    isWithin
    storeLinks
    inStore
    isSystemFolder
    ;

  # One instance's folders. `o`: its option values; `prefix`: its option path; `suffix`: "" or "-<name>";
  # `cacheDir`, `tmpDir`: its cache directory and TMPDIR (./paths.nix).
  instance =
    {
      o,
      prefix,
      suffix,
      cacheDir,
      tmpDir,
    }:
    let
      # The folders the launcher creates at start (--mkdir), in order, once each.
      dirs = lib.unique (
        [
          o.stateDir
          tmpDir
          (dirOf o.configPath)
        ]
        ++ (if o.logFile != null then [ (dirOf o.logFile) ] else [ ])
        ++ (if o.workspace != null then [ o.workspace ] else [ ])
      );

      # --- paths the gateway writes (NixOS: ProtectSystem=strict, ProtectHome) ---------------------
      # Beyond the state directory (StateDirectory=, or ReadWritePaths= for a stateDir elsewhere) and the
      # cache directory, each must be made writable for the unit: the folders of workspace, logFile and
      # configPath.
      writableDirs = filter (d: !(isWithin o.stateDir d) && !(isWithin cacheDir d)) (
        lib.unique (
          map normalizePath (
            [ (dirOf o.configPath) ]
            ++ (if o.logFile != null then [ (dirOf o.logFile) ] else [ ])
            ++ (if o.workspace != null then [ o.workspace ] else [ ])
          )
        )
      );
      # NixOS creates each of those folders with tmpfiles (`d`, which also sets the mode and owner of a folder
      # that exists) and opens it with ReadWritePaths=: only a folder the service can own. A folder the system
      # or other users need (`/`, `/var/log`, `/etc`, a home directory itself, …) is refused, naming the
      # option and a leaf to use instead.
      claimedFolders = filter (c: c.dir != null && isSystemFolder c.dir) [
        {
          option = "stateDir";
          dir = o.stateDir;
        }
        {
          option = "configPath";
          dir = dirOf o.configPath;
        }
        {
          option = "logFile";
          dir = if o.logFile != null then dirOf o.logFile else null;
        }
        {
          option = "workspace";
          dir = o.workspace;
        }
      ];
      # A leaf of the gateway's own in the folder the user named, or under /var/lib when that is the
      # system's own (/etc, /usr, /nix, …).
      ownFolderFor =
        c:
        let
          leaf = "${gateway.name}${suffix}";
          inside = normalizePath "${normalizePath c.dir}/${leaf}";
          folder = if isSystemFolder inside then "/var/lib/${leaf}" else inside;
        in
        if c.option == "logFile" then
          "${folder}/${baseNameOf o.logFile}"
        else if c.option == "configPath" then
          "${folder}/${baseNameOf o.configPath}"
        else
          folder;
      writablePathOptions =
        map (p: "${prefix}.${p}") (
          filter (p: o.${p} != null && !(isWithin o.stateDir (if p == "workspace" then o.${p} else dirOf o.${p}))) [
            "workspace"
            "logFile"
            "configPath"
          ]
        );
    in
    {
      inherit dirs writableDirs;

      # NixOS only: the system unit's user and the folders it is given.
      nixosAssertions = [
        {
          assertion = o.user == null -> !gateway.openat2;
          message = ''${prefix}.user = null (a transient DynamicUser) cannot run ${gateway.displayName}: it opens files with openat2(), which systemd refuses (ENOSYS) under DynamicUser=, which implies RestrictSUIDSGID=. Keep the default user "${gateway.name}" (created by the module) or name one of yours.'';
        }
        {
          assertion = claimedFolders == [ ];
          message = "${
            concatStringsSep ", " (map (c: "${prefix}.${c.option} = \"${toString o.${c.option}}\"") claimedFolders)
          }: the service would take over ${
            concatStringsSep ", " (lib.unique (map (c: normalizePath c.dir) claimedFolders))
          } (systemd-tmpfiles gives the folder to the service's user, mode 0700, and the unit may write all of it). Use a folder of the gateway's own, e.g. ${
            concatStringsSep ", " (map (c: "${prefix}.${c.option} = \"${ownFolderFor c}\"") claimedFolders)
          }.";
        }
        {
          assertion = o.user == null -> lib.hasPrefix "/var/lib/" o.stateDir;
          message = ''${prefix}.stateDir = "${o.stateDir}" is outside /var/lib, which systemd's StateDirectory= (used with DynamicUser) cannot manage. Set ${prefix}.user to a user that owns that directory, or keep the default.'';
        }
        {
          assertion = o.user == null -> writablePathOptions == [ ];
          message = ''${concatStringsSep ", " writablePathOptions} ${
            if length writablePathOptions == 1 then "is" else "are"
          } outside ${prefix}.stateDir = "${o.stateDir}". The service runs with DynamicUser (a new uid on every start) and ProtectSystem=strict, so it could not create or keep files there (it would restart forever). Keep ${
            if length writablePathOptions == 1 then "it" else "them"
          } under stateDir, or set ${prefix}.user to a user of yours: the module then creates ${concatStringsSep ", " writableDirs} for that user and makes ${
            if length writableDirs == 1 then "it" else "them"
          } writable for the unit (ReadWritePaths=, or BindPaths= under /home and /root).'';
        }
      ];
    };
}
