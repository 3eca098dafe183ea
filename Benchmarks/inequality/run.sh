#!/bin/sh
# Inequality benchmark (issue 15): 1M households, Gini + S80/S20 + poverty rate by 12 regions with linearised
# SEs under a stratified cluster design, microdata beside R convey in one hyperfine run; GNU time inside each
# command records its peak memory.
# usage: Benchmarks/inequality/run.sh [N]   (from the package root, after swift build -c release; needs R,
# r-cran-survey and convey's R/ sources, CONVEY_R, default /work/shared/tools/convey-1.0.1/R)
set -e
n=${1:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
m=${MICRODATA:-$(pwd)/.build/release/microdata}
convey=${CONVEY_R:-/work/shared/tools/convey-1.0.1/R}
tmp=${BENCH_DIR:-/tmp/ineq-bench}; mkdir -p "$tmp/out"
[ -f "$tmp/households_$n.csv" ] || python3 "$here/generate.py" "$n" "$tmp/households_$n.csv"
rm -f "$tmp/out/mem_microdata.txt" "$tmp/out/mem_r.txt"
hyperfine --runs "${RUNS:-2}" --export-markdown "$tmp/hyperfine.md" --export-json "$tmp/hyperfine.json" \
  -n microdata "sh $here/microdata.sh $m $tmp/households_$n.csv $tmp/out" \
  -n "R convey" "/usr/bin/time -a -o $tmp/out/mem_r.txt -f 'R convey: %e s wall, %U s user, %S s sys, max RSS %M KB' Rscript $here/convey.R $tmp/households_$n.csv $convey > $tmp/out/convey.csv"
cat "$tmp/out/mem_microdata.txt" "$tmp/out/mem_r.txt"
# The same numbers: microdata's estimates and SEs beside convey's (largest relative difference).
python3 "$here/compare.py" "$tmp/out"
