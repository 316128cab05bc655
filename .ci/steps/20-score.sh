#!/usr/bin/env bash
# Scores the release build against the reference corpus in ../shared (when present).
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product ikmeta
if [ -d ../shared/corpus ]; then
    python3 ../shared/tools/score.py --ikmeta .build/release/ikmeta --formats all \
        --require "$(cat .ci/score-requirements)"
else
    echo "../shared not found: corpus score skipped"
fi
