#!/usr/bin/env bash
# Runs the cooperative-matrix GEMM (gemm-coop) on a real Vulkan driver without a GPU.
#
# Mesa's lavapipe offers VK_KHR_cooperative_matrix from Mesa 25.1 (8 × 8 × 8 f16 matrices with
# f16 or f32 accumulation, on CPUs with 256-bit vectors); Debian bookworm's Mesa 22.3, which CI
# installs, does not, so CI only validates these kernels with naga. This script builds a Debian
# trixie root with Mesa from trixie-backports (debootstrap: as root, with the network), copies
# the release binary and tests/workloads_gpu.rs in, and runs that test and the gemm-coop
# cases there, each verified against the CPU reference and tuned over every block of matrices;
# the report is copied to OUT.
#
# Usage (root): ci/lavapipe-coop.sh [OUT]   (default OUT: target/coop-lavapipe)
# Environment: COOP_ROOT, the trixie root (default /tmp/flopledger-trixie; reused when present).
# Not part of .ci/run: it downloads a second distribution's packages (about 250 MB).
set -euo pipefail
cd "$(dirname "$0")/.."

ROOT="${COOP_ROOT:-/tmp/flopledger-trixie}"
OUT="${1:-target/coop-lavapipe}"
CASES="gemm-coop-f16-256x256x256,gemm-coop-f16-f16acc-256x256x256,gemm-coop-f16-512x512x512,gemm-coop-f16-f16acc-512x512x512,gemm-f16-512x512x512"

if [ "$(id -u)" -ne 0 ]; then
  echo "error: run as root (debootstrap and chroot need it)" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
if ! command -v debootstrap >/dev/null; then
  apt-get update && apt-get install -y debootstrap
fi
if [ ! -x "$ROOT/usr/bin/apt-get" ]; then
  echo "== debootstrap trixie into $ROOT"
  debootstrap --variant=minbase trixie "$ROOT" http://deb.debian.org/debian
fi
mkdir -p "$ROOT/proc"
mountpoint -q "$ROOT/proc" || mount --bind /proc "$ROOT/proc"
trap 'umount "$ROOT/proc" 2>/dev/null || true' EXIT

echo "== Mesa from trixie-backports in $ROOT"
echo "deb http://deb.debian.org/debian trixie-backports main" \
  > "$ROOT/etc/apt/sources.list.d/backports.list"
chroot "$ROOT" apt-get update -qq
chroot "$ROOT" apt-get install -y -qq -t trixie-backports mesa-vulkan-drivers libvulkan1

echo "== build and copy flopledger and the cooperative-matrix GPU test"
cargo build --release
cp target/release/flopledger "$ROOT/usr/local/bin/flopledger"
TEST_BIN=$(cargo test --release --test workloads_gpu --no-run 2>&1 |
  grep -o 'target/release/deps/workloads_gpu-[0-9a-f]*' | head -n 1)
cp "$TEST_BIN" "$ROOT/usr/local/bin/workloads_gpu"
rm -rf "$ROOT/tmp/coop-run" "$ROOT/tmp/coop-cache"
mkdir -p "$ROOT/tmp/coop-run" "$ROOT/tmp/coop-cache" "$ROOT/tmp/xdg"
run() {
  chroot "$ROOT" env XDG_RUNTIME_DIR=/tmp/xdg FLOPLEDGER_CACHE_DIR=/tmp/coop-cache "$@"
}
run flopledger devices
# Every tuning candidate of both accumulators at two shapes, verified (tests/workloads_gpu.rs).
run workloads_gpu coop_gemm_runs_or_is_skipped_with_the_reason --nocapture
# Exit status 1 when a case fails its verification; a skipped gemm-coop case fails the script
# too (the driver did not offer the matrices this script is for).
run flopledger run --cases "$CASES" --out /tmp/coop-run 2>&1 | tee "$ROOT/tmp/coop-run.log"
if grep -q "skipped gemm-coop" "$ROOT/tmp/coop-run.log"; then
  echo "error: a gemm-coop case was skipped (reason above)" >&2
  exit 1
fi

mkdir -p "$OUT"
cp "$ROOT"/tmp/coop-run/* "$OUT"/
echo "== report in $OUT"
