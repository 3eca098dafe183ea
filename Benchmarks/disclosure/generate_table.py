#!/usr/bin/env python3
"""Generate a seeded 3-D frequency table of about 20,000 published cells with hierarchies.

geography: 5 regions x 8 districts (40 leaves, 5 subtotals, Total) = 46 codes
age:       4 bands x 4 single groups (16 leaves, 4 subtotals, Total) = 21 codes
industry:  20 leaves + Total = 21 codes
46 x 21 x 21 = 20,286 published cells; 12,800 inner cells (written), margins computed by `microdata check`.
Counts are Poisson with log-normal means so that about 6% of inner cells fall below the threshold of 10.
"""
import math
import random
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "generated_3d.csv"
hier = sys.argv[2] if len(sys.argv) > 2 else "generated_3d_hierarchy.csv"
rng = random.Random(20261125)


def poisson(lam):
    # Knuth for small means, normal approximation for large ones.
    if lam > 60:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    l, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= l:
            return k
        k += 1


regions = [f"R{r}" for r in range(5)]
districts = {r: [f"{r}D{d}" for d in range(8)] for r in regions}
bands = [f"A{b}" for b in range(4)]
ages = {b: [f"{b}g{g}" for g in range(4)] for b in bands}
industries = [f"I{i:02d}" for i in range(20)]

with open(out, "w") as f:
    f.write("geography,age,industry,count\n")
    for r in regions:
        for d in districts[r]:
            for b in bands:
                for a in ages[b]:
                    for i in industries:
                        mean = math.exp(rng.gauss(3.6, 0.7))
                        f.write(f"{d},{a},{i},{max(1, poisson(mean))}\n")
with open(hier, "w") as f:
    f.write("dimension,parent,child\n")
    for r in regions:
        for d in districts[r]:
            f.write(f"geography,{r},{d}\n")
    for b in bands:
        for a in ages[b]:
            f.write(f"age,{b},{a}\n")
