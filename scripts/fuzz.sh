#!/usr/bin/env bash
# Fuzzes MetadataReader.read(bytes:) with libFuzzer and AddressSanitizer.
#   bash scripts/fuzz.sh [SECONDS] [extra libFuzzer flags…]
# Each input runs under a 3-second --time-limit inside the target (FuzzImageMetadata), and
# libFuzzer's -timeout=5 counts anything slower as a finding: a loop that ignores the deadline
# (a decoder, a pre-check, an inflate) is a failure, not a slow run.
# Seeds: TestImages/ (and TestImages/malformed/). The growing corpus lives in .build-fuzz/corpus;
# crashes, leaks and time-outs are written to .build-fuzz/findings/. Turn each finding into a
# named fixture in TestImages/malformed/<symptom>.<ext>.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
bash scripts/install-deps.sh
IKMETA_FUZZ=1 swift build -c release --scratch-path .build-fuzz --product FuzzImageMetadata \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld
mkdir -p .build-fuzz/corpus .build-fuzz/findings
seeds=(TestImages)
[ -d TestImages/malformed ] && seeds+=(TestImages/malformed)
.build-fuzz/release/FuzzImageMetadata .build-fuzz/corpus "${seeds[@]}" \
    -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -max_len=1048576 \
    -artifact_prefix=.build-fuzz/findings/ -print_final_stats=1 "$@"
