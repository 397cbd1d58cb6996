"""S3 across accounts with boto3 and the aws CLI: bucket names are global but a bucket belongs to
the account that made it (BucketAlreadyExists for another's name, ListBuckets shows only one's
own, another's bucket answers 403 without a grant); sharing needs the owner's bucket policy or ACL
AND the caller's own permission (its root: implicitly), for presigned URLs too; an explicit Deny
wins; aws:PrincipalAccount and aws:PrincipalOrgID; Object Ownership with a writer of another
account; a closed account's buckets answer AllAccessDisabled and keep their names."""
import hashlib
import json
import uuid

import pytest
import requests
from botocore.exceptions import ClientError

from accounts import create_account
from conftest import KuraServer


@pytest.fixture(scope="module")
def kura(tmp_path_factory):
    d = tmp_path_factory.mktemp("kura-accounts-s3")
    server = KuraServer(str(d / "data")).start()
    yield server
    server.stop()


class Account:
    """An account made through the Organizations API, with clients as its root."""

    def __init__(self, kura, name):
        self.kura = kura
        self.name = name
        self.id, self.key, self.secret = create_account(kura, name)

    def client(self, service="s3", **config):
        return self.kura.client(service, key=self.key, secret=self.secret, **config)

    def aws(self, *args, check=True):
        return self.kura.aws(*args, key=self.key, secret=self.secret, check=check)

    def user(self, policy=None):
        """A new IAM user of this account (with an inline policy when given) and its key."""
        name = f"u-{uuid.uuid4().hex[:8]}"
        iam = self.client("iam")
        iam.create_user(UserName=name)
        if policy:
            iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=json.dumps(policy))
        k = iam.create_access_key(UserName=name)["AccessKey"]
        return name, k["AccessKeyId"], k["SecretAccessKey"]

    def canonical_id(self):
        return self.client().list_buckets()["Owner"]["ID"]


@pytest.fixture(scope="module")
def a(kura):
    return Account(kura, "team-a")


@pytest.fixture(scope="module")
def b(kura):
    return Account(kura, "team-b")


def new_bucket(account, **kwargs):
    name = f"acct-{uuid.uuid4().hex[:12]}"
    account.client().create_bucket(Bucket=name, **kwargs)
    return name


def statement(effect, principal, bucket, actions="s3:*", condition=None):
    s = {"Effect": effect, "Principal": principal, "Action": actions,
         "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]}
    if condition:
        s["Condition"] = condition
    return s


def put_policy(account, bucket, *statements):
    account.client().put_bucket_policy(
        Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": list(statements)}))


def code_of(call):
    with pytest.raises(ClientError) as e:
        call()
    return e.value.response["Error"]["Code"]


def allow_all(bucket):
    return {"Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:*",
                           "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]}]}


def test_bucket_names_are_global_and_each_account_hears_its_own_answer(kura, a, b):
    name = new_bucket(b)
    assert code_of(lambda: a.client().create_bucket(Bucket=name)) == "BucketAlreadyExists"
    assert code_of(lambda: b.client().create_bucket(Bucket=name)) == "BucketAlreadyOwnedByYou"
    assert code_of(lambda: kura.client().create_bucket(Bucket=name)) == "BucketAlreadyExists"
    r = a.aws("s3api", "create-bucket", "--bucket", name, check=False)
    assert r.returncode != 0 and "BucketAlreadyExists" in r.stderr


def test_list_buckets_shows_only_the_callers_accounts_buckets(kura, a, b):
    mine, theirs = new_bucket(a), new_bucket(b)
    listed = a.client().list_buckets()
    names = [x["Name"] for x in listed["Buckets"]]
    assert mine in names and theirs not in names
    assert listed["Owner"]["DisplayName"] == "team-a"
    assert listed["Owner"]["ID"] != b.canonical_id()
    cli = json.loads(b.aws("s3api", "list-buckets").stdout)
    assert theirs in [x["Name"] for x in cli["Buckets"]] and mine not in [x["Name"] for x in cli["Buckets"]]
    management = [x["Name"] for x in kura.client().list_buckets()["Buckets"]]
    assert mine not in management and theirs not in management


def test_another_accounts_bucket_answers_403_without_a_grant(kura, a, b):
    name = new_bucket(b)
    b.client().put_object(Bucket=name, Key="k", Body=b"secret")
    s3 = a.client()
    assert code_of(lambda: s3.head_bucket(Bucket=name)) == "403"
    for call in (lambda: s3.get_object(Bucket=name, Key="k"),
                 lambda: s3.list_objects_v2(Bucket=name),
                 lambda: s3.get_bucket_policy(Bucket=name),
                 lambda: s3.get_bucket_acl(Bucket=name),
                 lambda: s3.put_object(Bucket=name, Key="x", Body=b"x"),
                 lambda: s3.delete_bucket(Bucket=name)):
        assert code_of(call) == "AccessDenied"
    # Nor does the error say whose bucket it is.
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=name, Key="k")
    assert b.id not in e.value.response["Error"].get("Message", "")
    # A bucket that exists nowhere is still NoSuchBucket.
    assert code_of(lambda: s3.get_object(Bucket=f"nowhere-{uuid.uuid4().hex[:8]}", Key="k")) == "NoSuchBucket"


def test_a_policy_naming_the_account_lets_its_root_in_and_its_users_with_their_own_allow(kura, a, b):
    name = new_bucket(b)
    put_policy(b, name, statement("Allow", {"AWS": f"arn:aws:iam::{a.id}:root"}, name))
    s3 = a.client()
    s3.put_object(Bucket=name, Key="from-a", Body=b"hello")
    assert s3.get_object(Bucket=name, Key="from-a")["Body"].read() == b"hello"
    a.aws("s3", "cp", f"s3://{name}/from-a", "-")  # the CLI as A's root
    _, key, secret = a.user()
    bare = kura.client(key=key, secret=secret)
    assert code_of(lambda: bare.get_object(Bucket=name, Key="from-a")) == "AccessDenied"
    _, key, secret = a.user(allow_all(name))
    allowed = kura.client(key=key, secret=secret)
    assert allowed.get_object(Bucket=name, Key="from-a")["Body"].read() == b"hello"
    r = kura.aws("s3", "cp", f"s3://{name}/from-a", "-", key=key, secret=secret)
    assert r.stdout == "hello"
    # B's other buckets stay closed to A.
    assert code_of(lambda: s3.list_objects_v2(Bucket=new_bucket(b))) == "AccessDenied"


def test_a_users_own_allow_is_not_enough_without_the_owners_policy(kura, a, b):
    name = new_bucket(b)
    b.client().put_object(Bucket=name, Key="k", Body=b"x")
    _, key, secret = a.user({"Version": "2012-10-17",
                             "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})
    assert code_of(lambda: kura.client(key=key, secret=secret).get_object(Bucket=name, Key="k")) == "AccessDenied"
    assert code_of(lambda: a.client().get_object(Bucket=name, Key="k")) == "AccessDenied"


def test_an_explicit_deny_in_the_owners_policy_wins(kura, a, b):
    name = new_bucket(b)
    put_policy(b, name, statement("Allow", {"AWS": a.id}, name),
               statement("Deny", {"AWS": f"arn:aws:iam::{a.id}:root"}, name, "s3:DeleteObject"))
    s3 = a.client()
    s3.put_object(Bucket=name, Key="k", Body=b"x")
    assert code_of(lambda: s3.delete_object(Bucket=name, Key="k")) == "AccessDenied"


def test_an_acl_grant_to_the_accounts_canonical_id(kura, a, b):
    name = new_bucket(b, ObjectOwnership="ObjectWriter")
    b.client().put_object(Bucket=name, Key="k", Body=b"acl")
    s3 = a.client()
    assert code_of(lambda: s3.list_objects_v2(Bucket=name)) == "AccessDenied"
    b.aws("s3api", "put-bucket-acl", "--bucket", name, "--grant-read", f"id={a.canonical_id()}",
          "--grant-full-control", f"id={b.canonical_id()}")
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=name)["Contents"]] == ["k"]
    grants = b.client().get_bucket_acl(Bucket=name)["Grants"]
    assert {"ID": a.canonical_id(), "DisplayName": "team-a", "Type": "CanonicalUser"} in [g["Grantee"] for g in grants]
    # A's users only with their own allow.
    _, key, secret = a.user()
    assert code_of(lambda: kura.client(key=key, secret=secret).list_objects_v2(Bucket=name)) == "AccessDenied"
    _, key, secret = a.user(allow_all(name))
    assert kura.client(key=key, secret=secret).list_objects_v2(Bucket=name)["KeyCount"] == 1


def test_a_presigned_url_of_another_accounts_user_follows_both_sides(kura, a, b):
    name = new_bucket(b)
    b.client().put_object(Bucket=name, Key="k", Body=b"presigned")
    _, key, secret = a.user(allow_all(name))
    url = kura.client(key=key, secret=secret).generate_presigned_url(
        "get_object", Params={"Bucket": name, "Key": "k"}, ExpiresIn=300)
    assert requests.get(url).status_code == 403
    put_policy(b, name, statement("Allow", {"AWS": a.id}, name, "s3:GetObject"))
    assert requests.get(url).content == b"presigned"
    _, key, secret = a.user()  # no policy of its own
    url = kura.client(key=key, secret=secret).generate_presigned_url(
        "get_object", Params={"Bucket": name, "Key": "k"}, ExpiresIn=300)
    assert requests.get(url).status_code == 403


def test_principal_account_condition(kura, a, b):
    name = new_bucket(b)
    b.client().put_object(Bucket=name, Key="k", Body=b"x")
    put_policy(b, name, statement("Allow", "*", name, "s3:GetObject",
                                  {"StringEquals": {"aws:PrincipalAccount": a.id}}))
    assert a.client().get_object(Bucket=name, Key="k")["Body"].read() == b"x"
    c = Account(kura, "team-c")
    assert code_of(lambda: c.client().get_object(Bucket=name, Key="k")) == "AccessDenied"


def test_principal_org_id_condition(kura, a, b):
    org_id = kura.client("organizations").describe_organization()["Organization"]["Id"]
    management_id = kura.client("sts").get_caller_identity()["Account"]
    assert org_id == "o-" + hashlib.sha256(f"kura-organization:{management_id}".encode()).hexdigest()[:10]
    name = new_bucket(b)
    b.client().put_object(Bucket=name, Key="k", Body=b"org")
    put_policy(b, name, statement("Allow", "*", name, "s3:GetObject",
                                  {"StringEquals": {"aws:PrincipalOrgID": org_id}}))
    assert a.client().get_object(Bucket=name, Key="k")["Body"].read() == b"org"
    assert requests.get(f"{kura.endpoint}/{name}/k").status_code == 403  # anonymous: no org
    put_policy(b, name, statement("Allow", "*", name, "s3:GetObject",
                                  {"StringEquals": {"aws:PrincipalOrgID": "o-0000000000"}}))
    assert code_of(lambda: a.client().get_object(Bucket=name, Key="k")) == "AccessDenied"


def test_object_ownership_across_accounts(kura, a, b):
    writer = new_bucket(b, ObjectOwnership="ObjectWriter")
    enforced = new_bucket(b)
    for name in (writer, enforced):
        put_policy(b, name, statement("Allow", {"AWS": a.id}, name, ["s3:PutObject", "s3:GetObjectAcl"]))
        a.client().put_object(Bucket=name, Key="k", Body=b"x")
    # ObjectWriter: A wrote it, A owns it.
    acl = json.loads(a.aws("s3api", "get-object-acl", "--bucket", writer, "--key", "k").stdout)
    assert acl["Owner"]["ID"] == a.canonical_id()
    # BucketOwnerEnforced: the bucket owner owns everything in it.
    acl = a.client().get_object_acl(Bucket=enforced, Key="k")
    assert acl["Owner"]["ID"] == b.canonical_id()
    assert acl["Owner"]["DisplayName"] == "team-b"


def test_a_closed_accounts_buckets_answer_all_access_disabled(kura, a):
    c = Account(kura, "team-closing")
    name = new_bucket(c)
    c.client().put_object(Bucket=name, Key="k", Body=b"x")
    put_policy(c, name, statement("Allow", "*", name, "s3:GetObject"))
    assert a.client().get_object(Bucket=name, Key="k")["Body"].read() == b"x"
    kura.client("organizations").close_account(AccountId=c.id)
    with pytest.raises(ClientError) as e:
        a.client().get_object(Bucket=name, Key="k")
    assert e.value.response["Error"]["Code"] == "AllAccessDisabled"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    anonymous = requests.get(f"{kura.endpoint}/{name}/k")
    assert anonymous.status_code == 403 and b"AllAccessDisabled" in anonymous.content
    assert code_of(lambda: kura.client().get_object(Bucket=name, Key="k")) == "AllAccessDisabled"
    # Its name stays taken.
    assert code_of(lambda: a.client().create_bucket(Bucket=name)) == "BucketAlreadyExists"
