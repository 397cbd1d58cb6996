"""IAM with the aws CLI (v1 and v2), and IAM state surviving a restart."""
import json

import pytest

TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]})


@pytest.mark.parametrize("version", [1, 2])
def test_cli_manages_users_groups_roles_and_policies(kura, tmp_path, version):
    v = f"v{version}"
    def run(*args):
        out = kura.aws("iam", *args, version=version).stdout
        return json.loads(out) if out.strip() else {}
    doc = tmp_path / "p.json"
    doc.write_text(json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}))
    user = run("create-user", "--user-name", f"cli-{v}")["User"]
    assert user["UserId"].startswith("AIDA")
    policy = run("create-policy", "--policy-name", f"cli-{v}", "--policy-document", f"file://{doc}")["Policy"]
    run("attach-user-policy", "--user-name", f"cli-{v}", "--policy-arn", policy["Arn"])
    run("create-group", "--group-name", f"cli-{v}")
    run("add-user-to-group", "--group-name", f"cli-{v}", "--user-name", f"cli-{v}")
    groups = run("list-groups-for-user", "--user-name", f"cli-{v}")["Groups"]
    assert [g["GroupName"] for g in groups] == [f"cli-{v}"]
    run("put-user-policy", "--user-name", f"cli-{v}", "--policy-name", "inline", "--policy-document", f"file://{doc}")
    got = run("get-user-policy", "--user-name", f"cli-{v}", "--policy-name", "inline")
    assert got["PolicyDocument"]["Statement"][0]["Action"] == "s3:GetObject"
    role = run("create-role", "--role-name", f"cli-{v}", "--assume-role-policy-document", TRUST)["Role"]
    assert role["RoleId"].startswith("AROA")
    run("update-role", "--role-name", f"cli-{v}", "--max-session-duration", "7200")
    assert run("get-role", "--role-name", f"cli-{v}")["Role"]["MaxSessionDuration"] == 7200
    sim = run("simulate-principal-policy", "--policy-source-arn", user["Arn"],
              "--action-names", "s3:GetObject", "s3:PutObject")["EvaluationResults"]
    assert [r["EvalDecision"] for r in sim] == ["allowed", "implicitDeny"]
    details = run("get-account-authorization-details")
    assert any(u["UserName"] == f"cli-{v}" for u in details["UserDetailList"])
    assert any(u["UserName"] == f"cli-{v}" for u in run("list-users")["Users"])
    failed = kura.aws("iam", "delete-user", "--user-name", f"cli-{v}", version=version, check=False)
    assert failed.returncode != 0 and "DeleteConflict" in failed.stderr


def test_iam_state_survives_a_restart(fresh_kura, tmp_path):
    iam = fresh_kura.client("iam")
    iam.create_user(UserName="durable", Path="/keep/")
    key = iam.create_access_key(UserName="durable")["AccessKey"]
    arn = iam.create_policy(PolicyName="durable", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets",
                                                "Resource": "*"}]}))["Policy"]["Arn"]
    iam.attach_user_policy(UserName="durable", PolicyArn=arn)
    iam.create_role(RoleName="durable", AssumeRolePolicyDocument=TRUST)
    fresh_kura.stop()
    fresh_kura.start()
    iam = fresh_kura.client("iam")
    assert iam.get_user(UserName="durable")["User"]["Path"] == "/keep/"
    assert iam.get_role(RoleName="durable")["Role"]["AssumeRolePolicyDocument"] == json.loads(TRUST)
    s3 = fresh_kura.client("s3", key=key["AccessKeyId"], secret=key["SecretAccessKey"])
    s3.list_buckets()  # the key and its attached policy came back


def test_killed_server_keeps_acknowledged_iam_writes(fresh_kura):
    iam = fresh_kura.client("iam")
    iam.create_user(UserName="acked")
    fresh_kura.kill()
    fresh_kura.start()
    assert fresh_kura.client("iam").get_user(UserName="acked")["User"]["UserName"] == "acked"
