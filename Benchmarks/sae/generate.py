#!/usr/bin/env python3
"""Writes the small-area benchmark data: persons.csv (1,000,000 persons in 400 areas, 40 strata, 4,000 PSUs nested
in areas) and areas.csv (420 areas: 20 without sample; covariates x1, x2, region). Seeded, synthetic.

Usage: generate.py DIR"""
import csv, math, os, random, sys

out = sys.argv[1]
rng = random.Random(400)
areas = []
for i in range(420):
    areas.append(dict(area="A%03d" % (i + 1), region="R%d" % (i % 8 + 1), x1=round(rng.uniform(0, 10), 3),
                      x2=round(rng.uniform(-1, 1), 3), population=rng.randint(20000, 400000), u=rng.gauss(0, 0.5)))
sampled = [a for i, a in enumerate(areas) if i % 21 != 20][:400]
with open(os.path.join(out, "areas.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["area", "region", "x1", "x2", "population"])
    for a in areas:
        w.writerow([a["area"], a["region"], a["x1"], a["x2"], a["population"]])
with open(os.path.join(out, "persons.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["area", "stratum", "psu", "weight", "y"])
    for k, a in enumerate(sampled):
        stratum = k % 40 + 1
        mu = 20 + 0.8 * a["x1"] + 1.5 * a["x2"] + a["u"]
        for j in range(2500):
            psu = "%s-%d" % (a["area"], j % 10 + 1)
            w.writerow([a["area"], stratum, psu, round(rng.uniform(50, 150), 2), round(rng.gauss(mu, 4), 2)])
