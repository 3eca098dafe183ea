#!/usr/bin/env bash
# The release build `make release` runs: Swift's runtime linked in statically (--static-swift-stdlib), so the
# binary runs where no Swift toolchain is installed, and the version from scripts/version.sh baked in.
#
# The version goes into Sources/microdata/BuildVersion.swift for the build only; the committed line ("dev") is
# put back afterwards, even when the build fails.
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
FILE=Sources/microdata/BuildVersion.swift
version=$(scripts/version.sh)
saved=$(mktemp)
cp -p "$FILE" "$saved"
trap 'cp -p "$saved" "$FILE"; rm -f "$saved"' EXIT
sed -i "s/^let buildVersion = .*/let buildVersion = \"${version//\//\\/}\"/" "$FILE"
grep -q "^let buildVersion = \"$version\"" "$FILE" || { echo "could not stamp $FILE" >&2; exit 1; }
"$SWIFT" build -c release --static-swift-stdlib "$@"
