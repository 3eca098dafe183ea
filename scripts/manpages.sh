#!/usr/bin/env bash
# Writes manual pages for `microdata` and each of its commands from their --help text:
#
#   scripts/manpages.sh BINARY DIR      DIR/microdata.1, DIR/microdata-inspect.1, ...
#
# The help is the single source: each page holds NAME (the command's abstract) and the help verbatim, its
# sections (OPTIONS, the option groups, LIMITS, EXAMPLES, EXIT STATUS) as manual sections.
set -euo pipefail
BIN=${1:?usage: scripts/manpages.sh BINARY DIR}
DIR=${2:?usage: scripts/manpages.sh BINARY DIR}
mkdir -p "$DIR"
version=$("$BIN" --version)
date=$(date -u +%Y-%m-%d)

# roff-escape the help: backslashes, and a leading . or ' that roff would read as a request.
escape() { sed -e 's/\\/\\e/g' -e "s/^\([.']\)/\\\\\&\1/"; }

page() {  # page NAME HELP-ARGS...: NAME's abstract is the OVERVIEW paragraph of its help
    local name=$1; shift
    local help upper abstract
    help=$("$BIN" "$@")
    upper=$(echo "$name" | tr '[:lower:]' '[:upper:]')
    abstract=$(echo "$help" | sed -n '/^OVERVIEW: /,/^$/p' | sed 's/^OVERVIEW: //' | tr '\n' ' ' | sed 's/ *$//')
    {
        echo ".TH \"$upper\" 1 \"$date\" \"microdata $version\" \"Microdata Manual\""
        echo ".SH NAME"
        echo "$name \\- $(echo "$abstract" | escape)"
        echo ".SH DESCRIPTION"
        echo ".nf"
        # A section of the help (OPTIONS:, LIMITS:, EXAMPLES:, EXIT STATUS: alone on a line) becomes a man section.
        echo "$help" | escape | sed -E 's/^([A-Z][A-Z /-]*):$/.fi\n.SH \1\n.nf/'
        echo ".fi"
        if [[ $name != microdata ]]; then echo ".SH SEE ALSO"; echo ".BR microdata (1)"; fi
    } > "$DIR/$name.1"
}

page microdata --help
# Command names from the SUBCOMMANDS block of the root help ("  name   abstract" lines; help itself skipped).
"$BIN" --help | sed -n '/^SUBCOMMANDS:/,/^$/p' | sed -n 's/^  \([a-z][a-z-]*\) .*$/\1/p' |
    while read -r command; do
        [[ $command == help ]] && continue
        page "microdata-$command" help "$command"
        # A command group's own commands (weights nonresponse, ...) get a page each: microdata-weights-nonresponse.1.
        "$BIN" help "$command" | sed -n '/^SUBCOMMANDS:/,/^$/p' | sed -n 's/^  \([a-z][a-z-]*\) .*$/\1/p' |
            while read -r sub; do
                [[ $sub == help ]] || page "microdata-$command-$sub" help "$command" "$sub"
            done
    done
