#!/bin/sh
# Income-mobility memory benchmark (issue 17): quintile transitions, rank-rank slope, elasticity and absolute
# mobility by 2 cohorts on N rows, once under the stratified cluster design (50 strata x 40 PSUs, FPC) and once
# with weights only (every row its own PSU); GNU time records the peak RSS of each run.
# usage: Benchmarks/income/run.sh [N]   (from the package root, after swift build -c release --product microdata)
set -e
n=${1:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
m=${MICRODATA:-$(pwd)/.build/release/microdata}
tmp=${BENCH_DIR:-/tmp/income-bench}; mkdir -p "$tmp"
[ -f "$tmp/income_$n.csv" ] || python3 "$here/generate.py" "$n" "$tmp/income_$n.csv"
common="mobility --data $tmp/income_$n.csv --origin-income PARINC --destination-income EARN --groups 5 --by COHORT --weight w --format csv"
/usr/bin/time -f "cluster design: %e s wall, %U s user, max RSS %M KB" \
  $m $common --strata stratum --psu psu --fpc fpc --output "$tmp/cluster.csv"
/usr/bin/time -f "weights only:   %e s wall, %U s user, max RSS %M KB" \
  $m $common --output "$tmp/weights.csv"
