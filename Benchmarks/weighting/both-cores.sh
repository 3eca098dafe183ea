#!/bin/bash
# Issue 19, whole job on both cores: (a) weights only, (b) 8x8 outflow and (c) 100 domains under the stratified
# cluster design, 1M rows each, microdata beside R survey (read_csv + svydesign + svyby) in one hyperfine run;
# with MICRODATA_BEFORE=path, an older binary in the same run. CPU time (user + sys) is in the JSON export.
# Usage: Benchmarks/weighting/both-cores.sh [DIR] [RUNS]   (needs a release build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-/tmp/wbench}
runs=${2:-5}
bin=${MICRODATA:-$here/../../.build/release/microdata}
mkdir -p "$dir"
[ -f "$dir/design.csv" ] || python3 "$here/generate.py" "$dir"
[ -f "$dir/wo1000000.csv" ] || python3 "$here/stream.py" 1000000 > "$dir/wo1000000.csv"
design=(--data "$dir/design.csv" --weight w --strata stratum --psu psu --fpc fpc)
cmds=()
for name in after ${MICRODATA_BEFORE:+before}; do
  b=$bin; [ "$name" = before ] && b=$MICRODATA_BEFORE
  cmds+=(-n "$name (a) weights only" "$b tabulate --data $dir/wo1000000.csv --weight w --proportion dest --by origin --output $dir/${name}_a.csv"
         -n "$name (b) 8x8 outflow" "$b tabulate ${design[*]} --proportion dest --by origin --output $dir/${name}_b.csv"
         -n "$name (c) 100 domains" "$b tabulate ${design[*]} --mean y --by dom --output $dir/${name}_c.csv")
done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -N --warmup 1 --runs "$runs" --export-json "$dir/both_cores.json" "${cmds[@]}"
hyperfine -N --warmup 0 --runs 1 --export-json "$dir/both_cores_r.json" \
  -n "R (a) weights only" "Rscript $here/r_weights_only.R $dir/wo1000000.csv $dir/r_a.txt" \
  -n "R (b) 8x8 outflow" "Rscript $here/r_case.R $dir b" \
  -n "R (c) 100 domains" "Rscript $here/r_case.R $dir c"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$dir" <<'PY'
import json, sys
d = sys.argv[1]
res = json.load(open(f"{d}/both_cores.json"))["results"] + json.load(open(f"{d}/both_cores_r.json"))["results"]
t = {r["command"]: r for r in res}
cpu = lambda r: r["user"] + r["system"]
print("| case | microdata wall (median) | CPU | R whole job wall | R CPU | ratio wall | ratio CPU |")
for case in ("(a) weights only", "(b) 8x8 outflow", "(c) 100 domains"):
    for who in ("after", "before"):
        if f"{who} {case}" not in t: continue
        m, r = t[f"{who} {case}"], t[f"R {case}"]
        print(f"| {who} {case} | {m['median']*1e3:.0f} ms | {cpu(m)*1e3:.0f} ms | {r['mean']:.2f} s | {cpu(r):.2f} s "
              f"| {r['mean']/m['median']:.0f}x | {cpu(r)/cpu(m):.0f}x |")
PY
echo "== peak RSS"
for c in "--data $dir/wo1000000.csv --weight w --proportion dest --by origin" "${design[*]} --proportion dest --by origin" "${design[*]} --mean y --by dom"; do
  /usr/bin/time -f "%M KB" $bin tabulate $c --output /dev/null 2>&1 | tail -1 | sed "s|^|  ${c##*--weight } : |"
done
