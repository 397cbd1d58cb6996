"""DeleteObjects, DeleteObject semantics, ListObjects v1/v2 details and ListBuckets pagination,
with boto3 and the aws CLI, checking AWS's exact answers."""
import concurrent.futures
import json
import os
import urllib.parse

import botocore.exceptions
import pytest


def error_of(excinfo):
    err = excinfo.value.response["Error"]
    return err["Code"], excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"], err.get("Message")


@pytest.fixture(params=["http", "https"])
def s3(request, kura):
    return kura.client(tls=request.param == "https")


def put_many(s3, bucket, keys):
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda k: s3.put_object(Bucket=bucket, Key=k, Body=b"x"), keys))


def test_delete_objects_reports_each_key(s3, bucket):
    keys = ["a", "b c", "ü+%", "missing"]
    put_many(s3, bucket, keys[:3])
    res = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in keys]})
    assert sorted(d["Key"] for d in res["Deleted"]) == sorted(keys)
    assert "Errors" not in res
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0


def test_delete_objects_quiet_and_per_key_errors(s3, bucket):
    put_many(s3, bucket, ["a", "b"])
    res = s3.delete_objects(Bucket=bucket, Delete={"Quiet": True, "Objects": [{"Key": "a"}, {"Key": "k" * 1100}, {"Key": "b"}]})
    assert "Deleted" not in res
    assert [(e["Key"], e["Code"]) for e in res["Errors"]] == [("k" * 1100, "KeyTooLongError")]


def test_delete_objects_limits(s3, bucket):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": str(i)} for i in range(1001)]})
    assert error_of(e)[:2] == ("MalformedXML", 400)
    res = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": str(i)} for i in range(1000)]})
    assert len(res["Deleted"]) == 1000
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.delete_objects(Bucket="no-such-bucket-here", Delete={"Objects": [{"Key": "a"}]})
    assert error_of(e)[:2] == ("NoSuchBucket", 404)


def test_delete_objects_without_an_integrity_header_is_refused(kura, bucket):
    import requests  # noqa: F401  (botocore always adds one; send a raw signed request)
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    body = b"<Delete><Object><Key>a</Key></Object></Delete>"
    req = AWSRequest(method="POST", url=f"{kura.endpoint}/{bucket}?delete", data=body)
    SigV4Auth(Credentials(*kura_keys()), "s3", "us-east-1").add_auth(req)
    import urllib.request
    r = urllib.request.Request(req.url, data=body, method="POST", headers=dict(req.headers))
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(r)
    assert e.value.code == 400 and b"<Code>InvalidRequest</Code>" in e.value.read()


def kura_keys():
    import conftest
    return conftest.ROOT_KEY, conftest.ROOT_SECRET


def test_delete_object_of_a_missing_key_is_204(s3, bucket):
    res = s3.delete_object(Bucket=bucket, Key="never-there")
    assert res["ResponseMetadata"]["HTTPStatusCode"] == 204


def test_list_v1_marker_and_next_marker(s3, bucket):
    put_many(s3, bucket, ["a/1", "a/2", "b", "c/1", "d"])
    page = s3.list_objects(Bucket=bucket, Delimiter="/", MaxKeys=2)
    assert [p["Prefix"] for p in page["CommonPrefixes"]] == ["a/"] and [c["Key"] for c in page["Contents"]] == ["b"]
    assert page["IsTruncated"] and page["NextMarker"] == "b"
    rest = s3.list_objects(Bucket=bucket, Delimiter="/", Marker=page["NextMarker"])
    assert [p["Prefix"] for p in rest["CommonPrefixes"]] == ["c/"] and [c["Key"] for c in rest["Contents"]] == ["d"]
    assert not rest["IsTruncated"]
    plain = s3.list_objects(Bucket=bucket, MaxKeys=2)
    assert plain["IsTruncated"] and "NextMarker" not in plain and plain["Contents"][0]["Owner"]["ID"]


def test_list_v2_details(s3, bucket):
    keys = ["dir/a b", "dir/ü", "plus+key", "pct%41", "z"]
    put_many(s3, bucket, keys)
    res = s3.list_objects_v2(Bucket=bucket, EncodingType="url", Delimiter="/")
    assert res["EncodingType"] == "url"
    assert [urllib.parse.unquote(c["Key"]) for c in res["Contents"]] == ["pct%41", "plus+key", "z"]
    assert res["KeyCount"] == 4 and res["CommonPrefixes"] == [{"Prefix": "dir/"}]
    owned = s3.list_objects_v2(Bucket=bucket, FetchOwner=True)
    assert all("Owner" in c for c in owned["Contents"])
    assert all("Owner" not in c for c in s3.list_objects_v2(Bucket=bucket)["Contents"])
    after = s3.list_objects_v2(Bucket=bucket, StartAfter="plus+key")
    assert [c["Key"] for c in after["Contents"]] == ["z"] and after["StartAfter"] == "plus+key"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.list_objects_v2(Bucket=bucket, ContinuationToken="!!!not-a-token")
    assert error_of(e)[:2] == ("InvalidArgument", 400)


def test_ten_thousand_keys_page_in_utf8_order(kura, bucket):
    s3 = kura.client(max_pool_connections=32)
    keys = ["k%05d" % i for i in range(10000)] + ["é", "z", "\u00ff", "\U0001F600"]
    with concurrent.futures.ThreadPoolExecutor(32) as pool:
        list(pool.map(lambda k: s3.put_object(Bucket=bucket, Key=k, Body=b""), keys))
    seen = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        assert page["KeyCount"] <= 1000
        seen += [c["Key"] for c in page.get("Contents", [])]
    assert seen == sorted(keys, key=lambda k: k.encode())
    v1 = []
    for page in s3.get_paginator("list_objects").paginate(Bucket=bucket, PaginationConfig={"PageSize": 700}):
        v1 += [c["Key"] for c in page.get("Contents", [])]
    assert v1 == seen


def test_pagination_is_stable_while_keys_change(s3, bucket):
    put_many(s3, bucket, ["k%02d" % i for i in range(10)])
    page = s3.list_objects_v2(Bucket=bucket, MaxKeys=5)
    s3.delete_object(Bucket=bucket, Key="k02")
    s3.put_object(Bucket=bucket, Key="k07a", Body=b"")
    s3.put_object(Bucket=bucket, Key="k00a", Body=b"")
    rest = s3.list_objects_v2(Bucket=bucket, ContinuationToken=page["NextContinuationToken"])
    assert [c["Key"] for c in rest["Contents"]] == ["k05", "k06", "k07", "k07a", "k08", "k09"]


def test_list_buckets_pagination(kura, s3):
    tag = f"lbp-{os.getpid()}-{id(s3) % 10000}-"
    names = [f"{tag}{i}" for i in range(5)]
    for n in names:
        s3.create_bucket(Bucket=n)
    page = s3.list_buckets(MaxBuckets=2, Prefix=tag)
    assert [b["Name"] for b in page["Buckets"]] == names[:2] and page["Prefix"] == tag
    rest = s3.list_buckets(MaxBuckets=10, Prefix=tag, ContinuationToken=page["ContinuationToken"])
    assert [b["Name"] for b in rest["Buckets"]] == names[2:] and "ContinuationToken" not in rest
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.list_buckets(MaxBuckets=10001)
    assert error_of(e)[:2] == ("InvalidArgument", 400)
    for n in names:
        s3.delete_bucket(Bucket=n)


@pytest.mark.parametrize("version", [1, 2])
def test_cli_delete_objects_and_recursive_rm(kura, bucket, tmp_path, version):
    s3 = kura.client()
    put_many(s3, bucket, [f"d/{i}" for i in range(30)])
    req = tmp_path / "del.json"
    req.write_text(json.dumps({"Objects": [{"Key": "d/0"}, {"Key": "d/1"}], "Quiet": False}))
    out = json.loads(kura.aws("s3api", "delete-objects", "--bucket", bucket, "--delete", f"file://{req}", version=version).stdout)
    assert sorted(d["Key"] for d in out["Deleted"]) == ["d/0", "d/1"]
    kura.aws("s3", "rm", "--recursive", f"s3://{bucket}/d/", version=version)
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0
    if version == 1:  # Debian's v2 predates ListBuckets pagination
        out = json.loads(kura.aws("s3api", "list-buckets", "--max-items", "1", version=version).stdout)
        assert len(out["Buckets"]) == 1


def test_list_object_versions_of_an_unversioned_bucket(s3, bucket):
    # What S3 answers for a bucket never versioned, and how conformance suites empty buckets:
    # every object is its one version "null"; paging by key-marker / version-id-marker.
    keys = ["a", "b/1", "b/2", "c"]
    put_many(s3, bucket, keys)
    listed = []
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket, PaginationConfig={"PageSize": 1}):
        for v in page.get("Versions", []):
            assert (v["VersionId"], v["IsLatest"], v["Size"]) == ("null", True, 1)
            listed.append(v["Key"])
        assert "DeleteMarkers" not in page
    assert listed == keys
    page = s3.list_object_versions(Bucket=bucket, Delimiter="/", KeyMarker="a", VersionIdMarker="null")
    assert [v["Key"] for v in page["Versions"]] == ["c"]
    assert [p["Prefix"] for p in page["CommonPrefixes"]] == ["b/"]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.list_object_versions(Bucket=bucket, KeyMarker="a", VersionIdMarker="3HL4kqtJlcpXroDTDm")
    assert error_of(e)[0] == "InvalidArgument"
    versions = s3.list_object_versions(Bucket=bucket)["Versions"]
    out = s3.delete_objects(Bucket=bucket, Delete={"Objects": [
        {"Key": v["Key"], "VersionId": v["VersionId"]} for v in versions]})
    assert len(out["Deleted"]) == len(keys) and "Errors" not in out
    assert s3.list_object_versions(Bucket=bucket).get("Versions", []) == []


def test_list_object_versions_with_the_aws_cli(kura, bucket):
    kura.client().put_object(Bucket=bucket, Key="k", Body=b"x")
    out = json.loads(kura.aws("s3api", "list-object-versions", "--bucket", bucket).stdout)
    assert [(v["Key"], v["VersionId"]) for v in out["Versions"]] == [("k", "null")]
