#!/usr/bin/env python3
"""Synthetic LFS-sized fixed-width file and its DDI 2.5 codebook for the reader benchmark.

Usage: generate.py ROWS OUTDIR  ->  OUTDIR/lfs_synth_<ROWS>.dat, .dat.gz and lfs_synth.xml
120 variables, 400 bytes a line: person IDs (14 digits), small categorical codes, ages, incomes with
missing codes, implied-decimal weights (dcml 4), a few character fields and blanks. Deterministic (seed 7).
"""
import gzip, os, subprocess, sys
import numpy as np

def layout():
    """120 (name, width, kind, dcml) entries summing to 399 bytes (+ newline = 400)."""
    v = [("CASEID", 14, "id", 0), ("HSERIAL", 8, "serial", 0), ("PERNUM", 2, "small", 0),
         ("AGE", 3, "age", 0), ("SEX", 1, "cat", 0), ("GOR", 2, "cat", 0),
         ("PWT22", 10, "weight", 4), ("INCOME", 7, "income", 0), ("SOC2020", 4, "code", 0),
         ("NATION", 3, "text", 0)]
    i = 0
    pattern = [(1, "cat"), (2, "cat"), (2, "cat"), (4, "code"), (1, "cat"), (4, "code"), (3, "blanky"),
               (8, "income"), (2, "cat"), (4, "text")]
    while len(v) < 119:
        w, k = pattern[i % len(pattern)]
        v.append((f"V{i:03d}", w, k, 0))
        i += 1
    used = sum(x[1] for x in v)
    v.append(("WGT2", 399 - used, "weight", 4))
    assert len(v) == 120 and sum(x[1] for x in v) == 399, (len(v), sum(x[1] for x in v))
    return v

def column(rng, n, start, width, kind):
    """Survey-like values: skewed categorical codes, a small set of occupation codes, blanks, missing codes."""
    if kind == "id": vals = 20220101000000 + start + np.arange(n, dtype=np.int64)
    elif kind == "serial": vals = (start + np.arange(n, dtype=np.int64)) // 2
    elif kind == "small": vals = np.minimum(rng.geometric(0.5, n), 9)
    elif kind == "age": vals = rng.integers(0, 99, n)
    elif kind == "weight": vals = rng.integers(100000, 9999999, n)
    elif kind == "income":
        vals = np.where(rng.random(n) < 0.4, 0, rng.integers(0, 10 ** min(width - 1, 6), n) // 100 * 100)
        vals[rng.random(n) < 0.05] = 10 ** width - 1  # missing code 99...9
    elif kind == "code":
        pool = rng.integers(0, 10 ** width, 60)
        vals = pool[np.minimum(rng.geometric(0.08, n), 59)]
    else: vals = np.minimum(rng.geometric(0.45, n), min(10 ** width - 1, 9))
    digits = (vals[:, None] // (10 ** np.arange(width - 1, -1, -1, dtype=np.int64))) % 10
    out = (digits + 48).astype(np.uint8)
    if kind == "blanky":
        out[rng.random(n) < 0.6, :] = 32
    if kind == "text":
        words = np.frombuffer(b"GBRENGSCOWLSNIRIRLPOLINDPAKUSAFRADEUESPITAROUNGANIGCHN"[: 3 * 18], dtype=np.uint8).reshape(18, 3)
        pick = words[np.minimum(rng.geometric(0.3, n), 17)]
        out = np.full((n, width), 32, dtype=np.uint8)
        out[:, : min(3, width)] = pick[:, : min(3, width)]
    return out

def ddi(vars_, path, filename):
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<codeBook xmlns="ddi:codebook:2_5" version="2.5">',
             '  <stdyDscr><citation><titlStmt><titl>Synthetic LFS-sized benchmark file</titl></titlStmt></citation></stdyDscr>',
             '  <fileDscr ID="F1"><fileTxt><fileName>' + filename + '</fileName><fileStrc type="rectangular"/>',
             '    <fileType charset="ISO-8859-1">ISO-8859-1 data file</fileType><format>fixed length fields</format></fileTxt></fileDscr>',
             '  <dataDscr>']
    pos = 1
    for name, width, kind, dcml in vars_:
        t = "character" if kind == "text" else "numeric"
        lines.append(f'    <var ID="{name}" name="{name}" files="F1" dcml="{dcml}" intrvl="discrete">')
        lines.append(f'      <location StartPos="{pos}" EndPos="{pos + width - 1}" width="{width}"/>')
        lines.append(f'      <labl>{name} ({kind})</labl>')
        if kind == "income":
            lines.append(f'      <catgry missing="Y"><catValu>{"9" * width}</catValu><labl>Missing</labl></catgry>')
        if kind == "cat" and width == 1:
            lines.append('      <catgry><catValu>1</catValu><labl>One</labl></catgry>')
        lines.append(f'      <varFormat type="{t}" schema="other"/>')
        lines.append('    </var>')
        pos += width
    lines += ['  </dataDscr>', '</codeBook>']
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")

def main():
    rows, out = int(sys.argv[1]), sys.argv[2]
    os.makedirs(out, exist_ok=True)
    vars_ = layout()
    name = f"lfs_synth_{rows}.dat"
    ddi(vars_, os.path.join(out, "lfs_synth.xml"), name)
    rng = np.random.default_rng(7)
    block = 100_000
    with open(os.path.join(out, name), "wb") as f:
        for start in range(0, rows, block):
            n = min(block, rows - start)
            cols = [column(rng, n, start, w, k) for _, w, k, _ in vars_]
            cols.append(np.full((n, 1), 10, dtype=np.uint8))
            f.write(np.hstack(cols).tobytes())
    subprocess.run(["gzip", "-kf", "-6", os.path.join(out, name)], check=True)

if __name__ == "__main__":
    main()
