"""Synthetic three-period survey for the `microdata pool` tests (Python 3 standard library; seed 2025).

Writes lfs2022.csv, lfs2023.csv, lfs2024.csv (the 2022 file names its weight PWT22, the others PWT24, so the
test renames it) and stacked.csv (all three with a `year` column). Persons 0001-0008 are in 2022 and 2023,
0009-0012 in 2023 and 2024, 0013 in all three; the rest are in one period only.
"""
import csv, random

rng = random.Random(2025)
periods = {2022: [], 2023: [], 2024: []}
serial = 100
for year in periods:
    for _ in range(26):
        serial += 1
        periods[year].append("%04d" % serial)
periods[2022] += ["%04d" % i for i in range(1, 9)] + ["0013"]
periods[2023] += ["%04d" % i for i in range(1, 14)]
periods[2024] += ["%04d" % i for i in range(9, 14)]

stacked = []
for year, ids in periods.items():
    weight = "PWT22" if year == 2022 else "PWT24"
    rows = []
    for pid in ids:
        stratum = 1 + int(pid) % 3
        rows.append({"PID": pid, "STRATUM": stratum, "REGION": rng.choice([1, 2]),
                     weight: round(rng.uniform(80, 160) * (1.5 if stratum == 3 else 1), 2),
                     "INCOME": round(rng.gauss(300 + 20 * stratum + 10 * (year - 2022), 60), 2)})
    with open("lfs%d.csv" % year, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["PID", "STRATUM", "REGION", weight, "INCOME"])
        w.writeheader()
        w.writerows(rows)
    for r in rows:
        r = dict(r)
        r["PWT24"] = r.pop(weight)
        stacked.append(dict(year=year, **r))
with open("stacked.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["year", "PID", "STRATUM", "REGION", "PWT24", "INCOME"])
    w.writeheader()
    w.writerows(stacked)
with open("renames.txt", "w") as f:
    f.write("# the 2022 vintage called the person weight PWT22\nPWT22>PWT24\n")
