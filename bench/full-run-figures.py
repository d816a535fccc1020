#!/usr/bin/env python3
"""The figures issue 15 asks of a full-length run, from its history.csv: final, best and last-10-mean
test accuracy, the accuracy at epochs 50, 80, 120 and 160, the summed epoch time, and the learning-rate
schedule as the history shows it (each epoch where the rate changes).

Usage: bench/full-run-figures.py RUN_DIR [--expect keras|paper]
--expect checks the schedule against the recipe: keras, the Keras example's steps (1e-3 through epoch 81,
then 1e-4 from 82, 1e-5 from 122, 1e-6 from 162, 5e-7 from 182); paper, 0.1 then /10 at half and three
quarters of the 164 epochs of 391 steps (from epochs 83 and 124: steps 32,062 and 48,093, the paper's
32k and 48k). Rates compare to 1e-9 relative (0.1 x 0.1 is 0.010000000000000002 in binary floating
point). Exits 1 when the schedule differs.
Works on an unfinished run too (the figures so far).
"""
import argparse
import math
import sys

from summarize import end_figures, lr_phases, read_history

KERAS_STEPS = {1: 1e-3, 82: 1e-4, 122: 1e-5, 162: 1e-6, 182: 5e-7}
PAPER_STEPS = {1: 0.1, 83: 0.01, 124: 0.001}
EPOCHS = {"keras": 200, "paper": 164}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("run_dir")
    p.add_argument("--expect", choices=["keras", "paper"])
    a = p.parse_args()
    _, rows = read_history(a.run_dir)
    if not rows:
        sys.exit(f"{a.run_dir}: no finished epoch yet")
    acc = {int(r["epoch"]): r["val_acc"] * 100 for r in rows}
    end = end_figures(rows)
    last = end.final_epoch
    seconds = sum(r["seconds"] for r in rows)
    print(f"run: {a.run_dir} ({last} epochs in history.csv)")
    print(f"final (epoch {last}): {end.final:.2f} %")
    print(f"best: {end.best:.2f} % at epoch {end.best_epoch}")
    print(f"mean of the last {len(end.tail)} epochs ({end.tail[0]}-{end.tail[-1]}): {end.last10:.2f} %")
    for e in (50, 80, 120, 160):
        print(f"epoch {e}: " + (f"{acc[e]:.2f} %" if e in acc else "not yet"))
    print(f"summed epoch times: {seconds:.0f} s ({seconds / 3600:.2f} h; shared-machine times, not a measurement)")
    changes = {first: rate for first, _, rate in lr_phases(rows)}
    print("learning rate by epoch (where it changes): " + ", ".join(f"{e}: {v:g}" for e, v in changes.items()))
    if a.expect:
        expected = KERAS_STEPS if a.expect == "keras" else PAPER_STEPS
        expected = {e: v for e, v in expected.items() if e <= last}
        same = changes.keys() == expected.keys() and all(
            math.isclose(changes[e], expected[e], rel_tol=1e-9) for e in expected)
        if not same:
            print(f"schedule differs from the {a.expect} recipe's: expected {expected}")
            sys.exit(1)
        full = EPOCHS[a.expect]
        print(f"schedule matches the {a.expect} recipe's steps" + ("" if last >= full else f" so far ({last} of {full} epochs)"))


if __name__ == "__main__":
    main()
