#!/usr/bin/env bash
# Builds ikmeta (release, Swift runtime linked in: it starts in about 5 ms) and prints the metadata object of a sample image, for people.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release --product ikmeta --static-swift-stdlib >&2
.build/release/ikmeta --pretty "${1:-TestImages/exif-camera.jpg}"
