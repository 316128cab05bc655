#!/usr/bin/env bash
# Builds the DocC documentation of the two libraries (swift-docc-plugin), with DocC's warnings
# (broken symbol links, unknown topics) as errors, and checks that every public declaration of
# the libraries has a doc comment.
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 scripts/check-doc-comments.py
swift package generate-documentation --target ImageMetadata --target PerceptualHash --warnings-as-errors
for archive in ImageMetadata PerceptualHash; do
    folder=".build/plugins/Swift-DocC/outputs/$archive.doccarchive"
    [ -d "$folder/data/documentation" ] || { echo "no documentation in $folder" >&2; exit 1; }
    ls "$folder/data/documentation/$(echo "$archive" | tr 'A-Z' 'a-z')/" | grep -qi gettingstarted \
        || { echo "$archive: no Getting started article" >&2; exit 1; }
done
echo "documentation built for ImageMetadata and PerceptualHash"
