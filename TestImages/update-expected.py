#!/usr/bin/env python3
"""Writes expected/<image>.json for every test image, after checking ikmeta's answer independently.

    swift build -c release && python3 TestImages/update-expected.py [--ikmeta .build/release/ikmeta]

Before anything is written, each object is checked against what Pillow reads from the same file
(size, profile, alpha, JFIF/EXIF/pHYs density by SPEC §2's rule, common EXIF tags) and, when
../shared is beside the project, the pHash against the libvips 8.10 numpy model in ../shared/tools. A disagreement stops
the script and nothing is written, so an expected file never records an unchecked answer.
Needs Pillow (and numpy for the pHash check; pyvips for TIFF fields and the model's decode;
pillow-heif and Debian's heif-convert for HEIC/AVIF; Debian's vipsheader, when installed, for the
BMP/ICO/HEIC/AVIF fields).
"""
import argparse
import glob
import importlib.util
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

from PIL import Image

try:
    import pillow_heif
    pillow_heif.register_heif_opener()
except ImportError:
    pass

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


# Tags compared with Pillow's reading: (IFD key in the exif object, Pillow IFD id or None for IFD0).
EXIF_TAGS = {
    ("image", None): {0x010F: "Make", 0x0110: "Model", 0x0112: "Orientation", 0x011A: "XResolution",
                      0x011B: "YResolution", 0x0128: "ResolutionUnit", 0x0132: "ModifyDate"},
    ("exif", 0x8769): {0x829A: "ExposureTime", 0x829D: "FNumber", 0x8827: "ISO", 0x9003: "DateTimeOriginal",
                       0xA001: "ColorSpace"},
}


def exif_problems(im, exif):
    problems = []
    pillow = im.getexif()
    for (group, ifd), names in EXIF_TAGS.items():
        tags = pillow if ifd is None else pillow.get_ifd(ifd)
        for tag, name in names.items():
            if tag in tags:
                want = tags[tag]
                want = float(want) if not isinstance(want, (str, bytes)) else want
                got = exif.get(group, {}).get(name)
                if got != want:
                    problems.append("exif.%s.%s: ikmeta %r, Pillow %r" % (group, name, got, want))
    return problems


def vips_fields(path):
    """TIFF fields as libvips (pyvips) loads page 0, as the corpus oracle reads them: Pillow
    reports a TIFF with orientation 5-8 with its sides swapped."""
    import pyvips
    v = pyvips.Image.new_from_file(path)
    cmyk = v.interpretation == "cmyk"
    return {"width": v.width, "height": v.height, "hasColorProfile": v.get_typeof("icc-profile-data") != 0,
            "density": round(v.xres * 25.4) if v.xres > 1 else 72,
            "hasTransparency": (v.bands in (2, 4) and not cmyk) or (v.bands == 5 and cmyk)}


def webp_alpha(path):
    """libvips 8.10's WebP band rule (libvips-pipeline.md §15.5), from the RIFF chunks: the VP8X alpha
    flag, or for an animation any frame with alpha (ALPH chunk, VP8L alpha bit) or not covering the
    canvas."""
    data = open(path, "rb").read()
    chunks, pos = [], 12
    while pos + 8 <= len(data):
        size = int.from_bytes(data[pos + 4:pos + 8], "little")
        chunks.append((data[pos:pos + 4], data[pos + 8:pos + 8 + size]))
        pos += 8 + size + (size & 1)
    if chunks[0][0] == b"VP8L":
        return bool(int.from_bytes(chunks[0][1][1:5], "little") >> 28 & 1)
    if chunks[0][0] != b"VP8X":
        return False
    flags = chunks[0][1][0]
    if flags & 0x10:
        return True
    canvas = (1 + int.from_bytes(chunks[0][1][4:7], "little"), 1 + int.from_bytes(chunks[0][1][7:10], "little"))
    for kind, body in chunks:
        if kind == b"ANMF" and flags & 0x02:
            size = (1 + int.from_bytes(body[6:9], "little"), 1 + int.from_bytes(body[9:12], "little"))
            sub = body[16:]
            alpha = sub[:4] == b"ALPH" or (sub[:4] == b"VP8L" and int.from_bytes(sub[9:13], "little") >> 28 & 1)
            if size != canvas or alpha:
                return True
    return False


def gif_transparency(path):
    """libvips 8.10's rule, read from the blocks directly: some 4-byte Graphic Control Extension, in
    any frame, sets its transparency flag."""
    d = open(path, "rb").read()
    o = 13 + (3 << ((d[10] & 7) + 1) if d[10] & 0x80 else 0)
    found = False
    while o < len(d) and d[o] != 0x3B:
        if d[o] == 0x21:
            if d[o + 1] == 0xF9 and d[o + 2] == 4 and d[o + 3] & 1:
                found = True
            o += 2
        else:
            o += 10 + (3 << ((d[o + 9] & 7) + 1) if d[o + 9] & 0x80 else 0) + 1
        while d[o]:
            o += 1 + d[o]
        o += 1
    return found


def load_module(name, path):
    sys.path.insert(0, os.path.dirname(path))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def first_icon(im, path):
    """The first directory entry of an ICO (the one libvips reports), not Pillow's largest."""
    with open(path, "rb") as f:
        offset = struct.unpack("<I", f.read(22)[18:22])[0]
    index = [e.offset for e in im.ico.entry].index(offset)
    return im.ico.frame(index)


def imagemagick_bmp_alpha(path, im):
    """ImageMagick 6.9 also gives a 32-bit BI_RGB file with a 40-byte header alpha when any fourth byte is set."""
    with open(path, "rb") as f:
        data = f.read()
    size, bits, compression = struct.unpack("<I", data[14:18])[0], data[28], struct.unpack("<I", data[30:34])[0]
    if size == 40 and bits == 32 and compression == 0:
        start = struct.unpack("<I", data[10:14])[0]
        return any(data[start + 3:start + 4 * im.size[0] * im.size[1]:4])
    return im.mode == "RGBA"


def heif_checks(path, meta):
    """HEIC/AVIF: the pHash of the PNG that Debian's libheif (heif-convert) decodes, through the model."""
    if "pHash" not in meta or not os.path.exists(MODEL) or not shutil.which("heif-convert"):
        return []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "primary.png")
        subprocess.run(["heif-convert", path, out], check=True, capture_output=True)
        h = load_module("vips_model", MODEL).phash(out)
    return [] if h == meta["pHash"] else ["pHash: ikmeta %s, heif-convert + libvips model %s" % (meta["pHash"], h)]


def vipsheader_checks(path, meta):
    """BMP/ICO/HEIC/AVIF: the fields against Debian's vipsheader (libvips 8.14, the reference data's
    tool: magickload, heifload), when it is installed."""
    if not shutil.which("vipsheader"):
        return []
    # os.environ as Python saw it at start: a loaded pyvips changes the C-level environment.
    p = subprocess.run(["vipsheader", "-a", path], capture_output=True, text=True, env=dict(os.environ))
    if p.returncode != 0:
        return ["vipsheader cannot read it: %s" % p.stderr.strip()]
    v = dict(line.split(": ", 1) for line in p.stdout.splitlines() if ": " in line)
    xres = float(v.get("xres", "0"))
    want = {"width": int(v["width"]), "height": int(v["height"]), "hasTransparency": v["bands"] in ("2", "4"),
            "hasColorProfile": "icc-profile-data" in v, "density": round(xres * 25.4) if xres > 1 else 72}
    return ["%s: ikmeta %r, vipsheader %r" % (k, meta.get(k), w) for k, w in want.items() if meta.get(k) != w]


def independent_checks(path, meta):
    im = Image.open(path)  # for TIFF, WebP and GIF: the first page or frame
    fmt = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp", "TIFF": "tiff",
           "BMP": "bmp", "ICO": "ico", "HEIF": "heic", "AVIF": "avif"}[im.format]
    if fmt == "ico":
        im = first_icon(im, path)
    transparent = im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info
    if fmt == "webp":
        transparent = webp_alpha(path)
    want = {
        "width": im.size[0], "height": im.size[1], "size": os.path.getsize(path), "format": fmt,
        "hasColorProfile": bool(im.info.get("icc_profile")),
        "hasTransparency": transparent,
        "quality": 0,
    }
    if fmt == "webp":
        want["density"] = 72
    elif "dpi" in im.info or fmt in ("jpg", "heic", "avif", "ico"):
        want["density"] = pillow_density(im, fmt)
    if fmt == "gif":
        # libvips gives a GIF 1 pixel/mm (so 72 dpi) and an alpha band when any frame has transparency.
        want["density"] = 72
        want["hasTransparency"] = gif_transparency(path)
    if fmt == "bmp":
        want["hasTransparency"] = imagemagick_bmp_alpha(path, im)
    if fmt in ("bmp", "ico") and "pHash" in meta:
        return ["pHash: sharp 0.26 opens no %s, so ImageKit has none" % fmt]
    if fmt == "tiff":
        want.update(vips_fields(path))
    problems = ["%s: ikmeta %r, Pillow/libvips %r" % (k, meta.get(k), v) for k, v in want.items() if meta.get(k) != v]
    if fmt in ("bmp", "ico", "heic", "avif"):
        problems += vipsheader_checks(path, meta)
    if fmt in ("heic", "avif"):
        return problems + (["exif: not empty"] if meta.get("exif") != {} else []) + heif_checks(path, meta)
    if fmt in ("jpg", "gif"):
        problems += exif_problems(im, meta.get("exif", {}))
    elif meta.get("exif") != {}:
        problems.append("exif: ikmeta %r, but ImageKit reads EXIF from JPEG only" % meta.get("exif"))
    if "pHash" in meta and os.path.exists(MODEL):
        model = load_module("vips_model", MODEL)
        h = model.phash(path)
        if h != meta["pHash"] and shutil.which("node"):
            # On flat or gradient pictures the model's numpy hash stage and sharp-phash's JavaScript
            # one disagree; ImageKit runs the JavaScript, so its hash of the model's pixels decides.
            check = load_module("check_degenerate", os.path.join(ROOT, "scripts", "check-degenerate-phash.py"))
            h = check.node_hashes([[int(v) for v in model.pixels32(path).reshape(-1)]])[0]
        if h != meta["pHash"]:
            problems.append("pHash: ikmeta %s, libvips model %s" % (meta["pHash"], h))
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ikmeta", default=os.path.join(ROOT, ".build", "release", "ikmeta"))
    a = ap.parse_args()
    images = sorted(p for p in glob.glob(os.path.join(HERE, "*"))
                    if p.endswith((".jpg", ".png", ".gif", ".webp", ".tif", ".heic", ".avif", ".bmp", ".ico")))
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
