#!/usr/bin/env bash
# bench/publish-run.sh RUN_DIR NAME: copies a finished run's evidence into the repository, as issue 7
# asks: docs/results/NAME/ (config.json, history.csv, curves.png, report.html; not train.log, which git
# ignores as *.log) and models/NAME/best.npz (the best checkpoint, about 1 MB for ResNet20), with the
# machine's paths in config.json and report.html made relative (bench/relative-paths.py). The run's own
# command.txt comes along where it has one (bench/run-queue.sh and the long runs keep one); complete it, or
# write it: the exact command, when and how it ran, and what `evaluate models/NAME` prints.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 RUN_DIR NAME" >&2; exit 2; }
run="$1"; name="$2"
root="$(cd "$(dirname "$0")/.." && pwd)"
[ -f "$run/history.csv" ] && [ -f "$run/checkpoints/best.npz" ] || { echo "error: $run has no history.csv or checkpoints/best.npz" >&2; exit 1; }
mkdir -p "$root/docs/results/$name" "$root/models/$name"
for f in config.json history.csv curves.png report.html command.txt; do
  [ -f "$run/$f" ] && cp "$run/$f" "$root/docs/results/$name/$f"
done
cp "$run/checkpoints/best.npz" "$root/models/$name/best.npz"
# A finished run needs no resume insurance: drop the snapshot's last.npz (bench/snapshot-run.sh).
rm -rf "$root/docs/results/$name/checkpoints"
"$root/bench/relative-paths.py" "$root/docs/results/$name" "$name" "$root/models/$name/best.npz"
echo "published $run as docs/results/$name/ and models/$name/best.npz"
"$root/bench/summarize.py" "$root/docs/results/$name"
