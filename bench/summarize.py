#!/usr/bin/env python3
"""Accuracy figures of a run, as issue 7 compares them: last-10 mean test accuracy, best epoch,
final epoch, median seconds per epoch, wall time; with --reach ACC, the first epoch whose test
accuracy reaches ACC (a fraction, e.g. 0.8105) and the training time summed up to it.
Reads our history.csv or the PyTorch peer's JSON list.
usage: bench/summarize.py [--reach ACC] RUN_OR_FILE [RUN_OR_FILE...]   (a run directory, a history.csv or a peer .json)

The other bench scripts (full-run-figures.py, compare-runs.py, ablation-table.py) import their reader and
figures from here, so that one reader, one definition of "reaches", of a run's end figures and of its
learning-rate phases serve them all."""
import argparse
import csv
import json
import os
import statistics
from dataclasses import dataclass


def _number(cell):
    # history.csv's optional columns (val_acc_tta, val_acc_no_ema) are empty where they were not recorded
    return None if cell in ("", None) else float(cell)


def read_history(path):
    """(path read, rows): each row a dict of column -> float, or None for an empty cell."""
    if os.path.isdir(path):
        path = os.path.join(path, "history.csv")
    if path.endswith(".json"):
        with open(path) as f:
            return path, [{k: _number(v) for k, v in r.items()} for r in json.load(f)]
    with open(path, newline="") as f:
        return path, [{k: _number(v) for k, v in r.items()} for r in csv.DictReader(f)]


def first_reach(rows, target, column="val_acc"):
    """Index of the first row whose column reaches target (same unit as the column), or None."""
    return next((i for i, r in enumerate(rows) if r.get(column) is not None and r[column] >= target), None)


@dataclass
class EndFigures:
    """What a run is quoted by, test accuracy in percent: its last epoch, its best, the mean of its last 10."""
    final_epoch: int
    final: float
    best_epoch: int  # the first epoch with the best accuracy
    best: float
    tail: list  # the last (up to) 10 epochs
    last10: float


def end_figures(rows):
    acc = {int(r["epoch"]): r["val_acc"] * 100 for r in rows}
    epochs = sorted(acc)
    best = max(epochs, key=acc.get)
    tail = epochs[-10:]
    return EndFigures(epochs[-1], acc[epochs[-1]], best, acc[best], tail, statistics.fmean(acc[e] for e in tail))


def lr_phases(rows):
    """(first epoch, last epoch, rate) of each stretch of epochs where the learning rate holds."""
    out = []
    for r in rows:
        e = int(r["epoch"])
        if out and r["lr"] == out[-1][2]:
            out[-1][1] = e
        else:
            out.append([e, e, r["lr"]])
    return [tuple(p) for p in out]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reach", type=float, help="test accuracy to reach, a fraction")
    ap.add_argument("runs", nargs="+")
    a = ap.parse_args()
    reach = f" {'reaches':>16}" if a.reach else ""
    print(f"{'run':<48} {'epochs':>6} {'last-10 mean':>12} {'best':>6} {'at':>3} {'final':>6} {'train acc':>9} {'s/epoch':>7} {'wall s':>7}{reach}")
    for arg in a.runs:
        path, h = read_history(arg)
        end = end_figures(h)
        seconds = statistics.median(r["seconds"] for r in h)
        line = (f"{path[-48:]:<48} {len(h):>6} {end.last10:>11.2f}% {end.best:>5.2f}% {end.best_epoch:>3} "
                f"{end.final:>5.2f}% {100 * h[-1]['acc']:>8.2f}% {seconds:>7.1f} {sum(r['seconds'] for r in h):>7.0f}")
        if a.reach:
            hit = first_reach(h, a.reach)
            line += (f" {'never':>16}" if hit is None else
                     f" {'epoch %d, %.0f s' % (int(h[hit]['epoch']), sum(r['seconds'] for r in h[:hit + 1])):>16}")
        print(line)


if __name__ == "__main__":
    main()
