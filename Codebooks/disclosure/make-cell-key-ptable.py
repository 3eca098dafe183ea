#!/usr/bin/env python3
"""Writes cell-key-ptable.json: the perturbation table of the cell-key method for counts.

Construction (the maximum-entropy design of the sdcTools ptable package, create_cnt_ptable, without its optional
monotony constraints and probability floors): for each original count i = 0 .. D + js + 1 (the last row serves
every larger count), the allowed targets are j = max(0, i - D) .. i + D without the blocked small counts 1 .. js.
Noise v = j - i has mean 0 and variance V; where V cannot be reached on the allowed targets (the blocked rows and
the rows next to them), the variance is the reachable value nearest V. Among those distributions the one with the
largest entropy is taken: p(v) proportional to exp(a v + b v^2), or the two-point distribution at a boundary.
Zero stays zero. Usage: python3 make-cell-key-ptable.py [D] [V] [js] > cell-key-ptable.json
"""
import json, math, sys

D = int(sys.argv[1]) if len(sys.argv) > 1 else 3
V = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0
JS = int(sys.argv[3]) if len(sys.argv) > 3 else 2


def row(i):
    if i == 0:
        return [(0, 1.0)]
    vs = [j - i for j in range(max(0, i - D), i + D + 1) if not (1 <= j <= JS)]
    pairs = [(a, b) for a in vs for b in vs if a < 0 < b]
    lo = 0.0 if 0 in vs else min(-a * b for a, b in pairs)
    hi = max(-a * b for a, b in pairs)
    var = min(max(V, lo), hi)
    if abs(var - lo) < 1e-12 or abs(var - hi) < 1e-12:
        # A boundary: the zero-mean two-point distribution with that variance (or all mass at 0).
        if var == 0:
            return [(v, 1.0 if v == 0 else 0.0) for v in vs]
        a, b = next((a, b) for a, b in pairs if abs(-a * b - var) < 1e-12)
        return [(v, b / (b - a) if v == a else (-a / (b - a) if v == b else 0.0)) for v in vs]
    # Newton on the dual of max entropy: p ∝ exp(x v + y v²), E v = 0, E v² = var.
    x, y = 0.0, 0.0
    for _ in range(200):
        w = [math.exp(x * v + y * v * v) for v in vs]
        z = sum(w)
        p = [t / z for t in w]
        m1 = sum(pi * v for pi, v in zip(p, vs))
        m2 = sum(pi * v * v for pi, v in zip(p, vs))
        m3 = sum(pi * v ** 3 for pi, v in zip(p, vs))
        m4 = sum(pi * v ** 4 for pi, v in zip(p, vs))
        g = (m1, m2 - var)
        if abs(g[0]) < 1e-15 and abs(g[1]) < 1e-15:
            break
        h11, h12, h22 = m2 - m1 * m1, m3 - m1 * m2, m4 - m2 * m2
        det = h11 * h22 - h12 * h12
        dx = (h22 * g[0] - h12 * g[1]) / det
        dy = (h11 * g[1] - h12 * g[0]) / det
        x, y = x - dx, y - dy
    return list(zip(vs, p))


rows = []
for i in range(D + JS + 2):
    for v, p in row(i):
        if p > 0:
            rows.append({"i": i, "j": i + v, "p": round(p, 12)})
# Round so that each row sums to exactly 1 at 12 decimals: the largest entry takes the remainder.
for i in range(D + JS + 2):
    entries = [r for r in rows if r["i"] == i]
    big = max(entries, key=lambda r: r["p"])
    big["p"] = round(1 - sum(r["p"] for r in entries if r is not big), 12)

print(json.dumps({
    "_source": "Cell-key method for counts (ABS TableBuilder; ONS Census 2021; Destatis/Eurostat ptable). Transition "
               "probabilities by the maximum-entropy construction of the sdcTools ptable package (create_cnt_ptable: "
               "maximum noise D, zero mean, variance V, no target in 1..js), computed by make-cell-key-ptable.py in "
               "this folder without the package's optional monotony constraints and probability floors. Rows where "
               "V cannot be reached take the reachable variance nearest V.",
    "_date": "2026-12-04",
    "_licence": "Generated data; part of Microdata (see LICENSE). The method is public (Giessing 2016, "
                "'Computational issues in the design of transition probabilities and disclosure risk estimation for "
                "additive noise', PSD 2016, LNCS 9867; Marley and Leaver 2011, ABS).",
    "label": f"D{D}V{int(V * 100)}js{JS}",
    "maximumNoise": D,
    "variance": V,
    "blockedSmallCounts": JS,
    "rows": rows,
}, indent=2))
