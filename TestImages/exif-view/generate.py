#!/usr/bin/env python3
"""Makes the EXIF-view test images in this folder (the images are committed).

Needs Pillow (`pip install Pillow`, with WebP support). One EXIF block, written by hand in both
byte orders (II and MM), is carried by every container ikmeta reads it from: JPEG APP1, PNG eXIf,
PNG zTXt "Raw profile type exif", WebP EXIF, and TIFF (whose own IFD0 holds the tags). The block
has the cases the view must not drop: an unknown tag, FLOAT and DOUBLE entries, a count-0 entry,
GPS, an Interop IFD and an IFD1 thumbnail. After changing this script, run it and then
`python3 TestImages/exif-view/update-expected.py`.
"""
import io
import os
import struct
import sys
import zlib

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from generate import png_with_chunk, scene  # noqa: E402

SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8}


def pack(order, type_, values):
    """The value bytes of one entry."""
    if type_ in (2, 7):
        return bytes(values)
    fmt = {1: "B", 3: "H", 4: "I", 8: "h", 9: "i", 11: "f", 12: "d"}
    if type_ in (5, 10):
        c = "I" if type_ == 5 else "i"
        return b"".join(struct.pack(order + c + c, n, d) for n, d in values)
    return b"".join(struct.pack(order + fmt[type_], v) for v in values)


def count_of(type_, values):
    return len(values) if type_ not in (2, 7) else len(bytes(values))


class TIFFWriter:
    """Lays out IFDs one after another; values over 4 bytes go right after their table."""

    def __init__(self, big_endian):
        self.order = ">" if big_endian else "<"
        self.data = bytearray(b"MM\x00\x2a" if big_endian else b"II\x2a\x00") + bytearray(4)

    def u32_at(self, at, value):
        self.data[at:at + 4] = struct.pack(self.order + "I", value)

    def ifd(self, entries, next_ifd_patch=None):
        """Writes one IFD at the end; entries are (tag, type, values). Returns (offset, {tag: entry offset})."""
        if len(self.data) % 2:
            self.data += b"\x00"
        start = len(self.data)
        n = len(entries)
        table = bytearray(struct.pack(self.order + "H", n))
        extra = bytearray()
        extra_at = start + 2 + 12 * n + 4
        where = {}
        for tag, type_, values in entries:
            raw = pack(self.order, type_, values)
            where[tag] = start + 2 + len(table) - 2
            table += struct.pack(self.order + "HHI", tag, type_, count_of(type_, values))
            if len(raw) <= 4:
                table += raw + bytes(4 - len(raw))
            else:
                table += struct.pack(self.order + "I", extra_at + len(extra))
                extra += raw + (b"\x00" if len(raw) % 2 else b"")
        table += bytes(4)  # next IFD, patched later
        self.data += table + extra
        return start, where

    def patch_value(self, entry_offset, value):
        self.u32_at(entry_offset + 8, value)


def thumbnail_jpeg():
    b = io.BytesIO()
    scene(16, 12).save(b, "JPEG", quality=70)
    return b.getvalue()


def tiff_block(big_endian, image=None):
    """The EXIF block; with `image` (width, height, grey bytes) it is also a whole TIFF file."""
    w = TIFFWriter(big_endian)
    ascii_ = lambda s: list(s.encode() + b"\x00")
    ifd0 = [(0x010F, 2, ascii_("ikmeta")), (0x0110, 2, ascii_("View Camera")), (0x0112, 3, [6]),
            (0x011A, 5, [(300, 1)]), (0x011B, 5, [(300, 1)]), (0x0128, 3, [2]),
            (0x0132, 2, ascii_("2026:12:04 17:00:00")), (0x8769, 4, [0]), (0x8825, 4, [0])]
    if image:
        width, height, pixels = image
        ifd0 = [(0x0100, 3, [width]), (0x0101, 3, [height]), (0x0102, 3, [8]), (0x0103, 3, [1]),
                (0x0106, 3, [1]), (0x0111, 4, [0]), (0x0115, 3, [1]), (0x0116, 3, [height]),
                (0x0117, 4, [len(pixels)])] + ifd0
    ifd0.sort()
    ifd0_at, ifd0_where = w.ifd(ifd0)
    w.u32_at(4, ifd0_at)
    exif = [(0x829A, 5, [(1, 160)]), (0x829D, 5, [(71, 10)]), (0x8827, 3, [400]), (0x9000, 7, list(b"0232")),
            (0x9003, 2, ascii_("2026:12:04 17:00:00")), (0x9101, 7, [1, 2, 3, 0]), (0x9204, 10, [(-1, 3)]),
            (0x9209, 3, [0x19]), (0x9286, 7, []), (0x9999, 9, [-7, 12]), (0xA000, 7, list(b"0100")),
            (0xA001, 3, [1]), (0xA005, 4, [0]), (0xA500, 11, [2.25]), (0xC001, 12, [1.5, -0.125])]
    exif_at, exif_where = w.ifd(exif)
    w.patch_value(ifd0_where[0x8769], exif_at)
    gps = [(0x0000, 1, [2, 3, 0, 0]), (0x0001, 2, ascii_("S")), (0x0002, 5, [(33, 1), (51, 1), (3081, 100)]),
           (0x0003, 2, ascii_("W")), (0x0004, 5, [(70, 1), (24, 1), (4452, 100)]), (0x0005, 1, [1]),
           (0x0006, 5, [(125, 10)]), (0x0007, 5, [(14, 1), (5, 1), (30, 1)]),
           (0x001D, 2, ascii_("2026:12:04"))]
    gps_at, _ = w.ifd(gps)
    w.patch_value(ifd0_where[0x8825], gps_at)
    interop_at, _ = w.ifd([(0x0001, 2, ascii_("R98")), (0x0002, 7, list(b"0100"))])
    w.patch_value(exif_where[0xA005], interop_at)
    thumb = thumbnail_jpeg()
    ifd1_at, ifd1_where = w.ifd([(0x0103, 3, [6]), (0x0201, 4, [0]), (0x0202, 4, [len(thumb)])])
    w.u32_at(ifd0_at + 2 + 12 * len(ifd0), ifd1_at)
    w.patch_value(ifd1_where[0x0201], len(w.data))
    w.data += thumb
    if image:
        w.patch_value(ifd0_where[0x0111], len(w.data))
        w.data += image[2]
    return bytes(w.data)


def save(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def main():
    im = scene(32, 24)
    for big, tag in ((False, "ii"), (True, "mm")):
        block = tiff_block(big)
        b = io.BytesIO()
        im.save(b, "JPEG", quality=80)
        j = b.getvalue()
        app1 = b"Exif\x00\x00" + block
        save(f"{tag}.jpg", j[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + j[2:])
        b = io.BytesIO()
        im.save(b, "PNG")
        p = b.getvalue()
        save(f"{tag}-exif-chunk.png", png_with_chunk(p, b"eXIf", block))
        profile = (b"Exif\x00\x00" + block).hex()
        lines = "\n".join(profile[i:i + 72] for i in range(0, len(profile), 72))
        text = f"\nexif\n{len(block) + 6:8d}\n{lines}\n".encode()
        save(f"{tag}-raw-profile.png",
             png_with_chunk(p, b"zTXt", b"Raw profile type exif\x00\x00" + zlib.compress(text)))
        b = io.BytesIO()
        im.save(b, "WEBP", lossless=True, exif=block)
        save(f"{tag}.webp", b.getvalue())
        grey = scene(8, 6).convert("L")
        save(f"{tag}.tif", tiff_block(big, (8, 6, grey.tobytes())))


if __name__ == "__main__":
    main()
