#!/bin/sh
# Inequality benchmark (issue 15): 1M households, Gini + S80/S20 + poverty rate by 12 regions with linearised
# SEs, microdata beside R convey in one hyperfine run, then peak memory of each (GNU time).
# usage: Benchmarks/inequality/run.sh [N]   (from the package root; needs a release build and R + convey's R/)
set -e
n=${1:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
m=$(pwd)/.build/release/microdata
convey=${CONVEY_R:-/work/shared/tools/convey-1.0.1/R}
tmp=${TMPDIR:-/tmp}/ineq-bench; mkdir -p "$tmp/out"
[ -f "$tmp/households_$n.csv" ] || python3 "$here/generate.py" "$n" "$tmp/households_$n.csv"
hyperfine --runs "${RUNS:-2}" --export-markdown "$tmp/hyperfine.md" \
  -n microdata "sh $here/microdata.sh $m $tmp/households_$n.csv $tmp/out" \
  -n "R convey" "Rscript $here/convey.R $tmp/households_$n.csv $convey > $tmp/out/convey.csv"
for k in gini qsr arpr; do
  /usr/bin/time -f "microdata $k: %e s, max RSS %M KB" "$m" tabulate --data "$tmp/households_$n.csv" \
    --weight WEIGHT --strata STRATUM --psu PSU --by REGION \
    $( [ $k = gini ] && echo --gini WEALTH; [ $k = qsr ] && echo --quantile-share-ratio WEALTH; [ $k = arpr ] && echo --poverty-rate WEALTH ) \
    > /dev/null 2>"$tmp/time_$k.txt" || true
  tail -1 "$tmp/time_$k.txt"
done
/usr/bin/time -f "R convey: %e s, max RSS %M KB" Rscript "$here/convey.R" "$tmp/households_$n.csv" "$convey" > /dev/null 2>"$tmp/time_r.txt"
tail -1 "$tmp/time_r.txt"
cat "$tmp/hyperfine.md"
