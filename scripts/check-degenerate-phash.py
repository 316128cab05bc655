#!/usr/bin/env python3
"""Explains every corpus file where ikmeta's pHash differs from the reference model's (SPEC §4).

The model (`../shared/tools/vips_pipeline_reference.py`, written to
`corpus-reference/phash-imagekit.jsonl`) hashes its 32x32 pixels with numpy arithmetic, while
ImageKit, and ikmeta, hash them as sharp-phash does in Node. On degenerate images (flat colour,
pure gradients) rounding noise decides the bits, so the two hash stages can disagree on the same
pixels. For each differing file this takes the model's pixels, runs sharp-phash's hash stage on
them in `node`, and prints:

    file  model=<jsonl hash>  ikmeta=<ikmeta hash>  node(model pixels)=<hash>  <verdict>

verdict `hash stage` = node on the model's pixels gives ikmeta's hash (the difference is the
model's hash-stage arithmetic); `pixels` = it does not (the 32x32 pixels differ).

Usage (from the repository root):
    swift build -c release
    python3 scripts/check-degenerate-phash.py --ikmeta .build/release/ikmeta

Needs Python 3 with numpy (and pyvips, which the model decodes with) and node on PATH; skips
with a message when ../shared or node is missing.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, '..', 'shared')
TOOLS = os.path.join(SHARED, 'tools')

# sharp-phash's hash stage in JavaScript, run by node.
SHARP_PHASH_JS = os.path.join(ROOT, 'scripts', 'sharp-phash-stage.js')


def skip(message):
    print('check-degenerate-phash: skipped: ' + message)
    sys.exit(0)


def ikmeta_hashes(ikmeta, corpus, files, chunk=100):
    """{file: hash or None} from `ikmeta phash --jsonl`, run on `chunk` files at a time."""
    out = {}
    for start in range(0, len(files), chunk):
        batch = files[start:start + chunk]
        paths = [os.path.join(corpus, f) for f in batch]
        proc = subprocess.run([ikmeta, 'phash', '--jsonl'] + paths, capture_output=True, text=True)
        if proc.returncode not in (0, 1):
            sys.exit('check-degenerate-phash: %s exited with %d: %s' % (ikmeta, proc.returncode, proc.stderr.strip()))
        by_path = {}
        for line in proc.stdout.splitlines():
            record = json.loads(line)
            by_path[record['file']] = record.get('pHash')
        for f, p in zip(batch, paths):
            out[f] = by_path.get(p)
        print('  ikmeta: %d/%d files' % (min(start + chunk, len(files)), len(files)), file=sys.stderr)
    return out


def node_hashes(images):
    """sharp-phash's hash stage in node on each 32x32 image (row-major lists of 1024 values)."""
    if not images:
        return []
    payload = '\n'.join(json.dumps(pixels) for pixels in images) + '\n'
    proc = subprocess.run(['node', SHARP_PHASH_JS], input=payload, capture_output=True, text=True, check=True)
    hashes = proc.stdout.split()
    if len(hashes) != len(images):
        sys.exit('check-degenerate-phash: node gave %d hashes for %d images' % (len(hashes), len(images)))
    return hashes


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--ikmeta', required=True, help='the ikmeta executable (a release build)')
    parser.add_argument('--list-missing', action='store_true',
                        help='also list the files for which ikmeta gave no hash')
    args = parser.parse_args()

    model_path = os.path.join(TOOLS, 'vips_pipeline_reference.py')
    reference = os.path.join(SHARED, 'corpus-reference', 'phash-imagekit.jsonl')
    corpus = os.path.join(SHARED, 'corpus')
    if not (os.path.isfile(model_path) and os.path.isfile(reference) and os.path.isdir(corpus)):
        skip('the reference model or corpus is not at %s' % os.path.normpath(SHARED))
    if shutil.which('node') is None:
        skip('node is not on PATH')
    if not os.access(args.ikmeta, os.X_OK):
        sys.exit('check-degenerate-phash: %s is not an executable' % args.ikmeta)
    sys.path.insert(0, TOOLS)
    import numpy as np
    import vips_pipeline_reference as model

    expected = {}
    with open(reference) as f:
        for line in f:
            record = json.loads(line)
            if 'imagekit' in record:
                expected[record['file']] = record['imagekit']
    files = list(expected)
    ours = ikmeta_hashes(args.ikmeta, corpus, files)

    no_hash = [f for f in files if ours[f] is None]
    differing = [f for f in files if ours[f] is not None and ours[f] != expected[f]]
    images, failed = [], []
    for f in differing:
        try:
            pixels = np.asarray(model.pixels32(os.path.join(corpus, f)), dtype=np.float64)
            images.append((f, [int(v) if float(v).is_integer() else float(v) for v in pixels.reshape(-1)]))
        except Exception as error:  # the model has no answer for this file after all
            failed.append((f, '%s: %s' % (type(error).__name__, error)))
    node = dict(zip([f for f, _ in images], node_hashes([p for _, p in images])))

    stage = pixels = 0
    for f in differing:
        if f in node:
            verdict = 'hash stage' if node[f] == ours[f] else 'pixels'
            stage += verdict == 'hash stage'
            pixels += verdict == 'pixels'
            print('%s  model=%s  ikmeta=%s  node(model pixels)=%s  %s' % (f, expected[f], ours[f], node[f], verdict))
    for f, error in failed:
        print('%s  model=%s  ikmeta=%s  node(model pixels)=?  (model pixels failed: %s)' % (f, expected[f], ours[f], error))
    for f in no_hash if args.list_missing else []:
        print('%s  model=%s  ikmeta=(no hash)' % (f, expected[f]))

    print()
    print('%d files with a model hash: %d equal, %d differ, %d without an ikmeta hash'
          % (len(files), len(files) - len(differing) - len(no_hash), len(differing), len(no_hash)))
    print('of the %d differing: %d explained by the hash stage (node on the model\'s pixels = ikmeta), '
          '%d by the pixels, %d where the model failed' % (len(differing), stage, pixels, len(failed)))


if __name__ == '__main__':
    main()
