#!/usr/bin/env python3
"""Generates the income-mobility memory benchmark file (seeded, reproducible).

income.csv : N rows (default 1,000,000); 50 strata x 40 PSUs (fpc = 100 PSUs per stratum); weights U[50,150];
             COHORT 1..2 (the --by groups); PARINC parents' income and EARN child's earnings, log-normal with
             an intergenerational elasticity of 0.4; about 1% of each income missing (rows outside the domain).
"""
import sys
import numpy as np

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
out = sys.argv[2] if len(sys.argv) > 2 else "income.csv"
rng = np.random.default_rng(20261204)
H, P = 50, 40
stratum = rng.integers(1, H + 1, n)
psu = (stratum - 1) * P + rng.integers(1, P + 1, n)
w = np.round(rng.uniform(50, 150, n), 3)
cohort = rng.integers(1, 3, n)
lp = rng.normal(10, 0.6, n)
lc = 6 + 0.4 * lp + 0.05 * cohort + rng.normal(0, 0.5, n)
parinc = np.round(np.exp(lp), 2)
earn = np.round(np.exp(lc), 2)
fpc = np.full(n, 100)
miss_p = rng.uniform(size=n) < 0.01
miss_c = rng.uniform(size=n) < 0.01
with open(out, "w") as f:
    f.write("stratum,psu,fpc,w,COHORT,PARINC,EARN\n")
    for i in range(n):
        p = "" if miss_p[i] else f"{parinc[i]:.2f}"
        c = "" if miss_c[i] else f"{earn[i]:.2f}"
        f.write(f"{stratum[i]},{psu[i]},{fpc[i]},{w[i]:.3f},{cohort[i]},{p},{c}\n")
