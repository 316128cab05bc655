#!/usr/bin/env bash
# Fuzzes the library with libFuzzer and AddressSanitizer.
#   bash scripts/fuzz.sh [TARGET] [SECONDS] [extra libFuzzer flags…]
# TARGET: FuzzImageMetadata (ImageMetadata.read(bytes:), the default) or FuzzExifView
# (ExifViewReader.read(bytes:), `ikmeta exif`).
# Seeds: TestImages/ (and TestImages/malformed/). The growing corpus lives in
# .build-fuzz/corpus/TARGET; crashes, leaks and time-outs are written to .build-fuzz/findings/TARGET/. Turn each finding into a
# named fixture in TestImages/malformed/<symptom>.<ext>.
set -euo pipefail
cd "$(dirname "$0")/.."
target=FuzzImageMetadata
case "${1:-}" in Fuzz*) target=$1; shift ;; esac
seconds=${1:-600}
shift || true
bash scripts/install-deps.sh
IKMETA_FUZZ=1 swift build -c release --scratch-path .build-fuzz --product "$target" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld
mkdir -p ".build-fuzz/corpus/$target" ".build-fuzz/findings/$target"
seeds=(TestImages)
[ -d TestImages/malformed ] && seeds+=(TestImages/malformed)
".build-fuzz/release/$target" ".build-fuzz/corpus/$target" "${seeds[@]}" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=1048576 \
    -artifact_prefix=".build-fuzz/findings/$target/" -print_final_stats=1 "$@"
