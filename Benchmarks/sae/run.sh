#!/bin/bash
# Small-area benchmark: 1M persons in 400 sampled areas (420 in the covariate file), stratified cluster design,
# microdata sae beside R (survey::svyby + sae::eblupFH/mseFH) in the same hyperfine run, whole job (read the CSV,
# direct estimates and variances per area, REML fit, MSEs, synthetic areas, write the table).
# Usage: Benchmarks/sae/run.sh [DIR]   (needs a release build and R sae: R CMD INSTALL -l /tmp/rlib-sae sae-1.3)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-/tmp/saebench}
bin=${MICRODATA:-$here/../../.build/release/microdata}
export R_LIBS=${R_LIBS:-/tmp/rlib-sae}
mkdir -p "$dir"
[ -f "$dir/persons.csv" ] || python3 "$here/generate.py" "$dir"
md="$bin sae --data $dir/persons.csv --weight weight --strata stratum --psu psu --nest --mean y --area area"
md="$md --aux $dir/areas.csv --formula 'x1 + x2 + factor(region)' --output $dir/md_sae.csv"
echo "== whole job, same run: Rscript (read.csv + svydesign + svyby + eblupFH + mseFH + write.csv) vs microdata sae"
echo "   $md"
hyperfine --warmup 0 --runs ${RUNS:-2} --export-json "$dir/whole_job.json" --export-markdown "$dir/whole_job.md" \
  -n "R survey + sae" "Rscript $here/r_sae.R $dir" \
  -n "microdata sae" "$md"
python3 - "$dir/whole_job.json" <<'PY'
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
r, m = res["R survey + sae"], res["microdata sae"]
print(f"  wall: R {r['mean']:.2f} s, microdata {m['mean']:.3f} s, {r['mean'] / m['mean']:.0f}x")
print(f"  CPU (user+system): R {r['user'] + r['system']:.2f} s, microdata {m['user'] + m['system']:.3f} s, "
      f"{(r['user'] + r['system']) / (m['user'] + m['system']):.0f}x")
PY
echo "== peak RSS"
/usr/bin/time -v sh -c "$md" 2>&1 | grep -E "Maximum resident|Elapsed" | sed "s/^/  microdata: /"
/usr/bin/time -v Rscript "$here/r_sae.R" "$dir" 2>&1 | grep -E "Maximum resident|Elapsed" | sed "s/^/  R: /"
echo "== numbers (max relative difference vs R over estimate and mse, 420 areas)"
python3 - "$dir" <<'PY'
import csv, sys
d = sys.argv[1]
r = {row["area"]: row for row in csv.DictReader(open(f"{d}/r_sae.csv"))}
m = {row["area"]: row for row in csv.DictReader(open(f"{d}/md_sae.csv")) if row["table"] == "areas"}
assert set(r) == set(m), (len(r), len(m))
worst = max(abs(float(m[a][c]) - float(r[a][c])) / abs(float(r[a][c])) for a in r for c in ("estimate", "mse"))
counts = {k: sum(1 for x in m.values() if x["kind"] == k) for k in ("eblup", "synthetic")}
print(f"  {len(r)} areas ({counts['eblup']} eblup, {counts['synthetic']} synthetic), max relative difference {worst:.1e}")
PY
