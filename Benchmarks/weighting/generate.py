#!/usr/bin/env python3
"""Generates the weighting benchmark files (seeded, reproducible).

design.csv : 1,000,000 rows; 50 strata x 40 PSUs (fpc = 100 PSUs per stratum); weights U[50,150];
             y ~ N(50, 10) plus a PSU effect; origin, dest in 1..8 (correlated); dom in 1..100.
reps.csv   : the same rows' w, y, dom plus 80 replicate factors f1..f80 ~ U[0.5, 1.5] (2 decimals).
"""
import sys
import numpy as np

out = sys.argv[1] if len(sys.argv) > 1 else "."
rng = np.random.default_rng(20261125)
n, H, P = 1_000_000, 50, 40
stratum = rng.integers(1, H + 1, n)
psu_in = rng.integers(1, P + 1, n)
psu = (stratum - 1) * P + psu_in
w = np.round(rng.uniform(50, 150, n), 3)
effect = rng.normal(0, 3, H * P + 1)
y = np.round(50 + effect[psu] + rng.normal(0, 10, n), 3)
origin = rng.integers(1, 9, n)
dest = np.clip(origin + rng.integers(-2, 3, n), 1, 8)
dom = rng.integers(1, 101, n)
fpc = np.full(n, 100)
with open(f"{out}/design.csv", "w") as f:
    f.write("stratum,psu,fpc,w,y,origin,dest,dom\n")
    np.savetxt(f, np.column_stack([stratum, psu, fpc, w, y, origin, dest, dom]),
               fmt=["%d", "%d", "%d", "%.3f", "%.3f", "%d", "%d", "%d"], delimiter=",")
factors = np.round(rng.uniform(0.5, 1.5, (n, 80)), 2)
with open(f"{out}/reps.csv", "w") as f:
    f.write("w,y,dom," + ",".join(f"f{r}" for r in range(1, 81)) + "\n")
    np.savetxt(f, np.column_stack([w, y, dom, factors]),
               fmt=["%.3f", "%.3f", "%d"] + ["%.2f"] * 80, delimiter=",")
