#!/usr/bin/env python3
"""Times ikmeta against the tools people script today, in one run, on the same files.

    swift build -c release --static-swift-stdlib
    python3 Benchmarks/run.py [--runs 9] [--ikmeta .build/release/ikmeta] [--write Benchmarks/RESULTS.md]

Installs the peers when missing: ExifTool and libjpeg-turbo's djpeg (apt), Pillow, imagehash and
pyvips (PyPI). Sets: the JPEG photos of at least 1 megapixel in ../shared/corpus that libvips 8.10
decodes (below 100 megapixels) plus ../shared/imagekit-vectors ("photos"), and the same photos
scaled to at most 800 px ("web", made in a temporary folder with Pillow). Every command processes
a whole set, one job unless stated; the commands run interleaved --runs times and the median and
best wall times are reported, with ratios to ikmeta.
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(ROOT, "..", "shared")


def ensure_peers():
    apt = [p for p, cmd in (("libimage-exiftool-perl", "exiftool"), ("libjpeg-turbo-progs", "djpeg"))
           if not shutil.which(cmd)]
    if apt:
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True)
        subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "--no-install-recommends"] + apt, check=True)
    missing = []
    for module, package in (("PIL", "Pillow"), ("imagehash", "imagehash"), ("pyvips", "pyvips[binary]")):
        try:
            __import__(module)
        except ImportError:
            missing.append(package)
    if missing:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q"] + missing, check=True)


def load(name):
    with open(os.path.join(SHARED, "corpus-reference", name)) as f:
        return {r["file"]: r for r in map(json.loads, f)}


def photo_set():
    vips, phash = load("vips.jsonl"), load("phash-imagekit.jsonl")
    files = []
    for name, r in vips.items():
        if r.get("vips-loader") != "jpegload" or "error" in r or name.startswith("malformed/"):
            continue
        pixels = int(r["width"]) * int(r["height"])
        if 1_000_000 <= pixels < 100_000_000 and "imagekit" in phash.get(name, {}):
            files.append(os.path.join(SHARED, "corpus", name))
    vectors = os.path.join(SHARED, "imagekit-vectors")
    files += [os.path.join(vectors, n) for n in sorted(os.listdir(vectors)) if n.endswith(".jpg")]
    return [os.path.abspath(p) for p in files]


def web_set(photos, folder):
    from PIL import Image
    out = []
    for i, path in enumerate(photos):
        im = Image.open(path)
        im.thumbnail((800, 800))
        target = os.path.join(folder, "web-%03d.jpg" % i)
        im.convert("RGB").save(target, quality=85)
        out.append(target)
    return out


PY_IMAGEHASH = """
import sys, imagehash
from PIL import Image
for p in sys.argv[1:]:
    str(imagehash.phash(Image.open(p)))
"""

PY_VIPS = """
import sys, pyvips
for p in sys.argv[1:]:
    im = pyvips.Image.new_from_file(p, access="sequential").autorot()
    if im.get_typeof("icc-profile-data"):
        im = im.icc_transform("srgb")
    im = im.colourspace("b-w")
    im.resize(32 / im.width, vscale=32 / im.height, kernel="lanczos3").write_to_memory()
"""


def commands(ikmeta, files):
    def djpeg(flags):
        return ["bash", "-c", 'for f in "$@"; do djpeg %s -outfile /dev/null "$f"; done' % flags, "djpeg"] + files
    return [
        ("ikmeta (exact pHash)", [ikmeta, "--jobs", "1", "-q", "--jsonl"] + files),
        ("ikmeta --fast", [ikmeta, "--jobs", "1", "-q", "--fast", "--jsonl"] + files),
        ("ikmeta --no-phash", [ikmeta, "--jobs", "1", "-q", "--no-phash", "--jsonl"] + files),
        ("ikmeta --jobs 2", [ikmeta, "--jobs", "2", "-q", "--jsonl"] + files),
        ("djpeg full decode", djpeg("")),
        ("djpeg -scale 1/8", djpeg("-scale 1/8")),
        ("exiftool -json -n", ["exiftool", "-json", "-n", "-q"] + files),
        ("Python imagehash phash", [sys.executable, "-c", PY_IMAGEHASH] + files),
        ("pyvips sharp-style pipeline", [sys.executable, "-c", PY_VIPS] + files),
    ]


def time_once(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def machine():
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return "%s, %d cores, %.0f GiB, %s" % (cpu, os.cpu_count(), mem, platform.platform())


def versions(ikmeta):
    def first_line(cmd):
        try:
            p = subprocess.run(cmd, capture_output=True, text=True)
            return (p.stdout or p.stderr).strip().splitlines()[0]
        except (OSError, IndexError):
            return "?"
    import PIL, imagehash, pyvips
    linked = subprocess.run(["ldd", ikmeta], capture_output=True, text=True).stdout
    runtime = "dynamic Swift runtime" if "libswiftCore" in linked else "static Swift runtime"
    return ("ikmeta %s (%s); ExifTool %s; djpeg: %s; Pillow %s; imagehash %s; pyvips %s (libvips %d.%d)" % (
        first_line([ikmeta, "--version"]), runtime, first_line(["exiftool", "-ver"]),
        first_line(["bash", "-c", "djpeg -version 2>&1"]), PIL.__version__, imagehash.__version__,
        pyvips.__version__, pyvips.version(0), pyvips.version(1)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--ikmeta", default=os.path.join(ROOT, ".build", "release", "ikmeta"))
    ap.add_argument("--write", help="write the Markdown report here")
    a = ap.parse_args()
    ensure_peers()
    ikmeta = os.path.abspath(a.ikmeta)
    photos = photo_set()
    report = ["# Benchmark results", "", "Machine: " + machine(), "", "Versions: " + versions(ikmeta), "",
              "Each command processes the whole set in one process (djpeg: one process per file), one job unless "
              "stated; the commands run interleaved, %d times, and the table gives the median and the best wall "
              "time (the best run is the one least disturbed by the rest of the machine). "
              "Ratio = median time / ikmeta's exact-pHash median (below 1: faster than ikmeta)." % a.runs, ""]
    with tempfile.TemporaryDirectory() as tmp:
        for name, files in (("photos", photos), ("web", web_set(photos, tmp))):
            cmds = commands(ikmeta, files)
            times = {label: [] for label, _ in cmds}
            for _ in range(a.runs):
                for label, cmd in cmds:
                    times[label].append(time_once(cmd))
            med = {label: statistics.median(t) for label, t in times.items()}
            best = {label: min(t) for label, t in times.items()}
            base = med[cmds[0][0]]
            report += ["## %s: %d files" % (name, len(files)), "",
                       "| command | median s | best s | ms / file | ratio to ikmeta |", "|---|---:|---:|---:|---:|"]
            for label, _ in cmds:
                report.append("| %s | %.3f | %.3f | %.1f | %.2f |" % (
                    label, med[label], best[label], 1000 * med[label] / len(files), med[label] / base))

            def ratio(a, b, unit=""):
                return "%.2f%s (best runs: %.2f%s)" % (med[a] / med[b], unit, best[a] / best[b], unit)

            exact, fast, headers, jobs2 = "ikmeta (exact pHash)", "ikmeta --fast", "ikmeta --no-phash", "ikmeta --jobs 2"
            report += ["", "Targets on this set (ratio of medians, and of each command's best run):",
                       "- exact ÷ djpeg full decode: %s (target ≤ 1.4)" % ratio(exact, "djpeg full decode"),
                       "- imagehash ÷ exact: %s faster (target ≥ 2.5)" % ratio("Python imagehash phash", exact, "×"),
                       "- fast ÷ djpeg -scale 1/8: %s (target ≤ 1.25)" % ratio(fast, "djpeg -scale 1/8"),
                       "- exiftool ÷ no-phash: %s faster (target ≥ 30)" % ratio("exiftool -json -n", headers, "×"),
                       "- jobs 1 ÷ jobs 2: %s (target ≥ 1.8)" % ratio(exact, jobs2, "×"),
                       ""]
    text = "\n".join(report) + "\n"
    print(text)
    if a.write:
        with open(a.write, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
