#!/usr/bin/env bash
# Not one byte of output changes unless the change records it: the whole corpus in every mode
# against Tests/corpus-output.txt (scripts/corpus-output.py).
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product ikmeta
python3 scripts/corpus-output.py --ikmeta .build/release/ikmeta
