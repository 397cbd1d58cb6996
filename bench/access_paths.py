#!/usr/bin/env python3
"""Issue #13's cost of the authorization paths, as server CPU per 4 KiB GET (utime+stime of the
kura process from /proc, so the client's cost is not counted), in one kura, alternating
workloads, RUNS rounds; the table gives medians (min–max) and the ratio to the signed GET:

- signed by the root key: the fast path (the policies allow; no ACL is asked);
- anonymous, allowed by a public bucket policy (Principal "*"), ACLs disabled (BucketOwnerEnforced);
- anonymous, allowed by each object's `public-read` ACL on an ObjectWriter bucket: the policies
  implicitly deny, so the authorizer asks the ACL, which reads the object's row (the slow path).

kura is pinned to CPU 0 with one I/O thread, kura-bench to CPU 1.
usage: bench/access_paths.py [--build build] [--runs 5] [--duration 3s]
"""
import argparse
import json
import os
import statistics
import sys
import tempfile

import boto3
import botocore.config

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402  (start_kura, bench, KEY, SECRET)

OBJECTS = 1000


def client(port):
    return boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                        aws_access_key_id=compare.KEY, aws_secret_access_key=compare.SECRET,
                        config=botocore.config.Config(retries={"max_attempts": 1}))


def prepare(build, port, pid):
    s3 = client(port)
    for bucket in ("private", "by-policy", "by-acl"):
        compare.bench(build, port, pid, "prepare", "--objects", str(OBJECTS), "--size", "4KiB",
                      "--concurrency", "8", bucket=bucket)
    s3.put_bucket_policy(Bucket="by-policy", Policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                       "Resource": "arn:aws:s3:::by-policy/*"}]}))
    s3.put_bucket_ownership_controls(Bucket="by-acl", OwnershipControls={
        "Rules": [{"ObjectOwnership": "ObjectWriter"}]})
    for i in range(OBJECTS):
        s3.put_object_acl(Bucket="by-acl", Key=f"obj-{i}", ACL="public-read")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--duration", default="3s")
    args = parser.parse_args()
    build = os.path.abspath(args.build)
    cpu = open("/proc/cpuinfo").read().split("model name")[1].split(":", 1)[1].split("\n")[0].strip()
    print(f"CPU: {cpu}; {args.runs} rounds, medians (min–max)\n")
    workloads = {
        "signed (root), policies allow": ("private", []),
        "anonymous, public bucket policy": ("by-policy", ["--anonymous"]),
        "anonymous, public-read object ACL": ("by-acl", ["--anonymous"]),
    }
    load = ["--objects", str(OBJECTS), "--size", "4KiB", "--concurrency", "8", "--duration",
            args.duration, "--warmup", "1s"]
    with tempfile.TemporaryDirectory(prefix="kacl") as tmp:
        proc, port, _ = compare.start_kura(build, tmp)
        try:
            prepare(build, port, proc.pid)
            rows = {name: [] for name in workloads}
            for _ in range(args.runs):
                for name, (bucket, extra) in workloads.items():
                    r = compare.bench(build, port, proc.pid, "get", *load, *extra, bucket=bucket)
                    if r.get("errors"):
                        raise RuntimeError(f"{name}: errors {r['errors']}")
                    rows[name].append(r["server_cpu_us_per_op"])
        finally:
            proc.terminate()
            proc.wait()
    base = statistics.median(rows["signed (root), policies allow"])
    print("| 4 KiB GET | server CPU µs/op | ÷ signed |")
    print("|---|---|---|")
    for name, values in rows.items():
        m = statistics.median(values)
        print(f"| {name} | {m:.1f} ({min(values):.1f}–{max(values):.1f}) | {m / base:.2f} |")


if __name__ == "__main__":
    main()
