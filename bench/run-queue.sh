#!/usr/bin/env bash
# Trains the runs of a queue file one after another, each to its end. A run already begun is resumed
# (a finished one returns at once), so after any interruption (a session's end, a reboot) the same
# command carries on where the queue stood: this is how a series of ablation runs crosses many sessions
# without anyone minding it.
#
# Usage, from the checkout whose ./cifar-resnet should train (a frozen build, so that the code cannot
# change under a run):
#   bench/run-queue.sh QUEUE_FILE RUNS_DIR
# QUEUE_FILE: one run per line, "NAME train-options..." (options as for `cifar-resnet train`, without
# --out: the run goes to RUNS_DIR/NAME); blank lines and lines starting with # are skipped. A run whose
# directory holds a config.json is resumed, any other is trained.
# Output: RUNS_DIR/NAME.out (the console of each run), RUNS_DIR/NAME/command.txt (each start, resume and
# exit) and RUNS_DIR/queue.log (what started and ended).
# The queue stops at the first run that fails, so that a bug does not spoil every run after it.
set -uo pipefail

if [[ $# -ne 2 || ! -f $1 || ! -d $2 ]]; then
  echo "usage: bench/run-queue.sh QUEUE_FILE RUNS_DIR (an existing file and directory)" >&2
  exit 2
fi
queue=$1
runs=$(cd "$2" && pwd)
log=$runs/queue.log

say() { echo "$(date -u +%FT%TZ) $*" >> "$log"; }
being_trained() { pgrep -f "org.cifarresnet.cli.Main (train|resume) (.* )?(--out )?$1( |\$)" > /dev/null; } # DIR

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
say "queue $queue started by pid $$ in $(pwd) at commit $commit"
# The queue file is read on descriptor 3: the runs keep standard input for themselves (/dev/null).
while read -r name options <&3; do
  [[ -z $name || $name == \#* ]] && continue
  dir=$runs/$name
  # A run another runner (a second queue on a copy of one row, so that two runs share the two cores) is
  # training: wait for it to end, then resume it as any begun run (a finished one returns at once). Started
  # at once, the resume would be refused by the run's lock (RunLock), and that failure would stop the queue.
  if being_trained "$dir"; then
    say "$name: being trained by another process; waiting for it to end"
    while being_trained "$dir"; do sleep 30; done
  fi
  # The run's own record (command.txt, which publish-run.sh and snapshot-run.sh carry along): what ran,
  # where, from which build, with which engine threads, and how each stretch ended.
  mkdir -p "$dir"
  how="by bench/run-queue.sh (queue $queue) in $(pwd) at commit $commit, TF_NUM_INTRAOP_THREADS=${TF_NUM_INTRAOP_THREADS:-unset}"
  if [[ -f $dir/config.json ]]; then # a run begun: resume (a finished one returns at once)
    say "$name: ./cifar-resnet resume $dir"
    echo "Resumed $(date -u +%FT%TZ) $how: ./cifar-resnet resume $dir" >> "$dir/command.txt"
    ./cifar-resnet resume "$dir" >> "$runs/$name.out" 2>&1 < /dev/null
  else
    say "$name: ./cifar-resnet train --out $dir $options"
    echo "Started $(date -u +%FT%TZ) $how: ./cifar-resnet train --out $dir $options" >> "$dir/command.txt"
    # shellcheck disable=SC2086 # the options are words to split, as on a command line
    ./cifar-resnet train --out "$dir" $options >> "$runs/$name.out" 2>&1 < /dev/null
  fi
  rc=$?
  echo "Ended $(date -u +%FT%TZ): exit $rc$([[ $rc -eq 130 ]] && echo ' (stopped; the step in progress is saved)')" >> "$dir/command.txt"
  say "$name: exit $rc"
  if [[ $rc -ne 0 ]]; then
    say "queue stopped: $name failed (see $runs/$name.out); fix it and start the queue again"
    exit "$rc"
  fi
done 3< "$queue"
say "queue $queue done"
