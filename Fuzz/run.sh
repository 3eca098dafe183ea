#!/usr/bin/env bash
# Coverage-guided fuzzing of the parsers with libFuzzer (swiftc -sanitize=fuzzer,address).
#
#   Fuzz/run.sh TARGET SECONDS     TARGET: ddi fixedwidth csv gzip crosswalk rules stat order
#
# Builds the modules a target needs as instrumented static libraries under .build-fuzz/, seeds a corpus from
# Fixtures/ (and Fixtures/malformed/), runs libFuzzer for SECONDS on one core, and copies any crashing,
# timing-out or out-of-memory input into Fixtures/malformed/regressions/TARGET/, where the test suite
# (MicrodataReliabilityTests) replays it. The log, with executions and coverage, is .build-fuzz/logs/TARGET.log.
# FUZZ_ARGS adds libFuzzer flags, e.g. FUZZ_ARGS="-fork=1 -ignore_crashes=1" to go on past a known finding.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET=${1:?usage: Fuzz/run.sh TARGET SECONDS}
SECONDS_TO_RUN=${2:?usage: Fuzz/run.sh TARGET SECONDS}
OUT=$ROOT/.build-fuzz
OPT=${FUZZ_OPT:--O}
mkdir -p "$OUT/lib" "$OUT/bin" "$OUT/logs" "$OUT/artifacts/$TARGET"
rm -f "$OUT/artifacts/$TARGET"/*  # only what this run finds is kept as a regression
SAN=(-sanitize=fuzzer,address -parse-as-library -swift-version 6 -package-name microdata "$OPT" -g)
INC=(-I "$OUT/lib" -I Sources/CLibXML2 -I Sources/CZlib -I Sources/CReadStat -I Sources/CGLPK -I Sources/CXLSXWriter
     -Xcc -I/usr/include/libxml2)
LIBS=(-L "$OUT/lib" -lxml2 -lz -lreadstat -lglpk -lxlsxwriter)

module() {  # module NAME: an instrumented static library and its .swiftmodule, rebuilt when a source is newer
    local name=$1 lib="$OUT/lib/lib$1.a"
    if [[ -f $lib ]] && [[ -z $(find "Sources/$name" -name '*.swift' -newer "$lib" | head -1) ]]; then return; fi
    echo "building $name" >&2
    swiftc "${SAN[@]}" "${INC[@]}" -wmo -emit-library -static -module-name "$name" \
        -emit-module -emit-module-path "$OUT/lib/$name.swiftmodule" -o "$lib" \
        $(find "Sources/$name" -name '*.swift' | sort)
}

case $TARGET in
    ddi) MODULES=(MicrodataCodebook); MAXLEN=131072 ;;
    fixedwidth) MODULES=(MicrodataCodebook MicrodataReaders); MAXLEN=65536 ;;
    csv | gzip) MODULES=(MicrodataCodebook MicrodataReaders); MAXLEN=65536 ;;
    crosswalk) MODULES=(MicrodataCodebook MicrodataReaders MicrodataWrite MicrodataHarmonise); MAXLEN=65536 ;;
    rules) MODULES=(MicrodataCodebook MicrodataReaders MicrodataWeighting MicrodataWrite MicrodataDisclosure); MAXLEN=16384 ;;
    stat) MODULES=(MicrodataCodebook MicrodataReaders); MAXLEN=65536 ;;
    order) MODULES=(MicrodataCodebook MicrodataReaders MicrodataWeighting MicrodataWrite MicrodataDisclosure
                    MicrodataHarmonise MicrodataMobility); MAXLEN=4096 ;;
    *) echo "unknown target $TARGET (ddi fixedwidth csv gzip crosswalk rules stat order)" >&2; exit 2 ;;
esac
for m in "${MODULES[@]}"; do module "$m"; done
BIN=$OUT/bin/fuzz-$TARGET
LINK=()
for ((i = ${#MODULES[@]} - 1; i >= 0; i--)); do LINK+=("-l${MODULES[$i]}"); done
swiftc "${SAN[@]}" "${INC[@]}" -o "$BIN" Fuzz/Targets/FuzzSupport.swift "Fuzz/Targets/$TARGET.swift" \
    "${LINK[@]}" "${LIBS[@]}" 2> >(grep -v "Cannot export local symbol" >&2)

# Seed corpus, rebuilt from the fixtures on every run (kept small: libFuzzer truncates to -max_len).
CORPUS=$OUT/corpus/$TARGET
mkdir -p "$CORPUS"
SEEDS=$OUT/seeds/$TARGET
rm -rf "$SEEDS"; mkdir -p "$SEEDS"
python3 Fuzz/seeds.py "$TARGET" "$SEEDS" "$MAXLEN"
REG=Fixtures/malformed/regressions/$TARGET
[[ -d $REG ]] && cp "$REG"/* "$SEEDS"/ 2>/dev/null || true

export LSAN_OPTIONS="suppressions=$ROOT/Fuzz/lsan.supp:print_suppressions=0"
export FUZZ_RULES_DEFAULTS=$ROOT/Codebooks/disclosure/default-rules.json
LOG=$OUT/logs/$TARGET.log
set +e
"$BIN" -max_total_time="$SECONDS_TO_RUN" -max_len="$MAXLEN" -timeout=10 -rss_limit_mb=2048 ${FUZZ_ARGS:-} \
    -print_final_stats=1 -artifact_prefix="$OUT/artifacts/$TARGET/" "$CORPUS" "$SEEDS" > "$LOG" 2>&1
STATUS=$?
set -e
rm -rf /dev/shm/microdata-fuzz-* 2>/dev/null || true
mkdir -p "$REG"
FOUND=0
for f in "$OUT/artifacts/$TARGET"/{crash,timeout,oom,leak,slow-unit}-*; do
    [[ -e $f ]] || continue
    cp "$f" "$REG/" && FOUND=1 && echo "kept $(basename "$f") in $REG" >&2
done
rmdir "$REG" 2>/dev/null || true
grep -E "^#[0-9]+" "$LOG" | tail -1
grep -E "^Done|stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)" "$LOG"
echo "target=$TARGET seconds=$SECONDS_TO_RUN status=$STATUS crashes_kept=$FOUND log=$LOG"
exit $STATUS
