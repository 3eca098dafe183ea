#!/bin/bash
# Model benchmark: a 20-parameter logistic model on 1M rows under a stratified cluster design (50 strata x 40
# PSUs, FPC), microdata model beside R survey::svyglm in the same hyperfine run, whole job (read the CSV, fit,
# write the coefficient table).
# Usage: Benchmarks/models/run.sh [DIR]   (needs a release build: swift build -c release)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-/tmp/mbench}
bin=${MICRODATA:-$here/../../.build/release/microdata}
mkdir -p "$dir"
[ -f "$dir/model.csv" ] || python3 "$here/generate.py" "$dir"
formula='top ~ factor(origin) + factor(cohort) + factor(sex) + factor(region) + age'
md="$bin model --data $dir/model.csv --weight w --strata stratum --psu psu --fpc fpc --family binomial"
md="$md --formula '$formula' --output $dir/md_model.csv"
echo "== whole job, same run: Rscript (read.csv + svydesign + svyglm + write.csv) vs microdata model"
echo "   $md"
hyperfine --warmup 0 --runs 3 --export-json "$dir/whole_job.json" --export-markdown "$dir/whole_job.md" \
  -n "R svyglm" "Rscript $here/r_svyglm.R $dir" \
  -n "microdata model" "$md"
python3 - "$dir/whole_job.json" <<'PY'
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
r, m = res["R svyglm"], res["microdata model"]
print(f"  wall: R {r['mean']:.2f} s, microdata {m['mean']:.3f} s, {r['mean'] / m['mean']:.0f}x")
print(f"  CPU (user+system): R {r['user'] + r['system']:.2f} s, microdata {m['user'] + m['system']:.3f} s, "
      f"{(r['user'] + r['system']) / (m['user'] + m['system']):.0f}x")
PY
echo "== peak RSS"
/usr/bin/time -v sh -c "$md" 2>&1 | grep -E "Maximum resident|Elapsed" | sed "s/^/  microdata: /"
/usr/bin/time -v Rscript "$here/r_svyglm.R" "$dir" 2>&1 | grep -E "Maximum resident|Elapsed" | sed "s/^/  R: /"
echo "== numbers (max relative difference vs R over estimate, se, ci_low, ci_high)"
python3 - "$dir" <<'PY'
import csv, sys
d = sys.argv[1]
r = {row["term"]: row for row in csv.DictReader(open(f"{d}/r_model.csv"))}
m = {row["term"]: row for row in csv.DictReader(open(f"{d}/md_model.csv"))}
assert set(r) == set(m), (sorted(r), sorted(m))
worst = max(abs(float(m[t][c]) - float(r[t][c])) / abs(float(r[t][c])) for t in r for c in ("estimate", "se", "ci_low", "ci_high"))
print(f"  {len(r)} coefficients, max relative difference {worst:.1e}; residual df R {r['age']['df']}, microdata {m['age']['df']}")
PY
