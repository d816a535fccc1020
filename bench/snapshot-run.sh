#!/usr/bin/env bash
# bench/snapshot-run.sh RUN_DIR NAME: insurance for a long run that goes on across sessions. Copies what
# resuming needs into docs/results/NAME/ (config.json, history.csv, command.txt, checkpoints/last.npz and
# checkpoints/best.npz, the best epoch's weights, which the run alone holds; with the machine's paths made
# relative), so the run can be resumed from a fresh clone:
#   mkdir -p runs/NAME/checkpoints && cp docs/results/NAME/{config.json,history.csv} runs/NAME/ \
#     && cp docs/results/NAME/checkpoints/last.npz runs/NAME/checkpoints/ && ./cifar-resnet resume runs/NAME
# A finished run is published with bench/publish-run.sh instead.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 RUN_DIR NAME" >&2; exit 2; }
run="$1"; name="$2"
root="$(cd "$(dirname "$0")/.." && pwd)"
[ -f "$run/history.csv" ] && [ -f "$run/checkpoints/last.npz" ] || { echo "error: $run has no history.csv or checkpoints/last.npz yet" >&2; exit 1; }
out="$root/docs/results/$name"
mkdir -p "$out/checkpoints"
for f in config.json history.csv command.txt; do
  [ -f "$run/$f" ] && cp "$run/$f" "$out/$f"
done
cp "$run/checkpoints/last.npz" "$out/checkpoints/last.npz"
[ -f "$run/checkpoints/best.npz" ] && cp "$run/checkpoints/best.npz" "$out/checkpoints/best.npz"
"$root/bench/relative-paths.py" "$out" "$name" >/dev/null
echo "snapshot of $run in docs/results/$name: $(($(wc -l < "$out/history.csv") - 1)) epochs"
