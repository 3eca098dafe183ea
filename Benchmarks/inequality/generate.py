#!/usr/bin/env python3
"""Synthetic WAS-style household wealth file for the inequality benchmark (SYNTHETIC DATA).

usage: generate.py N OUT.csv   (seed 20261204; same N, same file)
Columns: CASE, REGION (1-12), STRATUM (10 per region, 120 in all), PSU (200 households each, ids unique),
WEIGHT (200-3000), WEALTH (log-normal household wealth; 2% have negative net wealth down to -20,000).
"""
import sys
import numpy as np

n, out = int(sys.argv[1]), sys.argv[2]
rng = np.random.default_rng(20261204)
psu = np.arange(n) // 200
stratum = psu % 120
region = stratum // 10 + 1
weight = np.round(rng.uniform(200, 3000, n), 2)
level = 11.5 + 0.08 * region + rng.normal(0, 0.02, psu.max() + 1)[psu]
wealth = np.round(np.exp(level + rng.normal(0, 1.2, n)))
negative = rng.random(n) < 0.02
wealth[negative] = -np.round(rng.uniform(0, 20_000, negative.sum()))
with open(out, "w") as f:
    f.write("CASE,REGION,STRATUM,PSU,WEIGHT,WEALTH\n")
    np.savetxt(f, np.column_stack([np.arange(1, n + 1), region, stratum + 1, psu + 1, weight, wealth]),
               fmt=["%d", "%d", "%d", "%d", "%.2f", "%d"], delimiter=",")
