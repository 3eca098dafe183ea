#!/bin/sh
# The job in microdata: Gini, S80/S20 and the poverty rate (60% of the whole sample's median) by region,
# linearised SEs under the stratified cluster design, in one `tabulate` call (one pass over the file); its peak
# memory appended to OUTDIR/mem_microdata.txt. THREE_CALLS=1 runs one call per measure, as first measured.
# usage: microdata.sh MICRODATA households.csv OUTDIR
set -e
m=$1; data=$2; out=$3
design="--weight WEIGHT --strata STRATUM --psu PSU --by REGION"
if [ -n "$THREE_CALLS" ]; then
  for job in "--gini WEALTH" "--quantile-share-ratio WEALTH" "--poverty-rate WEALTH"; do
    name=$(echo "$job" | cut -d' ' -f1 | tr -d -)
    /usr/bin/time -a -o "$out/mem_microdata.txt" -f "microdata $name: %e s wall, %U s user, %S s sys, max RSS %M KB" \
      "$m" tabulate --data "$data" $design $job > "$out/$name.csv" 2>/dev/null
  done
else
  /usr/bin/time -a -o "$out/mem_microdata.txt" -f "microdata (one call): %e s wall, %U s user, %S s sys, max RSS %M KB" \
    "$m" tabulate --data "$data" $design --gini WEALTH --quantile-share-ratio WEALTH --poverty-rate WEALTH \
    > "$out/all.csv" 2>/dev/null
  # One file per measure, named as the three-call run names them (compare.py reads them).
  for pair in gini:gini qsr:quantileshareratio arpr:povertyrate; do
    stat=${pair%%:*}; name=${pair#*:}
    { head -1 "$out/all.csv"; awk -F, -v s="$stat" 'NR > 1 && $2 == s' "$out/all.csv"; } > "$out/$name.csv"
  done
fi
