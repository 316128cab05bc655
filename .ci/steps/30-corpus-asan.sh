#!/usr/bin/env bash
# Every corpus file through an AddressSanitizer release build, in each mode: one line each, no report.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product ikmeta --sanitize=address --scratch-path .build-asan-release
# A directory of 1,500 entries with names of every length (glibc packs directory entries, so a
# name read past its NUL runs off the buffer), walked with images, links and a FIFO among them.
walk=$(mktemp -d)
for i in $(seq 0 1499); do
    name=$(printf '%04d%*s' "$i" $((i % 240)) '' | tr ' ' n)
    case $((i % 3)) in
        0) cp TestImages/rgb.png "$walk/$name.png" ;;
        1) cp TestImages/grey.jpg "$walk/$name.jpg" ;;
        2) echo text > "$walk/$name.txt" ;;
    esac
done
mkfifo "$walk/zz-fifo"; ln -s . "$walk/zz-loop"
LSAN_OPTIONS="suppressions=$PWD/.ci/lsan-suppressions.txt" .build-asan-release/release/ikmeta -q --jsonl "$walk" \
    > /tmp/ikmeta-asan-walk.jsonl 2> /tmp/ikmeta-asan-walk.err || true
rm -rf "$walk"
lines=$(wc -l < /tmp/ikmeta-asan-walk.jsonl); reports=$(grep -c "Sanitizer" /tmp/ikmeta-asan-walk.err || true)
echo "directory walk: $lines lines for 1501 entries, $reports sanitizer reports"
[ "$lines" -eq 1501 ] && [ "$reports" -eq 0 ] || { grep -A20 Sanitizer /tmp/ikmeta-asan-walk.err | head -60; exit 1; }
if [ ! -d ../shared/corpus ]; then echo "../shared not found: corpus run skipped"; exit 0; fi
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
