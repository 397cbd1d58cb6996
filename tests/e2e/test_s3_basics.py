"""S3 buckets and objects with boto3, over HTTP (checksum in a header) and HTTPS (aws-chunked
with a trailing checksum): the operations of the foundation issue, with AWS's exact answers."""
import hashlib
import os

import botocore.exceptions
import pytest


def error_of(excinfo):
    err = excinfo.value.response["Error"]
    return err["Code"], excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"], err.get("Message")


@pytest.fixture(params=["http", "https"])
def s3(request, kura):
    return kura.client(tls=request.param == "https")


def test_create_head_list_locate_delete_bucket(kura, s3):
    name = f"life-{os.getpid()}-{id(s3) % 1000}"
    s3.create_bucket(Bucket=name)
    assert s3.head_bucket(Bucket=name)["ResponseMetadata"]["HTTPHeaders"]["x-amz-bucket-region"] == "us-east-1"
    names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    assert name in names
    assert s3.get_bucket_location(Bucket=name)["LocationConstraint"] is None
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.create_bucket(Bucket=name)
    assert error_of(e)[:2] == ("BucketAlreadyOwnedByYou", 409)
    s3.delete_bucket(Bucket=name)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.head_bucket(Bucket=name)
    assert error_of(e)[1] == 404


def test_delete_bucket_that_is_not_empty_is_refused(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.delete_bucket(Bucket=bucket)
    assert error_of(e)[:2] == ("BucketNotEmpty", 409)


@pytest.mark.parametrize("name", ["ab", "UPPER", "has_underscore", "-leading", "a" * 64, "192.168.1.1", "a..b"])
def test_invalid_bucket_names_are_rejected(s3, name):
    with pytest.raises((botocore.exceptions.ClientError, botocore.exceptions.ParamValidationError)) as e:
        s3.create_bucket(Bucket=name)
    if isinstance(e.value, botocore.exceptions.ClientError):
        assert error_of(e)[:2] == ("InvalidBucketName", 400)


def test_put_get_head_round_trip_with_metadata(s3, bucket):
    body = os.urandom(100_000)
    put = s3.put_object(Bucket=bucket, Key="dir/file.bin", Body=body, ContentType="application/x-test",
                        Metadata={"color": "blue", "Mixed-Case": "v"}, CacheControl="max-age=60",
                        ContentDisposition="attachment", ContentLanguage="en")
    assert put["ETag"] == '"%s"' % hashlib.md5(body).hexdigest()
    got = s3.get_object(Bucket=bucket, Key="dir/file.bin")
    assert got["Body"].read() == body
    assert got["ContentType"] == "application/x-test"
    assert got["Metadata"] == {"color": "blue", "mixed-case": "v"}
    assert got["CacheControl"] == "max-age=60"
    assert got["ContentDisposition"] == "attachment"
    assert got["ContentLanguage"] == "en"
    assert got["ETag"] == put["ETag"]
    head = s3.head_object(Bucket=bucket, Key="dir/file.bin")
    assert head["ContentLength"] == len(body)
    assert head["ETag"] == put["ETag"]


def test_empty_object_and_default_content_type(s3, bucket):
    s3.put_object(Bucket=bucket, Key="empty", Body=b"")
    got = s3.get_object(Bucket=bucket, Key="empty")
    assert got["Body"].read() == b""
    assert got["ContentLength"] == 0
    assert got["ETag"] == '"d41d8cd98f00b204e9800998ecf8427e"'
    assert got["ContentType"] == "binary/octet-stream"


def test_checksums_are_verified_stored_and_returned(s3, bucket):
    # CRC32C and CRC64NVME need botocore[crt], which the image lacks; the sigv4 unit tests and
    # test_sigv4_auth cover them with raw requests.
    for algorithm in ["CRC32", "SHA1", "SHA256"]:
        key = f"sum-{algorithm}"
        put = s3.put_object(Bucket=bucket, Key=key, Body=b"hello world", ChecksumAlgorithm=algorithm)
        field = "Checksum" + algorithm
        assert put[field]
        head = s3.head_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
        assert head[field] == put[field]


def test_overwrite_replaces_whole_object(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"a" * 200_000)
    s3.put_object(Bucket=bucket, Key="k", Body=b"b" * 10)
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"b" * 10


def test_missing_key_and_bucket_errors(s3, bucket):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object(Bucket=bucket, Key="nope")
    code, status, message = error_of(e)
    assert (code, status) == ("NoSuchKey", 404) and message
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object(Bucket="no-such-bucket-kura", Key="k")
    assert error_of(e)[:2] == ("NoSuchBucket", 404)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.put_object(Bucket="no-such-bucket-kura", Key="k", Body=b"x")
    assert error_of(e)[:2] == ("NoSuchBucket", 404)


def test_delete_object_is_idempotent(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    assert s3.delete_object(Bucket=bucket, Key="k")["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert s3.delete_object(Bucket=bucket, Key="k")["ResponseMetadata"]["HTTPStatusCode"] == 204


def test_key_over_1024_bytes_is_rejected(s3, bucket):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.put_object(Bucket=bucket, Key="k" * 1025, Body=b"x")
    assert error_of(e)[:2] == ("KeyTooLongError", 400)
    s3.put_object(Bucket=bucket, Key="k" * 1024, Body=b"x")


@pytest.mark.parametrize("key", ["with space", "unicode-é-ü-日本", "plus+sign", "percent%25", "../../etc/passwd",
                                 "a/../b", "%2F", "trailing/", "q?uestion&amp=1", "tilde~*'()!"])
def test_hostile_and_unusual_keys_are_opaque_names(s3, bucket, key):
    s3.put_object(Bucket=bucket, Key=key, Body=key.encode())
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == key.encode()
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix=key)["Contents"]]
    assert key in keys


def test_list_objects_v2_prefix_delimiter_pagination(s3, bucket):
    keys = [f"photos/2024/{i:03d}.jpg" for i in range(25)] + ["photos/readme", "docs/a", "docs/b", "top"]
    for k in keys:
        s3.put_object(Bucket=bucket, Key=k, Body=b"")
    top = s3.list_objects_v2(Bucket=bucket, Delimiter="/")
    assert [p["Prefix"] for p in top["CommonPrefixes"]] == ["docs/", "photos/"]
    assert [o["Key"] for o in top["Contents"]] == ["top"]
    assert top["KeyCount"] == 3
    seen, token = [], None
    while True:
        kw = {"Bucket": bucket, "Prefix": "photos/", "MaxKeys": 7}
        if token:
            kw["ContinuationToken"] = token
        page = s3.list_objects_v2(**kw)
        seen += [o["Key"] for o in page.get("Contents", [])]
        if not page["IsTruncated"]:
            break
        token = page["NextContinuationToken"]
    assert seen == sorted(k for k in keys if k.startswith("photos/"))
    after = s3.list_objects_v2(Bucket=bucket, StartAfter="photos/2024/020.jpg", Prefix="photos/")
    assert [o["Key"] for o in after["Contents"]][0] == "photos/2024/021.jpg"
    paginator = s3.get_paginator("list_objects_v2")
    assert sum(p["KeyCount"] for p in paginator.paginate(Bucket=bucket, PaginationConfig={"PageSize": 4})) == len(keys)


def test_list_objects_v1_marker_and_next_marker(s3, bucket):
    for k in ["a/1", "a/2", "b/1", "c"]:
        s3.put_object(Bucket=bucket, Key=k, Body=b"")
    page = s3.list_objects(Bucket=bucket, Delimiter="/", MaxKeys=2)
    assert page["IsTruncated"] and page["NextMarker"] == "b/"
    rest = s3.list_objects(Bucket=bucket, Delimiter="/", Marker=page["NextMarker"])
    assert [o["Key"] for o in rest["Contents"]] == ["c"]


def test_listing_orders_by_utf8_bytes(s3, bucket):
    keys = ["a", "B", "é", "z", "~", "\u00ff", "\u4e00"]
    for k in keys:
        s3.put_object(Bucket=bucket, Key=k, Body=b"")
    listed = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert listed == sorted(keys, key=lambda k: k.encode())


def test_encoding_type_url(s3, bucket):
    s3.put_object(Bucket=bucket, Key="a b/c", Body=b"")
    page = s3.list_objects_v2(Bucket=bucket, EncodingType="url")
    # botocore decodes only when it chose the encoding itself; asked explicitly, it shows the wire.
    assert page["Contents"][0]["Key"] == "a%20b/c"
    assert page["EncodingType"] == "url"


def test_range_and_conditional_get(s3, bucket):
    body = bytes(range(256)) * 10
    etag = s3.put_object(Bucket=bucket, Key="r", Body=body)["ETag"]
    got = s3.get_object(Bucket=bucket, Key="r", Range="bytes=10-19")
    assert got["Body"].read() == body[10:20]
    assert got["ContentRange"] == f"bytes 10-19/{len(body)}"
    assert s3.get_object(Bucket=bucket, Key="r", Range="bytes=-5")["Body"].read() == body[-5:]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object(Bucket=bucket, Key="r", Range=f"bytes={len(body)}-")
    assert error_of(e)[:2] == ("InvalidRange", 416)
    assert e.value.response["ResponseMetadata"]["HTTPHeaders"]["content-range"] == f"bytes */{len(body)}"
    assert e.value.response["Error"]["ActualObjectSize"] == str(len(body))
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object(Bucket=bucket, Key="r", IfMatch='"nope"')
    assert error_of(e)[1] == 412
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object(Bucket=bucket, Key="r", IfNoneMatch=etag)
    assert error_of(e)[1] == 304


HUGE = "99999999999999999999999"  # past uint64


@pytest.mark.parametrize("header,status,served", [
    ("bytes=2-3", 206, (2, 3)),
    ("bytes=-3", 206, (7, 9)),
    ("bytes=7-", 206, (7, 9)),
    ("bytes=3-" + HUGE, 206, (3, 9)),      # a huge last-byte-pos clamps to the end
    ("bytes=-" + HUGE, 206, (0, 9)),       # a huge suffix-length is the whole object
    # Malformed: ignored (RFC 9110 section 14.1.2), never read as a suffix range.
    ("bytes=x-3", 200, None),
    ("bytes= 2-3", 200, None),
    ("bytes=2 -3", 200, None),
    ("bytes=0x1-3", 200, None),
    ("bytes=3-2", 200, None),
    ("bytes=" + HUGE + "-1", 200, None),   # last-byte-pos before first-byte-pos
    # Valid but unsatisfiable.
    ("bytes=10-", 416, None),
    ("bytes=" + HUGE + "-", 416, None),
    ("bytes=-0", 416, None),
])
def test_range_answers_206_200_or_416_with_the_exact_bytes(s3, bucket, header, status, served):
    body = b"0123456789"
    s3.put_object(Bucket=bucket, Key="digits", Body=body)
    if status == 416:
        with pytest.raises(botocore.exceptions.ClientError) as e:
            s3.get_object(Bucket=bucket, Key="digits", Range=header)
        assert error_of(e)[:2] == ("InvalidRange", 416)
        assert e.value.response["ResponseMetadata"]["HTTPHeaders"]["content-range"] == "bytes */10"
        return
    got = s3.get_object(Bucket=bucket, Key="digits", Range=header)
    assert got["ResponseMetadata"]["HTTPStatusCode"] == status
    if served is None:
        assert "ContentRange" not in got and got["Body"].read() == body
    else:
        first, last = served
        assert got["ContentRange"] == f"bytes {first}-{last}/10"
        assert got["Body"].read() == body[first:last + 1]


def test_presigned_get_and_put(kura, bucket):
    import urllib.request
    s3 = kura.client(signature_version="s3v4")
    put_url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "p"}, ExpiresIn=300)
    req = urllib.request.Request(put_url, data=b"presigned body", method="PUT")
    assert urllib.request.urlopen(req).status == 200
    get_url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "p",
                                                              "ResponseContentType": "text/plain"})
    with urllib.request.urlopen(get_url) as r:
        assert r.read() == b"presigned body"
        assert r.headers["Content-Type"] == "text/plain"
    # A line break in an override cannot add a header (response splitting).
    evil = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "p",
                                                           "ResponseContentType": "text/plain\r\nX-Injected: 1"})
    with urllib.request.urlopen(evil) as r:
        assert r.read() == b"presigned body"
        assert "X-Injected" not in r.headers and r.headers["Content-Type"] == "text/plain  X-Injected: 1"


def test_unsupported_operation_is_not_implemented(s3, bucket):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_bucket_website(Bucket=bucket)
    code, status, message = error_of(e)
    assert (code, status) == ("NotImplemented", 501) and message


def test_every_response_has_a_request_id(s3, bucket):
    meta = s3.put_object(Bucket=bucket, Key="x", Body=b"1")["ResponseMetadata"]
    assert len(meta["RequestId"]) == 16
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object(Bucket=bucket, Key="missing")
    assert len(e.value.response["ResponseMetadata"]["RequestId"]) == 16


def test_health_check_answers_unsigned_and_takes_no_bucket(kura):
    # GET /_kura/health is for load balancers (docs/scale-out.md); `_kura` can be no bucket (it is
    # no valid bucket name), and a signed request there is S3's as before.
    import urllib.request
    with urllib.request.urlopen(f"{kura.endpoint}/_kura/health", timeout=10) as r:
        assert (r.status, r.read()) == (200, b"ok\n")
    req = urllib.request.Request(f"{kura.endpoint}/_kura/health", method="HEAD")
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 200 and r.headers["Content-Length"] == "3"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        kura.client().list_objects_v2(Bucket="_kura")
    assert error_of(e)[:2] == ("NoSuchBucket", 404)
