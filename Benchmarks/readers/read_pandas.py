#!/usr/bin/env python3
"""pandas.read_fwf on the same 10 variables: read_pandas.py CODEBOOK.xml DATA VAR1,VAR2,..."""
import re, sys
import pandas as pd

xml = open(sys.argv[1]).read()
names = sys.argv[3].split(",")
specs, dtypes, dcml = [], {}, {}
for v in names:
    block = re.search(r'<var ID="%s".*?</var>' % re.escape(v), xml, re.S).group(0)
    s = int(re.search(r'StartPos="(\d+)"', block).group(1))
    e = int(re.search(r'EndPos="(\d+)"', block).group(1))
    specs.append((s - 1, e))
    dcml[v] = int(re.search(r'dcml="(\d+)"', block).group(1))
    dtypes[v] = "string" if 'type="character"' in block else "Int64"
df = pd.read_fwf(sys.argv[2], colspecs=specs, names=names, dtype=dtypes, header=None)
for v, d in dcml.items():
    if d:
        df[v] = df[v] / 10 ** d
print(len(df))
