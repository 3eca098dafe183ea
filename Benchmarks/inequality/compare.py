#!/usr/bin/env python3
"""Largest relative difference between microdata's and convey's estimates and SEs (usage: compare.py OUTDIR)."""
import csv, sys

out = sys.argv[1]
r = {row["REGION"]: row for row in csv.DictReader(open(f"{out}/convey.csv"))}
worst = 0.0
for name, col in [("gini", "gini"), ("quantileshareratio", "qsr"), ("povertyrate", "arpr")]:
    for row in csv.DictReader(open(f"{out}/{name}.csv")):
        for ours, theirs in [(row["estimate"], r[row["REGION"]][col]), (row["se"], r[row["REGION"]][col + "_se"])]:
            a, b = float(ours), float(theirs)
            worst = max(worst, abs(a - b) / abs(b))
print(f"largest relative difference from convey (36 estimates and SEs): {worst:.2e}")
