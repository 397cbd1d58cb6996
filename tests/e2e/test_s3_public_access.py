"""S3 Block Public Access, GetBucketPolicyStatus and ACLs in authorization, with boto3 against a
real server; anonymous requests through an unsigned client.

The tests after "ACLs in authorization" set ownership controls and ACLs through
PutBucketOwnershipControls, x-amz-acl and Put*Acl, which the ACL API work of issue #13 provides;
the others need only Block Public Access and the policy status."""
import json

import botocore
import botocore.config
import botocore.exceptions
import pytest

BLOCK_ALL = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
             "RestrictPublicBuckets": True}


def error_code(call):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        call()
    return e.value.response["Error"]["Code"]


def public_read_policy(bucket):
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*"}]})


@pytest.fixture
def anonymous(kura):
    return kura.client(signature_version=botocore.UNSIGNED)


@pytest.fixture
def user(kura):
    """An IAM user of the account without any policy."""
    iam = kura.client("iam")
    name = "pab-user"
    iam.create_user(UserName=name)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    yield kura.client(key=key["AccessKeyId"], secret=key["SecretAccessKey"])
    iam.delete_access_key(UserName=name, AccessKeyId=key["AccessKeyId"])
    iam.delete_user(UserName=name)


@pytest.fixture
def acl_bucket(kura, bucket):
    """A bucket whose ACLs count: Object Ownership ObjectWriter."""
    kura.client().put_bucket_ownership_controls(
        Bucket=bucket, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]})
    return bucket


def test_public_access_block_round_trip(kura, bucket):
    s3 = kura.client()
    assert error_code(lambda: s3.get_public_access_block(Bucket=bucket)) == \
        "NoSuchPublicAccessBlockConfiguration"
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={"IgnorePublicAcls": True})
    got = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert got == {"BlockPublicAcls": False, "IgnorePublicAcls": True, "BlockPublicPolicy": False,
                   "RestrictPublicBuckets": False}
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=BLOCK_ALL)
    assert s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"] == BLOCK_ALL
    s3.delete_public_access_block(Bucket=bucket)
    assert error_code(lambda: s3.get_public_access_block(Bucket=bucket)) == \
        "NoSuchPublicAccessBlockConfiguration"
    assert error_code(lambda: s3.get_public_access_block(Bucket="no-such-bucket-pab")) == "NoSuchBucket"


def test_block_public_policy_refuses_a_policy_for_everyone(kura, bucket):
    s3 = kura.client()
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={"BlockPublicPolicy": True})
    assert error_code(lambda: s3.put_bucket_policy(Bucket=bucket, Policy=public_read_policy(bucket))) == \
        "AccessDenied"
    assert error_code(lambda: s3.get_bucket_policy(Bucket=bucket)) == "NoSuchBucketPolicy"
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*",
        "Condition": {"IpAddress": {"aws:SourceIp": "127.0.0.0/8"}}}]}))  # pinned: not public
    s3.delete_public_access_block(Bucket=bucket)
    s3.put_bucket_policy(Bucket=bucket, Policy=public_read_policy(bucket))


def test_bucket_policy_status(kura, bucket):
    s3 = kura.client()
    assert error_code(lambda: s3.get_bucket_policy_status(Bucket=bucket)) == "NoSuchBucketPolicy"
    s3.put_bucket_policy(Bucket=bucket, Policy=public_read_policy(bucket))
    assert s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"] == {"IsPublic": True}
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::000000000000:root"}, "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*"}]}))
    assert s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"] == {"IsPublic": False}


def test_restrict_public_buckets_denies_anonymous_access_a_public_policy_grants(kura, bucket, anonymous, user):
    s3 = kura.client()
    s3.put_object(Bucket=bucket, Key="k", Body=b"public")
    s3.put_bucket_policy(Bucket=bucket, Policy=public_read_policy(bucket))
    assert anonymous.get_object(Bucket=bucket, Key="k")["Body"].read() == b"public"
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={"RestrictPublicBuckets": True})
    assert error_code(lambda: anonymous.get_object(Bucket=bucket, Key="k")) == "AccessDenied"
    # The account's own principals keep what the policy grants them.
    assert user.get_object(Bucket=bucket, Key="k")["Body"].read() == b"public"
    s3.delete_public_access_block(Bucket=bucket)
    assert anonymous.get_object(Bucket=bucket, Key="k")["Body"].read() == b"public"


# --- ACLs in authorization (these need the ACL API: ownership controls, canned ACLs) ---


def test_anonymous_reads_a_public_read_object_and_only_that(kura, acl_bucket, anonymous):
    s3 = kura.client()
    s3.put_object(Bucket=acl_bucket, Key="public", Body=b"for all", ACL="public-read")
    s3.put_object(Bucket=acl_bucket, Key="private", Body=b"mine")
    assert anonymous.get_object(Bucket=acl_bucket, Key="public")["Body"].read() == b"for all"
    assert anonymous.head_object(Bucket=acl_bucket, Key="public")["ContentLength"] == 7
    assert error_code(lambda: anonymous.get_object(Bucket=acl_bucket, Key="private")) == "AccessDenied"
    assert error_code(lambda: anonymous.get_object(Bucket=acl_bucket, Key="missing")) == "AccessDenied"
    assert error_code(lambda: anonymous.put_object(Bucket=acl_bucket, Key="x", Body=b"no")) == "AccessDenied"
    assert error_code(lambda: anonymous.list_objects_v2(Bucket=acl_bucket)) == "AccessDenied"
    s3.put_bucket_acl(Bucket=acl_bucket, ACL="public-read")
    keys = [o["Key"] for o in anonymous.list_objects_v2(Bucket=acl_bucket)["Contents"]]
    assert keys == ["private", "public"]
    s3.put_object_acl(Bucket=acl_bucket, Key="public", ACL="private")
    assert error_code(lambda: anonymous.get_object(Bucket=acl_bucket, Key="public")) == "AccessDenied"


def test_acls_are_ignored_when_the_bucket_owner_enforces_ownership(kura, acl_bucket, anonymous):
    s3 = kura.client()
    s3.put_object(Bucket=acl_bucket, Key="public", Body=b"for all", ACL="public-read")
    assert anonymous.get_object(Bucket=acl_bucket, Key="public")["Body"].read() == b"for all"
    s3.put_bucket_ownership_controls(
        Bucket=acl_bucket, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
    assert error_code(lambda: anonymous.get_object(Bucket=acl_bucket, Key="public")) == "AccessDenied"


def test_authenticated_users_grant_reaches_signed_users_not_anonymous(kura, acl_bucket, anonymous, user):
    s3 = kura.client()
    s3.put_object(Bucket=acl_bucket, Key="k", Body=b"signed only", ACL="authenticated-read")
    assert error_code(lambda: user.put_object(Bucket=acl_bucket, Key="k", Body=b"no")) == "AccessDenied"
    assert user.get_object(Bucket=acl_bucket, Key="k")["Body"].read() == b"signed only"
    assert error_code(lambda: anonymous.get_object(Bucket=acl_bucket, Key="k")) == "AccessDenied"


def test_ignore_public_acls_stops_public_grants(kura, acl_bucket, anonymous, user):
    s3 = kura.client()
    s3.put_object(Bucket=acl_bucket, Key="public", Body=b"for all", ACL="public-read")
    s3.put_object(Bucket=acl_bucket, Key="signed", Body=b"signed", ACL="authenticated-read")
    s3.put_public_access_block(Bucket=acl_bucket, PublicAccessBlockConfiguration={"IgnorePublicAcls": True})
    assert error_code(lambda: anonymous.get_object(Bucket=acl_bucket, Key="public")) == "AccessDenied"
    assert error_code(lambda: user.get_object(Bucket=acl_bucket, Key="signed")) == "AccessDenied"
    s3.delete_public_access_block(Bucket=acl_bucket)
    assert anonymous.get_object(Bucket=acl_bucket, Key="public")["Body"].read() == b"for all"


def test_an_explicit_deny_in_the_bucket_policy_beats_a_public_acl(kura, acl_bucket, anonymous):
    s3 = kura.client()
    s3.put_object(Bucket=acl_bucket, Key="public", Body=b"for all", ACL="public-read")
    s3.put_bucket_policy(Bucket=acl_bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Deny", "Principal": "*", "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{acl_bucket}/*"}]}))
    assert error_code(lambda: anonymous.get_object(Bucket=acl_bucket, Key="public")) == "AccessDenied"
