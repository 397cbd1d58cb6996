"""Fixtures for end-to-end tests: a real `kura serve` on a free port in a temp dir, and clients
(boto3, aws CLI v1 and v2, raw HTTP) pointed at it with the root credentials."""
import hashlib
import os
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
SHARED_ENGINES = os.environ.get("KURA_E2E_ENGINES") == "shared"


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


def free_port():
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


class KuraServer:
    def __init__(self, data_dir, tls=None, extra_args=(), env=None, join=None):
        """join: another KuraServer whose PostgreSQL schema, RADOS namespace and node keys this
        one shares (a second node of the same cluster; the shared engines only)."""
        self.data_dir = data_dir
        self.engine_home = join.engine_home if join is not None else data_dir
        self.port = free_port()
        self.tls = tls  # (cert, key) or None
        self.extra_args = list(extra_args)
        self.env = env
        self.proc = None
        self.audit_path = os.path.join(os.path.dirname(data_dir), "audit.log")
        self.stdout_path = os.path.join(os.path.dirname(data_dir), "kura.out")

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def tls_endpoint(self):
        return f"https://localhost:{self.port}"

    def start(self, root_from_env=True, preexec_fn=None):
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
        started_before = self.output().count(STARTED_LINE) if os.path.exists(self.stdout_path) else 0
        with open(self.stdout_path, "ab") as out:
            self.proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env,
                                         preexec_fn=preexec_fn)
        # Ready when this start's "kura listening on" line is in the output (kura prints and
        # flushes the generated root credentials before it, and binds the port just before it)
        # and the port accepts: either alone races with the other (issue #10).
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("kura exited: " + self.output())
            if self.output().count(STARTED_LINE) > started_before:
                try:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                        return self
                except OSError:
                    pass
            time.sleep(0.02)
        raise RuntimeError("kura did not start listening: " + self.output())

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
