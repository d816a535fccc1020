#!/usr/bin/env bash
# The issue 15 runs on this workplace's machine, across sessions: start (resume) them, stop them so
# that they save the epoch in progress, or show where they stand. Paths are this machine's: the runs
# live in /work/runs, outside any work tree, each trained by a frozen build of the commit it began on.
#
#   bench/long-runs.sh start    resume whatever is not going: keras200 and paper while unfinished; once both
#                               have finished, the PyTorch peer's keras200 (bench/peer-run.py) on both cores,
#                               and once it has finished too, the fast-2 queue
#   bench/long-runs.sh stop     SIGTERM: each run saves the step it is at (resume continues from it)
#   bench/long-runs.sh pause|continue "WHY"  SIGSTOP/SIGCONT every run for a quiet timing, noted in command.txt
#   bench/long-runs.sh status   epochs done and the step in progress
#   bench/long-runs.sh restore  when the machine came back without $RUNS: lay out the frozen builds (from git)
#                               and the unfinished runs (from their snapshots in docs/results) again
#   bench/long-runs.sh snapshot after stop: copy each unfinished run (history, config, last.npz) into
#                               docs/results/<run>/ with bench/snapshot-run.sh, the insurance to commit
#
# Our runs are single-threaded (TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1): with three runs on
# two cores that wastes less than two threads each, which scale only 1.19-1.40x from one core to two.
# The peer, which from 3 December 23:30 runs alone, has two (PEER_THREADS).
# They run at the lowest priority (nice 19 and autogroup nice 19, which is what protects other work:
# nice alone does not across sessions).
set -uo pipefail
RUNS=${RUNS:-/work/runs}
# The queue as this checkout has it, copied beside the runs at each start (the frozen build's copy
# would never see rows appended later); so is the queue runner.
QUEUE=$RUNS/fast2-queue.txt
QUEUE_BUILD=$RUNS/build-f9e6aec
# The full-length runs, each trained by a frozen build of the commit it began on.
declare -A BUILD_OF=([keras200]=$RUNS/build-376f854 [paper]=$RUNS/build-e491a27)
# The PyTorch peer's Keras recipe for 200 epochs on the same file (bench/peer-run.py), the comparison the
# dataset's README asks for. It waits until keras200 and paper have both finished: from 3 December keras200
# (which sets the fast-2 target) and the fast-2 queue have a core each rather than sharing two with the peer
# (three runs on two cores train no more images a second than two, so the order changes no total).
PEER=peer-keras200
PEER_EPOCHS=200
# From 3 December 23:30 the peer has the machine to itself: it alone can split the gap between our data copy and
# our code (issue 15, item 5) and has about 185 epochs to go, while the queue's rows left are optional
# ablations. Two threads, since it runs alone; the queue waits until the peer has finished.
PEER_THREADS=${PEER_THREADS:-2}
DATA=/work/shared/datasets/cifar-10-binary.tar.gz

trainers() { pgrep -f "org.cifarresnet.cli.Main (train|resume) $1" || true; } # the JVMs whose run directory matches $1
peer_pid() { pgrep -f "peer-run.py .* $RUNS/$PEER( |\$)" || true; }  # the PyTorch peer's keras200 (python)
pids() { trainers ".*$RUNS/"; peer_pid; }                       # every run going
going() { [[ -n $(trainers "$RUNS/$1( |\$)") ]]; }              # NAME: is that run going?
queue_pid() { pgrep -f "bash $RUNS/run-queue.sh " || true; }

# A run's epochs in all (its config.json) and finished (the rows of its history.csv).
epochs_wanted() { python3 -c "import json, sys; c = json.load(open(sys.argv[1])); print(c['config']['training']['epochs'] if 'config' in c else c['epochs'])" "$1/config.json"; }
epochs_done() { if [[ -s $1/history.csv ]]; then echo $(($(wc -l < "$1/history.csv") - 1)); else echo 0; fi; }

note() { # MESSAGE [PID...]: a line in the command.txt of each run going, or of those PIDs' runs
  local msg=$1 p d args # not the caller's: stop keeps its list of runs in p
  shift
  for p in ${@:-$(pids)}; do
    args=$(tr '\0' '\n' < "/proc/$p/cmdline" 2>/dev/null)
    d=$(grep -A1 -x -e resume -e --out <<< "$args" | grep "^$RUNS/" | head -1)
    [[ -z $d ]] && d=$(grep -x "$RUNS/$PEER" <<< "$args" | head -1) # the peer: a plain argument
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
    # In the background, in its own session at nice 19, from DIR, its output appended to OUTPUT. exec: no
    # shell stays behind holding the caller's output open (a caller that waits for its output, such as a
    # tool running this script, would otherwise wait as long as the run).
    detach() { # DIR OUTPUT COMMAND...
      local dir=$1 out=$2
      shift 2
      (cd "$dir" && exec setsid nohup nice -n 19 "$@" >> "$out" 2>&1 < /dev/null) > /dev/null 2>&1 &
    }
    # The two oldest builds predate the launcher's own TF_ENABLE_ONEDNN_OPTS=1 on x86-64.
    # keras200 and paper have finished and are published (their directories may be gone with a machine that
    # came back without $RUNS); each is resumed only while it is on disk and unfinished.
    finished() { [[ ! -f $RUNS/$1/config.json ]] || (( $(epochs_done "$RUNS/$1") >= $(epochs_wanted "$RUNS/$1") )); } # NAME: done, or published and gone
    for r in "${!BUILD_OF[@]}"; do
      finished "$r" || going "$r" || TF_ENABLE_ONEDNN_OPTS=1 detach "${BUILD_OF[$r]}" "$RUNS/$r.out" ./cifar-resnet resume "$RUNS/$r" --threads 1
    done
    # The peer has finished once its history holds every epoch, on disk or published (and gone from $RUNS).
    peer_finished() {
      local d
      for d in "$RUNS/$PEER" "$(dirname "$0")/../docs/results/$PEER"; do
        (( $(epochs_done "$d") >= PEER_EPOCHS )) && return 0
      done
      return 1
    }
    if finished paper && finished keras200 && ! peer_finished; then
      if [[ -z $(peer_pid) ]]; then
        mkdir -p "$RUNS/$PEER"
        [[ -f $RUNS/$PEER/command.txt ]] || echo "Started $(date -u +%FT%TZ) by bench/long-runs.sh start at commit $(git -C "$(dirname "$0")" rev-parse --short HEAD), fp32, $PEER_THREADS threads, nice 19: /usr/bin/python3 bench/peer-run.py $DATA $RUNS/$PEER --epochs $PEER_EPOCHS --threads $PEER_THREADS (the same command resumes it; torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'))" > "$RUNS/$PEER/command.txt"
        # python reads its script whole at start, so running the work tree's copy is safe.
        detach "$RUNS" "$RUNS/$PEER.out" /usr/bin/python3 "$(cd "$(dirname "$0")" && pwd)/peer-run.py" "$DATA" "$RUNS/$PEER" --epochs $PEER_EPOCHS --threads "$PEER_THREADS"
      fi
      echo "the fast-2 queue waits until $PEER has finished"
    else
      # The queue (fast2-base, trained before it, is finished and published); its runs share its session.
      [[ -n $(queue_pid) ]] || detach "$QUEUE_BUILD" /dev/null bash "$RUNS/run-queue.sh" "$QUEUE" "$RUNS"
    fi
    sleep 5
    # Autogroup nice is a session's: set through any of its processes, it holds for the queue's later runs.
    for p in $(pids) $(queue_pid); do [[ -e /proc/$p ]] && echo 19 > "/proc/$p/autogroup"; done
    started=$(for p in $(pids); do [[ $before == *" $p "* ]] || echo "$p"; done)
    if [[ -n $started ]]; then
      note "Going from $(date -u +%FT%TZ), started or resumed by bench/long-runs.sh start (our runs single-threaded, as since 2026-12-01 17:49; the peer $PEER_THREADS threads)." $started
    fi
    echo "started: $(echo $started)"
    if [[ -n ${before// } ]]; then echo "already going:$before"; fi
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
  pause|continue)
    # SIGSTOP / SIGCONT every run, to time something on a quiet machine; each run's command.txt says why.
    [[ -n ${2:-} ]] || { echo "usage: bench/long-runs.sh $1 \"WHAT IS BEING TIMED\"" >&2; exit 2; }
    p=$(pids)
    if [[ -z $p ]]; then echo "no run is going"; exit 0; fi
    if [[ $1 == pause ]]; then
      kill -STOP $p; note "Paused $(date -u +%FT%TZ) (SIGSTOP) for: $2"
    else
      kill -CONT $p; note "Continued $(date -u +%FT%TZ) (SIGCONT) after: $2"
    fi
    echo "$1: $(echo $p)"
    ;;
  status)
    # every run directory, including one still in its first epoch (config.json, no history.csv yet)
    for c in "$RUNS"/*/config.json; do
      [[ -f $c ]] || { echo "no run in $RUNS (bench/long-runs.sh restore lays them out again)"; break; }
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
  restore)
    # The machine does not always come back as it was (on 2026-12-02 at noon it came back without $RUNS).
    # What start needs is in this checkout: the frozen builds are commits, the unfinished runs are the
    # snapshots (bench/snapshot-run.sh). A run or build still on disk is left as it is.
    repo=$(cd "$(dirname "$0")/.." && pwd)
    mkdir -p "$RUNS"
    # keras200 and paper are published: their builds are laid out only for a snapshot left to resume
    builds=("$QUEUE_BUILD")
    for r in "${!BUILD_OF[@]}"; do [[ -f $repo/docs/results/$r/checkpoints/last.npz ]] && builds+=("${BUILD_OF[$r]}"); done
    for b in "${builds[@]}"; do
      [[ -d $b ]] && continue
      commit=${b##*/build-}
      git clone -q "$repo" "$b" && git -C "$b" checkout -q --detach "$commit" || { echo "cannot lay out $b" >&2; exit 1; }
      # Built here, one at a time, rather than by each launcher on first use, three at once (the oldest
      # commit predates the Maven Wrapper).
      mvn=./mvnw; [[ -x $b/mvnw ]] || mvn=mvn
      (cd "$b" && flock /work/build.lock $mvn -q -B -DskipTests package > "$b/build.log" 2>&1) \
        || { echo "the build of $commit failed: see $b/build.log" >&2; exit 1; }
      echo "built $b"
    done
    for snap in "$repo"/docs/results/peer-*/checkpoint.pt; do
      [[ -f $snap ]] || continue
      s=$(dirname "$snap"); r=$(basename "$s")
      [[ -e $RUNS/$r ]] && { echo "$r: on disk already, left as it is"; continue; }
      mkdir -p "$RUNS/$r" && cp "$s"/* "$RUNS/$r/"
      echo "Restored $(date -u +%FT%TZ) by bench/long-runs.sh restore from its snapshot in docs/results/$r ($(epochs_done "$RUNS/$r") epochs)." >> "$RUNS/$r/command.txt"
      echo "$r: restored, $(epochs_done "$RUNS/$r") epochs"
    done
    for snap in "$repo"/docs/results/*/checkpoints/last.npz; do
      s=$(dirname "$(dirname "$snap")"); r=$(basename "$s")
      [[ -e $RUNS/$r ]] && { echo "$r: on disk already, left as it is"; continue; }
      mkdir -p "$RUNS/$r/checkpoints"
      cp "$s"/config.json "$s"/history.csv "$s"/command.txt "$RUNS/$r/"
      cp "$s"/checkpoints/*.npz "$RUNS/$r/checkpoints/"
      "$(dirname "$0")/relative-paths.py" --back "$RUNS/$r" > /dev/null
      "$(dirname "$0")/pin-precision.py" "$RUNS/$r" # auto stays what it chose where the run began (frozen builds re-resolve it)
      echo "Restored $(date -u +%FT%TZ) by bench/long-runs.sh restore from its snapshot in docs/results/$r at commit $(git -C "$repo" rev-parse --short HEAD) ($(epochs_done "$RUNS/$r") epochs; the run directory on this machine had been lost)." >> "$RUNS/$r/command.txt"
      echo "$r: restored, $(epochs_done "$RUNS/$r") epochs"
    done
    ;;
  snapshot)
    if [[ -n $(pids) ]]; then echo "stop the runs first (bench/long-runs.sh stop): a snapshot of a running run can tear" >&2; exit 1; fi
    for c in "$RUNS"/*/config.json; do
      d=$(dirname "$c"); r=$(basename "$d")
      if [[ -f $d/checkpoint.pt ]]; then # the peer (bench/peer-run.py): its own checkpoint, kept whole (its history is its result)
        mkdir -p "$(dirname "$0")/../docs/results/$r"
        for f in config.json history.csv command.txt checkpoint.pt; do [[ -f $d/$f ]] && cp "$d/$f" "$(dirname "$0")/../docs/results/$r/"; done
        echo "snapshot of $d in docs/results/$r: $(epochs_done "$d") epochs"
        continue
      fi
      [[ -f $d/checkpoints/last.npz && -s $d/history.csv ]] || { echo "$r: no finished epoch yet, nothing to snapshot"; continue; }
      have=$(epochs_done "$d")
      if (( have >= $(epochs_wanted "$d") )); then echo "$r: finished ($have epochs), nothing to snapshot (bench/publish-run.sh publishes it, if not yet done)"; continue; fi
      "$(dirname "$0")/snapshot-run.sh" "$d" "$r"
    done
    ;;
  *)
    echo "usage: bench/long-runs.sh start|stop|pause|continue|status|snapshot" >&2
    exit 2
    ;;
esac
