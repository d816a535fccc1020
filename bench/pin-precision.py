#!/usr/bin/env python3
"""bench/pin-precision.py RUN_DIR: a run begun with --precision auto goes on in what auto chose where it began.

The frozen builds that train issue 15's runs resolve auto afresh on every resume, from the CPU's flags; on a
machine with AVX512_BF16 that is bf16, which trains wrongly on this workplace's Zen 5 CPU (docs/reliability.md),
while the runs began in fp32 (auto on an AVX2 CPU). Today's resume keeps the run's precision by itself; for the
frozen builds this sets config.training.precision from AUTO to the precision the run's provenance records, in
RUN_DIR/config.json and in the checkpoint.json of RUN_DIR/checkpoints/*.npz (textually, one occurrence each;
arrays copied byte for byte; a temporary file and a rename). A run already pinned is left as it is.
bench/long-runs.sh restore calls this.
"""
import glob, json, os, sys, tempfile, zipfile

def pinned(text, where):
    doc = json.loads(text)
    recorded = (doc.get("provenance") or {}).get("precision")
    if doc["config"]["training"].get("precision") != "AUTO" or recorded in (None, "AUTO"):
        return None
    for old in ('"precision":"AUTO"', '"precision": "AUTO"'):
        if text.count(old) == 1:
            return text.replace(old, old.replace("AUTO", recorded)), recorded
    sys.exit(f"{where}: cannot find the one precision AUTO to replace")

def replace_file(path, data):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix="." + os.path.basename(path))
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(tmp, os.stat(path).st_mode & 0o777)
    os.replace(tmp, path)

def main(run):
    config = os.path.join(run, "config.json")
    with open(config) as f:
        result = pinned(f.read(), config)
    if result:
        replace_file(config, result[0].encode("utf-8"))
        print(f"{config}: precision AUTO -> {result[1]}")
    for npz in sorted(glob.glob(os.path.join(run, "checkpoints", "*.npz"))):
        with zipfile.ZipFile(npz) as z:
            result = pinned(z.read("checkpoint.json").decode("utf-8"), npz)
            if not result:
                continue
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(npz), prefix="." + os.path.basename(npz))
            with os.fdopen(fd, "wb") as f, zipfile.ZipFile(f, "w") as out:
                for info in z.infolist():
                    data = z.read(info.filename)
                    out.writestr(info, result[0].encode("utf-8") if info.filename == "checkpoint.json" else data)
        os.chmod(tmp, os.stat(npz).st_mode & 0o777)
        os.replace(tmp, npz)
        print(f"{npz}: precision AUTO -> {result[1]}")

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: bench/pin-precision.py RUN_DIR")
    main(sys.argv[1])
