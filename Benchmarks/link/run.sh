#!/usr/bin/env bash
# Link benchmark: 10 M left rows × 1 M right rows, a many-to-one left join written to CSV, by microdata link,
# R data.table and pandas in the same run, with wall time and peak RSS (/usr/bin/time).
#
#   Benchmarks/link/run.sh              # uses .build/release/microdata (swift build -c release)
#   MICRODATA=/path/to/microdata BENCH_DIR=/tmp/x Benchmarks/link/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${MICRODATA:-$root/.build/release/microdata}"
dir="${BENCH_DIR:-/tmp/microdata-bench-link}"
mkdir -p "$dir"
cd "$dir"
[ -f left.csv ] || Rscript "$here/generate.R"
ls -l left.csv right.csv
/usr/bin/time -f "microdata link: %e s wall, %U s user, max RSS %M KB" \
  "$bin" link --data left.csv --with right.csv --keys ID --output out_md.csv --audit-by G
/usr/bin/time -f "data.table: %e s wall, %U s user, max RSS %M KB" Rscript "$here/datatable.R"
/usr/bin/time -f "pandas: %e s wall, %U s user, max RSS %M KB" python3 "$here/pandas_merge.py"
wc -l out_md.csv out_dt.csv out_pd.csv
