#!/usr/bin/env python3
"""The fast-2 ablation table (issue 15): for each run and accuracy column, the epoch where the test
accuracy first reaches X, the minutes that takes, and the final and best accuracies.

Minutes come from a quiet epoch time given on the command line (the runs themselves share the machine,
so their own epoch times are not measurements): epochs to X times seconds per epoch.

Usage:
  bench/ablation-table.py --x 88.5 --epoch-seconds 194.7 "LABEL=RUN_DIR[:COLUMN][@SECONDS]" ...
COLUMN: val_acc (default), val_acc_tta or val_acc_no_ema; @SECONDS: this row's quiet epoch time, when it
differs from --epoch-seconds (another batch size). X is in percent.
Prints a Markdown table.
"""
import argparse
import os
import sys

from summarize import first_reach, read_history


def parse_entry(text, default_seconds):
    label, _, rest = text.partition("=")
    if not rest:
        sys.exit(f"entry '{text}' is not LABEL=RUN_DIR[:COLUMN][@SECONDS]")
    seconds = default_seconds
    if "@" in rest:
        rest, _, s = rest.rpartition("@")
        seconds = float(s)
    column = "val_acc"
    if ":" in rest:
        rest, _, column = rest.rpartition(":")
    return label, rest, column, seconds


def row(label, run_dir, column, seconds, x):
    _, history = read_history(run_dir)
    values = [r for r in history if r.get(column) is not None]
    if not values:
        sys.exit(f"{run_dir}: no '{column}' values")
    hit = first_reach(values, x / 100, column)
    reached = int(values[hit]["epoch"]) if hit is not None else None
    last_epoch, last = int(values[-1]["epoch"]), values[-1][column] * 100
    best_row = max(values, key=lambda r: r[column])
    best_epoch, best = int(best_row["epoch"]), best_row[column] * 100
    to_x = f"{reached} ({reached * seconds / 60:.0f} min)" if reached else "not reached"
    run = os.path.basename(os.path.normpath(run_dir))
    return (f"| {label} | `{run}` {column} | {last_epoch} | {to_x} | {last:.2f} | {best:.2f} (epoch {best_epoch}) |"
            f" {last_epoch * seconds / 60:.0f} |")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--x", type=float, required=True, help="target test accuracy, percent")
    p.add_argument("--epoch-seconds", type=float, required=True, help="quiet epoch time of batch 128")
    p.add_argument("entries", nargs="+")
    a = p.parse_args()
    print(f"| change | run, column | epochs | first epoch at {a.x:.2f} % (minutes) | final % | best % | minutes, all epochs |")
    print("|---|---|---:|---|---:|---:|---:|")
    for text in a.entries:
        print(row(*parse_entry(text, a.epoch_seconds), a.x))


if __name__ == "__main__":
    main()
