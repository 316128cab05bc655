#!/usr/bin/env bash
# Every corpus file through an AddressSanitizer release build, in each mode: one line each, no report.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -d ../shared/corpus ]; then echo "../shared not found: skipped"; exit 0; fi
swift build -c release --sanitize=address --scratch-path .build-asan-release
files=../shared/corpus-reference/files.txt
for mode in "" "--fast" "--no-phash" "--image-memory 0"; do
    (cd ../shared/corpus && LSAN_OPTIONS="suppressions=$OLDPWD/.ci/lsan-suppressions.txt" \
        "$OLDPWD/.build-asan-release/release/ikmeta" --files-from - -q --jsonl $mode \
        < "$OLDPWD/$files" > /tmp/ikmeta-asan.jsonl 2> /tmp/ikmeta-asan.err) || true
    [ -n "$mode" ] || cp /tmp/ikmeta-asan.jsonl /tmp/ikmeta-asan-default.jsonl
    lines=$(wc -l < /tmp/ikmeta-asan.jsonl)
    reports=$(grep -c "Sanitizer" /tmp/ikmeta-asan.err || true)
    echo "mode '${mode:-default}': $lines lines for $(wc -l < "$files") files, $reports sanitizer reports"
    [ "$lines" -eq "$(wc -l < "$files")" ] && [ "$reports" -eq 0 ] || { grep -A20 Sanitizer /tmp/ikmeta-asan.err | head -60; exit 1; }
done
# Every whole-image buffer through a temporary file gives the same output as memory.
cmp /tmp/ikmeta-asan-default.jsonl /tmp/ikmeta-asan.jsonl && echo "--image-memory 0: output identical to the default"
