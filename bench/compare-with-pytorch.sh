#!/usr/bin/env bash
# Training throughput of cifar-resnet against the PyTorch peer, side by side on this machine:
# `cifar-resnet benchmark --json` and ../shared/peers/pytorch_bench.py alternately, ROUNDS rounds,
# for each configuration, then the median images/s of each, their ratio, and the median of the
# per-round ratios (each round measures both engines within a minute, so host drift cancels).
#
# usage: bench/compare-with-pytorch.sh [ROUNDS]        (default 3)
# env:   CONFIGS="fp32:128 bf16:128 fp32:32 bf16:32"   precision:batch pairs to compare
#        STEPS=20 WARMUP=3                              per run, for both engines
#        THREADS=N                                      engine threads for both (default: all cores; for ours
#                                                       TensorFlow's own pools, --threads 0)
#        CPUS=0                                         runs both engines on these CPUs only (taskset -c), e.g. one
#                                                       core: a real one-thread figure (THREADS defaults to their count)
#        ISA=AVX2                                       caps both engines' oneDNN at that instruction set
#                                                       (ONEDNN_MAX_CPU_ISA, and ATEN_CPU_CAPABILITY for the
#                                                       peer's own kernels), as on a laptop without AVX-512;
#                                                       prints the ISA each engine reported
# The peer runs channels-last (--layout cl), its fastest layout; bf16 is its autocast. Ours runs through
# the launcher, so with TensorFlow's oneDNN kernels on (TF_ENABLE_ONEDNN_OPTS=1 unless the caller says otherwise).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
peers="${PEERS:-$here/../shared/peers}"
rounds="${1:-3}"
configs="${CONFIGS:-fp32:128 bf16:128 fp32:32 bf16:32}"
steps="${STEPS:-20}"
warmup="${WARMUP:-3}"
# With CPUS, both engines are confined to those CPUs (and an explicit thread count each, their number):
# a thread count alone does not confine TensorFlow, whose calling thread computes beside its pool.
pin=()
if [ -n "${CPUS:-}" ]; then
  pin=(taskset -c "$CPUS")
  : "${THREADS:=$(taskset -c "$CPUS" nproc)}"
fi
threads="${THREADS:-$(nproc)}"
ours_threads="${THREADS:-0}"
if [ -n "${ISA:-}" ]; then
  export ONEDNN_MAX_CPU_ISA="$ISA"
  ATEN_CPU_CAPABILITY="$(echo "$ISA" | tr '[:upper:]' '[:lower:]' | sed 's/_core.*//')"  # avx2, avx512
  export ATEN_CPU_CAPABILITY
fi

if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "installing the peer's PyTorch (Debian python3-torch)..." >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch >/dev/null
fi
"$here/cifar-resnet" --version >/dev/null   # build first, outside the timings
# Which instruction set each engine's oneDNN uses (with ISA set, the cap must show here).
# (the whole output first, then grep: grep -m1 would close the pipe early and fail the pipeline)
isa_ours=$(ONEDNN_VERBOSE=1 "$here/cifar-resnet" benchmark --steps 1 --warmup 0 --batch-size 8 --threads "$ours_threads" 2>&1 || true)
isa_ours=$(printf '%s\n' "$isa_ours" | grep -o 'isa:[^,]*' | head -1)
isa_peer=$(ONEDNN_VERBOSE=1 /usr/bin/python3 "$peers/pytorch_bench.py" --steps 1 --warmup 0 --batch 8 --threads "$threads" 2>&1 || true)
isa_peer=$(printf '%s\n' "$isa_peer" | grep -o 'isa:[^,]*' | head -1)
echo "oneDNN: cifar-resnet ${isa_ours:-isa:? (oneDNN off)}; pytorch ${isa_peer:-isa:?}; ONEDNN_MAX_CPU_ISA=${ONEDNN_MAX_CPU_ISA:-unset} ATEN_CPU_CAPABILITY=${ATEN_CPU_CAPABILITY:-unset} TF_ENABLE_ONEDNN_OPTS=${TF_ENABLE_ONEDNN_OPTS:-launcher default}; $threads threads${CPUS:+ on CPUs $CPUS}"

out="$(mktemp)"
trap 'rm -f "$out"' EXIT
run_ours() { ours=$(${pin[@]+"${pin[@]}"} "$here/cifar-resnet" benchmark --json --precision "$precision" --batch-size "$batch" --steps "$steps" --warmup "$warmup" --threads "$ours_threads"); }
run_peer() { peer=$(${pin[@]+"${pin[@]}"} /usr/bin/python3 "$peers/pytorch_bench.py" --precision "$precision" --batch "$batch" --layout cl --steps "$steps" --warmup "$warmup" --threads "$threads"); }
for config in $configs; do
  precision="${config%%:*}"; batch="${config##*:}"
  for ((r = 1; r <= rounds; r++)); do
    # who goes first alternates, so a host slowing down within a round favours neither
    if ((r % 2)); then run_ours; run_peer; else run_peer; run_ours; fi
    echo "$config $r ours $(echo "$ours" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["train_images_per_s"])')" >> "$out"
    echo "$config $r peer $(echo "$peer" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["train_images_per_s"])')" >> "$out"
    echo "round $r $config: ours $(tail -2 "$out" | head -1 | cut -d' ' -f4) img/s, pytorch $(tail -1 "$out" | cut -d' ' -f4) img/s" >&2
  done
done

/usr/bin/python3 - "$out" "$rounds" <<'PY'
import sys, statistics, collections
rows = collections.defaultdict(lambda: collections.defaultdict(list))
for line in open(sys.argv[1]):
    config, _, who, rate = line.split()
    rows[config][who].append(float(rate))
print(f"training images/s, medians of {sys.argv[2]} alternating rounds (ResNet20, PyTorch channels-last)")
print("paired: ours / PyTorch within each round (the host's speed drifts between rounds), median and range")
print(f"{'precision':>9} {'batch':>5} {'cifar-resnet':>12} {'pytorch':>8} {'ratio':>6} {'paired':>7}  range")
for config, d in rows.items():
    p, b = config.split(":")
    ours, peer = statistics.median(d["ours"]), statistics.median(d["peer"])
    paired = [o / q for o, q in zip(d["ours"], d["peer"])]
    print(f"{p:>9} {b:>5} {ours:>12.1f} {peer:>8.1f} {ours / peer:>6.2f} {statistics.median(paired):>7.2f}  "
          f"{min(paired):.2f}-{max(paired):.2f}")
PY
