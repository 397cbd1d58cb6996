"""Fault tests of kura on the shared engines (issue #20, docs/scale-out.md "Failures"): a node
killed with SIGKILL during concurrent PUTs, PostgreSQL and the Ceph OSD restarted under load, and
a node cut off from PostgreSQL by a network partition.

The file starts its OWN PostgreSQL (listening on a TCP port too, for the partition's proxy) and
one-OSD Ceph in its temp dir, since it restarts them: the engines the e2e_shared tests share are
never touched. Every request is raw HTTP (SigV4 from botocore's signer, or anonymous), so each
answer is seen as it is, with a timeout; what is asserted:
- every request completes within REQUEST_BOUND seconds;
- every failure is 503 SlowDown or 500 InternalError with S3's XML <Error> body (IAM and STS:
  503 ServiceUnavailable in an <ErrorResponse>); every 200 GET has exactly the bytes PUT;
- no acknowledged PUT is lost, and no object is ever partial;
- kura recovers by itself (no restart) within RECOVERY_BOUND once the engine is back;
- a partitioned node refuses authenticated and anonymous requests (503) once past its bound
  (max(2 s, 5 x --config-poll), 2 s by default), the other node keeps serving, and after the partition heals the
  node serves again and refuses a key deleted meanwhile on the other node.
"""
import hashlib
import os
import secrets
import selectors
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from conftest import REGION, ROOT_KEY, ROOT_SECRET, KuraServer, free_port

SUPPORT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support")
REQUEST_BOUND = 15.0   # seconds any request may take, whatever the fault (RADOS timeout=5 below);
                       # but one waiting on a PostgreSQL that takes bytes and never answers: REPLY_BOUND
RECOVERY_BOUND = 30.0  # seconds from an engine's return until kura serves again
RADOS_TIMEOUT = 5      # rados://…&timeout=: an OSD operation longer than this fails
STALE_BOUND = 2.0      # max(2 s, 5 × --config-poll (100 ms)): a node cut off refuses after this
REPLY_BOUND = 35.0     # PostgreSQL statement_timeout (30 s) + 5 s: kura's wait for any answer
SMALL, LARGE = 4096, 300 * 1024  # ≤ 64 KiB: bytes in PostgreSQL; larger: bytes in RADOS

pytestmark = pytest.mark.skipif(
    not os.path.isdir("/usr/lib/postgresql") or subprocess.run(
        ["sh", "-c", "command -v ceph-osd"], capture_output=True).returncode != 0,
    reason="needs PostgreSQL and Ceph (scripts/deps.sh)")


# ---------------------------------------------------------------- the private engines

def run(args):
    """Runs a command; its stdout, or an error with its output."""
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


class Engines:
    def __init__(self, root):
        self.root = root
        self.pg_dir = os.path.join(root, "pg")
        self.pg_port = free_port()
        self.ceph_dir = os.path.join(root, "ceph")

    def start(self):
        self.pg_url = run([os.path.join(SUPPORT, "postgres_instance.sh"), "start", self.pg_dir,
                           str(self.pg_port)]).strip()
        run([os.path.join(SUPPORT, "ceph_instance.sh"), "start", self.ceph_dir])
        env = dict(line.split("=", 1) for line in open(os.path.join(self.ceph_dir, "env")).read().split())
        self.rados_conf, self.rados_pool = env["KURA_TEST_RADOS_CONF"], env["KURA_TEST_RADOS_POOL"]
        keys = os.path.join(self.root, "node-keys")
        os.makedirs(keys, mode=0o700)
        self.secrets_key = os.path.join(keys, "secrets.key")
        with open(os.open(self.secrets_key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as f:
            f.write(secrets.token_bytes(32))
        self.master_key = secrets.token_hex(32)

    def stop(self):
        subprocess.run([os.path.join(SUPPORT, "ceph_instance.sh"), "stop", self.ceph_dir])
        subprocess.run([os.path.join(SUPPORT, "postgres_instance.sh"), "stop", self.pg_dir])

    def restart_postgres(self):
        run([os.path.join(SUPPORT, "postgres_instance.sh"), "restart", self.pg_dir])

    def stop_osd(self):
        pidfile = os.path.join(self.ceph_dir, "run", "osd.0.pid")
        pid = int(open(pidfile).read())
        os.kill(pid, signal.SIGKILL)
        while os.path.exists(f"/proc/{pid}"):
            time.sleep(0.05)

    def start_osd(self):
        run(["ceph-osd", "-c", self.rados_conf, "-i", "0"])

    def node(self, tmp_path_factory, cluster, via_port=None):
        """A kura node of `cluster` (its schema and RADOS namespace, made on first use); with
        `via_port`, it reaches PostgreSQL over TCP through that port (a proxy) instead."""
        run(["psql", self.pg_url, "-q", "-v", "ON_ERROR_STOP=1", "-c", f"CREATE SCHEMA IF NOT EXISTS {cluster}"])
        if via_port is None:
            metadata = f"{self.pg_url}&options=-csearch_path%3D{cluster}"
        else:
            metadata = f"postgresql://postgres@127.0.0.1:{via_port}/postgres?options=-csearch_path%3D{cluster}"
        blobs = (f"rados://{self.rados_pool}?conf={self.rados_conf}&namespace={cluster}"
                 f"&timeout={RADOS_TIMEOUT}")
        data = str(tmp_path_factory.mktemp(cluster) / "data")
        return KuraServer(data, extra_args=["--metadata", metadata, "--blobs", blobs,
                                            "--secrets-key-file", self.secrets_key,
                                            # the data dir holds only logs here; a full CI disk must not refuse PUTs
                                            "--min-free-space", "0"],
                          env={"KURA_MASTER_KEY": self.master_key})


@pytest.fixture(scope="module")
def engines():
    # Not under pytest's temp dir: that is root's alone, and PostgreSQL runs as `postgres`.
    root = tempfile.mkdtemp(prefix="kura-faults-")
    os.chmod(root, 0o711)
    e = Engines(root)
    try:
        e.start()
        yield e
    finally:
        e.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def started():
    """Stops, at the test's end, every node the test started."""
    nodes = []
    yield nodes
    for node in nodes:
        if node.proc:
            node.kill()


# ---------------------------------------------------------------- raw HTTP

class Answer:
    def __init__(self, status, body, seconds, error=None):
        self.status, self.body, self.seconds, self.error = status, body, seconds, error

    def code(self):
        """The error code of an S3 <Error> or an IAM/STS <ErrorResponse> body; None if none."""
        try:
            root = ET.fromstring(self.body)
        except ET.ParseError:
            return None
        if root.tag == "Error":
            return root.findtext("Code")
        for element in root.iter():
            if element.tag.endswith("Code"):
                return element.text
        return None

    def __repr__(self):
        return f"Answer({self.status}, {self.code() or self.body[:120]!r}, {self.seconds:.2f} s, {self.error})"


def call(endpoint, method, path, body=b"", creds=(ROOT_KEY, ROOT_SECRET), service="s3", form=None,
         timeout=REPLY_BOUND + 10):
    """One request, signed with `creds` (None: anonymous); its answer, however it ended."""
    url = endpoint + path
    headers = {}
    if form is not None:
        body = "&".join(f"{k}={requests.utils.quote(v, safe='')}" for k, v in form.items()).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if creds:
        request = AWSRequest(method=method, url=url, data=body, headers=headers)
        signer = S3SigV4Auth if service == "s3" else SigV4Auth
        signer(Credentials(*creds), service, REGION).add_auth(request)
        headers = dict(request.headers)
    start = time.monotonic()
    try:
        r = requests.request(method, url, data=body, headers=headers, timeout=timeout)
        return Answer(r.status_code, r.content, time.monotonic() - start)
    except requests.RequestException as e:
        return Answer(None, b"", time.monotonic() - start, error=type(e).__name__)


def caller_identity(endpoint, creds=(ROOT_KEY, ROOT_SECRET), timeout=REPLY_BOUND + 10):
    return call(endpoint, "POST", "/", creds=creds, service="sts", timeout=timeout,
                form={"Action": "GetCallerIdentity", "Version": "2011-06-15"})


def iam(endpoint, **form):
    return call(endpoint, "POST", "/", service="iam", form=dict(form, Version="2010-05-08"))


CLEAN_FAILURES = {(503, "SlowDown"), (503, "ServiceUnavailable"), (500, "InternalError")}


def assert_bounded(answers):
    slow = [a for a in answers if a.seconds > REQUEST_BOUND]
    assert not slow, f"{len(slow)} requests took longer than {REQUEST_BOUND} s: {slow[:5]}"


def assert_clean(answer, what=""):
    """A failure kura answered as documented (never a hang: callers bound the time)."""
    assert answer.status is not None, f"{what}: no answer ({answer.error}) after {answer.seconds:.1f} s"
    assert (answer.status, answer.code()) in CLEAN_FAILURES, f"{what}: {answer}"


def body_for(key, size):
    seed = hashlib.sha256(key.encode()).digest()
    return (seed * (size // len(seed) + 1))[:size]


def serves_within(seconds, check):
    """Waits until check() is true; how long it took, or None."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if check():
            return time.monotonic() - start
        time.sleep(0.2)
    return None


class Load:
    """Threads doing PUTs of fresh keys (and GETs of known objects) against `endpoint` until
    stopped; every answer kept, with the bytes each PUT sent."""

    def __init__(self, endpoint, bucket, sizes, threads=4, reads=()):
        self.endpoint, self.bucket, self.sizes, self.reads = endpoint, bucket, sizes, list(reads)
        self.stopped = threading.Event()
        self.puts = []   # (key, body, answer, monotonic time sent)
        self.gets = []   # (key, answer, monotonic time sent)
        self.lock = threading.Lock()
        self.pool = ThreadPoolExecutor(threads)
        self.futures = [self.pool.submit(self._run, i) for i in range(threads)]

    def _run(self, worker):
        n = 0
        while not self.stopped.is_set():
            n += 1
            key = f"w{worker}/o{n}"
            body = body_for(key, self.sizes[n % len(self.sizes)])
            sent = time.monotonic()
            answer = call(self.endpoint, "PUT", f"/{self.bucket}/{key}", body)
            with self.lock:
                self.puts.append((key, body, answer, sent))
            for read in self.reads:
                sent = time.monotonic()
                answer = call(self.endpoint, "GET", f"/{self.bucket}/{read}")
                with self.lock:
                    self.gets.append((read, answer, sent))

    def stop(self):
        self.stopped.set()
        for f in self.futures:
            f.result()
        self.pool.shutdown()

    def answers(self):
        return [a for _, _, a, _ in self.puts] + [a for _, a, _ in self.gets]


def summarize(what, answers):
    """One line of what the load saw (pytest -s shows it; docs/scale-out.md quotes such runs)."""
    by = {}
    for a in answers:
        label = f"{a.status} {a.code() or ''}".strip() if a.status else f"no answer ({a.error})"
        by[label] = by.get(label, 0) + 1
    slowest = max((a.seconds for a in answers), default=0)
    print(f"\n{what}: {len(answers)} requests, {by}, slowest {slowest:.2f} s")


def check_load(load, node_endpoint):
    """Every answer bounded, every failure clean, every GET exact, every acknowledged PUT there
    with its bytes and every unacknowledged one absent or whole."""
    assert_bounded(load.answers())
    for key, body, answer, _ in load.puts:
        if answer.status != 200:
            assert_clean(answer, f"PUT {key}")
    for key, answer, _ in load.gets:
        if answer.error == "ChunkedEncodingError":
            continue  # 200 sent, then a stripe read failed: the connection is cut short, which
                      # the client sees (fewer bytes than Content-Length), never wrong bytes
        if answer.status == 200:
            assert answer.body == body_for(key, len(answer.body)) and len(answer.body) in (SMALL, LARGE), \
                f"GET {key}: 200 with wrong bytes"
        else:
            assert_clean(answer, f"GET {key}")
    check_stored(node_endpoint, load.bucket, [(k, b, a.status == 200) for k, b, a, _ in load.puts])


def check_stored(endpoint, bucket, attempts):
    """attempts: (key, body, acknowledged). Acknowledged: GET returns exactly body; the others:
    NoSuchKey or exactly body (a PUT may commit after its connection was lost), never partial."""
    for key, body, acknowledged in attempts:
        answer = call(endpoint, "GET", f"/{bucket}/{key}")
        if answer.status == 200:
            assert answer.body == body, f"{key}: stored bytes differ from the PUT's ({len(answer.body)} B)"
        else:
            assert not acknowledged, f"acknowledged {key} lost: {answer}"
            assert (answer.status, answer.code()) == (404, "NoSuchKey"), f"{key}: {answer}"


def make_bucket(endpoint, bucket, objects=()):
    assert call(endpoint, "PUT", f"/{bucket}").status == 200
    for key, size in objects:
        assert call(endpoint, "PUT", f"/{bucket}/{key}", body_for(key, size)).status == 200


def healthy(endpoint, bucket):
    """A PUT and a GET of it succeed, and IAM answers (the configuration is followed)."""
    key = f"probe-{secrets.token_hex(4)}"
    body = body_for(key, LARGE)
    return (call(endpoint, "PUT", f"/{bucket}/{key}", body).status == 200
            and call(endpoint, "GET", f"/{bucket}/{key}").body == body
            and iam(endpoint, Action="ListUsers").status == 200)


# ---------------------------------------------------------------- the tests

def test_a_node_killed_during_concurrent_puts_loses_no_acknowledged_object(engines, tmp_path_factory, started):
    one = engines.node(tmp_path_factory, "killed").start()
    started.append(one)
    two = engines.node(tmp_path_factory, "killed").start()
    started.append(two)
    make_bucket(one.endpoint, "kill")
    load = Load(one.endpoint, "kill", [SMALL, LARGE], threads=6)
    time.sleep(2.0)
    one.kill()  # SIGKILL, with PUTs in flight
    load.stop()
    summarize("node killed", [a for _, _, a, _ in load.puts])
    acknowledged = [p for p in load.puts if p[2].status == 200]
    assert len(acknowledged) >= 6, f"too few PUTs before the kill to show anything: {len(load.puts)}"
    for key, _, answer, _ in load.puts:
        if answer.status not in (200, None):
            assert_clean(answer, f"PUT {key}")
    # The other node has every acknowledged object, whole; none partial; the listing agrees.
    check_stored(two.endpoint, "kill", [(k, b, a.status == 200) for k, b, a, _ in load.puts])
    listed = call(two.endpoint, "GET", "/kill?list-type=2&max-keys=1000")
    assert listed.status == 200
    names = {e.text for e in ET.fromstring(listed.body).iter() if e.tag.endswith("Key")}
    assert {k for k, _, a, _ in acknowledged} <= names
    # The killed node starts again on the same schema and serves what the other node sees.
    one.start()
    key, body, _, _ = acknowledged[-1]
    assert call(one.endpoint, "GET", f"/kill/{key}").body == body


def test_postgresql_restarted_under_load_fails_cleanly_and_recovers(engines, tmp_path_factory, started):
    node = engines.node(tmp_path_factory, "pgrestart").start()
    started.append(node)
    make_bucket(node.endpoint, "pgre", [("small", SMALL), ("large", LARGE)])
    load = Load(node.endpoint, "pgre", [SMALL, LARGE], threads=4, reads=["small", "large"])
    time.sleep(1.5)
    engines.restart_postgres()  # fast shutdown: every connection of kura's is closed
    back = time.monotonic()
    recovered = serves_within(RECOVERY_BOUND, lambda: healthy(node.endpoint, "pgre"))
    time.sleep(1.0)
    load.stop()
    assert recovered is not None, f"kura did not serve again within {RECOVERY_BOUND} s of PostgreSQL's return"
    # Once recovered, the load succeeds again: every request sent a second after recovery is 200.
    settled = back + recovered + 1.0
    late = [a for _, _, a, t in load.puts if t > settled] + [a for _, a, t in load.gets if t > settled]
    assert late and all(a.status == 200 for a in late), [a for a in late if a.status != 200][:5]
    summarize("PostgreSQL restarted", load.answers())
    check_load(load, node.endpoint)
    assert node.proc.poll() is None


def test_the_osd_restarted_under_load_fails_cleanly_and_recovers(engines, tmp_path_factory, started):
    node = engines.node(tmp_path_factory, "osdrestart").start()
    started.append(node)
    make_bucket(node.endpoint, "osdr", [("small", SMALL), ("large", LARGE)])
    load = Load(node.endpoint, "osdr", [LARGE], threads=4, reads=["large", "small"])
    time.sleep(1.5)
    engines.stop_osd()
    time.sleep(RADOS_TIMEOUT + 2)  # long enough for operations to time out while it is down
    engines.start_osd()
    back = time.monotonic()
    recovered = serves_within(RECOVERY_BOUND, lambda: healthy(node.endpoint, "osdr"))
    time.sleep(1.0)
    load.stop()
    assert recovered is not None, f"kura did not serve again within {RECOVERY_BOUND} s of the OSD's return"
    failed = [a for _, _, a, _ in load.puts if a.status != 200]
    assert failed, "no PUT failed while the OSD was down: the fault was not seen"
    settled = back + recovered + 1.0
    late = [a for _, _, a, t in load.puts if t > settled] + [a for _, a, t in load.gets if t > settled]
    assert late and all(a.status == 200 for a in late), [a for a in late if a.status != 200][:5]
    summarize("OSD restarted", load.answers())
    check_load(load, node.endpoint)


class CuttableProxy:
    """A TCP proxy to 127.0.0.1:upstream that the test can cut like a network partition: while
    cut, it forwards nothing in either direction and answers nothing (bytes sent to it vanish,
    new connections are accepted and never served), as when packets are dropped; heal() drops
    every connection the partition broke (their bytes are lost) and forwards new ones again."""

    def __init__(self, upstream):
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.peer = {}  # socket -> the socket it forwards to (None while cut)
        self.cut_ = False
        self.commands = []
        self.done = threading.Event()
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.listener, selectors.EVENT_READ)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _drop(self, sock):
        for s in (sock, self.peer.pop(sock, None)):
            if s is not None:
                self.peer.pop(s, None)
                try:
                    self.selector.unregister(s)
                except (KeyError, ValueError):  # already unregistered at its EOF
                    pass
                s.close()

    def _run(self):
        while not self.done.is_set():
            while self.commands:
                command, ack = self.commands.pop(0)
                if command == "heal":
                    for s in list(self.peer):
                        if s in self.peer:
                            self._drop(s)
                self.cut_ = command == "cut"
                ack.set()
            for key, _ in self.selector.select(0.05):
                sock = key.fileobj
                if sock is self.listener:
                    client, _ = self.listener.accept()
                    upstream = None
                    if not self.cut_:
                        upstream = socket.create_connection(("127.0.0.1", self.upstream))
                        self.peer[upstream] = client
                        self.selector.register(upstream, selectors.EVENT_READ)
                    self.peer[client] = upstream
                    self.selector.register(client, selectors.EVENT_READ)
                    continue
                if sock not in self.peer:
                    continue
                try:
                    data = sock.recv(65536)
                except OSError:
                    data = b""
                if not data:
                    if not self.cut_:
                        self._drop(sock)
                    else:  # a partition delivers no FIN either
                        self.selector.unregister(sock)
                    continue
                if not self.cut_ and self.peer[sock] is not None:
                    self.peer[sock].sendall(data)

    def _command(self, command):
        ack = threading.Event()
        self.commands.append((command, ack))
        assert ack.wait(5)

    def cut(self):
        self._command("cut")

    def heal(self):
        self._command("heal")

    def close(self):
        self.done.set()
        self.thread.join()
        for s in list(self.peer):
            s.close()
        self.listener.close()


def test_a_partitioned_node_refuses_until_healed_then_follows(engines, tmp_path_factory, started):
    proxy = CuttableProxy(engines.pg_port)
    try:
        partitioned_node_refuses_until_healed(engines, tmp_path_factory, started, proxy)
    finally:
        proxy.close()


def partitioned_node_refuses_until_healed(engines, tmp_path_factory, started, proxy):
    one = engines.node(tmp_path_factory, "partition").start()
    started.append(one)
    two = engines.node(tmp_path_factory, "partition", via_port=proxy.port).start()
    started.append(two)
    make_bucket(one.endpoint, "pub", [("open", SMALL)])
    policy = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",'
              '"Action":"s3:GetObject","Resource":"arn:aws:s3:::pub/*"}]}')
    assert call(one.endpoint, "PUT", "/pub?policy", policy.encode()).status in (200, 204)
    assert iam(one.endpoint, Action="CreateUser", UserName="reader").status == 200
    allow = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",'
             '"Resource":"arn:aws:s3:::pub/*"}]}')
    assert iam(one.endpoint, Action="PutUserPolicy", UserName="reader", PolicyName="read",
               PolicyDocument=allow).status == 200
    made = iam(one.endpoint, Action="CreateAccessKey", UserName="reader")
    assert made.status == 200
    tree = ET.fromstring(made.body)
    reader = tuple(next(e.text for e in tree.iter() if e.tag.endswith(name))
                   for name in ("AccessKeyId", "SecretAccessKey"))
    # Node 2 follows node 1: the new key works there.
    assert serves_within(5, lambda: call(two.endpoint, "GET", "/pub/open", creds=reader).status == 200)

    proxy.cut()
    cut_at = time.monotonic()
    # GetCallerIdentity reads no store: node 2 answers it from memory until it is stale. (No
    # request here reads PostgreSQL through node 2 while it is cut and not yet stale: such a read
    # holds an I/O thread until REPLY_BOUND, docs/scale-out.md "Failures".)
    probes = []

    def refused():
        probes.append(caller_identity(two.endpoint, timeout=REQUEST_BOUND))
        return probes[-1].status == 503

    assert serves_within(STALE_BOUND + 5, refused) is not None, probes[-3:]
    stale_after = time.monotonic() - cut_at
    assert STALE_BOUND - 1 <= stale_after <= STALE_BOUND + 3, f"refused after {stale_after:.1f} s"
    assert probes[-1].code() == "ServiceUnavailable"
    assert_bounded(probes)
    # Refused past the bound: authenticated and anonymous S3, IAM, STS; fast, from memory.
    refusals = [call(two.endpoint, "GET", "/pub/open", creds=reader),
                call(two.endpoint, "GET", "/pub/open", creds=None),
                call(two.endpoint, "GET", "/"),
                call(two.endpoint, "PUT", "/pub/new", b"x"),
                iam(two.endpoint, Action="ListUsers"),
                caller_identity(two.endpoint, creds=reader)]
    for answer in refusals:
        assert answer.status == 503 and answer.code() in ("SlowDown", "ServiceUnavailable"), answer
        assert answer.seconds < 2, answer
    # Node 1 serves on; the key is deleted there during the partition.
    assert call(one.endpoint, "GET", "/pub/open", creds=reader).status == 200
    assert iam(one.endpoint, Action="DeleteAccessKey", UserName="reader",
               AccessKeyId=reader[0]).status == 200
    assert call(one.endpoint, "GET", "/pub/open", creds=reader).status == 403
    time.sleep(2)  # still cut: still refusing
    assert call(two.endpoint, "GET", "/pub/open", creds=None).status == 503

    proxy.heal()
    # Serves again by itself, and from the first request it serves, it refuses the deleted key.
    answers = []

    def serves():
        answers.append(call(two.endpoint, "GET", "/pub/open", creds=reader))
        return answers[-1].status != 503

    took = serves_within(RECOVERY_BOUND, serves)
    assert took is not None, answers[-3:]
    print(f"\npartition: refused {stale_after:.1f} s after the cut, served {took:.1f} s after the heal")
    assert_bounded(answers)
    assert (answers[-1].status, answers[-1].code()) == (403, "InvalidAccessKeyId"), answers[-1]
    assert call(two.endpoint, "GET", "/pub/open", creds=None).status == 200
    assert caller_identity(two.endpoint).status == 200
