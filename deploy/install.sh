#!/usr/bin/env bash
# Installs (or upgrades) smartspace on a Raspberry Pi or any Debian-like machine with systemd,
# without Docker. Run from a checkout (or an unpacked release) as root:
#   sudo deploy/install.sh [--gateway gw-main] [options]
#
# What it does, and does again on every run (re-running upgrades the app, keeps config and data):
#   1. builds the checkout when it has to (`npm ci` without node_modules, `npm run build` when
#      dist/ is missing or older than the sources), as the user who owns the checkout;
#   2. stages the app (scripts/release/stage.sh) into PREFIX/releases/<version>-<UTC time> and
#      points PREFIX/current at it; the release it replaces is kept for --rollback (--keep N);
#   3. creates the system user `smartspace` (no login shell, home /var/lib/smartspace, groups
#      dialout and gpio where they exist), /etc/smartspace (0750, the site config and secrets)
#      and /var/lib/smartspace (0750, every database, the gateways' and Node-RED's files);
#   4. writes the systemd units (deploy/systemd/) and /usr/local/bin/smartspace (the admin CLI),
#      enables the units, and (re)starts them when the site config exists.
#
# Options:
#   --root DIR       install into DIR as if it were / (images, tests): users via useradd --prefix,
#                    units enabled with systemctl --root, nothing started
#   --prefix DIR     where the app goes (default /opt/smartspace)
#   --gateway ID     enable the gateway unit smartspace-gateway@ID (repeatable)
#   --no-services    do not enable the services and Node-RED (a Pi that only runs a gateway);
#                    later runs remember it (PREFIX/install.conf)
#   --no-start       enable, but do not (re)start anything
#   --no-build       use dist/ as it is (fails when it is missing)
#   --keep N         releases kept under PREFIX/releases, the current one included (default 2)
#   --rollback       point PREFIX/current back at the release before it, restart; nothing else
# Environment: SMARTSPACE_OMIT_OPTIONAL=1 installs without the Node 24 binary from the npm
# registry; the machine's Node (>= 22.12) then runs smartspace.
set -euo pipefail
# What it writes must be readable by the smartspace user, whatever the admin's umask is.
umask 022

say() { printf 'install: %s\n' "$*"; }
die() {
  printf 'install: %s\n' "$*" >&2
  exit 1
}
usage() {
  sed -n '/^# Options:/,/^# registry/p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit "${1:-2}"
}

# The value of a flag that takes one: `--root DIR`.
value() {
  if [ $# -lt 2 ] || [ -z "$2" ]; then
    printf 'install: %s needs a value\n' "$1" >&2
    exit 2
  fi
}
root=/
prefix=/opt/smartspace
gateways=()
services= # 1 or 0 (--no-services); unset: as the last install on this machine chose, else 1
start=1
build=1
keep=2
rollback=0
while [ $# -gt 0 ]; do
  case "$1" in
    --root) value "$@"; root=$2; shift ;;
    --root=*) root=${1#*=} ;;
    --prefix) value "$@"; prefix=$2; shift ;;
    --prefix=*) prefix=${1#*=} ;;
    --gateway) value "$@"; gateways+=("$2"); shift ;;
    --gateway=*) gateways+=("${1#*=}") ;;
    --no-services) services=0 ;;
    --no-start) start=0 ;;
    --no-build) build=0 ;;
    --keep) value "$@"; keep=$2; shift ;;
    --keep=*) keep=${1#*=} ;;
    --rollback) rollback=1 ;;
    -h | --help) usage 0 ;;
    *) printf 'install: unknown option %s\n' "$1" >&2; usage ;;
  esac
  shift
done
case "$prefix" in /*) ;; *) die "--prefix must be an absolute path: $prefix" ;; esac
case "$keep" in '' | *[!0-9]* | 0 | 1) die "--keep must be a number of at least 2 (the current release and one to roll back to): $keep" ;; esac
for id in "${gateways[@]}"; do
  [[ "$id" =~ ^[a-z0-9][a-z0-9-]*$ ]] || die "--gateway $id: a gateway id is lower-case letters, digits and dashes"
done
[ "$(id -u)" -eq 0 ] || die "run me as root (sudo): I create a system user and write /etc and $prefix"
mkdir -p "$root"
root=$(cd "$root" && pwd)
R=${root%/} # "" for the real system: "$R/etc" is /etc
real_system=0
[ -z "$R" ] && real_system=1

{ [ -f "$R/etc/passwd" ] && [ -f "$R/etc/group" ]; } || die "$R/etc/passwd and $R/etc/group must exist (--root needs a root with its user database)"

CONFIG_DIR=/etc/smartspace
DATA_DIR=/var/lib/smartspace
UNIT_DIR=/etc/systemd/system
USER_NAME=smartspace
app="$R$prefix"
src=$(cd "$(dirname "$0")/.." && pwd)

if [ -z "$services" ]; then
  services=$(sed -n 's/^services=\([01]\)$/\1/p' "$app/install.conf" 2>/dev/null || true)
  services=${services:-1}
fi

systemd_running() { [ "$real_system" = 1 ] && [ -d /run/systemd/system ]; }
units_enabled() {
  local u=()
  if [ "$services" = 1 ]; then u+=(smartspace-services.service smartspace-node-red.service); fi
  for id in "${gateways[@]}"; do u+=("smartspace-gateway@$id.service"); done
  printf '%s\n' smartspace.target "${u[@]}"
}
restart_units() {
  if [ "$start" = 0 ]; then
    say "not started (--no-start)"
  elif [ "$real_system" = 0 ]; then
    say "installed into $root: nothing started"
  elif ! systemd_running; then
    say "systemd is not running here: nothing started"
  elif [ ! -f "$CONFIG_DIR/site.yaml" ]; then
    say "no $CONFIG_DIR/site.yaml yet: nothing started (see the next steps below)"
  else
    systemctl restart smartspace.target
    say "restarted smartspace.target"
  fi
}

# --- rollback: only the symlink moves ---------------------------------------------------------
# Releases are named <version>-<YYYYmmddHHMMSS>: their age is the part after the last dash.
releases_newest_first() {
  local d
  [ -d "$app/releases" ] || return 0
  for d in "$app/releases"/*/; do
    [ -d "$d" ] || continue
    d=$(basename "$d")
    case "$d" in .*) continue ;; esac
    printf '%s %s\n' "${d##*-}" "$d"
  done | sort -r | cut -d' ' -f2
}
point_current_at() {
  ln -sfn "releases/$1" "$app/.current.new"
  mv -Tf "$app/.current.new" "$app/current"
}
if [ "$rollback" = 1 ]; then
  [ -L "$app/current" ] || die "nothing to roll back: $app/current does not exist"
  now=$(basename "$(readlink "$app/current")")
  previous=$(releases_newest_first | awk -v now="$now" 'found { print; exit } $0 == now { found = 1 }')
  [ -n "$previous" ] || die "no release older than $now under $app/releases to roll back to"
  point_current_at "$previous"
  say "rolled back: $prefix/current → releases/$previous (was $now)"
  restart_units
  exit 0
fi

# --- 1. build -----------------------------------------------------------------------------------
# As the checkout's owner: `sudo deploy/install.sh` must not leave root-owned files in it.
as_owner() {
  local owner
  owner=$(stat -c %U "$src")
  if [ "$owner" != root ] && [ "$owner" != UNKNOWN ]; then
    runuser -u "$owner" -- "$@"
  else
    "$@"
  fi
}
sources_newer_than_dist() {
  local dirs=() d
  for d in gateway services config contracts runtime cli firmware-bridge dashboard node-red bin; do
    [ -d "$src/$d" ] && dirs+=("$src/$d")
  done
  [ -n "$(find "${dirs[@]}" "$src/package-lock.json" -newer "$src/dist/node/services/main.js" \
    -type f -not -path '*/node_modules/*' -print -quit)" ]
}
if [ "$build" = 1 ] && [ -f "$src/tsconfig.build.json" ]; then
  command -v npm >/dev/null || die "npm is missing: install Node.js and npm first (apt-get install nodejs npm)"
  # Missing, or older than the lockfile (a `git pull` changed the dependencies).
  if [ ! -e "$src/node_modules" ] || [ "$src/package-lock.json" -nt "$src/node_modules/.package-lock.json" ]; then
    say "npm ci in $src"
    (cd "$src" && as_owner npm ci --no-audit --no-fund --loglevel=error)
  fi
  if [ ! -f "$src/dist/node/services/main.js" ] || [ ! -f "$src/dist/dashboard/index.html" ] || sources_newer_than_dist; then
    say "npm run build in $src"
    (cd "$src" && as_owner npm run build --silent)
  fi
fi
for built in dist/node/services/main.js dist/node/gateway/main.js dist/dashboard/index.html; do
  [ -f "$src/$built" ] || die "$src/$built is missing: run npm run build (or drop --no-build)"
done

# --- 2. stage the release -------------------------------------------------------------------
version=$(sed -n 's/^  "version": "\([^"]*\)".*/\1/p' "$src/package.json")
[ -n "$version" ] || die "no version in $src/package.json"
name="$version-$(date -u +%Y%m%d%H%M%S)"
mkdir -p "$app/releases"
[ -e "$app/releases/$name" ] && die "$app/releases/$name exists already (two installs within a second?)"
staging="$app/releases/.staging-$name"
rm -rf "$staging"
trap 'rm -rf "$staging"' EXIT
say "staging $name into $prefix/releases"
"$src/scripts/release/stage.sh" "$staging"
{
  echo "version=$version"
  echo "commit=$(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "installed=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$staging/RELEASE"
mv "$staging" "$app/releases/$name"
trap - EXIT

# The Node that runs it: the Node 24 binary from the npm registry staged with it, else this
# machine's own (SMARTSPACE_OMIT_OPTIONAL=1), which must be new enough.
if [ -x "$app/releases/$name/node_modules/node/bin/node" ]; then
  node_bin="$prefix/current/node_modules/node/bin/node"
else
  node_bin=$(command -v node || true)
  [ -n "$node_bin" ] || die "no Node.js: install without SMARTSPACE_OMIT_OPTIONAL=1 to bring Node 24"
  node_bin=$(readlink -f "$node_bin")
  v=$("$node_bin" -p 'process.versions.node')
  IFS=. read -r major minor _ <<<"$v"
  if [ "$major" -lt 22 ] || { [ "$major" -eq 22 ] && [ "$minor" -lt 12 ]; }; then
    rm -rf "${app:?}/releases/$name"
    die "$node_bin is Node $v; smartspace needs 22.12 or newer: install without SMARTSPACE_OMIT_OPTIONAL=1"
  fi
fi

previous=""
[ -L "$app/current" ] && previous=$(basename "$(readlink "$app/current")")
point_current_at "$name"
say "$prefix/current → releases/$name${previous:+ (was $previous, kept for --rollback)}"
releases_newest_first | tail -n +"$((keep + 1))" | while read -r old; do
  # Never the one just installed, nor the one it replaced (the rollback target).
  if [ "$old" != "$name" ] && [ "$old" != "$previous" ]; then
    rm -rf "${app:?}/releases/$old"
    say "removed the old release $old"
  fi
done

echo "services=$services" >"$app/install.conf"

# --- 3. user and directories -------------------------------------------------------------------
in_root() { if [ "$real_system" = 1 ]; then "$@"; else "$@" --prefix "$root"; fi; }
has_group() { grep -q "^$1:" "$R/etc/group"; }
groups=()
for g in dialout gpio; do has_group "$g" && groups+=("$g"); done
group_list=$(
  IFS=,
  echo "${groups[*]}"
)
if grep -q "^$USER_NAME:" "$R/etc/passwd"; then
  if [ -n "$group_list" ]; then in_root usermod --append --groups "$group_list" "$USER_NAME"; fi
else
  say "creating the system user $USER_NAME${group_list:+ (groups $group_list)}"
  in_root useradd --system --user-group --home-dir "$DATA_DIR" --no-create-home --shell /usr/sbin/nologin \
    --comment "smartspace" ${group_list:+--groups "$group_list"} "$USER_NAME"
fi
ids=$(awk -F: -v u="$USER_NAME" '$1 == u { print $3 ":" $4 }' "$R/etc/passwd")
[ -n "$ids" ] || die "the user $USER_NAME is not in $R/etc/passwd after useradd"
for d in "$CONFIG_DIR" "$DATA_DIR"; do
  mkdir -p "$R$d"
  chown "$ids" "$R$d"
  chmod 0750 "$R$d"
done

# --- 4. units, the CLI, enable, start ------------------------------------------------------------
mkdir -p "$R$UNIT_DIR"
for unit in "$src"/deploy/systemd/*; do
  sed -e "s#/opt/smartspace/current/node_modules/node/bin/node #$node_bin #" \
    -e "s#/opt/smartspace#$prefix#g" "$unit" >"$R$UNIT_DIR/$(basename "$unit")"
  chmod 0644 "$R$UNIT_DIR/$(basename "$unit")"
done
mkdir -p "$R/usr/local/bin"
cat >"$R/usr/local/bin/smartspace" <<EOF
#!/bin/sh
# The smartspace admin CLI of the installed release (written by deploy/install.sh).
exec $node_bin $prefix/current/bin/smartspace.js "\$@"
EOF
chmod 0755 "$R/usr/local/bin/smartspace"

mapfile -t enable < <(units_enabled)
if [ "$real_system" = 0 ]; then
  systemctl --root="$root" enable "${enable[@]}" 2>&1 | sed 's/^/install: /'
elif systemd_running; then
  systemctl daemon-reload
  systemctl enable "${enable[@]}" 2>&1 | sed 's/^/install: /'
else
  systemctl enable "${enable[@]}" 2>&1 | sed 's/^/install: /' || say "could not enable ${enable[*]}: enable them once systemd runs"
fi
restart_units

# --- next steps -----------------------------------------------------------------------------------
gw=${gateways[0]:-gw-main}
if [ ! -f "$R$CONFIG_DIR/site.yaml" ]; then
  cat <<EOF

smartspace $version is installed in $prefix. Next:
  1. Write the site (site.yaml and secrets.yaml in $CONFIG_DIR, data in $DATA_DIR):
       sudo -u $USER_NAME smartspace init --config $CONFIG_DIR/site.yaml --data $DATA_DIR \\
         --site-name "My Space" --time-zone Europe/Copenhagen --operator-email you@example.org
     then describe your doors, readers and desks in $CONFIG_DIR/site.yaml.
  2. Start it:
       sudo systemctl enable --now smartspace.target smartspace-services smartspace-node-red smartspace-gateway@$gw
  3. Watch it:
       journalctl -u 'smartspace*' -f
EOF
else
  cat <<EOF

smartspace $version is installed in $prefix; the site in $CONFIG_DIR is kept.
  Status:   systemctl status 'smartspace*'
  Logs:     journalctl -u 'smartspace*' -f
  Roll back to ${previous:-the previous release}: sudo $0 --rollback
EOF
fi
