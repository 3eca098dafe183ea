#!/usr/bin/env bash
# Installs a built `microdata` (what `make install` runs):
#
#   scripts/install.sh BINARY ROOT
#
#   ROOT/bin/microdata                                   the binary
#   ROOT/share/microdata/Codebooks/                      the shipped data it reads at run time
#   ROOT/share/man/man1/microdata.1, microdata-CMD.1     manual pages, from each command's --help
#   ROOT/share/bash-completion/completions/microdata     bash completion
#   ROOT/share/zsh/site-functions/_microdata             zsh completion
#   ROOT/share/fish/vendor_completions.d/microdata.fish  fish completion
#
# ROOT is $(DESTDIR)$(PREFIX) in the Makefile. The binary finds ROOT/share/microdata/Codebooks from its own
# location, so the tree can be copied anywhere as a whole.
set -euo pipefail
BINARY=${1:?usage: scripts/install.sh BINARY ROOT}
ROOT=${2:?usage: scripts/install.sh BINARY ROOT}
cd "$(dirname "$0")/.."

install -d "$ROOT/bin" "$ROOT/share/microdata" "$ROOT/share/man/man1" "$ROOT/share/bash-completion/completions" \
    "$ROOT/share/zsh/site-functions" "$ROOT/share/fish/vendor_completions.d"
install -m 755 "$BINARY" "$ROOT/bin/microdata"
rm -rf "$ROOT/share/microdata/Codebooks"
cp -R Codebooks "$ROOT/share/microdata/Codebooks"
find "$ROOT/share/microdata/Codebooks" -type d -exec chmod 755 {} + -o -type f -exec chmod 644 {} +

BIN=$ROOT/bin/microdata
"$BIN" --generate-completion-script bash > "$ROOT/share/bash-completion/completions/microdata"
"$BIN" --generate-completion-script zsh > "$ROOT/share/zsh/site-functions/_microdata"
"$BIN" --generate-completion-script fish > "$ROOT/share/fish/vendor_completions.d/microdata.fish"
scripts/manpages.sh "$BIN" "$ROOT/share/man/man1"
echo "installed microdata $("$BIN" --version) in $ROOT"
