"""A full disk, on a real file system: kura's data dir is a 64 MiB tmpfs. Writes are refused with
507 InsufficientStorage (no server path in the answer) once free space falls below the reserve;
deletes, DeleteAccessKey, UpdateAccessKey and `kura sts revoke-sessions` keep working, also when
something outside kura fills the file system to its last byte; once space is back, writes work
again without a restart, and every object acknowledged before is intact."""
import hashlib
import json
import os
import socket
import subprocess
import threading
import time
import urllib.request

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import botocore.exceptions
import pytest

from conftest import KURA_BIN, REGION, ROOT_KEY, ROOT_SECRET, KuraServer

MiB = 1 << 20
RESERVE = 8 * MiB
BALLAST = 4 * MiB


def body_of(i, size=2 * MiB):
    seed = hashlib.sha256(f"object {i}".encode()).digest()
    return (seed * (size // len(seed) + 1))[:size]


def error_of(call):
    try:
        call()
    except botocore.exceptions.ClientError as e:
        return e.response
    raise AssertionError("the call succeeded")


def assert_insufficient_storage(response):
    assert response["Error"]["Code"] == "InsufficientStorage", response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 507
    assert "/" not in response["Error"]["Message"]


def mounted_tmpfs(path, size="64m"):
    os.makedirs(path)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", path],
                   check=True, capture_output=True)


@pytest.fixture
def small_disk(tmp_path):
    """A kura whose data dir is a 64 MiB tmpfs, with an 8 MiB reserve and a 4 MiB ballast."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root (CI runs as root)")
    data = str(tmp_path / "data")
    mounted_tmpfs(data)
    server = KuraServer(data, extra_args=["--min-free-space", str(RESERVE),
                                          "--metadata-ballast", str(BALLAST)])
    try:
        yield server.start()
    finally:
        if server.proc:
            server.stop()
        subprocess.run(["umount", "-l", data], check=False)


def fill_with_objects(s3, bucket, acknowledged, start=0):
    """PUTs 2 MiB objects until one is refused; returns the refusal."""
    for i in range(start, start + 100):
        body = body_of(i)
        try:
            s3.put_object(Bucket=bucket, Key=f"o{i}", Body=body)
        except botocore.exceptions.ClientError as e:
            return e.response
        acknowledged[f"o{i}"] = hashlib.sha256(body).hexdigest()
    raise AssertionError("a 64 MiB file system took 200 MiB")


def fill_to_the_last_byte(data_dir):
    """Fills the file system with a file kura does not know about."""
    filler = os.path.join(data_dir, "filler")
    subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=64k"], capture_output=True)
    st = os.statvfs(data_dir)
    assert st.f_bavail == 0, "the filler left space"
    return filler


def raw_get(server, bucket, key):
    """The object's bytes over plain HTTP (a presigned URL), not through boto3's reader."""
    url = server.client().generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key})
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def assert_intact(server, bucket, acknowledged):
    s3 = server.client()
    for key, digest in acknowledged.items():
        assert hashlib.sha256(s3.get_object(Bucket=bucket, Key=key)["Body"].read()).hexdigest() == digest, key
        assert hashlib.sha256(raw_get(server, bucket, key)).hexdigest() == digest, key


def no_temp_files(data_dir):
    tmp = os.path.join(data_dir, "tmp")
    return not os.path.isdir(tmp) or os.listdir(tmp) == []


def revoke_sessions(server, role):
    env = dict(os.environ, KURA_ROOT_ACCESS_KEY=ROOT_KEY, KURA_ROOT_SECRET_KEY=ROOT_SECRET)
    out = subprocess.run([KURA_BIN, "sts", "revoke-sessions", "--role", role,
                          "--endpoint", server.endpoint, "--data-dir", server.data_dir],
                         env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr


class Identities:
    """A user with two access keys, and a role the user may assume (a live session of it)."""

    def __init__(self, server):
        self.iam = server.client("iam")
        self.iam.create_user(UserName="alice")
        self.keys = [self.iam.create_access_key(UserName="alice")["AccessKey"] for _ in range(2)]
        user_arn = self.iam.get_user(UserName="alice")["User"]["Arn"]
        self.iam.put_user_policy(UserName="alice", PolicyName="assume", PolicyDocument=json.dumps(
            {"Version": "2012-10-17",
             "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}))
        role = self.iam.create_role(RoleName="uploader", AssumeRolePolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": user_arn}, "Action": "sts:AssumeRole"}]}))
        self.iam.put_role_policy(RoleName="uploader", PolicyName="list", PolicyDocument=json.dumps(
            {"Version": "2012-10-17",
             "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}))
        sts = server.client("sts", key=self.keys[0]["AccessKeyId"], secret=self.keys[0]["SecretAccessKey"])
        creds = sts.assume_role(RoleArn=role["Role"]["Arn"], RoleSessionName="session")["Credentials"]
        self.session_s3 = server.client(key=creds["AccessKeyId"], secret=creds["SecretAccessKey"],
                                        token=creds["SessionToken"])


def check_revocations_work(server, ids, bucket):
    """DeleteAccessKey, UpdateAccessKey to Inactive and revoke-sessions, each taking effect."""
    ids.iam.delete_access_key(UserName="alice", AccessKeyId=ids.keys[1]["AccessKeyId"])
    ids.iam.update_access_key(UserName="alice", AccessKeyId=ids.keys[0]["AccessKeyId"], Status="Inactive")
    listed = ids.iam.list_access_keys(UserName="alice")["AccessKeyMetadata"]
    assert [(k["AccessKeyId"], k["Status"]) for k in listed] == [(ids.keys[0]["AccessKeyId"], "Inactive")]
    inactive = server.client(key=ids.keys[0]["AccessKeyId"], secret=ids.keys[0]["SecretAccessKey"])
    assert error_of(lambda: inactive.list_buckets())["Error"]["Code"] == "InvalidAccessKeyId"
    ids.session_s3.list_objects_v2(Bucket=bucket)  # the session works until revoked
    time.sleep(1.1)  # revocation cuts at a whole second after the session's issue time
    revoke_sessions(server, "uploader")
    assert error_of(lambda: ids.session_s3.list_objects_v2(Bucket=bucket))["Error"]["Code"] == "AccessDenied"


def test_writes_stop_at_the_reserve_deletes_and_revocations_go_on_and_writes_come_back(small_disk):
    server = small_disk
    s3 = server.client()
    s3.create_bucket(Bucket="full")
    ids = Identities(server)
    acknowledged = {}
    assert os.path.getsize(os.path.join(server.data_dir, "reserve")) == BALLAST
    # An upload whose part is stored before the disk fills: completing it copies nothing.
    upload = s3.create_multipart_upload(Bucket="full", Key="uploaded")["UploadId"]
    part = s3.upload_part(Bucket="full", Key="uploaded", UploadId=upload, PartNumber=1,
                          Body=body_of("part", 1 * MiB))["ETag"]

    refusal = fill_with_objects(s3, "full", acknowledged)
    assert_insufficient_storage(refusal)
    assert len(acknowledged) >= 10
    st = os.statvfs(server.data_dir)
    assert st.f_bavail * st.f_frsize > RESERVE // 2  # refused at the reserve, not at ENOSPC
    # The refusals counted the body: space is left above the reserve for empty writes. Something
    # else now takes the file system below the reserve.
    below = os.path.join(server.data_dir, "below")
    with open(below, "wb") as f:
        f.write(b"\0" * (st.f_bavail * st.f_frsize - RESERVE // 2))
    time.sleep(0.3)  # the monitor's cached reading expires
    # Every write that takes space is refused, in each API's own error shape.
    assert_insufficient_storage(error_of(lambda: s3.create_bucket(Bucket="more")))
    assert_insufficient_storage(error_of(lambda: s3.create_multipart_upload(Bucket="full", Key="m")))
    assert_insufficient_storage(error_of(lambda: ids.iam.create_user(UserName="bob")))
    s3.complete_multipart_upload(Bucket="full", Key="uploaded", UploadId=upload, MultipartUpload={
        "Parts": [{"PartNumber": 1, "ETag": part}]})
    acknowledged["uploaded"] = hashlib.sha256(body_of("part", 1 * MiB)).hexdigest()
    assert no_temp_files(server.data_dir)

    # Something else takes the last byte: kura's metadata commits live on the ballast.
    filler = fill_to_the_last_byte(server.data_dir)
    check_revocations_work(server, ids, "full")
    assert "released the metadata ballast" in server.output()  # the WAL needed new pages
    assert_insufficient_storage(error_of(lambda: s3.put_object(Bucket="full", Key="x", Body=b"x" * 1000)))
    s3.delete_object(Bucket="full", Key="o0")
    deleted = s3.delete_objects(Bucket="full", Delete={"Objects": [{"Key": "o1"}, {"Key": "o2"}]})
    assert sorted(d["Key"] for d in deleted["Deleted"]) == ["o1", "o2"] and not deleted.get("Errors")
    for key in ("o0", "o1", "o2"):
        del acknowledged[key]
        assert error_of(lambda: s3.head_object(Bucket="full", Key=key))["Error"]["Code"] == "404"

    # Space comes back: writes work again at once, without a restart, and the ballast is re-made.
    os.remove(filler)
    os.remove(below)
    for i in range(3, 8):
        s3.delete_object(Bucket="full", Key=f"o{i}")
        del acknowledged[f"o{i}"]
    body = body_of(1000)
    deadline = time.time() + 10  # the blobs are unlinked just after the deletes answer
    while True:
        try:
            s3.put_object(Bucket="full", Key="after", Body=body)
            break
        except botocore.exceptions.ClientError as e:
            assert_insufficient_storage(e.response)
            assert time.time() < deadline, "space freed by deletes was not seen"
            time.sleep(0.1)
    acknowledged["after"] = hashlib.sha256(body).hexdigest()
    deadline = time.time() + 10
    while not os.path.exists(os.path.join(server.data_dir, "reserve")) and time.time() < deadline:
        s3.put_object(Bucket="full", Key="tiny", Body=b"t")  # each write may refresh the reading
        time.sleep(0.3)
    assert os.path.getsize(os.path.join(server.data_dir, "reserve")) == BALLAST
    server.client("iam").create_user(UserName="carol")
    assert_intact(server, "full", acknowledged)
    assert no_temp_files(server.data_dir)


def signed_put_head(server, bucket, key, length):
    """The head of a SigV4-signed PUT (UNSIGNED-PAYLOAD) declaring `length` bytes and asking for
    100-continue, as bytes to send on a raw socket."""
    url = f"{server.endpoint}/{bucket}/{key}"
    request = botocore.awsrequest.AWSRequest(method="PUT", url=url, headers={
        "Content-Length": str(length), "Expect": "100-continue",
        "x-amz-content-sha256": "UNSIGNED-PAYLOAD"})
    botocore.auth.S3SigV4Auth(botocore.credentials.Credentials(ROOT_KEY, ROOT_SECRET), "s3",
                              REGION).add_auth(request)
    lines = [f"PUT /{bucket}/{key} HTTP/1.1", f"Host: 127.0.0.1:{server.port}"]
    lines += [f"{name}: {value}" for name, value in request.headers.items() if name.lower() != "host"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def test_a_body_larger_than_the_free_space_is_refused_before_it_is_sent(small_disk):
    server = small_disk
    server.client().create_bucket(Bucket="big")
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as conn:
        started = time.monotonic()
        conn.sendall(signed_put_head(server, "big", "huge", 1 << 30))  # 1 GiB declared, none sent
        answer = b""
        while True:  # kura answers and closes: the client will not send a body it was refused
            piece = conn.recv(65536)
            if not piece:
                break
            answer += piece
        assert time.monotonic() - started < 5
    status_line = answer.split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.1 507"), answer[:300]
    assert b"100 Continue" not in answer
    assert b"<Code>InsufficientStorage</Code>" in answer
    assert b"/" not in answer.split(b"<Message>")[1].split(b"</Message>")[0]
    assert error_of(lambda: server.client().head_object(Bucket="big", Key="huge"))["Error"]["Code"] == "404"


def test_bodies_that_fill_the_disk_mid_stream_are_refused_and_leave_nothing(tmp_path):
    """No reserve: two 36 MiB PUTs each fit in the free space when they start, not together;
    the one that finds the disk full half-way answers 507 and its temp file is gone."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root (CI runs as root)")
    data = str(tmp_path / "data")
    mounted_tmpfs(data)
    server = KuraServer(data, extra_args=["--min-free-space", "0", "--metadata-ballast", "4MiB"])
    try:
        server.start()
        server.client().create_bucket(Bucket="race")
        results = {}

        def put(i):
            body = body_of(i, 36 * MiB)
            try:
                server.client().put_object(Bucket="race", Key=f"k{i}", Body=body)
                results[i] = hashlib.sha256(body).hexdigest()
            except botocore.exceptions.ClientError as e:
                results[i] = e.response

        threads = [threading.Thread(target=put, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        refused = [r for r in results.values() if isinstance(r, dict)]
        assert len(refused) >= 1, results
        for response in refused:
            assert_insufficient_storage(response)
        assert no_temp_files(data)
        assert_intact(server, "race", {f"k{i}": r for i, r in results.items() if isinstance(r, str)})
        # The space the refused body took is free again: a smaller object fits.
        server.client().put_object(Bucket="race", Key="after", Body=body_of(7, 8 * MiB))
    finally:
        if server.proc:
            server.stop()
        subprocess.run(["umount", "-l", data], check=False)
