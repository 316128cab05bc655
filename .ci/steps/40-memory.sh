#!/usr/bin/env bash
# Peak memory of one job on large images stays under 64 MiB.
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 scripts/check-memory.py --ikmeta .build/release/ikmeta
