#!/usr/bin/env python3
"""Server CPU per operation of two kura builds, A and B, on the same machine in the same run:
each kura is pinned to CPU 0 with one I/O thread, kura-bench (B's) to CPU 1; every round runs
each workload against A then B (alternating, RUNS rounds) and the table gives medians of the
server's CPU-µs per operation (utime+stime from /proc, `--server-pid`) and B ÷ A.

Workloads: 4 KiB GET and PUT signed by the root key, 4 KiB GET signed by an IAM user's long-term
key (an s3:* user policy), AssumeRole by an IAM user, and 4 KiB GET and PUT signed with that
role's session credentials (session token, role and session policy).

usage: bench/ab.py A_KURA B_KURA [--bench build/kura-bench]  (a binary named kura-bench) [--runs 5] [--duration 5s]
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
import compare  # noqa: E402  (start_kura, bench, setup_role)


def session_credentials(port, role, user):
    sts = boto3.client("sts", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                       aws_access_key_id=user[0], aws_secret_access_key=user[1],
                       config=botocore.config.Config(retries={"max_attempts": 1}))
    policy = {"Version": "2012-10-17",
              "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::bench/*"}]}
    c = sts.assume_role(RoleArn=role, RoleSessionName="ab", Policy=json.dumps(policy),
                        DurationSeconds=3600)["Credentials"]
    return c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"]


def one_round(kura, bench_dir, duration):
    """CPU-µs/op of each workload against a fresh kura binary `kura`."""
    with tempfile.TemporaryDirectory(prefix="kab") as tmp:
        os.makedirs(f"{tmp}/bin")
        os.symlink(os.path.abspath(kura), f"{tmp}/bin/kura")
        proc, port, _ = compare.start_kura(f"{tmp}/bin", tmp)
        try:
            run = lambda *a, **k: compare.bench(bench_dir, port, proc.pid, *a, **k)
            load = ["--concurrency", "8", "--duration", duration, "--warmup", "1s"]
            objects = ["--objects", "1000", "--size", "4KiB"]
            run("prepare", *objects, "--concurrency", "8")
            role, user, reader = compare.setup_role(port)
            session = session_credentials(port, role, user)
            token = ["--session-token", session[2]]
            results = {
                "GET 4 KiB": run("get", *objects, *load),
                "GET 4 KiB, IAM user's key": run("get", *objects, *load, creds=reader),
                "PUT 4 KiB": run("put", *objects, *load),
                "AssumeRole": run("assume-role", "--role-arn", role, *load, creds=user),
                "GET 4 KiB, session": run("get", *objects, *load, token_args=token, creds=session[:2]),
                "PUT 4 KiB, session": run("put", *objects, *load, token_args=token, creds=session[:2]),
            }
            for name, r in results.items():
                if r.get("errors"):
                    raise RuntimeError(f"{name} against {kura}: errors {r['errors']}")
            return {name: r["server_cpu_us_per_op"] for name, r in results.items()}
        finally:
            proc.terminate()
            proc.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--bench", default="build/kura-bench")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--duration", default="5s")
    args = parser.parse_args()
    bench_dir = os.path.dirname(os.path.abspath(args.bench))
    rounds = {"a": [], "b": []}
    for i in range(args.runs):
        for side in ("a", "b"):
            rounds[side].append(one_round(getattr(args, side), bench_dir, args.duration))
        print(f"round {i + 1}/{args.runs} done", file=sys.stderr, flush=True)
    cpu = open("/proc/cpuinfo").read().split("model name")[1].split(":", 1)[1].split("\n")[0].strip()
    print(f"CPU: {cpu}; {args.runs} rounds, medians (min–max) of server CPU µs/op\n")
    print("| workload | A | B | B ÷ A |")
    print("|---|---|---|---|")
    for name in rounds["a"][0]:
        a = [r[name] for r in rounds["a"]]
        b = [r[name] for r in rounds["b"]]
        ma, mb = statistics.median(a), statistics.median(b)
        print(f"| {name} | {ma:.1f} ({min(a):.1f}–{max(a):.1f}) | {mb:.1f} ({min(b):.1f}–{max(b):.1f}) "
              f"| {mb / ma:.2f} |")


if __name__ == "__main__":
    main()
