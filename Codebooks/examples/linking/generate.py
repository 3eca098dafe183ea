#!/usr/bin/env python3
"""Synthetic WAS-style and BCS70-style files for the linking examples (SYNTHETIC DATA, seeded).

    cd Codebooks/examples/linking && python3 generate.py

Writes CSV files and one DDI 2.5 codebook per file (types, labels, value labels). Same seed, same files.
"""
import csv
import random

SEED = 20261204
rng = random.Random(SEED)


def ddi(path, title, rows, variables):
    """variables: (name, type 'numeric'|'character', label, {code: label})"""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<codeBook xmlns="ddi:codebook:2_5" version="2.5" ID="microdata-{path[:-4]}">',
           f'<stdyDscr><citation><titlStmt><titl>{title} (SYNTHETIC DATA)</titl></titlStmt>',
           '<prodStmt><producer>Microdata project (Codebooks/examples/linking/generate.py)</producer></prodStmt>'
           '</citation></stdyDscr>',
           f'<fileDscr ID="F1"><fileTxt><fileName>{path}</fileName><dimensns><caseQnty>{rows}</caseQnty>'
           f'<varQnty>{len(variables)}</varQnty></dimensns><format>comma-separated values with a header</format>'
           '</fileTxt></fileDscr>', '<dataDscr>']
    for k, (name, kind, label, codes) in enumerate(variables, 1):
        intrvl = "discrete" if codes or kind == "character" else "contin"
        out.append(f'<var ID="V{k}" name="{name}" files="F1" intrvl="{intrvl}"><labl>{label}</labl>')
        for code, text in codes.items():
            out.append(f'<catgry><catValu>{code}</catValu><labl>{text}</labl></catgry>')
        out.append(f'<varFormat type="{kind}" schema="other"/></var>')
    out.append('</dataDscr></codeBook>')
    with open(path[:-4] + ".xml", "w") as f:
        f.write("\n".join(out) + "\n")


def write(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


NSSEC3 = {1: "Higher managerial, administrative and professional", 2: "Intermediate", 3: "Routine and manual"}
SEX = {1: "Male", 2: "Female"}
QUAL = {1: "Degree or above", 2: "Other higher", 3: "A level", 4: "GCSE", 5: "Other", 6: "None"}
REGION = {k: v for k, v in enumerate(["North East", "North West", "Yorkshire and The Humber", "East Midlands",
                                      "West Midlands", "East of England", "London", "South East", "South West",
                                      "Wales", "Scotland"], 1)}

# --- WAS-style round 8: households and persons -------------------------------------------------------------
households, persons = [], []
case = 80000
for stratum in range(1, 21):
    for psu in range(1, 6):
        psu_id = stratum * 100 + psu
        region = 1 + (stratum - 1) % 11
        for _ in range(rng.randint(4, 8)):
            case += rng.randint(1, 9)
            weight = round(rng.uniform(800, 3000), 2)
            prop = max(0, round(rng.lognormvariate(11.5, 1.2) if rng.random() < 0.65 else 0))
            fin = round(rng.gauss(25000, 60000))  # net financial wealth, can be negative
            phys = round(rng.lognormvariate(9.8, 0.6))
            pens = round(rng.lognormvariate(10.5, 1.5)) if rng.random() < 0.7 else 0
            households.append([case, region, stratum, psu_id, weight, prop, fin, phys, pens, prop + fin + phys + pens])
            size = rng.choice([1, 1, 2, 2, 2, 3, 4])
            hrp_class = rng.choice([1, 2, 3])
            for p in range(1, size + 1):
                age = rng.randint(25, 80) if p <= 2 else rng.randint(16, 30)
                nssec = hrp_class if p == 1 else rng.choice([1, 2, 3, -9])
                earn = round(rng.lognormvariate(10.2 - 0.2 * (abs(nssec) - 1), 0.5)) if age < 67 and nssec > 0 else 0
                persons.append([case, p, 1 if p == 1 else 0, rng.choice([1, 2]), age, nssec, rng.randint(1, 6), earn])
# A household with no persons, and persons whose household is not in the household file.
households.append([case + 5, 7, 20, 2005, 1500.0, 250000, 1000, 20000, 0, 271000])
for p in (1, 2):
    persons.append([case + 11, p, 1 if p == 1 else 0, p, 40 + p, 2, 3, 24000 + p])
hh_vars = [("CASER8", "numeric", "Household case identifier (round 8)", {}),
           ("GORR8", "numeric", "Government office region", REGION),
           ("STRATR8", "numeric", "Sampling stratum", {}), ("PSUR8", "numeric", "Primary sampling unit", {}),
           ("R8XSHHWGT", "numeric", "Cross-sectional household weight", {}),
           ("HPROPWR8", "numeric", "Net property wealth", {}),
           ("HFINWNTR8", "numeric", "Net financial wealth (can be negative)", {}),
           ("HPHYSWR8", "numeric", "Physical wealth", {}), ("TOTPENR8", "numeric", "Private pension wealth", {}),
           ("TOTWLTHR8", "numeric", "Total household wealth", {})]
write("was_r8_household.csv", [v[0] for v in hh_vars], households)
ddi("was_r8_household.csv", "WAS-style round 8 household file", len(households), hh_vars)
p_vars = [("CASER8", "numeric", "Household case identifier (round 8)", {}),
          ("PERSONR8", "numeric", "Person number in household", {}),
          ("ISHRPR8", "numeric", "Household reference person", {0: "No", 1: "Yes"}),
          ("SEXR8", "numeric", "Sex", SEX), ("DVAGER8", "numeric", "Age", {}),
          ("NSSEC3R8", "numeric", "NS-SEC (3 classes)", {**NSSEC3, -9: "Not classified"}),
          ("EDLEVELR8", "numeric", "Highest qualification", QUAL),
          ("DVGRSPAYR8", "numeric", "Gross annual earnings", {})]
write("was_r8_person.csv", [v[0] for v in p_vars], persons)
ddi("was_r8_person.csv", "WAS-style round 8 person file", len(persons), p_vars)

# --- BCS70-style cohort: birth, age 10 and age 42 sweeps, keyed by the string BCSID ------------------------
birth, age10, age42 = [], [], []
fathers = {}  # each member's father's class, seen at 10 or not (for the attrition and imputation files below)
for i in range(1, 2001):
    bcsid = f"B{i:05d}"  # string id: "B00017" keeps its zeros
    sex = rng.choice([1, 2])
    region = rng.randint(1, 11)
    birth.append([bcsid, sex, region, round(rng.gauss(3300, 500))])
    fclass = rng.choices([1, 2, 3], [0.3, 0.25, 0.45])[0]
    fathers[bcsid] = fclass
    if rng.random() < 0.88:  # attrition by age 10
        income = round(rng.lognormvariate(8.3 - 0.15 * (fclass - 1), 0.4))
        age10.append([bcsid, fclass, income, region])
    # Attrition by 42 is higher for routine and manual origins (the audit should flag it).
    if rng.random() < [0.72, 0.66, 0.50][fclass - 1]:
        own = rng.choices([1, 2, 3], [[0.55, 0.25, 0.2], [0.4, 0.3, 0.3], [0.25, 0.25, 0.5]][fclass - 1])[0]
        pay = round(rng.lognormvariate(10.4 - 0.25 * (own - 1), 0.5)) if rng.random() < 0.85 else ""
        age42.append([bcsid, own, pay, rng.choices(range(1, 7), [3, 2, 2, 2, 1, 1])[0],
                      round(rng.uniform(0.7, 2.2), 4), rng.randint(1, 11)])
age42.append(list(age42[10]))  # one duplicated id, as real releases sometimes have
age42[-1][2] = age42[-1][2] or 30000
write("bcs70_birth.csv", ["BCSID", "SEX", "BIRTHREG", "BWTGRAMS"], birth)
ddi("bcs70_birth.csv", "BCS70-style birth sweep (1970)", len(birth),
    [("BCSID", "character", "Cohort member identifier", {}), ("SEX", "numeric", "Sex", SEX),
     ("BIRTHREG", "numeric", "Region at birth", REGION), ("BWTGRAMS", "numeric", "Birth weight (grams)", {})])
write("bcs70_age10.csv", ["BCSID", "FNSSEC3", "PARINC10", "REGION"], age10)
ddi("bcs70_age10.csv", "BCS70-style age 10 sweep (1980)", len(age10),
    [("BCSID", "character", "Cohort member identifier", {}),
     ("FNSSEC3", "numeric", "Father's NS-SEC (3 classes) at age 10", NSSEC3),
     ("PARINC10", "numeric", "Parental weekly income at age 10 (synthetic pounds)", {}),
     ("REGION", "numeric", "Region at age 10", REGION)])
write("bcs70_age42.csv", ["BCSID", "B9NSSEC3", "B9GROSPAY", "B9HIQUAL", "B9NRWT", "REGION"], age42)
ddi("bcs70_age42.csv", "BCS70-style age 42 sweep (2012)", len(age42),
    [("BCSID", "character", "Cohort member identifier", {}), ("B9NSSEC3", "numeric", "Own NS-SEC (3 classes) at 42", NSSEC3),
     ("B9GROSPAY", "numeric", "Gross annual pay at 42", {}), ("B9HIQUAL", "numeric", "Highest qualification at 42", QUAL),
     ("B9NRWT", "numeric", "Non-response weight at 42", {}), ("REGION", "numeric", "Region at 42", REGION)])
print(len(households), "households,", len(persons), "persons;", len(birth), len(age10), len(age42), "cohort rows")

# --- Attrition and multiple imputation (appended: the draws above and their files are unchanged) ------------
# A second generator, so that the files above stay byte-identical.
rng2 = random.Random(SEED + 42)
seen42 = {}
for row in age42:  # the first row of the duplicated id
    seen42.setdefault(row[0], row)
at10 = {row[0]: row for row in age10}
response = []
for bcsid, sex, region, _ in birth:
    # Father's class recorded at birth: the class at 10 for 85%, another class for the rest.
    f0 = fathers[bcsid] if rng2.random() < 0.85 else rng2.choice([c for c in (1, 2, 3) if c != fathers[bcsid]])
    response.append([bcsid, f0, 1 if bcsid in seen42 else 0, 1.0])
write("bcs70_response.csv", ["BCSID", "FCLASS0", "RESP42", "W0"], response)
ddi("bcs70_response.csv", "BCS70-style response at 42 and father's class at birth", len(response),
    [("BCSID", "character", "Cohort member identifier", {}),
     ("FCLASS0", "numeric", "Father's NS-SEC (3 classes) recorded at birth", NSSEC3),
     ("RESP42", "numeric", "Responded at 42", {0: "No", 1: "Yes"}),
     ("W0", "numeric", "Baseline design weight (every birth in the week: 1)", {})])

# The members who responded at 42, with father's class at 10 (missing when not seen at 10), and five
# imputations of it: for each, cell probabilities given (class at birth, own class at 42) drawn from their
# Dirichlet posterior (uniform prior) on the observed members, then each missing class drawn from them.
f0_of = {r[0]: r[1] for r in response}
sex_of = {r[0]: r[1] for r in birth}
sample = [[b, sex_of[b], f0_of[b], at10[b][1] if b in at10 else "", row[1], row[4]]
          for b, row in sorted(seen42.items())]
mi_header = ["BCSID", "SEX", "FCLASS0", "FNSSEC3", "B9NSSEC3", "B9NRWT"]
mi_vars = [("BCSID", "character", "Cohort member identifier", {}), ("SEX", "numeric", "Sex", SEX),
           ("FCLASS0", "numeric", "Father's NS-SEC (3 classes) recorded at birth", NSSEC3),
           ("FNSSEC3", "numeric", "Father's NS-SEC (3 classes) at age 10", NSSEC3),
           ("B9NSSEC3", "numeric", "Own NS-SEC (3 classes) at 42", NSSEC3),
           ("B9NRWT", "numeric", "Non-response weight at 42", {})]
write("bcs70_mi_incomplete.csv", mi_header, sample)
ddi("bcs70_mi_incomplete.csv", "BCS70-style responders at 42, father's class at 10 incomplete", len(sample), mi_vars)
counts = {}
for r in sample:
    if r[3] != "":
        counts.setdefault((r[2], r[4]), [0, 0, 0])[r[3] - 1] += 1
long_rows = []
for m in range(1, 6):
    draws = {}
    for key in sorted({(r[2], r[4]) for r in sample}):
        g = [rng2.gammavariate(c + 1, 1) for c in counts.get(key, [0, 0, 0])]
        draws[key] = [x / sum(g) for x in g]
    completed = [r[:3] + [r[3] if r[3] != "" else rng2.choices([1, 2, 3], draws[(r[2], r[4])])[0]] + r[4:]
                 for r in sample]
    write(f"bcs70_imp{m}.csv", mi_header, completed)
    ddi(f"bcs70_imp{m}.csv", f"BCS70-style responders at 42, imputation {m} of 5", len(completed), mi_vars)
    long_rows += [[m] + r for r in completed]
write("bcs70_imputed_long.csv", ["imp"] + mi_header, long_rows)
ddi("bcs70_imputed_long.csv", "BCS70-style responders at 42, five imputations stacked (imp = 1..5)", len(long_rows),
    [("imp", "numeric", "Imputation number (1 to 5)", {})] + mi_vars)
print(len(response), "baseline rows,", sum(r[2] for r in response), "responders at 42;", len(sample),
      "in the imputation sample,", sum(r[3] == "" for r in sample), "with father's class missing")
