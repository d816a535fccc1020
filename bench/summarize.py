#!/usr/bin/env python3
"""Accuracy figures of a run, as issue 7 compares them: last-10 mean test accuracy, best epoch,
final epoch, median seconds per epoch, wall time; with --reach ACC, the first epoch whose test
accuracy reaches ACC (a fraction, e.g. 0.8105) and the training time summed up to it.
Reads our history.csv or the PyTorch peer's JSON list.
usage: bench/summarize.py [--reach ACC] RUN_OR_FILE [RUN_OR_FILE...]   (a run directory, a history.csv or a peer .json)"""
import argparse, csv, json, os, statistics

def rows(path):
    if os.path.isdir(path):
        path = os.path.join(path, "history.csv")
    if path.endswith(".json"):
        return path, [{k: float(v) for k, v in r.items()} for r in json.load(open(path))]
    with open(path) as f:
        return path, [{k: float(v) for k, v in r.items()} for r in csv.DictReader(f)]

ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("--reach", type=float, help="test accuracy to reach, a fraction")
ap.add_argument("runs", nargs="+")
a = ap.parse_args()
reach = f" {'reaches':>16}" if a.reach else ""
print(f"{'run':<48} {'epochs':>6} {'last-10 mean':>12} {'best':>6} {'at':>3} {'final':>6} {'train acc':>9} {'s/epoch':>7} {'wall s':>7}{reach}")
for arg in a.runs:
    path, h = rows(arg)
    last10 = statistics.mean(r["val_acc"] for r in h[-10:])
    best = max(h, key=lambda r: r["val_acc"])
    seconds = statistics.median(r["seconds"] for r in h)
    line = (f"{path[-48:]:<48} {len(h):>6} {100 * last10:>11.2f}% {100 * best['val_acc']:>5.2f}% {int(best['epoch']):>3} "
            f"{100 * h[-1]['val_acc']:>5.2f}% {100 * h[-1]['acc']:>8.2f}% {seconds:>7.1f} {sum(r['seconds'] for r in h):>7.0f}")
    if a.reach:
        hit = next((i for i, r in enumerate(h) if r["val_acc"] >= a.reach), None)
        line += (f" {'never':>16}" if hit is None else
                 f" {'epoch %d, %.0f s' % (int(h[hit]['epoch']), sum(r['seconds'] for r in h[:hit + 1])):>16}")
    print(line)
