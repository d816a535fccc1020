#!/usr/bin/env python3
"""Accuracy figures of a run, as issue 7 compares them: last-10 mean test accuracy, best epoch,
final epoch, median seconds per epoch. Reads our history.csv or the PyTorch peer's JSON list.
usage: bench/summarize.py RUN_OR_FILE [RUN_OR_FILE...]   (a run directory, a history.csv or a peer .json)"""
import csv, json, os, statistics, sys

def rows(path):
    if os.path.isdir(path):
        path = os.path.join(path, "history.csv")
    if path.endswith(".json"):
        return path, [{k: float(v) for k, v in r.items()} for r in json.load(open(path))]
    with open(path) as f:
        return path, [{k: float(v) for k, v in r.items()} for r in csv.DictReader(f)]

print(f"{'run':<48} {'epochs':>6} {'last-10 mean':>12} {'best':>6} {'at':>3} {'final':>6} {'train acc':>9} {'s/epoch':>7}")
for arg in sys.argv[1:]:
    path, h = rows(arg)
    last10 = statistics.mean(r["val_acc"] for r in h[-10:])
    best = max(h, key=lambda r: r["val_acc"])
    seconds = statistics.median(r["seconds"] for r in h)
    print(f"{path[-48:]:<48} {len(h):>6} {100 * last10:>11.2f}% {100 * best['val_acc']:>5.2f}% {int(best['epoch']):>3} "
          f"{100 * h[-1]['val_acc']:>5.2f}% {100 * h[-1]['acc']:>8.2f}% {seconds:>7.1f}")
