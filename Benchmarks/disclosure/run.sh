#!/usr/bin/env bash
# Disclosure-control benchmark: protect and audit (1) sdcTable's completedat 3-D hierarchical table and
# (2) a generated 3-D table of 20,286 published cells with hierarchies, with the release `microdata` binary.
# Usage: Benchmarks/disclosure/run.sh [path/to/release/microdata]   (run from the package root)
set -euo pipefail
BIN=${1:-.build/release/microdata}
OUT=${TMPDIR:-/tmp}/microdata-disclosure-bench
mkdir -p "$OUT"
python3 Benchmarks/disclosure/generate_table.py "$OUT/generated_3d.csv" "$OUT/generated_3d_hierarchy.csv"

COMPLETEDAT=(check Fixtures/sdc/vignette_completedat.csv --count Freq --dimensions V1,V2,V3 --margins
  --total-label Tot --hierarchy Fixtures/sdc/completedat_hierarchy.csv
  --output "$OUT/completedat_checked.csv" --audit "$OUT/completedat_audit.json")
GENERATED=(check "$OUT/generated_3d.csv" --count count --dimensions geography,age,industry --margins
  --hierarchy "$OUT/generated_3d_hierarchy.csv"
  --output "$OUT/generated_checked.csv" --audit "$OUT/generated_audit.json")

hyperfine --warmup 1 --runs 10 --export-markdown "$OUT/completedat.md" "$BIN ${COMPLETEDAT[*]}"
hyperfine --runs 3 --export-markdown "$OUT/generated.md" "$BIN ${GENERATED[*]}"
/usr/bin/time -v "$BIN" "${GENERATED[@]}" 2> "$OUT/generated_time.txt"
grep -E "Maximum resident|Elapsed" "$OUT/generated_time.txt"

for name in completedat generated; do
  python3 - "$OUT/${name}_audit.json" "$OUT/${name}_checked.csv" <<'PY'
import csv, json, sys
audit = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2])))
status = [r["status"] for r in rows]
print(f"{sys.argv[2]}: cells {len(rows)}, primary {sum(s.startswith('primary') for s in status)}, "
      f"secondary {status.count('secondary')}, audit passed {audit['passed']}: {audit['summary']}")
PY
done
