#!/usr/bin/env python3
"""Writes small valid ikmeta index files (format version 1, see PHashIndex.swift) into a folder:
seeds for `bash scripts/fuzz.sh SECONDS FuzzIndexLoader`.

    python3 scripts/index-seeds.py FOLDER
"""
import os
import struct
import sys

MASK = (1 << 64) - 1


def checksum(data):
    """PHashIndex.checksum: 64-bit little-endian words multiplied in and folded, then the tail bytes."""
    h = 0xCBF29CE484222325
    prime = 0x100000001B3
    i = 0
    while i + 8 <= len(data):
        h = ((h ^ struct.unpack_from("<Q", data, i)[0]) * prime) & MASK
        h ^= h >> 32
        i += 8
    for b in data[i:]:
        h = ((h ^ b) * prime) & MASK
    return h


def index(entries):
    """entries: (path, hash, width, height, size)."""
    paths = b"".join(p.encode() for p, *_ in entries)
    body = b"".join(struct.pack("<Q", h) for _, h, *_ in entries)
    end = 0
    for p, _, w, hgt, size in entries:
        end += len(p.encode())
        body += struct.pack("<IIQQ", w, hgt, size, end)
    body += paths
    header = b"IKMETAIX" + struct.pack("<IIQQQ", 1, 0, len(entries), len(paths), checksum(body))
    return header + body


def main():
    folder = sys.argv[1]
    os.makedirs(folder, exist_ok=True)
    sets = {
        "empty": [],
        "one": [("a.jpg", 0x63433B3CCF8E1EBE, 640, 480, 51234)],
        "near": [("a.jpg", 0x63433B3CCF8E1EBE, 640, 480, 51234), ("b/b.png", 0x61433B3FCF8F9FAF, 64, 48, 900),
                 ("", 0, 0, 0, 0), ("ü.jpg", MASK, 1, 1, 1)],
        "many": [(f"img/{i}.jpg", (i * 0x9E3779B97F4A7C15) & MASK, i, i + 1, i * 7) for i in range(40)],
    }
    for name, entries in sets.items():
        with open(os.path.join(folder, name + ".ikidx"), "wb") as f:
            f.write(index(entries))


if __name__ == "__main__":
    main()
