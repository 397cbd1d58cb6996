"""GetObject/HeadObject with conditional headers, Range and partNumber together, as AWS answers
(issue #13): preconditions before Range (RFC 9110 section 13.2.2: If-Match decides over
If-Unmodified-Since, If-None-Match over If-Modified-Since); partNumber is a range over one part,
part 1 of a single-part object being all of it (206 with Content-Range); x-amz-mp-parts-count is
answered only to a part request; Range with partNumber is 400 InvalidRequest."""
import hashlib
import json
import os
import time

import botocore.exceptions
import pytest

PAST = "Sat, 29 Oct 1994 19:43:31 GMT"
FUTURE = "Fri, 01 Jan 2100 00:00:00 GMT"
OTHER = '"00000000000000000000000000000000"'


@pytest.fixture(params=["http", "https"])
def s3(request, kura):
    return kura.client(tls=request.param == "https")


def status_of(call, **kwargs):
    try:
        return call(**kwargs)["ResponseMetadata"]["HTTPStatusCode"]
    except botocore.exceptions.ClientError as e:
        return e.response["ResponseMetadata"]["HTTPStatusCode"]


CASES = [  # (conditions, status); ETAG stands for the object's ETag
    ({"IfMatch": OTHER}, 412),
    ({"IfMatch": OTHER, "IfUnmodifiedSince": FUTURE}, 412),
    ({"IfMatch": "ETAG", "IfUnmodifiedSince": PAST}, 200),
    ({"IfUnmodifiedSince": PAST}, 412),
    ({"IfNoneMatch": "ETAG"}, 304),
    ({"IfNoneMatch": "ETAG", "IfModifiedSince": PAST}, 304),
    ({"IfNoneMatch": OTHER, "IfModifiedSince": FUTURE}, 200),
    ({"IfModifiedSince": FUTURE}, 304),
    ({"IfMatch": OTHER, "Range": "bytes=100-"}, 412),
    ({"IfNoneMatch": "ETAG", "Range": "bytes=100-"}, 304),
    ({"IfMatch": "ETAG", "Range": "bytes=1-2"}, 206),
    ({"Range": "bytes=0-1,3-4"}, 200),  # several ranges: S3 answers the whole object
]


@pytest.mark.parametrize("conditions,status", CASES)
def test_conditions_and_range_follow_s3s_precedence(s3, bucket, conditions, status):
    etag = s3.put_object(Bucket=bucket, Key="k", Body=b"0123456789")["ETag"]
    kwargs = {name: etag if value == "ETAG" else value for name, value in conditions.items()}
    assert status_of(s3.get_object, Bucket=bucket, Key="k", **kwargs) == status
    assert status_of(s3.head_object, Bucket=bucket, Key="k", **kwargs) == status


def test_part_one_of_a_single_part_object_is_a_range_over_all_of_it(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"0123456789")
    got = s3.get_object(Bucket=bucket, Key="k", PartNumber=1)
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert got["ContentRange"] == "bytes 0-9/10" and got["Body"].read() == b"0123456789"
    assert "PartsCount" not in got
    head = s3.head_object(Bucket=bucket, Key="k", PartNumber=1)
    assert head["ResponseMetadata"]["HTTPStatusCode"] == 206 and head["ContentLength"] == 10
    for call in (s3.get_object, s3.head_object):
        with pytest.raises(botocore.exceptions.ClientError) as e:
            call(Bucket=bucket, Key="k", PartNumber=2)
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 416
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object(Bucket=bucket, Key="k", PartNumber=1, Range="bytes=0-1")
    assert e.value.response["Error"]["Code"] == "InvalidRequest"
    assert e.value.response["Error"]["Message"] == \
        "Cannot specify both Range header and partNumber query parameter"


def test_the_parts_count_is_answered_only_to_a_part_request(s3, bucket):
    up = s3.create_multipart_upload(Bucket=bucket, Key="mp")
    part = s3.upload_part(Bucket=bucket, Key="mp", UploadId=up["UploadId"], PartNumber=1, Body=b"abc")
    s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=up["UploadId"],
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    assert "PartsCount" not in s3.head_object(Bucket=bucket, Key="mp")
    assert "PartsCount" not in s3.get_object(Bucket=bucket, Key="mp")
    head = s3.head_object(Bucket=bucket, Key="mp", PartNumber=1)
    assert head["PartsCount"] == 1 and head["ContentRange"] == "bytes 0-2/3"
    assert part["ETag"] == '"%s"' % hashlib.md5(b"abc").hexdigest()


def audit_record(kura, request_id, seconds=5):
    """The audit trail's record for `request_id` (written when the answer is done)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        records = []
        for path in kura.audit_paths:  # a cluster's nodes keep one each
            if os.path.exists(path):
                with open(path) as f:
                    records += [json.loads(line) for line in f if request_id in line]
        records = [r for r in records if r["requestID"] == request_id]
        if records:
            return records[0]
        time.sleep(0.05)
    raise AssertionError(f"no audit record for {request_id}")


def test_errors_the_handler_answers_itself_are_audited_with_their_code(kura, bucket):
    # A 416 (with Content-Range) and a delete marker's 404 (with x-amz-delete-marker) are
    # rendered by their handlers, not the pipeline: their audit lines still name the error.
    s3 = kura.client()
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket=bucket, Key="k", Body=b"0123456789")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object(Bucket=bucket, Key="k", Range="bytes=10-")
    record = audit_record(kura, e.value.response["ResponseMetadata"]["RequestId"])
    assert record["errorCode"] == "InvalidRange"
    assert record["errorMessage"] == e.value.response["Error"]["Message"]
    s3.delete_object(Bucket=bucket, Key="k")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object(Bucket=bucket, Key="k")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    record = audit_record(kura, e.value.response["ResponseMetadata"]["RequestId"])
    assert record["errorCode"] == "NoSuchKey"
    assert record["errorMessage"] == e.value.response["Error"]["Message"]
