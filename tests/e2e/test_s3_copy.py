"""CopyObject with boto3 and the aws CLI: within and across buckets, metadata and tagging
directives, copy-source conditions, copying onto itself, and AWS's exact errors."""
import datetime
import hashlib
import json
import os

import botocore.exceptions
import pytest


def error_of(excinfo):
    err = excinfo.value.response["Error"]
    return err["Code"], excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"], err.get("Message")


@pytest.fixture(params=["http", "https"])
def s3(request, kura):
    return kura.client(tls=request.param == "https")


def test_copy_within_a_bucket_keeps_bytes_metadata_and_tags(s3, bucket):
    body = os.urandom(100_000)
    src = s3.put_object(Bucket=bucket, Key="src", Body=body, ContentType="text/x-src",
                        Metadata={"colour": "blue"}, Tagging="a=1&b=2")
    copied = s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"})
    assert copied["CopyObjectResult"]["ETag"] == src["ETag"]
    got = s3.get_object(Bucket=bucket, Key="dst")
    assert got["Body"].read() == body
    assert got["ContentType"] == "text/x-src" and got["Metadata"] == {"colour": "blue"}
    tags = s3.get_object(Bucket=bucket, Key="dst")["TagCount"]
    assert tags == 2


def test_copy_across_buckets_with_an_awkward_key(kura, s3, bucket):
    other = bucket + "-other"
    s3.create_bucket(Bucket=other)
    key = "dir with space/ünï+cøde%20?.txt"
    s3.put_object(Bucket=bucket, Key=key, Body=b"small")
    s3.copy_object(Bucket=other, Key=key, CopySource={"Bucket": bucket, "Key": key})
    assert s3.get_object(Bucket=other, Key=key)["Body"].read() == b"small"
    # The string form of the header, leading slash and all, works as well.
    s3.copy_object(Bucket=other, Key="b", CopySource=f"/{bucket}/{key}")
    assert s3.get_object(Bucket=other, Key="b")["Body"].read() == b"small"


def test_empty_objects_copy(s3, bucket):
    s3.put_object(Bucket=bucket, Key="empty", Body=b"")
    s3.copy_object(Bucket=bucket, Key="empty2", CopySource={"Bucket": bucket, "Key": "empty"})
    got = s3.get_object(Bucket=bucket, Key="empty2")
    assert got["ContentLength"] == 0 and got["ETag"] == '"d41d8cd98f00b204e9800998ecf8427e"'


def test_replace_directive_takes_metadata_and_tags_from_the_request(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"x", Metadata={"old": "1"}, Tagging="t=1")
    s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"},
                   MetadataDirective="REPLACE", Metadata={"new": "2"}, ContentType="text/new",
                   TaggingDirective="REPLACE", Tagging="x=1&y=2&z=3")
    head = s3.head_object(Bucket=bucket, Key="dst")
    assert head["Metadata"] == {"new": "2"} and head["ContentType"] == "text/new"
    assert head["ResponseMetadata"]["HTTPHeaders"]["x-amz-tagging-count"] == "3"


def test_copy_onto_itself_needs_replace(s3, bucket):
    s3.put_object(Bucket=bucket, Key="self", Body=b"same bytes", Metadata={"v": "1"})
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.copy_object(Bucket=bucket, Key="self", CopySource={"Bucket": bucket, "Key": "self"})
    code, status, message = error_of(e)
    assert (code, status) == ("InvalidRequest", 400)
    assert message == ("This copy request is illegal because it is trying to copy an object to itself "
                       "without changing the object's metadata, storage class, website redirect "
                       "location or encryption attributes.")
    s3.copy_object(Bucket=bucket, Key="self", CopySource={"Bucket": bucket, "Key": "self"},
                   MetadataDirective="REPLACE", Metadata={"v": "2"})
    got = s3.get_object(Bucket=bucket, Key="self")
    assert got["Metadata"] == {"v": "2"} and got["Body"].read() == b"same bytes"


def test_copy_source_conditions(s3, bucket):
    put = s3.put_object(Bucket=bucket, Key="src", Body=b"cond")
    etag = put["ETag"]
    src = {"Bucket": bucket, "Key": "src"}
    past = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
    future = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
    s3.copy_object(Bucket=bucket, Key="d1", CopySource=src, CopySourceIfMatch=etag)
    s3.copy_object(Bucket=bucket, Key="d2", CopySource=src, CopySourceIfNoneMatch='"other"')
    s3.copy_object(Bucket=bucket, Key="d3", CopySource=src, CopySourceIfModifiedSince=past)
    s3.copy_object(Bucket=bucket, Key="d4", CopySource=src, CopySourceIfUnmodifiedSince=future)
    # If-Match true wins over If-Unmodified-Since false (S3's documented precedence).
    s3.copy_object(Bucket=bucket, Key="d5", CopySource=src, CopySourceIfMatch=etag,
                   CopySourceIfUnmodifiedSince=past)
    for kwargs in [{"CopySourceIfMatch": '"nope"'}, {"CopySourceIfNoneMatch": etag},
                   {"CopySourceIfModifiedSince": future}, {"CopySourceIfUnmodifiedSince": past},
                   {"CopySourceIfNoneMatch": etag, "CopySourceIfModifiedSince": past}]:
        with pytest.raises(botocore.exceptions.ClientError) as e:
            s3.copy_object(Bucket=bucket, Key="dx", CopySource=src, **kwargs)
        assert error_of(e)[:2] == ("PreconditionFailed", 412), kwargs


def test_copy_errors(s3, bucket):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.copy_object(Bucket=bucket, Key="d", CopySource={"Bucket": bucket, "Key": "missing"})
    assert error_of(e)[:2] == ("NoSuchKey", 404)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.copy_object(Bucket=bucket, Key="d", CopySource={"Bucket": "no-such-bucket-xyz", "Key": "k"})
    assert error_of(e)[:2] == ("NoSuchBucket", 404)
    s3.put_object(Bucket=bucket, Key="src", Body=b"v")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.copy_object(Bucket=bucket, Key="d", CopySource={"Bucket": bucket, "Key": "src", "VersionId": "abc"})
    assert error_of(e)[:2] == ("InvalidArgument", 400)
    s3.copy_object(Bucket=bucket, Key="d", CopySource={"Bucket": bucket, "Key": "src", "VersionId": "null"})
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.copy_object(Bucket=bucket, Key="d", CopySource={"Bucket": bucket, "Key": "src"}, MetadataDirective="MOVE")
    assert error_of(e)[:2] == ("InvalidArgument", 400)


def test_copy_keeps_a_full_object_checksum(s3, bucket):
    put = s3.put_object(Bucket=bucket, Key="src", Body=b"checksummed", ChecksumAlgorithm="CRC32")
    res = s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"})
    assert res["CopyObjectResult"]["ChecksumCRC32"] == put["ChecksumCRC32"]
    head = s3.head_object(Bucket=bucket, Key="dst", ChecksumMode="ENABLED")
    assert head["ChecksumCRC32"] == put["ChecksumCRC32"]


@pytest.mark.parametrize("version", [1, 2])
def test_cli_copy_and_move(kura, bucket, tmp_path, version):
    f = tmp_path / "f.txt"
    f.write_bytes(b"copy me\n")
    kura.aws("s3", "cp", str(f), f"s3://{bucket}/a.txt", version=version)
    kura.aws("s3", "cp", f"s3://{bucket}/a.txt", f"s3://{bucket}/b.txt", version=version)
    kura.aws("s3", "mv", f"s3://{bucket}/b.txt", f"s3://{bucket}/c.txt", version=version)
    listing = kura.aws("s3", "ls", f"s3://{bucket}/", version=version).stdout
    assert "a.txt" in listing and "c.txt" in listing and "b.txt" not in listing
    out = json.loads(kura.aws("s3api", "copy-object", "--bucket", bucket, "--key", "d.txt",
                              "--copy-source", f"{bucket}/a.txt", version=version).stdout)
    assert out["CopyObjectResult"]["ETag"] == '"%s"' % hashlib.md5(b"copy me\n").hexdigest()
    down = tmp_path / "down.txt"
    kura.aws("s3", "cp", f"s3://{bucket}/d.txt", str(down), version=version)
    assert down.read_bytes() == b"copy me\n"
