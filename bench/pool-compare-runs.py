#!/usr/bin/env python3
"""Pools the rounds of several saved bench/compare-with-pytorch.sh outputs (docs/results/speed/*.md):
for each configuration, the number of rounds, the median of the per-round ratios ours / PyTorch, how
many rounds are at least 1.0, and the ratio of the two engines' medians over all rounds.
One script run is 3-10 rounds on a host whose speed swings within seconds; pooling every run made on
one commit gives a steadier figure than any single run.

usage: bench/pool-compare-runs.py FILE...
"""
import re
import statistics
import sys

ROUND = re.compile(r"round \d+ (\w+:\d+): ours ([\d.]+) img/s, pytorch ([\d.]+) img/s")


def main(paths):
    rounds = {}  # config -> [(ours, peer)]
    for path in paths:
        with open(path) as f:
            for config, ours, peer in ROUND.findall(f.read()):
                rounds.setdefault(config, []).append((float(ours), float(peer)))
    if not rounds:
        sys.exit("no rounds found; pass the saved outputs of bench/compare-with-pytorch.sh")
    print(f"{len(paths)} runs pooled")
    print("config     rounds  median ratio  rounds >= 1.0  ratio of medians")
    for config, pairs in rounds.items():
        ratios = [o / p for o, p in pairs]
        of_medians = statistics.median(o for o, _ in pairs) / statistics.median(p for _, p in pairs)
        at_least = sum(r >= 1.0 for r in ratios)
        print(f"{config:<10} {len(pairs):>6}  {statistics.median(ratios):>12.3f}  {at_least:>13}  {of_medians:>16.3f}")


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        sys.exit(__doc__.strip())
    main(sys.argv[1:])
