#!/usr/bin/env bash
# Builds ikmeta (release) and prints the metadata object of a sample image, for people.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release >&2
.build/release/ikmeta --pretty "${1:-TestImages/exif-camera.jpg}"
