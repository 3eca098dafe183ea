#!/bin/bash
# Weighting benchmark: R survey vs microdata on the same generated 1M-row files, in one run.
# Usage: Benchmarks/weighting/run.sh [DIR]   (needs a release build: swift build -c release)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-/tmp/wbench}
bin=${MICRODATA:-$here/../../.build/release/microdata}
mkdir -p "$dir"
[ -f "$dir/design.csv" ] || python3 "$here/generate.py" "$dir"
design=(--data "$dir/design.csv" --weight w --strata stratum --psu psu --fpc fpc)
reps=(--data "$dir/reps.csv" --weight w --replicate-weights '^f[0-9]+$' --replicate-type SDR --replicate-factors --mse --df 79)
echo "== R survey"; Rscript "$here/r_survey.R" "$dir"
echo "== microdata (hyperfine, end to end incl. CSV parsing)"
hyperfine -N --warmup 1 --runs 5 --export-markdown "$dir/hyperfine.md" \
  -n "(a) mean" "$bin tabulate ${design[*]} --mean y --output $dir/md_a.csv" \
  -n "(b) 8x8 outflow" "$bin tabulate ${design[*]} --proportion dest --by origin --output $dir/md_b.csv" \
  -n "(c) 100 domains" "$bin tabulate ${design[*]} --mean y --by dom --output $dir/md_c.csv" \
  -n "(d) median" "$bin tabulate ${design[*]} --quantile y:0.5 --output $dir/md_d.csv"
hyperfine -N --warmup 0 --runs 3 --export-markdown "$dir/hyperfine_reps.md" \
  -n "(e) 80 reps x 100 domains" "$bin tabulate ${reps[*]} --mean y --by dom --output $dir/md_e.csv"
echo "== whole job, same run: Rscript (read_csv + svydesign + estimate) vs microdata tabulate (hyperfine)"
hyperfine -N --warmup 1 --runs 3 --export-json "$dir/whole_job.json" --export-markdown "$dir/whole_job.md" \
  -n "R (b) 8x8 outflow" "Rscript $here/r_case.R $dir b" \
  -n "microdata (b) 8x8 outflow" "$bin tabulate ${design[*]} --proportion dest --by origin --output $dir/md_b.csv" \
  -n "R (c) 100 domains" "Rscript $here/r_case.R $dir c" \
  -n "microdata (c) 100 domains" "$bin tabulate ${design[*]} --mean y --by dom --output $dir/md_c.csv"
python3 - "$dir/whole_job.json" <<'PY'
import json, sys
t = {r["command"]: r["mean"] for r in json.load(open(sys.argv[1]))["results"]}
for case in ("(b) 8x8 outflow", "(c) 100 domains"):
    r, m = t["R " + case], t["microdata " + case]
    print(f"  {case}: R {r:.2f} s, microdata {m:.3f} s, {r / m:.0f}x")
PY
echo "== peak RSS"
for c in "--proportion dest --by origin" "--mean y --by dom"; do
  /usr/bin/time -v $bin tabulate "${design[@]}" $c --output /dev/null 2>&1 | grep -E "Maximum resident|Elapsed" | sed "s/^/  $c: /"
done
/usr/bin/time -v $bin tabulate "${reps[@]}" --mean y --by dom --output /dev/null 2>&1 | grep -E "Maximum resident|Elapsed" | sed "s/^/  reps: /"
echo "== numbers (max relative difference vs R)"
python3 "$here/compare.py" "$dir"
