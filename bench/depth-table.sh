#!/usr/bin/env bash
# Training throughput against depth (ResNet 6n+2): `cifar-resnet benchmark --json` for each depth.
# usage: bench/depth-table.sh [PRECISION] [BATCH]      (defaults bf16 128)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
precision="${1:-bf16}"; batch="${2:-128}"
"$here/cifar-resnet" --version >/dev/null   # build first, outside the timings
echo "depth  train img/s  eval img/s  relative cost per image (ResNet20 = 1)"
base=""
for depth in 20 32 44 56 110; do
  json=$("$here/cifar-resnet" benchmark --json --depth "$depth" --precision "$precision" --batch-size "$batch" --steps "${STEPS:-10}" --warmup 2)
  read -r train eval <<<"$(echo "$json" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["train_images_per_s"], d["eval_images_per_s"])')"
  base="${base:-$train}"
  printf "%5d  %11.1f  %10.1f  %5.2f\n" "$depth" "$train" "$eval" "$(/usr/bin/python3 -c "print($base / $train)")"
done
