#!/usr/bin/env python3
"""Runs the bench/README.md table: kura (pinned to CPU 0, one I/O thread) against nginx serving
the same 4 KiB object, with the client (kura-bench, or wrk for the wrk rows) pinned to CPU 1;
every row RUNS times, alternating kura and nginx (and RGW) within each run, and prints the
environment (bench/environment.py), then medians, min–max and ratios as a markdown table.

A ratio is taken per run — row's run i over its reference's run i, measured back to back — and
the table gives the median of those ratios and their min–max; a ratio to a fixed target is the
row's value over the target. Server CPU is the server process's utime+stime over the measured
interval divided by the operations (kura-bench --server-pid; the same /proc reading for wrk).

Rows (--rows, comma-separated groups; default all): get (nginx ceiling and kura GET 4 KiB, 64
conns), head, put, delete, session, latency (1 conn p50), assume, big (--big PUT/GET), wrk
(GET 4 KiB, 64 conns, wrk -t1: kura through a SigV4 presigned URL, nginx the same object),
https (GET 4 KiB over TLS 1.3 keep-alive, 64 conns, kura-bench, both servers on one self-signed
certificate), wrk-https (the wrk rows over TLS 1.3).

kura is always started with --tls-cert/--tls-key: its port tells TLS from plain HTTP by a
connection's first bytes, so the plain rows pay only a once-per-connection peek.

With --rgw ENV (the env.sh that ../shared/peers/rgw/start.sh writes), Ceph RGW runs the 4 KiB
GET and PUT and AssumeRole rows in the same alternation, its daemons (radosgw, ceph-osd,
ceph-mon) pinned to CPU 0 and their CPU counted together.

usage: bench/compare.py [--build build] [--runs 5] [--duration 5s] [--big 1GiB] [--rows get,wrk,https]
                        [--rgw ENV]
"""
import argparse
import json
import os
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

import boto3
import botocore.config

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import environment  # noqa: E402
import wrk_load  # noqa: E402

KEY, SECRET = "AKIAKURABENCHROOT000", "kuraBenchRootSecretKey0123456789abcdefgh"
GROUPS = ("get", "head", "put", "delete", "session", "latency", "assume", "big", "wrk", "https", "wrk-https")
PRESIGN_SECONDS = 7 * 24 * 3600  # SigV4's longest expiry: outlasts any run of the table


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_kura(build, tmp, tls=None):
    """kura serve pinned to CPU 0, one I/O thread; tls = (cert, key) also serves https on the port."""
    port = free_port()
    env = dict(os.environ, KURA_ROOT_ACCESS_KEY=KEY, KURA_ROOT_SECRET_KEY=SECRET)
    tls_args = ["--tls-cert", tls[0], "--tls-key", tls[1]] if tls else []
    proc = subprocess.Popen(["taskset", "-c", "0", f"{build}/kura", "serve", "--data-dir", f"{tmp}/kura",
                             "--listen", f"127.0.0.1:{port}", "--threads", "1", "--audit-log", f"{tmp}/audit.log",
                             *tls_args],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t0 = time.time()
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"kura serve exited with {proc.returncode}")
            time.sleep(0.005)
    return proc, port, time.time() - t0


def make_certificate(tmp):
    """A self-signed EC P-256 certificate for 127.0.0.1 that both servers present."""
    cert, key = f"{tmp}/tls.crt", f"{tmp}/tls.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return cert, key


def start_nginx(build, tmp, tls):
    """nginx, one worker on CPU 0, serving the 4 KiB object at /bench/*: plain and TLS 1.3 only."""
    port, tls_port = free_port(), free_port()
    www = f"{tmp}/www"
    os.makedirs(www, exist_ok=True)
    os.makedirs(f"{tmp}/ngtmp", exist_ok=True)
    with open(f"{www}/object", "wb") as f:
        f.write(subprocess.run([f"{build}/kura-bench", "pattern", "--size", "4KiB"], capture_output=True).stdout)
    conf = f"""daemon on; worker_processes 1; worker_cpu_affinity 01; pid {tmp}/nginx.pid; error_log {tmp}/nginx.err;
events {{ worker_connections 4096; }}
http {{ access_log off; client_body_temp_path {tmp}/ngtmp; proxy_temp_path {tmp}/ngtmp; fastcgi_temp_path {tmp}/ngtmp;
  uwsgi_temp_path {tmp}/ngtmp; scgi_temp_path {tmp}/ngtmp; keepalive_requests 100000000;
  server {{ listen 127.0.0.1:{port}; root {www}; location /bench/ {{ try_files /object =404; }} }}
  server {{ listen 127.0.0.1:{tls_port} ssl; ssl_certificate {tls[0]}; ssl_certificate_key {tls[1]};
    ssl_protocols TLSv1.3; root {www}; location /bench/ {{ try_files /object =404; }} }} }}"""
    with open(f"{tmp}/nginx.conf", "w") as f:
        f.write(conf)
    os.chmod(tmp, 0o755)
    subprocess.run(["taskset", "-c", "0", "nginx", "-c", f"{tmp}/nginx.conf", "-p", tmp], check=True)
    time.sleep(0.3)
    master = int(open(f"{tmp}/nginx.pid").read())
    worker = int(subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()[0])
    return master, worker, port, tls_port


def bench(build, port, pid, workload, *args, token_args=(), creds=(KEY, SECRET), bucket="bench", scheme="http"):
    cmd = ["taskset", "-c", "1", f"{build}/kura-bench", workload, f"--endpoint={scheme}://127.0.0.1:{port}",
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
    # The long-term key that session credentials are compared with: an IAM user allowed what the
    # role allows, so that both rows pay for the same policy evaluation (the root skips it).
    iam.create_user(UserName="reader")
    iam.put_user_policy(UserName="reader", PolicyName="s3", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
    reader = iam.create_access_key(UserName="reader")["AccessKey"]
    return role, (key["AccessKeyId"], key["SecretAccessKey"]), (reader["AccessKeyId"], reader["SecretAccessKey"])


def presigned_get(endpoint, bucket, key):
    """A SigV4 presigned GetObject URL (query-string auth), valid for PRESIGN_SECONDS."""
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=KEY,
                      aws_secret_access_key=SECRET,
                      config=botocore.config.Config(signature_version="s3v4", s3={"addressing_style": "path"}))
    return s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=PRESIGN_SECONDS)


def check_url(url, expected, cafile):
    """wrk reads only statuses: make sure, once, that the URL returns exactly the object."""
    context = ssl.create_default_context(cafile=cafile) if url.startswith("https") else None
    with urllib.request.urlopen(url, context=context, timeout=10) as r:
        body = r.read()
    if body != expected:
        raise RuntimeError(f"{url} returned {len(body)} bytes, not the {len(expected)}-byte object")


def tls_session(port, cafile):
    """The protocol and cipher a server chooses for an OpenSSL client that offers TLS 1.2 and 1.3."""
    context = ssl.create_default_context(cafile=cafile)
    with socket.create_connection(("127.0.0.1", port)) as raw, context.wrap_socket(raw, server_hostname="127.0.0.1") as s:
        return f"{s.version()} {s.cipher()[0]}"


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


def ops(r):
    return r["ops_per_sec"]


def gbs(r):
    return r["mb_per_sec"] / 1000.0


def p50(r):
    return r["latency_us"]["p50"]


def row(rid, group, name, run, metric=ops, unit="op/s", ref=None, lower_is_better=False):
    """One line of the table: `run()` measures once; `ref` is a row id (ratio per run) or a target."""
    return {"id": rid, "group": group, "name": name, "run": run, "metric": metric, "unit": unit, "ref": ref,
            "lower": lower_is_better}


def table_rows(c, args):
    """Every row, in the order they run within one round (the servers compared alternate)."""
    d = ["--duration", args.duration, "--warmup", "1s"]
    four_k = ["--objects", "1000", "--size", "4KiB"]
    nginx_one = ["--key-prefix", "", "--objects", "1", "--size", "4KiB"]
    kura = lambda *a, **k: bench(c["build"], c["kport"], c["kpid"], *a, **k)
    nginx = lambda *a, **k: bench(c["build"], c["nport"], c["npid"], *a, **k)
    tls = ["--ca-file", c["cert"]]
    big = ["--objects", "1", "--key-prefix", "big-", "--size", args.big, "--concurrency", "1", "--requests", "1",
           "--warmup", "0s"]
    wrk = lambda url, pid: wrk_load.run(url, pid, 64, args.duration)

    def delete_then_refill():
        r = kura("delete", "--objects", "1000", "--concurrency", "64", *d)
        kura("prepare", *four_k, "--concurrency", "32")  # the rows after it read these objects
        return r

    rows = []
    if c["rgw"]:
        g = c["rgw"]
        rgw = lambda *a, **k: bench(c["build"], g["port"], g["pids"], *a, **k)
        rows += [
            row("rgw_get64", "get", "RGW GET 4 KiB, 64 conns",
                lambda: rgw("get", *four_k, "--concurrency", "64", *d, creds=g["admin"])),
            row("rgw_put64", "put", "RGW PUT 4 KiB durable, 64 conns",
                lambda: rgw("put", *four_k, "--concurrency", "64", *d, creds=g["admin"])),
            row("rgw_assume", "assume", "RGW AssumeRole, 64 conns",
                lambda: rgw("assume-role", "--role-arn", g["role"], "--concurrency", "64", *d, creds=g["user"])),
        ]
    rows += [
        row("nginx64", "get", "nginx GET 4 KiB, 64 conns (ceiling)",
            lambda: nginx("get", *nginx_one, "--concurrency", "64", *d)),
        row("get64", "get", "kura GET 4 KiB, 64 conns (ratio to nginx)",
            lambda: kura("get", *four_k, "--concurrency", "64", *d), ref="nginx64"),
        row("head64", "head", "kura HEAD 4 KiB, 64 conns (ratio to GET)",
            lambda: kura("head", *four_k, "--concurrency", "64", *d), ref="get64"),
        row("user64", "session", "kura GET 4 KiB IAM user's long-term key, 64 conns (ratio to root key)",
            lambda: kura("get", *four_k, "--concurrency", "64", *d, creds=c["reader"]), ref="get64"),
        row("sess64", "session", "kura GET 4 KiB session credentials, 64 conns (ratio to the IAM user's key)",
            lambda: kura("get", *four_k, "--concurrency", "64", *d, token_args=["--assume-role", c["role"]],
                         creds=c["user"]), ref="user64"),
        row("put64", "put", "kura PUT 4 KiB durable, 64 conns (ratio to 15 K target)",
            lambda: kura("put", *four_k, "--concurrency", "64", *d), ref=15000),
        row("del64", "delete", "kura DELETE 4 KiB, 64 conns (ratio to GET)", delete_then_refill, ref="get64"),
        row("nginx1", "latency", "nginx GET 4 KiB, 1 conn, p50",
            lambda: nginx("get", *nginx_one, "--concurrency", "1", *d), metric=p50, unit="µs"),
        row("get1", "latency", "kura GET 4 KiB, 1 conn, p50 (ratio: 200 µs target ÷ p50)",
            lambda: kura("get", *four_k, "--concurrency", "1", *d), metric=p50, unit="µs", ref=200,
            lower_is_better=True),
        row("assume", "assume", "kura AssumeRole, 64 conns (ratio to 30 K target)",
            lambda: kura("assume-role", "--role-arn", c["role"], "--concurrency", "64", *d, creds=c["user"]),
            ref=30000),
        row("put_big_signed", "big", f"kura PUT {args.big} signed, 1 stream (ratio to 0.45 GB/s)",
            lambda: kura("put", "--payload", "signed", *big), metric=gbs, unit="GB/s", ref=0.45),
        row("put_big_unsigned", "big", f"kura PUT {args.big} UNSIGNED-PAYLOAD, 1 stream (ratio to 0.65 GB/s)",
            lambda: kura("put", "--payload", "unsigned", *big), metric=gbs, unit="GB/s", ref=0.65),
        # Large PUTs bypass the page cache (O_DIRECT), so the first GET reads the disk; the
        # target is for a hot object, the second GET.
        row("get_big_cold", "big", f"kura GET {args.big} first read after the PUT (from disk), 1 stream",
            lambda: kura("get", *big), metric=gbs, unit="GB/s"),
        row("get_big", "big", f"kura GET {args.big} hot, 1 stream (ratio to 1.5 GB/s)",
            lambda: kura("get", *big), metric=gbs, unit="GB/s", ref=1.5),
        row("wrk_nginx", "wrk", "nginx GET 4 KiB, 64 conns, wrk",
            lambda: wrk(f"http://127.0.0.1:{c['nport']}/bench/obj-0", c["npid"])),
        row("wrk_kura", "wrk", "kura GET 4 KiB presigned URL, 64 conns, wrk (ratio to nginx under wrk)",
            lambda: wrk(c["presigned_http"], c["kpid"]), ref="wrk_nginx"),
        row("https_nginx", "https", "nginx GET 4 KiB HTTPS (TLS 1.3), 64 conns, kura-bench",
            lambda: bench(c["build"], c["ntls"], c["npid"], "get", *nginx_one, "--concurrency", "64", *d, *tls,
                          scheme="https")),
        row("https_kura", "https", "kura GET 4 KiB HTTPS (TLS 1.3), 64 conns, kura-bench (ratio to nginx HTTPS)",
            lambda: kura("get", *four_k, "--concurrency", "64", *d, *tls, scheme="https"), ref="https_nginx"),
        row("wrk_https_nginx", "wrk-https", "nginx GET 4 KiB HTTPS (TLS 1.3), 64 conns, wrk",
            lambda: wrk(f"https://127.0.0.1:{c['ntls']}/bench/obj-0", c["npid"])),
        row("wrk_https_kura", "wrk-https",
            "kura GET 4 KiB HTTPS (TLS 1.3) presigned URL, 64 conns, wrk (ratio to nginx HTTPS under wrk)",
            lambda: wrk(c["presigned_https"], c["kpid"]), ref="wrk_https_nginx"),
    ]
    return rows


def ratios(r, results):
    """Per-run ratios of row r: run i over its reference's run i, or over a fixed target."""
    values = [r["metric"](x) for x in results[r["id"]]]
    ref = r["ref"]
    if ref is None or (isinstance(ref, str) and not results.get(ref)):
        return []
    refs = [r["metric"](x) for x in results[ref]] if isinstance(ref, str) else [ref] * len(values)
    return [(b / a) if r["lower"] else (a / b) for a, b in zip(values, refs) if a and b]


def fmt(v):
    return f"{v:,.{2 if abs(v) < 10 else 1}f}"


def summarize(r, results, ratio_values=None):
    """Row r as a markdown line; `ratio_values` replaces the per-run ratios to r's own reference."""
    runs = results[r["id"]]
    values = [r["metric"](x) for x in runs]
    med = statistics.median(values)
    cpu = statistics.median(x.get("server_cpu_us_per_op", 0) for x in runs)
    lat = f"{statistics.median(x['latency_us']['p50'] for x in runs):,.0f} / " \
          f"{statistics.median(x['latency_us']['p99'] for x in runs):,.0f}"
    errors = sum(x.get("errors", 0) for x in runs)
    name = r["name"] + (f" — **{errors} errors**" if errors else "")
    q = ratios(r, results) if ratio_values is None else ratio_values
    ratio = f"{statistics.median(q):.2f} ({min(q):.2f}–{max(q):.2f})" if q else ""
    if not q and isinstance(r["ref"], str):
        ratio = "reference row not in --rows"
    return f"| {name} | {fmt(med)} {r['unit']} | {fmt(min(values))}–{fmt(max(values))} | {lat} | {cpu:.1f} | {ratio} |"


def parse_rows(text):
    groups = [g.strip() for g in text.split(",") if g.strip()]
    unknown = [g for g in groups if g not in GROUPS]
    if unknown:
        raise SystemExit(f"--rows: unknown {', '.join(unknown)}; choose from {','.join(GROUPS)}")
    return set(groups)


def prepare(c, groups, tmp):
    """Objects, the role, RGW's objects and the presigned URLs the selected rows need; checks that
    every URL wrk will fetch returns the object. Returns a line naming each server's TLS choice."""
    bench(c["build"], c["kport"], c["kpid"], "prepare", "--objects", "1000", "--size", "4KiB", "--concurrency", "32")
    if groups & {"session", "assume"}:
        c["role"], c["user"], c["reader"] = setup_role(c["kport"])
    if c["rgw"]:
        bench(c["build"], c["rgw"]["port"], c["rgw"]["pids"], "prepare", "--objects", "1000", "--size", "4KiB",
              "--concurrency", "32", creds=c["rgw"]["admin"])
    if groups & {"wrk", "wrk-https"}:
        expected = open(f"{tmp}/www/object", "rb").read()
        for scheme, port in (("http", c["nport"]), ("https", c["ntls"])):
            c[f"presigned_{scheme}"] = presigned_get(f"{scheme}://127.0.0.1:{c['kport']}", "bench", "obj-0")
            check_url(c[f"presigned_{scheme}"], expected, c["cert"])
            check_url(f"{scheme}://127.0.0.1:{port}/bench/obj-0", expected, c["cert"])
    if groups & {"https", "wrk-https"}:
        return (f"TLS (one self-signed EC P-256 certificate for both): kura chose "
                f"{tls_session(c['kport'], c['cert'])}, nginx {tls_session(c['ntls'], c['cert'])}\n")
    return ""


def print_tables(selected, results, c, args):
    print(f"{args.runs} runs per row, alternating the servers within each run; median, min–max and p50/p99 "
          f"over the runs; ratio: the median of the per-run ratios (run i ÷ its reference's run i, or ÷ the "
          f"target), min–max in brackets.\n")
    print("| workload | median | min–max | p50 / p99 µs | server CPU µs/op | ratio (median of per-run, min–max) |")
    print("|---|---|---|---|---|---|")
    for r in selected:
        if not r["id"].startswith("rgw_"):
            print(summarize(r, results))
    if c["rgw"]:
        print("\nCeph RGW, same client, same alternation (ratio: kura's run i ÷ RGW's run i, median):\n")
        print("| workload | median | min–max | p50 / p99 µs | server CPU µs/op | kura ÷ RGW |")
        print("|---|---|---|---|---|---|")
        pairs = {"rgw_get64": "get64", "rgw_put64": "put64", "rgw_assume": "assume"}
        for r in selected:
            if r["id"] in pairs:
                mine = results.get(pairs[r["id"]], [])
                q = [ops(a) / ops(b) for a, b in zip(mine, results[r["id"]]) if ops(b)]
                print(summarize(r, results, ratio_values=q))
    if any(r["group"] in ("wrk", "wrk-https") for r in selected):
        print(f"\nwrk rows: wrk {environment.wrk_version()} -t1 -c64 pinned to CPU 1, 1 s warm-up run then "
              f"{args.duration}; one 4 KiB object (kura: obj-0 through a SigV4 presigned URL, query-string auth, "
              f"signed by boto3); bodies checked once before the load (wrk reads only statuses); server CPU from "
              f"/proc/PID/stat around the wrk run.")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0], epilog=__doc__.split("\n\n", 1)[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--duration", default="5s")
    ap.add_argument("--big", default="1GiB")
    ap.add_argument("--rows", default=",".join(GROUPS), help=f"groups of rows to run (default all: {','.join(GROUPS)})")
    ap.add_argument("--rgw", help="env.sh of a running ../shared/peers/rgw peer")
    args = ap.parse_args()
    groups = parse_rows(args.rows)
    build = os.path.abspath(args.build)
    for tool in ["nginx", "openssl", "taskset"] + (["wrk"] if groups & {"wrk", "wrk-https"} else []):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: scripts/deps.sh --bench installs what compare.py drives")
    print(environment.block(build))
    print(f"- command: bench/compare.py {' '.join(sys.argv[1:])}\n", flush=True)
    tmp = tempfile.mkdtemp(prefix="kura-compare-")
    cert = make_certificate(tmp)
    kura, kport, startup = start_kura(build, tmp, tls=cert)
    master = None
    try:
        idle_rss = rss_mib(kura.pid)
        master, worker, nport, ntls = start_nginx(build, tmp, cert)
        c = {"build": build, "kport": kport, "kpid": kura.pid, "nport": nport, "ntls": ntls, "npid": worker,
             "cert": cert[0], "rgw": rgw_peer(args.rgw) if args.rgw else None}
        tls_note = prepare(c, groups, tmp)
        selected = [r for r in table_rows(c, args) if r["group"] in groups]
        results = {r["id"]: [] for r in selected}
        for _ in range(args.runs):
            for r in selected:
                results[r["id"]].append(r["run"]())
        print_tables(selected, results, c, args)
        print(f"\n{tls_note}kura idle RSS after start: {idle_rss:.1f} MiB; RSS now: {rss_mib(kura.pid):.1f} MiB; "
              f"ready (port accepting) {startup * 1000:.0f} ms after exec with an empty data dir")
        print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        kura.send_signal(signal.SIGTERM)
        kura.wait()
        if master:
            os.kill(master, signal.SIGTERM)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
