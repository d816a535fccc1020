#!/usr/bin/env bash
# The same oneDNN kernels, timed in both engines: runs `cifar-resnet benchmark` and the PyTorch peer one
# after the other with ONEDNN_VERBOSE=1 and prints, for each convolution and batch-norm problem of the
# training step, the median time of one kernel call in each engine and their ratio.
# With THREADS=2 and ours one op at a time it showed that our convolution kernels are not where the
# batch-128 gap to PyTorch sits (docs/speed.md).
#
# usage: bench/kernels-vs-pytorch.sh [PRECISION] [BATCH] [THREADS]     (default fp32 128 1)
# One thread by default: then neither engine's threading runtime is in the figures, only the kernels.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
peers="${PEERS:-$here/../shared/peers}"
precision="${1:-fp32}"; batch="${2:-128}"; threads="${3:-1}"

"$here/cifar-resnet" --version >/dev/null   # build first
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
ONEDNN_VERBOSE=1 "$here/cifar-resnet" benchmark --precision "$precision" --batch-size "$batch" \
  --steps 5 --warmup 2 --threads "$threads" > "$logs/ours.log" 2>&1
ONEDNN_VERBOSE=1 /usr/bin/python3 "$peers/pytorch_bench.py" --precision "$precision" --batch "$batch" \
  --layout cl --steps 5 --warmup 2 --threads "$threads" > "$logs/peer.log" 2>&1

/usr/bin/python3 - "$logs/ours.log" "$logs/peer.log" "$batch" <<'PY'
import collections, statistics, sys

def kernels(path, batch):
    """(kind, pass, problem) -> [ms per call]; ONEDNN_VERBOSE lines, training-batch problems only."""
    calls = collections.defaultdict(list)
    for line in open(path):
        f = line.rstrip().split(",")
        if len(f) < 8 or f[0] != "onednn_verbose" or "exec" not in f[1:3]:
            continue
        i = f.index("exec")   # oneDNN 3.x writes "primitive,exec", 2.x "exec"
        kind, impl, pass_, problem = f[i + 2], f[i + 3], f[i + 4], f[-2]
        if kind in ("convolution", "batch_normalization") and problem.startswith(f"mb{batch}"):
            calls[(kind, pass_, problem)].append(float(f[-1]))
    return calls

ours, peer = kernels(sys.argv[1], sys.argv[3]), kernels(sys.argv[2], sys.argv[3])
common = set(ours) & set(peer)
print(f"{'kernel':<20} {'pass':<17} {'problem':<48} {'ours ms':>8} {'pytorch':>8} {'ratio':>6}")
for key in sorted(common):
    o, p = statistics.median(ours[key]), statistics.median(peer[key])
    print(f"{key[0]:<20} {key[1]:<17} {key[2][:48]:<48} {o:>8.2f} {p:>8.2f} {o / p:>6.2f}")
# Each kernel's median times its calls, summed: what these kernels cost over the whole run, per engine.
total_o = sum(statistics.median(ours[k]) * len(ours[k]) for k in common)
total_p = sum(statistics.median(peer[k]) * len(peer[k]) for k in common)
print(f"{'all of the above':<20} {'':<17} {'(median x calls, summed)':<48} {total_o:>8.1f} {total_p:>8.1f} {total_o / total_p:>6.2f}")
only = sorted(set(ours) ^ set(peer))
if only:
    # e.g. stride-2 convolutions: Keras pads them (0, 1), the peer's PyTorch model (1, 1)
    print(f"{len(only)} problems run by one engine only (different padding or a native kernel) are left out")
PY
