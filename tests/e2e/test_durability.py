"""Crash safety with a real server: kill -9 during uploads and overwrites, restart, and check that
every acknowledged object is whole, no partial object is visible, and orphans are swept; a client
that disconnects mid-upload leaves nothing behind; the data dir is private and holds IAM secrets
only sealed."""
import hashlib
import json
import os
import stat
import socket
import threading
import time

import botocore.exceptions
import pytest


def object_bytes(i, size):
    seed = hashlib.sha256(str(i).encode()).digest()
    return (seed * (size // len(seed) + 1))[:size]


def test_kill_during_uploads_loses_nothing_acknowledged(fresh_kura):
    s3 = fresh_kura.client()
    s3.create_bucket(Bucket="crash")
    acknowledged = {}
    stop = threading.Event()

    # Clients are made before the load (making one under a loaded CI machine took seconds, longer
    # than the load ran), and the kill waits for acknowledged writes rather than a fixed time.
    clients = [fresh_kura.client() for _ in range(4)]

    def writer(worker):
        client = clients[worker]
        i = 0
        while not stop.is_set():
            key = f"w{worker}/{i}"
            size = [100, 70_000, 300_000][i % 3]  # inline and file blobs
            body = object_bytes((worker, i), size)
            try:
                etag = client.put_object(Bucket="crash", Key=key, Body=body)["ETag"]
                acknowledged[key] = (hashlib.md5(body).hexdigest(), etag)
            except Exception:
                return  # the server died under us: the request was not acknowledged
            i += 1

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    deadline = time.time() + 60
    while len(acknowledged) <= 40 and time.time() < deadline:
        time.sleep(0.05)
    fresh_kura.kill()
    stop.set()
    for t in threads:
        t.join()
    assert len(acknowledged) > 10

    fresh_kura.start()
    s3 = fresh_kura.client()
    listed = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket="crash"):
        for o in page.get("Contents", []):
            listed[o["Key"]] = o
    for key, (md5, etag) in acknowledged.items():
        assert key in listed, f"acknowledged {key} lost"
        body = s3.get_object(Bucket="crash", Key=key)["Body"].read()
        assert hashlib.md5(body).hexdigest() == md5
    for key, entry in listed.items():  # everything visible is whole
        body = s3.get_object(Bucket="crash", Key=key)["Body"].read()
        assert len(body) == entry["Size"]
        assert '"%s"' % hashlib.md5(body).hexdigest() == entry["ETag"]
    tmp = os.path.join(fresh_kura.data_dir, "tmp")
    assert not os.path.isdir(tmp) or os.listdir(tmp) == []
    # Blobs sealed but never committed are swept in the background once kura serves: in the end
    # exactly one file per listed object over 64 KiB remains.
    file_objects = sum(1 for entry in listed.values() if entry["Size"] > 64 * 1024)
    deadline = time.time() + 20
    while blob_files(fresh_kura.data_dir) != file_objects and time.time() < deadline:
        time.sleep(0.1)
    assert blob_files(fresh_kura.data_dir) == file_objects


def blob_files(data_dir):
    return sum(len(files) for _, _, files in os.walk(os.path.join(data_dir, "blobs")))


def test_kill_during_overwrites_keeps_old_or_new_whole(fresh_kura):
    s3 = fresh_kura.client()
    s3.create_bucket(Bucket="swap")
    versions = [object_bytes(("v", n), 200_000) for n in range(2)]
    s3.put_object(Bucket="swap", Key="k", Body=versions[0])
    stop = threading.Event()

    client = fresh_kura.client()
    overwritten = threading.Event()

    def overwrite():
        n = 1
        while not stop.is_set():
            try:
                client.put_object(Bucket="swap", Key="k", Body=versions[n % 2])
            except Exception:
                return
            n += 1
            if n > 5:
                overwritten.set()

    t = threading.Thread(target=overwrite)
    t.start()
    assert overwritten.wait(60)
    time.sleep(0.2)
    fresh_kura.kill()
    stop.set()
    t.join()
    fresh_kura.start()
    body = fresh_kura.client().get_object(Bucket="swap", Key="k")["Body"].read()
    assert body in versions


def test_client_disconnect_mid_upload_leaves_nothing(fresh_kura):
    s3 = fresh_kura.client()
    s3.create_bucket(Bucket="drop")
    # A raw PUT that promises 10 MB, sends 1 MB, and hangs up. UNSIGNED-PAYLOAD keeps it simple.
    import botocore.auth
    import botocore.awsrequest
    import botocore.credentials
    from conftest import ROOT_KEY, ROOT_SECRET
    url = f"{fresh_kura.endpoint}/drop/partial"
    request = botocore.awsrequest.AWSRequest(method="PUT", url=url, data=b"",
                                             headers={"Content-Length": str(10_000_000)})

    class Unsigned(botocore.auth.S3SigV4Auth):
        def payload(self, request):
            return "UNSIGNED-PAYLOAD"
    Unsigned(botocore.credentials.Credentials(ROOT_KEY, ROOT_SECRET), "s3", "us-east-1").add_auth(request)
    head = f"PUT /drop/partial HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in request.headers.items())
    with socket.create_connection(("127.0.0.1", fresh_kura.port)) as sock:
        sock.sendall(head.encode() + b"\r\n" + b"x" * 1_000_000)
        time.sleep(0.3)
    time.sleep(0.5)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.head_object(Bucket="drop", Key="partial")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    tmp = os.path.join(fresh_kura.data_dir, "tmp")
    deadline = time.time() + 5
    while os.path.isdir(tmp) and os.listdir(tmp) and time.time() < deadline:
        time.sleep(0.1)
    assert not os.path.isdir(tmp) or os.listdir(tmp) == []


def test_restart_keeps_everything_and_root_credentials_file_is_private(tmp_path, tls_cert):
    from conftest import KuraServer
    server = KuraServer(str(tmp_path / "data")).start(root_from_env=False)
    out = server.output()
    assert "AWS_SECRET_ACCESS_KEY=" in out
    key = out.split("AWS_ACCESS_KEY_ID=")[1].split()[0]
    secret = out.split("AWS_SECRET_ACCESS_KEY=")[1].split()[0]
    assert key.startswith("AKIA") and len(key) == 20 and len(secret) == 40
    creds = os.path.join(server.data_dir, "root-credentials")
    assert os.stat(creds).st_mode & 0o777 == 0o600
    assert os.stat(server.data_dir).st_mode & 0o777 == 0o700
    s3 = server.client(key=key, secret=secret)
    s3.create_bucket(Bucket="keep")
    s3.put_object(Bucket="keep", Key="k", Body=b"kept")
    server.stop()
    server.start(root_from_env=False)
    assert server.output().count("AWS_SECRET_ACCESS_KEY=") == 1  # printed once, on first start only
    assert server.client(key=key, secret=secret).get_object(Bucket="keep", Key="k")["Body"].read() == b"kept"
    server.stop()


def modes_in(data_dir):
    """Every path under the data dir (itself included) with its permission bits."""
    out = {data_dir: os.stat(data_dir).st_mode}
    for root, dirs, files in os.walk(data_dir):
        for name in dirs + files:
            path = os.path.join(root, name)
            out[path] = os.lstat(path).st_mode
    return out


def test_data_dir_is_private_and_iam_secrets_are_sealed_at_rest(tmp_path):
    """Issue #10 item 8: 0600 files / 0700 dirs everywhere in the data dir, and an IAM user's
    secret access key nowhere in it in plaintext (meta.db, its WAL, any file), yet usable after
    a restart."""
    from conftest import KuraServer
    old_umask = os.umask(0o022)  # what a service manager typically hands kura
    try:
        server = KuraServer(str(tmp_path / "data")).start()
    finally:
        os.umask(old_umask)
    iam = server.client("iam")
    iam.create_user(UserName="sealed")
    key = iam.create_access_key(UserName="sealed")["AccessKey"]
    iam.put_user_policy(UserName="sealed", PolicyName="all", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
    user_s3 = server.client(key=key["AccessKeyId"], secret=key["SecretAccessKey"])
    user_s3.create_bucket(Bucket="sealed-bucket")
    user_s3.put_object(Bucket="sealed-bucket", Key="big", Body=os.urandom(200 * 1024))  # a blob file

    def check_data_dir():
        secret = key["SecretAccessKey"].encode()
        modes = modes_in(server.data_dir)
        for path, mode in modes.items():
            expected = 0o700 if stat.S_ISDIR(mode) else 0o600
            assert stat.S_IMODE(mode) == expected, f"{path}: {oct(stat.S_IMODE(mode))}"
            if stat.S_ISREG(mode):
                with open(path, "rb") as f:
                    assert secret not in f.read(), f"{path} holds the secret in plaintext"
        return modes

    modes = check_data_dir()  # while running: meta.db-wal holds the fresh commits
    for name in ("meta.db", "meta.db-wal", "meta.db-shm", "secrets.key", "account-id", "sts-keys",
                 "LOCK", "blobs"):
        assert os.path.join(server.data_dir, name) in modes, name
    assert os.path.getsize(os.path.join(server.data_dir, "secrets.key")) == 32
    server.stop()
    check_data_dir()
    server.start()
    again = server.client(key=key["AccessKeyId"], secret=key["SecretAccessKey"])
    assert len(again.get_object(Bucket="sealed-bucket", Key="big")["Body"].read()) == 200 * 1024
    check_data_dir()
    server.stop()
