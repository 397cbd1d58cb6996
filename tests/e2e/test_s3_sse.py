"""Server-side encryption end to end over HTTPS with boto3 and the aws CLI: SSE-C (and SSE-S3
when kura runs with a key service) on put/get/head/range/partNumber/copy/multipart; SSE-C over
plain HTTP refused unless --sse-c-over-http; wrong or missing keys; nothing stored in plaintext;
a flipped byte on disk fails the GET."""
import base64
import hashlib
import os

import botocore.exceptions
import pytest
import requests

from conftest import SHARED_ENGINES, KuraServer

# On the shared engines (docs/scale-out.md) the bytes are in RADOS, not in the data dir's files
# these tests read and damage (the RADOS store's own tests corrupt stripes: store_test).
reads_blob_files = pytest.mark.skipif(SHARED_ENGINES, reason="reads the data dir's blob files")

MARKER = b"KURA-PLAINTEXT-MARKER-"
KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))


def body(n):
    return (MARKER * (n // len(MARKER) + 1))[:n]


def sse_c(key=KEY):
    return {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": key}


def code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def status(excinfo):
    return excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture
def s3(kura):
    return kura.client(tls=True)


def blob_files(server):
    root = os.path.join(server.data_dir, "blobs")
    for dirpath, _, files in os.walk(root):
        for name in files:
            yield os.path.join(dirpath, name)


@pytest.mark.parametrize("size", [0, 1, 65535, 65536, 65537, 3 * 1024 * 1024 + 5])
def test_sse_c_round_trip_and_headers(s3, bucket, size):
    data = body(size)
    put = s3.put_object(Bucket=bucket, Key="k", Body=data, **sse_c())
    assert put["SSECustomerAlgorithm"] == "AES256"
    assert put["SSECustomerKeyMD5"] == base64.b64encode(hashlib.md5(KEY).digest()).decode()
    assert put["ETag"].strip('"') != hashlib.md5(data).hexdigest()  # SSE-C ETags are not the MD5
    got = s3.get_object(Bucket=bucket, Key="k", **sse_c())
    assert got["Body"].read() == data
    assert got["SSECustomerAlgorithm"] == "AES256" and got["ETag"] == put["ETag"]
    head = s3.head_object(Bucket=bucket, Key="k", **sse_c())
    assert head["ContentLength"] == size
    # botocore does not encode SSE-C keys for GetObjectAttributes: they go as the headers carry them.
    attributes = s3.get_object_attributes(Bucket=bucket, Key="k", ObjectAttributes=["ETag", "ObjectSize"],
                                          SSECustomerAlgorithm="AES256", SSECustomerKey=base64.b64encode(KEY).decode(),
                                          SSECustomerKeyMD5=base64.b64encode(hashlib.md5(KEY).digest()).decode())
    assert attributes["ObjectSize"] == size and attributes["ETag"] == put["ETag"].strip('"')
    listed = s3.list_objects_v2(Bucket=bucket)["Contents"]
    assert [o["Size"] for o in listed if o["Key"] == "k"] == [size]


def test_sse_c_ranges_cross_segment_edges(s3, bucket):
    data = body(5 * 65536 + 123)
    s3.put_object(Bucket=bucket, Key="r", Body=data, **sse_c())
    for first, last in [(0, 0), (65535, 65536), (65530, 2 * 65536 + 9), (5 * 65536, 5 * 65536 + 122),
                        (100, 4 * 65536)]:
        got = s3.get_object(Bucket=bucket, Key="r", Range=f"bytes={first}-{last}", **sse_c())
        assert got["Body"].read() == data[first:last + 1], (first, last)
    small = body(5000)
    s3.put_object(Bucket=bucket, Key="small", Body=small, **sse_c())
    got = s3.get_object(Bucket=bucket, Key="small", Range="bytes=10-4000", **sse_c())
    assert got["Body"].read() == small[10:4001]


def test_sse_c_wrong_or_missing_key(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"secret", **sse_c())
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object(Bucket=bucket, Key="k")
    assert status(e) == 400
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object(Bucket=bucket, Key="k", **sse_c(OTHER_KEY))
    assert status(e) == 403
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.head_object(Bucket=bucket, Key="k")
    assert status(e) == 400
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object_attributes(Bucket=bucket, Key="k", ObjectAttributes=["ObjectSize"])
    assert status(e) == 400
    s3.put_object(Bucket=bucket, Key="plain", Body=b"plain")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object(Bucket=bucket, Key="plain", **sse_c())
    assert status(e) == 400


def test_sse_c_refused_over_plain_http(kura, bucket):
    plain = kura.client()
    with pytest.raises(botocore.exceptions.ClientError) as e:
        plain.put_object(Bucket=bucket, Key="k", Body=b"x", **sse_c())
    assert status(e) == 400 and code(e) == "InvalidRequest"


def test_sse_c_over_plain_http_when_allowed(tmp_path, tls_cert):
    server = KuraServer(str(tmp_path / "data"), tls=tls_cert, extra_args=["--sse-c-over-http", "on"]).start()
    try:
        s3 = server.client()
        s3.create_bucket(Bucket="sse-bucket")
        s3.put_object(Bucket="sse-bucket", Key="k", Body=b"over http", **sse_c())
        assert s3.get_object(Bucket="sse-bucket", Key="k", **sse_c())["Body"].read() == b"over http"
    finally:
        server.stop()


def test_sse_c_copy_between_modes(s3, bucket):
    data = body(200000)
    s3.put_object(Bucket=bucket, Key="src", Body=data, **sse_c())
    # SSE-C → SSE-C under another key.
    s3.copy_object(Bucket=bucket, Key="c2", CopySource={"Bucket": bucket, "Key": "src"},
                   CopySourceSSECustomerAlgorithm="AES256", CopySourceSSECustomerKey=KEY, **sse_c(OTHER_KEY))
    assert s3.get_object(Bucket=bucket, Key="c2", **sse_c(OTHER_KEY))["Body"].read() == data
    # SSE-C → plain.
    s3.copy_object(Bucket=bucket, Key="p", CopySource={"Bucket": bucket, "Key": "src"},
                   CopySourceSSECustomerAlgorithm="AES256", CopySourceSSECustomerKey=KEY)
    assert s3.get_object(Bucket=bucket, Key="p")["Body"].read() == data
    # plain → SSE-C.
    s3.copy_object(Bucket=bucket, Key="c3", CopySource={"Bucket": bucket, "Key": "p"}, **sse_c())
    assert s3.get_object(Bucket=bucket, Key="c3", **sse_c())["Body"].read() == data
    # The source's key is needed.
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.copy_object(Bucket=bucket, Key="x", CopySource={"Bucket": bucket, "Key": "src"})
    assert status(e) == 400


def test_sse_c_multipart_and_part_number(s3, bucket):
    part1, part2 = body(5 * 1024 * 1024), body(70000)[::-1]
    upload = s3.create_multipart_upload(Bucket=bucket, Key="mp", **sse_c())
    assert upload["SSECustomerAlgorithm"] == "AES256"
    uid = upload["UploadId"]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.upload_part(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=1, Body=part1, **sse_c(OTHER_KEY))
    assert status(e) == 403
    e1 = s3.upload_part(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=1, Body=part1, **sse_c())["ETag"]
    e2 = s3.upload_part_copy(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=2,
                             CopySource={"Bucket": bucket, "Key": _put_plain(s3, bucket, "mp-src", part2)},
                             **sse_c())["CopyPartResult"]["ETag"]
    s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=uid, MultipartUpload={
        "Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]})
    got = s3.get_object(Bucket=bucket, Key="mp", **sse_c())["Body"].read()
    assert got == part1 + part2
    assert s3.get_object(Bucket=bucket, Key="mp", PartNumber=2, **sse_c())["Body"].read() == part2
    ranged = s3.get_object(Bucket=bucket, Key="mp", Range=f"bytes={len(part1) - 10}-{len(part1) + 9}", **sse_c())
    assert ranged["Body"].read() == (part1 + part2)[len(part1) - 10:len(part1) + 10]


def _put_plain(s3, bucket, key, data):
    s3.put_object(Bucket=bucket, Key=key, Body=data)
    return key


@reads_blob_files
def test_nothing_stored_in_plaintext(kura, s3, bucket):
    before = set(blob_files(kura))
    s3.put_object(Bucket=bucket, Key="inline", Body=MARKER + b"inline-only", **sse_c())
    s3.put_object(Bucket=bucket, Key="file", Body=body(300000), **sse_c())
    written = set(blob_files(kura)) - before
    assert written
    for path in written:
        with open(path, "rb") as f:
            assert MARKER not in f.read(), path
    db = os.path.join(kura.data_dir, "meta.db")
    for suffix in ("", "-wal"):
        if os.path.exists(db + suffix):
            with open(db + suffix, "rb") as f:
                assert b"inline-only" not in f.read()


@reads_blob_files
def test_flipped_byte_on_disk_fails_the_get(tmp_path, tls_cert):
    server = KuraServer(str(tmp_path / "data"), tls=tls_cert).start()
    try:
        s3 = server.client(tls=True)
        s3.create_bucket(Bucket="sse-bucket")
        s3.put_object(Bucket="sse-bucket", Key="k", Body=body(100000), **sse_c())
        [path] = list(blob_files(server))
        with open(path, "r+b") as f:
            f.seek(2000)
            byte = f.read(1)
            f.seek(2000)
            f.write(bytes([byte[0] ^ 1]))
        with pytest.raises(botocore.exceptions.ClientError) as e:
            s3.get_object(Bucket="sse-bucket", Key="k", **sse_c())["Body"].read()
        assert status(e) == 500
    finally:
        server.stop()


def test_aws_cli_sse_c_cp_up_down_and_copy(kura, bucket, tmp_path):
    key_file = tmp_path / "key.bin"
    key_file.write_bytes(KEY)
    src = tmp_path / "up.bin"
    src.write_bytes(body(300000))
    kura.aws("s3", "cp", str(src), f"s3://{bucket}/cli", "--sse-c", "AES256", "--sse-c-key",
             f"fileb://{key_file}", tls=True)
    down = tmp_path / "down.bin"
    kura.aws("s3", "cp", f"s3://{bucket}/cli", str(down), "--sse-c", "AES256", "--sse-c-key",
             f"fileb://{key_file}", tls=True)
    assert down.read_bytes() == src.read_bytes()
    kura.aws("s3", "cp", f"s3://{bucket}/cli", f"s3://{bucket}/cli-copy", "--sse-c", "AES256",
             "--sse-c-key", f"fileb://{key_file}", "--sse-c-copy-source", "AES256",
             "--sse-c-copy-source-key", f"fileb://{key_file}", tls=True)
    again = tmp_path / "again.bin"
    kura.aws("s3", "cp", f"s3://{bucket}/cli-copy", str(again), "--sse-c", "AES256", "--sse-c-key",
             f"fileb://{key_file}", tls=True)
    assert again.read_bytes() == src.read_bytes()


def test_sse_s3_round_trip_copy_and_cli(kura, s3, bucket, tmp_path):
    data = body(150000)
    put = s3.put_object(Bucket=bucket, Key="s", Body=data, ServerSideEncryption="AES256")
    assert put["ServerSideEncryption"] == "AES256"
    assert put["ETag"].strip('"') == hashlib.md5(data).hexdigest()  # as AWS: SSE-S3 ETag is the MD5
    got = s3.get_object(Bucket=bucket, Key="s", Range="bytes=65000-70000")
    assert got["ServerSideEncryption"] == "AES256" and got["Body"].read() == data[65000:70001]
    # Onto itself with new metadata: still SSE-S3, said so.
    again = s3.copy_object(Bucket=bucket, Key="s", CopySource={"Bucket": bucket, "Key": "s"},
                           MetadataDirective="REPLACE", Metadata={"a": "1"}, ServerSideEncryption="AES256")
    assert again["ServerSideEncryption"] == "AES256"
    assert s3.get_object(Bucket=bucket, Key="s")["Body"].read() == data
    s3.copy_object(Bucket=bucket, Key="s-c", CopySource={"Bucket": bucket, "Key": "s"}, **sse_c())
    assert s3.get_object(Bucket=bucket, Key="s-c", **sse_c())["Body"].read() == data
    src = tmp_path / "up.bin"
    src.write_bytes(data)
    kura.aws("s3", "cp", str(src), f"s3://{bucket}/cli-s3", "--sse", "AES256", tls=True)
    assert s3.head_object(Bucket=bucket, Key="cli-s3")["ServerSideEncryption"] == "AES256"


def test_sse_c_post_upload(kura, bucket):
    key_b64 = base64.b64encode(KEY).decode()
    md5_b64 = base64.b64encode(hashlib.md5(KEY).digest()).decode()
    fields = {"x-amz-server-side-encryption-customer-algorithm": "AES256",
              "x-amz-server-side-encryption-customer-key": key_b64,
              "x-amz-server-side-encryption-customer-key-MD5": md5_b64}
    conditions = [{name: value} for name, value in fields.items()]
    form = kura.client(tls=True, signature_version="s3v4").generate_presigned_post(
        bucket, "posted", Fields=fields, Conditions=conditions, ExpiresIn=600)
    data = body(100000)
    r = requests.post(form["url"], data=form["fields"], files={"file": ("f", data)}, verify=kura.tls[0])
    assert r.status_code == 204, r.text
    assert r.headers["x-amz-server-side-encryption-customer-algorithm"] == "AES256"
    s3 = kura.client(tls=True)
    assert s3.get_object(Bucket=bucket, Key="posted", **sse_c())["Body"].read() == data
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object(Bucket=bucket, Key="posted")
    assert status(e) == 400


def test_sse_kms_default_and_named_keys_disable_and_cli(kura, s3, bucket, tmp_path):
    data = body(200000)
    put = s3.put_object(Bucket=bucket, Key="kd", Body=data, ServerSideEncryption="aws:kms")
    assert put["ServerSideEncryption"] == "aws:kms" and put["SSEKMSKeyId"].startswith("arn:aws:kms:")
    assert put["ETag"].strip('"') != hashlib.md5(data).hexdigest()
    got = s3.get_object(Bucket=bucket, Key="kd", Range="bytes=70000-140000")
    assert got["Body"].read() == data[70000:140001] and got["SSEKMSKeyId"] == put["SSEKMSKeyId"]

    kms = kura.client("kms", tls=True)
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    named = s3.put_object(Bucket=bucket, Key="kn", Body=data, ServerSideEncryption="aws:kms", SSEKMSKeyId=key_id)
    assert named["SSEKMSKeyId"].endswith(key_id)
    kms.disable_key(KeyId=key_id)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object(Bucket=bucket, Key="kn")
    assert code(e) == "KMS.DisabledException"
    kms.enable_key(KeyId=key_id)
    assert s3.get_object(Bucket=bucket, Key="kn")["Body"].read() == data

    upload = s3.create_multipart_upload(Bucket=bucket, Key="km", ServerSideEncryption="aws:kms", SSEKMSKeyId=key_id)
    part = body(5 * 1024 * 1024)
    etag = s3.upload_part(Bucket=bucket, Key="km", UploadId=upload["UploadId"], PartNumber=1, Body=part)["ETag"]
    s3.complete_multipart_upload(Bucket=bucket, Key="km", UploadId=upload["UploadId"],
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
    assert s3.get_object(Bucket=bucket, Key="km")["Body"].read() == part

    src = tmp_path / "up.bin"
    src.write_bytes(data)
    kura.aws("s3", "cp", str(src), f"s3://{bucket}/cli-kms", "--sse", "aws:kms", "--sse-kms-key-id", key_id, tls=True)
    head = s3.head_object(Bucket=bucket, Key="cli-kms")
    assert head["ServerSideEncryption"] == "aws:kms" and head["SSEKMSKeyId"].endswith(key_id)
    down = tmp_path / "down.bin"
    kura.aws("s3", "cp", f"s3://{bucket}/cli-kms", str(down), tls=True)
    assert down.read_bytes() == data


def test_sse_kms_needs_the_key_policy_and_iam_kms_permissions(kura, bucket):
    """S3's use of a KMS key on the caller's behalf is decided as KMS decides it: the key policy
    first (here one that does not delegate to IAM), then the caller's kms:GenerateDataKey /
    kms:Decrypt in IAM."""
    import json
    import uuid
    iam = kura.client("iam")
    kms = kura.client("kms", tls=True)
    account = kura.client("sts").get_caller_identity()["Account"]
    name = f"sse-kms-{uuid.uuid4().hex[:8]}"
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            {"Effect": "Allow", "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": "*"}]}))
    creds = iam.create_access_key(UserName=name)["AccessKey"]
    user = kura.client(key=creds["AccessKeyId"], secret=creds["SecretAccessKey"], tls=True)

    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    user.put_object(Bucket=bucket, Key="allowed", Body=b"by default policy", ServerSideEncryption="aws:kms",
                    SSEKMSKeyId=key_id)
    assert user.get_object(Bucket=bucket, Key="allowed")["Body"].read() == b"by default policy"

    kms.put_key_policy(KeyId=key_id, PolicyName="default", Policy=json.dumps({
        "Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:user/nobody"},
             "Action": "kms:*", "Resource": "*"}]}))
    with pytest.raises(botocore.exceptions.ClientError) as e:
        user.put_object(Bucket=bucket, Key="refused", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=key_id)
    assert (code(e), status(e)) == ("AccessDenied", 403)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        user.get_object(Bucket=bucket, Key="allowed")
    assert (code(e), status(e)) == ("AccessDenied", 403)
    # The account's root may use its own keys whatever their policy says.
    s3 = kura.client(tls=True)
    assert s3.get_object(Bucket=bucket, Key="allowed")["Body"].read() == b"by default policy"


def test_sse_kms_post_upload_is_authorized_as_the_signer(kura, bucket):
    """A POST form asking for SSE-KMS: kms:GenerateDataKey is the signer's to hold (the root user
    holds it; a user allowed only s3:PutObject is refused with 403 and nothing is stored)."""
    import json
    import uuid
    fields = {"x-amz-server-side-encryption": "aws:kms"}
    conditions = [{name: value} for name, value in fields.items()]
    form = kura.client(tls=True, signature_version="s3v4").generate_presigned_post(
        bucket, "kms-posted", Fields=fields, Conditions=conditions, ExpiresIn=600)
    data = body(100000)
    r = requests.post(form["url"], data=form["fields"], files={"file": ("f", data)}, verify=kura.tls[0])
    assert r.status_code == 204, r.text
    assert r.headers["x-amz-server-side-encryption"] == "aws:kms"
    s3 = kura.client(tls=True)
    got = s3.get_object(Bucket=bucket, Key="kms-posted")
    assert got["Body"].read() == data and got["SSEKMSKeyId"].startswith("arn:aws:kms:")

    iam = kura.client("iam")
    name = f"post-kms-{uuid.uuid4().hex[:8]}"
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]}))
    creds = iam.create_access_key(UserName=name)["AccessKey"]
    signer = kura.client(key=creds["AccessKeyId"], secret=creds["SecretAccessKey"], tls=True, signature_version="s3v4")
    form = signer.generate_presigned_post(bucket, "kms-refused", Fields=fields, Conditions=conditions, ExpiresIn=600)
    r = requests.post(form["url"], data=form["fields"], files={"file": ("f", data)}, verify=kura.tls[0])
    assert r.status_code == 403 and "<Code>AccessDenied</Code>" in r.text, r.text
    assert s3.list_objects_v2(Bucket=bucket, Prefix="kms-refused").get("KeyCount", 0) == 0
