#!/usr/bin/env python3
"""Compares `microdata mobility` output (CSV + JSON) with the R survey run of mobility_r.R.

Usage: compare.py MICRODATA_DIR R.csv   Prints the largest relative differences per table; exits 1 above 1e-6.
"""
import csv, json, re, sys

out_dir, r_csv = sys.argv[1], sys.argv[2]
RATES = {"Immobile (same class as origin)": "immobile", "Upward mobility": "upward",
         "Downward mobility": "downward", "Upward : downward": "upward:downward"}
ours = {}
with open(f"{out_dir}/mobility.csv", newline="") as f:
    for row in csv.DictReader(f):
        t = row["table"]
        if t in ("outflow", "inflow", "joint"):
            key = (t, row["row"].split(" ")[0], row["column"].split(" ")[0])
        elif t in ("rates", "ratio") and row["row"] in RATES:
            key = (t, RATES[row["row"]], "")
        else:
            continue
        ours[key] = (float(row["estimate"]), float(row["se"]))
meta = json.load(open(f"{out_dir}/mobility.json"))
text = json.dumps(meta)
m = re.search(r"Rao\\u2013Scott F = ([0-9.,]+)|Rao–Scott F = ([0-9.,]+)", text)
worst = {}
n = 0
with open(r_csv, newline="") as f:
    for row in csv.DictReader(f):
        key = (row["table"], row["row"], row["column"])
        if row["table"] == "raoscott":
            if m:
                ours_f = float((m.group(1) or m.group(2)).replace(",", ""))
                print(f"Rao-Scott F: R {float(row['estimate']):.4f}, microdata {ours_f} (published to 2 decimals)")
            continue
        if key not in ours:
            print("not in microdata output:", key)
            continue
        n += 1
        for k, (a, b) in enumerate(zip(ours[key], (float(row["estimate"]), float(row["se"])))):
            rel = abs(a - b) / max(abs(b), 1e-300)
            name = (row["table"], "estimate" if k == 0 else "se")
            worst[name] = max(worst.get(name, 0), rel)
print(f"{n} values compared")
for name, rel in sorted(worst.items()):
    print(f"{name[0]:8} {name[1]:9} max relative difference {rel:.2e}")
sys.exit(0 if all(v < 1e-6 for v in worst.values()) else 1)
