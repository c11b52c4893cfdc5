#!/usr/bin/env bash
# One training iteration of torchdiffeq's examples/cnf.py against panode's replica (CnfIterationTiming), alternated
# round by round in one window so that both sides see the same machine load. Build first:
#   ./mvnw -B -q -pl bench -am package -DskipTests
# then, from the repository root:
#   TORCHDIFFEQ=/path/to/torchdiffeq-source [JAVA=…/bin/java] [PYTHON=python3] bash docs/examples/cnf_paired.sh [rounds]
# Both sides run on one thread (OPENBLAS_NUM_THREADS=1, torch.set_num_threads(1)). Read the CPU-time columns on a
# loaded machine; the wall-clock medians only on a quiet one.
set -euo pipefail
rounds=${1:-3}
: "${TORCHDIFFEQ:?set TORCHDIFFEQ to a torchdiffeq source tree holding examples/cnf.py}"
JAVA=${JAVA:-java}
PYTHON=${PYTHON:-python3}
CP="bench/target/classes:$(cat bench/target/runtime.classpath)"
for round in $(seq 1 "$rounds"); do
  echo "== round $round, $(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg)"
  for conventions in panode torchdiffeq; do
    for gradient in backprop adjoint adjoint-seminorm; do
      OPENBLAS_NUM_THREADS=1 "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$CP" \
        dev.panode.bench.gradients.CnfIterationTiming "$gradient" 20 150 "$conventions" 2>/dev/null | grep -E '^panode|NFE'
    done
  done
  for dtype in float32 float64; do
    for adjoint in "" "--adjoint"; do
      PYTHONPATH="$TORCHDIFFEQ" "$PYTHON" docs/examples/cnf_torchdiffeq_timing.py --examples "$TORCHDIFFEQ/examples" \
        --threads 1 --iters 8 --warmup 2 --dtype "$dtype" $adjoint
    done
  done
done
