"""Live STS sessions end to end (issue #18; docs/operations.md, "Live STS sessions"): the IAM
action ListSessions (a kura extension botocore has no model for, so the Query call is signed
here with botocore's SigV4Auth), "last used" from a session's own requests, `kura sts
revoke-sessions` and `kura sts list-sessions`, kura:ListSessions for IAM users, the registry
surviving a restart, and expired sessions leaving it."""
import json
import os
import re
import subprocess
import time
import uuid
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from conftest import KURA_BIN, REGION, ROOT_KEY, ROOT_SECRET, KuraServer

NS = {"iam": "https://iam.amazonaws.com/doc/2010-05-08/"}
MEMBER_FIELDS = ("AccessKeyId", "RoleArn", "RoleSessionName", "SourceIdentity", "IssuerArn",
                 "IssuedAt", "Expiration", "LastUsedAt", "LastUsedFrom")
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def list_sessions(kura, key=ROOT_KEY, secret=ROOT_SECRET, token=None, **params):
    """ListSessions signed as botocore signs any IAM Query call; (status, parsed XML root)."""
    body = urlencode({"Action": "ListSessions", "Version": "2010-05-08", **params})
    request = AWSRequest(method="POST", url=kura.endpoint + "/", data=body,
                         headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(Credentials(key, secret, token), "iam", REGION).add_auth(request)
    response = requests.post(kura.endpoint + "/", data=body, headers=dict(request.headers), timeout=30)
    return response.status_code, ET.fromstring(response.content)


def sessions_of(root):
    out = []
    for member in root.findall("./iam:ListSessionsResult/iam:Sessions/iam:member", NS):
        s = {}
        for child in member:
            tag = child.tag.split("}")[1]
            assert tag in MEMBER_FIELDS, tag
            s[tag] = child.text
        out.append(s)
    return out


def listed(kura, **params):
    status, root = list_sessions(kura, **params)
    assert status == 200, ET.tostring(root)
    assert root.tag == "{%s}ListSessionsResponse" % NS["iam"]
    assert root.find("./iam:ResponseMetadata/iam:RequestId", NS).text
    return {s["AccessKeyId"]: s for s in sessions_of(root)}


@pytest.fixture(scope="module")
def kura(tmp_path_factory):
    d = tmp_path_factory.mktemp("kura-sessions")
    server = KuraServer(str(d / "data"), extra_args=["--sts-min-duration", "2"]).start()
    server.account = server.client("sts").get_caller_identity()["Account"]
    server.client().create_bucket(Bucket="sessions-bucket")
    yield server
    server.stop()


class World:
    """A user allowed to assume a role of its own that may read one bucket."""

    def __init__(self, kura, user_policy=None):
        self.kura, self.iam = kura, kura.client("iam")
        tag = uuid.uuid4().hex[:8]
        self.user_name, self.role_name = f"user-{tag}", f"role-{tag}"
        self.user_arn = self.iam.create_user(UserName=self.user_name)["User"]["Arn"]
        key = self.iam.create_access_key(UserName=self.user_name)["AccessKey"]
        self.key = (key["AccessKeyId"], key["SecretAccessKey"])
        if user_policy:
            self.iam.put_user_policy(UserName=self.user_name, PolicyName="p", PolicyDocument=doc(user_policy))
        trust = {"Effect": "Allow", "Principal": {"AWS": self.user_arn},
                 "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"]}
        self.role_arn = self.iam.create_role(RoleName=self.role_name, AssumeRolePolicyDocument=doc(trust))["Role"]["Arn"]
        self.iam.put_role_policy(RoleName=self.role_name, PolicyName="read", PolicyDocument=doc(
            {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::sessions-bucket"}))

    def assume(self, name, **kw):
        sts = self.kura.client("sts", key=self.key[0], secret=self.key[1], parameter_validation=False)
        return sts.assume_role(RoleArn=self.role_arn, RoleSessionName=name, **kw)["Credentials"]

    def s3(self, creds):
        return self.kura.client("s3", key=creds["AccessKeyId"], secret=creds["SecretAccessKey"],
                                token=creds["SessionToken"])


def revoke(kura, role_name):
    env = dict(os.environ, KURA_ROOT_ACCESS_KEY=ROOT_KEY, KURA_ROOT_SECRET_KEY=ROOT_SECRET)
    out = subprocess.run([KURA_BIN, "sts", "revoke-sessions", "--role", role_name, "--endpoint",
                          kura.endpoint, "--data-dir", kura.data_dir], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_assumed_sessions_are_listed_with_where_they_were_last_used(kura):
    w = World(kura)
    a = w.assume("first", SourceIdentity="alice@example.com")
    b = w.assume("second", DurationSeconds=900)
    sessions = listed(kura, RoleName=w.role_name)
    assert set(sessions) == {a["AccessKeyId"], b["AccessKeyId"]}
    first = sessions[a["AccessKeyId"]]
    assert first["RoleArn"] == w.role_arn
    assert first["RoleSessionName"] == "first"
    assert first["SourceIdentity"] == "alice@example.com"
    assert first["IssuerArn"] == w.user_arn
    assert ISO.match(first["IssuedAt"]) and ISO.match(first["Expiration"])
    assert first["Expiration"] == a["Expiration"].strftime("%Y-%m-%dT%H:%M:%SZ")
    assert "LastUsedAt" not in first and "LastUsedFrom" not in first
    assert "SourceIdentity" not in sessions[b["AccessKeyId"]]
    # Never a secret or a token in the answer.
    status, root = list_sessions(kura)
    text = ET.tostring(root).decode()
    for creds in (a, b):
        assert creds["SecretAccessKey"] not in text and creds["SessionToken"] not in text

    w.s3(a).list_objects_v2(Bucket="sessions-bucket")
    used = listed(kura, RoleName=w.role_name)[a["AccessKeyId"]]
    assert used["LastUsedFrom"] == "127.0.0.1"
    assert ISO.match(used["LastUsedAt"]) and used["LastUsedAt"] >= used["IssuedAt"]
    assert "LastUsedAt" not in listed(kura, RoleName=w.role_name)[b["AccessKeyId"]]
    # A request whose signature does not verify is no use of the session.
    bad = dict(b, SecretAccessKey="x" * 40)
    with pytest.raises(ClientError):
        w.s3(bad).list_objects_v2(Bucket="sessions-bucket")
    assert "LastUsedAt" not in listed(kura, RoleName=w.role_name)[b["AccessKeyId"]]


def test_newest_first_in_pages(kura):
    w = World(kura)
    keys = []
    for i in range(3):
        keys.append(w.assume(f"page-{i}")["AccessKeyId"])
        time.sleep(1.05)  # distinct IssuedAt seconds
    seen, marker = [], None
    while True:
        params = {"RoleName": w.role_name, "MaxItems": "2"}
        if marker:
            params["Marker"] = marker
        status, root = list_sessions(kura, **params)
        assert status == 200
        seen += [s["AccessKeyId"] for s in sessions_of(root)]
        if root.find("./iam:ListSessionsResult/iam:IsTruncated", NS).text != "true":
            break
        marker = root.find("./iam:ListSessionsResult/iam:Marker", NS).text
    assert seen == list(reversed(keys))


def test_revoked_sessions_leave_the_list_and_new_ones_appear(kura):
    w = World(kura)
    old = w.assume("old")
    w.s3(old).list_objects_v2(Bucket="sessions-bucket")
    time.sleep(1.1)
    revoke(kura, w.role_name)
    with pytest.raises(ClientError) as e:
        w.s3(old).list_objects_v2(Bucket="sessions-bucket")
    assert e.value.response["Error"]["Code"] == "AccessDenied"
    assert old["AccessKeyId"] not in listed(kura, RoleName=w.role_name)
    time.sleep(1.1)
    new = w.assume("new")
    assert set(listed(kura, RoleName=w.role_name)) == {new["AccessKeyId"]}


def test_the_cli_lists_sessions(kura):
    w = World(kura)
    a = w.assume("cli-session")
    env = dict(os.environ, KURA_ROOT_ACCESS_KEY=ROOT_KEY, KURA_ROOT_SECRET_KEY=ROOT_SECRET)
    out = subprocess.run([KURA_BIN, "sts", "list-sessions", "--role", w.role_name, "--endpoint",
                          kura.endpoint, "--data-dir", kura.data_dir], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("ACCESS KEY ID")
    assert len(lines) == 2 and lines[1].startswith(a["AccessKeyId"])
    assert w.role_arn in lines[1] and "cli-session" in lines[1] and lines[1].endswith("never")
    assert a["SecretAccessKey"] not in out.stdout and a["SessionToken"] not in out.stdout


def test_users_need_kura_list_sessions_and_see_only_their_account(kura):
    w = World(kura)
    mine = w.assume("mine")
    status, root = list_sessions(kura, key=w.key[0], secret=w.key[1])
    assert status == 403
    assert root.find("./iam:Error/iam:Code", NS).text == "AccessDenied"
    assert "kura:ListSessions" in root.find("./iam:Error/iam:Message", NS).text
    w.iam.put_user_policy(UserName=w.user_name, PolicyName="sessions", PolicyDocument=doc(
        {"Effect": "Allow", "Action": "kura:ListSessions", "Resource": w.role_arn}))
    status, root = list_sessions(kura, key=w.key[0], secret=w.key[1], RoleName=w.role_name)
    assert status == 200 and [s["AccessKeyId"] for s in sessions_of(root)] == [mine["AccessKeyId"]]
    status, root = list_sessions(kura, key=w.key[0], secret=w.key[1])  # "*" is not allowed
    assert status == 403
    status, root = list_sessions(kura, RoleName="no-such-role")
    assert status == 404 and root.find("./iam:Error/iam:Code", NS).text == "NoSuchEntity"


def test_get_session_token_sessions_are_listed_under_their_user(kura):
    w = World(kura)
    sts = kura.client("sts", key=w.key[0], secret=w.key[1])
    creds = sts.get_session_token(DurationSeconds=900)["Credentials"]
    s = listed(kura)[creds["AccessKeyId"]]
    assert s["IssuerArn"] == w.user_arn
    assert "RoleArn" not in s and "RoleSessionName" not in s


def wait_until_expired(creds):
    delay = creds["Expiration"].timestamp() - time.time() + 1.0
    if delay > 0:
        time.sleep(delay)


def test_the_registry_survives_a_restart_and_forgets_expired_sessions(tmp_path):
    server = KuraServer(str(tmp_path / "data"), extra_args=["--sts-min-duration", "2"]).start()
    try:
        server.account = server.client("sts").get_caller_identity()["Account"]
        server.client().create_bucket(Bucket="sessions-bucket")
        w = World(server)
        short = w.assume("short", DurationSeconds=8)
        assert short["AccessKeyId"] in listed(server)
        long = w.assume("long", SourceIdentity="bob")
        w.s3(long).list_objects_v2(Bucket="sessions-bucket")
        before = listed(server)
        assert long["AccessKeyId"] in before
        server.stop()
        journal = os.path.join(server.data_dir, "sts-sessions")
        assert os.stat(journal).st_mode & 0o777 == 0o600
        text = open(journal).read()
        assert long["SecretAccessKey"] not in text and long["SessionToken"] not in text
        wait_until_expired(short)  # `short` expires while the server is down
        server.start()
        after = listed(server)
        assert short["AccessKeyId"] not in after
        assert after[long["AccessKeyId"]] == before[long["AccessKeyId"]]
        assert after[long["AccessKeyId"]]["LastUsedFrom"] == "127.0.0.1"
        # A session that expires while the server runs leaves the list too.
        brief = w.assume("brief", DurationSeconds=8)
        assert brief["AccessKeyId"] in listed(server)
        wait_until_expired(brief)
        assert brief["AccessKeyId"] not in listed(server)
    finally:
        server.stop()


def test_zero_disables_the_registry(tmp_path):
    server = KuraServer(str(tmp_path / "data"), extra_args=["--sts-max-live-sessions", "0"]).start()
    try:
        status, root = list_sessions(server)
        assert status == 400
        assert root.find("./iam:Error/iam:Code", NS).text == "ValidationError"
        assert not os.path.exists(os.path.join(server.data_dir, "sts-sessions"))
    finally:
        server.stop()
