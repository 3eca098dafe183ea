#!/usr/bin/env bash
# End-to-end mobility benchmark: read a 1,000,000-person gzip fixed-width LFS-style file, harmonise NS-SEC
# operational categories to the 8 analytic classes, estimate the mobility tables with linearised SEs
# (households as clusters) and run disclosure control, against the same job in R (readr + survey), in one
# run, then compare every number.
#
#   Benchmarks/mobility/run.sh          # uses .build/release/microdata (swift build -c release)
#   MICRODATA=/path/to/microdata BENCH_DIR=/tmp/x PERSONS=1000000 Benchmarks/mobility/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${MICRODATA:-$root/.build/release/microdata}"
dir="${BENCH_DIR:-/tmp/microdata-bench-mobility}"
persons="${PERSONS:-1000000}"
export MICRODATA_CODEBOOKS="$root/Codebooks"
mkdir -p "$dir"
cd "$dir"
data=lfs_synthetic_js2024.dat.gz
[ -f "$data" ] || python3 "$root/Codebooks/examples/lfs-synthetic/generate.py" --persons "$persons" \
  --crosswalks "$root/Codebooks/crosswalks" --out "$dir"
ls -l "$data"
job="$bin mobility --data $data --codebook lfs_synthetic_js2024.xml --origin 'SM_NSEC20:NSSEC-OP>NSSEC8' \
--destination 'NSECM20:NSSEC-OP>NSSEC8' --weight PWT24 --cluster-households HSERIALP --output-dir $dir/out"
hyperfine --style basic --warmup 1 --runs 5 --export-json "$dir/microdata.json" -n "microdata mobility" "$job"
/usr/bin/time -v bash -c "$job" 2> "$dir/time_microdata.txt" > /dev/null
/usr/bin/time -v Rscript "$here/mobility_r.R" "$data" "$dir/r.csv" 2> "$dir/time_r.txt"
grep -h "^R:" "$dir/time_r.txt"
for t in microdata r; do
  echo "$t: wall $(grep 'Elapsed' "$dir/time_$t.txt" | awk '{print $8}'), user $(grep 'User time' "$dir/time_$t.txt" \
    | awk '{print $4}') s, system $(grep 'System time' "$dir/time_$t.txt" | awk '{print $4}') s, peak RSS" \
    "$(grep 'Maximum resident' "$dir/time_$t.txt" | awk '{print $6}') KB"
done
python3 -c "import json; r = json.load(open('$dir/microdata.json'))['results'][0]; \
print(f\"microdata (hyperfine, 5 runs): wall {r['mean']:.2f} ± {r['stddev']:.2f} s, user {r['user']:.2f} s\")"
python3 "$here/compare.py" "$dir/out" "$dir/r.csv"
