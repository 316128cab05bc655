#!/usr/bin/env python3
"""Load on one ikmeta-server: N official-SDK clients (separate processes) x M mixed requests.

Mix per client: 20% uploads, 30% files.metadata.get, 20% files.get, 10% assets.list,
10% GET of a file's url, 10% deletes (of the client's own files). Every request must succeed and
every file not deleted must still be there at the end. Reports p50/p99 latency, throughput and the
server's peak RSS, and (unless --no-write) writes them to Benchmarks/RESULTS.md.

    .venv-server/bin/python Benchmarks/server_load.py --clients 4 --requests 500
"""
import argparse
import multiprocessing
import os
import re
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "Tests", "Server"))
from server import KEY, SERVER, Server  # noqa: E402

IMAGES = [os.path.join(HERE, "..", "TestImages", n) for n in ("exif-camera.jpg", "icc-srgb.png", "progressive.jpg", "jfif-72dpi.jpg")]


def client_run(args):
    base_url, index, count = args
    from imagekitio import ImageKit
    client = ImageKit(private_key=KEY, base_url=base_url, max_retries=0, timeout=60)
    blobs = [open(p, "rb").read() for p in IMAGES if os.path.exists(p)]
    alive, deleted, latencies, failures = [], [], [], []
    for i in range(count):
        kind = i % 10
        if not alive or kind in (0, 1):
            kind = 0
        start = time.perf_counter()
        try:
            if kind == 0:
                alive.append(client.files.upload(file=blobs[i % len(blobs)], file_name=f"load-{index}-{i}.jpg", folder=f"/load/{index}").file_id)
            elif kind in (2, 3, 4):
                client.files.metadata.get(alive[i % len(alive)])
            elif kind in (5, 6):
                client.files.get(alive[i % len(alive)])
            elif kind == 7:
                client.assets.list(path=f"/load/{index}", limit=10)
            elif kind == 8:
                with urllib.request.urlopen(client.files.get(alive[-1]).url) as response:
                    response.read()
            else:
                victim = alive.pop(0)
                client.files.delete(victim)
                deleted.append(victim)
        except Exception as error:  # every failure is reported and fails the run
            failures.append(f"request {i} kind {kind}: {error!r}")
        latencies.append(time.perf_counter() - start)
    return latencies, failures, alive, deleted


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--requests", type=int, default=500, help="requests per client")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    args = parser.parse_args()

    server = Server().start()
    try:
        started = time.perf_counter()
        with multiprocessing.Pool(args.clients) as pool:
            results = pool.map(client_run, [(server.url, n, args.requests) for n in range(args.clients)])
        wall = time.perf_counter() - started
        peak_mib = server.peak_rss_kib() / 1024

        from imagekitio import ImageKit
        client = ImageKit(private_key=KEY, base_url=server.url, max_retries=0)
        latencies = [x for r in results for x in r[0]]
        failures = [x for r in results for x in r[1]]
        alive = [x for r in results for x in r[2]]
        deleted = [x for r in results for x in r[3]]
        listed = {f.file_id for n in range(args.clients) for f in client.assets.list(path=f"/load/{n}", limit=1000)}
        lost = [x for x in alive if x not in listed]
        resurrected = [x for x in deleted if x in listed]
    finally:
        server.stop()

    total = len(latencies)
    lines = [
        f"{args.clients} SDK clients (processes) x {args.requests} mixed requests = {total} requests, one server ({os.path.basename(os.path.dirname(SERVER))} build, {os.cpu_count()} cores shared with the clients and any other load)",
        "",
        "| requests | failed | p50 ms | p99 ms | throughput req/s | server peak RSS MiB | files kept / lost |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {total} | {len(failures)} | {percentile(latencies, 50) * 1000:.1f} | {percentile(latencies, 99) * 1000:.1f} | "
        f"{total / wall:.0f} | {peak_mib:.1f} | {len(alive)} / {len(lost)} |",
    ]
    print("\n".join(lines))
    for failure in failures[:10]:
        print("FAILED", failure)
    if not args.no_write and not failures and not lost:
        write_results("\n".join(lines))
    if failures or lost or resurrected:
        print(f"{len(failures)} failed requests, {len(lost)} lost files, {len(resurrected)} deleted files still listed")
        sys.exit(1)


def write_results(table):
    path = os.path.join(HERE, "RESULTS.md")
    with open(path) as f:
        text = f.read()
    section = ("## ikmeta-server under load\n\nMeasured by `Benchmarks/server_load.py` (latency is per SDK call, seen by "
               "the client; throughput is all requests over the wall time; peak RSS is the server's VmHWM). The mix "
               "is 20% uploads (each a full metadata read with the exact pHash), 30% metadata, 20% details, "
               "10% list, 10% file bytes, 10% deletes; every file not deleted is checked to be listed at the end.\n\n"
               + table + "\n")
    pattern = re.compile(r"## ikmeta-server under load\n.*?(?=\n## |\Z)", re.S)
    text = pattern.sub(section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
    with open(path, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
