#!/usr/bin/env python3
"""Writes a 500,000-row, 50-variable SPSS file for the reader benchmark (not committed: about 190 MB).

Usage: python3 make_big_sav.py OUT.sav    (pyreadstat 1.3.7 and numpy from PyPI; seeded, so reproducible)
45 numeric variables (integer codes with value labels and a user-missing -9 on ten of them, reals elsewhere)
and 5 string variables (A8).
"""
import sys

import numpy as np
import pandas as pd
import pyreadstat

rows = 500_000
rng = np.random.default_rng(20261125)
data = {}
labels = {}
missing = {}
for i in range(45):
    name = f"N{i + 1:02d}"
    if i < 10:
        codes = rng.integers(1, 6, rows).astype("float64")
        codes[rng.random(rows) < 0.02] = -9
        data[name] = codes
        labels[name] = {1.0: "One", 2.0: "Two", 3.0: "Three", 4.0: "Four", 5.0: "Five", -9.0: "Refused"}
        missing[name] = [-9]
    else:
        data[name] = np.round(rng.normal(1000, 250, rows), 2)
for i in range(5):
    data[f"S{i + 1}"] = rng.choice(["alpha", "beta", "gamma", "delta", ""], rows)
df = pd.DataFrame(data)
pyreadstat.write_sav(df, sys.argv[1], variable_value_labels=labels, missing_ranges=missing)
