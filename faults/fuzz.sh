#!/usr/bin/env bash
# faults/fuzz.sh [SECONDS_PER_TARGET] [MUTATIONS_PER_TARGET] [SEED] [READER...]: fuzzes the readers that
# take users' files: the CIFAR archive reader (cifar-archive), predict's image reader (image), the checkpoint
# loader (checkpoint), import-keras' reading and checking of a Keras .h5 file (keras-h5), of Keras 3 .keras
# archives and .weights.h5 files (keras3), and its --mean-image .npy reader (npy); all of them, or the
# READERs named. Two fuzzers: the suite's seeded mutation fuzzer with many more inputs (default 20,000 per
# reader), then Jazzer, coverage-guided, for SECONDS per reader (default 120), continuing from the corpus
# earlier runs left in target/fuzz/corpus/. Allowed outcomes: a result or the one-line UserError; any other
# exception, an OutOfMemoryError, 128 MB allocated for one input, or an input that takes over 5 s (20 s under
# Jazzer's instrumentation) is a finding. Findings are copied into src/test/resources/fuzz/<reader>/, the
# regression corpus that every 'mvn test' replays: commit them with the fix. Exit 1 if anything was found.
set -euo pipefail
seconds="${1:-120}"
mutations="${2:-20000}"
seed="${3:-1}"
readers=("${@:4}")
wanted() { [ ${#readers[@]} -eq 0 ] || [[ " ${readers[*]} " == *" $1 "* ]]; }
source "$(dirname "$0")/classpath.sh"
out="$root/target/fuzz"
rm -rf "$out/findings" "$out/seeds"
mkdir -p "$out/reproducers"
status=0

echo "== seeded mutations: $mutations per reader"
java -Xmx1g -Djava.awt.headless=true -cp "$CP" org.cifarresnet.faults.MutationFuzzer "$mutations" "$seed" "$out/findings" "${readers[@]}" >"$out/mutations.log" 2>&1 \
  || status=1
grep -v -E '^(WARNING: All log|I0000|20[0-9-]+ [0-9:.]+: I tensorflow|To enable the following)' "$out/mutations.log" || true
seeded=$(grep -o '^[0-9,]* inputs fuzzed' "$out/mutations.log" | tr -d ',' | grep -o '^[0-9]*' || echo 0)

echo "== Jazzer: $seconds s per reader"
java -cp "$CP" org.cifarresnet.faults.FuzzTargets "$out/seeds" >/dev/null 2>&1
total=0
for target in cifar-archive:CifarArchive image:Image checkpoint:CheckpointFile keras-h5:KerasH5 keras3:Keras3 npy:NpyFile; do
  name="${target%%:*}"
  wanted "$name" || continue
  mkdir -p "$out/corpus/$name" "$out/findings/$name"
  # Instrumentation slows the readers several times, hence a 20 s limit here; the seeded run above holds
  # inputs to the real limit of 5 s.
  # A 512 MB heap turns a memory bomb into an OutOfMemoryError, which Jazzer reports.
  java -Xmx512m -Djava.awt.headless=true -cp "$CP" com.code_intelligence.jazzer.Jazzer \
    --target_class="org.cifarresnet.faults.FuzzTargets\$${target##*:}" \
    --instrumentation_includes='org.cifarresnet.**:org.apache.commons.compress.**:com.google.gson.**:com.sun.imageio.**:javax.imageio.**:io.jhdf.**' \
    --keep_going=50 -seed="$seed" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=0 -print_final_stats=1 \
    --reproducer_path="$out/reproducers" -artifact_prefix="$out/findings/$name/" "$out/corpus/$name" "$out/seeds/$name" >"$out/jazzer-$name.log" 2>&1 || true
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$out/jazzer-$name.log" | tail -1 | grep -o '[0-9]*$' || echo 0)
  found=$(find "$out/findings/$name" -type f -name '*-*' | wc -l)
  echo "$name: $runs inputs, $found findings (log: $out/jazzer-$name.log)"
  total=$((total + runs))
done
echo "Jazzer: $total inputs fuzzed"
echo "in all: $((seeded + total)) inputs ($seeded seeded mutations, $total from Jazzer)"

n=0
for dir in "$out"/findings/*/; do
  name="$(basename "$dir")"
  for f in "$dir"*; do
    [ -f "$f" ] || continue
    mkdir -p "$root/src/test/resources/fuzz/$name"
    cp "$f" "$root/src/test/resources/fuzz/$name/"
    n=$((n + 1))
  done
done
if [ "$n" -gt 0 ]; then
  echo "$n findings copied into src/test/resources/fuzz/: fix them, check with 'mvn test -Dtest=MutationFuzzTest', commit"
  status=1
else
  echo "no findings"
fi
exit $status
