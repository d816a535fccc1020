#!/usr/bin/env python3
"""bench/pin-precision.py RUN_DIR: a run begun with --precision auto goes on in what auto chose where it began.

The frozen builds that train issue 15's runs resolve auto afresh on every resume, from the CPU's flags; on a
machine with AVX512_BF16 that is bf16, which trains wrongly on this workplace's Zen 5 CPU (docs/reliability.md),
while the runs began in fp32 (auto on an AVX2 CPU). Today's resume keeps the run's precision by itself; for the
frozen builds this sets config.training.precision from AUTO to the precision the run's provenance records, in
RUN_DIR/config.json and in the checkpoint.json of RUN_DIR/checkpoints/*.npz (textually, one occurrence each,
through bench/run_records.py). A run already pinned is left as it is.
bench/long-runs.sh restore calls this.
"""
import glob, json, os, sys
from run_records import edit_checkpoint_json, write

def pinned(text, where):
    """(TEXT with the one precision AUTO replaced by the recorded one, that precision), or None if there is
    nothing to pin."""
    doc = json.loads(text)
    recorded = (doc.get("provenance") or {}).get("precision")
    if doc["config"]["training"].get("precision") != "AUTO" or recorded in (None, "AUTO"):
        return None
    for old in ('"precision":"AUTO"', '"precision": "AUTO"'):
        if text.count(old) == 1:
            return text.replace(old, old.replace("AUTO", recorded)), recorded
    sys.exit(f"{where}: cannot find the one precision AUTO to replace")

def main(run):
    for path in [os.path.join(run, "config.json")] + sorted(glob.glob(os.path.join(run, "checkpoints", "*.npz"))):
        to = []
        def edit(text):
            result = pinned(text, path)
            if result is None:
                return None
            to.append(result[1])
            return result[0]
        if path.endswith(".npz"):
            edit_checkpoint_json(path, edit)
        else:
            with open(path) as f:
                text = edit(f.read())
            if text is not None:
                write(path, text)
        if to:
            print(f"{path}: precision AUTO -> {to[0]}")

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: bench/pin-precision.py RUN_DIR")
    main(sys.argv[1])
