#!/usr/bin/env python3
"""Writes expected/<image>.json for every test image, after checking ikmeta's answer independently.

    swift build -c release && python3 TestImages/update-expected.py [--ikmeta .build/release/ikmeta]

Before anything is written, each object is checked against what Pillow reads from the same file
(size, profile, alpha, JFIF/EXIF/pHYs density by SPEC §2's rule) and, when ../shared is beside the
project, the pHash against the libvips 8.10 numpy model in ../shared/tools. A disagreement stops
the script and nothing is written, so an expected file never records an unchecked answer.
Needs Pillow (and numpy for the pHash check).
"""
import argparse
import glob
import importlib.util
import json
import os
import subprocess
import sys

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MODEL = os.path.join(ROOT, "..", "shared", "tools", "vips_pipeline_reference.py")


def pillow_density(im, fmt):
    """SPEC §2 density from Pillow's view of the headers."""
    xres = 72 / 25.4
    if fmt == "jpg":
        unit, (x, y) = im.info.get("jfif_unit"), im.info.get("jfif_density", (1, 1))
        if x != 1 and y != 1 and unit in (1, 2):
            xres = x / 25.4 if unit == 1 else x / 10
        ifd0 = im.getexif()
        if 0x011A in ifd0 and 0x011B in ifd0:
            unit = ifd0.get(0x0128, 2)
            v = float(ifd0[0x011A])
            if unit in (2, 3):
                xres = max(0.0, v / 25.4 if unit == 2 else v / 10)
    else:
        dpi = im.info.get("dpi")
        if dpi:
            xres = dpi[0] / 25.4
    return round(xres * 25.4) if xres > 1 else 72


def independent_checks(path, meta):
    im = Image.open(path)
    fmt = {"JPEG": "jpg", "PNG": "png"}[im.format]
    want = {
        "width": im.size[0], "height": im.size[1], "size": os.path.getsize(path), "format": fmt,
        "hasColorProfile": bool(im.info.get("icc_profile")),
        "hasTransparency": im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info,
        "quality": 0,
    }
    if "dpi" in im.info or fmt == "jpg":
        want["density"] = pillow_density(im, fmt)
    problems = ["%s: ikmeta %r, Pillow %r" % (k, meta.get(k), v) for k, v in want.items() if meta.get(k) != v]
    if "pHash" in meta and os.path.exists(MODEL):
        spec = importlib.util.spec_from_file_location("vips_model", MODEL)
        model = importlib.util.module_from_spec(spec)
        sys.path.insert(0, os.path.dirname(MODEL))
        spec.loader.exec_module(model)
        h = model.phash(path)
        if h != meta["pHash"]:
            problems.append("pHash: ikmeta %s, libvips model %s" % (meta["pHash"], h))
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ikmeta", default=os.path.join(ROOT, ".build", "release", "ikmeta"))
    a = ap.parse_args()
    images = sorted(p for p in glob.glob(os.path.join(HERE, "*")) if p.endswith((".jpg", ".png")))
    outputs, failures = {}, []
    for path in images:
        name = os.path.basename(path)
        p = subprocess.run([a.ikmeta, name], cwd=HERE, capture_output=True, text=True)
        if p.returncode != 0:
            failures.append("%s: ikmeta failed: %s" % (name, p.stderr.strip()))
            continue
        meta = json.loads(p.stdout)
        failures += ["%s: %s" % (name, msg) for msg in independent_checks(path, meta)]
        outputs[name] = p.stdout
    if failures:
        print("\n".join(failures))
        sys.exit("not written: %d disagreement(s)" % len(failures))
    for name, text in outputs.items():
        with open(os.path.join(HERE, "expected", name + ".json"), "w") as f:
            f.write(text)
    print("wrote %d expected files" % len(outputs))


if __name__ == "__main__":
    main()
