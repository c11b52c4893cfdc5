#!/usr/bin/env bash
# Times `panode demo` against torchdiffeq's examples/ode_demo.py at the script's settings, alternating the two
# (panode, script, panode, script, ...) so that both see the same machine load, and prints each run and the ratios.
#
#   TORCHDIFFEQ_PATH=/path/to/torchdiffeq docs/examples/demo_vs_ode_demo.sh [ROUNDS] [DTYPE] [PANODE OPTIONS...]
#
# PYTHON (default python3) must import torch. ROUNDS (default 3) pairs of runs; DTYPE float64 (default) or float32,
# for both sides. Extra options go to `panode demo` (for example --threads 2 --chunk-rows 10). Run from the project
# root after a build (`./panode info`);
# one untimed `panode demo -n 20` with the same options first makes the class-data archive of the demo command in
# that precision (see the panode script).
# PANODE_JIT=default in the environment runs panode with the JDK's own compile thresholds (docs/DEMO.md, Warm-up).
# The script runs through docs/examples/time_ode_demo.py (plots off, 1 thread, seed 0).
# Each side reports its training loop (panode: the summary's wall time, i.e. the 2000 iterations with the 100
# full-trajectory tests; the script: from its optimiser's creation to its end) and the whole command (process start
# to exit, from this shell) in wall time, and the whole command's CPU time (user + system, all threads: on a busy
# machine the steadier figure; for panode it includes the JIT compiler's threads, which a quiet 2-core machine runs
# beside the training thread).
set -euo pipefail
ROUNDS="${1:-3}"
DTYPE="${2:-float64}"
shift $(( $# > 2 ? 2 : $# ))
: "${TORCHDIFFEQ_PATH:?set TORCHDIFFEQ_PATH to the extracted torchdiffeq folder (holding torchdiffeq/ and examples/)}"
PY="${PYTHON:-python3}"
"$PY" -c 'import torch' 2>/dev/null || { echo "$PY cannot import torch: set PYTHON to a Python that has PyTorch" >&2; exit 2; }
ARGS=(-n 2000 --batch-size 20 --window 10 --rtol 1e-7 --atol 1e-9 --loss mae --optimizer rmsprop --lr 1e-3
      --schedule constant --test-freq 20 --plain --no-plots --dtype "$DTYPE" -o "${TMPDIR:-/tmp}/panode-demo-timing")
now() { date +%s.%N; }
CPUFILE="${TMPDIR:-/tmp}/panode-demo-timing.cpu"
cpu() { awk '{print $1 + $2}' "$CPUFILE"; }
./panode demo -n 20 "${ARGS[@]:2}" "$@" >/dev/null 2>&1
printf '%-6s %-7s %14s %14s %14s\n' round side "training s" "whole s" "whole CPU s"
PT=() PW=() ST=() SW=() PC=() SC=()
for r in $(seq "$ROUNDS"); do
  t0=$(now)
  out=$(/usr/bin/time -o "$CPUFILE" -f '%U %S' ./panode demo "${ARGS[@]}" "$@" 2>/dev/null)
  t1=$(now)
  ms=$(printf '%s\n' "$out" | sed -n 's/.*wall time .*(\([0-9.]*\) ms per iteration).*/\1/p')
  train=$(echo "$ms * 2000 / 1000" | bc -l)
  whole=$(echo "$t1 - $t0" | bc -l)
  c=$(cpu)
  PT+=("$train") PW+=("$whole") PC+=("$c")
  printf '%-6s %-7s %14.2f %14.2f %14.2f   %s\n' "$r" panode "$train" "$whole" "$c" "$(printf '%s\n' "$out" | grep -m1 'NFE per iteration' | sed 's/^ *//')"
  t0=$(now)
  out=$(TORCHDIFFEQ_PATH="$TORCHDIFFEQ_PATH" /usr/bin/time -o "$CPUFILE" -f '%U %S' "$PY" docs/examples/time_ode_demo.py --dtype "$DTYPE" --threads 1 -- \
        --niters 2000 --test_freq 20 2>/dev/null)
  t1=$(now)
  train=$(printf '%s\n' "$out" | sed -n 's/^training loop \([0-9.]*\) s.*/\1/p')
  whole=$(echo "$t1 - $t0" | bc -l)
  c=$(cpu)
  ST+=("$train") SW+=("$whole") SC+=("$c")
  printf '%-6s %-7s %14.2f %14.2f %14.2f   %s\n' "$r" script "$train" "$whole" "$c" \
    "$(printf '%s\n' "$out" | sed -n 's/^training loop .*(\(CPU [0-9.]* s\)).*/loop \1/p')"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
pt=$(median "${PT[@]}") pw=$(median "${PW[@]}") st=$(median "${ST[@]}") sw=$(median "${SW[@]}")
pc=$(median "${PC[@]}") sc=$(median "${SC[@]}")
printf 'median  panode %.2f s training, %.2f s whole; script %.2f s training, %.2f s whole (%s)\n' "$pt" "$pw" "$st" "$sw" "$DTYPE"
printf 'ratio   training %.1fx, whole command %.1fx (wall); whole command CPU %.1fx\n' "$(echo "$st / $pt" | bc -l)" \
  "$(echo "$sw / $pw" | bc -l)" "$(echo "$sc / $pc" | bc -l)"
