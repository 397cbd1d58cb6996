#!/usr/bin/env python3
"""Issue #12's performance targets, measured as server CPU per operation (utime+stime of the kura
process from /proc, so the client's own cost is not counted):

1. GET / HEAD / PUT of 4 KiB on a versioning-enabled bucket against an unversioned one, in the
   same kura, alternating bucket by bucket, RUNS rounds; the table gives medians and the ratio.
   On the versioned bucket every PUT adds a version (the key space holds 1000 keys), so the GET
   and HEAD rows read keys that have many noncurrent versions behind them.
2. One ListObjectVersions page of 1000 on a bucket of VERSIONS versions spread over KEYS keys
   against one ListObjectsV2 page of 1000 of the same bucket (pages taken at random key markers).

kura is pinned to CPU 0 with one I/O thread, kura-bench to CPU 1.
usage: bench/versioning.py [--build build] [--runs 5] [--duration 3s] [--keys 100000] [--versions 1000000]
"""
import argparse
import os
import random
import statistics
import sys
import tempfile
import time

import boto3
import botocore.config

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402  (start_kura, bench, KEY, SECRET)


def client(port):
    return boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                        aws_access_key_id=compare.KEY, aws_secret_access_key=compare.SECRET,
                        config=botocore.config.Config(retries={"max_attempts": 1}))


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def small_objects(build, port, pid, runs, duration):
    s3 = client(port)
    s3.create_bucket(Bucket="versioned")
    s3.put_bucket_versioning(Bucket="versioned", VersioningConfiguration={"Status": "Enabled"})
    objects = ["--objects", "1000", "--size", "4KiB"]
    load = ["--concurrency", "8", "--duration", duration, "--warmup", "1s"]
    for bucket in ("plain", "versioned"):
        compare.bench(build, port, pid, "prepare", *objects, "--concurrency", "8", bucket=bucket)
    rows = {}
    for _ in range(runs):
        for workload in ("put", "get", "head"):
            for bucket in ("plain", "versioned"):
                r = compare.bench(build, port, pid, workload, *objects, *load, bucket=bucket)
                if r.get("errors"):
                    raise RuntimeError(f"{workload} on {bucket}: errors {r['errors']}")
                rows.setdefault((workload, bucket), []).append(r["server_cpu_us_per_op"])
    print("| 4 KiB, server CPU µs/op | unversioned | versioning Enabled | ratio |")
    print("|---|---|---|---|")
    for workload in ("get", "head", "put"):
        a, b = rows[(workload, "plain")], rows[(workload, "versioned")]
        ma, mb = statistics.median(a), statistics.median(b)
        print(f"| {workload.upper()} | {ma:.1f} ({min(a):.1f}–{max(a):.1f}) | {mb:.1f} ({min(b):.1f}–{max(b):.1f}) "
              f"| {mb / ma:.2f} |")


def list_pages(build, port, pid, keys, versions, pages, rounds):
    s3 = client(port)
    s3.create_bucket(Bucket="many")
    s3.put_bucket_versioning(Bucket="many", VersioningConfiguration={"Status": "Enabled"})
    t0 = time.time()
    compare.bench(build, port, pid, "prepare", "--objects", str(keys), "--size", "0", "--concurrency", "16",
                  bucket="many")
    if versions > keys:
        compare.bench(build, port, pid, "put", "--objects", str(keys), "--size", "0", "--concurrency", "16",
                      "--requests", str(versions - keys), "--duration", "0", "--warmup", "0s", bucket="many")
    print(f"\nfilled {versions} versions of {keys} keys in {time.time() - t0:.0f} s", file=sys.stderr)
    rng = random.Random(12)
    markers = [f"obj-{rng.randrange(keys)}" for _ in range(pages)]
    calls = {"ListObjectsV2": lambda m: s3.list_objects_v2(Bucket="many", StartAfter=m, MaxKeys=1000),
             "ListObjectVersions": lambda m: s3.list_object_versions(Bucket="many", KeyMarker=m, MaxKeys=1000)}
    # /proc's CPU times tick every 10 ms, longer than a page: each sample is `pages` pages.
    cost = {name: [] for name in calls}
    for _ in range(rounds):
        for name, call in calls.items():
            before = cpu_seconds(pid)
            for marker in markers:
                page = call(marker)
                entries = len(page.get("Contents", [])) + len(page.get("Versions", [])) + \
                    len(page.get("DeleteMarkers", []))
                assert entries == 1000 or not page.get("IsTruncated"), (name, entries)
            cost[name].append((cpu_seconds(pid) - before) * 1e3 / len(markers))
    print(f"\n| page of 1000, {versions} versions of {keys} keys | server CPU ms per page "
          f"(median of {rounds} samples of {pages} pages, min–max) |")
    print("|---|---|")
    for name, ms in cost.items():
        print(f"| {name} | {statistics.median(ms):.2f} ({min(ms):.2f}–{max(ms):.2f}) |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--duration", default="3s")
    parser.add_argument("--keys", type=int, default=100_000)
    parser.add_argument("--versions", type=int, default=1_000_000)
    parser.add_argument("--pages", type=int, default=50)
    args = parser.parse_args()
    build = os.path.abspath(args.build)
    cpu = open("/proc/cpuinfo").read().split("model name")[1].split(":", 1)[1].split("\n")[0].strip()
    print(f"CPU: {cpu}; {args.runs} rounds, medians (min–max)\n")
    with tempfile.TemporaryDirectory(prefix="kver") as tmp:
        proc, port, _ = compare.start_kura(build, tmp)
        try:
            small_objects(build, port, proc.pid, args.runs, args.duration)
            list_pages(build, port, proc.pid, args.keys, args.versions, args.pages, args.runs)
        finally:
            proc.terminate()
            proc.wait()


if __name__ == "__main__":
    main()
