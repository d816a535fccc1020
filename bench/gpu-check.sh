#!/usr/bin/env bash
# For the owner of an NVIDIA GPU: builds the GPU build, then shows what TensorFlow sees and measures
# it. Steps: nvidia-smi, ./cifar-resnet --version (devices), benchmark on the GPU and on the CPU,
# one epoch of training on the GPU, evaluate. Everything goes to the screen and to a log file whose
# whole text is what to paste into a report (an issue, a pull request).
#
# usage: bench/gpu-check.sh [OUT_DIR]        (default runs/gpu-check-<time>; needs CIFAR-10, which
#                                             train downloads on first use, 170 MB)
# needs: Linux on x86-64 (or WSL2), the NVIDIA driver, CUDA 12 and cuDNN 9 (docs/platforms.md)
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$here/runs/gpu-check-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
log="$out/gpu-check.log"
export CIFAR_RESNET_GPU=1
status=0

step() {  # step TITLE COMMAND...: runs it, logs it, remembers a failure and goes on
  local title="$1"; shift
  { echo; echo "== $title"; echo "\$ $*"; } | tee -a "$log"
  "$@" 2>&1 | tee -a "$log"
  local rc="${PIPESTATUS[0]}"
  echo "(exit $rc)" | tee -a "$log"
  [ "$rc" = 0 ] || status=1
}

{ echo "cifar-resnet GPU check, $(date -u +%Y-%m-%dT%H:%M:%SZ)"; echo "commit: $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo '?')"; } | tee "$log"
step "the card and driver" nvidia-smi
step "what TensorFlow sees (the first run builds the GPU build)" "$here/cifar-resnet" --version
step "training and evaluation speed on the GPU" "$here/cifar-resnet" benchmark --device gpu --json
step "the same on the CPU, for comparison" "$here/cifar-resnet" benchmark --device cpu --json --steps 5
step "one epoch of the keras preset on the GPU" "$here/cifar-resnet" train --device gpu --epochs 1 --out "$out/run"
step "evaluate it on the GPU" "$here/cifar-resnet" evaluate "$out/run" --device gpu
step "and on the CPU: the accuracy should agree to about 0.001" "$here/cifar-resnet" evaluate "$out/run" --device cpu

echo
if [ "$status" = 0 ]; then echo "all steps passed; paste $log into the report"; else echo "some steps FAILED; paste $log into the report"; fi
exit "$status"
