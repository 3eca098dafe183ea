#!/usr/bin/env python3
"""Max relative differences between R survey's numbers and microdata's for each benchmark case."""
import sys
import pandas as pd

d = sys.argv[1]
r = pd.read_csv(f"{d}/r_results.csv", dtype=str, keep_default_na=False)
for case in "abcde":
    m = pd.read_csv(f"{d}/md_{case}.csv", dtype=str, keep_default_na=False)
    rr = r[r.case == case].reset_index(drop=True)
    if case == "b":
        m = m.sort_values(["origin", "level"], key=lambda s: s.astype(float)).reset_index(drop=True)
        rr = rr.sort_values(["domain", "level"], key=lambda s: s.astype(float)).reset_index(drop=True)
    elif case in "ce":
        m = m.sort_values("dom", key=lambda s: s.astype(float)).reset_index(drop=True)
        rr = rr.sort_values("domain", key=lambda s: s.astype(float)).reset_index(drop=True)
    assert len(m) == len(rr), (case, len(m), len(rr))
    de = (m.estimate.astype(float) - rr.estimate.astype(float)).abs() / rr.estimate.astype(float).abs()
    ds = (m.se.astype(float) - rr.se.astype(float)).abs() / rr.se.astype(float).abs()
    print(f"  ({case}) {len(m)} cells: max rel diff estimate {de.max():.2e}, SE {ds.max():.2e}")
