#!/usr/bin/env python3
"""Times ikmeta against the tools people script today, in one run, on the same files.

    swift build -c release --static-swift-stdlib
    python3 Benchmarks/run.py [--runs 9] [--sets photos,web,mixed] [--instructions]
                              [--ikmeta .build/release/ikmeta] [--write Benchmarks/RESULTS.md]

Installs the peers when missing: ExifTool, libjpeg-turbo's djpeg and valgrind (apt), Pillow,
imagehash and pyvips (PyPI). Sets: the JPEG photos of at least 1 megapixel in ../shared/corpus that
libvips 8.10 decodes (below 100 megapixels) plus ../shared/imagekit-vectors ("photos"); the same
photos scaled to at most 800 px ("web", made in a temporary folder with Pillow); and every file of
the corpus that libvips reads, whatever its format ("mixed", about a thousand files, where start-up
amortises). Every command processes a whole set, one job unless stated; the commands run
interleaved --runs times and the median and best wall times are reported, with ratios to ikmeta.

With --instructions, each command also runs once under `valgrind --tool=callgrind` (but `--jobs 2`,
which executes what one job does) and its instruction count is reported: unlike wall time, it does
not drift with the rest of the machine. Every set is timed first, then counted.
ikmeta runs as a stripped copy there (valgrind 3.19 cannot read the toolchain's debug info).

With --write, the report replaces FILE's first section (its tables) and one line per set is
appended to its history, with the commit it measured; the sections after it are kept.
"""
import argparse
import functools
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
    apt = [p for p, cmd in (("libimage-exiftool-perl", "exiftool"), ("libjpeg-turbo-progs", "djpeg"),
                            ("valgrind", "valgrind")) if not shutil.which(cmd)]
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


def mixed_set():
    """Every corpus file libvips reads (any format), in the corpus's own order."""
    vips = load("vips.jsonl")
    with open(os.path.join(SHARED, "corpus-reference", "files.txt")) as f:
        names = [line.rstrip("\n") for line in f if line.strip()]
    return [os.path.abspath(os.path.join(SHARED, "corpus", n)) for n in names
            if n in vips and "error" not in vips[n]]


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


EXACT, FAST, HEADERS, JOBS2 = "ikmeta (exact pHash)", "ikmeta --fast", "ikmeta --no-phash", "ikmeta --jobs 2"
DJPEG, DJPEG8, EXIFTOOL, IMAGEHASH = "djpeg full decode", "djpeg -scale 1/8", "exiftool -json -n", "Python imagehash phash"


def commands(ikmeta, files, mixed):
    """The commands timed on one set; the mixed set holds other formats, so only ikmeta and ExifTool."""
    def djpeg(flags):
        return ["bash", "-c", 'for f in "$@"; do djpeg %s -outfile /dev/null "$f"; done' % flags, "djpeg"] + files
    ik = [ikmeta, "-q", "--jsonl"]
    if mixed:
        return [
            (EXACT, ik + ["--jobs", "1", "--files-from", "-"]),
            (HEADERS, ik + ["--jobs", "1", "--no-phash", "--files-from", "-"]),
            (JOBS2, ik + ["--jobs", "2", "--files-from", "-"]),
            (EXIFTOOL, ["exiftool", "-json", "-n", "-q", "-@", "-"]),
        ]
    return [
        (EXACT, ik + ["--jobs", "1"] + files),
        (FAST, ik + ["--jobs", "1", "--fast"] + files),
        (HEADERS, ik + ["--jobs", "1", "--no-phash"] + files),
        (JOBS2, ik + ["--jobs", "2"] + files),
        (DJPEG, djpeg("")),
        (DJPEG8, djpeg("-scale 1/8")),
        (EXIFTOOL, ["exiftool", "-json", "-n", "-q"] + files),
        (IMAGEHASH, [sys.executable, "-c", PY_IMAGEHASH] + files),
        ("pyvips sharp-style pipeline", [sys.executable, "-c", PY_VIPS] + files),
    ]


# Targets per set: (label, numerator, denominator, "≤" or "≥", bound). A ratio is time(a) / time(b).
TARGETS = {
    "photos": [("exact ÷ djpeg full decode", EXACT, DJPEG, "≤", 1.2),
               ("imagehash ÷ exact (times faster)", IMAGEHASH, EXACT, "≥", 2.2),
               ("fast ÷ djpeg -scale 1/8", FAST, DJPEG8, "≤", 1.25),
               ("exiftool ÷ no-phash (times faster)", EXIFTOOL, HEADERS, "≥", 25),
               ("jobs 1 ÷ jobs 2", EXACT, JOBS2, "≥", 1.8)],
    "web": [("exact ÷ djpeg full decode", EXACT, DJPEG, "≤", 1.2),
            ("exiftool ÷ no-phash (times faster)", EXIFTOOL, HEADERS, "≥", 25)],
    "mixed": [("exiftool ÷ no-phash (times faster)", EXIFTOOL, HEADERS, "≥", 30),
              ("jobs 1 ÷ jobs 2", EXACT, JOBS2, "≥", 1.85)],
}


def time_once(cmd, stdin):
    t = time.perf_counter()
    subprocess.run(cmd, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def instructions(cmd, stdin, ikmeta, stripped):
    """Instructions the whole command executes (every process it starts), counted by callgrind."""
    cmd = [stripped if c == ikmeta else c for c in cmd]
    with tempfile.TemporaryDirectory() as out:
        p = subprocess.run(["valgrind", "--tool=callgrind", "--trace-children=yes",
                            "--callgrind-out-file=" + os.path.join(out, "cg.%p")] + cmd,
                           input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    counts = [int(line.split(":")[1].replace(",", "")) for line in p.stderr.decode(errors="replace").splitlines()
              if "Collected :" in line]
    return sum(counts) if counts else None


@functools.lru_cache(maxsize=None)
def commit():
    """The commit measured: asked once, before any timing, so that later edits do not relabel it."""
    def git(*args):
        return subprocess.run(["git", "-C", ROOT] + list(args), capture_output=True, text=True).stdout.strip()
    return git("rev-parse", "--short", "HEAD") + ("+changes" if git("status", "--porcelain", "--untracked-files=no") else "")


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


def set_commands(name, files, ikmeta):
    """The commands of one set, and the standard input they read."""
    mixed = name == "mixed"
    return commands(ikmeta, files, mixed), ("\n".join(files) + "\n").encode() if mixed else None


def time_set(cmds, stdin, runs):
    """Wall times of every command, interleaved, `runs` times."""
    times = {label: [] for label, _ in cmds}
    for _ in range(runs):
        for label, cmd in cmds:
            times[label].append(time_once(cmd, stdin))
    return times


def count_set(cmds, stdin, ikmeta, stripped):
    """Instructions of every command but `--jobs 2`, which executes the same ones as one job."""
    return {label: instructions(cmd, stdin, ikmeta, stripped) for label, cmd in cmds if label != JOBS2}


def report_set(name, files, cmds, times, counted):
    """The report lines of one set and its history line."""
    med = {label: statistics.median(t) for label, t in times.items()}
    best = {label: min(t) for label, t in times.items()}
    base = med[EXACT]
    lines = ["## %s: %d files" % (name, len(files)), "",
             "| command | median s | best s | ms / file | ratio to ikmeta | instructions (10⁶) |",
             "|---|---:|---:|---:|---:|---:|"]
    for label, _ in cmds:
        n = counted.get(label)
        lines.append("| %s | %.3f | %.3f | %.2f | %.2f | %s |" % (
            label, med[label], best[label], 1000 * med[label] / len(files), med[label] / base,
            "%.0f" % (n / 1e6) if n else "–"))
    lines += ["", "Targets on this set (ratio of medians; of each command's best run; of instructions):"]
    summary = []
    for text, a, b, sign, bound in TARGETS[name]:
        if a not in med or b not in med:
            continue
        r = med[a] / med[b]
        met = r <= bound if sign == "≤" else r >= bound
        by_instr = ("; instructions %.2f" % (counted[a] / counted[b])) if counted.get(a) and counted.get(b) else ""
        lines.append("- %s: %.2f (best runs %.2f%s) — target %s %g: %s" % (
            text, r, best[a] / best[b], by_instr, sign, bound, "met" if met else "missed"))
        summary.append("%s %.2f" % (text.split(" (")[0], r))
    lines.append("")
    return lines, "| %s | %s | %s | %d | %s |" % (
        time.strftime("%Y-%m-%d"), commit(), name, len(files), "; ".join(summary))


HISTORY = "## History"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--sets", default="photos,web,mixed", help="comma-separated: photos, web, mixed")
    ap.add_argument("--instructions", action="store_true", help="also count instructions with callgrind")
    ap.add_argument("--ikmeta", default=os.path.join(ROOT, ".build", "release", "ikmeta"))
    ap.add_argument("--write", help="write the Markdown report here, keeping its history")
    a = ap.parse_args()
    sets = [s for s in a.sets.split(",") if s]
    unknown = [s for s in sets if s not in TARGETS]
    if unknown:
        ap.error("unknown set: " + ", ".join(unknown))
    ensure_peers()
    ikmeta = os.path.abspath(a.ikmeta)
    report = ["# Benchmark results", "", "Machine: " + machine(), "", "Versions: " + versions(ikmeta), "",
              "Commit: " + commit(), "",
              "Each command processes the whole set in one process (djpeg: one process per file; the mixed set "
              "is given on standard input), one job unless stated; the commands run interleaved, %d times, and "
              "the table gives the median and the best wall time (the best run is the one least disturbed by "
              "the rest of the machine). Ratio = median time / ikmeta's exact-pHash median (below 1: faster than "
              "ikmeta). Instructions, where given, are callgrind's count for one run, every process included."
              % a.runs, ""]
    history = []
    with tempfile.TemporaryDirectory() as tmp:
        stripped = os.path.join(tmp, "ikmeta")
        subprocess.run(["strip", "-o", stripped, ikmeta], check=True)
        photos = photo_set()
        measured = []
        for name in sets:
            files = {"photos": lambda: photos, "web": lambda: web_set(photos, tmp), "mixed": mixed_set}[name]()
            cmds, stdin = set_commands(name, files, ikmeta)
            measured.append((name, files, cmds, stdin, time_set(cmds, stdin, a.runs)))
        # Every set is timed before any instruction is counted: callgrind's runs are long, and the
        # machine may be busy again by then without changing their counts.
        if a.instructions:
            print("timing done; counting instructions", file=sys.stderr, flush=True)
        for name, files, cmds, stdin, times in measured:
            counted = count_set(cmds, stdin, ikmeta, stripped) if a.instructions else {}
            lines, line = report_set(name, files, cmds, times, counted)
            report += lines
            history.append(line)
    old, others = [], ""
    if a.write and os.path.exists(a.write):
        ours, others = split_report(open(a.write).read())
        if HISTORY in ours:
            old = [l for l in ours.split(HISTORY, 1)[1].splitlines() if l.startswith("| 2")]
    report += [HISTORY, "", "One line per set and run of this script, oldest first.", "",
               "| date | commit | set | files | ratios (median) |", "|---|---|---|---:|---|"] + old + history
    text = "\n".join(report) + "\n"
    print(text)
    if a.write:
        with open(a.write + ".tmp", "w") as f:
            f.write(text + ("\n" + others if others else ""))
        os.replace(a.write + ".tmp", a.write)


def split_report(text):
    """This script's part of a results file (its first top-level section) and the sections after
    it, which other benchmarks write and which are kept as they are."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if i > 0 and line.startswith("# "):
            return "".join(lines[:i]), "".join(lines[i:])
    return text, ""


if __name__ == "__main__":
    main()
