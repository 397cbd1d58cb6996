"""Requests kura cannot honour are refused, never accepted and ignored: dual-layer SSE-KMS, SSE
parameters that do not apply (test_s3_sse.py covers encryption itself), Object Lock on a bucket without it, another account's x-amz-expected-bucket-owner, an unknown
object ownership, and any x-amz-* header kura does not know (honoured_headers.cc). Each test
checks the error and that nothing was stored or created."""
import datetime

import botocore.exceptions
import pytest

SSE_C_KEY = b"k" * 32


def error_of(excinfo):
    err = excinfo.value.response["Error"]
    return err["Code"], excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture
def s3(kura):
    return kura.client(tls=True)  # botocore sends SSE-C keys only over TLS


@pytest.fixture
def account(kura):
    return kura.client("sts").get_caller_identity()["Account"]


def refused(call, **kwargs):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        call(**kwargs)
    return error_of(e)


def assert_absent(s3, bucket, key):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.head_object(Bucket=bucket, Key=key)
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_sse_c_with_another_algorithm_is_invalid(s3, bucket):
    assert refused(s3.put_object, Bucket=bucket, Key="k", Body=b"secret",
                   SSECustomerAlgorithm="AES128", SSECustomerKey=SSE_C_KEY) == ("InvalidEncryptionAlgorithmError", 400)
    assert_absent(s3, bucket, "k")


def test_sse_c_keys_for_an_object_stored_without_sse_c_are_refused(s3, bucket):
    s3.put_object(Bucket=bucket, Key="plain", Body=b"x")
    sse_c = {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": SSE_C_KEY}
    assert refused(s3.get_object, Bucket=bucket, Key="plain", **sse_c) == ("InvalidRequest", 400)
    assert refused(s3.copy_object, Bucket=bucket, Key="copy", CopySource={"Bucket": bucket, "Key": "plain"},
                   CopySourceSSECustomerAlgorithm="AES256",
                   CopySourceSSECustomerKey=SSE_C_KEY) == ("InvalidRequest", 400)
    assert_absent(s3, bucket, "copy")
    upload = s3.create_multipart_upload(Bucket=bucket, Key="mp")["UploadId"]
    assert refused(s3.upload_part, Bucket=bucket, Key="mp", UploadId=upload, PartNumber=1, Body=b"p",
                   **sse_c) == ("InvalidRequest", 400)
    assert s3.list_parts(Bucket=bucket, Key="mp", UploadId=upload).get("Parts", []) == []


def test_dual_layer_server_side_encryption_is_not_implemented(s3, bucket):
    assert refused(s3.put_object, Bucket=bucket, Key="k", Body=b"x",
                   ServerSideEncryption="aws:kms:dsse") == ("NotImplemented", 501)
    assert_absent(s3, bucket, "k")
    assert refused(s3.create_multipart_upload, Bucket=bucket, Key="k",
                   ServerSideEncryption="aws:kms:dsse") == ("NotImplemented", 501)
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


def test_an_unknown_encryption_method_is_an_invalid_argument(s3, bucket):
    # botocore does not check enum values: the header goes out as given.
    assert refused(s3.put_object, Bucket=bucket, Key="k", Body=b"x", ServerSideEncryption="ROT13") == ("InvalidArgument", 400)
    assert_absent(s3, bucket, "k")


def test_a_kms_key_id_without_aws_kms_is_an_invalid_argument(s3, bucket):
    assert refused(s3.put_object, Bucket=bucket, Key="k", Body=b"x", SSEKMSKeyId="alias/x") == ("InvalidArgument", 400)
    assert_absent(s3, bucket, "k")


def test_object_lock_headers_need_an_object_lock_bucket(s3, bucket):
    until = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
    for lock in ({"ObjectLockMode": "GOVERNANCE", "ObjectLockRetainUntilDate": until},
                 {"ObjectLockMode": "COMPLIANCE", "ObjectLockRetainUntilDate": until},
                 {"ObjectLockLegalHoldStatus": "ON"}):
        assert refused(s3.put_object, Bucket=bucket, Key="k", Body=b"x", **lock) == ("InvalidRequest", 400)
        assert refused(s3.create_multipart_upload, Bucket=bucket, Key="k", **lock) == ("InvalidRequest", 400)
    assert_absent(s3, bucket, "k")
    s3.put_object(Bucket=bucket, Key="src", Body=b"x")
    assert refused(s3.copy_object, Bucket=bucket, Key="k", CopySource={"Bucket": bucket, "Key": "src"},
                   ObjectLockLegalHoldStatus="ON") == ("InvalidRequest", 400)
    assert_absent(s3, bucket, "k")
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


def test_create_bucket_with_object_lock_false_creates_a_bucket_without_it(s3):
    # ObjectLockEnabledForBucket=True is tested in test_s3_object_lock.py.
    s3.create_bucket(Bucket="unlocked-bucket", ObjectLockEnabledForBucket=False)
    s3.head_bucket(Bucket="unlocked-bucket")


def test_expected_bucket_owner_must_be_the_account(s3, bucket, account):
    assert account != "111111111111"
    assert refused(s3.put_object, Bucket=bucket, Key="k", Body=b"x",
                   ExpectedBucketOwner="111111111111") == ("AccessDenied", 403)
    assert_absent(s3, bucket, "k")
    s3.put_object(Bucket=bucket, Key="k", Body=b"x", ExpectedBucketOwner=account)
    assert s3.get_object(Bucket=bucket, Key="k", ExpectedBucketOwner=account)["Body"].read() == b"x"
    assert refused(s3.get_object, Bucket=bucket, Key="k", ExpectedBucketOwner="111111111111") == ("AccessDenied", 403)
    assert refused(s3.list_objects_v2, Bucket=bucket, ExpectedBucketOwner="111111111111") == ("AccessDenied", 403)
    assert refused(s3.delete_object, Bucket=bucket, Key="k", ExpectedBucketOwner="111111111111") == ("AccessDenied", 403)
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"x"
    assert refused(s3.copy_object, Bucket=bucket, Key="copy", CopySource={"Bucket": bucket, "Key": "k"},
                   ExpectedSourceBucketOwner="111111111111") == ("AccessDenied", 403)
    assert_absent(s3, bucket, "copy")
    s3.copy_object(Bucket=bucket, Key="copy", CopySource={"Bucket": bucket, "Key": "k"},
                   ExpectedSourceBucketOwner=account, ExpectedBucketOwner=account)


def test_an_unknown_object_ownership_is_refused(s3):
    s3.create_bucket(Bucket="enforced-bucket", ObjectOwnership="BucketOwnerEnforced")
    s3.head_bucket(Bucket="enforced-bucket")
    assert refused(s3.create_bucket, Bucket="weird-ownership", ObjectOwnership="Everyone") == ("InvalidArgument", 400)


def test_an_unknown_amz_header_is_refused_naming_it(s3, bucket):
    def add_header(request, **_):
        request.headers["x-amz-future-feature"] = "on"

    s3.meta.events.register("before-sign.s3.PutObject", add_header)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    assert error_of(e) == ("NotImplemented", 501)
    assert "x-amz-future-feature" in e.value.response["Error"]["Message"]
    s3.meta.events.unregister("before-sign.s3.PutObject", add_header)
    assert_absent(s3, bucket, "k")


def test_a_header_of_another_operation_is_refused(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")

    def add_header(request, **_):
        request.headers["x-amz-storage-class"] = "STANDARD"

    s3.meta.events.register("before-sign.s3.GetObject", add_header)
    assert refused(s3.get_object, Bucket=bucket, Key="k") == ("NotImplemented", 501)
    s3.meta.events.unregister("before-sign.s3.GetObject", add_header)


def test_a_version_id_other_than_null_is_refused_and_changes_nothing(s3, bucket):
    # On an unversioned bucket an object's only version is "null". An id kura could not have
    # issued must not be answered (or deleted) from the current object as if it were that version.
    s3.put_object(Bucket=bucket, Key="v", Body=b"current")
    assert s3.get_object(Bucket=bucket, Key="v", VersionId="null")["Body"].read() == b"current"
    for call in (s3.get_object, s3.delete_object, s3.get_object_tagging):
        assert refused(call, Bucket=bucket, Key="v", VersionId="3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY") == \
            ("InvalidArgument", 400)
    assert s3.get_object(Bucket=bucket, Key="v")["Body"].read() == b"current"


def test_delete_objects_of_a_version_that_does_not_exist_deletes_nothing(s3, bucket):
    # As in S3, a version that is not there is no error; the current object is not taken for it.
    s3.put_object(Bucket=bucket, Key="keep", Body=b"x")
    s3.put_object(Bucket=bucket, Key="drop", Body=b"x")
    out = s3.delete_objects(Bucket=bucket, Delete={"Objects": [
        {"Key": "keep", "VersionId": "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY"},
        {"Key": "drop", "VersionId": "null"}]})
    assert "Errors" not in out
    assert [(d["Key"], d.get("VersionId")) for d in out["Deleted"]] == [
        ("keep", "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY"), ("drop", "null")]
    assert s3.get_object(Bucket=bucket, Key="keep")["Body"].read() == b"x"
    assert_absent(s3, bucket, "drop")
