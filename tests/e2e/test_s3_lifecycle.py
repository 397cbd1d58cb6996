"""Bucket lifecycle (issue #12): Put/Get/DeleteBucketLifecycleConfiguration with boto3 and the aws
CLI, AWS's validation errors, x-amz-expiration on PUT/GET/HEAD, and the worker really applying the
rules on a server whose lifecycle day is one second (--lifecycle-day-seconds 1)."""
import datetime
import json
import os
import time

import botocore.exceptions
import pytest

from conftest import KuraServer


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def rule(rule_id="r1", prefix="", **actions):
    return dict({"ID": rule_id, "Status": "Enabled", "Filter": {"Prefix": prefix}}, **actions)


def put_rules(s3, bucket, *rules):
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": list(rules)})


@pytest.fixture(scope="module")
def fast_kura(tmp_path_factory, tls_cert):
    """A server on which one lifecycle day is one second: the worker passes every 250 ms."""
    d = tmp_path_factory.mktemp("kura-lifecycle")
    server = KuraServer(str(d / "data"), tls=tls_cert, extra_args=["--lifecycle-day-seconds", "1"]).start()
    yield server
    server.stop()


_counter = [0]


def new_bucket(server):
    _counter[0] += 1
    name = f"lc-{os.getpid()}-{_counter[0]}"
    server.client().create_bucket(Bucket=name)
    return name


def wait_until(predicate, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


def test_put_get_delete_round_trip_with_boto3(kura, bucket):
    s3 = kura.client()
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_bucket_lifecycle_configuration(Bucket=bucket)
    assert error_code(e) == "NoSuchLifecycleConfiguration"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404

    rules = [
        rule("logs", "logs/", Expiration={"Days": 30}),
        {"ID": "tagged", "Status": "Disabled",
         "Filter": {"And": {"Prefix": "tmp/", "Tags": [{"Key": "a", "Value": "1"}],
                            "ObjectSizeGreaterThan": 10, "ObjectSizeLessThan": 1000}},
         "Expiration": {"Date": datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)}},
        rule("versions", NoncurrentVersionExpiration={"NoncurrentDays": 7, "NewerNoncurrentVersions": 3},
             AbortIncompleteMultipartUpload={"DaysAfterInitiation": 2}),
        rule("markers", "gone/", Expiration={"ExpiredObjectDeleteMarker": True}),
    ]
    put_rules(s3, bucket, *rules)
    got = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert [r["ID"] for r in got] == ["logs", "tagged", "versions", "markers"]
    assert got[0]["Filter"] == {"Prefix": "logs/"} and got[0]["Expiration"] == {"Days": 30}
    assert got[1]["Status"] == "Disabled"
    assert got[1]["Filter"]["And"]["Tags"] == [{"Key": "a", "Value": "1"}]
    assert got[1]["Filter"]["And"]["ObjectSizeLessThan"] == 1000
    assert got[1]["Expiration"]["Date"] == datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)
    assert got[2]["NoncurrentVersionExpiration"] == {"NoncurrentDays": 7, "NewerNoncurrentVersions": 3}
    assert got[2]["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 2}
    assert got[3]["Expiration"] == {"ExpiredObjectDeleteMarker": True}

    # A configuration replaces the previous one whole.
    put_rules(s3, bucket, rule("only", Expiration={"Days": 1}))
    assert [r["ID"] for r in s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]] == ["only"]

    s3.delete_bucket_lifecycle(Bucket=bucket)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_bucket_lifecycle_configuration(Bucket=bucket)
    assert error_code(e) == "NoSuchLifecycleConfiguration"


def test_a_rule_without_id_gets_one(kura, bucket):
    s3 = kura.client()
    put_rules(s3, bucket, {"Status": "Enabled", "Filter": {}, "Expiration": {"Days": 3}})
    (got,) = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert got["ID"]


@pytest.mark.parametrize("rules,code", [
    ([rule(Expiration={"Days": 0})], "InvalidArgument"),
    ([rule(Expiration={"Date": datetime.datetime(2030, 1, 1, 12, tzinfo=datetime.timezone.utc)})],
     "InvalidArgument"),
    ([rule("x" * 256, Expiration={"Days": 1})], "InvalidArgument"),
    ([rule("same", Expiration={"Days": 1}), rule("same", Expiration={"Days": 2})], "InvalidArgument"),
    ([rule(NoncurrentVersionExpiration={"NoncurrentDays": 0})], "InvalidArgument"),
    ([rule(Expiration={"Days": 1, "ExpiredObjectDeleteMarker": True})], "InvalidArgument"),
    ([{"ID": "t", "Status": "Enabled", "Filter": {"Tag": {"Key": "k", "Value": "v"}},
       "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}}], "InvalidRequest"),
    ([rule()], "InvalidRequest"),
    ([{"ID": "both", "Status": "Enabled", "Filter": {"Prefix": "a", "Tag": {"Key": "k", "Value": "v"}},
       "Expiration": {"Days": 1}}], "MalformedXML"),
    ([{"ID": "none", "Status": "Enabled", "Expiration": {"Days": 1}}], "MalformedXML"),
    # kura has only STANDARD: a transition is refused, never silently dropped.
    ([rule(Transitions=[{"Days": 30, "StorageClass": "GLACIER"}])], "InvalidStorageClass"),
    ([rule(Expiration={"Days": 9},
           NoncurrentVersionTransitions=[{"NoncurrentDays": 30, "StorageClass": "STANDARD_IA"}])],
     "InvalidStorageClass"),
])
def test_invalid_configurations_are_refused_as_aws_does(kura, bucket, rules, code):
    s3 = kura.client()
    with pytest.raises(botocore.exceptions.ClientError) as e:
        put_rules(s3, bucket, *rules)
    assert error_code(e) == code
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    with pytest.raises(botocore.exceptions.ClientError):
        s3.get_bucket_lifecycle_configuration(Bucket=bucket)


def test_aws_cli_puts_a_configuration_from_a_file(kura, bucket, tmp_path):
    config = {"Rules": [{"ID": "cli", "Status": "Enabled", "Filter": {"Prefix": "tmp/"},
                         "Expiration": {"Days": 5},
                         "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}}]}
    path = tmp_path / "lifecycle.json"
    path.write_text(json.dumps(config))
    for version in (1, 2):
        kura.aws("s3api", "put-bucket-lifecycle-configuration", "--bucket", bucket,
                 "--lifecycle-configuration", f"file://{path}", version=version)
        out = kura.aws("s3api", "get-bucket-lifecycle-configuration", "--bucket", bucket, version=version)
        assert json.loads(out.stdout)["Rules"] == config["Rules"]
        kura.aws("s3api", "delete-bucket-lifecycle", "--bucket", bucket, version=version)
        missing = kura.aws("s3api", "get-bucket-lifecycle-configuration", "--bucket", bucket,
                           version=version, check=False)
        assert missing.returncode != 0 and "NoSuchLifecycleConfiguration" in missing.stderr


def test_objects_a_rule_expires_carry_x_amz_expiration(kura, bucket):
    s3 = kura.client()
    put_rules(s3, bucket, rule("short", "logs/", Expiration={"Days": 2}))
    put = s3.put_object(Bucket=bucket, Key="logs/a", Body=b"x")
    expected_prefix = 'expiry-date="'
    assert put["Expiration"].startswith(expected_prefix) and put["Expiration"].endswith('rule-id="short"')
    assert "00:00:00 GMT" in put["Expiration"]
    assert s3.head_object(Bucket=bucket, Key="logs/a")["Expiration"] == put["Expiration"]
    assert s3.get_object(Bucket=bucket, Key="logs/a")["Expiration"] == put["Expiration"]
    assert "Expiration" not in s3.put_object(Bucket=bucket, Key="data/a", Body=b"x")
    assert "Expiration" not in s3.head_object(Bucket=bucket, Key="data/a")


def test_deleting_the_bucket_deletes_its_configuration(kura):
    s3 = kura.client()
    name = new_bucket(kura)
    put_rules(s3, name, rule(Expiration={"Days": 1}))
    s3.delete_bucket(Bucket=name)
    s3.create_bucket(Bucket=name)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_bucket_lifecycle_configuration(Bucket=name)
    assert error_code(e) == "NoSuchLifecycleConfiguration"
    s3.put_object(Bucket=name, Key="k", Body=b"x")
    assert "Expiration" not in s3.head_object(Bucket=name, Key="k")


def test_the_worker_expires_objects_within_seconds(fast_kura):
    s3 = fast_kura.client()
    bucket = new_bucket(fast_kura)
    for i in range(5):
        s3.put_object(Bucket=bucket, Key=f"tmp/{i}", Body=b"x" * (100 + i))
    s3.put_object(Bucket=bucket, Key="keep/a", Body=b"x" * 70000)  # a file blob, not inline
    s3.put_object(Bucket=bucket, Key="tmp/big", Body=b"y" * 70000)
    put_rules(s3, bucket, rule("tmp", "tmp/", Expiration={"Days": 1}))

    def keys():
        return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", []))
    assert wait_until(lambda: keys() == ["keep/a"]), keys()
    assert "lifecycle pass: buckets=" in fast_kura.output()
    assert "expired=" in fast_kura.output()


def test_the_worker_aborts_incomplete_uploads(fast_kura):
    s3 = fast_kura.client()
    bucket = new_bucket(fast_kura)
    upload = s3.create_multipart_upload(Bucket=bucket, Key="uploads/big")
    s3.upload_part(Bucket=bucket, Key="uploads/big", UploadId=upload["UploadId"], PartNumber=1, Body=b"p" * 1024)
    kept = s3.create_multipart_upload(Bucket=bucket, Key="other/big")
    put_rules(s3, bucket, rule("abort", "uploads/", AbortIncompleteMultipartUpload={"DaysAfterInitiation": 1}))

    def upload_ids():
        return [u["UploadId"] for u in s3.list_multipart_uploads(Bucket=bucket).get("Uploads", [])]
    assert wait_until(lambda: upload_ids() == [kept["UploadId"]]), upload_ids()
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.list_parts(Bucket=bucket, Key="uploads/big", UploadId=upload["UploadId"])
    assert error_code(e) == "NoSuchUpload"


def test_the_worker_on_a_versioned_bucket(fast_kura):
    s3 = fast_kura.client()
    bucket = new_bucket(fast_kura)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket=bucket, Key="k", Body=b"v1")
    s3.put_object(Bucket=bucket, Key="k", Body=b"v2")
    put_rules(s3, bucket, rule("all", Expiration={"Days": 1},
                               NoncurrentVersionExpiration={"NoncurrentDays": 1}))

    def versions():
        page = s3.list_object_versions(Bucket=bucket)
        return len(page.get("Versions", [])), len(page.get("DeleteMarkers", []))
    # The current version gets a delete marker, then both noncurrent versions go.
    assert wait_until(lambda: versions() == (0, 1), timeout=20), versions()


def test_the_worker_removes_a_lone_expired_delete_marker(fast_kura):
    s3 = fast_kura.client()
    bucket = new_bucket(fast_kura)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.delete_object(Bucket=bucket, Key="k")  # a delete marker with nothing under it
    put_rules(s3, bucket, rule("markers", Expiration={"ExpiredObjectDeleteMarker": True}))
    assert wait_until(lambda: "DeleteMarkers" not in s3.list_object_versions(Bucket=bucket))


def test_the_worker_never_removes_a_locked_version(fast_kura):
    s3 = fast_kura.client()
    bucket = f"lc-lock-{os.getpid()}"
    s3.create_bucket(Bucket=bucket, ObjectLockEnabledForBucket=True)
    until = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
    locked = s3.put_object(Bucket=bucket, Key="k", Body=b"v1", ObjectLockMode="COMPLIANCE",
                           ObjectLockRetainUntilDate=until, ChecksumAlgorithm="CRC32")
    s3.put_object(Bucket=bucket, Key="k", Body=b"v2")
    put_rules(s3, bucket, rule("all", NoncurrentVersionExpiration={"NoncurrentDays": 1}))
    time.sleep(4)
    ids = [v["VersionId"] for v in s3.list_object_versions(Bucket=bucket)["Versions"]]
    assert locked["VersionId"] in ids
    assert "skipped_locked=" in fast_kura.output()
