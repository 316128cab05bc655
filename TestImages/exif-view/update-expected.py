#!/usr/bin/env python3
"""Writes expected/<image>.json (the `ikmeta exif --json` line) for every image in this folder,
after checking ikmeta's answer independently.

    swift build && python3 TestImages/exif-view/update-expected.py [--ikmeta .build/debug/ikmeta]

Before anything is written, each line is checked against Pillow's own reading of the same EXIF
block: every integer and text tag Pillow finds in IFD0, the Exif, GPS and Interop IFDs must be
listed by ikmeta in the same directory with the same value (offset tags excepted: ikmeta gives
those from the start of the file). A disagreement stops the script and nothing is written.
Needs Pillow.
"""
import argparse
import glob
import json
import os
import subprocess
import sys

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
IFDS = {"IFD0": None, "ExifIFD": 0x8769, "GPS": 0x8825}
OFFSET_TAGS = {0x0111, 0x0144, 0x0201}


def pillow_tags(path):
    """(directory, tag) → value for Pillow's integer and text tags."""
    im = Image.open(path)
    exif = im.getexif()
    if not exif and "Raw profile type exif" in im.info:
        lines = im.info["Raw profile type exif"].split("\n", 3)
        exif.load(bytes.fromhex("".join(lines[3].split())))
    out = {}
    groups = {"IFD0": dict(exif), "ExifIFD": exif.get_ifd(0x8769), "GPS": exif.get_ifd(0x8825)}
    groups["InteropIFD"] = exif.get_ifd(0x8769).get(0xA005) and exif.get_ifd(0xA005) or {}
    for group, tags in groups.items():
        for tag, value in tags.items():
            if tag in OFFSET_TAGS or tag in (0x8769, 0x8825, 0xA005):
                continue
            if isinstance(value, str):
                out[(group, tag)] = value.rstrip("\0")
            elif isinstance(value, int):
                out[(group, tag)] = value
            elif isinstance(value, tuple) and value and all(isinstance(v, int) for v in value):
                out[(group, tag)] = list(value)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ikmeta", default=os.path.join(ROOT, ".build", "debug", "ikmeta"))
    a = ap.parse_args()
    names = sorted(os.path.basename(p) for p in glob.glob(os.path.join(HERE, "*"))
                   if p.endswith((".jpg", ".png", ".webp", ".tif")))
    lines = {}
    for name in names:
        line = subprocess.run([a.ikmeta, "exif", "--json", name], cwd=HERE, check=True,
                              capture_output=True, text=True).stdout
        got = json.loads(line)
        mine = {(t["ifd"], t["id"]): t["value"] for t in got["tags"]}
        want = pillow_tags(os.path.join(HERE, name))
        if not want:
            sys.exit(f"{name}: Pillow finds no EXIF")
        for key, value in want.items():
            v = mine.get(key)
            if isinstance(value, list) and isinstance(v, int):
                v = [v]
            if v != value:
                sys.exit(f"{name}: {key} is {v!r} in ikmeta, {value!r} in Pillow; nothing written")
        lines[name] = line
    os.makedirs(os.path.join(HERE, "expected"), exist_ok=True)
    for name, line in lines.items():
        with open(os.path.join(HERE, "expected", name + ".json"), "w") as f:
            f.write(line)
    print(f"{len(lines)} expected files written")


if __name__ == "__main__":
    main()
