"""Bucket policies decide together with identity policies, as AWS evaluates them within one
account: a bucket policy can grant a user with no identity policy, an explicit Deny in it beats
an identity Allow and even the account root, and removing it restores the identity outcome."""
import json

import botocore.exceptions
import requests
import pytest


def denied(call):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        call()
    assert e.value.response["Error"]["Code"] == "AccessDenied"


@pytest.fixture
def user(kura):
    iam = kura.client("iam")
    name = "bp-user"
    iam.create_user(UserName=name)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    arn = iam.get_user(UserName=name)["User"]["Arn"]
    yield arn, kura.client(key=key["AccessKeyId"], secret=key["SecretAccessKey"])
    iam.delete_access_key(UserName=name, AccessKeyId=key["AccessKeyId"])
    for p in iam.list_user_policies(UserName=name)["PolicyNames"]:
        iam.delete_user_policy(UserName=name, PolicyName=p)
    iam.delete_user(UserName=name)


def test_bucket_policy_grants_a_user_without_identity_policy(kura, bucket, user):
    arn, s3 = user
    root = kura.client()
    root.put_object(Bucket=bucket, Key="shared.txt", Body=b"hello")
    denied(lambda: s3.get_object(Bucket=bucket, Key="shared.txt"))
    root.put_bucket_policy(Bucket=bucket, Policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": arn}, "Action": "s3:GetObject",
                       "Resource": f"arn:aws:s3:::{bucket}/*"}]}))
    assert s3.get_object(Bucket=bucket, Key="shared.txt")["Body"].read() == b"hello"
    denied(lambda: s3.put_object(Bucket=bucket, Key="x", Body=b"no"))  # only GetObject granted
    root.delete_bucket_policy(Bucket=bucket)
    denied(lambda: s3.get_object(Bucket=bucket, Key="shared.txt"))


def test_explicit_deny_in_bucket_policy_beats_identity_allow_and_root(kura, bucket, user):
    arn, s3 = user
    kura.client("iam").put_user_policy(UserName="bp-user", PolicyName="all-s3", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
    root = kura.client()
    s3.put_object(Bucket=bucket, Key="secret/a", Body=b"1")
    root.put_bucket_policy(Bucket=bucket, Policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject",
                       "Resource": f"arn:aws:s3:::{bucket}/secret/*"}]}))
    denied(lambda: s3.get_object(Bucket=bucket, Key="secret/a"))
    denied(lambda: root.get_object(Bucket=bucket, Key="secret/a"))
    s3.put_object(Bucket=bucket, Key="public/b", Body=b"2")  # outside the Deny: identity Allow holds
    assert s3.get_object(Bucket=bucket, Key="public/b")["Body"].read() == b"2"
    root.delete_bucket_policy(Bucket=bucket)
    assert root.get_object(Bucket=bucket, Key="secret/a")["Body"].read() == b"1"


def test_malformed_bucket_policy_is_rejected(kura, bucket):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        kura.client().put_bucket_policy(Bucket=bucket, Policy='{"Version": "2012-10-17", "Statement": [{"Effect": "Allow"}]}')
    assert e.value.response["Error"]["Code"] == "MalformedPolicy"


def test_a_bucket_policy_holds_after_a_restart(fresh_kura):
    """Serve compiles every stored bucket policy when it starts (the request path reads none)."""
    root = fresh_kura.client()
    root.create_bucket(Bucket="kept")
    root.put_object(Bucket="kept", Key="public.txt", Body=b"for all")
    root.put_bucket_policy(Bucket="kept", Policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                       "Resource": "arn:aws:s3:::kept/*"},
                      {"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject",
                       "Resource": "arn:aws:s3:::kept/*"}]}))
    fresh_kura.stop()
    fresh_kura.start()
    url = f"{fresh_kura.endpoint}/kept/public.txt"
    assert requests.get(url).content == b"for all"  # anonymous, allowed by the policy alone
    denied(lambda: fresh_kura.client().delete_object(Bucket="kept", Key="public.txt"))  # even root


def test_copy_source_is_authorized_by_the_source_buckets_policy(kura, user):
    """CopyObject's read of its source is evaluated with the source bucket's policy, not the
    destination's: each bucket's policy grants its half of the copy."""
    arn, s3 = user
    root = kura.client()
    for name in ("copy-src-bp", "copy-dst-bp"):
        root.create_bucket(Bucket=name)
    root.put_object(Bucket="copy-src-bp", Key="a", Body=b"payload")
    root.put_bucket_policy(Bucket="copy-src-bp", Policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": arn}, "Action": "s3:GetObject",
                       "Resource": "arn:aws:s3:::copy-src-bp/*"}]}))
    root.put_bucket_policy(Bucket="copy-dst-bp", Policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": arn}, "Action": "s3:PutObject",
                       "Resource": "arn:aws:s3:::copy-dst-bp/*"},
                      {"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}))
    s3.copy_object(Bucket="copy-dst-bp", Key="b", CopySource={"Bucket": "copy-src-bp", "Key": "a"})
    root.delete_bucket_policy(Bucket="copy-dst-bp")  # its Deny of s3:GetObject on "*" covers b too
    assert root.get_object(Bucket="copy-dst-bp", Key="b")["Body"].read() == b"payload"
