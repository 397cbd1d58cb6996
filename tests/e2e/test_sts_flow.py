"""The STS issue's flow, from a fresh `kura serve`, with the real aws CLI (v1 and v2): an IAM user
allowed to assume a role that may use one bucket; the user assumes it with `aws sts assume-role`,
uses the temporary credentials with `aws s3`, gets AccessDenied outside the role's policy, and
after Expiration every request fails with ExpiredToken (S3 400, STS/IAM 403)."""
import json
import os
import subprocess
import sys
import time

import pytest
from botocore.exceptions import ClientError

from conftest import KuraServer, client_env

BUCKET = "s3-fs-example-bucket"
USER = "sts-s3-upload-user"
ROLE = "sts-s3-example-role"


@pytest.fixture
def kura(tmp_path_factory):
    d = tmp_path_factory.mktemp("kura-flow")
    server = KuraServer(str(d / "data"), extra_args=["--sts-min-duration", "2"]).start()
    yield server
    server.stop()


class Cli:
    """The aws CLI with its own config and credentials files (so `aws configure` works)."""

    def __init__(self, kura, version, home):
        self.kura, self.version, self.home = kura, version, home
        self.files = {"AWS_CONFIG_FILE": str(home / "config"),
                      "AWS_SHARED_CREDENTIALS_FILE": str(home / "credentials")}
        for f in self.files.values():
            open(f, "a").close()

    def __call__(self, *args, creds=None, profile=None, check=True, cwd=None):
        env = client_env(self.files)
        if creds is None and profile is None:
            creds = {"AccessKeyId": self.kura.root_key, "SecretAccessKey": self.kura.root_secret}
        if creds:
            env["AWS_ACCESS_KEY_ID"] = creds["AccessKeyId"]
            env["AWS_SECRET_ACCESS_KEY"] = creds["SecretAccessKey"]
            if creds.get("SessionToken"):
                env["AWS_SESSION_TOKEN"] = creds["SessionToken"]
        cmd = [os.environ.get("KURA_PYTHON", sys.executable), "-m", "awscli"] if self.version == 1 else ["/usr/bin/aws"]
        cmd += ["--endpoint-url", self.kura.endpoint, "--region", "us-east-1", "--output", "json"]
        cmd += list(args) + (["--profile", profile] if profile else [])
        r = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=cwd, timeout=300)
        if check and r.returncode != 0:
            raise AssertionError(f"aws {' '.join(args)} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
        return r

    def json(self, *args, **kw):
        return json.loads(self(*args, **kw).stdout)


@pytest.mark.parametrize("version", [1, 2])
def test_the_sts_flow_with_the_aws_cli(kura, version, tmp_path):
    from conftest import ROOT_KEY, ROOT_SECRET
    kura.root_key, kura.root_secret = ROOT_KEY, ROOT_SECRET
    aws = Cli(kura, version, tmp_path)
    account = aws.json("sts", "get-caller-identity")["Account"]
    aws("s3", "mb", f"s3://{BUCKET}")
    aws("s3", "mb", f"s3://other-{BUCKET}")

    # 1. The user, its access key, and a profile for it.
    aws("iam", "create-user", "--user-name", USER)
    key = aws.json("iam", "create-access-key", "--user-name", USER)["AccessKey"]
    aws("configure", "set", "aws_access_key_id", key["AccessKeyId"], "--profile", "sts-user", creds={})
    aws("configure", "set", "aws_secret_access_key", key["SecretAccessKey"], "--profile", "sts-user", creds={})
    user_creds = {"AccessKeyId": key["AccessKeyId"], "SecretAccessKey": key["SecretAccessKey"]}

    # 2. The role, trusted by the user, allowed to use the bucket; the user may assume it.
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:user/{USER}"},
        "Action": "sts:AssumeRole"}]}
    (tmp_path / "trust.json").write_text(json.dumps(trust))
    role_arn = aws.json("iam", "create-role", "--role-name", ROLE,
                        "--assume-role-policy-document", "file://trust.json", cwd=tmp_path)["Role"]["Arn"]
    assert role_arn == f"arn:aws:iam::{account}:role/{ROLE}"
    s3_policy = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"]}]}
    (tmp_path / "s3.json").write_text(json.dumps(s3_policy))
    aws("iam", "put-role-policy", "--role-name", ROLE, "--policy-name", "s3-access",
        "--policy-document", "file://s3.json", cwd=tmp_path)
    assume = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role_arn}]}
    (tmp_path / "assume.json").write_text(json.dumps(assume))
    aws("iam", "put-user-policy", "--user-name", USER, "--policy-name", "assume-s3-role",
        "--policy-document", "file://assume.json", cwd=tmp_path)

    # 3. assume-role with the user's profile.
    out = aws.json("sts", "assume-role", "--role-arn", role_arn, "--role-session-name", "s3",
                   "--duration-seconds", "900", profile="sts-user")
    user = out["AssumedRoleUser"]
    assert user["AssumedRoleId"].startswith("AROA") and user["AssumedRoleId"].endswith(":s3")
    assert user["Arn"] == f"arn:aws:sts::{account}:assumed-role/{ROLE}/s3"
    creds = out["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA") and len(creds["SecretAccessKey"]) == 40
    assert creds["SessionToken"] and creds["Expiration"]

    # 4. The session's rights are the role's.
    aws("s3", "ls", BUCKET, creds=creds)
    (tmp_path / "test.txt").write_text("uploaded with a session\n")
    aws("s3", "mv", "test.txt", f"s3://{BUCKET}/", creds=creds, cwd=tmp_path)
    assert "test.txt" in aws("s3", "ls", BUCKET, creds=creds).stdout
    assert not (tmp_path / "test.txt").exists()
    denied = aws("s3", "ls", f"other-{BUCKET}", creds=creds, check=False)
    assert denied.returncode != 0 and "AccessDenied" in denied.stderr
    denied = aws("iam", "list-users", creds=creds, check=False)
    assert denied.returncode != 0 and "AccessDenied" in denied.stderr
    me = aws.json("sts", "get-caller-identity", creds=creds)
    assert me["Arn"] == user["Arn"] and me["UserId"] == user["AssumedRoleId"]
    # The user's own long-term key never gets the role's rights.
    denied = aws("s3", "ls", BUCKET, creds=user_creds, check=False)
    assert denied.returncode != 0 and "AccessDenied" in denied.stderr

    # 5. A short session (DurationSeconds below AWS's 900 needs parameter_validation=False),
    # used with the CLI (whose start-up alone can take seconds on a loaded machine), then expired.
    sts = kura.client("sts", key=key["AccessKeyId"], secret=key["SecretAccessKey"],
                      parameter_validation=False)
    short = sts.assume_role(RoleArn=role_arn, RoleSessionName="short", DurationSeconds=15)["Credentials"]
    aws("s3", "ls", BUCKET, creds=short)
    time.sleep(max(0, short["Expiration"].timestamp() - time.time()) + 1.1)
    s3 = kura.client("s3", key=short["AccessKeyId"], secret=short["SecretAccessKey"], token=short["SessionToken"])
    with pytest.raises(ClientError) as e:
        s3.list_objects_v2(Bucket=BUCKET)
    assert e.value.response["Error"]["Code"] == "ExpiredToken"
    assert e.value.response["Error"]["Message"] == "The provided token has expired."
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    for service, call in [("sts", lambda c: c.get_caller_identity()), ("iam", lambda c: c.list_roles())]:
        c = kura.client(service, key=short["AccessKeyId"], secret=short["SecretAccessKey"], token=short["SessionToken"])
        with pytest.raises(ClientError) as e:
            call(c)
        assert e.value.response["Error"]["Code"] == "ExpiredToken"
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    expired = aws("s3", "ls", BUCKET, creds=short, check=False)
    assert expired.returncode != 0 and "ExpiredToken" in expired.stderr
