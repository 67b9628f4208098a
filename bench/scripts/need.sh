# need CMD PACKAGE...: installs the Debian packages when CMD is missing (apt-get, as root or through sudo).
# Sourced by .ci/run and bench/scripts/lib.sh.
need() {
  local cmd="$1"; shift
  command -v "$cmd" >/dev/null 2>&1 && return 0
  echo "installing $* (for $cmd)..." >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if [ -z "${NEED_APT_UPDATED:-}" ]; then
    $sudo apt-get update -qq >/dev/null || { echo "cannot install $* (apt-get update failed)" >&2; return 1; }
    NEED_APT_UPDATED=1
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null \
    || { echo "cannot install $* (apt-get failed)" >&2; return 1; }
  command -v "$cmd" >/dev/null 2>&1
}
