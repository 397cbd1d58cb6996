"""AssumeRole with boto3 against a real server, parameter by parameter: validation errors with
AWS's messages, trust policies (user, account, conditions on sts:ExternalId, aws:RequestTag,
sts:SourceIdentity), session policies (Policy and PolicyArns) intersecting the role's rights,
session tags and transitive tags through role chaining, source identity, revocation with
`kura sts revoke-sessions`, deleted roles, GetSessionToken for IAM users."""
import json
import os
import subprocess
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from conftest import KURA_BIN, ROOT_KEY, ROOT_SECRET, KuraServer


@pytest.fixture(scope="module")
def kura(tmp_path_factory):
    d = tmp_path_factory.mktemp("kura-roles")
    server = KuraServer(str(d / "data"), extra_args=["--sts-min-duration", "2"]).start()
    server.account = server.client("sts").get_caller_identity()["Account"]
    for b in ("role-bucket", "other-bucket"):
        server.client().create_bucket(Bucket=b)
        server.client().put_object(Bucket=b, Key="seed.txt", Body=b"seed")
    yield server
    server.stop()


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


BUCKET_RW = {"Effect": "Allow", "Action": "s3:*",
             "Resource": ["arn:aws:s3:::role-bucket", "arn:aws:s3:::role-bucket/*"]}


class World:
    """A user with an access key and a role of the test's own (unique names)."""

    def __init__(self, kura, trust_actions=("sts:AssumeRole",), condition=None, principal=None,
                 role_policy=BUCKET_RW, max_duration=3600, user_policy=None):
        self.kura = kura
        self.iam = kura.client("iam")
        tag = uuid.uuid4().hex[:8]
        self.user_name, self.role_name = f"user-{tag}", f"role-{tag}"
        self.iam.create_user(UserName=self.user_name)
        self.user_arn = f"arn:aws:iam::{kura.account}:user/{self.user_name}"
        key = self.iam.create_access_key(UserName=self.user_name)["AccessKey"]
        self.key = (key["AccessKeyId"], key["SecretAccessKey"])
        if user_policy:
            self.iam.put_user_policy(UserName=self.user_name, PolicyName="p", PolicyDocument=doc(user_policy))
        statement = {"Effect": "Allow", "Principal": {"AWS": principal or self.user_arn},
                     "Action": list(trust_actions)}
        if condition:
            statement["Condition"] = condition
        self.role_arn = self.iam.create_role(RoleName=self.role_name, AssumeRolePolicyDocument=doc(statement),
                                             MaxSessionDuration=max_duration)["Role"]["Arn"]
        self.iam.put_role_policy(RoleName=self.role_name, PolicyName="rights", PolicyDocument=doc(role_policy))

    def sts(self, creds=None):
        if creds:
            return self.kura.client("sts", key=creds["AccessKeyId"], secret=creds["SecretAccessKey"],
                                    token=creds["SessionToken"], parameter_validation=False)
        return self.kura.client("sts", key=self.key[0], secret=self.key[1], parameter_validation=False)

    def assume(self, creds=None, **kw):
        kw.setdefault("RoleArn", self.role_arn)
        kw.setdefault("RoleSessionName", "sess")
        return self.sts(creds).assume_role(**kw)

    def s3(self, creds):
        return self.kura.client("s3", key=creds["AccessKeyId"], secret=creds["SecretAccessKey"],
                                token=creds["SessionToken"], signature_version="s3v4")


def error(call):
    with pytest.raises(ClientError) as e:
        call()
    err = e.value.response["Error"]
    return err["Code"], err.get("Message", ""), e.value.response["ResponseMetadata"]["HTTPStatusCode"]


def denied_message(w, action="sts:AssumeRole"):
    return f"User: {w.user_arn} is not authorized to perform: {action} on resource: {w.role_arn}"


def test_assume_role_response_shape(kura):
    w = World(kura)
    out = w.assume(DurationSeconds=900)
    role_id = w.iam.get_role(RoleName=w.role_name)["Role"]["RoleId"]
    assert out["AssumedRoleUser"] == {"AssumedRoleId": f"{role_id}:sess",
                                      "Arn": f"arn:aws:sts::{kura.account}:assumed-role/{w.role_name}/sess"}
    assert 895 < out["Credentials"]["Expiration"].timestamp() - time.time() <= 901
    assert "PackedPolicySize" not in out


def test_validation_errors_have_aws_messages(kura):
    w = World(kura, max_duration=3600)
    assert error(lambda: w.assume(RoleSessionName="x")) == (
        "ValidationError", "1 validation error detected: Value 'x' at 'roleSessionName' failed to "
        "satisfy constraint: Member must have length greater than or equal to 2", 400)
    code, message, _ = error(lambda: w.assume(DurationSeconds=1))
    assert code == "ValidationError" and "greater than or equal to 2" in message
    assert error(lambda: w.assume(DurationSeconds=7200)) == (
        "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", 400)
    assert error(lambda: w.assume(Policy="{nope"))[0] == "MalformedPolicyDocument"
    assert error(lambda: w.assume(Policy=" " * 2049))[0] == "ValidationError"
    assert error(lambda: w.assume(ExternalId="x"))[0] == "ValidationError"


def test_untrusted_callers_unknown_roles_and_root_are_denied(kura):
    w = World(kura, principal=f"arn:aws:iam::{kura.account}:user/somebody-else")
    assert error(lambda: w.assume()) == ("AccessDenied", denied_message(w), 403)
    assert error(lambda: w.assume(RoleArn=w.role_arn + "-missing"))[0] == "AccessDenied"
    root = kura.client("sts")
    assert error(lambda: root.assume_role(RoleArn=w.role_arn, RoleSessionName="root-session")) == (
        "AccessDenied", "Roles may not be assumed by root accounts.", 403)


def test_trust_naming_the_account_needs_the_users_identity_policy(kura):
    w = World(kura, principal=f"arn:aws:iam::{kura.account}:root")
    assert error(lambda: w.assume())[0] == "AccessDenied"
    w.iam.put_user_policy(UserName=w.user_name, PolicyName="assume",
                          PolicyDocument=doc({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": w.role_arn}))
    assert w.assume()["Credentials"]["AccessKeyId"].startswith("ASIA")


def test_session_has_the_roles_rights_and_not_more(kura):
    w = World(kura)
    s3 = w.s3(w.assume()["Credentials"])
    s3.put_object(Bucket="role-bucket", Key="from-session", Body=b"x")
    assert error(lambda: s3.get_object(Bucket="other-bucket", Key="seed.txt"))[0] == "AccessDenied"
    user_s3 = kura.client("s3", key=w.key[0], secret=w.key[1])
    assert error(lambda: user_s3.get_object(Bucket="role-bucket", Key="seed.txt"))[0] == "AccessDenied"


def test_session_policy_intersects_with_the_roles(kura):
    w = World(kura)
    readonly = doc({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::*"})
    out = w.assume(Policy=readonly)
    assert out["PackedPolicySize"] > 0
    s3 = w.s3(out["Credentials"])
    assert s3.get_object(Bucket="role-bucket", Key="seed.txt")["Body"].read() == b"seed"
    assert error(lambda: s3.put_object(Bucket="role-bucket", Key="nope", Body=b"x"))[0] == "AccessDenied"
    assert error(lambda: s3.get_object(Bucket="other-bucket", Key="seed.txt"))[0] == "AccessDenied"


def test_policy_arns_intersect_and_must_exist(kura):
    w = World(kura)
    missing = f"arn:aws:iam::{kura.account}:policy/does-not-exist"
    assert error(lambda: w.assume(PolicyArns=[{"arn": missing}]))[0] == "InvalidParameterValue"
    arn = w.iam.create_policy(PolicyName=f"list-only-{w.role_name}", PolicyDocument=doc(
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}))["Policy"]["Arn"]
    s3 = w.s3(w.assume(PolicyArns=[{"arn": arn}])["Credentials"])
    s3.list_objects_v2(Bucket="role-bucket")
    assert error(lambda: s3.get_object(Bucket="role-bucket", Key="seed.txt"))[0] == "AccessDenied"


def test_external_id_condition(kura):
    w = World(kura, condition={"StringEquals": {"sts:ExternalId": "Ext-12345"}})
    assert error(lambda: w.assume())[0] == "AccessDenied"
    assert error(lambda: w.assume(ExternalId="Wrong-1"))[0] == "AccessDenied"
    w.assume(ExternalId="Ext-12345")


def test_session_tags_need_tag_session_and_drive_principal_tag_conditions(kura):
    tagged = {"Effect": "Allow", "Action": "s3:*",
              "Resource": "arn:aws:s3:::role-bucket/${aws:PrincipalTag/team}/*"}
    w = World(kura, role_policy=tagged)
    tags = [{"Key": "team", "Value": "blue"}]
    assert error(lambda: w.assume(Tags=tags)) == ("AccessDenied", denied_message(w, "sts:TagSession"), 403)
    w2 = World(kura, trust_actions=("sts:AssumeRole", "sts:TagSession"), role_policy=tagged,
               condition={"StringEquals": {"aws:RequestTag/team": ["blue", "red"]}})
    s3 = w2.s3(w2.assume(Tags=tags)["Credentials"])
    s3.put_object(Bucket="role-bucket", Key="blue/ok.txt", Body=b"x")
    assert error(lambda: s3.put_object(Bucket="role-bucket", Key="red/no.txt", Body=b"x"))[0] == "AccessDenied"
    assert error(lambda: w2.assume(Tags=[{"Key": "team", "Value": "green"}]))[0] == "AccessDenied"
    dup = [{"Key": "Team", "Value": "a"}, {"Key": "team", "Value": "b"}]
    assert error(lambda: w2.assume(Tags=dup))[0] == "InvalidParameterValue"
    huge = tags + [{"Key": f"{'k' * 120}{i}", "Value": "v" * 256} for i in range(49)]
    assert error(lambda: w2.assume(Tags=huge))[0] == "PackedPolicyTooLarge"


def test_role_chaining_caps_duration_and_carries_transitive_tags(kura):
    tagged = {"Effect": "Allow", "Action": "s3:*",
              "Resource": "arn:aws:s3:::role-bucket/${aws:PrincipalTag/team}/*"}
    w = World(kura, trust_actions=("sts:AssumeRole", "sts:TagSession"), role_policy=tagged,
              max_duration=43200)
    # Let the role's sessions assume the role again (chaining).
    trust = doc({"Effect": "Allow", "Principal": {"AWS": [w.user_arn, w.role_arn]},
                 "Action": ["sts:AssumeRole", "sts:TagSession"]})
    w.iam.update_assume_role_policy(RoleName=w.role_name, PolicyDocument=trust)
    first = w.assume(DurationSeconds=7200, Tags=[{"Key": "team", "Value": "blue"}, {"Key": "tmp", "Value": "x"}],
                     TransitiveTagKeys=["team"])["Credentials"]
    assert error(lambda: w.assume(creds=first, RoleSessionName="chain", DurationSeconds=3601)) == (
        "ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles "
        "assumed by role chaining.", 400)
    chained = w.assume(creds=first, RoleSessionName="chain")["Credentials"]
    assert chained["Expiration"].timestamp() - time.time() <= 3601
    w.s3(chained).put_object(Bucket="role-bucket", Key="blue/chained.txt", Body=b"x")
    assert error(lambda: w.assume(creds=first, RoleSessionName="c2",
                                  Tags=[{"Key": "TEAM", "Value": "red"}]))[0] == "InvalidParameterValue"


def test_source_identity_needs_permission_and_is_sticky(kura):
    w = World(kura, trust_actions=("sts:AssumeRole", "sts:SetSourceIdentity"),
              condition={"StringLike": {"sts:SourceIdentity": "alice*"}})
    w.iam.update_assume_role_policy(RoleName=w.role_name, PolicyDocument=doc(
        {"Effect": "Allow", "Principal": {"AWS": [w.user_arn, w.role_arn]},
         "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"],
         "Condition": {"StringLike": {"sts:SourceIdentity": "alice*"}}}))
    assert error(lambda: w.assume())[0] == "AccessDenied"  # condition needs a source identity
    out = w.assume(SourceIdentity="alice")
    assert out["SourceIdentity"] == "alice"
    assert error(lambda: w.assume(creds=out["Credentials"], SourceIdentity="alice2"))[0] == "AccessDenied"
    again = w.assume(creds=out["Credentials"], RoleSessionName="again")
    assert again["SourceIdentity"] == "alice"


def revoke_sessions(kura, role_name):
    env = dict(os.environ, KURA_ROOT_ACCESS_KEY=ROOT_KEY, KURA_ROOT_SECRET_KEY=ROOT_SECRET)
    out = subprocess.run([KURA_BIN, "sts", "revoke-sessions", "--role", role_name,
                          "--endpoint", kura.endpoint, "--data-dir", kura.data_dir],
                         env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_revoke_sessions_denies_older_sessions_only(kura):
    w = World(kura)
    old = w.s3(w.assume()["Credentials"])
    old.list_objects_v2(Bucket="role-bucket")
    time.sleep(1.1)
    revoke_sessions(kura, w.role_name)
    assert error(lambda: old.list_objects_v2(Bucket="role-bucket"))[0] == "AccessDenied"
    time.sleep(1.1)
    w.s3(w.assume()["Credentials"]).list_objects_v2(Bucket="role-bucket")
    policy = w.iam.get_role_policy(RoleName=w.role_name, PolicyName="AWSRevokeOlderSessions")
    assert "aws:TokenIssueTime" in json.dumps(policy["PolicyDocument"])


def test_revoke_sessions_denies_sessions_issued_earlier_in_the_same_second(kura):
    # Issue times are whole seconds: a cut-off of "now" truncated spared sessions issued earlier
    # in that second. Start just after a second begins, so the session and the revocation share it.
    w = World(kura)
    while time.time() % 1 > 0.2:
        time.sleep(0.01)
    fresh = w.s3(w.assume()["Credentials"])
    revoke_sessions(kura, w.role_name)
    assert error(lambda: fresh.list_objects_v2(Bucket="role-bucket"))[0] == "AccessDenied"


def test_deleting_the_role_ends_its_sessions(kura):
    w = World(kura)
    creds = w.assume()["Credentials"]
    s3 = w.s3(creds)
    s3.list_objects_v2(Bucket="role-bucket")
    w.iam.delete_role_policy(RoleName=w.role_name, PolicyName="rights")
    w.iam.delete_role(RoleName=w.role_name)
    assert error(lambda: s3.list_objects_v2(Bucket="role-bucket"))[0] in ("AccessDenied", "InvalidToken")
    assert error(lambda: w.sts(creds).get_caller_identity())[0] in ("AccessDenied", "InvalidClientTokenId")


def test_user_session_token_acts_as_the_user(kura):
    w = World(kura, user_policy=BUCKET_RW)
    creds = w.sts().get_session_token(DurationSeconds=900)["Credentials"]
    sts = w.sts(creds)
    assert sts.get_caller_identity()["Arn"] == w.user_arn
    w.s3(creds).list_objects_v2(Bucket="role-bucket")
    assert error(lambda: w.s3(creds).list_objects_v2(Bucket="other-bucket"))[0] == "AccessDenied"
    assert error(lambda: sts.get_session_token())[0] == "AccessDenied"
