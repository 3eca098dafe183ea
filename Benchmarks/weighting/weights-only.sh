#!/bin/bash
# Weights-only designs (issue 19): peak RSS and time of `tabulate --proportion dest --by origin` (8 × 8) on 1M and
# 3M rows from files, beside R survey on the same 1M file, and streamed through a pipe (`--data -`).
# Usage: Benchmarks/weighting/weights-only.sh [DIR] [STREAM_ROWS]   (needs a release build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-/tmp/wbench-wo}
stream=${2:-1e7}
bin=${MICRODATA:-$here/../../.build/release/microdata}
mkdir -p "$dir"
for n in 1000000 3000000; do
  [ -f "$dir/wo$n.csv" ] || python3 "$here/stream.py" $n > "$dir/wo$n.csv"
done
job=(tabulate --weight w --proportion dest --by origin)
peak() { /usr/bin/time -v "$@" 2>&1 >/dev/null | grep -E "Maximum resident|Elapsed|User time" | tr -s ' ' | paste -sd ';'; }
echo "== microdata, files (whole job: typing, parse, estimate, disclosure control, write)"
for n in 1000000 3000000; do
  echo "  $n rows: $(peak $bin "${job[@]}" --data "$dir/wo$n.csv" --output "$dir/md_wo$n.csv")"
done
echo "== microdata, streamed through a pipe: $stream rows"
# time -v on microdata alone (on the whole pipeline it reports the generator's numpy block).
python3 "$here/stream.py" "$stream" | /usr/bin/time -v $bin "${job[@]}" --data - --output "$dir/md_stream.csv" 2>&1 \
  | grep -E "Maximum resident|Elapsed|User time" | tr -s ' ' | paste -sd ';' | sed 's/^/  /'
grep -E '^"?1"?,' "$dir/md_stream.csv" | head -2 || true
echo "== R survey, 1M rows (read_csv + svydesign(ids = ~1, weights = ~w) + svyby)"
cat > "$dir/r_wo.R" <<'R'
suppressPackageStartupMessages({ library(survey); library(readr) })
args <- commandArgs(trailingOnly = TRUE)
d <- as.data.frame(read_csv(args[1], show_col_types = FALSE))
d$destf <- factor(d$dest, levels = 1:8)
t <- system.time({
  des <- svydesign(ids = ~1, weights = ~w, data = d)
  b <- svyby(~destf, ~origin, des, svymean)
})[["elapsed"]]
cat(sprintf("R design + svyby: %.2f s\n", t), file = stderr())
num <- function(x) sprintf("%.15g", x)
write.csv(data.frame(origin = rep(b$origin, each = 8), level = rep(1:8, times = nrow(b)),
                     estimate = num(as.vector(t(as.matrix(b[, paste0("destf", 1:8)])))),
                     se = num(as.vector(t(as.matrix(b[, paste0("se.destf", 1:8)]))))),
          args[2], row.names = FALSE)
R
/usr/bin/time -v Rscript "$dir/r_wo.R" "$dir/wo1000000.csv" "$dir/r_wo.csv" 2>&1 \
  | grep -E "R design|Maximum resident|Elapsed|User time" | tr -s ' ' | paste -sd ';' | sed 's/^/  /'
python3 - "$dir" <<'PY'
import sys
import pandas as pd
d = sys.argv[1]
r = pd.read_csv(f"{d}/r_wo.csv")
m = pd.read_csv(f"{d}/md_wo1000000.csv")
m = m[m.statistic == "proportion"] if "statistic" in m else m
m = m.rename(columns={"standard_error": "se"})
m["origin"] = m["origin"].astype(int); m["level"] = m["level"].astype(int)
j = r.merge(m, on=["origin", "level"], suffixes=("_r", "_m"))
print(f"  numbers vs R: {len(j)} cells, max rel diff estimate "
      f"{((j.estimate_m - j.estimate_r).abs() / j.estimate_r.abs()).max():.2e}, SE "
      f"{((j.se_m - j.se_r).abs() / j.se_r.abs()).max():.2e}")
PY
