#!/usr/bin/env python3
"""Issue #15's cost of accounts on the request path: server CPU per signed GET of a 4 KiB object
by an IAM user, in a kura holding one account against one holding ACCOUNTS accounts of USERS
users each (every user with an access key), target: within 3% (ratio ≤ 1.03).

Both servers run at once (each pinned to CPU 0 with one I/O thread; kura-bench on CPU 1); the
GET rows alternate between them RUNS times, and the table gives medians (min–max) of server CPU
µs per GET (utime+stime of the kura process from /proc, so the client's cost is not counted).
The accounts are made through the Organizations API and their users through IAM as each account's
root, in parallel, before the first run.

With --restart the server holding the accounts is restarted after making them, so that it is
measured as a server holds them after a start rather than after 20 000 IAM writes.

usage: bench/accounts.py [--build build] [--runs 5] [--duration 3s] [--accounts 1000] [--users 10]
                         [--restart]
"""
import argparse
import concurrent.futures
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
CONFIG = botocore.config.Config(retries={"max_attempts": 3}, max_pool_connections=16)


def client(port, service, key=compare.KEY, secret=compare.SECRET):
    return boto3.client(service, endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                        aws_access_key_id=key, aws_secret_access_key=secret, config=CONFIG)


def reader(port):
    """An IAM user of the management account allowed to read everything: the measured signer."""
    iam = client(port, "iam")
    iam.create_user(UserName="reader")
    iam.put_user_policy(UserName="reader", PolicyName="read", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}))
    key = iam.create_access_key(UserName="reader")["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


def add_account(port, data_dir, index, users):
    org = client(port, "organizations")
    status = org.create_account(Email=f"team{index}@example.com", AccountName=f"team-{index}")
    account = org.describe_create_account_status(
        CreateAccountRequestId=status["CreateAccountStatus"]["Id"])["CreateAccountStatus"]["AccountId"]
    key, secret = open(f"{data_dir}/accounts/{account}/root-credentials").read().split()
    iam = client(port, "iam", key, secret)
    for u in range(users):
        iam.create_user(UserName=f"user-{u}")
        iam.create_access_key(UserName=f"user-{u}")


def populate(port, data_dir, accounts, users):
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        for f in [pool.submit(add_account, port, data_dir, i, users) for i in range(accounts)]:
            f.result()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--duration", default="3s")
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--restart", action="store_true",
                        help="restart the server holding the accounts before measuring")
    args = parser.parse_args()
    build = os.path.abspath(args.build)
    cpu = open("/proc/cpuinfo").read().split("model name")[1].split(":", 1)[1].split("\n")[0].strip()
    print(f"CPU: {cpu}; load average {os.getloadavg()[0]:.1f}; {args.runs} rounds, medians (min–max)\n")
    rows = {"one": [], "many": []}
    with tempfile.TemporaryDirectory(prefix="kacct1") as t1, tempfile.TemporaryDirectory(prefix="kacctN") as tn:
        one, one_port, _ = compare.start_kura(build, t1)
        many, many_port, _ = compare.start_kura(build, tn)
        servers = {"one": (one, one_port), "many": (many, many_port)}
        try:
            populate(many_port, f"{tn}/kura", args.accounts, args.users)
            if args.restart:
                # Measure the accounts as a (re)started server holds them, without the heap
                # history of the 20 000 IAM writes that made them (see bench/README.md).
                many.terminate()
                many.wait()
                many, many_port, _ = compare.start_kura(build, tn)
                servers["many"] = (many, many_port)
            creds = {}
            for name, (proc, port) in servers.items():
                creds[name] = reader(port)
                compare.bench(build, port, proc.pid, "prepare", "--objects", str(OBJECTS), "--size", "4KiB",
                              "--concurrency", "8")
            for round_index in range(args.runs):
                order = list(servers.items())
                if round_index % 2:
                    order.reverse()  # neither server always runs first in a round
                for name, (proc, port) in order:
                    r = compare.bench(build, port, proc.pid, "get", "--objects", str(OBJECTS), "--size", "4KiB",
                                      "--concurrency", "8", "--duration", args.duration, "--warmup", "1s",
                                      creds=creds[name])
                    if r.get("errors"):
                        raise RuntimeError(f"GET on {name}: errors {r.get('errors_by_kind')}")
                    rows[name].append(r)
        finally:
            for proc, _ in servers.values():
                proc.terminate()
                proc.wait()
    cpu_of = lambda r: r["server_cpu_us_per_op"]
    med = {name: statistics.median(cpu_of(r) for r in runs) for name, runs in rows.items()}
    ratio = med["many"] / med["one"]
    for name in rows:
        print(f"{name}: " + ", ".join(f"{cpu_of(r):.1f}" for r in rows[name]) + " µs/GET by run")
    print()
    print("| kura holding | server CPU µs per GET 4 KiB (median) | min–max | GET/s (median) | ratio |")
    print("|---|---|---|---|---|")
    for name, label in (("one", "1 account"), ("many", f"{args.accounts + 1:,} accounts × {args.users} users")):
        values = [cpu_of(r) for r in rows[name]]
        ops = statistics.median(r["ops_per_sec"] for r in rows[name])
        print(f"| {label} | {med[name]:.1f} | {min(values):.1f}–{max(values):.1f} | {ops:,.0f} | "
              f"{'' if name == 'one' else f'{ratio:.3f} (target ≤ 1.03: ' + ('met' if ratio <= 1.03 else '**missed**') + ')'} |")


if __name__ == "__main__":
    main()
