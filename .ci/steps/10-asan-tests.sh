#!/usr/bin/env bash
# The unit and end-to-end tests again under AddressSanitizer.
set -euo pipefail
cd "$(dirname "$0")/../.."
LSAN_OPTIONS="suppressions=$PWD/.ci/lsan-suppressions.txt" \
    swift test --sanitize=address --scratch-path .build-asan
