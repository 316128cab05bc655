#!/usr/bin/env bash
# The Spark job (scale-out/spark/) in local mode on the shared corpus: its pairs must equal
# `ikmeta similar` and its groups `ikmeta duplicates` on the same files.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -d ../shared/corpus ]; then
    echo "../shared not found: Spark check skipped"
    exit 0
fi
command -v java >/dev/null || { echo "java not found (scripts/install-deps.sh installs openjdk-17-jre-headless)"; exit 1; }
swift build -c release --product ikmeta
[ -x .venv-spark/bin/python ] || python3 -m venv .venv-spark
.venv-spark/bin/pip install -q "pyspark>=3.5,<4"
export PYSPARK_PYTHON="$PWD/.venv-spark/bin/python"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
corpus=$(cd ../shared/corpus && pwd)
ikmeta="$PWD/.build/release/ikmeta"
# Every file under the corpus, as ikmeta walks it (sorted, hidden entries skipped).
python3 - "$corpus" > "$work/paths.txt" <<'PY'
import os, sys
for root, dirs, files in os.walk(sys.argv[1]):
    dirs[:] = sorted(d for d in dirs if not d.startswith("."))
    for f in sorted(files):
        if not f.startswith("."):
            print(os.path.join(root, f))
PY
"$ikmeta" index build -q -o "$work/corpus.ikidx" "$corpus" 2>/dev/null || true
.venv-spark/bin/spark-submit --master "local[2]" --conf spark.ui.enabled=false \
    scale-out/spark/near_duplicates.py --paths "$work/paths.txt" --output "$work/out" \
    --max-distance 8 --ikmeta "$ikmeta" 2> "$work/spark.log" || { tail -50 "$work/spark.log"; exit 1; }
.venv-spark/bin/spark-submit --master "local[1]" --conf spark.ui.enabled=false \
    scale-out/spark/check_against_ikmeta.py --output "$work/out" --index "$work/corpus.ikidx" \
    --max-distance 8 --ikmeta "$ikmeta" 2> "$work/check.log" || { tail -50 "$work/check.log"; exit 1; }
