#!/usr/bin/env bash
# Runs the test suite. Tests that read ../shared (the reference corpus) skip with a message
# when it is not beside the project.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build --build-tests
swift test --skip-build "$@"
