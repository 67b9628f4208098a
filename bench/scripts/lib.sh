# Shared by bench/peer.sh and bench/nbd-clients.sh: Debian packages on demand, loopback ports, a vblk backend
# process with its NBD door, and cleanup of every process a script started. Source it; it sets no options.

VBLK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VBLK_WORK="$(mktemp -d -t vblk-bench.XXXXXX)"
VBLK_PIDS=()

vblk_cleanup() {
  local p
  for p in "${VBLK_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${VBLK_PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  rm -rf "$VBLK_WORK"
}
trap vblk_cleanup EXIT
trap 'exit 130' INT TERM
. "$VBLK_ROOT/bench/scripts/need.sh"

# A TCP port free on 127.0.0.1 right now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for_line FILE REGEX PID: prints the first match of REGEX in FILE, waiting up to 120 s (first build)
# while PID lives.
wait_for_line() {
  local m
  for _ in $(seq 1200); do
    m=$(grep -o -m1 -E "$2" "$1" 2>/dev/null || true)
    [ -n "$m" ] && { echo "$m"; return 0; }
    kill -0 "$3" 2>/dev/null || break
    sleep 0.1
  done
  echo "process $3 did not print /$2/; its output:" >&2
  cat "$1" "$1.err" >&2 2>/dev/null || true
  return 1
}

# start_vblk NAME CONFIG_YAML_TEXT: starts a backend with an ephemeral main port and NBD port; sets
# VBLK_PID, VBLK_TARGET (HOST:PORT of the virtio-frame door) and VBLK_NBD (HOST:PORT of the NBD door).
start_vblk() {
  local name="$1" out="$VBLK_WORK/$1.out"
  printf '%s\n' "$2" > "$VBLK_WORK/$name.yaml"
  "$VBLK_ROOT/vblk" backend --config "$VBLK_WORK/$name.yaml" --port 0 --nbd-port 0 >"$out" 2>"$out.err" &
  VBLK_PID=$!
  VBLK_PIDS+=("$VBLK_PID")
  VBLK_TARGET=$(wait_for_line "$out" 'listening on [0-9.]+:[0-9]+' "$VBLK_PID" | grep -oE '[0-9.]+:[0-9]+$') || return 1
  VBLK_NBD=$(wait_for_line "$out" 'nbd listening on [0-9.]+:[0-9]+' "$VBLK_PID" | grep -oE '[0-9.]+:[0-9]+$') || return 1
}

# stop PID: SIGTERM, wait (a vblk backend drains and exits 0).
stop() {
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# cpu_seconds PID: user+system CPU time the process has used so far.
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{ split($0, a, ") "); split(a[2], f, " "); printf "%.3f\n", (f[12] + f[13]) / hz }' \
    "/proc/$1/stat"
}
