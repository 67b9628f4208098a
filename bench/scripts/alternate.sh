#!/usr/bin/env bash
# Two settings of `vblk bench`, A and B, over RUNS pairs of runs alternating which goes first (the machine
# drifts; alternating keeps the drift out of the ratio). Prints each run's IOPS per cell and, per cell, the
# median IOPS and CPU per I/O of each side and median(B) / median(A).
# Usage: bench/scripts/alternate.sh RUNS OUT_DIR LABEL_A 'ARGS_A' LABEL_B 'ARGS_B' [COMMON_ARGS...]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
runs="$1"; out="$2"; label_a="$3"; args_a="$4"; label_b="$5"; args_b="$6"; shift 6
mkdir -p "$out"
. "$root/bench/scripts/need.sh"
need jq jq
"$root/vblk" --version >/dev/null   # build once, outside the timed runs

one() { # LABEL ARGS RUN COMMON_ARGS...
  local label="$1" args="$2" run="$3"; shift 3
  # shellcheck disable=SC2086 # the setting's args are words on purpose
  "$root/vblk" bench $args "$@" --quiet --out "$out" --json "$out/$label-$run.json" >/dev/null
  jq -r --arg run "$run" --arg setting "$label" \
    '.cells[] | "run \($run) \($setting) \(.rw) qd\(.outstanding_per_device) x\(.devices): \(.iops | round) IOPS"' \
    "$out/$label-$run.json"
}
common=("$@")
for i in $(seq "$runs"); do
  if [ $((i % 2)) = 1 ]; then
    one "$label_a" "$args_a" "$i" "${common[@]}"; one "$label_b" "$args_b" "$i" "${common[@]}"
  else
    one "$label_b" "$args_b" "$i" "${common[@]}"; one "$label_a" "$args_a" "$i" "${common[@]}"
  fi
done

python3 - "$out" "$label_a" "$label_b" <<'PY'
import glob, json, statistics, sys
out, a, b = sys.argv[1:4]
runs = {label: [c for f in glob.glob(f"{out}/{label}-*.json") for c in json.load(open(f))["cells"]] for label in (a, b)}
# a field the two settings set differently (the policy, say) names the setting, not the cell
fields = ["rw", "outstanding_per_device", "devices"] + [f for f in ("policy", "mode")
                                                     if {c[f] for c in runs[a]} == {c[f] for c in runs[b]}]
cells = {}
for label, cs in runs.items():
    for c in cs:
        cells.setdefault(tuple(c[f] for f in fields), {}).setdefault(label, []).append(c)
def med(cs, field):
    return statistics.median(c[field] for c in cs)
print(f"{' '.join(fields):40} | runs | {a + ' IOPS':>12} | {b + ' IOPS':>12} | {b} / {a} | backend CPU s/M I/O {a} / {b}")
for key, by in sorted(cells.items()):
    if a in by and b in by:
        ia, ib = med(by[a], "iops"), med(by[b], "iops")
        print(f"{' '.join(map(str, key)):40} | {len(by[a]):4} | {ia:12,.0f} | {ib:12,.0f} | {ib / ia:.3f} | "
              f"{med(by[a], 'backend_cpu_s_per_mio'):.2f} / {med(by[b], 'backend_cpu_s_per_mio'):.2f}")
PY
