#!/usr/bin/env python3
"""Writes the synthetic local-area example for `microdata sae`: a person file with a local-authority column and
an area covariate file (one row per local authority, including some with no sample).

SYNTHETIC DATA. No record describes a real person or place: the local authorities are invented ("LA001" ...) and
every value is drawn from the model below. Deterministic: the same seed gives byte-identical files.

Model: 80 local authorities in 9 English regions; each has an adult population, a claimant rate and a share of
graduates (the area covariates, as from administrative data); 8 have no sample. Sample sizes vary from 4 to 150
persons per authority (a survey designed for regions, not authorities), in 3-5 PSUs per authority; strata are
the regions. Hourly pay (HOURPAY, employees only, blank otherwise) and ILO status (ILODEFR: 1 employed,
2 unemployed, 3 inactive) depend on the covariates plus an authority effect the covariates do not explain.
Social class (PARENT_NSSEC5, the main earner's when the person was 14, and NSSEC5, the person's own; NS-SEC 5
classes, 1 highest, blank for about 4% who never worked) is drawn from a second generator (seed + 1), so the
columns above are the same with or without it; upward mobility rises with the share of graduates.

Usage: generate.py [--seed S] [--out DIR]
"""
import argparse, csv, math, os, random

HERE = os.path.dirname(os.path.abspath(__file__))
REGIONS = ["North East", "North West", "Yorkshire and The Humber", "East Midlands", "West Midlands",
           "East of England", "London", "South East", "South West"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=20261204)
    ap.add_argument("--out", default=HERE)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    areas = []
    for i in range(80):
        region = i % 9 + 1
        population = rng.randint(60, 600) * 1000
        claimant = round(rng.uniform(1.5, 7.5), 2)
        graduates = round(rng.uniform(20, 55), 1)
        effect = rng.gauss(0, 0.9)
        sampled = i % 10 != 7
        n = 0
        if sampled:
            n = max(4, int(rng.lognormvariate(math.log(40), 0.8)))
            n = min(n, 150)
        areas.append(dict(LA="LA%03d" % (i + 1), region=region, population=population, claimant_rate=claimant,
                          graduates=graduates, effect=effect, n=n))
    persons = []
    person = 0
    classes = random.Random(args.seed + 1)
    for a in areas:
        if a["n"] == 0:
            continue
        psus = 3 + (a["n"] > 40) + (a["n"] > 90)
        for k in range(a["n"]):
            person += 1
            psu = "%s-%d" % (a["LA"], k % psus + 1)
            weight = round(a["population"] / a["n"] * rng.uniform(0.6, 1.4), 1)
            p_emp = 1 / (1 + math.exp(-(1.6 - 0.25 * a["claimant_rate"] + 0.01 * a["graduates"] + a["effect"] / 4)))
            u = rng.random()
            status = 1 if u < p_emp else (2 if u < p_emp + (1 - p_emp) * 0.15 else 3)
            if status == 1:
                mean = 11.0 + 0.16 * a["graduates"] - 0.35 * a["claimant_rate"] + (2.5 if a["region"] == 7 else 0) + a["effect"]
                pay = round(max(6.0, rng.gauss(mean, 4.5)), 2)
            else:
                pay = ""
            origin = classes.choices([1, 2, 3, 4, 5], weights=[14, 22, 20, 14, 30])[0]
            p_up = max(0.02, 0.2 + 0.006 * (a["graduates"] - 20) + a["effect"] / 8)
            u = classes.random()
            step = -1 if u < p_up else (1 if u < p_up + 0.2 else 0)
            destination = min(5, max(1, origin + step + (step if classes.random() < 0.25 else 0)))
            own = "" if classes.random() < 0.04 else destination
            persons.append([person, a["LA"], a["region"], psu, weight, status, pay, origin, own])
    with open(os.path.join(args.out, "persons.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["PERSON", "LA", "GOVTOF2", "PSU", "PWT22", "ILODEFR", "HOURPAY", "PARENT_NSSEC5", "NSSEC5"])
        w.writerows(persons)
    with open(os.path.join(args.out, "la.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["LA", "region", "population", "claimant_rate", "graduates"])
        for a in areas:
            w.writerow([a["LA"], REGIONS[a["region"] - 1], a["population"], a["claimant_rate"], a["graduates"]])


if __name__ == "__main__":
    main()
