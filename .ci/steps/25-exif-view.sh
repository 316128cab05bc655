#!/usr/bin/env bash
# `ikmeta exif` against ExifTool 12.57 on the corpus in ../shared (when present): the share of the
# standard EXIF tags ExifTool finds that the view lists, and of their text/integer values it gives
# equal. The floors are the figures reached (see README "EXIF view").
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product ikmeta
if [ -d ../shared/corpus ]; then
    python3 ../shared/tools/score_exif_view.py --ikmeta .build/release/ikmeta --require found=0.996,value=0.985
else
    echo "../shared not found: EXIF view score skipped"
fi
