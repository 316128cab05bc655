#!/usr/bin/env bash
# The unit and end-to-end tests again under AddressSanitizer. The server's route tests are left out
# here: HummingbirdTesting's in-process channels and SwiftNIO's process-wide thread pools are never
# torn down, so LeakSanitizer reports their allocations at exit; those tests run in the plain
# suite (scripts/test.sh) and against the real SDK (50-server.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
LSAN_OPTIONS="suppressions=$PWD/.ci/lsan-suppressions.txt" \
    swift test --sanitize=address --scratch-path .build-asan --skip ImageKitMirrorTests
