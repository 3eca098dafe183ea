#!/bin/sh
# Reader benchmark: 500,000 rows x 50 variables .sav, 5 columns selected (N01 N12 N30 N45 S1).
# Usage: MICRODATA=path/to/release/microdata sh Benchmarks/statfiles/run.sh [WORKDIR]
# Needs hyperfine, /usr/bin/time, python3 with pyreadstat. The microdata binary must dispatch .sav files in
# DataReader.open to StatFile.open (see RESULTS.md).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=${1:-/tmp/statfiles-bench}
bin=${MICRODATA:?set MICRODATA to the release microdata binary}
mkdir -p "$work"
[ -f "$work/big.sav" ] || python3 "$here/make_big_sav.py" "$work/big.sav"
ls -l "$work/big.sav"
cols=N01,N12,N30,N45,S1
cat > "$work/pyreadstat_read.py" <<'PY'
import sys, pyreadstat
df, meta = pyreadstat.read_sav(sys.argv[1], usecols=["N01", "N12", "N30", "N45", "S1"], user_missing=False)
print(len(df))
PY
"$bin" extract --data "$work/big.sav" --variables $cols --count-only
python3 "$work/pyreadstat_read.py" "$work/big.sav"
hyperfine --warmup 1 --runs 5 --export-markdown "$work/hyperfine.md" \
  -n "microdata extract (5 of 50 columns)" "$bin extract --data $work/big.sav --variables $cols --count-only" \
  -n "pyreadstat read_sav usecols (5 of 50)" "python3 $work/pyreadstat_read.py $work/big.sav" \
  -n "microdata codebook export (metadata only)" "$bin codebook export $work/big.sav --output $work/big.xml"
/usr/bin/time -v "$bin" extract --data "$work/big.sav" --variables $cols --count-only 2>&1 | grep -E "Maximum resident|Elapsed"
/usr/bin/time -v python3 "$work/pyreadstat_read.py" "$work/big.sav" 2>&1 | grep -E "Maximum resident|Elapsed"
cat "$work/hyperfine.md"
