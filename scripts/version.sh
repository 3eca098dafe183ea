#!/usr/bin/env bash
# Prints the version a release build bakes in: the git tag (or commit, when no tag is reachable), with
# "-dirty" for uncommitted changes; "dev" outside a git checkout of this package (a source tarball).
cd "$(dirname "$0")/.."
if [[ $(git rev-parse --show-toplevel 2>/dev/null) == "$(pwd -P)" ]]; then
    git describe --tags --always --dirty 2>/dev/null && exit
fi
echo dev
