# clawdbot-launch: prepares one gateway start, then execs the gateway. POSIX sh, run by the modules on every
# platform as `<shell> clawdbot-launch.sh [OPTIONS] -- COMMAND [ARGS...]` (no shebang is relied on, and no
# absolute /bin path: mkdir, ln, rm, cp, chmod and cat come from PATH).
#
# Options, applied in this order whatever their order on the command line:
#   --mkdir DIR              create DIR (and parents) if missing
#   --config SOURCE TARGET   make TARGET a symlink to SOURCE (the rendered config in the Nix store),
#                            replacing whatever is there: a regular file the gateway wrote at run time
#                            (config.set, plugin auto-enable) never survives a restart
#   --credential VAR NAME    export VAR with the content of $CREDENTIALS_DIRECTORY/NAME (systemd
#                            LoadCredential=, NixOS)
#   --secret VAR FILE        export VAR with the content of FILE (Home Manager, nix-darwin)
#   --env-file FILE          export the NAME=value lines of FILE (systemd EnvironmentFile= syntax; a
#                            leading "-" makes a missing file not an error)
#   --jiti-seed DIR          when $TMPDIR/jiti is absent, copy DIR (the package's build-time jiti cache)
#                            there, so that the first start is a warm start
#   --chdir DIR              the working directory of the gateway
# Trailing newlines of secret files are dropped. Secret values are never printed.
set -eu
# No pathname expansion anywhere: paths are data.
set -f

die() {
  printf 'clawdbot-launch: %s\n' "$*" >&2
  exit 1
}

mkdirs=''
links=''
secrets=''
envfiles=''
seed=''
workdir=''
nl='
'

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
  case "$var" in
  '' | [0-9]* | *[!A-Za-z0-9_]*) die "invalid variable name: $var" ;;
  esac
  [ -r "$file" ] || die "secret file for $var is not readable: $file"
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
    case "$name" in
    '' | [0-9]* | *[!A-Za-z0-9_]*) die "$file: invalid variable name: $name" ;;
    esac
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
