#!/usr/bin/env python3
"""Server CPU per byte of boto3's PutObject over HTTPS, as boto3 sends it by default (≥ 1.36):
aws-chunked STREAMING-UNSIGNED-PAYLOAD-TRAILER with a CRC32 trailer, in 8 KiB TLS records.

usage: bench/boto3_put.py [--build build] [--size 256MiB] [--runs 5]

kura (pinned to CPU 0, one I/O thread, TLS on a self-signed certificate) and boto3 (pinned to
CPU 1) as in compare.py; per run one PutObject of --size bytes from memory; server CPU is the
process's utime+stime from /proc over the call, divided by the bytes. Prints the median and
min–max in ns per byte, and the wall-clock throughput.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time

import boto3
import botocore.config

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402  (start_kura, make_certificate, KEY, SECRET)
from wrk_load import cpu_us  # noqa: E402  (the server's utime+stime, as kura-bench --server-pid)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build")
    parser.add_argument("--size", default="256MiB")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    size = int(args.size.removesuffix("MiB")) << 20
    os.sched_setaffinity(0, {1})
    body = os.urandom(1 << 20) * (size >> 20)
    per_byte, speed = [], []
    with tempfile.TemporaryDirectory(prefix="kput") as tmp:
        cert = compare.make_certificate(tmp)
        proc, port, _ = compare.start_kura(os.path.abspath(args.build), tmp, tls=cert)
        try:
            s3 = boto3.client("s3", endpoint_url=f"https://127.0.0.1:{port}", region_name="us-east-1",
                              aws_access_key_id=compare.KEY, aws_secret_access_key=compare.SECRET,
                              verify=cert[0], config=botocore.config.Config(retries={"max_attempts": 1}))
            s3.create_bucket(Bucket="bench")
            for i in range(args.runs):
                before, started = cpu_us(proc.pid), time.monotonic()
                s3.put_object(Bucket="bench", Key=f"big-{i}", Body=body)
                took = time.monotonic() - started
                per_byte.append((cpu_us(proc.pid) - before) * 1e3 / size)
                speed.append(size / took / 1e6)
                s3.delete_object(Bucket="bench", Key=f"big-{i}")
        finally:
            proc.terminate()
            proc.wait()
    print(f"boto3 {boto3.__version__} PutObject {args.size} over HTTPS (aws-chunked, CRC32 trailer), "
          f"{args.runs} runs: server CPU {statistics.median(per_byte):.2f} ns/byte "
          f"({min(per_byte):.2f}–{max(per_byte):.2f}); {statistics.median(speed):.0f} MB/s wall "
          f"({min(speed):.0f}–{max(speed):.0f}); target ≤ 2 ns/byte")


if __name__ == "__main__":
    main()
