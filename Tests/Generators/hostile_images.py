#!/usr/bin/env python3
"""Builds hostile image files for the regression tests and CI (nothing large is committed).

    python3 hostile_images.py KIND OUTPUT [options]

Kinds:
  scans    progressive JPEG, --size S×S grey, one DC scan then --count tiny AC scans
  splt     PNG with --count sPLT chunks of unique names before its IDAT
  ztxt     PNG with --count zTXt chunks each inflating to --inflated bytes of zeros
  ztxt-big PNG with one zTXt chunk of about --bytes compressed bytes (a large chunk, not a bomb)
  app2     baseline JPEG with --count APP2 ICC_PROFILE segments of 64 KB each
  interlaced  interlaced RGB PNG of --size S×S (Adam7): noise, or with --zeros a tiny file that
              decodes to S×S×3 bytes of passes
"""
import argparse
import os
import struct
import sys
import zlib


def png_chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png(width, height, extra_chunks, interlace=0, rows=None):
    out = bytearray(b"\x89PNG\r\n\x1a\n")
    out += png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0 if rows is None else 2, 0, 0, interlace))
    for chunk in extra_chunks:
        out += chunk
    raw = rows if rows is not None else b"".join(b"\0" + bytes(width) for _ in range(height))
    out += png_chunk(b"IDAT", zlib.compress(raw, 9))
    out += png_chunk(b"IEND", b"")
    return bytes(out)


def write_chunks(path, head, chunks, tail):
    with open(path, "wb") as f:
        f.write(head)
        for c in chunks:
            f.write(c)
        f.write(tail)


def segment(marker, payload):
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def jpeg_tables(progressive, width, height, dc_symbols, ac_symbols):
    out = bytearray(b"\xff\xd8")
    out += segment(0xDB, b"\x00" + bytes([1] * 64))
    out += segment(0xC2 if progressive else 0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")
    for table_class, symbols in ((0x00, dc_symbols), (0x10, ac_symbols)):
        counts = [0] * 16
        counts[0] = len(symbols)  # one or two codes of length 1
        out += segment(0xC4, bytes([table_class]) + bytes(counts) + bytes(symbols))
    return out


def scans_jpeg(path, size, count):
    blocks = (size // 8) ** 2
    out = jpeg_tables(True, size, size, [0], [0xE0])
    # DC first scan: every difference in category 0, code '0': one bit per block.
    out += segment(0xDA, b"\x01\x01\x00\x00\x00\x00") + bytes((blocks + 7) // 8)
    # AC first scans of band 1..63: runs of 2^14 end-of-blocks ('0' + 14 zero bits each).
    runs = (blocks + 16383) // 16384
    bits = runs * 15
    data = bytes(bits // 8) + (bytes([0xFF >> (bits % 8)]) if bits % 8 else b"")
    scan = segment(0xDA, b"\x01\x01\x00\x01\x3f\x00") + data
    with open(path, "wb") as f:
        f.write(out)
        for _ in range(count):
            f.write(scan)
        f.write(b"\xff\xd9")


def app2_jpeg(path, count):
    size = 16
    head = b"\xff\xd8"
    payload = b"ICC_PROFILE\0" + bytes([1, 1]) + bytes(65519)
    tail = jpeg_tables(False, size, size, [0], [0x00])[2:]
    # baseline scan: DC category 0 ('0'), AC EOB ('0'): two bits per block, 4 blocks.
    tail += segment(0xDA, b"\x01\x01\x00\x00\x3f\x00") + b"\x00\xff\x00" + b"\xff\xd9"
    write_chunks(path, head, (segment(0xE2, payload) for _ in range(count)), tail)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind")
    parser.add_argument("output")
    parser.add_argument("--count", type=int, default=1)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--inflated", type=int, default=1 << 20)
    parser.add_argument("--bytes", type=int, default=1 << 20)
    parser.add_argument("--zeros", action="store_true")
    a = parser.parse_args()
    if a.kind == "scans":
        scans_jpeg(a.output, a.size, a.count)
    elif a.kind == "splt":
        chunks = (png_chunk(b"sPLT", b"p%07d\0\x08" % i + bytes(6)) for i in range(a.count))
        full = png(8, 8, [])
        write_chunks(a.output, full[:33], chunks, full[33:])
    elif a.kind == "ztxt":
        compressor = zlib.compressobj(9)
        block = bytes(1 << 20)
        stream = b"".join(compressor.compress(block) for _ in range(a.inflated >> 20)) + compressor.compress(
            bytes(a.inflated & ((1 << 20) - 1))) + compressor.flush()
        chunk = png_chunk(b"zTXt", b"Comment\0\0" + stream)
        full = png(8, 8, [])
        write_chunks(a.output, full[:33], (chunk for _ in range(a.count)), full[33:])
    elif a.kind == "ztxt-big":
        noise = os.urandom(a.bytes)
        chunk = png_chunk(b"zTXt", b"Comment\0\0" + zlib.compress(noise, 0))
        full = png(8, 8, [])
        write_chunks(a.output, full[:33], [chunk], full[33:])
    elif a.kind == "app2":
        app2_jpeg(a.output, a.count)
    elif a.kind == "interlaced":
        # Adam7: each pass is its own small image of filtered rows.
        passes = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
        rows = b""
        for x0, y0, dx, dy in passes:
            w, h = (a.size - x0 + dx - 1) // dx, (a.size - y0 + dy - 1) // dy
            if w > 0:
                row = b"\0" + (bytes(w * 3) if a.zeros else b"")
                rows += b"".join(row if a.zeros else b"\0" + os.urandom(w * 3) for _ in range(h))
        with open(a.output, "wb") as f:
            f.write(png(a.size, a.size, [], interlace=1, rows=rows))
    else:
        sys.exit("unknown kind " + a.kind)


if __name__ == "__main__":
    main()
