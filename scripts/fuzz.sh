#!/usr/bin/env bash
# Fuzzes a libFuzzer target with AddressSanitizer.
#   bash scripts/fuzz.sh [SECONDS] [TARGET] [extra libFuzzer flags…]   (SECONDS and TARGET in either order)
# TARGET: FuzzImageMetadata (MetadataReader.read(bytes:), the default), FuzzExifView (the EXIF view of
# `ikmeta exif`) — both seeded with TestImages/, every format, and TestImages/malformed/ — or
# FuzzIndexLoader (PHashIndex(bytes:); seeds from scripts/index-seeds.py).
# Each image input runs under a 3-second --time-limit inside FuzzImageMetadata, and libFuzzer's
# -timeout=5 counts anything slower as a finding: a loop that ignores the deadline (a decoder, a
# pre-check, an inflate) is a failure, not a slow run.
# The growing corpus lives in .build-fuzz/corpus/TARGET; crashes, leaks and time-outs are written to
# .build-fuzz/findings/TARGET/. Turn each finding into a named fixture in
# TestImages/malformed/<symptom>.<ext> (or a test of the index loader).
set -euo pipefail
cd "$(dirname "$0")/.."
target=FuzzImageMetadata
seconds=600
for _ in 1 2; do
    case "${1:-}" in
        Fuzz*) target=$1; shift ;;
        [0-9]*) seconds=$1; shift ;;
    esac
done
bash scripts/install-deps.sh
IKMETA_FUZZ=1 swift build -c release --scratch-path .build-fuzz --product "$target" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld
mkdir -p ".build-fuzz/corpus/$target" ".build-fuzz/findings/$target"
case "$target" in
    FuzzImageMetadata | FuzzExifView)
        seeds=(TestImages)
        [ -d TestImages/malformed ] && seeds+=(TestImages/malformed)
        ;;
    FuzzIndexLoader)
        python3 scripts/index-seeds.py .build-fuzz/seeds-index
        seeds=(.build-fuzz/seeds-index)
        ;;
    *) echo "unknown fuzz target $target (FuzzImageMetadata, FuzzExifView or FuzzIndexLoader)" >&2; exit 2 ;;
esac
".build-fuzz/release/$target" ".build-fuzz/corpus/$target" "${seeds[@]}" \
    -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -max_len=1048576 \
    -artifact_prefix=".build-fuzz/findings/$target/" -print_final_stats=1 "$@"
