"""IAM, STS and KMS across accounts with boto3 and the aws CLI: each account's IAM namespace is its
own (same names in two accounts, nothing of one visible to another: listings, lookups, the
authorization details, the policy simulator, error messages); cross-account AssumeRole ("a role in
account B that account A may assume") needs B's trust policy AND A's own permission, honours
sts:ExternalId, and its session belongs to B; sessions of a closed account stop working."""
import json
import uuid

import pytest
from botocore.exceptions import ClientError

from accounts import create_account
from conftest import KuraServer


@pytest.fixture(scope="module")
def kura(tmp_path_factory):
    d = tmp_path_factory.mktemp("kura-accounts")
    server = KuraServer(str(d / "data")).start()
    yield server
    server.stop()


class Account:
    """An account made through the Organizations API, with clients as its root."""

    def __init__(self, kura, name):
        self.kura = kura
        self.id, self.key, self.secret = create_account(kura, name)

    def client(self, service):
        return self.kura.client(service, key=self.key, secret=self.secret, parameter_validation=False)

    def user(self, name, policy=None):
        iam = self.client("iam")
        iam.create_user(UserName=name)
        if policy:
            iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=doc(policy))
        k = iam.create_access_key(UserName=name)["AccessKey"]
        return k["AccessKeyId"], k["SecretAccessKey"]


@pytest.fixture(scope="module")
def a(kura):
    return Account(kura, "team-a")


@pytest.fixture(scope="module")
def b(kura):
    return Account(kura, "team-b")


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def error(call):
    with pytest.raises(ClientError) as e:
        call()
    err = e.value.response["Error"]
    return err["Code"], err.get("Message", "")


def as_key(kura, service, key, creds=None):
    if creds:
        return kura.client(service, key=creds["AccessKeyId"], secret=creds["SecretAccessKey"],
                           token=creds["SessionToken"], parameter_validation=False)
    return kura.client(service, key=key[0], secret=key[1], parameter_validation=False)


def test_each_account_answers_for_itself(kura, a, b):
    assert a.id != b.id and len(a.id) == 12 and a.id.isdigit()
    assert a.client("sts").get_caller_identity()["Account"] == a.id
    assert a.client("sts").get_caller_identity()["Arn"] == f"arn:aws:iam::{a.id}:root"
    key = b.user(f"u-{uuid.uuid4().hex[:6]}")
    me = as_key(kura, "sts", key).get_caller_identity()
    assert me["Account"] == b.id and me["Arn"].startswith(f"arn:aws:iam::{b.id}:user/")
    # GetAccessKeyInfo names the key's account, whoever asks.
    assert a.client("sts").get_access_key_info(AccessKeyId=key[0])["Account"] == b.id
    assert kura.client("sts").get_caller_identity()["Account"] not in (a.id, b.id)


def test_iam_namespaces_are_separate_and_invisible(kura, a, b):
    name = f"same-{uuid.uuid4().hex[:6]}"
    a.user(name)
    b.user(name)  # the same name in another account is another user
    a_iam, b_iam = a.client("iam"), b.client("iam")
    assert a_iam.get_user(UserName=name)["User"]["Arn"] == f"arn:aws:iam::{a.id}:user/{name}"
    assert b_iam.get_user(UserName=name)["User"]["Arn"] == f"arn:aws:iam::{b.id}:user/{name}"
    only_b = f"onlyb-{uuid.uuid4().hex[:6]}"
    b.user(only_b)
    b_iam.create_role(RoleName=only_b, AssumeRolePolicyDocument=doc(
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{b.id}:root"}, "Action": "sts:AssumeRole"}))
    b_iam.create_policy(PolicyName=only_b, PolicyDocument=doc({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}))
    # Nothing of b's shows in a: listings, lookups, details, simulator.
    assert only_b not in [u["UserName"] for u in a_iam.list_users()["Users"]]
    assert only_b not in [r["RoleName"] for r in a_iam.list_roles()["Roles"]]
    assert only_b not in [p["PolicyName"] for p in a_iam.list_policies(Scope="Local")["Policies"]]
    details = json.dumps(a_iam.get_account_authorization_details(), default=str)
    assert only_b not in details and b.id not in details
    code, message = error(lambda: a_iam.get_user(UserName=only_b))
    assert code == "NoSuchEntity" and b.id not in message
    assert error(lambda: a_iam.get_role(RoleName=only_b))[0] == "NoSuchEntity"
    b_policy = f"arn:aws:iam::{b.id}:policy/{only_b}"
    assert error(lambda: a_iam.get_policy(PolicyArn=b_policy))[0] == "NoSuchEntity"
    assert error(lambda: a_iam.attach_user_policy(UserName=name, PolicyArn=b_policy))[0] == "NoSuchEntity"
    assert error(lambda: a_iam.simulate_principal_policy(
        PolicySourceArn=f"arn:aws:iam::{b.id}:user/{only_b}", ActionNames=["s3:GetObject"]))[0] == "NoSuchEntity"
    # A key of b's user cannot be touched from a (the same answer as for a key that does not exist).
    key = b_iam.create_access_key(UserName=only_b)["AccessKey"]["AccessKeyId"]
    assert error(lambda: a_iam.update_access_key(UserName=name, AccessKeyId=key, Status="Inactive"))[0] == "NoSuchEntity"
    assert error(lambda: a_iam.delete_access_key(UserName=name, AccessKeyId=key))[0] == "NoSuchEntity"
    assert error(lambda: a_iam.delete_access_key(AccessKeyId=key)) == error(
        lambda: a_iam.delete_access_key(AccessKeyId="AKIA" + "Z" * 16))
    assert b_iam.list_access_keys(UserName=only_b)["AccessKeyMetadata"][0]["Status"] == "Active"


def test_the_management_root_sees_only_its_own_iam(kura, a):
    name = f"mine-{uuid.uuid4().hex[:6]}"
    a.user(name)
    users = [u["UserName"] for u in kura.client("iam").list_users()["Users"]]
    assert name not in users


def cross_account_role(b, trusted, condition=None, rights=None):
    name = f"shared-{uuid.uuid4().hex[:6]}"
    statement = {"Effect": "Allow", "Principal": {"AWS": trusted}, "Action": "sts:AssumeRole"}
    if condition:
        statement["Condition"] = condition
    iam = b.client("iam")
    arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=doc(statement))["Role"]["Arn"]
    iam.put_role_policy(RoleName=name, PolicyName="rights", PolicyDocument=doc(
        rights or {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}))
    return name, arn


def test_cross_account_assume_role_with_external_id(kura, a, b):
    name, role_arn = cross_account_role(b, f"arn:aws:iam::{a.id}:root",
                                        {"StringEquals": {"sts:ExternalId": "shared-secret-42"}})
    assert role_arn == f"arn:aws:iam::{b.id}:role/{name}"
    allowed = a.user(f"alice-{uuid.uuid4().hex[:6]}", {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role_arn})
    unpermitted = a.user(f"bob-{uuid.uuid4().hex[:6]}")
    sts = as_key(kura, "sts", allowed)
    # Without the ExternalId the trust policy does not allow; without its own permission the
    # caller's account does not.
    code, message = error(lambda: sts.assume_role(RoleArn=role_arn, RoleSessionName="sess"))
    assert code == "AccessDenied" and "sts:AssumeRole" in message
    assert error(lambda: sts.assume_role(RoleArn=role_arn, RoleSessionName="sess", ExternalId="wrong"))[0] == "AccessDenied"
    assert error(lambda: as_key(kura, "sts", unpermitted).assume_role(
        RoleArn=role_arn, RoleSessionName="sess", ExternalId="shared-secret-42"))[0] == "AccessDenied"
    out = sts.assume_role(RoleArn=role_arn, RoleSessionName="sess", ExternalId="shared-secret-42")
    creds = out["Credentials"]
    assert out["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{b.id}:assumed-role/{name}/sess"
    me = as_key(kura, "sts", None, creds).get_caller_identity()
    assert me["Account"] == b.id and me["Arn"] == f"arn:aws:sts::{b.id}:assumed-role/{name}/sess"
    # The session acts in b: b's bucket is its own; a's bucket is another account's.
    b_bucket, a_bucket = f"b-{uuid.uuid4().hex[:8]}", f"a-{uuid.uuid4().hex[:8]}"
    b.client("s3").create_bucket(Bucket=b_bucket)
    a.client("s3").create_bucket(Bucket=a_bucket)
    s3 = as_key(kura, "s3", None, creds)
    s3.put_object(Bucket=b_bucket, Key="k", Body=b"from a's alice via b's role")
    assert error(lambda: s3.put_object(Bucket=a_bucket, Key="k", Body=b"x"))[0] == "AccessDenied"
    # b revokes the role's sessions: this one ends.
    b.client("iam").put_role_policy(RoleName=name, PolicyName="AWSRevokeOlderSessions", PolicyDocument=doc(
        {"Effect": "Deny", "Action": "*", "Resource": "*",
         "Condition": {"DateLessThan": {"aws:TokenIssueTime": "2100-01-01T00:00:00Z"}}}))
    assert error(lambda: s3.put_object(Bucket=b_bucket, Key="k2", Body=b"x"))[0] == "AccessDenied"


def test_a_trust_policy_that_does_not_name_the_account_refuses_it(kura, a, b):
    c = Account(kura, "team-c")
    _, role_arn = cross_account_role(b, f"arn:aws:iam::{c.id}:root")
    key = a.user(f"eve-{uuid.uuid4().hex[:6]}", {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"})
    code, message = error(lambda: as_key(kura, "sts", key).assume_role(RoleArn=role_arn, RoleSessionName="sess"))
    assert code == "AccessDenied"
    # The same answer for a role that does not exist: nothing learnt about b's roles.
    code2, _ = error(lambda: as_key(kura, "sts", key).assume_role(
        RoleArn=f"arn:aws:iam::{b.id}:role/no-such-role", RoleSessionName="sess"))
    assert code2 == "AccessDenied"


def test_role_chaining_across_accounts_and_session_tags(kura, a, b):
    # a's user → b's role (tagged session, transitive) → a's role trusting b's role.
    b_name, b_role = cross_account_role(b, f"arn:aws:iam::{a.id}:root")
    b.client("iam").update_assume_role_policy(RoleName=b_name, PolicyDocument=doc(
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{a.id}:root"},
         "Action": ["sts:AssumeRole", "sts:TagSession"]}))
    a_iam = a.client("iam")
    a_name = f"back-{uuid.uuid4().hex[:6]}"
    a_role = a_iam.create_role(RoleName=a_name, AssumeRolePolicyDocument=doc(
        {"Effect": "Allow", "Principal": {"AWS": b_role}, "Action": ["sts:AssumeRole", "sts:TagSession"]}))["Role"]["Arn"]
    key = a.user(f"chain-{uuid.uuid4().hex[:6]}", {"Effect": "Allow", "Action": ["sts:AssumeRole", "sts:TagSession"], "Resource": "*"})
    first = as_key(kura, "sts", key).assume_role(
        RoleArn=b_role, RoleSessionName="one", Tags=[{"Key": "team", "Value": "blue"}], TransitiveTagKeys=["team"])
    # b's role has s3:* only: assuming a's role needs b to allow sts:AssumeRole too.
    sts_b = as_key(kura, "sts", None, first["Credentials"])
    assert error(lambda: sts_b.assume_role(RoleArn=a_role, RoleSessionName="two"))[0] == "AccessDenied"
    b.client("iam").put_role_policy(RoleName=b_name, PolicyName="chain", PolicyDocument=doc(
        {"Effect": "Allow", "Action": ["sts:AssumeRole", "sts:TagSession"], "Resource": a_role}))
    second = sts_b.assume_role(RoleArn=a_role, RoleSessionName="two")
    me = as_key(kura, "sts", None, second["Credentials"]).get_caller_identity()
    assert me["Account"] == a.id and me["Arn"] == f"arn:aws:sts::{a.id}:assumed-role/{a_name}/two"


def test_aws_cli_assume_role_into_another_account(kura, a, b):
    name, role_arn = cross_account_role(b, f"arn:aws:iam::{a.id}:root",
                                        {"StringEquals": {"sts:ExternalId": "cli-ext"}})
    key = a.user(f"cli-{uuid.uuid4().hex[:6]}", {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role_arn})
    out = kura.aws("sts", "assume-role", "--role-arn", role_arn, "--role-session-name", "cli",
                   "--external-id", "cli-ext", "--duration-seconds", "900", key=key[0], secret=key[1])
    creds = json.loads(out.stdout)["Credentials"]
    who = kura.aws("sts", "get-caller-identity", key=creds["AccessKeyId"], secret=creds["SecretAccessKey"],
                   token=creds["SessionToken"])
    assert json.loads(who.stdout)["Account"] == b.id
    denied = kura.aws("sts", "assume-role", "--role-arn", role_arn, "--role-session-name", "cli",
                      key=key[0], secret=key[1], check=False)
    assert denied.returncode != 0 and "AccessDenied" in denied.stderr


def test_kms_keys_are_per_account(kura, a, b):
    key_arn = b.client("kms").create_key(Description="b's key")["KeyMetadata"]["Arn"]
    assert f":{b.id}:key/" in key_arn
    a_kms = a.client("kms")
    assert error(lambda: a_kms.describe_key(KeyId=key_arn))[0] == "NotFoundException"
    assert key_arn not in [k["KeyArn"] for k in a_kms.list_keys()["Keys"]]
    assert error(lambda: a_kms.encrypt(KeyId=key_arn, Plaintext=b"x"))[0] == "NotFoundException"


def test_a_closed_accounts_credentials_and_sessions_stop_working(kura, a):
    d = Account(kura, "team-d")
    _, role_arn = cross_account_role(d, f"arn:aws:iam::{a.id}:root")
    key = a.user(f"leaver-{uuid.uuid4().hex[:6]}", {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role_arn})
    creds = as_key(kura, "sts", key).assume_role(RoleArn=role_arn, RoleSessionName="sess")["Credentials"]
    user_key = d.user(f"u-{uuid.uuid4().hex[:6]}")
    assert as_key(kura, "sts", None, creds).get_caller_identity()["Account"] == d.id
    kura.client("organizations").close_account(AccountId=d.id)
    assert error(lambda: d.client("sts").get_caller_identity())[0] == "InvalidClientTokenId"
    assert error(lambda: as_key(kura, "sts", user_key).get_caller_identity())[0] == "InvalidClientTokenId"
    assert error(lambda: as_key(kura, "sts", None, creds).get_caller_identity())[0] in (
        "InvalidClientTokenId", "InvalidToken", "ExpiredToken", "AccessDenied")
    assert error(lambda: as_key(kura, "sts", key).assume_role(RoleArn=role_arn, RoleSessionName="sess"))[0] == "AccessDenied"


def test_sse_kms_keys_resolve_in_the_requesters_account(kura, a, b):
    b_kms = b.client("kms")
    key_id = b_kms.create_key(Description="b's data key")["KeyMetadata"]["KeyId"]
    alias = f"alias/b-{uuid.uuid4().hex[:6]}"
    b_kms.create_alias(AliasName=alias, TargetKeyId=key_id)
    bucket = f"b-sse-{uuid.uuid4().hex[:8]}"
    s3 = b.client("s3")
    s3.create_bucket(Bucket=bucket)
    put = s3.put_object(Bucket=bucket, Key="k", Body=b"secret", ServerSideEncryption="aws:kms", SSEKMSKeyId=alias)
    assert put["SSEKMSKeyId"].endswith(f":{b.id}:key/{key_id}")
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"secret"
    # The same alias name means nothing in account a.
    a_bucket = f"a-sse-{uuid.uuid4().hex[:8]}"
    a.client("s3").create_bucket(Bucket=a_bucket)
    assert error(lambda: a.client("s3").put_object(
        Bucket=a_bucket, Key="k", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=alias))[0] == "KMS.NotFoundException"
