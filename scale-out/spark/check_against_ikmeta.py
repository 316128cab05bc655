"""Checks a near_duplicates.py run against ikmeta itself on the same files:

    python check_against_ikmeta.py --output OUT --index files.ikidx --max-distance K --ikmeta PATH

- every pHash in OUT/metadata equals the index's entry for that path;
- the pairs in OUT/pairs equal the pairs `ikmeta similar` finds with every indexed hash as a query;
- the connected components of those pairs equal the groups of `ikmeta duplicates`.
"""
import argparse
import json
import subprocess
import sys

from pyspark.sql import SparkSession


def components(pairs):
    parent = {}

    def root(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups = {}
    for x in list(parent):
        groups.setdefault(root(x), set()).add(x)
    return sorted(sorted(g) for g in groups.values())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--output", required=True)
    p.add_argument("--index", required=True)
    p.add_argument("--max-distance", type=int, required=True)
    p.add_argument("--ikmeta", required=True)
    args = p.parse_args()
    k = str(args.max_distance)

    listed = subprocess.run([args.ikmeta, "index", "list", args.index], check=True, capture_output=True).stdout
    hashes = {json.loads(l)["file"]: json.loads(l)["pHash"] for l in listed.splitlines()}
    found = subprocess.run([args.ikmeta, "similar", "-", "--index", args.index, "--jsonl", "--max-distance", k],
                           input=listed, capture_output=True)
    if found.returncode not in (0, 1):
        sys.exit(f"ikmeta similar failed: {found.stderr.decode()}")
    ikmeta_pairs = set()
    for line in found.stdout.splitlines():
        r = json.loads(line)
        if r["query"] != r["file"]:
            ikmeta_pairs.add((min(r["query"], r["file"]), max(r["query"], r["file"]), r["distance"]))
    dup = subprocess.run([args.ikmeta, "duplicates", args.index, "--jsonl", "--max-distance", k], capture_output=True)
    if dup.returncode not in (0, 1):
        sys.exit(f"ikmeta duplicates failed: {dup.stderr.decode()}")
    ikmeta_groups = sorted(sorted(m["file"] for m in json.loads(l)["group"]) for l in dup.stdout.splitlines())

    spark = SparkSession.builder.appName("ikmeta-check").getOrCreate()
    rows = spark.read.parquet(args.output + "/metadata").select("path", "pHash", "phash64").collect()
    spark_pairs = {(r.path_a, r.path_b, r.distance) for r in spark.read.parquet(args.output + "/pairs").collect()}
    spark.stop()

    failures = []
    with_hash = {r.path: r for r in rows if r.pHash is not None}
    if set(with_hash) != set(hashes):
        failures.append(f"hashed files differ: {len(with_hash)} in Spark, {len(hashes)} in the index")
    for path, r in with_hash.items():
        if hashes.get(path) not in (None, r.pHash) or (r.phash64 % (1 << 64)) != int(r.pHash, 16):
            failures.append(f"{path}: pHash {r.pHash} / {r.phash64} vs index {hashes.get(path)}")
    if spark_pairs != ikmeta_pairs:
        failures.append(f"pairs differ: {len(spark_pairs - ikmeta_pairs)} only in Spark, {len(ikmeta_pairs - spark_pairs)} only in ikmeta")
    if components((a, b) for a, b, _ in spark_pairs) != ikmeta_groups:
        failures.append("the groups of the Spark pairs differ from `ikmeta duplicates`")
    print(f"{len(rows)} files, {len(with_hash)} hashed, {len(spark_pairs)} pairs within {k} bits, {len(ikmeta_groups)} groups")
    if failures:
        sys.exit("\n".join(failures))
    print("Spark pairs equal ikmeta's")


if __name__ == "__main__":
    main()
