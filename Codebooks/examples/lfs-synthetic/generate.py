#!/usr/bin/env python3
"""Writes the synthetic LFS-style example: a household-structured person file (gzip fixed-width) and its
DDI 2.5 codebook.

SYNTHETIC DATA. No record describes a real person. The variable names and code frames follow the Labour Force
Survey end-user files (July-September quarter, which carries the family-background questions), but every value
is drawn from the model below. Deterministic: the same seed gives byte-identical files.

Assumptions (documented in README.md beside this file):
* ~100,000 persons aged 16-64 in households of 1-5 adults; nations in roughly UK population shares, with
  Scotland, Wales and Northern Ireland over-sampled and down-weighted.
* Origin (main earner's NS-SEC at 14, SM_NSEC20) follows a mid-20th-century class distribution; destination
  (respondent's NS-SEC, NSECM20) follows an upgraded distribution (more professional and managerial jobs), and
  the link between them decays with class distance plus a diagonal (immobility) bonus. This gives the published
  UK pattern: a strong diagonal and more upward than downward mobility.
* Occupation codes (SOC20M, SMSOC204) are drawn so that the simplified NS-SEC of their SOC2010 source unit group
  equals the operational category (ONS SOC2010 simplified table via the ONS SOC2010->SOC2020 coding index).
* Non-response: -8 (no answer) and -9 (does not apply) as in the LFS.

Usage: generate.py [--persons N] [--seed S] [--crosswalks DIR] [--out DIR]
"""
import argparse, csv, gzip, math, os, random
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
STEM = "lfs_synthetic_js2024"

# Analytic class -> operational categories (as written in NSECM20 / SM_NSEC20) with relative frequencies.
OPCATS = {
    "1.1": [("1", 1), ("2", 4)],
    "1.2": [("3.1", 2), ("3.2", 2), ("3.3", 1), ("3.4", 1)],
    "2": [("4.1", 2), ("4.2", 3), ("4.3", 1), ("4.4", 1), ("5", 4), ("6", 1)],
    "3": [("7.1", 4), ("7.2", 1), ("7.3", 1), ("7.4", 1)],
    "4": [("8.1", 1), ("9.1", 3)],
    "5": [("10", 1), ("11.1", 1), ("11.2", 1)],
    "6": [("12.1", 2), ("12.2", 2), ("12.3", 1), ("12.4", 1), ("12.6", 2), ("12.7", 1)],
    "7": [("13.1", 2), ("13.2", 1), ("13.3", 2), ("13.4", 2), ("13.5", 1)],
    "8": [("14.1", 1), ("14.2", 1)],
}
CLASSES = ["1.1", "1.2", "2", "3", "4", "5", "6", "7", "8"]
# Origin shares (parents' generation) and destination shares (respondents), in percent.
ORIGIN = [4, 6, 14, 9, 11, 12, 16, 21, 7]
DEST = [8, 11, 25, 12, 9, 7, 13, 10, 5]
DECAY, DIAGONAL = 0.5, 1.5

NATIONS = [  # code (LFS/APS COUNTRY), label, share of sample, weight multiplier, regions (GOVTOF2 codes)
    (1, "England", 0.78, 1.10, [1, 2, 4, 5, 6, 7, 8, 9, 10]),
    (2, "Wales", 0.07, 0.66, [11]),
    (3, "Scotland", 0.10, 0.80, [12]),
    (5, "Northern Ireland", 0.05, 0.56, [13]),
]
COUNTRY_LABELS = {1: "England", 2: "Wales", 3: "Scotland", 4: "Scotland North of Caledonian Canal", 5: "Northern Ireland"}
SCOTLAND_NORTH = 0.25  # share of Scottish households coded 4 (north of the Caledonian Canal)
REGIONS = {1: "North East", 2: "North West", 4: "Yorkshire and Humberside", 5: "East Midlands", 6: "West Midlands",
           7: "Eastern", 8: "London", 9: "South East", 10: "South West", 11: "Wales", 12: "Scotland",
           13: "Northern Ireland"}

# The qualification drawn first (one per nation and HIQUL22D band): code, label, nations it is awarded in, band.
QUALS = [
    (1, "Doctorate (PhD/DPhil/professional doctorate)", "EWSN", 1),
    (2, "Master's degree", "EWSN", 1),
    (3, "Bachelor's degree with honours", "EWSN", 1),
    (4, "Ordinary (non-honours) bachelor's degree", "S", 1),
    (5, "Foundation degree", "EWN", 1),
    (6, "HND / DipHE", "EWSN", 2),
    (7, "HNC / CertHE", "EWSN", 2),
    (8, "Advanced Higher", "S", 3),
    (9, "Higher", "S", 3),
    (10, "GCE A level / AS level", "EWN", 3),
    (11, "Advanced Welsh Baccalaureate", "W", 3),
    (12, "BTEC National / Advanced apprenticeship", "EWN", 3),
    (13, "GCSE grades 9-4 (A*-C)", "EWN", 4),
    (14, "National 5 (grades A-C)", "S", 4),
    (15, "National Welsh Baccalaureate", "W", 4),
    (16, "GCSE grades 3-1 (D-G)", "EWN", 5),
    (17, "National 4", "S", 5),
    (18, "Foreign / overseas qualification (level unknown)", "EWSN", 5),
    (19, "No qualifications", "EWSN", 6),
]
# ... then written as an LFS HIQUAL22 category of the same band (value labels as in the LFS end-user files),
# drawn with the second generator: (label, relative frequency).
HIQUAL22_OF = {
    1: [("Higher Degree", 1)], 2: [("Higher Degree", 1)],
    3: [("First or Foundation Degree", 9), ("Degree Apprenticeship", 1)],
    4: [("First or Foundation Degree", 9), ("Graduate Apprenticeship", 1)], 5: [("First or Foundation Degree", 1)],
    6: [("Diploma in higher education", 1), ("HNC/HND Higher", 1)],
    7: [("HNC/HND Higher", 3), ("Higher Apprenticeship", 1), ("Nursing etc", 1)],
    8: [("Advanced Higher (Scotland)", 6), ("Scottish Baccalaureate", 1), ("Scottish 6th year certificate", 1)],
    9: [("National Scottish Higher", 1)],
    10: [("A level or equivalent", 8), ("AS level or equivalent", 1), ("Access Qualifications", 1),
         ("International Baccalaureate", 1)],
    11: [("Advanced Welsh Baccalaureate", 1)],
    12: [("OND/ONC National", 3), ("Advanced Apprenticeship", 2), ("Trade Apprenticeship", 2), ("NVQ level 3", 1)],
    13: [("O Level/GCSE Grades A* - C and equivalents", 8), ("Intermediate Apprenticeship", 1)],
    14: [("Scottish National level 5", 3), ("National Scott Intermediate 2", 1)],
    15: [("Intermediate Welsh Bac", 1)],
    16: [("GCSE < Grade C, CSE < Grade 1 and equivalents", 1)], 17: [("Scottish National Level 4", 1)],
    18: [("Other Qualifications", 1)], 19: [("No qualifications", 1)],
}
# Categories of England, Wales and Northern Ireland and what a Scottish record gets instead.
IN_SCOTLAND = {"Degree Apprenticeship": "Graduate Apprenticeship", "Higher Apprenticeship": "HNC/HND Higher",
               "Advanced Apprenticeship": "Modern Technical & Professional Apprenticeship"}
DONT_KNOW = 0.003  # share answering "don't know" (HIQUAL22 74, HIQUL22D 7)


def hiqual22_frame(crosswalks):
    """The example's HIQUAL22 codes: the labels of lfs_hiqual_labels.csv seen only in HIQUAL22, and those this
    example draws, numbered in file order, and 74 "Don't know". The numbers are the example's own (the real
    file's numbering is in the LFS User Guide Vol 3); the labels are what the harmoniser reads."""
    key = lambda t: "".join(ch for ch in t.lower() if ch.isalnum())
    used = {label for options in HIQUAL22_OF.values() for label, _ in options}
    with open(os.path.join(crosswalks, "lfs_hiqual_labels.csv"), newline="") as f:
        labels = [r["label"] for r in csv.DictReader(f)
                  if r["seen_in"].startswith("HIQUAL22") or key(r["label"]) in {key(u) for u in used}]
    frame = {label: i for i, label in enumerate(labels, 1)}
    by_key = {key(label): code for label, code in frame.items()}
    missing = sorted(label for label in used if key(label) not in by_key)
    if missing:
        raise ValueError(f"labels not in lfs_hiqual_labels.csv: {missing}")
    assert len(frame) < 74
    return frame, by_key, key


NATION_LETTER = {1: "E", 2: "W", 3: "S", 5: "N"}
# Rough chance of each HIQUL22D band by destination class rank (0 = highest).
BAND_BY_CLASS = [[55, 15, 15, 8, 5, 2], [70, 12, 10, 5, 2, 1], [40, 15, 20, 15, 6, 4], [15, 12, 28, 28, 10, 7],
                 [12, 10, 25, 28, 13, 12], [6, 9, 30, 32, 13, 10], [6, 7, 22, 35, 15, 15], [3, 4, 17, 34, 20, 22],
                 [2, 3, 10, 25, 22, 38]]

# (name, start, width, decimals, type, label, categories {code: label}, missing codes)
LAYOUT = []


def var(name, width, label, decimals=0, vtype="numeric", cats=None, missing=()):
    start = LAYOUT[-1][1] + LAYOUT[-1][2] if LAYOUT else 1
    LAYOUT.append((name, start, width, decimals, vtype, label, cats or {}, list(missing)))


NOANS = {-8: "No answer", -9: "Does not apply"}
var("HSERIALP", 9, "Household serial number")
var("PERSNO", 2, "Person number in household")
var("PWT24", 8, "Person weight (2024 population estimates)", decimals=2)
var("COUNTRY", 1, "Country within UK", cats=COUNTRY_LABELS)
var("GOVTOF2", 2, "Government office region (2 and 3 combined)", cats=REGIONS)
var("SEX", 1, "Sex", cats={1: "Male", 2: "Female"})
var("AGE", 2, "Age of respondent")
var("COHORT", 1, "Decade of birth (derived)",
    cats={1: "1960-1969", 2: "1970-1979", 3: "1980-1989", 4: "1990-1999", 5: "2000-2008"})
var("INECAC05", 2, "Basic economic activity (reported)",
    cats={1: "Employee", 2: "Self-employed", 5: "ILO unemployed", 6: "Inactive - student",
          7: "Inactive - looking after family", 8: "Inactive - long-term sick", 9: "Inactive - other"})
var("SOC20M", 4, "Occupation (SOC2020 unit group) in main job", missing=(-8, -9), cats=NOANS)
var("NSECM20", 5, "NS-SEC operational category of respondent (SOC2020 based)", decimals=1, missing=(-8, -9),
    cats=NOANS)
var("SMEARNER", 2, "Main wage earner at age 14",
    cats={1: "Father", 2: "Mother", 3: "Someone else", 4: "Both parents equally", 5: "Nobody was earning",
          -8: "No answer", -9: "Does not apply"}, missing=(-8, -9))
var("SMSOC204", 4, "Occupation (SOC2020 unit group) of main earner at 14", missing=(-8, -9), cats=NOANS)
var("SM_NSEC20", 5, "NS-SEC operational category of main earner at 14", decimals=1, missing=(-8, -9), cats=NOANS)
var("HIQUL22D", 2, "Highest qualification (detailed grouping)",
    cats={1: "Degree or equivalent", 2: "Higher education", 3: "GCE A level or equivalent",
          4: "GCSE grades A*-C or equivalent", 5: "Other qualification", 6: "No qualification", 7: "Don't know",
          -8: "No answer", -9: "Does not apply"}, missing=(7, -8, -9))
var("HIQUAL22", 2, "Highest qualification (detailed; codes numbered by this example, labels as in the LFS)",
    missing=(-8, -9))  # categories are added in generate() from lfs_hiqual_labels.csv

def weighted(rng, items):
    total = sum(w for _, w in items)
    x = rng.random() * total
    for item, w in items:
        x -= w
        if x < 0:
            return item
    return items[-1][0]


def soc_pools(crosswalks):
    """SOC2020 unit groups by simplified operational category (through SOC2010 and the ONS coding index)."""
    simplified = {}
    with open(os.path.join(crosswalks, "nssec_soc2010_simplified.csv"), newline="") as f:
        for row in csv.DictReader(f):
            simplified[row["soc2010"]] = row["simplified_op_cat"].lstrip("L")
    pools = {}
    with open(os.path.join(crosswalks, "soc2010_to_soc2020_ons_index.csv"), newline="") as f:
        for row in csv.DictReader(f):
            op = simplified.get(row["soc2010"])
            if op and row["rank_within_source"] == "1":
                pools.setdefault(op, set()).add(row["soc2020"])
    return {k: sorted(v) for k, v in pools.items()}


def pick_soc(rng, pools, op):
    """A SOC2020 code whose simplified category is `op`, or one in the same major category."""
    pool = pools.get(op) or pools.get(op.split(".")[0]) or []
    if not pool:
        major = op.split(".")[0]
        pool = [c for k, v in pools.items() if k.split(".")[0] == major for c in v]
    return rng.choice(pool) if pool else "-9"


def destination_row(origin_index):
    weights = []
    for j, share in enumerate(DEST):
        w = share * math.exp(-DECAY * abs(origin_index - j))
        if j == origin_index:
            w *= DIAGONAL
        weights.append((j, w))
    return weights


def field(value, width):
    text = str(value)
    if len(text) > width:
        raise ValueError(f"{text!r} does not fit in {width} bytes")
    return text.rjust(width)


def generate(persons, seed, crosswalks, out):
    rng = random.Random(seed)
    # A second generator for what the first version of this file did not draw (Scotland north of the Caledonian
    # Canal, the HIQUAL22 category, don't know), so every other value is as before.
    rng2 = random.Random(seed * 7 + 1)
    pools = soc_pools(crosswalks)
    frame, by_key, key = hiqual22_frame(crosswalks)
    cats = {code: label for label, code in frame.items()}
    cats[74] = "Don't know"
    LAYOUT[[v[0] for v in LAYOUT].index("HIQUAL22")] = LAYOUT[[v[0] for v in LAYOUT].index("HIQUAL22")][:6] + (
        cats | NOANS, [-8, -9])
    origin_items = list(zip(range(len(CLASSES)), ORIGIN))
    rows = []
    serial = 100000000
    while len(rows) < persons:
        serial += rng.randint(1, 40)
        nation = weighted(rng, [(n, n[2]) for n in NATIONS])
        region = rng.choice(nation[4])
        size = weighted(rng, [(1, 30), (2, 40), (3, 15), (4, 11), (5, 4)])
        hh_class = rng.random()
        country = 4 if nation[0] == 3 and rng2.random() < SCOTLAND_NORTH else nation[0]
        for persno in range(1, size + 1):
            sex = rng.choice([1, 2])
            age = rng.randint(16, 64)
            birth = 2024 - age
            cohort = 1 if birth < 1970 else 2 if birth < 1980 else 3 if birth < 1990 else 4 if birth < 2000 else 5
            weight = 530.0 * nation[3] * rng.uniform(0.7, 1.3) * (1.15 if 20 <= age < 35 else 1.0)
            # Origin: shared by the household's adults of similar age (siblings), so households cluster.
            o = weighted(rng, origin_items) if rng.random() > 0.6 or persno == 1 else int(hh_class * 8.999)
            d = weighted(rng, destination_row(o))
            # Younger cohorts: a little more upward mobility.
            if cohort >= 3 and d > 0 and rng.random() < 0.08:
                d -= 1
            if age < 21 and rng.random() < 0.6:
                activity = 6
            else:
                activity = weighted(rng, [(1, 72), (2, 11), (5, 4), (7, 6), (8, 4), (9, 3)])
            if d == 8:
                activity = weighted(rng, [(5, 60), (9, 40)])
            d_class = CLASSES[d]
            if activity in (1, 2) and d_class == "8":
                d_class = "7"
            if activity == 1 and d_class == "4":
                activity = 2  # small employers and own-account workers are self-employed
            if activity == 2 and d_class not in ("1.1", "1.2", "2", "4"):
                d_class = "4" if rng.random() < 0.7 else d_class
            if activity in (1, 2) or d_class == "8":
                op = weighted(rng, OPCATS[d_class])
                soc = pick_soc(rng, pools, op) if d_class != "8" else "-9"
                nsec = op
            elif activity == 6:
                soc, nsec = "-9", "15"
            else:
                soc, nsec = "-9", "-9"
            earner = weighted(rng, [(1, 66), (2, 16), (3, 3), (4, 11), (5, 4)])
            if rng.random() < 0.04:
                earner, sm_soc, sm_nsec = -8, "-8", "-8"
            elif earner == 5:
                sm_soc, sm_nsec = "-9", "-9"
            else:
                o_class = CLASSES[o]
                op0 = weighted(rng, OPCATS[o_class])
                sm_soc = pick_soc(rng, pools, op0) if o_class != "8" else "-9"
                sm_nsec = op0
            band = weighted(rng, list(zip(range(1, 7), BAND_BY_CLASS[d])))
            letter = NATION_LETTER[nation[0]]
            quals = [q for q in QUALS if q[3] == band and letter in q[2]]
            first = rng.choice(quals)[0] if quals else 19
            label = weighted(rng2, HIQUAL22_OF[first])
            hiqual = by_key[key(IN_SCOTLAND.get(label, label) if letter == "S" else label)]
            hiqul = band
            if rng.random() < 0.01:
                hiqul, hiqual = -8, -8
            elif rng2.random() < DONT_KNOW:
                hiqul, hiqual = 7, 74

            def nsec_text(x):
                return x if x.startswith("-") else (x if "." in x else x + ".0")

            rows.append("".join([
                field(serial, 9), field(persno, 2), field(round(weight * 100), 8), field(country, 1),
                field(region, 2), field(sex, 1), field(age, 2), field(cohort, 1), field(activity, 2),
                field(soc, 4), field(nsec_text(nsec), 5), field(earner, 2), field(sm_soc, 4),
                field(nsec_text(sm_nsec), 5), field(hiqul, 2), field(hiqual, 2),
            ]))
            if len(rows) >= persons:
                break
    os.makedirs(out, exist_ok=True)
    data = ("\n".join(rows) + "\n").encode("ascii")
    with open(os.path.join(out, STEM + ".dat.gz"), "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0) as gz:
            gz.write(data)
    with open(os.path.join(out, STEM + ".xml"), "w", encoding="utf-8") as f:
        f.write(codebook(len(rows)))
    return len(rows)


def codebook(cases):
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<codeBook xmlns="ddi:codebook:2_5" version="2.5" ID="microdata-lfs-synthetic-js2024">',
           "<stdyDscr><citation><titlStmt>",
           "<titl>Synthetic LFS-style social-mobility example, July-September 2024 (SYNTHETIC DATA)</titl>",
           '<IDNo agency="Microdata">MICRODATA-LFS-SYNTH-JS2024</IDNo></titlStmt>',
           "<prodStmt><producer>Microdata project (generated by Codebooks/examples/lfs-synthetic/generate.py)"
           "</producer><prodDate date=\"2026-11-25\">2026-11-25</prodDate></prodStmt>",
           "<serStmt><serName>Synthetic LFS-style example</serName></serStmt></citation>",
           "<stdyInfo><sumDscr><nation>United Kingdom</nation><anlyUnit>Individual</anlyUnit></sumDscr></stdyInfo>",
           "<method><dataColl><weight>PWT24: synthetic person weight; households (HSERIALP) are the clusters."
           "</weight></dataColl></method>",
           "<dataAccs><useStmt><conditions>Synthetic data, no disclosure risk; released with the Microdata "
           "project under its licence.</conditions></useStmt></dataAccs></stdyDscr>",
           '<fileDscr ID="F1"><fileTxt><fileName>' + STEM + ".dat</fileName>",
           '<dimensns><caseQnty>%d</caseQnty><varQnty>%d</varQnty></dimensns>' % (cases, len(LAYOUT)),
           '<fileType charset="US-ASCII">ASCII</fileType><format>fixed length fields</format>',
           '<fileStrc type="rectangular"/></fileTxt></fileDscr>',
           "<dataDscr>"]
    for i, (name, start, width, dcml, vtype, label, cats, missing) in enumerate(LAYOUT, 1):
        wgt = ' wgt="wgt"' if name == "PWT24" else ""
        interval = "discrete" if cats else "contin"
        out.append(f'<var ID="V{i}" name="{name}" files="F1" dcml="{dcml}" intrvl="{interval}"{wgt}>')
        out.append(f'<location StartPos="{start}" EndPos="{start + width - 1}" width="{width}"/>')
        out.append(f"<labl>{escape(label)}</labl>")
        if missing:
            out.append("<invalrng>" + "".join(f'<item VALUE="{m}"/>' for m in missing) + "</invalrng>")
        for code, clabel in cats.items():
            flag = ' missing="Y"' if code in missing else ""
            out.append(f"<catgry{flag}><catValu>{code}</catValu><labl>{escape(clabel)}</labl></catgry>")
        out.append(f'<varFormat type="{vtype}" schema="other"/>')
        out.append("</var>")
    out.append("</dataDscr></codeBook>\n")
    return "\n".join(out)


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--persons", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=20241)
    p.add_argument("--crosswalks", default=os.path.join(HERE, "..", "..", "crosswalks"))
    p.add_argument("--out", default=HERE)
    a = p.parse_args()
    n = generate(a.persons, a.seed, a.crosswalks, a.out)
    print(f"wrote {n} persons to {a.out}/{STEM}.dat.gz and its codebook")
