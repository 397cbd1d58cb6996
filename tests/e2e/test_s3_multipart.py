"""Multipart uploads with boto3 and the aws CLI: the whole life of an upload, AWS's errors
(NoSuchUpload, InvalidPart, InvalidPartOrder, EntityTooSmall), the "md5-of-md5s-N" ETag,
COMPOSITE and FULL_OBJECT checksums, UploadPartCopy with ranges, GET/HEAD ?partNumber, listing
and aborting uploads, and `aws s3 cp` of large files both ways, byte for byte."""
import base64
import filecmp
import hashlib
import json
import os
import zlib

import botocore.exceptions
import pytest

MiB = 1024 * 1024


def error_of(excinfo):
    err = excinfo.value.response["Error"]
    return err["Code"], excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"], err.get("Message")


@pytest.fixture(params=["http", "https"])
def s3(request, kura):
    return kura.client(tls=request.param == "https")


def md5_of_md5s(parts):
    return '"%s-%d"' % (hashlib.md5(b"".join(hashlib.md5(p).digest() for p in parts)).hexdigest(), len(parts))


def upload(s3, bucket, key, parts, **create):
    up = s3.create_multipart_upload(Bucket=bucket, Key=key, **create)
    done = []
    for i, data in enumerate(parts, 1):
        r = s3.upload_part(Bucket=bucket, Key=key, UploadId=up["UploadId"], PartNumber=i, Body=data)
        assert r["ETag"] == '"%s"' % hashlib.md5(data).hexdigest()
        done.append({"PartNumber": i, "ETag": r["ETag"]})
    return up["UploadId"], done


def test_upload_complete_and_read_back_by_part(s3, bucket):
    parts = [os.urandom(5 * MiB), os.urandom(5 * MiB), b"tail bytes"]
    upload_id, done = upload(s3, bucket, "big", parts, ContentType="text/x-mp", Metadata={"m": "1"})
    listed = s3.list_parts(Bucket=bucket, Key="big", UploadId=upload_id)
    assert [p["PartNumber"] for p in listed["Parts"]] == [1, 2, 3]
    assert [p["Size"] for p in listed["Parts"]] == [len(p) for p in parts]
    res = s3.complete_multipart_upload(Bucket=bucket, Key="big", UploadId=upload_id,
                                       MultipartUpload={"Parts": done})
    assert res["ETag"] == md5_of_md5s(parts)
    got = s3.get_object(Bucket=bucket, Key="big")
    assert got["Body"].read() == b"".join(parts)
    assert got["ContentType"] == "text/x-mp" and got["Metadata"] == {"m": "1"}
    head = s3.head_object(Bucket=bucket, Key="big", PartNumber=2)
    assert head["PartsCount"] == 3 and head["ContentLength"] == 5 * MiB
    assert head["ResponseMetadata"]["HTTPStatusCode"] == 206
    part3 = s3.get_object(Bucket=bucket, Key="big", PartNumber=3)
    assert part3["Body"].read() == b"tail bytes"
    assert part3["ContentRange"] == "bytes %d-%d/%d" % (10 * MiB, 10 * MiB + 9, 10 * MiB + 10)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object(Bucket=bucket, Key="big", PartNumber=4)
    assert error_of(e)[:2] == ("InvalidPartNumber", 416)
    ranged = s3.get_object(Bucket=bucket, Key="big", Range="bytes=%d-%d" % (5 * MiB - 2, 5 * MiB + 1))
    assert ranged["Body"].read() == parts[0][-2:] + parts[1][:2]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.list_parts(Bucket=bucket, Key="big", UploadId=upload_id)
    assert error_of(e)[:2] == ("NoSuchUpload", 404)


def test_single_empty_part_makes_an_empty_object(s3, bucket):
    upload_id, done = upload(s3, bucket, "empty", [b""])
    res = s3.complete_multipart_upload(Bucket=bucket, Key="empty", UploadId=upload_id,
                                       MultipartUpload={"Parts": done})
    assert res["ETag"] == md5_of_md5s([b""])
    assert s3.get_object(Bucket=bucket, Key="empty")["Body"].read() == b""


def test_complete_errors(s3, bucket):
    upload_id, done = upload(s3, bucket, "k", [b"a" * 100, b"b" * 100])
    def complete(parts):
        with pytest.raises(botocore.exceptions.ClientError) as e:
            s3.complete_multipart_upload(Bucket=bucket, Key="k", UploadId=upload_id,
                                         MultipartUpload={"Parts": parts})
        return error_of(e)
    assert complete([done[1], done[0]])[:2] == ("InvalidPartOrder", 400)
    assert complete([done[0], {"PartNumber": 2, "ETag": '"%s"' % ("0" * 32)}])[:2] == ("InvalidPart", 400)
    assert complete([done[0], {"PartNumber": 3, "ETag": done[1]["ETag"]}])[:2] == ("InvalidPart", 400)
    assert complete(done)[:2] == ("EntityTooSmall", 400)
    # The upload survives failed completions; the last part alone may be small.
    res = s3.complete_multipart_upload(Bucket=bucket, Key="k", UploadId=upload_id,
                                       MultipartUpload={"Parts": [done[1]]})
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"b" * 100
    assert res["ETag"] == md5_of_md5s([b"b" * 100])
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.upload_part(Bucket=bucket, Key="k", UploadId="no-such-upload", PartNumber=1, Body=b"x")
    assert error_of(e)[:2] == ("NoSuchUpload", 404)
    up = s3.create_multipart_upload(Bucket=bucket, Key="k")
    for bad in [0, 10001]:
        with pytest.raises(botocore.exceptions.ClientError) as e:
            s3.upload_part(Bucket=bucket, Key="k", UploadId=up["UploadId"], PartNumber=bad, Body=b"x")
        assert error_of(e)[:2] == ("InvalidArgument", 400)


def test_complete_with_if_none_match(s3, bucket):
    s3.put_object(Bucket=bucket, Key="exists", Body=b"x")
    upload_id, done = upload(s3, bucket, "exists", [b"new"])
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.complete_multipart_upload(Bucket=bucket, Key="exists", UploadId=upload_id,
                                     MultipartUpload={"Parts": done}, IfNoneMatch="*")
    assert error_of(e)[:2] == ("PreconditionFailed", 412)
    upload_id, done = upload(s3, bucket, "fresh", [b"new"])
    s3.complete_multipart_upload(Bucket=bucket, Key="fresh", UploadId=upload_id,
                                 MultipartUpload={"Parts": done}, IfNoneMatch="*")


def test_replacing_a_part_uses_the_new_bytes(s3, bucket):
    up = s3.create_multipart_upload(Bucket=bucket, Key="r")
    s3.upload_part(Bucket=bucket, Key="r", UploadId=up["UploadId"], PartNumber=1, Body=b"first")
    r = s3.upload_part(Bucket=bucket, Key="r", UploadId=up["UploadId"], PartNumber=1, Body=b"second")
    s3.complete_multipart_upload(Bucket=bucket, Key="r", UploadId=up["UploadId"],
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": r["ETag"]}]})
    assert s3.get_object(Bucket=bucket, Key="r")["Body"].read() == b"second"


def test_abort_and_list_uploads(s3, bucket):
    ids = {}
    for key in ["a/1", "a/2", "b", "c d+é"]:
        ids[key] = s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
    s3.upload_part(Bucket=bucket, Key="b", UploadId=ids["b"], PartNumber=1, Body=b"x" * 1000)
    listed = s3.list_multipart_uploads(Bucket=bucket)
    assert [u["Key"] for u in listed["Uploads"]] == ["a/1", "a/2", "b", "c d+é"]
    grouped = s3.list_multipart_uploads(Bucket=bucket, Delimiter="/")
    assert [p["Prefix"] for p in grouped["CommonPrefixes"]] == ["a/"]
    assert [u["Key"] for u in grouped["Uploads"]] == ["b", "c d+é"]
    page = s3.list_multipart_uploads(Bucket=bucket, MaxUploads=2)
    assert page["IsTruncated"] and [u["Key"] for u in page["Uploads"]] == ["a/1", "a/2"]
    rest = s3.list_multipart_uploads(Bucket=bucket, KeyMarker=page["NextKeyMarker"],
                                     UploadIdMarker=page["NextUploadIdMarker"])
    assert [u["Key"] for u in rest["Uploads"]] == ["b", "c d+é"]
    assert [u["Key"] for u in s3.list_multipart_uploads(Bucket=bucket, Prefix="a/")["Uploads"]] == ["a/1", "a/2"]
    s3.abort_multipart_upload(Bucket=bucket, Key="b", UploadId=ids["b"])
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.abort_multipart_upload(Bucket=bucket, Key="b", UploadId=ids["b"])
    assert error_of(e)[:2] == ("NoSuchUpload", 404)
    assert "b" not in [u["Key"] for u in s3.list_multipart_uploads(Bucket=bucket)["Uploads"]]
    # Uploads in progress do not keep a bucket alive (general purpose buckets).
    s3.delete_bucket(Bucket=bucket)


def test_upload_part_copy_with_ranges(s3, bucket):
    src = os.urandom(6 * MiB + 100)
    s3.put_object(Bucket=bucket, Key="src", Body=src)
    up = s3.create_multipart_upload(Bucket=bucket, Key="dst")
    p1 = s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=up["UploadId"], PartNumber=1,
                             CopySource={"Bucket": bucket, "Key": "src"}, CopySourceRange="bytes=0-%d" % (5 * MiB - 1))
    p2 = s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=up["UploadId"], PartNumber=2,
                             CopySource={"Bucket": bucket, "Key": "src"}, CopySourceRange="bytes=%d-%d" % (5 * MiB, len(src) - 1))
    assert p1["CopyPartResult"]["ETag"] == '"%s"' % hashlib.md5(src[:5 * MiB]).hexdigest()
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=up["UploadId"], PartNumber=3,
                            CopySource={"Bucket": bucket, "Key": "src"}, CopySourceRange="bytes=0-%d" % len(src))
    assert error_of(e)[:2] == ("InvalidArgument", 400)
    # Neither whitespace, "0x" nor a position past uint64 is read as another range.
    for bad in ["bytes= 0-3", "bytes=0 -3", "bytes=0x1-3", "bytes=0-99999999999999999999999",
                "bytes=99999999999999999999999-1"]:
        with pytest.raises(botocore.exceptions.ClientError) as e:
            s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=up["UploadId"], PartNumber=3,
                                CopySource={"Bucket": bucket, "Key": "src"}, CopySourceRange=bad)
        assert error_of(e)[:2] == ("InvalidArgument", 400), bad
    s3.complete_multipart_upload(Bucket=bucket, Key="dst", UploadId=up["UploadId"], MultipartUpload={"Parts": [
        {"PartNumber": 1, "ETag": p1["CopyPartResult"]["ETag"]}, {"PartNumber": 2, "ETag": p2["CopyPartResult"]["ETag"]}]})
    assert s3.get_object(Bucket=bucket, Key="dst")["Body"].read() == src


def crc32_b64(data):
    return base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()


def test_composite_checksum(s3, bucket):
    parts = [os.urandom(5 * MiB), b"end"]
    up = s3.create_multipart_upload(Bucket=bucket, Key="c", ChecksumAlgorithm="CRC32")
    done = []
    for i, data in enumerate(parts, 1):
        r = s3.upload_part(Bucket=bucket, Key="c", UploadId=up["UploadId"], PartNumber=i, Body=data,
                           ChecksumAlgorithm="CRC32")
        assert r["ChecksumCRC32"] == crc32_b64(data)
        done.append({"PartNumber": i, "ETag": r["ETag"], "ChecksumCRC32": r["ChecksumCRC32"]})
    res = s3.complete_multipart_upload(Bucket=bucket, Key="c", UploadId=up["UploadId"], MultipartUpload={"Parts": done})
    raw = b"".join(zlib.crc32(p).to_bytes(4, "big") for p in parts)
    assert res["ChecksumCRC32"] == "%s-2" % crc32_b64(raw)
    head = s3.head_object(Bucket=bucket, Key="c", ChecksumMode="ENABLED")
    assert head["ChecksumCRC32"] == res["ChecksumCRC32"] and head["ChecksumType"] == "COMPOSITE"


def test_full_object_checksum(s3, bucket):
    parts = [os.urandom(5 * MiB), b"end"]
    up = s3.create_multipart_upload(Bucket=bucket, Key="f", ChecksumAlgorithm="CRC32", ChecksumType="FULL_OBJECT")
    done = []
    for i, data in enumerate(parts, 1):
        r = s3.upload_part(Bucket=bucket, Key="f", UploadId=up["UploadId"], PartNumber=i, Body=data,
                           ChecksumAlgorithm="CRC32")
        done.append({"PartNumber": i, "ETag": r["ETag"], "ChecksumCRC32": r["ChecksumCRC32"]})
    res = s3.complete_multipart_upload(Bucket=bucket, Key="f", UploadId=up["UploadId"], MultipartUpload={"Parts": done})
    assert res["ChecksumCRC32"] == crc32_b64(b"".join(parts))
    assert res["ChecksumType"] == "FULL_OBJECT"


@pytest.mark.parametrize("version,tls", [(1, False), (2, False), (1, True), (2, True)])
def test_cli_cp_of_a_large_file_goes_multipart_both_ways(kura, bucket, tmp_path, version, tls):
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(9 * MiB + 12345))
    kura.aws("s3", "cp", str(big), f"s3://{bucket}/big.bin", version=version, tls=tls)
    head = json.loads(kura.aws("s3api", "head-object", "--bucket", bucket, "--key", "big.bin",
                               version=version, tls=tls).stdout)
    assert head["ETag"].endswith('-2"') and head["ContentLength"] == 9 * MiB + 12345
    down = tmp_path / "down.bin"
    kura.aws("s3", "cp", f"s3://{bucket}/big.bin", str(down), version=version, tls=tls)
    assert filecmp.cmp(big, down, shallow=False)
    kura.aws("s3", "cp", f"s3://{bucket}/big.bin", f"s3://{bucket}/copy.bin", version=version, tls=tls)
    down2 = tmp_path / "down2.bin"
    kura.aws("s3", "cp", f"s3://{bucket}/copy.bin", str(down2), version=version, tls=tls)
    assert filecmp.cmp(big, down2, shallow=False)


def test_cli_s3api_multipart_calls(kura, bucket, tmp_path):
    part = tmp_path / "part"
    part.write_bytes(b"p" * 1000)
    up = json.loads(kura.aws("s3api", "create-multipart-upload", "--bucket", bucket, "--key", "m").stdout)
    r = json.loads(kura.aws("s3api", "upload-part", "--bucket", bucket, "--key", "m", "--upload-id", up["UploadId"],
                            "--part-number", "1", "--body", str(part)).stdout)
    listed = json.loads(kura.aws("s3api", "list-multipart-uploads", "--bucket", bucket).stdout)
    assert [u["UploadId"] for u in listed["Uploads"]] == [up["UploadId"]]
    mpu = tmp_path / "mpu.json"
    mpu.write_text(json.dumps({"Parts": [{"PartNumber": 1, "ETag": r["ETag"]}]}))
    kura.aws("s3api", "complete-multipart-upload", "--bucket", bucket, "--key", "m", "--upload-id", up["UploadId"],
             "--multipart-upload", f"file://{mpu}")
    out = kura.aws("s3api", "abort-multipart-upload", "--bucket", bucket, "--key", "m", "--upload-id", up["UploadId"], check=False)
    assert out.returncode != 0 and "NoSuchUpload" in out.stderr
