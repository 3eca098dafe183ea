#!/usr/bin/env python3
"""Generates the model benchmark file (seeded, reproducible).

model.csv : 1,000,000 rows; 50 strata x 40 PSUs (fpc = 100 PSUs per stratum); weights U[50,150];
            origin class 1..7, cohort 1..5, sex 1..2, region 1..8 (coded numbers, used as factors),
            age 25..64; top = 1 when the person reached class 1, drawn from a logistic model with a PSU effect.
            The benchmark model  top ~ factor(origin) + factor(cohort) + factor(sex) + factor(region) + age
            has 1 + 6 + 4 + 1 + 7 + 1 = 20 parameters.
"""
import sys
import numpy as np

out = sys.argv[1] if len(sys.argv) > 1 else "."
rng = np.random.default_rng(20261204)
n, H, P = 1_000_000, 50, 40
stratum = rng.integers(1, H + 1, n)
psu = (stratum - 1) * P + rng.integers(1, P + 1, n)
w = np.round(rng.uniform(50, 150, n), 3)
origin = rng.integers(1, 8, n)
cohort = rng.integers(1, 6, n)
sex = rng.integers(1, 3, n)
region = rng.integers(1, 9, n)
age = rng.integers(25, 65, n)
effect = rng.normal(0, 0.3, H * P + 1)
eta = -0.5 - 0.35 * (origin - 1) + 0.1 * cohort - 0.2 * (sex - 1) + 0.05 * (region % 3) + 0.01 * (age - 45) + effect[psu]
top = (rng.uniform(size=n) < 1 / (1 + np.exp(-eta))).astype(int)
fpc = np.full(n, 100)
with open(f"{out}/model.csv", "w") as f:
    f.write("stratum,psu,fpc,w,top,origin,cohort,sex,region,age\n")
    np.savetxt(f, np.column_stack([stratum, psu, fpc, w, top, origin, cohort, sex, region, age]),
               fmt=["%d", "%d", "%d", "%.3f", "%d", "%d", "%d", "%d", "%d", "%d"], delimiter=",")
