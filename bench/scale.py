#!/usr/bin/env python3
"""The scale rows of the bench/README.md table, which compare.py's short runs cannot show:

- ListObjectsV2: the time of one 1000-key page in a bucket of 1 K keys and in one of 1 M keys;
- start-up: how long a restarted kura takes to accept connections and to answer a request
  with 1 M objects stored, and its idle RSS then;
- memory: the peak RSS while 64 clients each upload a 1 GiB object at once (the uploads are
  cut off after --upload-seconds plus kura-bench's 30 s drain; the server must drop them whole, leaving no object).

kura is pinned to CPU 0 with one I/O thread, kura-bench to CPU 1, as in compare.py.

usage: bench/scale.py [--build build] [--objects 1000000] [--runs 5] [--upload-seconds 20]
"""
import argparse
import os
import signal
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time

import boto3
import botocore.config

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import KEY, SECRET, bench, rss_mib, start_kura  # noqa: E402


def status_kib(pid, field):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def first_answer_seconds(port, t0):
    """Seconds from t0 until kura answers a request (an anonymous ListBuckets: 403 from the
    whole pipeline), not just accepts a connection."""
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as c:
                c.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if c.recv(12).startswith(b"HTTP/1.1 "):
                    return time.time() - t0
        except OSError:
            time.sleep(0.001)


def restart(build, tmp, kura):
    kura.send_signal(signal.SIGTERM)
    kura.wait()
    os.sync()
    t0 = time.time()
    proc, port, ready = start_kura(build, tmp)
    return proc, port, ready, first_answer_seconds(port, t0)


def list_page_rows(build, port, pid, objects, runs):
    """Alternating runs: the small bucket is one page per listing, the large one objects/1000."""
    small, large = [], []
    for _ in range(runs):
        r = bench(build, port, pid, "list", "--bucket", "small", "--key-prefix", "", "--max-keys", "1000",
                  "--concurrency", "1", "--duration", "3s", "--warmup", "1s")
        small.append((r["seconds"] / r["requests"] * 1e3, r["server_cpu_us"] / r["requests"]))
        r = bench(build, port, pid, "list", "--bucket", "large", "--key-prefix", "", "--max-keys", "1000",
                  "--concurrency", "1", "--requests", "1", "--warmup", "0s")
        large.append((r["seconds"] / r["requests"] * 1e3, r["server_cpu_us"] / r["requests"]))
    return small, large


def upload_memory(build, port, pid, seconds):
    peak = [0.0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], status_kib(pid, "VmRSS") / 1024)
            time.sleep(0.1)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        r = bench(build, port, pid, "put", "--bucket", "uploads", "--objects", "64", "--key-prefix", "big-",
                  "--size", "1GiB", "--payload", "unsigned", "--concurrency", "64", "--duration", f"{seconds}s",
                  "--warmup", "0s")
    except RuntimeError as e:  # cut-off uploads end as errors; the JSON still came
        r = {"error": str(e)}
    done.set()
    sampler.join()
    return peak[0], r


def s3(port):
    return boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                        aws_access_key_id=KEY, aws_secret_access_key=SECRET,
                        config=botocore.config.Config(retries={"max_attempts": 0}))


def fmt(values, unit):
    return f"{statistics.median(values):,.2f} {unit} ({min(values):,.2f}–{max(values):,.2f})"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--objects", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--upload-seconds", type=int, default=20)
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    tmp = tempfile.mkdtemp(prefix="kura-scale-")
    kura, port, _ = start_kura(build, tmp)
    try:
        bench(build, port, kura.pid, "prepare", "--bucket", "small", "--objects", "1000", "--size", "0",
              "--concurrency", "32")
        t0 = time.time()
        bench(build, port, kura.pid, "prepare", "--bucket", "large", "--objects", str(args.objects), "--size", "0",
              "--concurrency", "64")
        print(f"stored {args.objects:,} empty objects in {time.time() - t0:.0f} s")

        small, large = list_page_rows(build, port, kura.pid, args.objects, args.runs)
        print(f"| ListObjectsV2 1000-key page, bucket of 1 K keys | {fmt([s[0] for s in small], 'ms')} | "
              f"{statistics.median(s[1] for s in small):.0f} server µs/page |")
        print(f"| ListObjectsV2 1000-key page, bucket of {args.objects:,} keys (every page) | "
              f"{fmt([s[0] for s in large], 'ms')} | {statistics.median(s[1] for s in large):.0f} server µs/page |")
        ratio = statistics.median(s[0] for s in large) / statistics.median(s[0] for s in small)
        print(f"page time ratio large/small: {ratio:.2f}")

        accept, answer, rss = [], [], []
        for _ in range(args.runs):
            kura, port, ready, answered = restart(build, tmp, kura)
            accept.append(ready * 1e3)
            answer.append(answered * 1e3)
            time.sleep(0.5)
            rss.append(rss_mib(kura.pid))
        print(f"| start-up with {args.objects:,} objects: accepting | {fmt(accept, 'ms')} |")
        print(f"| start-up with {args.objects:,} objects: first request answered | {fmt(answer, 'ms')} |")
        print(f"| idle RSS after start-up with {args.objects:,} objects | {fmt(rss, 'MiB')} |")

        s3(port).create_bucket(Bucket="uploads")
        before = rss_mib(kura.pid)
        peak, r = upload_memory(build, port, kura.pid, args.upload_seconds)
        received = r.get("bytes", 0) if isinstance(r, dict) else 0
        time.sleep(1)
        left = s3(port).list_objects_v2(Bucket="uploads").get("KeyCount", 0)
        print(f"| 64 concurrent 1 GiB uploads for {args.upload_seconds} s | peak RSS {peak:.1f} MiB "
              f"(before: {before:.1f} MiB) | objects completed {left}; temp files left "
              f"{len(os.listdir(os.path.join(tmp, 'kura', 'tmp')))} |")
        if "error" in r:
            print(f"  (kura-bench: {r['error'][:300]})")
        print(f"load average at the end: {os.getloadavg()}")
    finally:
        kura.send_signal(signal.SIGTERM)
        kura.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
