"""docs/recipes/catalog-vending.md: the scoped credentials a table catalog (Apache Polaris,
Lakekeeper) vends to a query engine — read-write on one table's prefix, read-only on another's,
s3:ListBucket limited by an s3:prefix condition, s3:GetBucketLocation — issued by AssumeRole with
the recipe's inline session policy (read from the doc, so the doc is what is tested) under a role
that may do anything in the bucket. Every allowed and denied access is checked with boto3."""
import json
import os
import re

import pytest
from botocore.exceptions import ClientError

HERE = os.path.dirname(os.path.abspath(__file__))
RECIPE = os.path.join(HERE, "..", "..", "docs", "recipes", "catalog-vending.md")

BUCKET = "lakehouse"
OTHER_BUCKET = "lakehouse-archive"
WRITE = "warehouse/sales/orders/"      # the table the engine writes
READ = "warehouse/sales/customers/"    # a table it only reads
ELSEWHERE = ["warehouse/hr/salaries/data/00000.parquet",         # another table
             "warehouse/sales/orders-archive/data/00000.parquet",  # shares the string prefix, not the folder
             "warehouse/sales/orders",                             # the folder's name without its slash
             "top-level.json"]
PARTITION = "data/order_date=2026-12-01/region=eu west/"  # Hive-style partition folders: '=' and ' '


def recipe_policy():
    """The recipe's session policy: its first ```json block."""
    text = open(RECIPE).read()
    match = re.search(r"^```json\n(.*?)^```", text, re.M | re.S)
    assert match, "docs/recipes/catalog-vending.md has no ```json block"
    return json.loads(match.group(1))


def assert_denied(call, *args, **kwargs):
    with pytest.raises(ClientError) as e:
        call(*args, **kwargs)
    status = e.value.response["ResponseMetadata"]["HTTPStatusCode"]
    code = e.value.response["Error"]["Code"]
    assert status == 403 and code in ("AccessDenied", "403"), e.value.response


@pytest.fixture(scope="module")
def lake(kura):
    root = kura.client()
    for b in (BUCKET, OTHER_BUCKET):
        root.create_bucket(Bucket=b)
    for key in [WRITE + "metadata/v1.metadata.json", WRITE + "data/00000.parquet", WRITE + PARTITION + "00000.parquet",
                READ + "metadata/v3.metadata.json", READ + "data/00000.parquet"] + ELSEWHERE:
        root.put_object(Bucket=BUCKET, Key=key, Body=b"root wrote " + key.encode())
    root.put_object(Bucket=OTHER_BUCKET, Key=WRITE + "data/00000.parquet", Body=b"archived")

    # The catalog's own identity: a user that may only assume the vending role, which may do
    # anything in the two buckets; the session policy is what narrows each vended session.
    iam = kura.client("iam")
    account = kura.client("sts").get_caller_identity()["Account"]
    iam.create_user(UserName="catalog")
    key = iam.create_access_key(UserName="catalog")["AccessKey"]
    role_arn = iam.create_role(RoleName="catalog-vending", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:user/catalog"},
            "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
    iam.put_role_policy(RoleName="catalog-vending", PolicyName="warehouse", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{b}{suffix}" for b in (BUCKET, OTHER_BUCKET) for suffix in ("", "/*")]}]}))
    iam.put_user_policy(UserName="catalog", PolicyName="vend", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role_arn}]}))

    # As the catalogs do: the policy minified (AWS counts its characters, at most 2048).
    policy = json.dumps(recipe_policy(), separators=(",", ":"))
    assert len(policy) <= 2048
    sts = kura.client("sts", key=key["AccessKeyId"], secret=key["SecretAccessKey"])
    out = sts.assume_role(RoleArn=role_arn, RoleSessionName="engine-query-1", Policy=policy,
                          DurationSeconds=900)
    creds = out["Credentials"]
    engine = kura.client(key=creds["AccessKeyId"], secret=creds["SecretAccessKey"], token=creds["SessionToken"])
    # Without the session policy the role may do everything in the bucket: the policy is what
    # denies below, not the role.
    unscoped = sts.assume_role(RoleArn=role_arn, RoleSessionName="unscoped")["Credentials"]
    role_only = kura.client(key=unscoped["AccessKeyId"], secret=unscoped["SecretAccessKey"],
                            token=unscoped["SessionToken"])
    return root, engine, role_only, sts, role_arn


def test_write_prefix_get_put_delete(lake):
    root, engine, *_ = lake
    assert engine.get_object(Bucket=BUCKET, Key=WRITE + "data/00000.parquet")["Body"].read() == \
        b"root wrote " + (WRITE + "data/00000.parquet").encode()
    engine.head_object(Bucket=BUCKET, Key=WRITE + "metadata/v1.metadata.json")
    engine.put_object(Bucket=BUCKET, Key=WRITE + "data/00001.parquet", Body=b"engine wrote")
    assert root.get_object(Bucket=BUCKET, Key=WRITE + "data/00001.parquet")["Body"].read() == b"engine wrote"
    assert engine.get_object(Bucket=BUCKET, Key=WRITE + "data/00001.parquet")["Body"].read() == b"engine wrote"
    engine.delete_object(Bucket=BUCKET, Key=WRITE + "data/00001.parquet")
    with pytest.raises(ClientError) as e:
        root.head_object(Bucket=BUCKET, Key=WRITE + "data/00001.parquet")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_read_prefix_get_only(lake):
    root, engine, *_ = lake
    key = READ + "data/00000.parquet"
    assert engine.get_object(Bucket=BUCKET, Key=key)["Body"].read() == b"root wrote " + key.encode()
    engine.head_object(Bucket=BUCKET, Key=READ + "metadata/v3.metadata.json")
    assert_denied(engine.put_object, Bucket=BUCKET, Key=READ + "data/00001.parquet", Body=b"x")
    assert_denied(engine.put_object, Bucket=BUCKET, Key=key, Body=b"overwrite")
    assert_denied(engine.delete_object, Bucket=BUCKET, Key=key)
    assert_denied(engine.create_multipart_upload, Bucket=BUCKET, Key=READ + "data/big.parquet")
    assert root.get_object(Bucket=BUCKET, Key=key)["Body"].read() == b"root wrote " + key.encode()


@pytest.mark.parametrize("key", ELSEWHERE + [f"{OTHER_BUCKET}:{WRITE}data/00000.parquet"])
def test_everything_else_denied(lake, key):
    root, engine, role_only, *_ = lake
    bucket = BUCKET
    if ":" in key:
        bucket, key = key.split(":", 1)
    role_only.get_object(Bucket=bucket, Key=key)  # the role alone could
    assert_denied(engine.get_object, Bucket=bucket, Key=key)
    assert_denied(engine.head_object, Bucket=bucket, Key=key)
    assert_denied(engine.put_object, Bucket=bucket, Key=key, Body=b"x")
    assert_denied(engine.delete_object, Bucket=bucket, Key=key)
    assert_denied(engine.create_multipart_upload, Bucket=bucket, Key=key + ".mpu")
    assert root.head_object(Bucket=bucket, Key=key)["ContentLength"] > 0


def test_copy_from_read_to_write_prefix_only(lake):
    _, engine, *_ = lake
    engine.copy_object(Bucket=BUCKET, Key=WRITE + "data/copied.parquet",
                       CopySource={"Bucket": BUCKET, "Key": READ + "data/00000.parquet"})
    assert_denied(engine.copy_object, Bucket=BUCKET, Key=READ + "data/copied.parquet",
                  CopySource={"Bucket": BUCKET, "Key": WRITE + "data/00000.parquet"})
    assert_denied(engine.copy_object, Bucket=BUCKET, Key=WRITE + "data/stolen.parquet",
                  CopySource={"Bucket": BUCKET, "Key": ELSEWHERE[0]})


@pytest.mark.parametrize("prefix", [WRITE, WRITE + "data/", WRITE + PARTITION, WRITE + "metadata/v1", READ, READ + "data/"])
def test_list_inside_the_table_prefixes(lake, prefix):
    _, engine, *_ = lake
    keys = [o["Key"] for o in engine.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])]
    assert keys and all(k.startswith(prefix) for k in keys), keys
    folders = engine.list_objects_v2(Bucket=BUCKET, Prefix=prefix, Delimiter="/")
    assert folders.get("Contents") or folders.get("CommonPrefixes")
    v1 = [o["Key"] for o in engine.list_objects(Bucket=BUCKET, Prefix=prefix).get("Contents", [])]
    assert v1 == keys


@pytest.mark.parametrize("prefix", [None, "", "warehouse/", "warehouse/sales/", "warehouse/sales/orders",
                                    "warehouse/sales/orders-archive/", "warehouse/hr/", "top"])
def test_list_outside_the_table_prefixes_denied(lake, prefix):
    _, engine, role_only, *_ = lake
    args = {} if prefix is None else {"Prefix": prefix}
    role_only.list_objects_v2(Bucket=BUCKET, **args)  # the role alone could
    assert_denied(engine.list_objects_v2, Bucket=BUCKET, **args)
    assert_denied(engine.list_objects, Bucket=BUCKET, **args)


def test_list_other_bucket_and_buckets_denied(lake):
    _, engine, *_ = lake
    assert_denied(engine.list_objects_v2, Bucket=OTHER_BUCKET, Prefix=WRITE)
    assert_denied(engine.list_buckets)
    assert_denied(engine.list_object_versions, Bucket=BUCKET, Prefix=WRITE)


def test_get_bucket_location(lake):
    _, engine, *_ = lake
    assert "LocationConstraint" in engine.get_bucket_location(Bucket=BUCKET)
    assert_denied(engine.get_bucket_location, Bucket=OTHER_BUCKET)


def test_multipart_upload_in_the_write_prefix(lake):
    root, engine, *_ = lake
    key = WRITE + "data/00002.parquet"
    parts = [os.urandom(5 * 1024 * 1024), os.urandom(1234)]
    upload = engine.create_multipart_upload(Bucket=BUCKET, Key=key)["UploadId"]
    etags = [engine.upload_part(Bucket=BUCKET, Key=key, UploadId=upload, PartNumber=n + 1, Body=body)["ETag"]
             for n, body in enumerate(parts)]
    listed = engine.list_parts(Bucket=BUCKET, Key=key, UploadId=upload)["Parts"]
    assert [p["ETag"] for p in listed] == etags
    engine.complete_multipart_upload(Bucket=BUCKET, Key=key, UploadId=upload, MultipartUpload={
        "Parts": [{"PartNumber": n + 1, "ETag": e} for n, e in enumerate(etags)]})
    assert root.get_object(Bucket=BUCKET, Key=key)["Body"].read() == b"".join(parts)
    assert engine.get_object(Bucket=BUCKET, Key=key, Range="bytes=0-9")["Body"].read() == parts[0][:10]

    # An engine abandons a write: it may abort its own upload.
    aborted = engine.create_multipart_upload(Bucket=BUCKET, Key=WRITE + "data/abandoned.parquet")["UploadId"]
    engine.upload_part(Bucket=BUCKET, Key=WRITE + "data/abandoned.parquet", UploadId=aborted, PartNumber=1, Body=b"x")
    engine.abort_multipart_upload(Bucket=BUCKET, Key=WRITE + "data/abandoned.parquet", UploadId=aborted)
    with pytest.raises(ClientError) as e:
        root.list_parts(Bucket=BUCKET, Key=WRITE + "data/abandoned.parquet", UploadId=aborted)
    assert e.value.response["Error"]["Code"] == "NoSuchUpload"

    # An upload started outside the prefix (by root) cannot be fed, listed or completed.
    outside = ELSEWHERE[0] + ".mpu"
    foreign = root.create_multipart_upload(Bucket=BUCKET, Key=outside)["UploadId"]
    assert_denied(engine.upload_part, Bucket=BUCKET, Key=outside, UploadId=foreign, PartNumber=1, Body=b"x")
    assert_denied(engine.list_parts, Bucket=BUCKET, Key=outside, UploadId=foreign)
    assert_denied(engine.abort_multipart_upload, Bucket=BUCKET, Key=outside, UploadId=foreign)
    root.abort_multipart_upload(Bucket=BUCKET, Key=outside, UploadId=foreign)


def test_polaris_shape_prefix_star_alone_covers_the_folder(kura, lake):
    """Apache Polaris's policy names only `prefix/*` in its s3:prefix condition (StringLike's `*`
    matches the empty string, so listing `prefix/` itself is allowed) and grants GetObject on the
    read and write locations, PutObject and DeleteObject on the write ones."""
    _, _, _, sts, role_arn = lake
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:PutObject", "s3:DeleteObject"],
         "Resource": [f"arn:aws:s3:::{BUCKET}/{WRITE}*"]},
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{BUCKET}",
         "Condition": {"StringLike": {"s3:prefix": [WRITE + "*", READ + "*"]}}},
        {"Effect": "Allow", "Action": "s3:GetBucketLocation", "Resource": f"arn:aws:s3:::{BUCKET}"},
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion"],
         "Resource": [f"arn:aws:s3:::{BUCKET}/{WRITE}*", f"arn:aws:s3:::{BUCKET}/{READ}*"]}]}
    creds = sts.assume_role(RoleArn=role_arn, RoleSessionName="PolarisAwsCredentialsStorageIntegration",
                            Policy=json.dumps(policy))["Credentials"]
    engine = kura.client(key=creds["AccessKeyId"], secret=creds["SecretAccessKey"], token=creds["SessionToken"])
    for prefix in (WRITE, READ, WRITE + PARTITION):
        assert engine.list_objects_v2(Bucket=BUCKET, Prefix=prefix)["KeyCount"] > 0
    for prefix in ("warehouse/sales/orders", "warehouse/sales/"):
        assert_denied(engine.list_objects_v2, Bucket=BUCKET, Prefix=prefix)
    engine.put_object(Bucket=BUCKET, Key=WRITE + "data/polaris.parquet", Body=b"p")
    engine.delete_object(Bucket=BUCKET, Key=WRITE + "data/polaris.parquet")
    assert_denied(engine.put_object, Bucket=BUCKET, Key=READ + "data/polaris.parquet", Body=b"p")


def test_delete_objects_batch_per_key(lake):
    """Iceberg's S3FileIO deletes in batches (DeleteObjects): each key is authorized as its own
    s3:DeleteObject, so keys in the write prefix go and the others are refused in the response."""
    root, engine, *_ = lake
    mine = [WRITE + f"data/batch-{n}.parquet" for n in range(3)]
    theirs = [READ + "data/batch.parquet", ELSEWHERE[0] + ".batch"]
    for key in mine + theirs:
        root.put_object(Bucket=BUCKET, Key=key, Body=b"batch")
    out = engine.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": k} for k in mine + theirs]})
    assert sorted(d["Key"] for d in out.get("Deleted", [])) == sorted(mine)
    assert sorted((e["Key"], e["Code"]) for e in out.get("Errors", [])) == sorted((k, "AccessDenied") for k in theirs)
    for key in mine:
        with pytest.raises(ClientError):
            root.head_object(Bucket=BUCKET, Key=key)
    for key in theirs:
        root.head_object(Bucket=BUCKET, Key=key)


def test_head_bucket_denied_as_in_aws(lake):
    """HeadBucket is authorized as s3:ListBucket with no s3:prefix in the request, so the prefix
    condition does not match: denied, as on AWS (Hadoop S3A's bucket probe needs turning off)."""
    _, engine, role_only, *_ = lake
    role_only.head_bucket(Bucket=BUCKET)
    assert_denied(engine.head_bucket, Bucket=BUCKET)
