#!/usr/bin/env python3
"""Seeded tables for the audit-scaling benchmark (issue 20 / issue 21 §5).

generate_scaling.py OUTDIR writes, for n in 10, 100, 1000, 5000 inner cells:
  oneway_primaries_<n>.csv  one dimension, every cell one person (all primary: a numeric column read as
                            categorical), total computed by `check --margins`
  oneway_mixed_<n>.csv      one dimension, counts Poisson(30) with about 1 in 8 cells below 10
  twoway_<n>.csv            two dimensions r x c (n inner cells, about 1 in 8 below 10), margins computed
"""
import math
import os
import random
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = random.Random(20261204)


def small_or_large():
    return rng.randint(1, 9) if rng.random() < 0.125 else rng.randint(10, 60)


SHAPES = {10: (2, 5), 100: (10, 10), 1000: (25, 40), 5000: (50, 100)}
for n, (rows, cols) in SHAPES.items():
    with open(f"{out}/oneway_primaries_{n}.csv", "w") as f:
        f.write("v,count\n")
        for i in range(n):
            f.write(f"v{i:05d},1\n")
    with open(f"{out}/oneway_mixed_{n}.csv", "w") as f:
        f.write("v,count\n")
        for i in range(n):
            f.write(f"v{i:05d},{small_or_large()}\n")
    with open(f"{out}/twoway_{n}.csv", "w") as f:
        f.write("r,c,count\n")
        for i in range(rows):
            for j in range(cols):
                f.write(f"r{i:03d},c{j:03d},{small_or_large()}\n")
