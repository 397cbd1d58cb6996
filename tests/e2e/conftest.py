"""Fixtures for end-to-end tests: a real `kura serve` on a free port in a temp dir, and clients
(boto3, aws CLI v1 and v2, raw HTTP) pointed at it with the root credentials."""
import hashlib
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import boto3
import botocore.config
import pytest

KURA_BIN = os.environ.get("KURA_BIN", os.path.join(os.path.dirname(__file__), "../../build/kura"))
ROOT_KEY = "AKIAKURAE2ETESTROOT0"
ROOT_SECRET = "kuraE2eTestRootSecretKey0123456789abcdef"[:40]
REGION = "us-east-1"


def _sanitized(binary):
    """Whether kura was built with ASan (scripts/test's second pass): its libasan shows in ldd."""
    try:
        return "libasan" in subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    except OSError:
        return False


# Tests whose measure the sanitizers change skip themselves with this reason; the release pass
# runs them.
SANITIZED = _sanitized(KURA_BIN)
STARTED_LINE = "kura listening on "  # the last line `kura serve` prints at start-up

# KURA_E2E_ENGINES=shared (the e2e_shared.* CTest tests, issue #20): every server keeps its
# metadata in a PostgreSQL schema of its own and its bytes in a RADOS namespace of its own, on
# the private engines the CTest fixtures start (KURA_TEST_POSTGRES_URL, KURA_TEST_RADOS_CONF,
# KURA_TEST_RADOS_POOL); both are named after the data dir, so a restarted server finds its data.
# KURA_E2E_ENGINES=cluster (the e2e_cluster.* CTest tests): every server is a cluster instead —
# CLUSTER_NODES `kura serve` processes on one such schema and namespace with the same node keys,
# behind an HAProxy (roundrobin, so consecutive requests land on different nodes) whose port is
# the server's endpoint (KuraCluster below).
ENGINES = os.environ.get("KURA_E2E_ENGINES", "embedded")
CLUSTER = ENGINES == "cluster"
SHARED_ENGINES = ENGINES in ("shared", "cluster")
CLUSTER_NODES = 3
HEALTH_PATH = "/_kura/health"  # kura's health check for load balancers (api/health_check.h)


def shared_engine_args(data_dir):
    """The flags and environment of a server on the shared engines; creates its schema and its
    node keys (secrets key file, master key) next to the data dir on first use."""
    name = "e2e_" + hashlib.sha256(os.path.abspath(data_dir).encode()).hexdigest()[:16]
    base = os.environ["KURA_TEST_POSTGRES_URL"]
    subprocess.run(["psql", base, "-q", "-v", "ON_ERROR_STOP=1", "-c", f"CREATE SCHEMA IF NOT EXISTS {name}"],
                   check=True, capture_output=True)
    metadata = f"{base}&options=-csearch_path%3D{name}"
    blobs = (f"rados://{os.environ['KURA_TEST_RADOS_POOL']}?conf={os.environ['KURA_TEST_RADOS_CONF']}"
             f"&namespace={name}")
    keys = os.path.join(os.path.dirname(os.path.abspath(data_dir)), "node-keys")
    os.makedirs(keys, mode=0o700, exist_ok=True)
    secrets_key = os.path.join(keys, "secrets.key")
    master_key = os.path.join(keys, "master.hex")
    if not os.path.exists(secrets_key):
        with open(os.open(secrets_key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as f:
            f.write(secrets.token_bytes(32))
        with open(os.open(master_key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
            f.write(secrets.token_hex(32))
    args = ["--metadata", metadata, "--blobs", blobs, "--secrets-key-file", secrets_key]
    return args, {"KURA_MASTER_KEY": open(master_key).read().strip()}


def _ephemeral_ports():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low, high = (int(x) for x in f.read().split())
        return low, high
    except (OSError, ValueError):
        return 32768, 60999


def free_port():
    """A port nobody listens on now, below the kernel's ephemeral range: a port the kernel hands
    out (bind to 0) is also what it picks for outgoing connections — to PostgreSQL, between
    HAProxy and the nodes, from the clients — and one of those took such a port before kura bound
    it often enough to fail CI. Parallel tests may still pick the same one: servers that find
    their port taken start again on another (KuraNode.wait_started, KuraCluster)."""
    low, _ = _ephemeral_ports()
    rng = random.SystemRandom()
    for _ in range(200):
        port = rng.randrange(10000, max(low, 10001))
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def client_env(extra=None):
    """An environment for client processes: no CA overrides, no user config, our region."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AWS_") and k not in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE")}
    env.update({"AWS_DEFAULT_REGION": REGION, "AWS_EC2_METADATA_DISABLED": "true",
                "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
                "AWS_PAGER": ""})
    env.update(extra or {})
    return env


class _Clients:
    """What tests use to talk to a server: boto3 clients and the aws CLI on its endpoint."""

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def tls_endpoint(self):
        return f"https://localhost:{self.tls_port}"

    def client(self, service="s3", key=ROOT_KEY, secret=ROOT_SECRET, token=None, tls=False, **config):
        cfg = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"},
                                     s3={"addressing_style": "path"}, **config)
        return boto3.session.Session().client(
            service, endpoint_url=self.tls_endpoint if tls else self.endpoint, region_name=REGION,
            aws_access_key_id=key, aws_secret_access_key=secret, aws_session_token=token,
            config=cfg, verify=self.tls[0] if tls else None)

    def aws(self, *args, version=1, key=ROOT_KEY, secret=ROOT_SECRET, token=None, check=True,
            input=None, cwd=None, tls=False):
        """Runs the aws CLI (v1 from the image's Python, v2 from Debian) against this server."""
        env = client_env({"AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret})
        if token:
            env["AWS_SESSION_TOKEN"] = token
        cmd = [os.environ.get("KURA_PYTHON", sys.executable), "-m", "awscli"] if version == 1 else ["/usr/bin/aws"]
        endpoint = self.tls_endpoint if tls else self.endpoint
        cmd += ["--endpoint-url", endpoint, "--region", REGION] + list(args)
        if tls:
            cmd += ["--ca-bundle", self.tls[0]]
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, input=input, cwd=cwd, timeout=300)
        if check and result.returncode != 0:
            raise AssertionError(f"aws {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result


class KuraNode(_Clients):
    """One `kura serve` process. Its audit log and output go next to the data dir unless `home`
    names another directory for them."""

    def __init__(self, data_dir, tls=None, extra_args=(), env=None, join=None, home=None,
                 engine_home=None):
        """join: another server whose PostgreSQL schema, RADOS namespace and node keys this one
        shares (a second node of the same cluster; the shared engines only). engine_home: the
        data dir whose schema, namespace and keys this node uses (default: its own)."""
        self.data_dir = data_dir
        self.engine_home = join.engine_home if join is not None else (engine_home or data_dir)
        self.port = free_port()
        self.tls = tls  # (cert, key) or None
        self.extra_args = list(extra_args)
        self.env = env
        self.proc = None
        home = home or os.path.dirname(data_dir)
        self.audit_path = os.path.join(home, "audit.log")
        self.stdout_path = os.path.join(home, "kura.out")
        self._started_before = 0

    @property
    def tls_port(self):
        return self.port  # kura serves HTTP and HTTPS on one port

    @property
    def audit_paths(self):
        return [self.audit_path]

    def start(self, root_from_env=True, preexec_fn=None):
        self.launch(root_from_env, preexec_fn)
        return self.wait_started()

    def launch(self, root_from_env=True, preexec_fn=None):
        """Starts the process; wait_started() waits until it serves."""
        self._launched_with = (root_from_env, preexec_fn)
        args = [KURA_BIN, "serve", "--data-dir", self.data_dir, "--listen", f"127.0.0.1:{self.port}",
                "--audit-log", self.audit_path, "--threads", "2"] + self.extra_args
        if self.tls:
            args += ["--tls-cert", self.tls[0], "--tls-key", self.tls[1]]
        env = dict(os.environ)
        env.pop("KURA_ROOT_ACCESS_KEY", None)
        env.pop("KURA_ROOT_SECRET_KEY", None)
        if root_from_env:
            env.update({"KURA_ROOT_ACCESS_KEY": ROOT_KEY, "KURA_ROOT_SECRET_KEY": ROOT_SECRET})
        if SHARED_ENGINES:
            engine_args, engine_env = shared_engine_args(self.engine_home)
            args += engine_args
            env.update(engine_env)
        env.update(self.env or {})
        self._started_before = self.output().count(STARTED_LINE) if os.path.exists(self.stdout_path) else 0
        with open(self.stdout_path, "ab") as out:
            self.proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env,
                                         preexec_fn=preexec_fn)

    def wait_started(self):
        # Ready when this start's "kura listening on" line is in the output (kura prints and
        # flushes the generated root credentials before it, and binds the port just before it)
        # and the port accepts: either alone races with the other (issue #10).
        deadline = time.time() + 30
        port_retries = 3
        while time.time() < deadline:
            if self.proc.poll() is not None:
                if port_retries > 0 and self._port_was_taken():
                    port_retries -= 1
                    self.port = free_port()
                    self.launch(*self._launched_with)
                    continue
                raise RuntimeError("kura exited: " + self.output())
            if self.output().count(STARTED_LINE) > self._started_before:
                try:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                        return self
                except OSError:
                    pass
            time.sleep(0.02)
        raise RuntimeError("kura did not start listening: " + self.output())

    def _port_was_taken(self):
        """Whether the start that just ended failed because another process had the port."""
        tail = self.output().rsplit(STARTED_LINE, 1)[-1]
        return f":{self.port}: Address already in use" in tail

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc and sig == signal.SIGTERM and self.proc.returncode not in (0, -signal.SIGTERM):
            raise AssertionError(f"kura exited with {self.proc.returncode}: " + open(self.stdout_path).read()[-4000:])
        self.proc = None

    def kill(self):
        self.stop(signal.SIGKILL)

    def output(self):
        with open(self.stdout_path, errors="replace") as f:
            return f.read()


class KuraCluster(_Clients):
    """KURA_E2E_ENGINES=cluster: CLUSTER_NODES `kura serve` nodes on one PostgreSQL schema and
    RADOS namespace (named after `data_dir`, as a shared-engine server's) with the same node keys,
    behind an HAProxy child process (mode http, balance roundrobin, a health check of each node
    on /_kura/health) on a port of its own: `endpoint` is HAProxy's, so consecutive requests land
    on different nodes. With `tls`, HAProxy also listens for HTTPS on `tls_port` (its own
    certificate: the same one) and speaks HTTPS to the nodes, so that a node sees TLS where the
    client used it (SSE-C, aws:SecureTransport). Each node keeps its data dir, audit log and output
    under NODE/ next to `data_dir`; output() and audit_paths cover every node. start() starts the
    nodes (the first alone: it creates the schema, account and root credentials), then HAProxy,
    and returns once HAProxy's health checks found every node up; stop() and kill() end them all."""

    def __init__(self, data_dir, tls=None, extra_args=(), env=None, join=None):
        self.data_dir = data_dir
        os.makedirs(data_dir, mode=0o700, exist_ok=True)
        self.engine_home = join.engine_home if join is not None else data_dir
        self.tls = tls
        self.home = os.path.dirname(os.path.abspath(data_dir))
        name = os.path.basename(data_dir)
        self.nodes = []
        for i in range(CLUSTER_NODES):
            node_home = os.path.join(self.home, f"{name}-node{i}")
            os.makedirs(node_home, exist_ok=True)
            # HAProxy names the client in X-Forwarded-For (option forwardfor), as the operator
            # guide's cluster does: aws:SourceIp and the audit trail see the client.
            node_args = ["--trusted-proxies", "127.0.0.1"] + list(extra_args)
            if os.environ.get("KURA_E2E_CONFIG_POLL"):  # e.g. 20ms: to tell lag from other faults
                node_args += ["--config-poll", os.environ["KURA_E2E_CONFIG_POLL"]]
            self.nodes.append(KuraNode(os.path.join(node_home, "data"), tls=tls, extra_args=node_args,
                                       env=env, home=node_home, engine_home=self.engine_home))
        self.port = free_port()
        self.tls_port_ = free_port() if tls else None
        self.haproxy = None
        self.haproxy_dir = os.path.join(self.home, f"{name}-haproxy")
        os.makedirs(self.haproxy_dir, exist_ok=True)
        self.stats_socket = os.path.join(self.haproxy_dir, "stats.sock")

    @property
    def tls_port(self):
        if self.tls_port_ is None:
            raise AttributeError("this cluster was made without tls")
        return self.tls_port_

    @property
    def proc(self):
        """The first node's process (None once stopped): whether the cluster runs."""
        return self.nodes[0].proc

    @property
    def audit_paths(self):
        return [node.audit_path for node in self.nodes]

    def output(self):
        return "".join(node.output() for node in self.nodes if os.path.exists(node.stdout_path))

    def start(self, root_from_env=True, preexec_fn=None):
        first, rest = self.nodes[0], self.nodes[1:]
        first.start(root_from_env, preexec_fn)
        for node in rest:
            node.launch(root_from_env, preexec_fn)
        for node in rest:
            node.wait_started()
        self._start_haproxy()
        return self

    def stop(self, sig=signal.SIGTERM):
        self._stop_haproxy()
        for node in self.nodes:
            if node.proc and node.proc.poll() is None:
                node.proc.send_signal(sig)
        for node in self.nodes:
            node.stop(sig)

    def kill(self):
        self.stop(signal.SIGKILL)

    def _haproxy_config(self):
        """mode http, roundrobin over the nodes, each checked on /_kura/health every 500 ms."""
        check = ("    option httpchk\n"
                 f"    http-check send meth GET uri {HEALTH_PATH} ver HTTP/1.1 hdr Host localhost\n"
                 "    http-check expect status 200\n"
                 "    default-server check inter 500ms fall 2 rise 1\n")
        lines = ["global",
                 f"    stats socket {self.stats_socket} mode 600 level admin",
                 "    log stdout format raw local0 info",
                 "defaults",
                 "    mode http",
                 "    log global",
                 "    option httplog",
                 "    balance roundrobin",
                 "    timeout connect 5s",
                 "    timeout client 300s",
                 "    timeout server 300s",
                 "    timeout http-keep-alive 60s",
                 # HAProxy answers Expect: 100-continue itself and forwards a request once its
                 # body arrived (or filled a buffer): a node that answers before reading a body
                 # closes its connection, which HAProxy does not pass on to the client, and a
                 # client that then skips the body (botocore) would have its next request on that
                 # connection read as the missing body.
                 "    option http-buffer-request",
                 "    option forwardfor",
                 "frontend plain",
                 f"    bind 127.0.0.1:{self.port}",
                 "    default_backend nodes",
                 "backend nodes",
                 check.rstrip("\n")]
        lines += [f"    server node{i} 127.0.0.1:{node.port}" for i, node in enumerate(self.nodes)]
        if self.tls:
            pem = os.path.join(self.haproxy_dir, "frontend.pem")
            with open(pem, "w") as f:
                f.write(open(self.tls[0]).read() + open(self.tls[1]).read())
            lines += ["frontend secure",
                      f"    bind 127.0.0.1:{self.tls_port} ssl crt {pem}",
                      "    default_backend nodes_tls",
                      "backend nodes_tls"]
            lines += [f"    server node{i} 127.0.0.1:{node.port} ssl verify required ca-file {self.tls[0]}"
                      f" verifyhost localhost track nodes/node{i}" for i, node in enumerate(self.nodes)]
        return "\n".join(lines) + "\n"

    def _launch_haproxy(self):
        config = os.path.join(self.haproxy_dir, "haproxy.cfg")
        with open(config, "w") as f:
            f.write(self._haproxy_config())
        out_path = os.path.join(self.haproxy_dir, "haproxy.out")
        with open(out_path, "w"):
            pass  # this launch's output only: a port taken is told by it
        with open(out_path, "ab") as out:
            self.haproxy = subprocess.Popen([HAPROXY_BIN, "-db", "-f", config], stdout=out,
                                            stderr=subprocess.STDOUT)

    def _start_haproxy(self):
        self._launch_haproxy()
        out_path = os.path.join(self.haproxy_dir, "haproxy.out")
        port_retries = 3
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.haproxy.poll() is not None:
                output = open(out_path).read()
                if port_retries > 0 and "cannot bind socket" in output:
                    port_retries -= 1  # another process took the port: take others
                    self.port = free_port()
                    if self.tls:
                        self.tls_port_ = free_port()
                    self._launch_haproxy()
                    continue
                raise RuntimeError("haproxy exited: " + output)
            if self._all_nodes_up():
                return
            time.sleep(0.05)
        raise RuntimeError("haproxy did not find every node up: " + self._stats())

    def _stats(self):
        try:
            with socket.socket(socket.AF_UNIX) as s:
                s.settimeout(2)
                s.connect(self.stats_socket)
                s.sendall(b"show stat\n")
                data = b""
                while chunk := s.recv(65536):
                    data += chunk
            return data.decode()
        except OSError:
            return ""

    def _all_nodes_up(self):
        """Whether every node of the plain backend passed a health check (HAProxy's `show stat`)."""
        lines = self._stats().splitlines()
        if not lines or not lines[0].startswith("# "):
            return False
        header = lines[0][2:].split(",")
        rows = [dict(zip(header, line.split(","))) for line in lines[1:] if line]
        servers = [r for r in rows if r["pxname"] == "nodes" and r["svname"].startswith("node")]
        return len(servers) == len(self.nodes) and all(
            r["status"] == "UP" and r["check_status"] == "L7OK" for r in servers)

    def _stop_haproxy(self):
        if self.haproxy and self.haproxy.poll() is None:
            self.haproxy.terminate()
            try:
                self.haproxy.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.haproxy.kill()
                self.haproxy.wait()
        self.haproxy = None


HAPROXY_BIN = os.environ.get("KURA_HAPROXY", shutil.which("haproxy") or "/usr/sbin/haproxy")
# What the tests construct: one node, or under KURA_E2E_ENGINES=cluster a cluster of them.
KuraServer = KuraCluster if CLUSTER else KuraNode


@pytest.fixture(scope="session")
def tls_cert(tmp_path_factory):
    d = tmp_path_factory.mktemp("tls")
    cert, key = str(d / "cert.pem"), str(d / "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, capture_output=True)
    return cert, key


def _server(tmp_path_factory, tls_cert, extra_args=()):
    d = tmp_path_factory.mktemp("kura")
    return KuraServer(str(d / "data"), tls=tls_cert, extra_args=extra_args).start()


@pytest.fixture(scope="module")
def kura(tmp_path_factory, tls_cert):
    server = _server(tmp_path_factory, tls_cert)
    yield server
    server.stop()


@pytest.fixture
def fresh_kura(tmp_path_factory, tls_cert):
    """A server of the test's own, for tests that restart or kill it."""
    server = _server(tmp_path_factory, tls_cert)
    yield server
    if server.proc:
        server.stop()


_bucket_counter = [0]


@pytest.fixture
def bucket(kura):
    _bucket_counter[0] += 1
    name = f"bucket-{os.getpid()}-{_bucket_counter[0]}"
    kura.client().create_bucket(Bucket=name)
    return name
