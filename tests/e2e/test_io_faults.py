"""I/O faults below kura, injected by tests/faults/libkura_faults.so (LD_PRELOAD; rules in the
file KURA_FAULTS names, re-read when it changes): a failed fsync of a blob or of the metadata
commit fails that request and is never acknowledged, and the failed commit does not come back
after a crash; a device that keeps failing stops metadata writes until restart; ENOSPC half-way
through a body is 507; EIO reading a blob is an error answer, not a crash; a slow device delays
only the requests that wait for it."""
import hashlib
import os
import threading
import time

import botocore.exceptions
import pytest

from conftest import KURA_BIN, SANITIZED, KuraServer

MiB = 1 << 20


def faults_library():
    build = os.environ.get("KURA_BUILD_DIR") or os.path.dirname(os.path.abspath(KURA_BIN))
    return os.path.join(build, "tests", "faults", "libkura_faults.so")


def body_of(name, size=2 * MiB):
    seed = hashlib.sha256(name.encode()).digest()
    return (seed * (size // len(seed) + 1))[:size]


class Faults:
    """The rules file of one server."""

    def __init__(self, path):
        self.path = path
        self.set("")

    def set(self, rules):
        temp = self.path + ".new"
        with open(temp, "w") as f:
            f.write(rules + "\n")
        os.replace(temp, self.path)  # a new file: a new modification time
        time.sleep(0.1)  # the injector looks at the file at most every 20 ms

    def clear(self):
        self.set("")


@pytest.fixture
def faulty(tmp_path):
    library = faults_library()
    assert os.path.exists(library), f"build the kura_faults target: {library} is missing"
    faults = Faults(str(tmp_path / "faults.rules"))
    env = {"LD_PRELOAD": library, "KURA_FAULTS": faults.path}
    if SANITIZED:  # ASan wants its runtime first in the link order; the injector is plain C
        env["ASAN_OPTIONS"] = os.environ.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0"
    server = KuraServer(str(tmp_path / "data"), env=env)
    server.start()
    server.client().create_bucket(Bucket="faults")
    yield server, faults
    faults.clear()
    if server.proc:
        server.stop()


def client(server):
    """A client that makes one attempt: botocore would retry a 500, and a retry is a new write."""
    import boto3
    import botocore.config
    from conftest import REGION, ROOT_KEY, ROOT_SECRET
    return boto3.session.Session().client(
        "s3", endpoint_url=server.endpoint, region_name=REGION, aws_access_key_id=ROOT_KEY,
        aws_secret_access_key=ROOT_SECRET,
        config=botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"},
                                      s3={"addressing_style": "path"}))


def error_of(call):
    try:
        call()
    except botocore.exceptions.ClientError as e:
        return e.response
    raise AssertionError("the call succeeded")


def assert_internal_error(response):
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 500, response
    assert response["Error"]["Code"] == "InternalError"
    assert "/" not in response["Error"]["Message"]


def digest(s3, key):
    return hashlib.sha256(s3.get_object(Bucket="faults", Key=key)["Body"].read()).hexdigest()


def temp_files(server):
    tmp = os.path.join(server.data_dir, "tmp")
    return os.listdir(tmp) if os.path.isdir(tmp) else []


def test_an_fsync_error_on_a_blob_fails_the_put_and_the_old_version_stays(faulty):
    server, faults = faulty
    s3 = client(server)
    old = body_of("old")
    s3.put_object(Bucket="faults", Key="k", Body=old)
    faults.set("fsync EIO path-contains=/data/tmp/ times=2")
    assert_internal_error(error_of(lambda: s3.put_object(Bucket="faults", Key="k", Body=body_of("new"))))
    assert_internal_error(error_of(lambda: s3.put_object(Bucket="faults", Key="fresh", Body=body_of("x"))))
    faults.clear()
    assert digest(s3, "k") == hashlib.sha256(old).hexdigest()
    assert error_of(lambda: s3.head_object(Bucket="faults", Key="fresh"))["Error"]["Code"] == "404"
    assert temp_files(server) == []
    newer = body_of("newer")
    s3.put_object(Bucket="faults", Key="k", Body=newer)
    assert digest(s3, "k") == hashlib.sha256(newer).hexdigest()
    assert "Input/output error" in server.output()  # the detail is in the log, with the request id


def fail_metadata_syncs(times=""):
    # SQLite syncs its WAL with fdatasync (or fsync, as built): both are armed.
    return "\n".join(f"{call} EIO path-contains=meta.db-wal {times}" for call in ("fdatasync", "fsync"))


def test_a_failed_metadata_commit_is_not_acknowledged_and_does_not_come_back_after_a_crash(faulty):
    server, faults = faulty
    s3 = client(server)
    kept = {f"kept{i}": body_of(f"kept{i}", size) for i, size in enumerate([100, 3 * MiB])}
    for key, body in kept.items():
        s3.put_object(Bucket="faults", Key=key, Body=body)
    faults.set(fail_metadata_syncs("times=1"))
    assert_internal_error(error_of(lambda: s3.put_object(Bucket="faults", Key="lost", Body=body_of("lost"))))
    assert error_of(lambda: s3.head_object(Bucket="faults", Key="lost"))["Error"]["Code"] == "404"
    # Crash before anything else commits: the failed commit's frames are still in the WAL
    # file, and kura must have sealed them, or recovery would bring "lost" back (its blob gone).
    server.kill()
    faults.clear()
    server.start()
    s3 = client(server)
    assert error_of(lambda: s3.head_object(Bucket="faults", Key="lost"))["Error"]["Code"] == "404"
    for key, body in kept.items():
        assert digest(s3, key) == hashlib.sha256(body).hexdigest()
    s3.put_object(Bucket="faults", Key="after", Body=b"after")  # the metadata log takes writes again
    assert s3.get_object(Bucket="faults", Key="after")["Body"].read() == b"after"


def test_a_device_that_keeps_failing_stops_metadata_writes_until_restart(faulty):
    server, faults = faulty
    s3 = client(server)
    s3.put_object(Bucket="faults", Key="before", Body=b"before")
    faults.set(fail_metadata_syncs())
    assert_internal_error(error_of(lambda: s3.put_object(Bucket="faults", Key="k1", Body=b"1")))
    faults.clear()
    # No retry of a failed fsync and no pretending: writes stay refused, reads go on.
    assert_internal_error(error_of(lambda: s3.put_object(Bucket="faults", Key="k2", Body=b"2")))
    assert_internal_error(error_of(lambda: s3.delete_object(Bucket="faults", Key="before")))
    assert s3.get_object(Bucket="faults", Key="before")["Body"].read() == b"before"
    assert "metadata writes are refused until kura restarts" in server.output()
    server.stop()
    server.start()
    s3 = client(server)
    assert error_of(lambda: s3.head_object(Bucket="faults", Key="k1"))["Error"]["Code"] == "404"
    s3.put_object(Bucket="faults", Key="k2", Body=b"2")
    assert s3.get_object(Bucket="faults", Key="before")["Body"].read() == b"before"


def test_enospc_half_way_through_a_body_is_insufficient_storage_and_leaves_nothing(faulty):
    server, faults = faulty
    s3 = client(server)
    faults.set("pwrite ENOSPC path-contains=/data/tmp/")
    response = error_of(lambda: s3.put_object(Bucket="faults", Key="big", Body=body_of("big", 8 * MiB)))
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 507
    assert response["Error"]["Code"] == "InsufficientStorage"
    assert "/" not in response["Error"]["Message"]
    faults.clear()
    assert temp_files(server) == []
    assert error_of(lambda: s3.head_object(Bucket="faults", Key="big"))["Error"]["Code"] == "404"


def raw_status(server, key):
    import urllib.error
    import urllib.request
    url = server.client().generate_presigned_url("get_object", Params={"Bucket": "faults", "Key": key})
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def test_eio_reading_a_blob_is_an_internal_error_and_the_server_serves_others(faulty):
    server, faults = faulty
    s3 = client(server)
    s3.put_object(Bucket="faults", Key="sick", Body=body_of("sick", 3 * MiB))
    s3.put_object(Bucket="faults", Key="small", Body=b"small")  # inline: in the database
    faults.set("pread EIO path-contains=/data/blobs/")
    status, body = raw_status(server, "sick")
    assert status == 500, status
    assert b"<Code>InternalError</Code>" in body and b"/data/" not in body
    assert s3.get_object(Bucket="faults", Key="small")["Body"].read() == b"small"
    faults.clear()
    assert digest(s3, "sick") == hashlib.sha256(body_of("sick", 3 * MiB)).hexdigest()
    assert server.proc.poll() is None


def timed_get(s3, key, results):
    """Times the request alone: making a boto3 client takes up to seconds on a loaded machine."""
    started = time.monotonic()
    s3.get_object(Bucket="faults", Key=key)["Body"].read()
    results.append(time.monotonic() - started)


def test_a_slow_write_device_does_not_stall_unrelated_reads(faulty):
    server, faults = faulty
    s3 = client(server)
    s3.put_object(Bucket="faults", Key="other", Body=body_of("other", 3 * MiB))
    slow_client = server.client()
    faults.set("fsync delay-ms=2000 path-contains=/data/tmp/")
    writer = threading.Thread(target=lambda: slow_client.put_object(
        Bucket="faults", Key="slow", Body=body_of("slow")))
    started = time.monotonic()
    writer.start()
    time.sleep(0.3)  # the PUT is now waiting for its fsync
    reads = []
    for _ in range(5):
        timed_get(s3, "other", reads)
    writer.join()
    assert time.monotonic() - started >= 2  # the fault did slow the write
    assert max(reads) < 1.0, reads


def test_a_slow_read_device_does_not_stall_unrelated_reads(faulty):
    """Reads of a blob on a slow device (every pread of it 2 s) hold up only their own request:
    kura must read blobs off the event loop (the verified-read pool) for this to pass."""
    server, faults = faulty
    s3 = client(server)
    s3.put_object(Bucket="faults", Key="slow", Body=body_of("slow", 3 * MiB))
    s3.put_object(Bucket="faults", Key="fast", Body=b"fast")  # inline: no blob file
    slow_client = server.client()
    faults.set("pread delay-ms=2000 path-contains=/data/blobs/")
    reader = threading.Thread(target=lambda: slow_client.get_object(
        Bucket="faults", Key="slow")["Body"].read())
    reader.start()
    time.sleep(0.3)
    reads = []
    for _ in range(5):
        timed_get(s3, "fast", reads)
    faults.clear()
    reader.join()
    assert max(reads) < 1.0, reads
