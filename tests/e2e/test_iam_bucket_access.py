"""IAM end to end: a user with a policy for one bucket can use that bucket and nothing else;
groups and permissions boundaries change the outcome as AWS would."""
import json
import time

import botocore.exceptions
import pytest


def policy_for_bucket(bucket):
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:*",
             "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]},
        ]})


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def make_user_with_key(iam, name):
    iam.create_user(UserName=name)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


def test_user_with_a_bucket_policy_can_use_only_that_bucket_via_aws_cli(kura, tmp_path):
    s3 = kura.client("s3")
    s3.create_bucket(Bucket="cli-allowed")
    s3.create_bucket(Bucket="cli-other")
    doc = tmp_path / "policy.json"
    doc.write_text(policy_for_bucket("cli-allowed"))
    out = kura.aws("iam", "create-policy", "--policy-name", "cli-bucket", "--policy-document",
                   f"file://{doc}")
    policy_arn = json.loads(out.stdout)["Policy"]["Arn"]
    kura.aws("iam", "create-user", "--user-name", "cli-user")
    key = json.loads(kura.aws("iam", "create-access-key", "--user-name", "cli-user").stdout)["AccessKey"]
    kura.aws("iam", "attach-user-policy", "--user-name", "cli-user", "--policy-arn", policy_arn)
    akid, secret = key["AccessKeyId"], key["SecretAccessKey"]
    assert akid.startswith("AKIA") and len(secret) == 40

    body = tmp_path / "hello.txt"
    body.write_text("hello")
    kura.aws("s3", "cp", str(body), "s3://cli-allowed/hello.txt", key=akid, secret=secret)
    listed = kura.aws("s3", "ls", "s3://cli-allowed/", key=akid, secret=secret)
    assert "hello.txt" in listed.stdout
    denied = kura.aws("s3", "cp", str(body), "s3://cli-other/hello.txt", key=akid, secret=secret,
                      check=False)
    assert denied.returncode != 0 and "AccessDenied" in denied.stderr
    denied = kura.aws("iam", "list-users", key=akid, secret=secret, check=False)
    assert denied.returncode != 0 and "AccessDenied" in denied.stderr
    assert "is not authorized to perform: iam:ListUsers" in denied.stderr
    # The denied PUT changed nothing.
    assert s3.list_objects_v2(Bucket="cli-other").get("KeyCount", 0) == 0


def test_user_without_policies_is_denied_everything(kura):
    iam = kura.client("iam")
    akid, secret = make_user_with_key(iam, "nopolicy")
    s3 = kura.client("s3", key=akid, secret=secret)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.list_buckets()
    assert error_code(e) == "AccessDenied"
    msg = e.value.response["Error"]["Message"]
    assert "arn:aws:iam::" in msg and ":user/nopolicy" in msg
    assert "because no identity-based policy allows the s3:ListAllMyBuckets action" in msg


def test_group_policy_grants_and_removal_revokes(kura, bucket):
    iam = kura.client("iam")
    akid, secret = make_user_with_key(iam, "grouped")
    iam.create_group(GroupName="readers")
    iam.put_group_policy(GroupName="readers", PolicyName="read", PolicyDocument=policy_for_bucket(bucket))
    s3 = kura.client("s3", key=akid, secret=secret)
    with pytest.raises(botocore.exceptions.ClientError):
        s3.list_objects_v2(Bucket=bucket)
    iam.add_user_to_group(GroupName="readers", UserName="grouped")
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 1
    iam.remove_user_from_group(GroupName="readers", UserName="grouped")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.list_objects_v2(Bucket=bucket)
    assert error_code(e) == "AccessDenied"


def test_permissions_boundary_caps_a_broad_policy(kura, bucket):
    iam = kura.client("iam")
    akid, secret = make_user_with_key(iam, "bounded")
    everything = json.dumps({"Version": "2012-10-17",
                             "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
    iam.put_user_policy(UserName="bounded", PolicyName="all", PolicyDocument=everything)
    read_only = iam.create_policy(PolicyName="boundary-read", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}]}))
    s3 = kura.client("s3", key=akid, secret=secret)
    s3.put_object(Bucket=bucket, Key="before", Body=b"x")
    iam.put_user_permissions_boundary(UserName="bounded",
                                      PermissionsBoundary=read_only["Policy"]["Arn"])
    assert s3.get_object(Bucket=bucket, Key="before")["Body"].read() == b"x"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.put_object(Bucket=bucket, Key="after", Body=b"x")
    assert error_code(e) == "AccessDenied"
    assert "permissions boundary" in e.value.response["Error"]["Message"]
    iam.delete_user_permissions_boundary(UserName="bounded")
    s3.put_object(Bucket=bucket, Key="after", Body=b"x")


def test_explicit_deny_wins_over_allow(kura, bucket):
    iam = kura.client("iam")
    akid, secret = make_user_with_key(iam, "denied")
    iam.put_user_policy(UserName="denied", PolicyName="allow", PolicyDocument=policy_for_bucket(bucket))
    iam.put_user_policy(UserName="denied", PolicyName="deny", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}]}))
    s3 = kura.client("s3", key=akid, secret=secret)
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.delete_object(Bucket=bucket, Key="k")
    assert "explicit deny" in e.value.response["Error"]["Message"]
    assert kura.client("s3").get_object(Bucket=bucket, Key="k")["Body"].read() == b"x"


def test_inactive_key_is_refused_at_once_and_reactivation_restores_it(kura, bucket):
    iam = kura.client("iam")
    akid, secret = make_user_with_key(iam, "toggled")
    iam.put_user_policy(UserName="toggled", PolicyName="p", PolicyDocument=policy_for_bucket(bucket))
    s3 = kura.client("s3", key=akid, secret=secret)
    s3.list_objects_v2(Bucket=bucket)
    iam.update_access_key(UserName="toggled", AccessKeyId=akid, Status="Inactive")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.list_objects_v2(Bucket=bucket)
    assert error_code(e) == "InvalidAccessKeyId"
    iam.update_access_key(UserName="toggled", AccessKeyId=akid, Status="Active")
    s3.list_objects_v2(Bucket=bucket)
    # Behind a round-robin balancer the use may have landed on another node, which writes it to
    # the shared store within 5 s (docs/scale-out.md).
    deadline = time.time() + 10
    while True:
        last = iam.get_access_key_last_used(AccessKeyId=akid)
        if "LastUsedDate" in last["AccessKeyLastUsed"] or time.time() > deadline:
            break
        time.sleep(0.25)
    assert last["UserName"] == "toggled"
    assert "LastUsedDate" in last["AccessKeyLastUsed"]
    assert last["AccessKeyLastUsed"]["ServiceName"] == "s3"


def test_policy_change_takes_effect_at_once(kura, bucket):
    iam = kura.client("iam")
    akid, secret = make_user_with_key(iam, "changing")
    s3 = kura.client("s3", key=akid, secret=secret)
    iam.put_user_policy(UserName="changing", PolicyName="p", PolicyDocument=policy_for_bucket(bucket))
    s3.list_objects_v2(Bucket=bucket)
    iam.delete_user_policy(UserName="changing", PolicyName="p")
    with pytest.raises(botocore.exceptions.ClientError):
        s3.list_objects_v2(Bucket=bucket)


def test_iam_user_with_iam_policy_can_manage_iam(kura):
    iam = kura.client("iam")
    akid, secret = make_user_with_key(iam, "admin-ish")
    iam.put_user_policy(UserName="admin-ish", PolicyName="iam", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "iam:CreateUser",
                       "Resource": "arn:aws:iam::*:user/managed/*"}]}))
    user_iam = kura.client("iam", key=akid, secret=secret)
    user_iam.create_user(UserName="child", Path="/managed/")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        user_iam.create_user(UserName="outside")
    assert error_code(e) == "AccessDenied"
    with pytest.raises(botocore.exceptions.ClientError):
        iam.get_user(UserName="outside")
