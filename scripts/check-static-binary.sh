#!/usr/bin/env bash
# Checks that an installed `microdata` runs on its own, as in a secure lab with no Swift toolchain:
#
#   scripts/check-static-binary.sh [PREFIX]
#
# Without PREFIX it runs `make install PREFIX=<temporary folder>` first. Then it checks that `ldd` lists no Swift
# library (only Debian system libraries), moves the installed tree elsewhere, and runs the binary with an empty
# environment (`env -i`: no PATH to a toolchain, no LD_LIBRARY_PATH) from a folder with no Codebooks/ above it:
# --version, --help, the shell completions, the manual pages and the demo job.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "check-static-binary: FAILED: $*" >&2; exit 1; }

if [[ $# -ge 1 ]]; then PREFIX=$(cd "$1" && pwd); else
    PREFIX=$WORK/prefix
    make install PREFIX="$PREFIX"
fi
[[ -x $PREFIX/bin/microdata ]] || fail "no $PREFIX/bin/microdata"

# 1. Linked libraries: no Swift runtime, Foundation (or its _FoundationICU), dispatch or BlocksRuntime; every
#    library resolved, from the system's library folders (Debian's own ICU, pulled in by libxml2, is fine).
libs=$(ldd "$PREFIX/bin/microdata")
echo "$libs"
if grep -Eqi 'swift|Foundation|dispatch|BlocksRuntime' <<<"$libs"; then fail "links a Swift library"; fi
if grep -q 'not found' <<<"$libs"; then fail "a library is not found"; fi
if grep '=>' <<<"$libs" | grep -Evq '=> /(usr/)?lib/'; then fail "a library comes from outside /lib and /usr/lib"; fi

# 2. The installed tree, moved: the binary finds share/microdata/Codebooks next to itself.
MOVED=$WORK/elsewhere/microdata
mkdir -p "$(dirname "$MOVED")"
cp -a "$PREFIX" "$MOVED"
BIN=$MOVED/bin/microdata
RUN=$WORK/run
mkdir -p "$RUN"
cd "$RUN"  # no Codebooks/ here or above

version=$(env -i "$BIN" --version)
expected=$("$ROOT/scripts/version.sh")
[[ $version == "$expected" ]] || fail "--version printed '$version', expected '$expected'"
env -i "$BIN" --help | grep -q "Exit status" || fail "--help does not list the exit statuses"

# 3. The demo job, once by absolute path and once found through PATH (argv[0] is then a bare name).
env -i "$BIN" demo --output-dir "$RUN/demo" > "$RUN/demo.txt" || fail "demo failed: $(cat "$RUN/demo.txt")"
for f in mobility.csv mobility.json mobility.md mobility.xlsx mobility.html; do
    [[ -s $RUN/demo/$f ]] || fail "demo wrote no $f"
done
grep -q "Wrote CSV" "$RUN/demo.txt" || fail "demo printed no summary"
env -i PATH="$MOVED/bin:/usr/bin:/bin" microdata demo --output-dir "$RUN/demo-path" > /dev/null \
    || fail "demo through PATH failed"
cmp -s "$RUN/demo/mobility.csv" "$RUN/demo-path/mobility.csv" || fail "demo through PATH wrote another table"

# 4. Exit statuses: 2 for a usage error, 1 for a runtime error.
set +e
env -i "$BIN" tabulate --no-such-option > /dev/null 2>&1; usage=$?
env -i "$BIN" inspect "$RUN/absent.xml" > /dev/null 2>&1; runtime=$?
set -e
[[ $usage == 2 ]] || fail "usage error exited $usage, expected 2"
[[ $runtime == 1 ]] || fail "runtime error exited $runtime, expected 1"

# 5. Manual pages and completions.
for page in microdata microdata-tabulate microdata-demo; do
    [[ -s $MOVED/share/man/man1/$page.1 ]] || fail "no manual page $page.1"
done
if command -v man > /dev/null; then
    MANWIDTH=100 man -l "$MOVED/share/man/man1/microdata-tabulate.1" 2>/dev/null | grep -q -- "--weight" \
        || fail "man cannot render microdata-tabulate.1"
fi
bash -n "$MOVED/share/bash-completion/completions/microdata" || fail "bash completion does not parse"
grep -q "tabulate" "$MOVED/share/zsh/site-functions/_microdata" || fail "zsh completion lacks tabulate"
grep -q "tabulate" "$MOVED/share/fish/vendor_completions.d/microdata.fish" || fail "fish completion lacks tabulate"

echo "check-static-binary: OK: microdata $version, $(wc -c < "$BIN") bytes, runs with env -i from $MOVED"
