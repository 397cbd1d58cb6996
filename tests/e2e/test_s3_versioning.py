"""Versioning end to end (issue #12) with boto3 and the aws CLI: PutBucketVersioning /
GetBucketVersioning, version ids on every write, reads and deletes by version id, delete
markers (404 / 405 as AWS answers them), Suspended buckets' "null" version, copies of a
version, tagging and ACLs of a version, conditional DELETE, and s3:GetObjectVersion."""
import json

import botocore.exceptions
import pytest


def error_of(excinfo):
    r = excinfo.value.response
    return r["Error"]["Code"], r["ResponseMetadata"]["HTTPStatusCode"]


def refused(call, **kwargs):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        call(**kwargs)
    return error_of(e)


def enable(s3, bucket, status="Enabled"):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": status})


def test_bucket_versioning_is_enabled_or_suspended_never_unversioned_again(kura, bucket):
    s3 = kura.client()
    assert "Status" not in s3.get_bucket_versioning(Bucket=bucket)
    assert refused(s3.put_bucket_versioning, Bucket=bucket,
                   VersioningConfiguration={"Status": "Disabled"}) == ("MalformedXML", 400)
    # MFA delete needs an MFA device; kura has none, so enabling it is refused as AWS refuses a
    # request without an MFA token.
    assert refused(s3.put_bucket_versioning, Bucket=bucket,
                   VersioningConfiguration={"Status": "Enabled", "MFADelete": "Enabled"}) == \
        ("AccessDenied", 403)
    assert "Status" not in s3.get_bucket_versioning(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket,
                             VersioningConfiguration={"Status": "Enabled", "MFADelete": "Disabled"})
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    kura.aws("s3api", "put-bucket-versioning", "--bucket", bucket,
             "--versioning-configuration", "Status=Suspended")
    out = json.loads(kura.aws("s3api", "get-bucket-versioning", "--bucket", bucket).stdout)
    assert out["Status"] == "Suspended"
    assert refused(s3.put_bucket_versioning, Bucket="no-such-bucket-v",
                   VersioningConfiguration={"Status": "Enabled"}) == ("NoSuchBucket", 404)


def test_every_write_on_an_enabled_bucket_is_a_version(kura, bucket, tmp_path):
    s3 = kura.client()
    assert "VersionId" not in s3.put_object(Bucket=bucket, Key="k", Body=b"null")
    enable(s3, bucket)
    v1 = s3.put_object(Bucket=bucket, Key="k", Body=b"one")["VersionId"]
    v2 = s3.copy_object(Bucket=bucket, Key="k", CopySource={"Bucket": bucket, "Key": "k"},
                        MetadataDirective="REPLACE", Metadata={"m": "2"})["VersionId"]
    mpu = s3.create_multipart_upload(Bucket=bucket, Key="k")["UploadId"]
    etag = s3.upload_part(Bucket=bucket, Key="k", UploadId=mpu, PartNumber=1, Body=b"three")["ETag"]
    v3 = s3.complete_multipart_upload(Bucket=bucket, Key="k", UploadId=mpu, MultipartUpload={
        "Parts": [{"PartNumber": 1, "ETag": etag}]})["VersionId"]
    assert len({v1, v2, v3}) == 3 and all(len(v) == 32 for v in (v1, v2, v3))
    got = s3.get_object(Bucket=bucket, Key="k")
    assert (got["Body"].read(), got["VersionId"]) == (b"three", v3)
    assert s3.head_object(Bucket=bucket, Key="k")["VersionId"] == v3
    assert s3.get_object(Bucket=bucket, Key="k", VersionId=v1)["Body"].read() == b"one"
    old = s3.get_object(Bucket=bucket, Key="k", VersionId=v2)
    assert (old["Body"].read(), old["Metadata"], old["VersionId"]) == (b"one", {"m": "2"}, v2)
    assert s3.get_object(Bucket=bucket, Key="k", VersionId="null")["Body"].read() == b"null"
    assert refused(s3.get_object, Bucket=bucket, Key="k", VersionId="A" * 32) == ("NoSuchVersion", 404)
    assert refused(s3.get_object, Bucket=bucket, Key="k", VersionId="bad id") == ("InvalidArgument", 400)
    # Conditional reads apply to the version addressed.
    etag1 = s3.head_object(Bucket=bucket, Key="k", VersionId=v1)["ETag"]
    assert s3.get_object(Bucket=bucket, Key="k", VersionId=v1, IfMatch=etag1)["Body"].read() == b"one"
    assert refused(s3.get_object, Bucket=bucket, Key="k", IfMatch=etag1) == ("PreconditionFailed", 412)
    # The CLI reads a version too.
    out = json.loads(kura.aws("s3api", "get-object", "--bucket", bucket, "--key", "k",
                              "--version-id", v1, str(tmp_path / "out")).stdout)
    assert out["VersionId"] == v1 and (tmp_path / "out").read_bytes() == b"one"


def test_post_upload_answers_the_version_id(kura, bucket):
    import requests
    s3 = kura.client()
    enable(s3, bucket)
    post = kura.client(signature_version="s3v4").generate_presigned_post(bucket, "posted")
    r = requests.post(post["url"], data=post["fields"], files={"file": ("f", b"posted body")})
    assert r.status_code == 204, r.text
    version = r.headers["x-amz-version-id"]
    assert len(version) == 32
    assert s3.get_object(Bucket=bucket, Key="posted", VersionId=version)["Body"].read() == b"posted body"


def test_delete_markers_read_as_404_and_405_and_deleting_a_version_is_permanent(kura, bucket):
    s3 = kura.client()
    enable(s3, bucket)
    v1 = s3.put_object(Bucket=bucket, Key="k", Body=b"one")["VersionId"]
    v2 = s3.put_object(Bucket=bucket, Key="k", Body=b"two")["VersionId"]
    deleted = s3.delete_object(Bucket=bucket, Key="k")
    marker = deleted["VersionId"]
    assert deleted["DeleteMarker"] is True and len(marker) == 32
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object(Bucket=bucket, Key="k")
    assert error_of(e) == ("NoSuchKey", 404)
    headers = e.value.response["ResponseMetadata"]["HTTPHeaders"]
    assert headers["x-amz-delete-marker"] == "true" and headers["x-amz-version-id"] == marker
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.head_object(Bucket=bucket, Key="k", VersionId=marker)
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 405
    headers = e.value.response["ResponseMetadata"]["HTTPHeaders"]
    assert headers["x-amz-delete-marker"] == "true" and headers["allow"] == "DELETE"
    assert refused(s3.get_object, Bucket=bucket, Key="k", VersionId=marker) == ("MethodNotAllowed", 405)
    assert s3.get_object(Bucket=bucket, Key="k", VersionId=v2)["Body"].read() == b"two"

    # Deleting the latest version (the marker) promotes the previous one.
    out = s3.delete_object(Bucket=bucket, Key="k", VersionId=marker)
    assert (out["DeleteMarker"], out["VersionId"]) == (True, marker)
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"two"
    out = s3.delete_object(Bucket=bucket, Key="k", VersionId=v2)
    assert out["VersionId"] == v2 and "DeleteMarker" not in out
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"one"
    assert refused(s3.get_object, Bucket=bucket, Key="k", VersionId=v2) == ("NoSuchVersion", 404)
    s3.delete_object(Bucket=bucket, Key="k", VersionId=v1)
    assert refused(s3.head_object, Bucket=bucket, Key="k") == ("404", 404)
    s3.delete_bucket(Bucket=bucket)  # no version or marker is left


def test_suspended_writes_replace_the_null_version_and_keep_the_others(kura, bucket):
    s3 = kura.client()
    s3.put_object(Bucket=bucket, Key="k", Body=b"before")
    enable(s3, bucket)
    kept = s3.put_object(Bucket=bucket, Key="k", Body=b"kept")["VersionId"]
    enable(s3, bucket, "Suspended")
    assert s3.put_object(Bucket=bucket, Key="k", Body=b"null-1")["VersionId"] == "null"
    assert s3.put_object(Bucket=bucket, Key="k", Body=b"null-2")["VersionId"] == "null"
    assert s3.get_object(Bucket=bucket, Key="k", VersionId="null")["Body"].read() == b"null-2"
    assert s3.get_object(Bucket=bucket, Key="k", VersionId=kept)["Body"].read() == b"kept"
    out = s3.delete_object(Bucket=bucket, Key="k")
    assert (out["DeleteMarker"], out["VersionId"]) == (True, "null")
    assert refused(s3.get_object, Bucket=bucket, Key="k") == ("NoSuchKey", 404)
    assert s3.get_object(Bucket=bucket, Key="k", VersionId=kept)["Body"].read() == b"kept"


def test_copy_and_upload_part_copy_of_a_version(kura, bucket):
    s3 = kura.client()
    enable(s3, bucket)
    v1 = s3.put_object(Bucket=bucket, Key="src", Body=b"a" * (5 * 1024 * 1024))["VersionId"]
    s3.put_object(Bucket=bucket, Key="src", Body=b"two")
    marker = s3.delete_object(Bucket=bucket, Key="src")["VersionId"]
    out = s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src", "VersionId": v1})
    assert out["CopySourceVersionId"] == v1 and len(out["VersionId"]) == 32
    assert s3.head_object(Bucket=bucket, Key="dst")["ContentLength"] == 5 * 1024 * 1024
    assert refused(s3.copy_object, Bucket=bucket, Key="x",
                   CopySource={"Bucket": bucket, "Key": "src", "VersionId": marker}) == ("InvalidRequest", 400)
    assert refused(s3.copy_object, Bucket=bucket, Key="x",
                   CopySource={"Bucket": bucket, "Key": "src"}) == ("NoSuchKey", 404)
    # Restoring an older version onto its own key is a copy like any other.
    s3.copy_object(Bucket=bucket, Key="src", CopySource={"Bucket": bucket, "Key": "src", "VersionId": v1})
    assert s3.head_object(Bucket=bucket, Key="src")["ContentLength"] == 5 * 1024 * 1024
    mpu = s3.create_multipart_upload(Bucket=bucket, Key="parts")["UploadId"]
    part = s3.upload_part_copy(Bucket=bucket, Key="parts", UploadId=mpu, PartNumber=1,
                               CopySource={"Bucket": bucket, "Key": "src", "VersionId": v1})
    assert part["CopySourceVersionId"] == v1
    s3.abort_multipart_upload(Bucket=bucket, Key="parts", UploadId=mpu)


def test_tagging_and_acl_of_a_version(kura, bucket):
    s3 = kura.client()
    enable(s3, bucket)
    v1 = s3.put_object(Bucket=bucket, Key="k", Body=b"one")["VersionId"]
    v2 = s3.put_object(Bucket=bucket, Key="k", Body=b"two")["VersionId"]
    out = s3.put_object_tagging(Bucket=bucket, Key="k", VersionId=v1,
                                Tagging={"TagSet": [{"Key": "a", "Value": "b"}]})
    assert out["VersionId"] == v1
    got = s3.get_object_tagging(Bucket=bucket, Key="k", VersionId=v1)
    assert (got["TagSet"], got["VersionId"]) == ([{"Key": "a", "Value": "b"}], v1)
    assert s3.get_object_tagging(Bucket=bucket, Key="k")["TagSet"] == []
    assert s3.delete_object_tagging(Bucket=bucket, Key="k", VersionId=v1)["VersionId"] == v1
    assert s3.get_object_tagging(Bucket=bucket, Key="k", VersionId=v1)["TagSet"] == []
    acl = s3.get_object_acl(Bucket=bucket, Key="k", VersionId=v1)
    assert acl["Grants"][0]["Permission"] == "FULL_CONTROL"
    s3.put_object_acl(Bucket=bucket, Key="k", VersionId=v2, ACL="private")
    marker = s3.delete_object(Bucket=bucket, Key="k")["VersionId"]
    assert refused(s3.get_object_tagging, Bucket=bucket, Key="k", VersionId=marker) == \
        ("MethodNotAllowed", 405)


def test_conditional_delete(kura, bucket):
    s3 = kura.client()
    etag = s3.put_object(Bucket=bucket, Key="k", Body=b"four")["ETag"]
    assert refused(s3.delete_object, Bucket=bucket, Key="k", IfMatch='"0123"') == ("PreconditionFailed", 412)
    assert refused(s3.delete_object, Bucket=bucket, Key="k", IfMatchSize=5) == ("PreconditionFailed", 412)
    modified = s3.head_object(Bucket=bucket, Key="k")["LastModified"]
    assert refused(s3.delete_object, Bucket=bucket, Key="k",
                   IfMatchLastModifiedTime=modified.replace(year=2001)) == ("PreconditionFailed", 412)
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"four"
    s3.delete_object(Bucket=bucket, Key="k", IfMatch=etag, IfMatchSize=4, IfMatchLastModifiedTime=modified)
    assert refused(s3.head_object, Bucket=bucket, Key="k") == ("404", 404)
    assert refused(s3.delete_object, Bucket=bucket, Key="k", IfMatch="*") == ("NoSuchKey", 404)
    # On a versioned bucket the condition is the current version's; the marker is still made.
    enable(s3, bucket)
    etag = s3.put_object(Bucket=bucket, Key="v", Body=b"x")["ETag"]
    assert s3.delete_object(Bucket=bucket, Key="v", IfMatch=etag)["DeleteMarker"] is True


def test_aws_s3_rm_and_sync_keep_versions(kura, bucket, tmp_path):
    s3 = kura.client()
    kura.aws("s3api", "put-bucket-versioning", "--bucket", bucket,
             "--versioning-configuration", "Status=Enabled")
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("first")
    (src / "b.txt").write_text("bee")
    kura.aws("s3", "sync", str(src), f"s3://{bucket}/")
    first = s3.head_object(Bucket=bucket, Key="a.txt")["VersionId"]
    (src / "a.txt").write_text("second, longer")
    kura.aws("s3", "sync", str(src), f"s3://{bucket}/")
    assert s3.get_object(Bucket=bucket, Key="a.txt")["Body"].read() == b"second, longer"
    assert s3.get_object(Bucket=bucket, Key="a.txt", VersionId=first)["Body"].read() == b"first"
    kura.aws("s3", "rm", f"s3://{bucket}/a.txt")
    assert refused(s3.head_object, Bucket=bucket, Key="a.txt") == ("404", 404)
    assert s3.get_object(Bucket=bucket, Key="a.txt", VersionId=first)["Body"].read() == b"first"
    listed = kura.aws("s3", "ls", f"s3://{bucket}/").stdout
    assert "b.txt" in listed and "a.txt" not in listed
    out = json.loads(kura.aws("s3api", "delete-object", "--bucket", bucket, "--key", "a.txt",
                              "--version-id", first).stdout)
    assert out["VersionId"] == first


def test_a_user_without_s3_get_object_version_cannot_read_a_version(kura, bucket):
    s3 = kura.client()
    enable(s3, bucket)
    v1 = s3.put_object(Bucket=bucket, Key="k", Body=b"one")["VersionId"]
    s3.put_object(Bucket=bucket, Key="k", Body=b"two")
    iam = kura.client("iam")
    iam.create_user(UserName="latest-only")
    iam.put_user_policy(UserName="latest-only", PolicyName="get", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
                       "Resource": f"arn:aws:s3:::{bucket}/*"}]}))
    key = iam.create_access_key(UserName="latest-only")["AccessKey"]
    user = kura.client(key=key["AccessKeyId"], secret=key["SecretAccessKey"])
    assert user.get_object(Bucket=bucket, Key="k")["Body"].read() == b"two"
    assert refused(user.get_object, Bucket=bucket, Key="k", VersionId=v1) == ("AccessDenied", 403)
    assert refused(user.copy_object, Bucket=bucket, Key="copy",
                   CopySource={"Bucket": bucket, "Key": "k", "VersionId": v1}) == ("AccessDenied", 403)
    user.copy_object(Bucket=bucket, Key="copy", CopySource={"Bucket": bucket, "Key": "k"})
