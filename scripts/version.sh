#!/usr/bin/env bash
# Prints the version a release build bakes in: the git tag (or commit, when no tag is reachable), with
# "-dirty" for uncommitted changes; "dev" outside a git checkout (a source tarball).
cd "$(dirname "$0")/.."
git describe --tags --always --dirty 2>/dev/null || echo dev
