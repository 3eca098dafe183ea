#!/usr/bin/env bash
# Benchmarks `microdata inspect` (release build) on the real codebooks and a synthetic ~60 MB DDI.
# Usage: Benchmarks/codebook/run.sh   (from anywhere; SCRATCH=<build dir> picks the scratch path,
#        SKIP_BUILD=1 reuses an existing release build)
# Needs: hyperfine, GNU time (/usr/bin/time), python3. Writes raw results into Benchmarks/codebook/out/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
scratch="${SCRATCH:-$root/.build}"
out="$here/out"
mkdir -p "$out"

[ -n "${SKIP_BUILD:-}" ] || swift build -c release --package-path "$root" --scratch-path "$scratch" --product microdata
bin="$scratch/release/microdata"

ddi="$root/Fixtures/ddi"
nesstar="$ddi/cessda_osmh_indexer/synthetic_compliant_cmm_nesstar.xml"
nada03="$ddi/ihsn_nada/ag-eth-survey-2003_ddi.xml"
nada04="$ddi/ihsn_nada/ag-eth-survey-2004_ddi.xml"
fsd="$ddi/cessda_cmv_core/fsd-3271.xml"

# Real codebooks: target < 50 ms each (process start, parse, JSON to /dev/null).
hyperfine --warmup 3 --min-runs 20 --export-markdown "$out/real.md" --export-json "$out/real.json" \
  -n "nesstar-ess-844KB" "$bin inspect --format json $nesstar > /dev/null" \
  -n "nada-2003-190KB-utf16" "$bin inspect --format json $nada03 > /dev/null" \
  -n "nada-2004-429KB-utf16" "$bin inspect --format json $nada04 > /dev/null" \
  -n "fsd-3271-343KB" "$bin inspect --format json $fsd > /dev/null"

# Synthetic codebook: 100,000 variables, 500,000 categories.
synthetic="$out/synthetic-100k.xml"
[ -f "$synthetic" ] || python3 "$here/generate-synthetic-ddi.py" "$synthetic"
ls -l "$synthetic"
hyperfine --warmup 1 --runs 5 --export-markdown "$out/synthetic.md" --export-json "$out/synthetic.json" \
  -n "synthetic-text" "$bin inspect --format text $synthetic > /dev/null" \
  -n "synthetic-json" "$bin inspect --format json $synthetic > /dev/null"

for format in text json; do
  /usr/bin/time -v "$bin" inspect --format "$format" "$synthetic" > /dev/null 2> "$out/rss-synthetic-$format.txt"
  grep -E "Maximum resident|Elapsed" "$out/rss-synthetic-$format.txt"
done
/usr/bin/time -v "$bin" inspect --format json "$nesstar" > /dev/null 2> "$out/rss-nesstar-json.txt"
grep -E "Maximum resident|Elapsed" "$out/rss-nesstar-json.txt"
