#!/usr/bin/env python3
"""Near-duplicate search over one set of 100,000 pHashes, side by side in one run:

    swift build -c release
    python3 Benchmarks/dedup.py [--count 100000] [--k 4] [--sample 100] [--ikmeta .build/release/ikmeta]

- ikmeta: `index build` from JSONL, `similar -` with every hash as a query (all pairs), and
  `duplicates` (groups) on the index;
- numpy: brute-force XOR + popcount of every pair (np.bitwise_count), in row blocks;
- imagededup 0.3.3 (PyPI): its own BKTree, BruteForce and BruteForceCython search classes, given the
  precomputed hashes, driven the way its HashEval drives them (one search per query, one process).

imagededup's package requires torch and torchvision, which its search code never imports. It is
installed with `pip install --no-deps imagededup` into .venv-bench/, and its search modules are
loaded from their files (importing the package would import torch through imagededup.utils).
Its searches are timed on --sample queries (hashes spread over the set, planted near-copies
included) and the full-set time is extrapolated from the time per query; their results for those
queries are compared with brute force.

Every method runs in a child process. Its peak memory is taken from a small wrapper process that
starts it (a high-water mark survives fork and exec, so a child forked straight from this script
would report this script's memory); figures below the wrapper's ~10 MiB are not measurable.
"""
import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VENV = os.path.join(ROOT, ".venv-bench")


def venv_python():
    python = os.path.join(VENV, "bin", "python")
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    subprocess.run([python, "-m", "pip", "install", "-q", "numpy>=2"], check=True)
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", "imagededup==0.3.3.post2"], check=True)
    return python


def hashes(count, seed=16):
    """Random 64-bit hashes; after every 50th, 1–3 copies with 0–8 bits flipped."""
    import numpy as np
    rng = np.random.default_rng(seed)
    out = []
    while len(out) < count:
        base = int(rng.integers(0, 2**64, dtype=np.uint64))
        out.append(base)
        if len(out) % 50 == 1:
            for _ in range(int(rng.integers(1, 4))):
                copy = base
                for bit in rng.integers(0, 64, size=int(rng.integers(0, 9))):
                    copy ^= 1 << int(bit)
                out.append(copy)
    return out[:count]


def name(i):
    return f"img/{i:06d}.jpg"


# --- the methods, each run in its own child process --------------------------------------

def run_numpy(hs, k, _sample):
    import numpy as np
    h = np.array(hs, dtype=np.uint64)
    pairs = set()
    block = 256
    for start in range(0, len(h), block):
        rows = h[start:start + block]
        d = np.bitwise_count(rows[:, None] ^ h[None, :])
        ii, jj = np.nonzero(d <= k)
        for i, j in zip((ii + start).tolist(), jj.tolist()):
            if i < j:
                pairs.add((i, j))
    return {"pairs": sorted(pairs)}


def load_module(module, file):
    spec = importlib.util.spec_from_file_location(module, file)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def imagededup_dir():
    import site
    for d in site.getsitepackages():
        if os.path.isdir(os.path.join(d, "imagededup")):
            return d
    raise SystemExit("imagededup is not installed")


def hamming_distance(hash1, hash2):
    # imagededup.methods.hashing.Hashing.hamming_distance, verbatim in behaviour: imported from
    # that module it would pull in PyWavelets and scipy, which hashing (not search) needs.
    import numpy as np
    hash1_bin = bin(int(hash1, 16))[2:].zfill(64)
    hash2_bin = bin(int(hash2, 16))[2:].zfill(64)
    return np.sum([i != j for i, j in zip(hash1_bin, hash2_bin)])


def run_imagededup(hs, k, sample, method):
    site = imagededup_dir()
    sys.path.insert(0, site)  # brute_force_cython_ext is a top-level extension module
    search = os.path.join(site, "imagededup", "handlers", "search")
    hash_dict = {name(i): f"{h:016x}" for i, h in enumerate(hs)}
    start = time.perf_counter()
    if method == "bktree":
        searcher = load_module("bktree", os.path.join(search, "bktree.py")).BKTree(hash_dict, hamming_distance)
    elif method == "brute_force":
        searcher = load_module("brute_force", os.path.join(search, "brute_force.py")).BruteForce(hash_dict, hamming_distance)
    else:
        searcher = load_module("brute_force_cython", os.path.join(search, "brute_force_cython.py")).BruteForceCython(hash_dict, hamming_distance)
    build = time.perf_counter() - start
    # The pure-Python brute force is slow enough that a tenth of the sample gives a stable rate.
    queries = sample_queries(len(hs), sample if method != "brute_force" else max(1, sample // 10))
    start = time.perf_counter()
    pairs = set()
    for q in queries:
        # HashEval._searcher: search, then drop the query itself.
        for found, _distance in searcher.search(query=hash_dict[name(q)], tol=k):
            if found != name(q):
                j = int(found[4:10])
                pairs.add((min(q, j), max(q, j)))
    per_query = (time.perf_counter() - start) / len(queries)
    return {"build": build, "per_query": per_query, "queries": queries, "pairs": sorted(pairs)}


def sample_queries(count, sample):
    step = max(1, count // sample)
    return [min(count - 1, i * step + 1) for i in range(sample)]  # +1: planted copies follow every 50th


def child(method, hs, k, sample):
    if method == "numpy":
        return run_numpy(hs, k, sample)
    return run_imagededup(hs, k, sample, method.split(":")[1])


PEAK = ("import resource, subprocess, sys\n"
        "status = subprocess.run(sys.argv[2:], stdin=sys.stdin, stdout=subprocess.DEVNULL).returncode\n"
        "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
        "sys.exit(status)\n")


def measured(argv, workdir, stdin=None):
    """Runs argv (stdout discarded) through the wrapper; returns (status, wall seconds, peak MiB)."""
    peak = os.path.join(workdir, "peak")
    start = time.perf_counter()
    with open(stdin or os.devnull, "rb") as inp:
        status = subprocess.run([sys.executable, "-c", PEAK, peak] + argv, stdin=inp).returncode
    wall = time.perf_counter() - start
    with open(peak) as f:
        return status, wall, int(f.read()) / 1024


def run_child(python, method, args, workdir):
    out = os.path.join(workdir, method.replace(":", "-") + ".json")
    status, wall, peak = measured([python, os.path.abspath(__file__), "--child", method, "--count", str(args.count),
                                   "--k", str(args.k), "--sample", str(args.sample), "--result", out], workdir)
    if status != 0:
        raise SystemExit(f"{method} failed")
    with open(out) as f:
        result = json.load(f)
    result["wall"] = wall
    result["rss_mib"] = peak
    return result


def run_ikmeta(ikmeta, args, hs, workdir):
    jsonl = os.path.join(workdir, "hashes.jsonl")
    with open(jsonl, "w") as f:
        for i, h in enumerate(hs):
            f.write(json.dumps({"file": name(i), "pHash": f"{h:016x}"}) + "\n")
    index = os.path.join(workdir, "hashes.ikidx")
    results = {}

    def timed(label, argv, stdin=None):
        start = time.perf_counter()
        with open(stdin or os.devnull, "rb") as inp:
            proc = subprocess.Popen(argv, stdin=inp, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            data, _ = proc.communicate()
        wall = time.perf_counter() - start
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{label} failed with status {proc.returncode}")
        results[label] = {"wall": wall}
        return data

    timed("index build", [ikmeta, "index", "build", "-q", jsonl, "-o", index])
    out = timed("similar (every hash a query)", [ikmeta, "similar", "-", "--index", index, "--jsonl",
                                                  "--max-distance", str(args.k)], stdin=jsonl)
    pairs = set()
    for line in out.splitlines():
        r = json.loads(line)
        i, j = int(r["query"][4:10]), int(r["file"][4:10])
        if i != j:
            pairs.add((min(i, j), max(i, j)))
    out = timed("duplicates", [ikmeta, "duplicates", index, "--jsonl", "--max-distance", str(args.k)])
    groups = [sorted(int(m["file"][4:10]) for m in json.loads(line)["group"]) for line in out.splitlines()]
    return results, sorted(pairs), groups


def components(count, pairs):
    parent = list(range(count))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups = {}
    for i in range(count):
        groups.setdefault(root(i), []).append(i)
    return sorted(g for g in groups.values() if len(g) > 1)


def peak_rss_mib(argv, workdir, stdin=None):
    return measured(argv, workdir, stdin)[2]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--count", type=int, default=100_000)
    p.add_argument("--k", type=int, default=4)
    p.add_argument("--sample", type=int, default=100)
    p.add_argument("--ikmeta", default=os.path.join(ROOT, ".build", "release", "ikmeta"))
    p.add_argument("--child")
    p.add_argument("--result")
    args = p.parse_args()
    hs = hashes(args.count)
    if args.child:
        with open(args.result, "w") as f:
            json.dump(child(args.child, hs, args.k, args.sample), f)
        return

    python = venv_python()
    with tempfile.TemporaryDirectory() as workdir:
        ik, ik_pairs, ik_groups = run_ikmeta(os.path.abspath(args.ikmeta), args, hs, workdir)
        index = os.path.join(workdir, "hashes.ikidx")
        jsonl = os.path.join(workdir, "hashes.jsonl")
        ik["similar (every hash a query)"]["rss_mib"] = peak_rss_mib(
            [args.ikmeta, "similar", "-", "--index", index, "--jsonl", "--max-distance", str(args.k)], workdir, jsonl)
        ik["duplicates"]["rss_mib"] = peak_rss_mib([args.ikmeta, "duplicates", index, "--jsonl", "--max-distance", str(args.k)], workdir)
        ik["index build"]["rss_mib"] = peak_rss_mib([args.ikmeta, "index", "build", "-q", jsonl, "-o", index], workdir)
        brute = run_child(python, "numpy", args, workdir)
        peers = {m: run_child(python, "imagededup:" + m, args, workdir) for m in ("bktree", "brute_force_cython", "brute_force")}

    brute_pairs = [tuple(x) for x in brute["pairs"]]
    print(f"{args.count} hashes, K = {args.k}; {len(brute_pairs)} pairs by brute force "
          f"({len(components(args.count, brute_pairs))} groups)\n")
    ik_all = ik["similar (every hash a query)"]["wall"]
    print("| method | time | peak memory | result | time / ikmeta similar |")
    print("|---|---:|---:|---|---:|")
    print(f"| numpy brute force, all pairs | {brute['wall']:.2f} s | {brute['rss_mib']:.0f} MiB | reference | "
          f"{brute['wall'] / ik_all:.1f}× |")
    for label, r in ik.items():
        if label == "similar (every hash a query)":
            result = "pairs equal brute force: " + ("yes" if ik_pairs == brute_pairs else "NO")
        elif label == "duplicates":
            result = "groups equal brute-force components: " + ("yes" if sorted(ik_groups) == components(args.count, brute_pairs) else "NO")
        else:
            result = "index of every hash"
        print(f"| ikmeta {label} | {r['wall']:.2f} s | {r['rss_mib']:.0f} MiB | {result} | {r['wall'] / ik_all:.1f}× |")
    for method, r in peers.items():
        queries = set(r["queries"])
        expected = sorted(p for p in brute_pairs if p[0] in queries or p[1] in queries)
        got = sorted(tuple(x) for x in r["pairs"])
        total = r["build"] + r["per_query"] * args.count
        print(f"| imagededup {method}: build + {len(queries)} queries, extrapolated to {args.count} | "
              f"{total:.0f} s ({r['per_query'] * 1000:.2f} ms/query) | {r['rss_mib']:.0f} MiB | "
              f"pairs of the sampled queries equal brute force: {'yes' if got == expected else 'NO'} ({len(got)}) | "
              f"{total / ik_all:.0f}× ikmeta similar |")


if __name__ == "__main__":
    main()
