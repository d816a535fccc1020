#!/usr/bin/env bash
# The issue 15 runs on this workplace's machine, across sessions: start (resume) them, stop them so
# that they save the epoch in progress, or show where they stand. Paths are this machine's: the runs
# live in /work/runs, outside any work tree, each trained by a frozen build of the commit it began on.
#
#   bench/long-runs.sh start    resume keras200 and paper, and the fast-2 queue: each one not going
#   bench/long-runs.sh stop     SIGTERM: each run saves the step it is at (resume continues from it)
#   bench/long-runs.sh status   epochs done and the step in progress
#   bench/long-runs.sh snapshot after stop: copy each unfinished run (history, config, last.npz) into
#                               docs/results/<run>/ with bench/snapshot-run.sh, the insurance to commit
#
# Every run is single-threaded (TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1): with three runs on
# two cores that wastes less than two threads each, which scale only 1.19-1.40x from one core to two.
# They run at the lowest priority (nice 19 and autogroup nice 19, which is what protects other work:
# nice alone does not across sessions).
set -uo pipefail
RUNS=${RUNS:-/work/runs}
# The queue as this checkout has it, copied beside the runs at each start (the frozen build's copy
# would never see rows appended later); so is the queue runner.
QUEUE=$RUNS/fast2-queue.txt
QUEUE_BUILD=$RUNS/build-742c124

pids() { pgrep -f "org.cifarresnet.cli.Main (train|resume) .*$RUNS/" || true; }
queue_pid() { pgrep -f "bash $RUNS/run-queue.sh " || true; }
going() { pgrep -f "org.cifarresnet.cli.Main (train|resume) $RUNS/$1( |\$)" > /dev/null; } # NAME

# A run's epochs in all (its config.json) and finished (the rows of its history.csv).
epochs_wanted() { python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['config']['training']['epochs'])" "$1/config.json"; }
epochs_done() { if [[ -s $1/history.csv ]]; then echo $(($(wc -l < "$1/history.csv") - 1)); else echo 0; fi; }

note() { # MESSAGE [PID...]: a line in the command.txt of each run going, or of those PIDs' runs
  local msg=$1 p d # not the caller's: stop keeps its list of runs in p
  shift
  for p in ${@:-$(pids)}; do
    d=$(tr '\0' '\n' < "/proc/$p/cmdline" 2>/dev/null | grep -A1 -x -e resume -e --out | grep "^$RUNS/" | head -1)
    [[ -n $d ]] && echo "$msg" >> "$d/command.txt"
  done
}

case ${1:-} in
  start)
    # Starts whatever is not going (so it also restarts one run that ended or was stopped alone).
    # This checkout's queue and queue runner, copied beside the runs: bash reads a script as it goes (and
    # the runner its queue), so the files in use must not be a work tree's, which a checkout rewrites.
    # Each copy is renamed into place: a file still open elsewhere keeps its old contents.
    cp "$(dirname "$0")/../docs/results/fast2/queue.txt" "$QUEUE.new" && mv "$QUEUE.new" "$QUEUE"
    cp "$(dirname "$0")/run-queue.sh" "$RUNS/run-queue.sh.new" && mv "$RUNS/run-queue.sh.new" "$RUNS/run-queue.sh"
    export TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1
    before=" $(pids | tr '\n' ' ')"
    # The two oldest builds predate the launcher's own TF_ENABLE_ONEDNN_OPTS=1 on x86-64.
    # exec: no shell stays behind holding the caller's output open (a caller that waits for its output,
    # such as a tool running this script, would otherwise wait as long as the run).
    going keras200 || (cd "$RUNS/build-376f854" && exec env TF_ENABLE_ONEDNN_OPTS=1 setsid nohup nice -n 19 \
      ./cifar-resnet resume "$RUNS/keras200" --threads 1 >> "$RUNS/keras200.out" 2>&1 < /dev/null) > /dev/null 2>&1 < /dev/null &
    going paper || (cd "$RUNS/build-e491a27" && exec env TF_ENABLE_ONEDNN_OPTS=1 setsid nohup nice -n 19 \
      ./cifar-resnet resume "$RUNS/paper" --threads 1 >> "$RUNS/paper.out" 2>&1 < /dev/null) > /dev/null 2>&1 < /dev/null &
    # The queue (fast2-base, trained before it, is finished and published); its runs share its session.
    [[ -n $(queue_pid) ]] || (cd "$QUEUE_BUILD" && exec setsid nohup nice -n 19 bash "$RUNS/run-queue.sh" "$QUEUE" "$RUNS" \
      > /dev/null 2>&1 < /dev/null) > /dev/null 2>&1 < /dev/null &
    sleep 5
    # Autogroup nice is a session's: set through any of its processes, it holds for the queue's later runs.
    for p in $(pids) $(queue_pid); do [[ -e /proc/$p ]] && echo 19 > "/proc/$p/autogroup"; done
    started=$(for p in $(pids); do [[ $before == *" $p "* ]] || echo "$p"; done)
    [[ -n $started ]] && note "Going from $(date -u +%FT%TZ), started or resumed by bench/long-runs.sh start (single-threaded, as since 2026-12-01 17:49)." $started
    echo "started: $(echo $started)"
    [[ -n ${before// } ]] && echo "already going:$before"
    true
    ;;
  stop)
    # The queue goes first (or it would start its next run), then the runs.
    q=$(queue_pid); [[ -n $q ]] && kill $q
    p=$(pids)
    if [[ -z $p ]]; then echo "no run is going"; exit 0; fi
    note "Stopped $(date -u +%FT%TZ) by bench/long-runs.sh stop (SIGTERM: the step in progress is saved)."
    kill -TERM $p
    for _ in $(seq 1 120); do [[ -z $(pids) ]] && break; sleep 1; done
    [[ -n $(pids) ]] && { echo "still going after 120 s: $(pids)" >&2; exit 1; }
    echo "stopped; each run saved where it was"
    ;;
  status)
    # every run directory, including one still in its first epoch (config.json, no history.csv yet)
    for c in "$RUNS"/*/config.json; do
      d=$(dirname "$c"); r=$(basename "$d")
      want=$(epochs_wanted "$d"); have=$(epochs_done "$d")
      line="$r: $have epochs"
      (( have > 0 )) && line+=", val_acc $(tail -1 "$d/history.csv" | cut -d, -f6)"
      if (( have < want )); then
        # what is left, at the median pace of the last 5 epochs (an epoch paused for a timing would weigh
        # on a mean; shared-machine pace: for planning sessions only)
        hours=$(tail -n +2 "$d/history.csv" 2>/dev/null | tail -5 | cut -d, -f7 | sort -g \
          | awk -v left=$((want - have)) '{ a[NR] = $1 }
              END { if (NR) printf "%.1f", left * (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) / 3600 }')
        line+=" of $want${hours:+; about $hours h left at the pace of the last epochs}"
      fi
      echo "$line  $(tail -c 300 "$RUNS/$r.out" 2>/dev/null | tr '\r' '\n' | grep -o '^ *[0-9]*/[0-9]*' | tail -1)"
    done
    echo "going: $(pids | tr '\n' ' ')"
    ;;
  snapshot)
    if [[ -n $(pids) ]]; then echo "stop the runs first (bench/long-runs.sh stop): a snapshot of a running run can tear" >&2; exit 1; fi
    for c in "$RUNS"/*/config.json; do
      d=$(dirname "$c"); r=$(basename "$d")
      [[ -f $d/checkpoints/last.npz && -s $d/history.csv ]] || { echo "$r: no finished epoch yet, nothing to snapshot"; continue; }
      have=$(epochs_done "$d")
      if (( have >= $(epochs_wanted "$d") )); then echo "$r: finished ($have epochs): publish it with bench/publish-run.sh"; continue; fi
      "$(dirname "$0")/snapshot-run.sh" "$d" "$r"
    done
    ;;
  *)
    echo "usage: bench/long-runs.sh start|stop|status|snapshot" >&2
    exit 2
    ;;
esac
