#!/usr/bin/env python3
"""Checks that ikmeta's output on the shared corpus is exactly the recorded output, in every mode.

    python3 scripts/corpus-output.py --ikmeta .build/release/ikmeta            # compare (CI)
    python3 scripts/corpus-output.py --ikmeta .build/release/ikmeta --update   # record a deliberate change

The record, `Tests/corpus-output.txt`, has one line per corpus file and mode: the mode, the file and
the first 16 hex digits of the SHA-256 of its output line, plus one line per mode for everything the
run wrote to stderr. A change that is meant to alter output rewrites the record in the same commit,
so the diff shows which files changed; any other change must leave every line as it was.
"""
import argparse
import hashlib
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")
RECORD = os.path.join(ROOT, "Tests", "corpus-output.txt")
MODES = {"default": [], "fast": ["--fast"], "no-phash": ["--no-phash"], "image-memory-0": ["--image-memory", "0"]}


def digest(data):
    return hashlib.sha256(data).hexdigest()[:16]


def run(ikmeta, files, flags):
    """Output lines by file, and the digest of stderr."""
    listing = ("\n".join(files) + "\n").encode()
    p = subprocess.run([ikmeta, "--files-from", "-", "-q", "--jsonl", "--jobs", "2"] + flags,
                       cwd=os.path.join(SHARED, "corpus"), input=listing, capture_output=True)
    lines = p.stdout.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if len(lines) != len(files):
        sys.exit("%s: %d output lines for %d files (exit %d)" % (" ".join(flags), len(lines), len(files), p.returncode))
    return dict(zip(files, lines)), digest(p.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ikmeta", required=True)
    ap.add_argument("--update", action="store_true", help="rewrite the record instead of comparing")
    a = ap.parse_args()
    listing = os.path.join(SHARED, "corpus-reference", "files.txt")
    if not os.path.exists(listing):
        print("../shared not found: corpus output check skipped")
        return
    files = [l.rstrip("\n") for l in open(listing, encoding="utf-8") if l.strip()]
    ikmeta = os.path.abspath(a.ikmeta)
    record, lines = {}, {}
    for mode, flags in MODES.items():
        out, err = run(ikmeta, files, flags)
        for f in files:
            record[(mode, f)] = digest(out[f])
            lines[(mode, f)] = out[f]
        record[(mode, "(stderr)")] = err
    text = "".join("%s\t%s\t%s\n" % (m, f, d) for (m, f), d in record.items())
    if a.update:
        with open(RECORD, "w", encoding="utf-8") as out:
            out.write(text)
        print("recorded %d lines in %s" % (len(record), os.path.relpath(RECORD, ROOT)))
        return
    old = {}
    for line in open(RECORD, encoding="utf-8"):
        m, f, d = line.rstrip("\n").split("\t")
        old[(m, f)] = d
    changed = sorted(k for k in set(old) | set(record) if old.get(k) != record.get(k))
    for m, f in changed[:40]:
        shown = lines.get((m, f), b"").decode("utf-8", "replace")[:300]
        print("changed [%s] %s: %s" % (m, f, shown or "(stderr differs)"))
    print("%d of %d recorded outputs changed" % (len(changed), len(old)))
    sys.exit(1 if changed else 0)


if __name__ == "__main__":
    main()
