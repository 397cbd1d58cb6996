"""IAM Query API end to end with boto3: every operation family, AWS's shapes, errors and
pagination."""
import json
import urllib.parse

import botocore.exceptions
import pytest

ALLOW_S3 = json.dumps({"Version": "2012-10-17",
                       "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})
ALLOW_GET = json.dumps({"Version": "2012-10-17",
                        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]})
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]})


@pytest.fixture(scope="module")
def iam(kura):
    return kura.client("iam")


def code_of(excinfo):
    return excinfo.value.response["Error"]["Code"]


def message_of(excinfo):
    return excinfo.value.response["Error"]["Message"]


def test_users_create_get_list_update_delete(iam):
    created = iam.create_user(UserName="u-crud", Path="/team/", Tags=[{"Key": "k", "Value": "v"}])["User"]
    assert created["UserId"].startswith("AIDA") and len(created["UserId"]) == 20
    assert created["Arn"].endswith(":user/team/u-crud")
    assert created["Arn"].startswith("arn:aws:iam::")
    got = iam.get_user(UserName="u-crud")["User"]
    assert got["UserId"] == created["UserId"] and got["Tags"] == [{"Key": "k", "Value": "v"}]
    assert any(u["UserName"] == "u-crud" for u in iam.list_users(PathPrefix="/team/")["Users"])
    assert not any(u["UserName"] == "u-crud" for u in iam.list_users(PathPrefix="/other/")["Users"])
    iam.update_user(UserName="u-crud", NewUserName="u-crud2", NewPath="/moved/")
    assert iam.get_user(UserName="u-crud2")["User"]["Arn"].endswith(":user/moved/u-crud2")
    iam.delete_user(UserName="u-crud2")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.get_user(UserName="u-crud2")
    assert code_of(e) == "NoSuchEntity"
    assert message_of(e) == "The user with name u-crud2 cannot be found."
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_duplicate_user_names_conflict_case_insensitively(iam):
    iam.create_user(UserName="Dup")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.create_user(UserName="dup")
    assert code_of(e) == "EntityAlreadyExists"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409


def test_invalid_names_and_paths_are_validation_errors(iam):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.create_user(UserName="bad/name")
    assert code_of(e) == "ValidationError"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.create_user(UserName="pathless", Path="nope")
    assert code_of(e) == "ValidationError"


def test_get_user_without_name_answers_for_the_caller(iam):
    user = iam.get_user()["User"]
    assert user["Arn"].endswith(":root")


def test_list_users_paginates_with_marker(iam):
    for i in range(5):
        iam.create_user(UserName=f"page-{i}", Path="/paging/")
    first = iam.list_users(PathPrefix="/paging/", MaxItems=2)
    assert first["IsTruncated"] and len(first["Users"]) == 2 and first["Marker"]
    names = [u["UserName"] for u in first["Users"]]
    marker = first["Marker"]
    while marker:
        page = iam.list_users(PathPrefix="/paging/", MaxItems=2, Marker=marker)
        names += [u["UserName"] for u in page["Users"]]
        marker = page.get("Marker") if page["IsTruncated"] else None
    assert names == [f"page-{i}" for i in range(5)]
    paginated = [u["UserName"] for p in iam.get_paginator("list_users").paginate(
        PathPrefix="/paging/", PaginationConfig={"PageSize": 3}) for u in p["Users"]]
    assert paginated == names


def test_access_keys_lifecycle_and_limit(iam):
    iam.create_user(UserName="keys")
    k1 = iam.create_access_key(UserName="keys")["AccessKey"]
    assert k1["AccessKeyId"].startswith("AKIA") and len(k1["AccessKeyId"]) == 20
    assert len(k1["SecretAccessKey"]) == 40 and k1["Status"] == "Active"
    iam.create_access_key(UserName="keys")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.create_access_key(UserName="keys")
    assert code_of(e) == "LimitExceeded"
    listed = iam.list_access_keys(UserName="keys")["AccessKeyMetadata"]
    assert len(listed) == 2 and all("SecretAccessKey" not in k for k in listed)
    iam.update_access_key(UserName="keys", AccessKeyId=k1["AccessKeyId"], Status="Inactive")
    statuses = {k["AccessKeyId"]: k["Status"] for k in iam.list_access_keys(UserName="keys")["AccessKeyMetadata"]}
    assert statuses[k1["AccessKeyId"]] == "Inactive"
    last = iam.get_access_key_last_used(AccessKeyId=k1["AccessKeyId"])
    assert last["UserName"] == "keys" and "LastUsedDate" not in last["AccessKeyLastUsed"]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.delete_user(UserName="keys")
    assert code_of(e) == "DeleteConflict"
    for k in iam.list_access_keys(UserName="keys")["AccessKeyMetadata"]:
        iam.delete_access_key(UserName="keys", AccessKeyId=k["AccessKeyId"])
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.delete_access_key(UserName="keys", AccessKeyId=k1["AccessKeyId"])
    assert code_of(e) == "NoSuchEntity"
    iam.delete_user(UserName="keys")


def test_managed_policies_and_versions(iam):
    p = iam.create_policy(PolicyName="pv", PolicyDocument=ALLOW_S3, Description="d")["Policy"]
    assert p["PolicyId"].startswith("ANPA") and p["DefaultVersionId"] == "v1"
    assert p["Arn"].endswith(":policy/pv") and p["AttachmentCount"] == 0
    arn = p["Arn"]
    assert iam.get_policy(PolicyArn=arn)["Policy"]["Description"] == "d"
    v1 = iam.get_policy_version(PolicyArn=arn, VersionId="v1")["PolicyVersion"]
    assert v1["Document"] == json.loads(ALLOW_S3) and v1["IsDefaultVersion"]
    for i in range(4):
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=ALLOW_GET, SetAsDefault=(i == 3))
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=ALLOW_GET)
    assert code_of(e) == "LimitExceeded"
    versions = iam.list_policy_versions(PolicyArn=arn)["Versions"]
    assert [v["VersionId"] for v in versions] == ["v5", "v4", "v3", "v2", "v1"]
    assert iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v5"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.delete_policy_version(PolicyArn=arn, VersionId="v5")
    assert code_of(e) == "DeleteConflict"
    iam.set_default_policy_version(PolicyArn=arn, VersionId="v1")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.delete_policy(PolicyArn=arn)
    assert code_of(e) == "DeleteConflict"
    for v in ["v2", "v3", "v4", "v5"]:
        iam.delete_policy_version(PolicyArn=arn, VersionId=v)
    assert any(x["Arn"] == arn for x in iam.list_policies(Scope="Local")["Policies"])
    assert iam.list_policies(Scope="AWS")["Policies"] == []
    iam.delete_policy(PolicyArn=arn)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.get_policy(PolicyArn=arn)
    assert code_of(e) == "NoSuchEntity"


def test_malformed_policy_documents_say_what_is_wrong(iam):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.create_policy(PolicyName="bad", PolicyDocument="{not json")
    assert code_of(e) == "MalformedPolicyDocument"
    assert message_of(e)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.create_policy(PolicyName="bad2", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
                                                    "Action": "s3:*", "Resource": "*"}]}))
    assert code_of(e) == "MalformedPolicyDocument"
    assert "principal" in message_of(e).lower()
    big = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::" + "x" * 7000}]})
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.create_policy(PolicyName="big", PolicyDocument=big)
    assert code_of(e) == "LimitExceeded"


def test_attachments_for_users_groups_and_roles(iam):
    arn = iam.create_policy(PolicyName="att", PolicyDocument=ALLOW_S3)["Policy"]["Arn"]
    iam.create_user(UserName="att-user")
    iam.create_group(GroupName="att-group")
    iam.create_role(RoleName="att-role", AssumeRolePolicyDocument=TRUST)
    iam.attach_user_policy(UserName="att-user", PolicyArn=arn)
    iam.attach_user_policy(UserName="att-user", PolicyArn=arn)  # idempotent
    iam.attach_group_policy(GroupName="att-group", PolicyArn=arn)
    iam.attach_role_policy(RoleName="att-role", PolicyArn=arn)
    assert iam.list_attached_user_policies(UserName="att-user")["AttachedPolicies"] == [
        {"PolicyName": "att", "PolicyArn": arn}]
    assert len(iam.list_attached_group_policies(GroupName="att-group")["AttachedPolicies"]) == 1
    assert len(iam.list_attached_role_policies(RoleName="att-role")["AttachedPolicies"]) == 1
    assert iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"] == 3
    entities = iam.list_entities_for_policy(PolicyArn=arn)
    assert [u["UserName"] for u in entities["PolicyUsers"]] == ["att-user"]
    assert [g["GroupName"] for g in entities["PolicyGroups"]] == ["att-group"]
    assert [r["RoleName"] for r in entities["PolicyRoles"]] == ["att-role"]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.delete_user(UserName="att-user")
    assert code_of(e) == "DeleteConflict"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.attach_user_policy(UserName="att-user", PolicyArn=arn + "-missing")
    assert code_of(e) == "NoSuchEntity"
    iam.detach_user_policy(UserName="att-user", PolicyArn=arn)
    iam.detach_group_policy(GroupName="att-group", PolicyArn=arn)
    iam.detach_role_policy(RoleName="att-role", PolicyArn=arn)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.detach_role_policy(RoleName="att-role", PolicyArn=arn)
    assert code_of(e) == "NoSuchEntity"
    iam.delete_policy(PolicyArn=arn)


def test_inline_policies_for_users_groups_and_roles(iam):
    iam.create_user(UserName="inl-user")
    iam.create_group(GroupName="inl-group")
    iam.create_role(RoleName="inl-role", AssumeRolePolicyDocument=TRUST)
    iam.put_user_policy(UserName="inl-user", PolicyName="p", PolicyDocument=ALLOW_S3)
    iam.put_group_policy(GroupName="inl-group", PolicyName="p", PolicyDocument=ALLOW_S3)
    iam.put_role_policy(RoleName="inl-role", PolicyName="p", PolicyDocument=ALLOW_S3)
    got = iam.get_user_policy(UserName="inl-user", PolicyName="p")
    assert got["PolicyDocument"] == json.loads(ALLOW_S3) and got["UserName"] == "inl-user"
    assert iam.get_group_policy(GroupName="inl-group", PolicyName="p")["GroupName"] == "inl-group"
    assert iam.get_role_policy(RoleName="inl-role", PolicyName="p")["PolicyDocument"] == json.loads(ALLOW_S3)
    assert iam.list_user_policies(UserName="inl-user")["PolicyNames"] == ["p"]
    assert iam.list_group_policies(GroupName="inl-group")["PolicyNames"] == ["p"]
    assert iam.list_role_policies(RoleName="inl-role")["PolicyNames"] == ["p"]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.delete_role(RoleName="inl-role")
    assert code_of(e) == "DeleteConflict"
    iam.delete_user_policy(UserName="inl-user", PolicyName="p")
    iam.delete_group_policy(GroupName="inl-group", PolicyName="p")
    iam.delete_role_policy(RoleName="inl-role", PolicyName="p")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.get_user_policy(UserName="inl-user", PolicyName="p")
    assert code_of(e) == "NoSuchEntity"
    assert message_of(e) == "The user policy with name p cannot be found."
    iam.delete_role(RoleName="inl-role")
    iam.delete_group(GroupName="inl-group")
    iam.delete_user(UserName="inl-user")


def test_inline_user_policy_size_is_limited(iam):
    iam.create_user(UserName="inl-big")
    big = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::" + "x" * 2100}]})
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.put_user_policy(UserName="inl-big", PolicyName="p", PolicyDocument=big)
    assert code_of(e) == "LimitExceeded"


def test_groups_membership(iam):
    g = iam.create_group(GroupName="grp", Path="/g/")["Group"]
    assert g["GroupId"].startswith("AGPA") and g["Arn"].endswith(":group/g/grp")
    iam.create_user(UserName="member")
    iam.add_user_to_group(GroupName="grp", UserName="member")
    got = iam.get_group(GroupName="grp")
    assert [u["UserName"] for u in got["Users"]] == ["member"]
    assert [x["GroupName"] for x in iam.list_groups_for_user(UserName="member")["Groups"]] == ["grp"]
    assert any(x["GroupName"] == "grp" for x in iam.list_groups()["Groups"])
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.delete_group(GroupName="grp")
    assert code_of(e) == "DeleteConflict"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.delete_user(UserName="member")
    assert code_of(e) == "DeleteConflict"
    iam.remove_user_from_group(GroupName="grp", UserName="member")
    iam.delete_group(GroupName="grp")
    iam.delete_user(UserName="member")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.get_group(GroupName="grp")
    assert code_of(e) == "NoSuchEntity"


def test_roles_create_get_list_update_delete(kura, iam):
    role = iam.create_role(RoleName="app-role", Path="/svc/", AssumeRolePolicyDocument=TRUST,
                           Description="app", MaxSessionDuration=7200,
                           Tags=[{"Key": "env", "Value": "test"}])["Role"]
    assert role["RoleId"].startswith("AROA") and role["Arn"].endswith(":role/svc/app-role")
    assert role["AssumeRolePolicyDocument"] == json.loads(TRUST)
    got = iam.get_role(RoleName="app-role")["Role"]
    assert got["MaxSessionDuration"] == 7200 and got["Description"] == "app"
    assert got["Tags"] == [{"Key": "env", "Value": "test"}]
    assert any(r["RoleName"] == "app-role" for r in iam.list_roles(PathPrefix="/svc/")["Roles"])
    iam.update_role(RoleName="app-role", Description="new", MaxSessionDuration=43200)
    got = iam.get_role(RoleName="app-role")["Role"]
    assert got["Description"] == "new" and got["MaxSessionDuration"] == 43200
    unvalidated = kura.client("iam", parameter_validation=False)
    for bad in (3599, 43201):
        with pytest.raises(botocore.exceptions.ClientError) as e:
            unvalidated.update_role(RoleName="app-role", MaxSessionDuration=bad)
        assert code_of(e) == "ValidationError"
    assert iam.update_role_description(RoleName="app-role", Description="d2")["Role"]["Description"] == "d2"
    new_trust = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
    iam.update_assume_role_policy(RoleName="app-role", PolicyDocument=new_trust)
    assert iam.get_role(RoleName="app-role")["Role"]["AssumeRolePolicyDocument"] == json.loads(new_trust)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.update_assume_role_policy(RoleName="app-role", PolicyDocument=ALLOW_S3)
    assert code_of(e) == "MalformedPolicyDocument"
    iam.delete_role(RoleName="app-role")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.get_role(RoleName="app-role")
    assert code_of(e) == "NoSuchEntity"
    assert message_of(e) == "The role with name app-role cannot be found."


def test_role_needs_a_trust_policy_with_a_principal(iam):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.create_role(RoleName="no-principal", AssumeRolePolicyDocument=ALLOW_S3)
    assert code_of(e) == "MalformedPolicyDocument"


def test_permissions_boundaries_for_users_and_roles(iam):
    arn = iam.create_policy(PolicyName="pb", PolicyDocument=ALLOW_GET)["Policy"]["Arn"]
    iam.create_user(UserName="pb-user")
    iam.create_role(RoleName="pb-role", AssumeRolePolicyDocument=TRUST)
    iam.put_user_permissions_boundary(UserName="pb-user", PermissionsBoundary=arn)
    iam.put_role_permissions_boundary(RoleName="pb-role", PermissionsBoundary=arn)
    assert iam.get_user(UserName="pb-user")["User"]["PermissionsBoundary"] == {
        "PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": arn}
    assert iam.get_role(RoleName="pb-role")["Role"]["PermissionsBoundary"]["PermissionsBoundaryArn"] == arn
    assert iam.get_policy(PolicyArn=arn)["Policy"]["PermissionsBoundaryUsageCount"] == 2
    iam.delete_user_permissions_boundary(UserName="pb-user")
    iam.delete_role_permissions_boundary(RoleName="pb-role")
    assert "PermissionsBoundary" not in iam.get_user(UserName="pb-user")["User"]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.put_user_permissions_boundary(UserName="pb-user", PermissionsBoundary=arn + "x")
    assert code_of(e) == "NoSuchEntity"


def test_tags_on_users_roles_and_policies(iam):
    iam.create_user(UserName="tagged")
    iam.create_role(RoleName="tagged-role", AssumeRolePolicyDocument=TRUST)
    arn = iam.create_policy(PolicyName="tagged-pol", PolicyDocument=ALLOW_GET)["Policy"]["Arn"]
    iam.tag_user(UserName="tagged", Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    iam.tag_user(UserName="tagged", Tags=[{"Key": "a", "Value": "3"}])
    assert sorted((t["Key"], t["Value"]) for t in iam.list_user_tags(UserName="tagged")["Tags"]) == [
        ("a", "3"), ("b", "2")]
    iam.untag_user(UserName="tagged", TagKeys=["a"])
    assert iam.list_user_tags(UserName="tagged")["Tags"] == [{"Key": "b", "Value": "2"}]
    iam.tag_role(RoleName="tagged-role", Tags=[{"Key": "r", "Value": "1"}])
    assert iam.list_role_tags(RoleName="tagged-role")["Tags"] == [{"Key": "r", "Value": "1"}]
    iam.untag_role(RoleName="tagged-role", TagKeys=["r"])
    assert iam.list_role_tags(RoleName="tagged-role")["Tags"] == []
    iam.tag_policy(PolicyArn=arn, Tags=[{"Key": "p", "Value": "1"}])
    assert iam.list_policy_tags(PolicyArn=arn)["Tags"] == [{"Key": "p", "Value": "1"}]
    iam.untag_policy(PolicyArn=arn, TagKeys=["p"])
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.tag_user(UserName="tagged", Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(51)])
    assert code_of(e) == "LimitExceeded"


def test_account_authorization_details(iam):
    iam.create_user(UserName="details-user")
    iam.put_user_policy(UserName="details-user", PolicyName="inline", PolicyDocument=ALLOW_S3)
    iam.create_role(RoleName="details-role", AssumeRolePolicyDocument=TRUST)
    arn = iam.create_policy(PolicyName="details-pol", PolicyDocument=ALLOW_GET)["Policy"]["Arn"]
    iam.attach_role_policy(RoleName="details-role", PolicyArn=arn)
    details = iam.get_account_authorization_details()
    user = next(u for u in details["UserDetailList"] if u["UserName"] == "details-user")
    assert user["UserPolicyList"][0]["PolicyDocument"] == json.loads(ALLOW_S3)
    role = next(r for r in details["RoleDetailList"] if r["RoleName"] == "details-role")
    assert role["AttachedManagedPolicies"] == [{"PolicyName": "details-pol", "PolicyArn": arn}]
    assert role["AssumeRolePolicyDocument"] == json.loads(TRUST)
    pol = next(p for p in details["Policies"] if p["Arn"] == arn)
    assert pol["PolicyVersionList"][0]["Document"] == json.loads(ALLOW_GET)
    only_roles = iam.get_account_authorization_details(Filter=["Role"])
    assert "UserDetailList" not in only_roles or only_roles["UserDetailList"] == []


def test_simulate_principal_and_custom_policy(iam):
    iam.create_user(UserName="sim")
    iam.put_user_policy(UserName="sim", PolicyName="get", PolicyDocument=ALLOW_GET)
    iam.put_user_policy(UserName="sim", PolicyName="deny", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}]}))
    arn = iam.get_user(UserName="sim")["User"]["Arn"]
    results = iam.simulate_principal_policy(
        PolicySourceArn=arn, ActionNames=["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        ResourceArns=["arn:aws:s3:::b/k"])["EvaluationResults"]
    decisions = {r["EvalActionName"]: r["EvalDecision"] for r in results}
    assert decisions == {"s3:GetObject": "allowed", "s3:PutObject": "implicitDeny",
                         "s3:DeleteObject": "explicitDeny"}
    get = next(r for r in results if r["EvalActionName"] == "s3:GetObject")
    assert get["MatchedStatements"][0]["SourcePolicyId"].endswith("get")
    custom = iam.simulate_custom_policy(PolicyInputList=[ALLOW_GET], ActionNames=["s3:GetObject", "s3:PutObject"])
    assert [r["EvalDecision"] for r in custom["EvaluationResults"]] == ["allowed", "implicitDeny"]


def test_policy_documents_come_back_url_encoded_on_the_wire(kura, iam):
    """botocore decodes them; check the raw XML holds the URL-encoded JSON as AWS sends it."""
    iam.create_user(UserName="raw")
    iam.put_user_policy(UserName="raw", PolicyName="p", PolicyDocument=ALLOW_GET)
    captured = {}
    client = kura.client("iam")
    client.meta.events.register("after-call.iam.GetUserPolicy", lambda **kw: captured.setdefault(
        "body", kw["http_response"].text))
    client.get_user_policy(UserName="raw", PolicyName="p")
    body = captured["body"]
    assert "<PolicyDocument>%7B%22Version%22" in body
    start = body.index("<PolicyDocument>") + len("<PolicyDocument>")
    encoded = body[start:body.index("</PolicyDocument>")]
    assert json.loads(urllib.parse.unquote(encoded)) == json.loads(ALLOW_GET)
