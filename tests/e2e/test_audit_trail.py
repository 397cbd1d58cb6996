"""The audit trail (docs/operations.md "Audit trail"): one CloudTrail-shaped JSON record per
request. The seed flow — create a user and its access key, create a role, assume it, put an
object with the session, be denied, call after the session expired — checked record by record,
field by field; then a grep of the audit file and of kura's output for every secret access key
and session token the test used: none may appear. Also: --audit-log off writes nothing, and the
file rotates by size into private files."""
import json
import os
import re
import stat
import time
import urllib.parse

import pytest
from botocore.exceptions import ClientError

from conftest import KuraServer, ROOT_KEY, ROOT_SECRET

BUCKET = "audit-bucket"
USER = "audit-user"
ROLE = "audit-role"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
EVENT_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


@pytest.fixture
def kura(tmp_path_factory):
    d = tmp_path_factory.mktemp("kura-audit")
    server = KuraServer(str(d / "data"), extra_args=["--sts-min-duration", "2"]).start()
    yield server
    if server.proc:
        server.stop()


def records(kura):
    with open(kura.audit_path) as f:
        return [json.loads(line) for line in f]


def record_of(kura, response, seconds=10):
    """The record of the request boto3 got `response` for (written just after the answer)."""
    request_id = response["ResponseMetadata"]["RequestId"]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = [r for r in records(kura) if r["requestID"] == request_id]
        if found:
            assert len(found) == 1
            return found[0]
        time.sleep(0.05)
    raise AssertionError(f"no audit record for {request_id}")


def error_record(kura, error):
    return record_of(kura, error.value.response)


def common_fields(r, source, name, account):
    assert r["eventVersion"] == "1.09"
    assert EVENT_TIME.fullmatch(r["eventTime"]), r["eventTime"]
    assert r["eventSource"] == source
    assert r["eventName"] == name
    assert r["awsRegion"] == "us-east-1"
    assert r["sourceIPAddress"] == "127.0.0.1"
    assert "Boto3" in r["userAgent"] or "botocore" in r["userAgent"], r["userAgent"]
    assert UUID.fullmatch(r["eventID"]), r["eventID"]
    assert r["eventType"] == "AwsApiCall"
    assert r["recipientAccountId"] == account


def test_the_seed_flow_is_audited_field_by_field_and_no_secret_is_written(kura):
    root_iam = kura.client("iam")
    root_s3 = kura.client("s3")
    account = kura.client("sts").get_caller_identity()["Account"]
    root_s3.create_bucket(Bucket=BUCKET)
    root_s3.create_bucket(Bucket=BUCKET + "-other")

    # 1. CreateUser, by the root.
    created = root_iam.create_user(UserName=USER)
    r = record_of(kura, created)
    common_fields(r, "iam.amazonaws.com", "CreateUser", account)
    assert r["userIdentity"] == {"type": "Root", "principalId": account,
                                 "arn": f"arn:aws:iam::{account}:root", "accountId": account,
                                 "accessKeyId": ROOT_KEY}
    assert r["requestParameters"] == {"userName": USER}
    user = r["responseElements"]["user"]
    assert user["userName"] == USER and user["userId"] == created["User"]["UserId"]
    assert user["arn"] == f"arn:aws:iam::{account}:user/{USER}"
    assert r["readOnly"] is False and r["managementEvent"] is True
    assert r["eventCategory"] == "Management"
    assert "errorCode" not in r and "errorMessage" not in r

    # 2. CreateAccessKey: the key id in responseElements, never the secret.
    created_key = root_iam.create_access_key(UserName=USER)
    key = created_key["AccessKey"]
    r = record_of(kura, created_key)
    common_fields(r, "iam.amazonaws.com", "CreateAccessKey", account)
    assert r["requestParameters"] == {"userName": USER}
    assert r["responseElements"]["accessKey"]["accessKeyId"] == key["AccessKeyId"]
    assert r["responseElements"]["accessKey"]["status"] == "Active"
    assert "secretAccessKey" not in json.dumps(r).lower()

    # 3. CreateRole, trusted by the user, allowed to put into the bucket.
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:user/{USER}"},
        "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"]}]}
    created_role = root_iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(trust))
    role_arn = created_role["Role"]["Arn"]
    r = record_of(kura, created_role)
    common_fields(r, "iam.amazonaws.com", "CreateRole", account)
    assert r["requestParameters"] == {"roleName": ROLE}  # no policy document
    assert r["responseElements"]["role"]["arn"] == role_arn
    assert r["responseElements"]["role"]["roleId"] == created_role["Role"]["RoleId"]
    root_iam.put_role_policy(RoleName=ROLE, PolicyName="put", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObject",
                                                "Resource": f"arn:aws:s3:::{BUCKET}/*"}]}))
    root_iam.put_user_policy(UserName=USER, PolicyName="assume", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                                                "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"],
                                                "Resource": role_arn}]}))

    # 4. AssumeRole, by the user, for a short session.
    sts = kura.client("sts", key=key["AccessKeyId"], secret=key["SecretAccessKey"],
                      parameter_validation=False)
    assumed = sts.assume_role(RoleArn=role_arn, RoleSessionName="app", DurationSeconds=10,
                              SourceIdentity="carol")
    creds = assumed["Credentials"]
    r = record_of(kura, assumed)
    common_fields(r, "sts.amazonaws.com", "AssumeRole", account)
    assert r["userIdentity"] == {"type": "IAMUser", "principalId": created["User"]["UserId"],
                                 "arn": f"arn:aws:iam::{account}:user/{USER}",
                                 "accountId": account, "accessKeyId": key["AccessKeyId"],
                                 "userName": USER}
    assert r["requestParameters"] == {"roleArn": role_arn, "roleSessionName": "app",
                                      "durationSeconds": 10, "sourceIdentity": "carol"}
    elements = r["responseElements"]
    assert elements["credentials"]["accessKeyId"] == creds["AccessKeyId"]
    assert elements["credentials"]["expiration"] == creds["Expiration"].strftime("%Y-%m-%dT%H:%M:%SZ")
    assert set(elements["credentials"]) == {"accessKeyId", "expiration"}
    assert elements["assumedRoleUser"] == {
        "assumedRoleId": assumed["AssumedRoleUser"]["AssumedRoleId"],
        "arn": f"arn:aws:sts::{account}:assumed-role/{ROLE}/app"}
    assert elements["sourceIdentity"] == "carol"
    assert r["readOnly"] is True
    assert r["resources"] == [{"ARN": role_arn, "accountId": account, "type": "AWS::IAM::Role"}]

    # 5. PutObject with the session.
    session_s3 = kura.client("s3", key=creds["AccessKeyId"], secret=creds["SecretAccessKey"],
                             token=creds["SessionToken"])
    body = b"uploaded with a session\n"
    put = session_s3.put_object(Bucket=BUCKET, Key="dir/file.txt", Body=body)
    r = record_of(kura, put)
    common_fields(r, "s3.amazonaws.com", "PutObject", account)
    who = r["userIdentity"]
    assert who["type"] == "AssumedRole"
    assert who["principalId"] == assumed["AssumedRoleUser"]["AssumedRoleId"]
    assert who["arn"] == f"arn:aws:sts::{account}:assumed-role/{ROLE}/app"
    assert who["accountId"] == account
    assert who["accessKeyId"] == creds["AccessKeyId"]
    issuer = who["sessionContext"]["sessionIssuer"]
    assert issuer == {"type": "Role", "principalId": created_role["Role"]["RoleId"],
                      "arn": role_arn, "accountId": account, "userName": ROLE}
    attributes = who["sessionContext"]["attributes"]
    assert EVENT_TIME.fullmatch(attributes["creationDate"]) and attributes["mfaAuthenticated"] == "false"
    assert who["sessionContext"]["sourceIdentity"] == "carol"
    assert r["requestParameters"]["bucketName"] == BUCKET
    assert r["requestParameters"]["key"] == "dir/file.txt"
    assert r["requestParameters"]["Host"] == f"127.0.0.1:{kura.port}"
    extra = r["additionalEventData"]
    assert extra["bytesTransferredIn"] == len(body) and extra["bytesTransferredOut"] == 0
    assert extra["SignatureVersion"] == "SigV4" and extra["AuthenticationMethod"] == "AuthHeader"
    assert extra["x-amz-id-2"] == r["requestID"]
    assert r["resources"] == [
        {"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{BUCKET}/dir/file.txt"},
        {"accountId": account, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{BUCKET}"}]
    assert r["readOnly"] is False and r["managementEvent"] is False
    assert r["eventCategory"] == "Data"
    assert r["responseElements"] is None

    # 6. AccessDenied: the session may not put into the other bucket.
    with pytest.raises(ClientError) as denied:
        session_s3.put_object(Bucket=BUCKET + "-other", Key="x", Body=b"x")
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    r = error_record(kura, denied)
    common_fields(r, "s3.amazonaws.com", "PutObject", account)
    assert r["errorCode"] == "AccessDenied"
    assert r["errorMessage"] == denied.value.response["Error"]["Message"]
    assert r["userIdentity"]["arn"] == f"arn:aws:sts::{account}:assumed-role/{ROLE}/app"
    assert r["requestParameters"]["bucketName"] == BUCKET + "-other"

    # A GET's bytes out, with the root.
    got = root_s3.get_object(Bucket=BUCKET, Key="dir/file.txt")
    assert got["Body"].read() == body
    r = record_of(kura, got)
    assert r["additionalEventData"]["bytesTransferredOut"] == len(body)
    assert r["readOnly"] is True

    # 7. After the session expired: ExpiredToken, naming the key id it presented.
    time.sleep(max(0, creds["Expiration"].timestamp() - time.time()) + 1.1)
    with pytest.raises(ClientError) as expired:
        session_s3.put_object(Bucket=BUCKET, Key="late.txt", Body=b"late")
    assert expired.value.response["Error"]["Code"] == "ExpiredToken"
    r = error_record(kura, expired)
    common_fields(r, "s3.amazonaws.com", "PutObject", account)
    assert r["requestParameters"]["key"] == "late.txt"
    assert r["errorCode"] == "ExpiredToken"
    assert r["errorMessage"] == "The provided token has expired."
    assert r["userIdentity"] == {"type": "AWSAccount", "principalId": "", "accountId": "anonymous",
                                 "accessKeyId": creds["AccessKeyId"]}
    with pytest.raises(ClientError) as expired_sts:
        kura.client("sts", key=creds["AccessKeyId"], secret=creds["SecretAccessKey"],
                    token=creds["SessionToken"]).get_caller_identity()
    r = error_record(kura, expired_sts)
    common_fields(r, "sts.amazonaws.com", "GetCallerIdentity", account)
    assert r["errorCode"] == "ExpiredToken"

    # Every record is one JSON object per line, each with its own eventID.
    kura.stop()  # a clean stop: every record written
    all_records = records(kura)
    assert len({r["eventID"] for r in all_records}) == len(all_records)
    assert stat.S_IMODE(os.stat(kura.audit_path).st_mode) == 0o600

    # 8. No secret access key or session token anywhere in the audit file or kura's output.
    secrets = [ROOT_SECRET, key["SecretAccessKey"], creds["SecretAccessKey"], creds["SessionToken"]]
    texts = {"audit log": open(kura.audit_path).read(), "kura output": kura.output()}
    for name, text in texts.items():
        for secret in secrets:
            for form in {secret, urllib.parse.quote(secret, safe=""), json.dumps(secret)[1:-1]}:
                assert form not in text, f"a secret appears in the {name}"
        # Nor a recognisable piece of the token (its first 32 characters).
        assert creds["SessionToken"][:32] not in text, f"part of the session token is in the {name}"


def test_an_audit_log_that_is_off_writes_nothing(tmp_path_factory):
    d = tmp_path_factory.mktemp("kura-audit-off")
    server = KuraServer(str(d / "data"), extra_args=["--audit-log", "off"]).start()
    try:
        server.client("s3").create_bucket(Bucket="quiet")
        server.client("s3").put_object(Bucket="quiet", Key="k", Body=b"x")
    finally:
        server.stop()
    assert not os.path.exists(server.audit_path)
    assert '"eventVersion"' not in server.output()


def test_the_audit_log_rotates_by_size_into_private_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("kura-audit-rotate")
    server = KuraServer(str(d / "data"), extra_args=["--audit-log-max-size", "4KiB",
                                                     "--audit-log-max-files", "2"]).start()
    try:
        s3 = server.client("s3")
        s3.create_bucket(Bucket="rotating")
        for i in range(40):
            s3.put_object(Bucket="rotating", Key=f"k{i}", Body=b"x")
    finally:
        server.stop()
    paths = [server.audit_path, server.audit_path + ".1", server.audit_path + ".2"]
    for path in paths:
        assert os.path.exists(path), path
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
        assert os.path.getsize(path) <= 4096, path
        for line in open(path):
            json.loads(line)
    assert not os.path.exists(server.audit_path + ".3")
    # The newest records are in the current file: the last put is there. (Not necessarily as the
    # last line: a record is written after its answer is sent, so the previous request's record,
    # on another I/O thread, may land after it.)
    current = [json.loads(line) for line in open(server.audit_path)]
    assert any(r["eventName"] == "PutObject" and r["requestParameters"]["key"] == "k39" for r in current)


def test_a_request_over_tls_carries_tls_details(tmp_path_factory, tls_cert):
    d = tmp_path_factory.mktemp("kura-audit-tls")
    server = KuraServer(str(d / "data"), tls=tls_cert).start()
    try:
        created = server.client("s3", tls=True).create_bucket(Bucket="secure")
        plain = server.client("s3").head_bucket(Bucket="secure")
        r = record_of(server, created)
        assert r["tlsDetails"] == {"clientProvidedHostHeader": f"localhost:{server.port}"}
        assert r["eventName"] == "CreateBucket" and r["managementEvent"] is True
        assert "tlsDetails" not in record_of(server, plain)
    finally:
        server.stop()
