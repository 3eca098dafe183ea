#!/usr/bin/env bash
# Reader benchmark: 10 of 120 variables from a synthetic LFS-sized fixed-width file (400 bytes a line),
# plain and gzip, against bare `gzip -dc`, readr::read_fwf and pandas.read_fwf, in the same run.
# Peak RSS: 1M vs 4M rows.
#
#   Benchmarks/readers/run.sh            # uses .build/release/microdata (swift build -c release)
#   MICRODATA=/path/to/microdata BENCH_DIR=/tmp/x Benchmarks/readers/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${MICRODATA:-$root/.build/release/microdata}"
dir="${BENCH_DIR:-/tmp/microdata-bench-readers}"
vars="CASEID,AGE,SEX,GOR,PWT22,INCOME,SOC2020,NATION,V010,WGT2"
mkdir -p "$dir"
for rows in 1000000 4000000; do
  [ -f "$dir/lfs_synth_$rows.dat.gz" ] || python3 "$here/generate.py" "$rows" "$dir"
done
cd "$dir"
cb=lfs_synth.xml
plain=lfs_synth_1000000.dat
gz=lfs_synth_1000000.dat.gz
ls -l "$plain" "$gz" lfs_synth_4000000.dat.gz

hyperfine --style basic --warmup 1 --runs 5 --export-markdown "$dir/fast.md" --export-json "$dir/fast.json" \
  -n "gzip -dc (bare decompression)" "gzip -dc $gz > /dev/null" \
  -n "zlib inflate only (python zlib, 1 MB reads)" "python3 $here/inflate_only.py $gz" \
  -n "microdata gz, 10 vars (count-only)" "$bin extract --codebook $cb --data $gz --variables $vars --count-only" \
  -n "microdata plain, 10 vars (count-only)" "$bin extract --codebook $cb --data $plain --variables $vars --count-only" \
  -n "microdata plain, 10 vars -> CSV" "$bin extract --codebook $cb --data $plain --variables $vars --output /dev/null" \
  -n "microdata gz, 10 vars -> CSV" "$bin extract --codebook $cb --data $gz --variables $vars --output /dev/null"

hyperfine --style basic --warmup 1 --runs 3 --export-markdown "$dir/readr.md" --export-json "$dir/readr.json" \
  -n "readr::read_fwf plain, 10 vars" "Rscript $here/read_readr.R $cb $plain $vars"

hyperfine --style basic --runs 1 --export-markdown "$dir/pandas.md" --export-json "$dir/pandas.json" \
  -n "pandas.read_fwf plain, 10 vars" "python3 $here/read_pandas.py $cb $plain $vars"

for rows in 1000000 4000000; do
  for mode in "--count-only" "--output /dev/null"; do
    /usr/bin/time -v "$bin" extract --codebook $cb --data "lfs_synth_$rows.dat.gz" --variables $vars $mode \
      2> "$dir/time_$rows.txt" > /dev/null || true
    echo "$rows rows $mode: peak RSS $(grep 'Maximum resident' "$dir/time_$rows.txt" | awk '{print $6}') KB," \
      "wall $(grep 'Elapsed' "$dir/time_$rows.txt" | awk '{print $8}')"
  done
done
cat "$dir/fast.md" "$dir/readr.md" "$dir/pandas.md"
# CPU time (user + system) per command, less sensitive than wall time to other load on the machine.
python3 - "$dir" <<'PY'
import json, sys
for name in ("fast", "readr", "pandas"):
    for r in json.load(open(f"{sys.argv[1]}/{name}.json"))["results"]:
        print(f"{r['command']}: wall {r['mean']:.2f} s, user {r['user']:.2f} s, system {r['system']:.2f} s")
PY
