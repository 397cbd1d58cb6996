"""Start-up and shutdown under load, many times over: `kura serve` is started, loaded with
concurrent PUTs, GETs, IAM writes and AssumeRole calls, and sent SIGTERM while they are in
flight; each time it must exit 0 with nothing from AddressSanitizer or UBSan in its output.
Regression test for issue #10 item 9: the store's writer thread freed a coroutine's wake-up
timer after the server's io_context was gone (heap-use-after-free in ~io_object_impl, seen
only in the ASan build — run this file with KURA_BIN=build-asan/kura to check that build)."""
import json
import os
import signal
import subprocess
import threading
import time

from botocore.exceptions import BotoCoreError, ClientError

from conftest import KuraServer

CYCLES = int(os.environ.get("KURA_SHUTDOWN_CYCLES", "30"))
TIME_BUDGET_SECONDS = 300  # stop cycling (with what has run so far checked) past this
SANITIZER_MARKS = ("AddressSanitizer", "LeakSanitizer", "runtime error", "ThreadSanitizer")


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def set_up_world(server):
    """A bucket, a user with a key, and a role the user may assume (kept across restarts)."""
    server.client().create_bucket(Bucket="load")
    iam = server.client("iam")
    iam.create_user(UserName="loader")
    key = iam.create_access_key(UserName="loader")["AccessKey"]
    account = server.client("sts").get_caller_identity()["Account"]
    user_arn = f"arn:aws:iam::{account}:user/loader"
    role_arn = iam.create_role(RoleName="load-role", AssumeRolePolicyDocument=doc(
        {"Effect": "Allow", "Principal": {"AWS": user_arn}, "Action": "sts:AssumeRole"}))["Role"]["Arn"]
    iam.put_user_policy(UserName="loader", PolicyName="assume", PolicyDocument=doc(
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role_arn}))
    return (key["AccessKeyId"], key["SecretAccessKey"]), role_arn


def load(server, user_key, role_arn, worker, stop):
    """Requests until `stop` is set or the server goes away; errors once it stops are expected."""
    s3, iam = server.client(), server.client("iam")
    sts = server.client("sts", key=user_key[0], secret=user_key[1])
    i = 0
    while not stop.is_set():
        i += 1
        try:
            if worker == 0:
                sts.assume_role(RoleArn=role_arn, RoleSessionName=f"s{i}")
            elif worker == 1:
                iam.tag_user(UserName="loader", Tags=[{"Key": "round", "Value": str(i)}])
            else:
                s3.put_object(Bucket="load", Key=f"w{worker}/{i % 8}", Body=os.urandom(64 * 1024))
                s3.get_object(Bucket="load", Key=f"w{worker}/{i % 8}")["Body"].read()
        except (BotoCoreError, ClientError, OSError):
            if stop.is_set():
                return
            time.sleep(0.01)


def sanitizer_lines(text):
    return [line for line in text.splitlines() if any(mark in line for mark in SANITIZER_MARKS)]


def test_sigterm_under_load_exits_cleanly_every_time(tmp_path):
    server = KuraServer(str(tmp_path / "data"))
    server.start()
    user_key, role_arn = set_up_world(server)
    started = time.time()
    cycles = 0
    while cycles < CYCLES and time.time() - started < TIME_BUDGET_SECONDS:
        if cycles > 0:
            server.start()
        stop = threading.Event()
        workers = [threading.Thread(target=load, args=(server, user_key, role_arn, w, stop))
                   for w in range(4)]
        for w in workers:
            w.start()
        time.sleep(0.3 + 0.05 * (cycles % 5))  # SIGTERM at varying points of the load
        proc = server.proc
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = "hung"
        stop.set()
        for w in workers:
            w.join(timeout=30)
        server.proc = None
        output = server.output()
        assert not sanitizer_lines(output), f"cycle {cycles}:\n" + output[-6000:]
        assert code == 0, f"cycle {cycles}: kura exited with {code}:\n" + output[-6000:]
        cycles += 1
    assert cycles >= min(CYCLES, 5), f"only {cycles} cycles ran in {TIME_BUDGET_SECONDS} s"
