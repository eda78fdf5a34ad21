#!/usr/bin/env bash
# The measurement to run on the next lent datacenter GPU (issue 15), as one command:
#   ../shared/gpu/prepare.sh here, then `run` with carry [".gl", ".dev"], timeout_s about 590,
#   command "bash ci/h200-followup.sh"; then give the machine back.
# What it measures, in its ~9 minutes:
#   1. the standard suite with an empty tuning cache (so the cooperative-matrix search reaches
#      the staged blocks with PF, which the fourth H200 run's search never did), energy on a
#      budget: $OUT/rep/, $OUT/run.log;
#   2. the two batch-1 cases that moved without explanation in the fourth run, three times each
#      with their tuned kernels: $OUT/repeat.log;
#   3. GEMM f32/f16/coop at 4096³ and causal attention at L 512 with and without wgpu's shader
#      runtime checks, alternating, default kernels: $OUT/checks.log.
# Each step has its own time limit, so a slow step leaves the others their time.
set -u
[ -n "${OUT:-}" ] || { echo "OUT is not set: run this through the device tool" >&2; exit 2; }
for f in .gl/*.deb; do dpkg -x "$f" /; done
ldconfig
export XDG_RUNTIME_DIR=$(mktemp -d) FLOPLEDGER_CACHE_DIR=$OUT/cache
export LD_LIBRARY_PATH=/usr/local/nvidia/lib64:/usr/local/nvidia/lib:${LD_LIBRARY_PATH:-}
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -f "$icd" ] && export VK_DRIVER_FILES=$icd
B=.dev/flopledger
mkdir -p "$OUT/rep"
(nvidia-smi; $B devices; $B power) > "$OUT/env.txt" 2>&1

timeout 360 $B run --suite standard --max-time 2s --energy-window 3s --energy-trials 2 \
  --energy-budget 75s --out "$OUT/rep" --format json,md,html > "$OUT/run.log" 2>&1
echo "suite exit $?" >> "$OUT/run.log"

scratch=$(mktemp -d)
for c in gemv-q8_0-b1-14336x4096 attention-decode-f16-h32-kv4096-d128 gemv-q8_0-b1-4096x14336; do
  for i in 1 2 3; do
    echo "== $c round $i" >> "$OUT/repeat.log"
    timeout 40 $B run -c "$c" --no-energy --out "$scratch/r-$c-$i" --format md \
      >> "$OUT/repeat.log" 2>&1
  done
done

cases=gemm-f32-4096x4096x4096,gemm-f16-4096x4096x4096,gemm-coop-f16-4096x4096x4096,attention-f32-h32-l512-d64-causal
for round in plain checks plain checks plain; do
  flag=""
  [ "$round" = checks ] && flag=--shader-checks
  echo "== $round" >> "$OUT/checks.log"
  timeout 40 $B run -c "$cases" --no-tune --no-energy $flag --out "$scratch/c-$round-$RANDOM" \
    --format md >> "$OUT/checks.log" 2>&1
done
exit 0
