# clawdbot-launch: prepares one gateway start, then execs the gateway. POSIX sh, run by the modules on every
# platform as `<shell> clawdbot-launch.sh [OPTIONS] -- COMMAND [ARGS...]` (no shebang is relied on, and no
# absolute /bin path: mkdir, ln, rm, cp, chmod and cat come from PATH).
#
# Options, applied in this order whatever their order on the command line:
#   --mkdir DIR              create DIR (and parents) if missing
#   --config SOURCE TARGET   make TARGET a symlink to SOURCE (the rendered config in the Nix store),
#                            replacing whatever is there: a regular file the gateway wrote at run time
#                            (config.set, plugin auto-enable) never survives a restart. The gateway's
#                            config writer also leaves TARGET.bak, TARGET.bak.N and TARGET.<pid>.<uuid>.tmp,
#                            which hold the config with its ${VAR} references substituted (secrets in
#                            clear): they are removed too
#   --credential VAR NAME    export VAR with the content of $CREDENTIALS_DIRECTORY/NAME (systemd
#                            LoadCredential=, NixOS)
#   --secret VAR FILE        export VAR with the content of FILE (Home Manager, nix-darwin)
#   --token VAR FILE         the gateway token: when FILE does not exist, write a new random token to it
#                            (64 hex digits from /dev/urandom, mode 0600, via a temporary file and a
#                            rename); then export VAR with its content
#   --env-file FILE          export the NAME=value lines of FILE (systemd EnvironmentFile= syntax; a
#                            leading "-" makes a missing file not an error)
#   --jiti-seed DIR          when $TMPDIR/jiti is absent, copy DIR (the package's build-time jiti cache)
#                            there, so that the first start is a warm start
#   --chdir DIR              the working directory of the gateway
#   --require-env VAR        VAR must be set and non-empty once the secrets and environment files are read
#                            (the config references it as ${VAR}; the gateway would refuse to start)
#   --listener-owner PORT USER
#                            (the owner's command, Linux) before the command runs, read the kernel's table of
#                            listening TCP sockets (/proc/net/tcp and /proc/net/tcp6, state 0A) for PORT on
#                            any local address (loopback, 0.0.0.0, ::, a LAN or tailnet address: wherever the
#                            command may connect). A listener owned by any uid but USER's (resolved now with
#                            `id -u USER`, which finds a systemd DynamicUser only while its unit runs; "-" is
#                            the user running this) or root's: refuse with 78 and run nothing (a local user
#                            holding the port while the gateway is down would receive the token). Nothing
#                            listening: the variables of --gateway-credential are unset before the command
#                            runs (a stand-in could start listening between this check and the command's
#                            connection). The service listening: everything is passed on. No readable
#                            /proc/net/tcp: 78 (this check is not made on macOS: the modules do not pass it)
#   --gateway-credential VAR (with --listener-owner) VAR holds a credential the command sends to the gateway
#                            (its token, its password): exported only while the service itself listens
# Trailing newlines of secret files are dropped. Secret values are never printed. A secret file over 64 KiB
# is refused (it travels in the environment, where Linux allows 128 KiB a variable).
#
# Exit status 78 (EX_CONFIG) when the configuration cannot work (a usage error, an unreadable secret or
# environment file, a referenced variable without a value): the units list it in RestartPreventExitStatus=,
# so such a start fails once, with the reason in the journal, instead of looping.
set -eu
# No pathname expansion anywhere: paths are data.
set -f

die() {
  printf 'clawdbot-launch: %s\n' "$*" >&2
  # Under systemd (INVOCATION_ID is set), give journald a moment to attribute the line to the unit: a
  # process that exits within milliseconds is sometimes logged without it (`journalctl -u` misses it).
  if [ -n "${INVOCATION_ID:-}" ]; then sleep 1; fi
  exit 78
}

mkdirs=''
links=''
secrets=''
envfiles=''
tokens=''
required=''
seed=''
workdir=''
listen=''
listen_port=''
listen_user=''
credentials=''
nl='
'
# One environment string holds at most 131072 bytes (Linux's MAX_ARG_STRLEN), "NAME=" included.
max_secret_bytes=65536

need() {
  [ "$1" -ge "$2" ] || die "option $3 needs $(($2 - 1)) argument(s)"
}

while [ "$#" -gt 0 ]; do
  case "$1" in
  --mkdir)
    need "$#" 2 "$1"
    mkdirs="$mkdirs$2$nl"
    shift 2
    ;;
  --config)
    need "$#" 3 "$1"
    links="$links$2$nl$3$nl"
    shift 3
    ;;
  --credential)
    need "$#" 3 "$1"
    [ -n "${CREDENTIALS_DIRECTORY:-}" ] || die "--credential $2: CREDENTIALS_DIRECTORY is not set (LoadCredential= missing?)"
    secrets="$secrets$2$nl$CREDENTIALS_DIRECTORY/$3$nl"
    shift 3
    ;;
  --secret)
    need "$#" 3 "$1"
    secrets="$secrets$2$nl$3$nl"
    shift 3
    ;;
  --env-file)
    need "$#" 2 "$1"
    envfiles="$envfiles$2$nl"
    shift 2
    ;;
  --token)
    need "$#" 3 "$1"
    tokens="$tokens$2$nl$3$nl"
    shift 3
    ;;
  --require-env)
    need "$#" 2 "$1"
    required="$required$2$nl"
    shift 2
    ;;
  --jiti-seed)
    need "$#" 2 "$1"
    seed="$2"
    shift 2
    ;;
  --listener-owner)
    need "$#" 3 "$1"
    listen=1
    listen_port=$2
    listen_user=$3
    shift 3
    ;;
  --gateway-credential)
    need "$#" 2 "$1"
    credentials="$credentials$2$nl"
    shift 2
    ;;
  --chdir)
    need "$#" 2 "$1"
    workdir="$2"
    shift 2
    ;;
  --)
    shift
    break
    ;;
  *)
    die "unknown option: $1"
    ;;
  esac
done
[ "$#" -gt 0 ] || die "no command after --"

umask 077

# Newline-separated lists are read back with IFS set to a newline only (paths may hold spaces).
oldifs=$IFS
IFS=$nl

for dir in $mkdirs; do
  mkdir -p -- "$dir" || die "cannot create $dir"
done

pending=''
for item in $links; do
  if [ -z "$pending" ]; then
    pending=$item
    continue
  fi
  source=$pending
  target=$item
  pending=''
  [ -e "$source" ] || die "config $source does not exist"
  if [ -L "$target" ] || [ -e "$target" ]; then
    [ -d "$target" ] && [ ! -L "$target" ] && die "$target is a directory, expected the config file"
    rm -f -- "$target"
  fi
  ln -s -- "$source" "$target" || die "cannot link $target"
  # Upstream's backups and temporary files of the config (see --config above); the quoted part of each
  # pattern is literal, only the added suffix is a pattern.
  set +f
  for stale in "$target".bak "$target".bak.* "$target".*.tmp; do
    if [ -e "$stale" ] || [ -L "$stale" ]; then
      rm -f -- "$stale" || die "cannot remove $stale"
    fi
  done
  set -f
done

valid_name() {
  case "$1" in
  '' | [0-9]* | *[!A-Za-z0-9_]*) return 1 ;;
  esac
}

pending=''
for item in $tokens; do
  if [ -z "$pending" ]; then
    pending=$item
    continue
  fi
  var=$pending
  file=$item
  pending=''
  valid_name "$var" || die "invalid variable name: $var"
  if [ ! -e "$file" ]; then
    token=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n') || die "cannot read /dev/urandom"
    [ "${#token}" -eq 64 ] || die "could not generate a gateway token"
    printf '%s\n' "$token" >"$file.new" || die "cannot write $file.new"
    mv -f -- "$file.new" "$file" || die "cannot create $file"
    unset token
    printf 'clawdbot-launch: generated a gateway token in %s\n' "$file" >&2
  fi
  secrets="$secrets$var$nl$file$nl"
done

pending=''
for item in $secrets; do
  if [ -z "$pending" ]; then
    pending=$item
    continue
  fi
  var=$pending
  file=$item
  pending=''
  valid_name "$var" || die "invalid variable name: $var"
  [ -r "$file" ] || die "secret file for $var is not readable: $file"
  # Linux refuses to start a program with one environment string over 128 KiB (MAX_ARG_STRLEN, "Argument
  # list too long", exit 126, which a unit restarts until its limit): a file that large is no secret of
  # the gateway's (a token, a key, a password) but the wrong file.
  size=$(wc -c <"$file") || die "cannot read the secret file for $var: $file"
  [ "$size" -le "$max_secret_bytes" ] || die "the secret file for $var is $size bytes, over the $max_secret_bytes a secret can have (it is passed in the environment): is $file the right file?"
  value=$(cat -- "$file") || die "cannot read the secret file for $var: $file"
  export "$var=$value"
done
unset value

for file in $envfiles; do
  optional=''
  case "$file" in
  -*)
    optional=1
    file=${file#-}
    ;;
  esac
  if [ ! -e "$file" ]; then
    [ -n "$optional" ] && continue
    die "environment file does not exist: $file"
  fi
  [ -r "$file" ] || die "environment file is not readable: $file"
  while IFS= read -r line || [ -n "$line" ]; do
    # strip leading blanks
    line=${line#"${line%%[![:space:]]*}"}
    case "$line" in
    '' | '#'* | ';'*) continue ;;
    esac
    line=${line#export }
    case "$line" in
    *=*) ;;
    *) die "$file: not a NAME=value line" ;;
    esac
    name=${line%%=*}
    value=${line#*=}
    # trailing blanks of the name, surrounding quotes of the value
    name=${name%"${name##*[![:space:]]}"}
    valid_name "$name" || die "$file: invalid variable name: $name"
    case "$value" in
    \"*\")
      value=${value#\"}
      value=${value%\"}
      ;;
    \'*\')
      value=${value#\'}
      value=${value%\'}
      ;;
    esac
    export "$name=$value"
  done <"$file"
done
unset line name value

for var in $required; do
  valid_name "$var" || die "invalid variable name: $var"
  eval "value=\${$var:-}"
  [ -n "$value" ] || die "the config references \${$var}, which has no value: set it in a file of environmentFiles (NAME=value), or remove the reference"
done
unset value

IFS=$oldifs

# --listener-owner: who listens on the gateway's port, by the kernel's socket tables. A line of
# /proc/net/tcp{,6}: "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid …", the
# local address as HEXADDR:HEXPORT, state 0A = LISTEN, uid the socket's owner (as seen from this user
# namespace).
if [ -n "$credentials" ] && [ -z "$listen" ]; then
  die "--gateway-credential needs --listener-owner"
fi
if [ -n "$listen" ]; then
  case "$listen_port" in
  '' | *[!0-9]*) die "--listener-owner: not a port: $listen_port" ;;
  esac
  if [ "$listen_port" -lt 1 ] || [ "$listen_port" -gt 65535 ]; then die "--listener-owner: not a port: $listen_port"; fi
  [ -r /proc/net/tcp ] || die "--listener-owner: cannot read /proc/net/tcp, so cannot tell who listens on port $listen_port"
  hexport=$(printf '%04X' "$listen_port")
  if [ "$listen_user" = - ]; then
    service_uid=$(id -u) || die "--listener-owner: cannot tell who runs this"
  else
    # A DynamicUser exists only while its unit runs: then no uid is the service's.
    service_uid=$(id -u -- "$listen_user" 2>/dev/null) || service_uid=''
  fi
  own=''
  foreign=''
  for table in /proc/net/tcp /proc/net/tcp6; do
    [ -r "$table" ] || continue
    while read -r _sl local _rem state _queues _timer _retr uid _rest; do
      [ "$state" = 0A ] || continue
      case "$local" in
      *:"$hexport") ;;
      *) continue ;;
      esac
      if [ "$uid" = 0 ] || { [ -n "$service_uid" ] && [ "$uid" = "$service_uid" ]; }; then
        own=1
      else
        case " $foreign " in
        *" $uid "*) ;;
        *) foreign="${foreign:+$foreign }$uid" ;;
        esac
      fi
    done <"$table"
  done
  if [ -n "$foreign" ]; then
    holders=''
    for uid in $foreign; do
      who=$(getent passwd "$uid" 2>/dev/null) && who=${who%%:*} || who=''
      holders="${holders:+$holders, }uid $uid${who:+ ($who)}"
    done
    if [ "$listen_user" = - ]; then
      owner="you (uid $service_uid)"
    elif [ -n "$service_uid" ]; then
      owner="its user $listen_user (uid $service_uid)"
    else
      owner="its user $listen_user, who has no uid now: the service is not running"
    fi
    die "port $listen_port is held by $holders, not by the gateway ($owner): another program listens where the gateway should and would receive its token, so nothing was run. Find it as root with: ss -ltnp 'sport = :$listen_port'"
  fi
  if [ -z "$own" ] && [ -n "$credentials" ]; then
    IFS=$nl
    withheld=''
    for var in $credentials; do
      valid_name "$var" || die "invalid variable name: $var"
      unset "$var"
      withheld="${withheld:+$withheld }$var"
    done
    IFS=$oldifs
    printf 'clawdbot-launch: nothing listens on port %s (the gateway is stopped or still starting): running without %s\n' "$listen_port" "$withheld" >&2
  fi
fi

if [ -n "$seed" ] && [ -d "$seed" ]; then
  jiti="${TMPDIR:-/tmp}/jiti"
  if [ ! -e "$jiti" ]; then
    # Copy into a temporary name and rename: a start interrupted half-way leaves no partial cache.
    mkdir -p -- "${TMPDIR:-/tmp}"
    rm -rf -- "$jiti.seeding"
    if cp -R -- "$seed" "$jiti.seeding" 2>/dev/null && chmod -R u+w -- "$jiti.seeding"; then
      mv -- "$jiti.seeding" "$jiti" || rm -rf -- "$jiti.seeding"
    else
      rm -rf -- "$jiti.seeding"
      printf 'clawdbot-launch: could not seed the jiti cache from %s (the first start will be slower)\n' "$seed" >&2
    fi
  fi
fi

if [ -n "$workdir" ]; then
  cd -- "$workdir" || die "cannot enter $workdir"
fi

exec "$@"
