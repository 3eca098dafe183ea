#!/bin/sh
# Harmonise benchmark: 1,000,000 records, three mappings (SOC2010>SOC2020 modal with sex-specific LFS weights,
# SOC2000>SOC2010 split of the survey weight, SOC2020>ISCO-08 modal). Run from the package root after
# `swift build -c release`. Set BIN to use another binary.
set -e
BIN=${BIN:-$(swift build -c release --show-bin-path)/microdata}
export MICRODATA_CODEBOOKS=${MICRODATA_CODEBOOKS:-$PWD/Codebooks}
DATA=${TMPDIR:-/tmp}/harmonise_bench_1m.csv
[ -f "$DATA" ] || python3 Benchmarks/harmonise/gen.py "$DATA" 1000000
ARGS="harmonise --data $DATA --weight PWT --sex SEX --map 'SOC10M:SOC2010>SOC2020:modal' \
  --map 'SOC2KM:SOC2000>SOC2010:split' --map 'SOC10M_SOC2020:SOC2020>ISCO08:modal' \
  --output /dev/null --audit ${TMPDIR:-/tmp}/harmonise_bench_audit.json"
hyperfine --warmup 1 --runs 5 "$BIN $ARGS 2>/dev/null"
sh -c "/usr/bin/time -v $BIN $ARGS" 2>&1 >/dev/null | grep -E "User time|Elapsed|Maximum resident"
# Baselines: read only, and read + write with no harmonisation.
hyperfine --runs 3 "$BIN extract --data $DATA --count-only" "$BIN harmonise --data $DATA --output /dev/null 2>/dev/null"
# The three mappings plus NS-SEC (full method with fallback) and qualifications by nation.
hyperfine --runs 3 "$BIN $ARGS --nssec 'SOC10M,STAT@MICRODATA:SOC2010:full' --education 'QUAL,COUNTRY:QUAL>RQF' 2>/dev/null"
