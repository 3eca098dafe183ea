#!/usr/bin/env python3
"""Writes a synthetic 1,000,000-record CSV for the harmonise benchmark (seeded; codes drawn from the shipped
SOC2010 and SOC2000 code lists with a few sentinels and unknown codes). Usage: python3 gen.py OUT.csv [N]"""
import csv, random, sys
here = __file__.rsplit('/', 1)[0] or '.'
cw = here + '/../../Codebooks/crosswalks/'
soc10 = [r['code'] for r in csv.DictReader(open(cw + 'soc2010_structure.csv')) if r['level'] == 'unit']
soc00 = sorted({r['soc2000'] for r in csv.DictReader(open(cw + 'soc2000_to_soc2010_ons_table1b_long.csv'))})
quals = sorted({r['code'] for r in csv.DictReader(open(cw + 'qualification_levels_long.csv'))})
out, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
rng = random.Random(20261125)
with open(out, 'w', newline='') as fh:
    w = csv.writer(fh, lineterminator='\n')
    w.writerow(['ID', 'SEX', 'PWT', 'SOC10M', 'SOC2KM', 'STAT', 'QUAL', 'COUNTRY'])
    for i in range(n):
        s10 = rng.choice(soc10) if rng.random() > 0.01 else rng.choice(['-8', '-9', '9999'])
        s00 = rng.choice(soc00) if rng.random() > 0.01 else '-9'
        w.writerow([i + 1, rng.choice('12'), round(rng.uniform(50, 2000), 2), s10, s00, rng.randint(1, 9),
                    rng.choice(quals), rng.randint(1, 4)])
