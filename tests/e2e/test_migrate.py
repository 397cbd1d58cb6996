"""`kura migrate` (issue #20): an embedded kura filled through boto3 and the aws CLI — versioned
and Object Lock buckets, versions and a delete marker, multipart uploads completed and in
progress, tags, user metadata, checksums, SSE-S3 and SSE-KMS, an IAM user with a key and a policy,
a role and a session minted from it — is stopped, migrated onto the private PostgreSQL and Ceph
(the `postgres` and `rados` CTest fixtures), and served from there: everything is there byte for
byte, works with the same keys, and the session token minted before the move still works. Also the
refusals: a data dir a kura serve holds, a target that already holds data."""
import hashlib
import json
import os
import shutil
import subprocess
import secrets
import time
from datetime import datetime, timedelta, timezone

import pytest
from botocore.exceptions import ClientError

from conftest import KURA_BIN, KuraServer

pytestmark = pytest.mark.skipif("KURA_TEST_POSTGRES_URL" not in os.environ,
                                reason="needs the private PostgreSQL and Ceph (e2e_migrate)")

MIB = 1024 * 1024
PLAIN, VERSIONED, LOCKED = "plain", "versioned", "locked"
POLICY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
     "Resource": [f"arn:aws:s3:::{PLAIN}", f"arn:aws:s3:::{PLAIN}/*"]},
    {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}


def body(n, seed):
    return hashlib.shake_256(seed.encode()).digest(n)


def targets(tmp):
    """A fresh schema and RADOS namespace on the private engines, as conftest names them."""
    name = "migrate_" + secrets.token_hex(6)
    base = os.environ["KURA_TEST_POSTGRES_URL"]
    subprocess.run(["psql", base, "-q", "-v", "ON_ERROR_STOP=1", "-c", f"CREATE SCHEMA {name}"],
                   check=True, capture_output=True)
    metadata = f"{base}&options=-csearch_path%3D{name}"
    blobs = (f"rados://{os.environ['KURA_TEST_RADOS_POOL']}?conf={os.environ['KURA_TEST_RADOS_CONF']}"
             f"&namespace={name}")
    return metadata, blobs


def tree_digest(data_dir):
    """The data dir's database and blob files, and its node state files, by content."""
    digests = {}
    for root, _, files in os.walk(data_dir):
        for name in files:
            path = os.path.join(root, name)
            rel = os.path.relpath(path, data_dir)
            if rel.startswith(("blobs", "accounts")) or rel in (
                    "meta.db", "root-credentials", "account-id", "sts-keys", "secrets.key"):
                with open(path, "rb") as f:
                    digests[rel] = hashlib.sha256(f.read()).hexdigest()
    return digests


def migrate(data_dir, metadata, blobs, secrets_key):
    return subprocess.run([KURA_BIN, "migrate", "--from", data_dir, "--to", metadata, "--blobs", blobs,
                           "--secrets-key-file", secrets_key], capture_output=True, text=True, timeout=600)


def root_of(data_dir):
    key, secret = open(os.path.join(data_dir, "root-credentials")).read().split()
    return key, secret


def fill(server, key, secret):
    """What the migration must carry; returns what the checks need (keys, tokens, version ids)."""
    s3 = server.client(key=key, secret=secret, tls=True)
    made = {"versions": {}}
    # A plain bucket with configuration, small (inline) and large (file) objects, metadata.
    s3.create_bucket(Bucket=PLAIN)
    s3.put_bucket_tagging(Bucket=PLAIN, Tagging={"TagSet": [{"Key": "team", "Value": "storage"}]})
    s3.put_bucket_cors(Bucket=PLAIN, CORSConfiguration={"CORSRules": [
        {"AllowedMethods": ["GET"], "AllowedOrigins": ["https://example.com"]}]})
    s3.put_bucket_policy(Bucket=PLAIN, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteBucket",
         "Resource": f"arn:aws:s3:::{PLAIN}"}]}))
    s3.put_bucket_lifecycle_configuration(Bucket=PLAIN, LifecycleConfiguration={"Rules": [
        {"ID": "tmp", "Status": "Enabled", "Filter": {"Prefix": "tmp/"}, "Expiration": {"Days": 7}}]})
    s3.put_object(Bucket=PLAIN, Key="small.txt", Body=b"hello, shared engines",
                  ContentType="text/plain", CacheControl="max-age=60",
                  ContentDisposition="attachment", Metadata={"colour": "blue", "Shape": "round"},
                  Tagging="a=1&b=2", ChecksumAlgorithm="SHA256")
    s3.put_object(Bucket=PLAIN, Key="dir/large.bin", Body=body(3 * MIB + 5, "large"),
                  ChecksumAlgorithm="CRC32")
    s3.put_object(Bucket=PLAIN, Key="sse-s3", Body=body(200 * 1024, "sse-s3"), ServerSideEncryption="AES256")
    s3.put_object(Bucket=PLAIN, Key="sse-s3-small", Body=b"sealed small", ServerSideEncryption="AES256")
    kms = server.client("kms", key=key, secret=secret, tls=True)
    made["kms_key"] = kms.create_key(Description="migrated key")["KeyMetadata"]["KeyId"]
    s3.put_object(Bucket=PLAIN, Key="sse-kms", Body=body(300 * 1024, "sse-kms"),
                  ServerSideEncryption="aws:kms", SSEKMSKeyId=made["kms_key"])
    made["ciphertext"] = kms.encrypt(KeyId=made["kms_key"], Plaintext=b"kms secret")["CiphertextBlob"]
    # Multipart: one completed, one in progress.
    done = s3.create_multipart_upload(Bucket=PLAIN, Key="multi", ContentType="application/x-multi",
                                      Metadata={"kind": "multipart"})
    parts = []
    for n, size in ((1, 5 * MIB), (2, 123)):
        etag = s3.upload_part(Bucket=PLAIN, Key="multi", UploadId=done["UploadId"], PartNumber=n,
                              Body=body(size, f"multi{n}"))["ETag"]
        parts.append({"ETag": etag, "PartNumber": n})
    s3.complete_multipart_upload(Bucket=PLAIN, Key="multi", UploadId=done["UploadId"],
                                 MultipartUpload={"Parts": parts})
    pending = s3.create_multipart_upload(Bucket=PLAIN, Key="pending", Metadata={"state": "open"})
    made["pending"] = pending["UploadId"]
    made["pending_parts"] = [
        s3.upload_part(Bucket=PLAIN, Key="pending", UploadId=pending["UploadId"], PartNumber=1,
                       Body=body(5 * MIB, "pending1"))["ETag"]]
    # The aws CLI writes too.
    src = os.path.join(os.path.dirname(server.data_dir), "cli.txt")
    with open(src, "w") as f:
        f.write("written by the aws CLI\n")
    server.aws("s3", "cp", src, f"s3://{PLAIN}/cli.txt", key=key, secret=secret, tls=True)
    server.aws("s3api", "put-object-tagging", "--bucket", PLAIN, "--key", "cli.txt", "--tagging",
               "TagSet=[{Key=via,Value=cli}]", key=key, secret=secret, tls=True)

    # A versioned bucket: versions, a delete marker, a version written while suspended.
    s3.create_bucket(Bucket=VERSIONED)
    s3.put_object(Bucket=VERSIONED, Key="doc", Body=b"before versioning")  # the "null" version
    s3.put_bucket_versioning(Bucket=VERSIONED, VersioningConfiguration={"Status": "Enabled"})
    for i in range(3):
        s3.put_object(Bucket=VERSIONED, Key="doc", Body=body(100 * 1024 * i + 10, f"doc{i}"))
    s3.put_object(Bucket=VERSIONED, Key="gone", Body=b"soon deleted")
    s3.delete_object(Bucket=VERSIONED, Key="gone")

    # Object Lock: default retention, a retained version, a legal hold.
    s3.create_bucket(Bucket=LOCKED, ObjectLockEnabledForBucket=True)
    s3.put_object_lock_configuration(Bucket=LOCKED, ObjectLockConfiguration={
        "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}}})
    until = (datetime.now(timezone.utc) + timedelta(days=2)).replace(microsecond=0)
    s3.put_object(Bucket=LOCKED, Key="kept", Body=b"retained", ObjectLockMode="GOVERNANCE",
                  ObjectLockRetainUntilDate=until)
    s3.put_object(Bucket=LOCKED, Key="held", Body=b"on hold", ObjectLockLegalHoldStatus="ON")

    # IAM: a user with a key and a policy, a role; a session minted now, used after the move.
    iam = server.client("iam", key=key, secret=secret)
    iam.create_user(UserName="app")
    access = iam.create_access_key(UserName="app")["AccessKey"]
    made["user"] = (access["AccessKeyId"], access["SecretAccessKey"])
    iam.put_user_policy(UserName="app", PolicyName="plain", PolicyDocument=json.dumps(POLICY))
    account = server.client("sts", key=key, secret=secret).get_caller_identity()["Account"]
    made["account"] = account
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                     "Principal": {"AWS": f"arn:aws:iam::{account}:root"}}]}
    role = iam.create_role(RoleName="reader", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    iam.put_role_policy(RoleName="reader", PolicyName="read", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                                                "Resource": f"arn:aws:s3:::{PLAIN}/*"}]}))
    time.sleep(1.5)  # a role is usable once IAM's view has it (as on AWS, a moment later)
    user_sts = server.client("sts", key=made["user"][0], secret=made["user"][1])
    made["session"] = user_sts.assume_role(RoleArn=role["Arn"], RoleSessionName="before-move",
                                           DurationSeconds=3600)["Credentials"]
    return made


def snapshot(s3):
    """Everything a client can see, bytes included (as digests)."""
    seen = {"buckets": sorted(b["Name"] for b in s3.list_buckets()["Buckets"])}
    for bucket in seen["buckets"]:
        listing = s3.list_object_versions(Bucket=bucket)
        versions = [(v["Key"], v["VersionId"], v["IsLatest"], v["ETag"], v["Size"], v["LastModified"])
                    for v in listing.get("Versions", [])]
        markers = [(m["Key"], m["VersionId"], m["IsLatest"], m["LastModified"])
                   for m in listing.get("DeleteMarkers", [])]
        seen[bucket] = {"versions": versions, "markers": markers, "objects": {}}
        for key, version_id, *_ in versions:
            got = s3.get_object(Bucket=bucket, Key=key, VersionId=version_id, ChecksumMode="ENABLED")
            data = got["Body"].read()
            fields = {k: got.get(k) for k in (
                "ContentType", "CacheControl", "ContentDisposition", "Metadata", "ETag",
                "ServerSideEncryption", "SSEKMSKeyId", "ChecksumSHA256", "ChecksumCRC32",
                "ObjectLockMode", "ObjectLockRetainUntilDate", "ObjectLockLegalHoldStatus", "PartsCount")}
            fields["sha256"] = hashlib.sha256(data).hexdigest()
            fields["tags"] = s3.get_object_tagging(Bucket=bucket, Key=key, VersionId=version_id)["TagSet"]
            seen[bucket]["objects"][(key, version_id)] = fields
    seen["plain_tags"] = s3.get_bucket_tagging(Bucket=PLAIN)["TagSet"]
    seen["plain_cors"] = s3.get_bucket_cors(Bucket=PLAIN)["CORSRules"]
    seen["plain_policy"] = json.loads(s3.get_bucket_policy(Bucket=PLAIN)["Policy"])
    seen["plain_lifecycle"] = s3.get_bucket_lifecycle_configuration(Bucket=PLAIN)["Rules"]
    seen["versioning"] = s3.get_bucket_versioning(Bucket=VERSIONED)["Status"]
    seen["lock"] = s3.get_object_lock_configuration(Bucket=LOCKED)["ObjectLockConfiguration"]
    seen["uploads"] = [(u["Key"], u["UploadId"]) for u in s3.list_multipart_uploads(Bucket=PLAIN)["Uploads"]]
    return seen


@pytest.fixture(scope="module")
def moved(tmp_path_factory, tls_cert):
    home = tmp_path_factory.mktemp("migrate")
    master = {"KURA_MASTER_KEY": secrets.token_hex(32)}
    embedded = KuraServer(str(home / "data"), tls=tls_cert, env=master)
    embedded.start(root_from_env=False)
    key, secret = root_of(embedded.data_dir)
    made = fill(embedded, key, secret)
    before = snapshot(embedded.client(key=key, secret=secret, tls=True))

    # Refused while the embedded server holds the data dir.
    metadata, blobs = targets(home)
    keys = home / "keys"
    keys.mkdir(mode=0o700)
    secrets_key = str(keys / "secrets.key")
    shutil.copyfile(os.path.join(embedded.data_dir, "secrets.key"), secrets_key)
    os.chmod(secrets_key, 0o600)
    running = migrate(embedded.data_dir, metadata, blobs, secrets_key)
    embedded.stop()

    source = tree_digest(embedded.data_dir)
    result = migrate(embedded.data_dir, metadata, blobs, secrets_key)
    assert result.returncode == 0, result.stdout + result.stderr
    assert tree_digest(embedded.data_dir) == source  # migrate never changes the data dir
    print(result.stdout, result.stderr)
    (home / "node").mkdir()
    shared = KuraServer(str(home / "node" / "data"), tls=tls_cert, env=master,
                        extra_args=["--metadata", metadata, "--blobs", blobs,
                                    "--secrets-key-file", secrets_key])
    shared.start(root_from_env=False)
    try:
        yield {"embedded": embedded, "shared": shared, "root": (key, secret), "made": made,
               "before": before, "running": running, "result": result,
               "target": (metadata, blobs, secrets_key)}
    finally:
        shared.stop()


def test_migrate_prints_a_verified_summary(moved):
    out = moved["result"].stdout
    assert "migrated: 3 buckets" in out
    assert "1 delete markers" in out
    assert "1 uploads in progress (1 parts)" in out
    assert "verified:" in out


def test_everything_is_there_byte_for_byte_with_the_same_root_key(moved):
    key, secret = moved["root"]
    s3 = moved["shared"].client(key=key, secret=secret, tls=True)
    assert snapshot(s3) == moved["before"]
    assert moved["shared"].client("sts", key=key, secret=secret).get_caller_identity()["Account"] == \
        moved["made"]["account"]


def test_the_upload_in_progress_completes_after_the_move(moved):
    key, secret = moved["root"]
    s3 = moved["shared"].client(key=key, secret=secret, tls=True)
    made = moved["made"]
    listed = s3.list_parts(Bucket=PLAIN, Key="pending", UploadId=made["pending"])["Parts"]
    assert [p["ETag"] for p in listed] == made["pending_parts"]
    etag = s3.upload_part(Bucket=PLAIN, Key="pending", UploadId=made["pending"], PartNumber=2,
                          Body=b"tail")["ETag"]
    s3.complete_multipart_upload(Bucket=PLAIN, Key="pending", UploadId=made["pending"], MultipartUpload={
        "Parts": [{"ETag": made["pending_parts"][0], "PartNumber": 1}, {"ETag": etag, "PartNumber": 2}]})
    got = s3.get_object(Bucket=PLAIN, Key="pending")
    assert got["Body"].read() == body(5 * MIB, "pending1") + b"tail"
    assert got["Metadata"] == {"state": "open"}


def test_new_versions_sort_after_the_migrated_ones(moved):
    key, secret = moved["root"]
    s3 = moved["shared"].client(key=key, secret=secret, tls=True)
    new = s3.put_object(Bucket=VERSIONED, Key="doc", Body=b"after the move")["VersionId"]
    versions = [v for v in s3.list_object_versions(Bucket=VERSIONED, Prefix="doc")["Versions"]]
    assert versions[0]["VersionId"] == new and versions[0]["IsLatest"]
    assert len(versions) == 5
    assert s3.get_object(Bucket=VERSIONED, Key="doc")["Body"].read() == b"after the move"


def test_object_lock_still_protects(moved):
    key, secret = moved["root"]
    s3 = moved["shared"].client(key=key, secret=secret, tls=True)
    kept = s3.list_object_versions(Bucket=LOCKED, Prefix="kept")["Versions"][0]["VersionId"]
    with pytest.raises(ClientError) as refused:
        s3.delete_object(Bucket=LOCKED, Key="kept", VersionId=kept)
    assert refused.value.response["Error"]["Code"] == "AccessDenied"


def test_the_same_iam_key_and_the_session_minted_before_work(moved):
    shared, made = moved["shared"], moved["made"]
    user = shared.client(key=made["user"][0], secret=made["user"][1], tls=True)
    assert user.get_object(Bucket=PLAIN, Key="small.txt")["Body"].read() == b"hello, shared engines"
    with pytest.raises(ClientError):
        user.get_object(Bucket=VERSIONED, Key="doc")
    creds = made["session"]
    session = shared.client(key=creds["AccessKeyId"], secret=creds["SecretAccessKey"],
                            token=creds["SessionToken"], tls=True)
    assert session.get_object(Bucket=PLAIN, Key="cli.txt")["Body"].read() == b"written by the aws CLI\n"
    # And the aws CLI, with the same key.
    out = shared.aws("s3", "cp", f"s3://{PLAIN}/cli.txt", "-", key=made["user"][0],
                     secret=made["user"][1], tls=True).stdout
    assert out == "written by the aws CLI\n"


def test_kms_keys_stay_usable(moved):
    key, secret = moved["root"]
    kms = moved["shared"].client("kms", key=key, secret=secret, tls=True)
    made = moved["made"]
    assert kms.decrypt(CiphertextBlob=made["ciphertext"])["Plaintext"] == b"kms secret"
    assert kms.describe_key(KeyId=made["kms_key"])["KeyMetadata"]["Description"] == "migrated key"


def test_refuses_a_data_dir_a_server_holds(moved):
    running = moved["running"]
    assert running.returncode == 2
    assert "in use by a running kura" in running.stderr


def test_refuses_a_target_that_holds_data(moved):
    metadata, blobs, secrets_key = moved["target"]
    again = migrate(moved["embedded"].data_dir, metadata, blobs, secrets_key)
    assert again.returncode == 2
    assert "already holds data" in again.stderr


def test_refuses_another_secrets_key(moved, tmp_path):
    other = tmp_path / "other.key"
    other.write_bytes(os.urandom(32))
    os.chmod(other, 0o600)
    metadata, blobs = targets(tmp_path)
    refused = migrate(moved["embedded"].data_dir, metadata, blobs, str(other))
    assert refused.returncode == 2
    assert "not the data dir's secrets key" in refused.stderr


def test_help():
    out = subprocess.run([KURA_BIN, "migrate", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "--secrets-key-file" in out.stdout
