#!/usr/bin/env python3
"""Issue #14's cost of SSE-S3, in one kura, RUNS rounds alternating encrypted and plain runs of
each workload; the table gives medians (min–max), server CPU per operation (utime+stime of the
kura process from /proc, so the client's cost is not counted) and the ratio each target names:

- PUT 1 GiB, one stream, UNSIGNED-PAYLOAD (so the server's own SHA-256 does not hide the cipher):
  SSE-S3 ÷ plain, GB/s (target ≥ 0.9);
- GET 1 GiB hot (the second read after the PUT, whose O_DIRECT writes bypass the page cache),
  one stream: SSE-S3 GB/s (target ≥ 1.2 GB/s; plain for reference, served by sendfile);
- GET 4 KiB, 8 connections: plain server-CPU ÷ SSE-S3 server-CPU per GET (target ≥ 0.85);
- GET of 1 MiB (Range) from the middle of the 1 GiB SSE-S3 object, one connection: server CPU
  against a whole 1 MiB SSE-S3 object's GET — a range that decrypts only its own segments
  (≤ 2 more) costs about the same (target: ratio ≈ 1; a decrypt from the start would be ~500×).

kura is pinned to CPU 0 with one I/O thread, kura-bench to CPU 1. A kura that does not encrypt
answers the SSE requests 501 NotImplemented: the script says so and exits 2. `--sse none` runs
the "encrypted" side without SSE headers (every ratio ≈ 1), to check the script itself.
usage: bench/sse.py [--build build] [--runs 5] [--duration 3s] [--big 1GiB] [--sse AES256|none]
"""
import argparse
import os
import statistics
import sys
import tempfile

import boto3
import botocore.config
import botocore.exceptions

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402  (start_kura, bench, KEY, SECRET)

SMALL_OBJECTS = 1000


class NotEncrypting(Exception):
    """kura refused an SSE request with 501: it was built without encryption at rest."""


def client(port):
    return boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                        aws_access_key_id=compare.KEY, aws_secret_access_key=compare.SECRET,
                        config=botocore.config.Config(retries={"max_attempts": 1}))


def check_encrypts(port, sse):
    if not sse:
        return
    s3 = client(port)
    s3.create_bucket(Bucket="sse-probe")
    try:
        put = s3.put_object(Bucket="sse-probe", Key="probe", Body=b"x", ServerSideEncryption="AES256")
    except botocore.exceptions.ClientError as e:
        if e.response["ResponseMetadata"]["HTTPStatusCode"] == 501:
            raise NotEncrypting(e.response["Error"].get("Message", "")) from e
        raise
    if put.get("ServerSideEncryption") != "AES256":
        raise NotEncrypting("PutObject with x-amz-server-side-encryption: AES256 answered 200 "
                            "without saying the object is encrypted")


def run(build, port, pid, workload, *args, bucket):
    r = compare.bench(build, port, pid, workload, *args, bucket=bucket)
    if r.get("errors"):
        kinds = r.get("errors_by_kind", {})
        if "501" in kinds:
            raise NotEncrypting(f"{workload} {' '.join(args)}: 501 NotImplemented")
        raise RuntimeError(f"{workload} {' '.join(args)} on {bucket}: errors {kinds}")
    return r


def prepare(build, port, pid, sse_args):
    for bucket, extra in (("plain", []), ("sse", sse_args)):
        run(build, port, pid, "prepare", "--objects", str(SMALL_OBJECTS), "--size", "4KiB",
            "--concurrency", "8", *extra, bucket=bucket)
    run(build, port, pid, "prepare", "--objects", "1", "--key-prefix", "mib-", "--size", "1MiB",
        "--concurrency", "1", *sse_args, bucket="sse")


def one_round(build, port, pid, args, sse_args, rows):
    big = ["--objects", "1", "--key-prefix", "big-", "--size", args.big, "--concurrency", "1"]
    once = big + ["--requests", "1", "--warmup", "0s"]
    timed = ["--duration", args.duration, "--warmup", "1s"]
    for bucket, extra in (("sse", sse_args), ("plain", [])):
        rows[f"put_big_{bucket}"].append(
            run(build, port, pid, "put", "--payload", "unsigned", *once, *extra, bucket=bucket))
    for bucket, extra in (("sse", sse_args), ("plain", [])):
        run(build, port, pid, "get", *once, *extra, bucket=bucket)  # the first read fills the cache
        rows[f"get_big_{bucket}"].append(run(build, port, pid, "get", *once, *extra, bucket=bucket))
    small = ["--objects", str(SMALL_OBJECTS), "--size", "4KiB", "--concurrency", "8", *timed]
    for bucket, extra in (("sse", sse_args), ("plain", [])):
        rows[f"get_small_{bucket}"].append(run(build, port, pid, "get", *small, *extra, bucket=bucket))
    middle = parse_size(args.big) // 2 + 12345  # not on a segment boundary
    rows["range_sse"].append(run(build, port, pid, "get", *big, "--range", f"{middle}:1MiB", *timed,
                                 *sse_args, bucket="sse"))
    rows["whole_mib_sse"].append(run(build, port, pid, "get", "--objects", "1", "--key-prefix", "mib-",
                                     "--size", "1MiB", "--concurrency", "1", *timed, *sse_args,
                                     bucket="sse"))


def parse_size(text):
    units = {"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30}
    for unit, factor in units.items():
        if text.endswith(unit):
            return int(text[: -len(unit)]) * factor
    return int(text)


def stat(runs, key):
    values = [key(r) for r in runs]
    return statistics.median(values), min(values), max(values)


def row(name, runs, key, unit, ratio="", target=""):
    med, lo, hi = stat(runs, key)
    digits = 2 if med < 10 else 1
    cpu = statistics.median(r.get("server_cpu_us_per_op", 0) for r in runs)
    return (f"| {name} | {med:,.{digits}f} {unit} | {lo:,.{digits}f}–{hi:,.{digits}f} | {cpu:,.1f} | "
            f"{ratio} | {target} |")


def print_table(rows, big, sse_label):
    gbs = lambda r: r["mb_per_sec"] / 1000.0
    cpu = lambda r: r["server_cpu_us_per_op"]
    p50 = lambda r: r["latency_us"]["p50"]
    med = lambda name, key: statistics.median(key(r) for r in rows[name])
    put_ratio = med("put_big_sse", gbs) / med("put_big_plain", gbs)
    get_small_ratio = med("get_small_plain", cpu) / med("get_small_sse", cpu)
    range_ratio = med("range_sse", cpu) / med("whole_mib_sse", cpu)
    get_big = med("get_big_sse", gbs)
    verdict = lambda ok: "met" if ok else "**missed**"
    print("| workload | median | min–max | server CPU µs/op | ratio | target |")
    print("|---|---|---|---|---|---|")
    print(row(f"PUT {big} {sse_label}, 1 stream", rows["put_big_sse"], gbs, "GB/s",
              f"{put_ratio:.2f} of plain", f"≥ 0.9: {verdict(put_ratio >= 0.9)}"))
    print(row(f"PUT {big} plain, 1 stream", rows["put_big_plain"], gbs, "GB/s"))
    print(row(f"GET {big} {sse_label} hot, 1 stream", rows["get_big_sse"], gbs, "GB/s",
              f"{get_big / 1.2:.2f} of 1.2 GB/s", f"≥ 1.2 GB/s: {verdict(get_big >= 1.2)}"))
    print(row(f"GET {big} plain hot, 1 stream (sendfile)", rows["get_big_plain"], gbs, "GB/s"))
    print(row(f"GET 4 KiB {sse_label}, 8 conns", rows["get_small_sse"], cpu, "µs/op",
              f"{get_small_ratio:.2f} of plain", f"≥ 0.85: {verdict(get_small_ratio >= 0.85)}"))
    print(row("GET 4 KiB plain, 8 conns", rows["get_small_plain"], cpu, "µs/op"))
    print(row(f"GET 1 MiB range from the middle of {big} {sse_label}, 1 conn", rows["range_sse"], cpu,
              "µs/op", f"{range_ratio:.2f} of a whole 1 MiB object", "≈ 1 (≤ 2 extra segments)"))
    print(row(f"GET whole 1 MiB {sse_label} object, 1 conn", rows["whole_mib_sse"], cpu, "µs/op"))
    print(f"\np50 latency: range {med('range_sse', p50):,.0f} µs, whole 1 MiB {med('whole_mib_sse', p50):,.0f} µs")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--duration", default="3s")
    parser.add_argument("--big", default="1GiB")
    parser.add_argument("--sse", default="AES256", choices=["AES256", "none"])
    args = parser.parse_args()
    build = os.path.abspath(args.build)
    sse_args = ["--sse", args.sse] if args.sse != "none" else []
    sse_label = "SSE-S3" if sse_args else "plain (--sse none)"
    cpu = open("/proc/cpuinfo").read().split("model name")[1].split(":", 1)[1].split("\n")[0].strip()
    print(f"CPU: {cpu}; load average {os.getloadavg()[0]:.1f}; {args.runs} rounds, medians (min–max)\n")
    rows = {name: [] for name in ["put_big_sse", "put_big_plain", "get_big_sse", "get_big_plain",
                                  "get_small_sse", "get_small_plain", "range_sse", "whole_mib_sse"]}
    with tempfile.TemporaryDirectory(prefix="ksse") as tmp:
        proc, port, _ = compare.start_kura(build, tmp)
        try:
            check_encrypts(port, bool(sse_args))
            prepare(build, port, proc.pid, sse_args)
            for _ in range(args.runs):
                one_round(build, port, proc.pid, args, sse_args, rows)
        except NotEncrypting as e:
            print(f"sse.py: this kura does not encrypt objects ({e}); build one with SSE "
                  "(issue #14), or run with --sse none to check the script", file=sys.stderr)
            sys.exit(2)
        finally:
            proc.terminate()
            proc.wait()
    print_table(rows, args.big, sse_label)


if __name__ == "__main__":
    main()
