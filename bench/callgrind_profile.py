#!/usr/bin/env python3
"""Server instructions per operation under callgrind (repeatable where wall-clock timing is not).

usage: bench/callgrind_profile.py BUILD OUTDIR [N [get,head,put,assume,get-session,put-session,
                                                     get-versioned,put-versioned]]
Starts `kura serve --threads 1` under valgrind, prepares 1000 objects of 4 KiB, then per workload
warms up (200 ops), zeroes the counters, runs N ops (8 connections) and dumps OUTDIR/NAME.cg;
prints instructions/op (user space only: syscalls are not counted). get-session and put-session
sign with an assumed role's temporary credentials (session token, role policy, session policy);
get-versioned and put-versioned run on a second bucket with versioning Enabled.
"""
import json, os, socket, subprocess, sys, tempfile, time, glob, re
import boto3, botocore
KEY, SECRET = "AKIDKURABENCH0000000", "kurabenchsecretkurabenchsecret0000000000"
build, out = sys.argv[1], sys.argv[2]
N = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
only = sys.argv[4].split(",") if len(sys.argv) > 4 else ["get", "head", "put", "assume"]
os.makedirs(out, exist_ok=True)
tmp = tempfile.mkdtemp(prefix="kprof")
with socket.socket() as s:
    s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
env = dict(os.environ, KURA_ROOT_ACCESS_KEY=KEY, KURA_ROOT_SECRET_KEY=SECRET)
proc = subprocess.Popen(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}/cg.%p",
                         "--dump-instr=no", f"{build}/kura", "serve", "--data-dir", f"{tmp}/kura",
                         "--listen", f"127.0.0.1:{port}", "--threads", "1", "--audit-log", f"{tmp}/audit.log"],
                        env=env, stdout=subprocess.DEVNULL, stderr=open(f"{out}/valgrind.err", "w"))
while True:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.1).close(); break
    except OSError: time.sleep(0.1)
def bench(workload, *args, creds=(KEY, SECRET), bucket="bench"):
    cmd = [f"{build}/kura-bench", workload, f"--endpoint=http://127.0.0.1:{port}", "--access-key", creds[0],
           "--secret-key", creds[1], "--bucket", bucket, "--json", "--no-progress", "--threads", "1"] + list(args)
    if len(creds) > 2:
        cmd += ["--session-token", creds[2]]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if not r.stdout.strip().startswith("{"): raise RuntimeError(r.stdout + r.stderr)
    return json.loads(r.stdout)
cfg = botocore.config.Config(retries={"max_attempts": 1}, read_timeout=120)
def setup_role():
    iam = boto3.client("iam", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                       aws_access_key_id=KEY, aws_secret_access_key=SECRET, config=cfg)
    account = boto3.client("sts", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                           aws_access_key_id=KEY, aws_secret_access_key=SECRET, config=cfg).get_caller_identity()["Account"]
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "sts:AssumeRole"}]}
    role = iam.create_role(RoleName="bench", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    iam.put_role_policy(RoleName="bench", PolicyName="s3", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
    iam.create_user(UserName="bench")
    iam.put_user_policy(UserName="bench", PolicyName="assume", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role}]}))
    key = iam.create_access_key(UserName="bench")["AccessKey"]
    return role, (key["AccessKeyId"], key["SecretAccessKey"])
try:
    bench("prepare", "--objects", "1000", "--size", "4KiB", "--concurrency", "8")
    if any(name.endswith("-versioned") for name in only):
        s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                          aws_access_key_id=KEY, aws_secret_access_key=SECRET, config=cfg)
        s3.create_bucket(Bucket="vbench")
        s3.put_bucket_versioning(Bucket="vbench", VersioningConfiguration={"Status": "Enabled"})
        bench("prepare", "--objects", "1000", "--size", "4KiB", "--concurrency", "8", bucket="vbench")
    sessions = any(name.endswith("-session") for name in only)
    role, user = setup_role() if "assume" in only or sessions else (None, None)
    session = None
    if sessions:
        sts = boto3.client("sts", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                           aws_access_key_id=user[0], aws_secret_access_key=user[1], config=cfg)
        policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::bench/*"}]}
        c = sts.assume_role(RoleArn=role, RoleSessionName="bench", Policy=json.dumps(policy))["Credentials"]
        session = (c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
    load = ["--concurrency", "8", "--warmup", "0s"]
    work = {"get": lambda n: bench("get", "--objects", "1000", "--size", "4KiB", "--requests", str(n), *load),
            "head": lambda n: bench("head", "--objects", "1000", "--size", "4KiB", "--requests", str(n), *load),
            "put": lambda n: bench("put", "--objects", "1000", "--size", "4KiB", "--requests", str(n), *load),
            "assume": lambda n: bench("assume-role", "--role-arn", role, "--requests", str(n), *load, creds=user),
            "get-session": lambda n: bench("get", "--objects", "1000", "--size", "4KiB", "--requests", str(n), *load, creds=session),
            "put-session": lambda n: bench("put", "--objects", "1000", "--size", "4KiB", "--requests", str(n), *load, creds=session),
            "get-versioned": lambda n: bench("get", "--objects", "1000", "--size", "4KiB", "--requests", str(n), *load, bucket="vbench"),
            "put-versioned": lambda n: bench("put", "--objects", "1000", "--size", "4KiB", "--requests", str(n), *load, bucket="vbench")}
    for name in only:
        work[name](200)  # warm caches
        subprocess.run(["callgrind_control", "-z", str(proc.pid)], check=True, capture_output=True)
        r = work[name](N)
        subprocess.run(["callgrind_control", "-d", name, str(proc.pid)], check=True, capture_output=True)
        errs = r.get("errors") or {}
        files = sorted(glob.glob(f"{out}/cg.{proc.pid}.*"), key=os.path.getmtime)
        ir = 0
        for line in open(files[-1]):
            if line.startswith("totals:") or line.startswith("summary:"):
                ir = int(line.split()[1])
        os.rename(files[-1], f"{out}/{name}.cg")
        ops = r.get("operations") or r.get("ops") or N
        print(f"{name}: {ir/N:,.0f} Ir/op  (N={N}, errors={errs})", flush=True)
finally:
    proc.terminate(); proc.wait()
