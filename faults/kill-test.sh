#!/usr/bin/env bash
# faults/kill-test.sh [KILLS] [SIGTERMS] [SEED]: kills tiny training runs with SIGKILL at seeded random
# moments (a third of them while a checkpoint is being written, a third while the history, curves or
# config is), checking after each that every file in the run directory is whole and that resume goes on
# from the last checkpoint, losing at most the epoch in progress; then stops runs with SIGTERM, which must
# save the step in progress, exit 130 and resume to the very weights of an uninterrupted run.
# Defaults: 20 kills, 10 SIGTERMs, seed 1. Prints e.g. "20 kills survived, 0 files damaged (...)".
# About 10 s per kill on 2 busy cores. Exit 1 if anything was damaged (the run directories are kept).
set -euo pipefail
kills="${1:-20}"
terms="${2:-10}"
seed="${3:-1}"
source "$(dirname "$0")/classpath.sh"
status=0
java -cp "$CP" org.cifarresnet.faults.KillCampaign "$kills" "$seed" kill || status=1
[ "$terms" -gt 0 ] && { java -cp "$CP" org.cifarresnet.faults.KillCampaign "$terms" "$seed" term || status=1; }
exit $status
