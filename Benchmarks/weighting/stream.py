#!/usr/bin/env python3
"""Writes N rows of a weights-only file to stdout: w,origin,dest,y (seeded).

A block of 1,000,000 rows is generated once (weights U[50,150], origin and dest in 1..8 as in generate.py) and
repeated, so 10^8 rows stream at disk speed without being stored; estimates equal the block's.
Usage: stream.py N > file.csv   or   stream.py N | microdata tabulate --data - ...
"""
import io
import sys
import numpy as np

n = int(float(sys.argv[1]))
block = 1_000_000
rng = np.random.default_rng(20261204)
w = np.round(rng.uniform(50, 150, block), 3)
origin = rng.integers(1, 9, block)
dest = np.clip(origin + rng.integers(-2, 3, block), 1, 8)
y = np.round(50 + rng.normal(0, 10, block), 3)
buf = io.StringIO()
np.savetxt(buf, np.column_stack([w, origin, dest, y]), fmt=["%.3f", "%d", "%d", "%.3f"], delimiter=",")
lines = buf.getvalue().encode().splitlines(keepends=True)
out = sys.stdout.buffer
out.write(b"w,origin,dest,y\n")
whole, rest = divmod(n, block)
body = b"".join(lines)
for _ in range(whole):
    out.write(body)
out.write(b"".join(lines[:rest]))
