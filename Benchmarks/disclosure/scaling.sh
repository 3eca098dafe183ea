#!/usr/bin/env bash
# Protect + audit time of `microdata check` against table size (10 to 5,000 inner cells; one-way tables of
# one-person cells, mixed one-way tables and two-way tables with margins). Release binary, default rules.
# Usage: Benchmarks/disclosure/scaling.sh [path/to/release/microdata]   (run from the package root)
set -euo pipefail
BIN=${1:-.build/release/microdata}
OUT=${TMPDIR:-/tmp}/microdata-disclosure-scaling
python3 Benchmarks/disclosure/generate_scaling.py "$OUT"
printf '| table | inner cells | published cells | primaries | secondaries | audit | wall s | user s |\n|---|---|---|---|---|---|---|---|\n'
for kind in oneway_primaries oneway_mixed twoway; do
  for n in 10 100 1000 5000; do
    dims=v; [ "$kind" = twoway ] && dims=r,c
    /usr/bin/time -f "%e %U" -o "$OUT/time.txt" "$BIN" check "$OUT/${kind}_$n.csv" --count count --dimensions "$dims" \
      --margins --output "$OUT/${kind}_${n}_checked.csv" --audit "$OUT/${kind}_${n}_audit.json" 2>/dev/null || true
    read -r wall user < "$OUT/time.txt"
    python3 - "$OUT/${kind}_${n}_audit.json" "$OUT/${kind}_${n}_checked.csv" "$kind" "$n" "$wall" "$user" <<'PY'
import csv, json, os, sys
audit_path, table_path, kind, n, wall, user = sys.argv[1:]
if not os.path.exists(table_path):
    print(f"| {kind} | {n} | – | – | – | not protected | {wall} | {user} |"); sys.exit()
audit = json.load(open(audit_path))
status = [r["status"] for r in csv.DictReader(open(table_path))]
print(f"| {kind} | {n} | {len(status)} | {sum(s.startswith('primary') for s in status)} | "
      f"{status.count('secondary')} | {audit['summary']} | {wall} | {user} |")
PY
    rm -f "$OUT/${kind}_${n}_checked.csv" "$OUT/${kind}_${n}_audit.json"
  done
done
