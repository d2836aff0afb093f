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
