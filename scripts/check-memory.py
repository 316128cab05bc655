#!/usr/bin/env python3
"""Checks that one ikmeta job stays under 64 MiB of resident memory whatever the image size.

    python3 scripts/check-memory.py [--ikmeta .build/release/ikmeta] [--limit-mib 64]

Makes, in a temporary folder, the two kinds of image a decoder has to hold whole: a 36-megapixel
progressive JPEG (with cjpeg, from Debian's libjpeg-turbo-progs) and a 20-megapixel interlaced
RGBA PNG (written here, Adam7 with filter type 0), a 36-megapixel interlaced GIF (written here),
plus a 36-megapixel baseline JPEG and plain GIF, 36-megapixel Deflate TIFFs in strips and in
1024-pixel tiles (a tile row is 22 MB, 66 MB for the largest tiles libvips accepts), and a
36-megapixel lossy WebP (with cwebp, from Debian's webp: libwebp needs the whole frame as its
output, which goes to a temporary file above --image-memory); and takes
../shared/corpus/sharp/giant-image.jpg (20000 x 14000) when it is there. Each is read in the default
and --fast modes with --jobs 1, and the child's peak resident set size (getrusage) is printed: an
upper bound, as that peak starts from the spawning Python process's own (about 14 MiB).
Exits 1 when any run fails or goes over the limit.
"""
import argparse
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GIANT = os.path.join(ROOT, "..", "shared", "corpus", "sharp", "giant-image.jpg")


def pattern_row(width, y, channels):
    """One row of a picture with structure in both directions (so the encoders have work to do)."""
    row = bytearray(width * channels)
    for c in range(channels):
        step = (c + 1) * 3 + y % 7
        row[c::channels] = bytes(((x * step + y * (c + 2)) >> 3) & 255 for x in range(width))
    return bytes(row)


def write_ppm(path, width, height):
    with open(path, "wb") as f:
        f.write(b"P6\n%d %d\n255\n" % (width, height))
        rows = [pattern_row(width, y, 3) for y in range(16)]
        for y in range(height):
            f.write(rows[y % 16])


def write_interlaced_png(path, width, height):
    """8-bit RGBA, Adam7: the passes' rows are strided slices of the image rows."""
    rows = [pattern_row(width, y, 4) for y in range(16)]
    passes = ((0, 8, 0, 8), (0, 8, 4, 8), (4, 8, 0, 4), (0, 4, 2, 4), (2, 4, 0, 2), (0, 2, 1, 2), (1, 2, 0, 1))
    compressor = zlib.compressobj(1)
    data = []
    for y0, dy, x0, dx in passes:
        if x0 >= width or y0 >= height:
            continue
        for y in range(y0, height, dy):
            pixels = memoryview(rows[y % 16]).cast("I")[x0::dx].tobytes()
            data.append(compressor.compress(b"\0" + pixels))
    data.append(compressor.flush())

    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 1)))
        f.write(chunk(b"IDAT", b"".join(data)) + chunk(b"IEND", b""))


def gif_row_codes(indices):
    """One row of 8-bit indices as 9-bit LZW codes: a clear code before every 250 literals (so the
    code width never grows) and more clear codes up to a multiple of 8 codes, which makes the row a
    whole number of bytes that can be reused wherever the row repeats."""
    codes = []
    for i in range(0, len(indices), 250):
        codes.append(256)
        codes += indices[i:i + 250]
    codes += [256] * (-len(codes) % 8)
    acc = 0
    for n, c in enumerate(codes):
        acc |= c << (9 * n)
    return acc.to_bytes(len(codes) * 9 // 8, "little")


def write_gif(path, width, height, interlaced):
    """A one-frame GIF with a 256-colour map; the rows repeat every 16 like the other images'."""
    rows = [gif_row_codes(list(pattern_row(width, y, 1))) for y in range(16)]
    order = range(height)
    if interlaced:
        order = [y for start, step in ((0, 8), (4, 8), (2, 4), (1, 2)) for y in range(start, height, step)]
    colours = bytes(v for i in range(256) for v in (i, 255 - i, (i * 7) & 255))
    with open(path, "wb") as f:
        f.write(b"GIF89a" + struct.pack("<HHBBB", width, height, 0xF7, 0, 0) + colours)
        f.write(b"," + struct.pack("<HHHHB", 0, 0, width, height, 0x40 if interlaced else 0) + b"\x08")
        pending = bytearray()
        for y in order:
            pending += rows[y % 16]
            while len(pending) >= 255:
                f.write(b"\xff" + pending[:255])
                del pending[:255]
        pending += (257).to_bytes(2, "little")  # the end code (9 bits) and padding
        for i in range(0, len(pending), 255):
            f.write(bytes([len(pending[i:i + 255])]) + pending[i:i + 255])
        f.write(b"\x00;")


def write_tiff(path, width, height, tile=None):
    """An 8-bit RGB TIFF, Deflate, in 16-row strips or in tile x tile tiles. The rows repeat every
    16, so equal strips (and the tiles of one column) are compressed once."""
    rows = [pattern_row(width, y, 3) for y in range(16)]
    if tile:
        across, down = -(-width // tile), -(-height // tile)
        column = []
        for tx in range(across):
            raw = b"".join(rows[y % 16][tx * tile * 3:(tx + 1) * tile * 3].ljust(tile * 3, b"\0") for y in range(tile))
            column.append(zlib.compress(raw, 1))
        blocks = [column[i % across] for i in range(across * down)]
    else:
        strip = zlib.compress(b"".join(rows), 1)
        blocks = [strip] * -(-height // 16)
        last = height % 16
        if last:
            blocks[-1] = zlib.compress(b"".join(rows[:last]), 1)
    entries = [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 3, "bits"), (259, 3, 1, 8), (262, 3, 1, 2),
               (277, 3, 1, 3)]
    if tile:
        entries += [(322, 3, 1, tile), (323, 3, 1, tile), (324, 4, len(blocks), "offsets"), (325, 4, len(blocks), "counts")]
    else:
        entries[5:5] = [(273, 4, len(blocks), "offsets")]
        entries += [(278, 3, 1, 16), (279, 4, len(blocks), "counts")]
    arrays_at = 8 + 2 + 12 * len(entries) + 4 + 6
    data_at = arrays_at + 8 * len(blocks)
    offsets, at = [], data_at
    for b in blocks:
        offsets.append(at)
        at += len(b)
    with open(path, "wb") as f:
        f.write(b"II*\0" + struct.pack("<IH", 8, len(entries)))
        for tag, kind, count, value in entries:
            value = {"bits": arrays_at - 6, "offsets": arrays_at, "counts": arrays_at + 4 * len(blocks)}.get(value, value)
            f.write(struct.pack("<HHI", tag, kind, count) + (struct.pack("<HH", value, 0) if kind == 3 and count == 1
                                                             else struct.pack("<I", value)))
        f.write(struct.pack("<IHHH", 0, 8, 8, 8))
        f.write(b"".join(struct.pack("<I", o) for o in offsets) + b"".join(struct.pack("<I", len(b)) for b in blocks))
        for b in blocks:
            f.write(b)


def peak_rss_mib(cmd):
    """Runs cmd; returns (exit status, the child's peak resident set size in MiB)."""
    with open(os.devnull, "wb") as null:
        process = subprocess.Popen(cmd, stdout=null, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        error = process.stderr.read().decode(errors="replace")
        process.stderr.close()
    if process.returncode != 0:
        sys.stderr.write(error)
    return process.returncode, usage.ru_maxrss / 1024


def make_images(folder):
    """Writes the generated images into folder (run in a child process, see main)."""
    ppm = os.path.join(folder, "photo.ppm")
    if shutil.which("cjpeg"):
        write_ppm(ppm, 7360, 4912)
        for name, flags in (("progressive-36mp.jpg", ["-progressive"]), ("baseline-36mp.jpg", [])):
            subprocess.run(["cjpeg", "-quality", "90"] + flags + ["-outfile", os.path.join(folder, name), ppm], check=True)
    else:
        print("cjpeg not found (Debian: libjpeg-turbo-progs): the JPEG checks are skipped")
    if shutil.which("cwebp"):
        if not os.path.exists(ppm):
            write_ppm(ppm, 7360, 4912)
        subprocess.run(["cwebp", "-quiet", "-q", "80", ppm, "-o", os.path.join(folder, "lossy-36mp.webp")], check=True)
    else:
        print("cwebp not found (Debian: webp): the WebP check is skipped")
    if os.path.exists(ppm):
        os.remove(ppm)
    write_interlaced_png(os.path.join(folder, "interlaced-20mp.png"), 5000, 4000)
    # A GIF frame streams row by row; an interlaced one is held whole (spilled above 32 MiB).
    write_gif(os.path.join(folder, "gif-36mp.gif"), 7360, 4912, interlaced=False)
    write_gif(os.path.join(folder, "interlaced-36mp.gif"), 7360, 4912, interlaced=True)
    # TIFF strips stream; a row of tiles is held (spilled above 32 MiB).
    write_tiff(os.path.join(folder, "strips-36mp.tif"), 7360, 4912)
    write_tiff(os.path.join(folder, "tiles-36mp.tif"), 7360, 4912, tile=1024)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ikmeta", default=os.path.join(ROOT, ".build", "release", "ikmeta"))
    ap.add_argument("--limit-mib", type=float, default=64)
    ap.add_argument("--make", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.make:
        make_images(a.make)
        return
    folder = tempfile.mkdtemp(prefix="ikmeta-memory-")
    try:
        # A child's peak RSS (getrusage) starts from its parent's at the spawn, so the images are
        # made by another process and this one stays small.
        subprocess.run([sys.executable, os.path.abspath(__file__), "--make", folder], check=True)
        images = [os.path.join(folder, n) for n in sorted(os.listdir(folder))]
        if os.path.exists(GIANT):
            images.append(GIANT)
        else:
            print("../shared not found: giant-image.jpg is skipped")

        failures = 0
        for path in images:
            for mode in ([], ["--fast"]):
                cmd = [a.ikmeta, "--jobs", "1", "-q", "--max-pixels", "300000000"] + mode + [path]
                status, mib = peak_rss_mib(cmd)
                ok = status == 0 and mib < a.limit_mib
                failures += not ok
                print("%-22s %-9s peak %6.1f MiB  %s" % (
                    os.path.basename(path), " ".join(mode) or "default", mib,
                    "ok" if ok else ("FAILED (exit %d)" % status if status else "OVER %g MiB" % a.limit_mib)))
        sys.exit(1 if failures else 0)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
