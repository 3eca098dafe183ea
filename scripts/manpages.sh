#!/usr/bin/env bash
# Writes manual pages for `microdata` and each of its commands from their --help text:
#
#   scripts/manpages.sh BINARY DIR      DIR/microdata.1, DIR/microdata-inspect.1, ...
#
# The help is the single source: each page holds NAME (the command's abstract) and the help verbatim.
set -euo pipefail
BIN=${1:?usage: scripts/manpages.sh BINARY DIR}
DIR=${2:?usage: scripts/manpages.sh BINARY DIR}
mkdir -p "$DIR"
version=$("$BIN" --version)
date=$(date -u +%Y-%m-%d)

# roff-escape the help: backslashes, and a leading . or ' that roff would read as a request.
escape() { sed -e 's/\\/\\e/g' -e "s/^\([.']\)/\\\\\&\1/"; }

page() {  # page NAME ABSTRACT HELP-ARGS...
    local name=$1 abstract=$2; shift 2
    local upper
    upper=$(echo "$name" | tr '[:lower:]' '[:upper:]')
    {
        echo ".TH \"$upper\" 1 \"$date\" \"microdata $version\" \"Microdata Manual\""
        echo ".SH NAME"
        echo "$name \\- $(echo "$abstract" | escape)"
        echo ".SH DESCRIPTION"
        echo ".nf"
        "$BIN" "$@" | escape
        echo ".fi"
        if [[ $name != microdata ]]; then echo ".SH SEE ALSO"; echo ".BR microdata (1)"; fi
    } > "$DIR/$name.1"
}

help=$("$BIN" --help)
page microdata "$(echo "$help" | sed -n 's/^OVERVIEW: //p')" --help
# The SUBCOMMANDS block: "  name   abstract" lines up to the next blank line (help itself is skipped).
echo "$help" | sed -n '/^SUBCOMMANDS:/,/^$/p' | sed -n 's/^  \([a-z][a-z-]*\) \{2,\}\(.*\)$/\1\t\2/p' |
    while IFS=$'\t' read -r command abstract; do
        [[ $command == help ]] && continue
        page "microdata-$command" "$abstract" help "$command"
    done
