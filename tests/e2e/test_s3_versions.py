"""ListObjectVersions, DeleteObjects with version ids and GetObjectAttributes (issue #12), with
boto3 and the aws CLI, on unversioned and versioned buckets."""
import concurrent.futures
import hashlib
import json

import botocore.exceptions
import pytest


def error_of(excinfo):
    err = excinfo.value.response["Error"]
    return err["Code"], excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture
def s3(kura):
    return kura.client()


def put_many(s3, bucket, keys, body=b"x"):
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda k: s3.put_object(Bucket=bucket, Key=k, Body=body), keys))


def all_versions(s3, bucket, page_size, **kwargs):
    """Every (kind, key, version id, latest) the paginator yields, pages of `page_size`: each page's
    versions, then its delete markers (boto3 splits S3's one order into the two lists)."""
    seen = []
    pages = s3.get_paginator("list_object_versions").paginate(
        Bucket=bucket, PaginationConfig={"PageSize": page_size}, **kwargs)
    for page in pages:
        entries = [("V", v["Key"], v["VersionId"], v["IsLatest"]) for v in page.get("Versions", [])]
        entries += [("D", d["Key"], d["VersionId"], d["IsLatest"]) for d in page.get("DeleteMarkers", [])]
        seen += entries
        assert len(entries) <= page_size
    return seen


def enable_versioning(s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})


# --- unversioned buckets ---

def test_pagination_over_many_keys_is_complete_and_stable(s3, bucket):
    keys = [f"k/{i:03d}" for i in range(45)] + ["a b", "ü/x+y"]
    put_many(s3, bucket, keys)
    for page_size in (1, 7, 1000):
        listed = all_versions(s3, bucket, page_size)
        assert [e[1] for e in listed] == sorted(keys, key=lambda k: k.encode())
        assert {(e[0], e[2], e[3]) for e in listed} == {("V", "null", True)}


def test_url_encoding_and_common_prefixes(s3, bucket):
    put_many(s3, bucket, ["d ir/1", "d ir/2", "top é"])
    # Unasked, botocore sends encoding-type=url and decodes what it gets back.
    page = s3.list_object_versions(Bucket=bucket, Delimiter="/")
    assert [v["Key"] for v in page["Versions"]] == ["top é"]
    assert [p["Prefix"] for p in page["CommonPrefixes"]] == ["d ir/"]
    page = s3.list_object_versions(Bucket=bucket, Delimiter="/", EncodingType="url", KeyMarker="d ir/")
    assert page["EncodingType"] == "url" and page["KeyMarker"] == "d%20ir/"
    assert [v["Key"] for v in page["Versions"]] == ["top%20%C3%A9"] and "CommonPrefixes" not in page
    page = s3.list_object_versions(Bucket=bucket, MaxKeys=0)
    assert page["MaxKeys"] == 0 and "Versions" not in page and not page["IsTruncated"]


def test_version_id_marker_needs_a_key_marker(kura, bucket):
    result = kura.aws("s3api", "list-object-versions", "--bucket", bucket, "--version-id-marker", "null",
                      check=False)
    assert result.returncode != 0 and "InvalidArgument" in result.stderr


def test_delete_objects_with_the_null_version(s3, bucket):
    put_many(s3, bucket, ["a", "b"])
    out = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "a", "VersionId": "null"}, {"Key": "b"}]})
    deleted = {d["Key"]: d for d in out["Deleted"]}
    assert deleted["a"]["VersionId"] == "null" and "VersionId" not in deleted["b"]
    assert "DeleteMarker" not in deleted["a"] and "Errors" not in out
    assert s3.list_object_versions(Bucket=bucket).get("Versions", []) == []


def test_get_object_attributes(s3, bucket):
    body = b"attributes " * 100
    s3.put_object(Bucket=bucket, Key="k", Body=body, ChecksumAlgorithm="SHA256")
    out = s3.get_object_attributes(Bucket=bucket, Key="k",
                                   ObjectAttributes=["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"])
    assert out["ETag"] == hashlib.md5(body).hexdigest()  # unquoted, as S3 sends it here
    assert out["ObjectSize"] == len(body) and out["StorageClass"] == "STANDARD"
    assert "ChecksumSHA256" in out["Checksum"]
    assert "ObjectParts" not in out and "VersionId" not in out
    assert out["LastModified"] == s3.head_object(Bucket=bucket, Key="k")["LastModified"]
    only_size = s3.get_object_attributes(Bucket=bucket, Key="k", ObjectAttributes=["ObjectSize"])
    assert "ETag" not in only_size and only_size["ObjectSize"] == len(body)


def test_get_object_attributes_of_a_multipart_object(s3, bucket):
    upload = s3.create_multipart_upload(Bucket=bucket, Key="mp")["UploadId"]
    parts = []
    for n, size in ((1, 5 * 1024 * 1024), (2, 1024)):
        etag = s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload, PartNumber=n, Body=b"p" * size)["ETag"]
        parts.append({"PartNumber": n, "ETag": etag})
    s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload, MultipartUpload={"Parts": parts})
    out = s3.get_object_attributes(Bucket=bucket, Key="mp", ObjectAttributes=["ObjectParts", "ETag"], MaxParts=10)
    assert out["ObjectParts"]["TotalPartsCount"] == 2
    assert out["ETag"].endswith("-2")


def test_get_object_attributes_errors(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object_attributes(Bucket=bucket, Key="k", ObjectAttributes=["Colour"])
    assert error_of(e) == ("InvalidArgument", 400)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object_attributes(Bucket=bucket, Key="missing", ObjectAttributes=["ETag"])
    assert error_of(e) == ("NoSuchKey", 404)


@pytest.mark.parametrize("version", [1, 2])
def test_aws_cli(kura, bucket, tmp_path, version):
    kura.client().put_object(Bucket=bucket, Key="k", Body=b"hello")
    out = json.loads(kura.aws("s3api", "get-object-attributes", "--bucket", bucket, "--key", "k",
                              "--object-attributes", "ETag", "ObjectSize", version=version).stdout)
    assert out["ObjectSize"] == 5 and out["ETag"] == hashlib.md5(b"hello").hexdigest()
    out = json.loads(kura.aws("s3api", "list-object-versions", "--bucket", bucket, version=version).stdout)
    assert [(v["Key"], v["VersionId"], v["IsLatest"]) for v in out["Versions"]] == [("k", "null", True)]
    req = tmp_path / "delete.json"
    req.write_text(json.dumps({"Objects": [{"Key": "k", "VersionId": "null"}]}))
    out = json.loads(kura.aws("s3api", "delete-objects", "--bucket", bucket, "--delete", f"file://{req}",
                              version=version).stdout)
    assert out["Deleted"] == [{"Key": "k", "VersionId": "null"}]


# --- versioned buckets ---

def test_versions_and_delete_markers_page_completely(s3, bucket):
    enable_versioning(s3, bucket)
    for i in range(4):
        for key in ("a", "b/c", "d"):
            s3.put_object(Bucket=bucket, Key=key, Body=str(i).encode())
    s3.delete_object(Bucket=bucket, Key="b/c")
    everything = all_versions(s3, bucket, 1000)
    assert len(everything) == 13 and len(set(everything)) == 13
    assert [(e[0], e[1], e[3]) for e in everything if e[0] == "D"] == [("D", "b/c", True)]
    assert sorted(e[1] for e in everything if e[3]) == ["a", "b/c", "d"]
    for page_size in (1, 2, 5):
        paged = all_versions(s3, bucket, page_size)
        assert len(paged) == 13 and sorted(paged) == sorted(everything)
        versions = [e[1] for e in paged if e[0] == "V"]
        assert versions == sorted(versions)


def test_delete_objects_makes_delete_markers_and_deletes_versions(s3, bucket):
    enable_versioning(s3, bucket)
    v1 = s3.put_object(Bucket=bucket, Key="k", Body=b"1")["VersionId"]
    v2 = s3.put_object(Bucket=bucket, Key="k", Body=b"2")["VersionId"]
    out = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "k"}]})
    marker = out["Deleted"][0]
    assert marker["DeleteMarker"] is True and marker["DeleteMarkerVersionId"] not in (v1, v2)
    out = s3.delete_objects(Bucket=bucket, Delete={"Objects": [
        {"Key": "k", "VersionId": v1}, {"Key": "k", "VersionId": marker["DeleteMarkerVersionId"]}]})
    assert {d["VersionId"] for d in out["Deleted"]} == {v1, marker["DeleteMarkerVersionId"]}
    versions = s3.list_object_versions(Bucket=bucket)
    assert [v["VersionId"] for v in versions["Versions"]] == [v2] and "DeleteMarkers" not in versions
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"2"


def test_get_object_attributes_of_versions_and_delete_markers(s3, bucket):
    enable_versioning(s3, bucket)
    v1 = s3.put_object(Bucket=bucket, Key="k", Body=b"one")["VersionId"]
    s3.put_object(Bucket=bucket, Key="k", Body=b"three")
    out = s3.get_object_attributes(Bucket=bucket, Key="k", VersionId=v1, ObjectAttributes=["ObjectSize"])
    assert out["ObjectSize"] == 3 and out["VersionId"] == v1
    marker = s3.delete_object(Bucket=bucket, Key="k")["VersionId"]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object_attributes(Bucket=bucket, Key="k", ObjectAttributes=["ETag"])
    assert error_of(e) == ("NoSuchKey", 404)
    assert e.value.response["ResponseMetadata"]["HTTPHeaders"]["x-amz-delete-marker"] == "true"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object_attributes(Bucket=bucket, Key="k", VersionId=marker, ObjectAttributes=["ETag"])
    assert error_of(e) == ("MethodNotAllowed", 405)


def test_aws_cli_on_a_versioned_bucket(kura, bucket, tmp_path):
    s3 = kura.client()
    enable_versioning(s3, bucket)
    ids = [s3.put_object(Bucket=bucket, Key="k", Body=bytes([i]))["VersionId"] for i in range(5)]
    listed = []
    token = None
    while True:  # the CLI's own paging, two at a time
        args = ["s3api", "list-object-versions", "--bucket", bucket, "--max-items", "2"]
        if token:
            args += ["--starting-token", token]
        out = json.loads(kura.aws(*args).stdout)
        listed += [v["VersionId"] for v in out.get("Versions", [])]
        token = out.get("NextToken")
        if not token:
            break
    assert listed == list(reversed(ids))
    req = tmp_path / "delete.json"
    req.write_text(json.dumps({"Objects": [{"Key": "k", "VersionId": v} for v in ids[:3]]}))
    out = json.loads(kura.aws("s3api", "delete-objects", "--bucket", bucket, "--delete", f"file://{req}").stdout)
    assert sorted(d["VersionId"] for d in out["Deleted"]) == sorted(ids[:3])
    out = json.loads(kura.aws("s3api", "get-object-attributes", "--bucket", bucket, "--key", "k",
                              "--version-id", ids[3], "--object-attributes", "ObjectSize").stdout)
    assert out["ObjectSize"] == 1 and out["VersionId"] == ids[3]
