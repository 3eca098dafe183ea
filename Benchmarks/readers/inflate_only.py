#!/usr/bin/env python3
"""Bare zlib inflate of a gzip file in 1 MB reads, output discarded: the floor for any gzip reader."""
import sys, zlib

d = zlib.decompressobj(15 + 32)
total = 0
with open(sys.argv[1], "rb") as f:
    while chunk := f.read(1 << 20):
        total += len(d.decompress(chunk))
total += len(d.flush())
print(total)
