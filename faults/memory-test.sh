#!/usr/bin/env bash
# faults/memory-test.sh [IMAGES] [EPOCHS] [PREDICTS]: checks that native memory (tensors, graphs, sessions)
# is freed. Trains a generated data set (default 2,000 images, batch 32, 20 epochs, one engine thread) and
# prints the resident memory (VmRSS) after every epoch and its growth from epoch 5 to the last; then runs
# the CLI's predict 1,000 times in one process and prints the growth from call 100 to the last. Both JVMs
# have a fixed, pre-touched heap, so growth is native memory. About 5 minutes on 2 busy cores.
set -euo pipefail
images="${1:-2000}"
epochs="${2:-20}"
predicts="${3:-1000}"
source "$(dirname "$0")/classpath.sh"
work="$root/target/memory-test"
rm -rf "$work"
java -cp "$CP" org.cifarresnet.faults.MemoryProbe "$work" "$images" "$epochs" "$predicts"
