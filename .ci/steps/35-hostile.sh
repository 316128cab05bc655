#!/usr/bin/env bash
# The hostile inputs of the "Limits and safety" README section at full size, through the release
# build: each must end within its --time-limit (plus start-up slack) and under 64 MiB of peak
# memory, with the expected exit status. Inputs are generated here (Tests/Generators/), in a
# temporary folder that is removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x .build/release/ikmeta ] || swift build -c release --product ikmeta
ikmeta=$PWD/.build/release/ikmeta
repo=$PWD
gen="python3 $PWD/Tests/Generators/hostile_images.py"
work=$(mktemp -d)
trap 'umount "$work/full" 2> /dev/null || true; rm -rf "$work"' EXIT
cd "$work"
failed=0

# check NAME STATUS SECONDS -- COMMAND...: runs COMMAND, compares status, wall time and peak RSS.
check() {
    local name=$1 want=$2 seconds=$3
    shift 4
    local status=0
    /usr/bin/time -f "%e %M" -o time.txt "$@" > out.txt 2> err.txt || status=$?
    read -r wall kb < <(tail -1 time.txt)
    local ok=yes
    [[ "$status" =~ ^($want)$ ]] || ok=no
    awk -v w="$wall" -v s="$seconds" 'BEGIN { exit !(w <= s) }' || ok=no
    [ "$kb" -le 65536 ] || ok=no
    printf '%-34s status %s (want %s)  %6.2f s (limit %s)  %6d KB  %s\n' "$name" "$status" "$want" "$wall" "$seconds" "$kb" "$ok"
    if [ "$ok" != yes ]; then failed=1; head -c 600 err.txt; head -c 600 out.txt; fi
}

$gen scans scans.jpg --size 8192 --count 10000
check "progressive, 10,000 scans" 1 8 -- "$ikmeta" --time-limit 5 scans.jpg

$gen splt splt.png --count 400000
check "PNG, 400,000 sPLT chunks" "0|1" 8 -- "$ikmeta" --time-limit 5 splt.png
$gen ztxt bombs.png --count 20 --inflated 1073741824
check "PNG, 20 zTXt bombs of 1 GB" 1 8 -- "$ikmeta" --time-limit 5 bombs.png
$gen ztxt-big big-ztxt.png --bytes 300000000
check "PNG, one 300 MB zTXt chunk" 0 30 -- "$ikmeta" --time-limit 25 --max-metadata-size 400000000 big-ztxt.png
rm big-ztxt.png
$gen app2 app2.jpg --count 3000
check "JPEG, 3,000 APP2 segments" 0 10 -- "$ikmeta" --no-phash app2.jpg
rm app2.jpg
$gen interlaced zeros.png --size 9000 --zeros
check "interlaced PNG, TMPDIR missing" 0 60 -- env TMPDIR=/nonexistent "$ikmeta" zeros.png
# A full temporary folder (a 64 KiB tmpfs): the whole-image buffers cannot go there, so they go to
# /tmp and the file gets its pHash (README "Memory"); never a SIGBUS from a mapped page the disk
# cannot back. (When no folder can take them, the file gets an error line: HostileImageTests.)
mkdir full
if mount -t tmpfs -o size=64k tmpfs full 2> /dev/null; then
    python3 -c 'import os; open("noise.ppm", "wb").write(b"P6\n2000 2000\n255\n" + os.urandom(12000000))'
    cwebp -quiet -q 90 noise.ppm -o noise.webp
    cjpeg -progressive noise.ppm > noise.jpg
    # An interlaced GIF frame and a row of TIFF tiles are held whole too (check-memory.py's writers).
    python3 - "$repo/scripts/check-memory.py" <<'PY'
import importlib.util, sys
spec = importlib.util.spec_from_file_location("check_memory", sys.argv[1])
images = importlib.util.module_from_spec(spec)
spec.loader.exec_module(images)
images.write_gif("interlaced.gif", 2000, 2000, interlaced=True)
images.write_tiff("tiled.tif", 2000, 2000, tile=256)
PY
    for image in noise.webp noise.jpg interlaced.gif tiled.tif; do
        check "$image, full TMPDIR" 0 20 -- env TMPDIR="$work/full" "$ikmeta" --image-memory 1000 $image
        grep -q '"pHash":"' out.txt || { echo "no pHash"; failed=1; }
    done
    # A WebP whose 32 MiB ICC chunk is a hole: its copy fits the small TMPDIR, holes and all, and a
    # read of the hole must not need a page of it (a tmpfs would raise SIGBUS).
    python3 - <<'PY'
import struct
small = open("noise.webp", "rb").read()
vp8 = small[12:]
n = 32 << 20
vp8x = b"VP8X" + struct.pack("<I", 10) + bytes([0x20, 0, 0, 0]) + (1999).to_bytes(3, "little") * 2
head = b"ICCP" + struct.pack("<I", n)
with open("sparse-icc.webp", "wb") as f:
    f.write(b"RIFF" + struct.pack("<I", 4 + len(vp8x) + len(head) + n + len(vp8)) + b"WEBP" + vp8x + head)
    f.seek(n, 1)
    f.write(vp8)
PY
    check "WebP with a 32 MiB hole, small TMPDIR" 0 20 -- env TMPDIR="$work/full" "$ikmeta" --no-phash --image-memory 1000 sparse-icc.webp
    grep -q '"hasColorProfile":true' out.txt || { echo "no profile"; failed=1; }
    umount full
    rm noise.ppm noise.webp noise.jpg interlaced.gif tiled.tif sparse-icc.webp
else
    echo "full TMPDIR: skipped (cannot mount a tmpfs here)"
fi
mkfifo fifo
check "FIFO as input" 1 3 -- "$ikmeta" --time-limit 1 --no-phash fifo
check "--files-from /dev/zero" 2 3 -- "$ikmeta" --files-from /dev/zero
# --resume streams a large earlier output instead of loading it.
python3 - <<'PY'
line = '{"file":"gone-%07d.jpg","metadata":{"height":1,"width":1,"exif":{"pad":"' + "x" * 900 + '"}}}\n'
with open("big.jsonl", "w") as f:
    for i in range(200000):
        f.write(line % i)
PY
cp "$OLDPWD/TestImages/rgb.png" one.png
check "--resume over a 190 MB output" 0 60 -- "$ikmeta" --resume -o big.jsonl one.png
exit $failed
