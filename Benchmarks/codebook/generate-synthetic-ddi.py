#!/usr/bin/env python3
"""Writes a synthetic DDI-Codebook 2.5 file for throughput tests of `microdata inspect`.

Default: 100,000 <var> elements with 5 <catgry> each (500,000 categories), about 58 MB, the same shape as the
codebook used in docs/toolchain.md section 4. Deterministic (no randomness), so figures are comparable.
Usage: generate-synthetic-ddi.py OUTPUT.xml [VARIABLES] [CATEGORIES_PER_VARIABLE]
"""
import sys

def main() -> None:
    out = sys.argv[1]
    n_vars = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    n_cats = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    with open(out, "w", encoding="utf-8") as f:
        w = f.write
        w('<?xml version="1.0" encoding="UTF-8"?>\n')
        w('<codeBook xmlns="ddi:codebook:2_5" version="2.5">\n')
        w('  <stdyDscr><citation><titlStmt><titl>Synthetic benchmark codebook</titl>'
          '<IDNo agency="BENCH">SYN-1</IDNo></titlStmt></citation></stdyDscr>\n')
        w('  <fileDscr ID="F1"><fileTxt><fileName>synthetic.dat</fileName><fileStrc type="rectangular"/>'
          f'<dimensns><caseQnty>1000</caseQnty><varQnty>{n_vars}</varQnty></dimensns>'
          '<fileType charset="UTF-8"/><format>fixed length fields</format></fileTxt></fileDscr>\n')
        w('  <dataDscr>\n')
        pos = 1
        for i in range(n_vars):
            width = 2 + (i % 7)
            w(f'<var ID="V{i}" name="VAR{i:06d}" files="F1" dcml="{i % 3}" intrvl="discrete">\n')
            w(f'  <location StartPos="{pos}" EndPos="{pos + width - 1}" width="{width}"/>\n')
            w(f'  <labl>Synthetic variable {i}</labl>\n')
            w('  <sumStat type="vald">990</sumStat><sumStat type="invd">10</sumStat>\n')
            for c in range(n_cats):
                missing = ' missing="Y"' if c == n_cats - 1 else ""
                w(f'  <catgry{missing}><catValu>{c:02d}</catValu><labl>Category {c}</labl></catgry>\n')
            w('  <varFormat type="numeric" schema="other"/>\n')
            w('</var>\n')
            pos += width
        w('  </dataDscr>\n</codeBook>\n')

if __name__ == "__main__":
    main()
