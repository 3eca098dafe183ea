#!/usr/bin/env bash
# Resource check (issue 9): 10 GB of fixed-width data, generated on the fly and gzip-compressed into a FIFO
# (never stored), streamed through `microdata tabulate` (weighted mean by a domain, households as clusters).
# Prints rows, bytes, wall time and the peak RSS of the microdata process.
#
#   Benchmarks/reliability/stream-10g.sh [GIGABYTES]     # default 10; uses .build/release/microdata
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${MICRODATA:-$root/.build/release/microdata}"
gigabytes="${1:-10}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
export MICRODATA_CODEBOOKS="$root/Codebooks"
# One 1 MiB block of 64-byte lines (household id, weight with 2 implied decimals, region, income), repeated.
python3 - "$dir" <<'PY'
import random, sys
d = sys.argv[1]
rng = random.Random(7)
lines = []
for i in range(16384):
    hh = i // 3 + 1
    lines.append(f"{hh:09d}{rng.randint(20000, 80000):08d}{rng.randint(1, 12):02d}"
                 f"{rng.randint(0, 999999):07d}".ljust(63) + "\n")
open(f"{d}/block.dat", "w").write("".join(lines))
vars_ = [("HH", 1, 9, 0), ("PWT", 10, 17, 2), ("REGION", 18, 19, 0), ("INCOME", 20, 26, 0)]
xml = ['<?xml version="1.0" encoding="UTF-8"?>\n<codeBook xmlns="ddi:codebook:2_5" version="2.5">',
       '<stdyDscr><citation><titlStmt><titl>Streaming check (generated)</titl></titlStmt></citation></stdyDscr>',
       '<fileDscr ID="F1"><fileTxt><fileName>stream.dat</fileName><fileStrc type="rectangular"/></fileTxt></fileDscr>',
       '<dataDscr>']
for name, a, b, dc in vars_:
    xml.append(f'<var ID="{name}" name="{name}" files="F1" dcml="{dc}"><location StartPos="{a}" EndPos="{b}" '
               f'width="{b - a + 1}"/><labl>{name}</labl><varFormat type="numeric"/></var>')
xml.append('</dataDscr></codeBook>\n')
open(f"{d}/stream.xml", "w").write("\n".join(xml))
PY
blocks=$((gigabytes * 1024))
mkfifo "$dir/stream.dat.gz"
( for ((i = 0; i < blocks; i++)); do cat "$dir/block.dat"; done | gzip -1 > "$dir/stream.dat.gz" ) &
start=$(date +%s.%N)
status=0
/usr/bin/time -v "$bin" tabulate --codebook "$dir/stream.xml" --data "$dir/stream.dat.gz" --weight PWT \
  --cluster-households HH --mean INCOME --by REGION --format csv --output "$dir/out.csv" 2> "$dir/time.txt" || status=$?
end=$(date +%s.%N)
wait
if [ "$status" != 0 ]; then cat "$dir/time.txt"; exit "$status"; fi
head -3 "$dir/out.csv"
grep -E "rows|design" "$dir/time.txt" | head -5 || true
echo "uncompressed bytes: $((blocks * 1048576)) ($gigabytes GiB), rows: $((blocks * 16384))"
echo "wall: $(python3 -c "print(f'{$end - $start:.1f} s')")," \
  "user $(grep 'User time' "$dir/time.txt" | awk '{print $4}') s," \
  "peak RSS $(grep 'Maximum resident' "$dir/time.txt" | awk '{print $6}') KB"
