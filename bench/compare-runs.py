#!/usr/bin/env python3
"""Two runs of the same recipe side by side, epoch for epoch, as issue 15 splits the gap between the data
copy and the code: for each learning-rate phase of the first run (the epochs where its rate holds), the mean
test and training accuracy of both over the epochs both have, and the difference; then, over all those
epochs, the mean and spread of the per-epoch test-accuracy difference and how often each run is ahead.
Epoch-to-epoch noise is large (a point or more at a high rate), so phase means say more than any one epoch.

Usage: bench/compare-runs.py RUN_A RUN_B   (run directories, history.csv files or the peer's .json lists)
"""
import argparse
import statistics
import sys

from summarize import end_figures, lr_phases, read_history


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("run_a")
    p.add_argument("run_b")
    a = p.parse_args()
    _, rows_a = read_history(a.run_a)
    _, rows_b = read_history(a.run_b)
    by_a = {int(r["epoch"]): r for r in rows_a}
    by_b = {int(r["epoch"]): r for r in rows_b}
    common = sorted(by_a.keys() & by_b.keys())
    if not common:
        sys.exit("the two runs have no epoch in common")
    print(f"A: {a.run_a} ({len(rows_a)} epochs)\nB: {a.run_b} ({len(rows_b)} epochs)\n"
          f"compared over the {len(common)} epochs both have ({common[0]}-{common[-1]})")
    print(f"{'epochs':>9} {'lr':>8} | {'test A':>7} {'test B':>7} {'B-A':>6} | {'train A':>7} {'train B':>7} {'B-A':>6}")

    def mean(rows, key):
        return statistics.fmean(r[key] for r in rows) * 100

    for first, last, lr in lr_phases(rows_a):
        epochs = [e for e in common if first <= e <= last]
        if not epochs:
            continue
        ra, rb = [by_a[e] for e in epochs], [by_b[e] for e in epochs]
        ta, tb, fa, fb = mean(ra, "val_acc"), mean(rb, "val_acc"), mean(ra, "acc"), mean(rb, "acc")
        span = f"{epochs[0]}-{epochs[-1]}"
        print(f"{span:>9} {lr:>8g} | {ta:6.2f}% {tb:6.2f}% {tb - ta:+6.2f} | {fa:6.2f}% {fb:6.2f}% {fb - fa:+6.2f}")
    diffs = [(by_b[e]["val_acc"] - by_a[e]["val_acc"]) * 100 for e in common]
    ahead_b = sum(d > 0 for d in diffs)
    spread = statistics.stdev(diffs) if len(diffs) > 1 else 0.0
    print(f"per-epoch test-accuracy difference B-A: mean {statistics.fmean(diffs):+.2f} points, "
          f"standard deviation {spread:.2f}; B ahead in {ahead_b} of {len(diffs)} epochs")
    for name, rows in (("A", rows_a), ("B", rows_b)):
        end = end_figures(rows)
        print(f"{name}: final {end.final:.2f} % (epoch {end.final_epoch}), best {end.best:.2f} % (epoch {end.best_epoch}), "
              f"last-10 mean {end.last10:.2f} %")


if __name__ == "__main__":
    main()
