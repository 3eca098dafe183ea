#!/bin/sh
# The job in microdata: Gini, S80/S20 and the poverty rate (60% of the whole sample's median) by region,
# linearised SEs under the stratified cluster design. usage: microdata.sh MICRODATA households.csv OUTDIR
set -e
m=$1; data=$2; out=$3
design="--weight WEIGHT --strata STRATUM --psu PSU"
"$m" tabulate --data "$data" $design --by REGION --gini WEALTH > "$out/gini.csv" 2>/dev/null
"$m" tabulate --data "$data" $design --by REGION --quantile-share-ratio WEALTH > "$out/qsr.csv" 2>/dev/null
"$m" tabulate --data "$data" $design --by REGION --poverty-rate WEALTH > "$out/arpr.csv" 2>/dev/null
