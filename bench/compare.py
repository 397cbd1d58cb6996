#!/usr/bin/env python3
"""Runs the bench/README.md table: kura (pinned to CPU 0, one I/O thread) against nginx serving
the same 4 KiB object, with kura-bench pinned to CPU 1; every row RUNS times, alternating
kura and nginx for the GET rows, and prints medians, min–max and ratios as a markdown table.

With --rgw ENV (the env.sh that ../shared/peers/rgw/start.sh writes), Ceph RGW runs the 4 KiB
GET and PUT and AssumeRole rows in the same alternation, its daemons (radosgw, ceph-osd,
ceph-mon) pinned to CPU 0 and their CPU counted together.

usage: bench/compare.py [--build build] [--runs 5] [--duration 5s] [--big 1GiB] [--rgw ENV]
"""
import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import boto3
import botocore.config

KEY, SECRET = "AKIAKURABENCHROOT000", "kuraBenchRootSecretKey0123456789abcdefgh"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_kura(build, tmp):
    port = free_port()
    env = dict(os.environ, KURA_ROOT_ACCESS_KEY=KEY, KURA_ROOT_SECRET_KEY=SECRET)
    proc = subprocess.Popen(["taskset", "-c", "0", f"{build}/kura", "serve", "--data-dir", f"{tmp}/kura",
                             "--listen", f"127.0.0.1:{port}", "--threads", "1", "--audit-log", f"{tmp}/audit.log"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t0 = time.time()
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.005)
    return proc, port, time.time() - t0


def start_nginx(build, tmp):
    port = free_port()
    www = f"{tmp}/www"
    os.makedirs(www, exist_ok=True)
    os.makedirs(f"{tmp}/ngtmp", exist_ok=True)
    with open(f"{www}/object", "wb") as f:
        f.write(subprocess.run([f"{build}/kura-bench", "pattern", "--size", "4KiB"], capture_output=True).stdout)
    conf = f"""daemon on; worker_processes 1; worker_cpu_affinity 01; pid {tmp}/nginx.pid; error_log {tmp}/nginx.err;
events {{ worker_connections 4096; }}
http {{ access_log off; client_body_temp_path {tmp}/ngtmp; proxy_temp_path {tmp}/ngtmp; fastcgi_temp_path {tmp}/ngtmp;
  uwsgi_temp_path {tmp}/ngtmp; scgi_temp_path {tmp}/ngtmp; keepalive_requests 100000000;
  server {{ listen 127.0.0.1:{port}; root {www}; location /bench/ {{ try_files /object =404; }} }} }}"""
    with open(f"{tmp}/nginx.conf", "w") as f:
        f.write(conf)
    os.chmod(tmp, 0o755)
    subprocess.run(["taskset", "-c", "0", "nginx", "-c", f"{tmp}/nginx.conf", "-p", tmp], check=True)
    time.sleep(0.3)
    master = int(open(f"{tmp}/nginx.pid").read())
    worker = int(subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()[0])
    return master, worker, port


def bench(build, port, pid, workload, *args, token_args=(), creds=(KEY, SECRET), bucket="bench"):
    cmd = ["taskset", "-c", "1", f"{build}/kura-bench", workload, f"--endpoint=http://127.0.0.1:{port}",
           "--access-key", creds[0], "--secret-key", creds[1], "--bucket", bucket, "--json", "--no-progress",
           "--threads", "1", "--server-pid", str(pid)] + list(token_args) + list(args)
    out = subprocess.run(cmd, capture_output=True, text=True)
    if not out.stdout.strip().startswith("{"):
        raise RuntimeError(f"{workload} failed: {out.stdout} {out.stderr}")
    return json.loads(out.stdout)


def rss_mib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0


def setup_role(port):
    cfg = botocore.config.Config(retries={"max_attempts": 1})
    iam = boto3.client("iam", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                       aws_access_key_id=KEY, aws_secret_access_key=SECRET, config=cfg)
    account = boto3.client("sts", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                           aws_access_key_id=KEY, aws_secret_access_key=SECRET, config=cfg).get_caller_identity()["Account"]
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                                                      "Action": "sts:AssumeRole"}]}
    role = iam.create_role(RoleName="bench", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    iam.put_role_policy(RoleName="bench", PolicyName="s3", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
    # As in AWS, the account root may not assume roles: an IAM user does.
    iam.create_user(UserName="bench")
    iam.put_user_policy(UserName="bench", PolicyName="assume", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role}]}))
    key = iam.create_access_key(UserName="bench")["AccessKey"]
    return role, (key["AccessKeyId"], key["SecretAccessKey"])


def rgw_peer(env_file):
    """RGW's endpoint port, credentials and role from start.sh's env file; pins its daemons."""
    env = {}
    for line in open(env_file):
        if line.startswith("export "):
            k, v = line[len("export "):].strip().split("=", 1)
            env[k] = v.strip("'")
    pids = []
    for name in ("radosgw", "ceph-osd", "ceph-mon"):
        pids += subprocess.run(["pgrep", "-x", name], capture_output=True, text=True).stdout.split()
    for pid in pids:
        subprocess.run(["taskset", "-a", "-p", "-c", "0", pid], check=True, capture_output=True)
    return {"port": int(env["RGW_ENDPOINT"].rsplit(":", 1)[1]), "pids": ",".join(pids),
            "admin": (env["RGW_ADMIN_ACCESS_KEY_ID"], env["RGW_ADMIN_SECRET_ACCESS_KEY"]),
            "user": (env["RGW_STS_USER_ACCESS_KEY_ID"], env["RGW_STS_USER_SECRET_ACCESS_KEY"]),
            "role": env["RGW_ROLE_ARN"]}


def summarize(name, runs, key, unit, ceiling=None, lower_is_better=False):
    values = [key(r) for r in runs]
    med = statistics.median(values)
    digits = 2 if med < 10 else 1
    row = f"| {name} | {med:,.{digits}f} {unit} | {min(values):,.{digits}f}–{max(values):,.{digits}f} |"
    cpu = statistics.median([r.get("server_cpu_us_per_op", 0) for r in runs])
    row += f" {cpu:.1f} |"
    if ceiling:
        ratio = (ceiling / med) if lower_is_better else (med / ceiling)
        row += f" {ratio:.2f} |"
    else:
        row += " |"
    return row, med


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--duration", default="5s")
    ap.add_argument("--big", default="1GiB")
    ap.add_argument("--rgw", help="env.sh of a running ../shared/peers/rgw peer")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    tmp = tempfile.mkdtemp(prefix="kura-compare-")
    kura, kport, startup = start_kura(build, tmp)
    master, worker, nport = start_nginx(build, tmp)
    try:
        idle_rss = rss_mib(kura.pid)
        d = ["--duration", args.duration, "--warmup", "1s"]
        bench(build, kport, kura.pid, "prepare", "--objects", "1000", "--size", "4KiB", "--concurrency", "32")
        role, user = setup_role(kport)
        rows = {k: [] for k in ["nginx64", "get64", "head64", "put64", "del64", "get1", "nginx1", "sess64",
                                "assume", "put_big_signed", "put_big_unsigned", "get_big", "get_big_cold",
                                "rgw_get64", "rgw_put64", "rgw_assume"]}
        rgw = rgw_peer(args.rgw) if args.rgw else None
        if rgw:
            bench(build, rgw["port"], rgw["pids"], "prepare", "--objects", "1000", "--size", "4KiB",
                  "--concurrency", "32", creds=rgw["admin"])
        for _ in range(args.runs):
            if rgw:
                four_k = ["--objects", "1000", "--size", "4KiB", "--concurrency", "64", *d]
                rows["rgw_get64"].append(bench(build, rgw["port"], rgw["pids"], "get", *four_k, creds=rgw["admin"]))
                rows["rgw_put64"].append(bench(build, rgw["port"], rgw["pids"], "put", *four_k, creds=rgw["admin"]))
                rows["rgw_assume"].append(bench(build, rgw["port"], rgw["pids"], "assume-role", "--role-arn",
                                                rgw["role"], "--concurrency", "64", *d, creds=rgw["user"]))
            rows["nginx64"].append(bench(build, nport, worker, "get", "--key-prefix", "", "--bucket", "bench", "--objects", "1", "--size", "4KiB", "--concurrency", "64", *d))
            rows["get64"].append(bench(build, kport, kura.pid, "get", "--objects", "1000", "--size", "4KiB", "--concurrency", "64", *d))
            rows["head64"].append(bench(build, kport, kura.pid, "head", "--objects", "1000", "--size", "4KiB", "--concurrency", "64", *d))
            rows["sess64"].append(bench(build, kport, kura.pid, "get", "--objects", "1000", "--size", "4KiB", "--concurrency", "64", *d, token_args=["--assume-role", role], creds=user))
            rows["put64"].append(bench(build, kport, kura.pid, "put", "--objects", "1000", "--size", "4KiB", "--concurrency", "64", *d))
            rows["del64"].append(bench(build, kport, kura.pid, "delete", "--objects", "1000", "--concurrency", "64", *d))
            bench(build, kport, kura.pid, "prepare", "--objects", "1000", "--size", "4KiB", "--concurrency", "32")
            rows["nginx1"].append(bench(build, nport, worker, "get", "--key-prefix", "", "--objects", "1", "--size", "4KiB", "--concurrency", "1", *d))
            rows["get1"].append(bench(build, kport, kura.pid, "get", "--objects", "1000", "--size", "4KiB", "--concurrency", "1", *d))
            rows["assume"].append(bench(build, kport, kura.pid, "assume-role", "--role-arn", role, "--concurrency", "64", *d, creds=user))
            big = ["--objects", "1", "--key-prefix", "big-", "--size", args.big, "--concurrency", "1", "--requests", "1", "--warmup", "0s"]
            rows["put_big_signed"].append(bench(build, kport, kura.pid, "put", "--payload", "signed", *big))
            rows["put_big_unsigned"].append(bench(build, kport, kura.pid, "put", "--payload", "unsigned", *big))
            # Large PUTs bypass the page cache (O_DIRECT), so the first GET reads the disk; the
            # target is for a hot object, the second GET.
            rows["get_big_cold"].append(bench(build, kport, kura.pid, "get", *big))
            rows["get_big"].append(bench(build, kport, kura.pid, "get", *big))
        ops = lambda r: r["ops_per_sec"]
        mbs = lambda r: r["mb_per_sec"] / 1000.0
        p50 = lambda r: r["latency_us"]["p50"]
        nginx64 = statistics.median(ops(r) for r in rows["nginx64"])
        get64 = statistics.median(ops(r) for r in rows["get64"])
        print("| workload | median | min–max | server CPU µs/op | ratio |")
        print("|---|---|---|---|---|")
        print(summarize("nginx GET 4 KiB, 64 conns (ceiling)", rows["nginx64"], ops, "op/s")[0])
        print(summarize("kura GET 4 KiB, 64 conns (ratio to nginx)", rows["get64"], ops, "op/s", nginx64)[0])
        print(summarize("kura HEAD 4 KiB, 64 conns (ratio to GET)", rows["head64"], ops, "op/s", get64)[0])
        print(summarize("kura DELETE 4 KiB, 64 conns (ratio to GET)", rows["del64"], ops, "op/s", get64)[0])
        print(summarize("kura PUT 4 KiB durable, 64 conns (ratio to 15 K target)", rows["put64"], ops, "op/s", 15000)[0])
        print(summarize("kura GET 4 KiB session credentials, 64 conns (ratio to long-term key)", rows["sess64"], ops, "op/s", get64)[0])
        print(summarize("nginx GET 4 KiB, 1 conn, p50", rows["nginx1"], p50, "µs")[0])
        print(summarize("kura GET 4 KiB, 1 conn, p50 (ratio to 200 µs target)", rows["get1"], p50, "µs", 200, lower_is_better=True)[0])
        print(summarize("kura AssumeRole, 64 conns (ratio to 30 K target)", rows["assume"], ops, "op/s", 30000)[0])
        print(summarize(f"kura PUT {args.big} signed, 1 stream (ratio to 0.45 GB/s)", rows["put_big_signed"], mbs, "GB/s", 0.45)[0])
        print(summarize(f"kura PUT {args.big} UNSIGNED-PAYLOAD, 1 stream (ratio to 0.65 GB/s)", rows["put_big_unsigned"], mbs, "GB/s", 0.65)[0])
        print(summarize(f"kura GET {args.big} hot, 1 stream (ratio to 1.5 GB/s)", rows["get_big"], mbs, "GB/s", 1.5)[0])
        print(summarize(f"kura GET {args.big} first read after the PUT (from disk), 1 stream", rows["get_big_cold"], mbs, "GB/s")[0])
        if rgw:
            print("\nCeph RGW, same client, same alternation (ratio: kura's median over RGW's):\n")
            print("| workload | median | min–max | server CPU µs/op | kura ÷ RGW |")
            print("|---|---|---|---|---|")
            for name, key, kura_row in [("GET 4 KiB, 64 conns", "rgw_get64", "get64"),
                                        ("PUT 4 KiB durable, 64 conns", "rgw_put64", "put64"),
                                        ("AssumeRole, 64 conns", "rgw_assume", "assume")]:
                rgw_med = statistics.median(ops(r) for r in rows[key])
                kura_med = statistics.median(ops(r) for r in rows[kura_row])
                print(summarize(f"RGW {name}", rows[key], ops, "op/s")[0][:-3] + f"| {kura_med / rgw_med:.1f}× |")
        print(f"\nkura idle RSS after start: {idle_rss:.1f} MiB; RSS now: {rss_mib(kura.pid):.1f} MiB; "
              f"ready (port accepting) {startup * 1000:.0f} ms after exec with an empty data dir")
        print(f"load average at the end: {os.getloadavg()}")
    finally:
        kura.send_signal(signal.SIGTERM)
        kura.wait()
        os.kill(master, signal.SIGTERM)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
