#!/usr/bin/env bash
# Runs every fuzz target in turn (one at a time), SECONDS each: Fuzz/run-all.sh SECONDS
cd "$(dirname "$0")/.."
for t in ddi csv gzip fixedwidth crosswalk rules stat order; do
    echo "== $t $(date -u +%H:%M:%S)"
    Fuzz/run.sh "$t" "${1:-600}"
    status=$?
    echo "== $t finished $(date -u +%H:%M:%S) status $status"
done
