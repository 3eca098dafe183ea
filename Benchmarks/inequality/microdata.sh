#!/bin/sh
# The job in microdata: Gini, S80/S20 and the poverty rate (60% of the whole sample's median) by region,
# linearised SEs under the stratified cluster design; each command's peak memory appended to OUTDIR/mem_microdata.txt.
# usage: microdata.sh MICRODATA households.csv OUTDIR
set -e
m=$1; data=$2; out=$3
design="--weight WEIGHT --strata STRATUM --psu PSU --by REGION"
for job in "--gini WEALTH" "--quantile-share-ratio WEALTH" "--poverty-rate WEALTH"; do
  name=$(echo "$job" | cut -d' ' -f1 | tr -d -)
  /usr/bin/time -a -o "$out/mem_microdata.txt" -f "microdata $name: %e s wall, %U s user, %S s sys, max RSS %M KB" \
    "$m" tabulate --data "$data" $design $job > "$out/$name.csv" 2>/dev/null
done
