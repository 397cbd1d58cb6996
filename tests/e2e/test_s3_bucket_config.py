"""Object and bucket tagging, bucket policies, ACLs (ownership enforced), versioning status and
CORS (configuration, preflight, headers on actual requests) with boto3 and the aws CLI."""
import json
import os
import urllib.error
import urllib.request

import botocore.exceptions
import pytest


def error_of(excinfo):
    err = excinfo.value.response["Error"]
    return err["Code"], excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"], err.get("Message")


@pytest.fixture(params=["http", "https"])
def s3(request, kura):
    return kura.client(tls=request.param == "https")


def test_object_tagging(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x", Tagging="a=1&b=two%20words")
    assert s3.get_object_tagging(Bucket=bucket, Key="k")["TagSet"] == [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "two words"}]
    s3.put_object_tagging(Bucket=bucket, Key="k", Tagging={"TagSet": [{"Key": "ü", "Value": "v"}]})
    assert s3.get_object_tagging(Bucket=bucket, Key="k")["TagSet"] == [{"Key": "ü", "Value": "v"}]
    assert s3.head_object(Bucket=bucket, Key="k")["ResponseMetadata"]["HTTPHeaders"]["x-amz-tagging-count"] == "1"
    res = s3.delete_object_tagging(Bucket=bucket, Key="k")
    assert res["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert s3.get_object_tagging(Bucket=bucket, Key="k")["TagSet"] == []
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.put_object_tagging(Bucket=bucket, Key="k", Tagging={"TagSet": [{"Key": str(i), "Value": ""} for i in range(11)]})
    assert error_of(e)[:2] == ("BadRequest", 400)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.put_object_tagging(Bucket=bucket, Key="k", Tagging={"TagSet": [{"Key": "d", "Value": ""}, {"Key": "d", "Value": "x"}]})
    assert error_of(e)[:2] == ("InvalidTag", 400)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object_tagging(Bucket=bucket, Key="missing")
    assert error_of(e)[:2] == ("NoSuchKey", 404)


def test_bucket_tagging(s3, bucket):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_bucket_tagging(Bucket=bucket)
    assert error_of(e)[:2] == ("NoSuchTagSet", 404)
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": [{"Key": "team", "Value": "kura"}]})
    assert s3.get_bucket_tagging(Bucket=bucket)["TagSet"] == [{"Key": "team", "Value": "kura"}]
    s3.delete_bucket_tagging(Bucket=bucket)
    with pytest.raises(botocore.exceptions.ClientError):
        s3.get_bucket_tagging(Bucket=bucket)


def test_versioning_reports_unversioned(s3, bucket):
    res = s3.get_bucket_versioning(Bucket=bucket)
    assert "Status" not in res


def test_bucket_policy_is_validated_stored_and_deleted(s3, bucket):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_bucket_policy(Bucket=bucket)
    assert error_of(e)[:2] == ("NoSuchBucketPolicy", 404)
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}]})
    res = s3.put_bucket_policy(Bucket=bucket, Policy=policy)
    assert res["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"]) == json.loads(policy)
    for bad in ["not json", json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})]:
        with pytest.raises(botocore.exceptions.ClientError) as e:
            s3.put_bucket_policy(Bucket=bucket, Policy=bad)
        assert error_of(e)[:2] == ("MalformedPolicy", 400)
    s3.delete_bucket_policy(Bucket=bucket)
    with pytest.raises(botocore.exceptions.ClientError):
        s3.get_bucket_policy(Bucket=bucket)


def test_acls_report_the_owner_and_accept_only_private(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    for acl in [s3.get_bucket_acl(Bucket=bucket), s3.get_object_acl(Bucket=bucket, Key="k")]:
        assert len(acl["Grants"]) == 1
        grant = acl["Grants"][0]
        assert grant["Permission"] == "FULL_CONTROL" and grant["Grantee"]["ID"] == acl["Owner"]["ID"]
        assert grant["Grantee"]["Type"] == "CanonicalUser"
    s3.put_bucket_acl(Bucket=bucket, ACL="private")
    s3.put_object_acl(Bucket=bucket, Key="k", ACL="private")
    s3.put_object(Bucket=bucket, Key="k2", Body=b"x", ACL="bucket-owner-full-control")
    for call in [lambda: s3.put_bucket_acl(Bucket=bucket, ACL="public-read"),
                 lambda: s3.put_object_acl(Bucket=bucket, Key="k", ACL="public-read"),
                 lambda: s3.put_object(Bucket=bucket, Key="k3", Body=b"x", ACL="public-read")]:
        with pytest.raises(botocore.exceptions.ClientError) as e:
            call()
        assert error_of(e)[:2] == ("AccessControlListNotSupported", 400)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object_acl(Bucket=bucket, Key="missing")
    assert error_of(e)[:2] == ("NoSuchKey", 404)


CORS = {"CORSRules": [
    {"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["GET", "PUT"],
     "AllowedHeaders": ["content-type", "x-amz-*"], "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 600},
    {"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}]}


def preflight(kura, bucket, key, origin, method, headers=None):
    h = {"Origin": origin, "Access-Control-Request-Method": method}
    if headers:
        h["Access-Control-Request-Headers"] = headers
    req = urllib.request.Request(f"{kura.endpoint}/{bucket}/{key}", method="OPTIONS", headers=h)
    # The headers as received, looked up by name case-insensitively (RFC 9110 5.1): a proxy
    # (HAProxy in e2e_cluster) may send them in lower case.
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, r.headers
    except urllib.error.HTTPError as e:
        return e.code, e.headers


def test_cors_configuration_and_preflight(kura, s3, bucket):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_bucket_cors(Bucket=bucket)
    assert error_of(e)[:2] == ("NoSuchCORSConfiguration", 404)
    assert preflight(kura, bucket, "k", "https://app.example.com", "GET")[0] == 403
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration=CORS)
    got = s3.get_bucket_cors(Bucket=bucket)["CORSRules"]
    assert got[0]["AllowedOrigins"] == ["https://app.example.com"] and got[0]["MaxAgeSeconds"] == 600
    status, headers = preflight(kura, bucket, "k", "https://app.example.com", "PUT", "Content-Type, X-Amz-Date")
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert headers["Access-Control-Allow-Methods"] == "GET, PUT"
    assert headers["Access-Control-Allow-Headers"] == "content-type, x-amz-date"
    assert headers["Access-Control-Max-Age"] == "600" and headers["Access-Control-Expose-Headers"] == "ETag"
    assert preflight(kura, bucket, "k", "https://evil.example.com", "PUT")[0] == 403
    assert preflight(kura, bucket, "k", "https://app.example.com", "DELETE")[0] == 403
    assert preflight(kura, bucket, "k", "https://app.example.com", "PUT", "x-other")[0] == 403
    status, headers = preflight(kura, bucket, "k", "https://other.example.com", "GET")
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["PATCH"]}]})
    assert error_of(e)[:2] == ("InvalidRequest", 400)
    s3.delete_bucket_cors(Bucket=bucket)
    assert preflight(kura, bucket, "k", "https://other.example.com", "GET")[0] == 403


def test_cors_headers_on_actual_requests(kura, bucket):
    s3 = kura.client(signature_version="s3v4")
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration=CORS)
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k"})
    req = urllib.request.Request(url, headers={"Origin": "https://app.example.com"})
    with urllib.request.urlopen(req) as r:
        assert r.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
        assert r.headers["Access-Control-Expose-Headers"] == "ETag"
    with urllib.request.urlopen(urllib.request.Request(url)) as r:
        assert "Access-Control-Allow-Origin" not in r.headers


@pytest.mark.parametrize("version", [1, 2])
def test_cli_bucket_configuration(kura, bucket, tmp_path, version):
    kura.aws("s3api", "put-bucket-tagging", "--bucket", bucket, "--tagging", "TagSet=[{Key=a,Value=b}]", version=version)
    out = json.loads(kura.aws("s3api", "get-bucket-tagging", "--bucket", bucket, version=version).stdout)
    assert out["TagSet"] == [{"Key": "a", "Value": "b"}]
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Deny", "Principal": "*", "Action": "s3:DeleteBucket", "Resource": f"arn:aws:s3:::{bucket}"}]})
    kura.aws("s3api", "put-bucket-policy", "--bucket", bucket, "--policy", policy, version=version)
    out = json.loads(kura.aws("s3api", "get-bucket-policy", "--bucket", bucket, version=version).stdout)
    assert json.loads(out["Policy"]) == json.loads(policy)
    kura.aws("s3api", "delete-bucket-policy", "--bucket", bucket, version=version)
    cors = tmp_path / "cors.json"
    cors.write_text(json.dumps(CORS))
    kura.aws("s3api", "put-bucket-cors", "--bucket", bucket, "--cors-configuration", f"file://{cors}", version=version)
    out = json.loads(kura.aws("s3api", "get-bucket-cors", "--bucket", bucket, version=version).stdout)
    assert len(out["CORSRules"]) == 2
    out = json.loads(kura.aws("s3api", "get-bucket-acl", "--bucket", bucket, version=version).stdout)
    assert out["Grants"][0]["Permission"] == "FULL_CONTROL"
    f = tmp_path / "f"
    f.write_bytes(b"x")
    kura.aws("s3api", "put-object", "--bucket", bucket, "--key", "t", "--body", str(f), "--tagging", "x=y", version=version)
    out = json.loads(kura.aws("s3api", "get-object-tagging", "--bucket", bucket, "--key", "t", version=version).stdout)
    assert out["TagSet"] == [{"Key": "x", "Value": "y"}]
