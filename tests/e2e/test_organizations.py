"""The AWS Organizations API with boto3 and the aws CLI (v1 and v2): CreateAccount and its
status (also after a restart), ListAccounts / DescribeAccount / DescribeOrganization / ListRoots,
the new account's root key and OrganizationAccountAccessRole, who may call it (the management
account's root; its IAM users only with permission; never another account), CloseAccount, and
the model's errors."""
import json
import os
import re
import stat

import pytest
from botocore.exceptions import ClientError

from accounts import account_email, create_account, root_credentials


def error(call):
    """The error's Code and Message, and its modeled members (Reason), which botocore puts
    beside "Error" in the response."""
    with pytest.raises(ClientError) as e:
        call()
    response = e.value.response
    return dict(response["Error"], **{k: v for k, v in response.items()
                                      if k not in ("Error", "ResponseMetadata")})


def management_id(kura):
    return kura.client("sts").get_caller_identity()["Account"]


def org_as(kura, key, secret, token=None):
    return kura.client("organizations", key=key, secret=secret, token=token,
                       parameter_validation=False)


def test_create_account_answers_its_status_and_the_root_key_works(kura):
    org = kura.client("organizations")
    email = account_email("alpha")
    status = org.create_account(AccountName="alpha", Email=email)["CreateAccountStatus"]
    assert status["State"] == "SUCCEEDED"
    assert re.fullmatch(r"car-[a-z0-9]{32}", status["Id"])
    assert re.fullmatch(r"\d{12}", status["AccountId"])
    assert status["AccountName"] == "alpha"
    assert status["CompletedTimestamp"] >= status["RequestedTimestamp"]
    again = org.describe_create_account_status(CreateAccountRequestId=status["Id"])
    assert again["CreateAccountStatus"] == status
    listed = org.list_create_account_status(States=["SUCCEEDED"])["CreateAccountStatuses"]
    assert status["Id"] in [s["Id"] for s in listed]

    path = os.path.join(kura.data_dir, "accounts", status["AccountId"], "root-credentials")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    key, secret = root_credentials(kura, status["AccountId"])
    assert key.startswith("AKIA") and len(key) == 20 and len(secret) == 40
    me = kura.client("sts", key=key, secret=secret).get_caller_identity()
    assert me["Account"] == status["AccountId"]
    assert me["Arn"] == f"arn:aws:iam::{status['AccountId']}:root"


def test_list_and_describe_accounts(kura):
    mgmt = management_id(kura)
    a, _, _ = create_account(kura, "list-a")
    b, _, _ = create_account(kura, "list-b")
    org = kura.client("organizations")
    accounts = [acct for page in org.get_paginator("list_accounts").paginate(PaginationConfig={"PageSize": 1})
                for acct in page["Accounts"]]
    by_id = {acct["Id"]: acct for acct in accounts}
    assert len(by_id) == len(accounts) and {mgmt, a, b} <= set(by_id)
    organization = org.describe_organization()["Organization"]
    assert re.fullmatch(r"o-[a-z0-9]{10}", organization["Id"])
    assert organization["MasterAccountId"] == mgmt and organization["FeatureSet"] == "ALL"
    assert by_id[mgmt]["JoinedMethod"] == "INVITED"
    assert by_id[a]["JoinedMethod"] == "CREATED" and by_id[a]["Status"] == "ACTIVE"
    assert by_id[a]["Name"] == "list-a"
    assert by_id[a]["Arn"] == f"arn:aws:organizations::{mgmt}:account/{organization['Id']}/{a}"
    described = org.describe_account(AccountId=b)["Account"]
    assert described["Id"] == b and described["Name"] == "list-b" and described["Email"].startswith("list-b-")
    roots = org.list_roots()["Roots"]
    assert len(roots) == 1 and re.fullmatch(r"r-[0-9a-z]{4}", roots[0]["Id"])
    assert roots[0]["Arn"].startswith(f"arn:aws:organizations::{mgmt}:root/{organization['Id']}/")


def management_admin(kura, name):
    """An IAM user of the management account allowed to assume roles (AWS refuses AssumeRole to
    root users: "Roles may not be assumed by root accounts")."""
    iam = kura.client("iam")
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="assume", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}))
    k = iam.create_access_key(UserName=name)["AccessKey"]
    return kura.client("sts", key=k["AccessKeyId"], secret=k["SecretAccessKey"])


def test_the_management_account_assumes_organization_account_access_role(kura):
    account, _, _ = create_account(kura, "assumed")
    creds = management_admin(kura, "org-admin").assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole",
        RoleSessionName="admin")["Credentials"]
    session = dict(key=creds["AccessKeyId"], secret=creds["SecretAccessKey"], token=creds["SessionToken"])
    me = kura.client("sts", **session).get_caller_identity()
    assert me["Account"] == account
    assert me["Arn"] == f"arn:aws:sts::{account}:assumed-role/OrganizationAccountAccessRole/admin"
    # AdministratorAccess: the session administers the new account.
    kura.client("iam", **session).create_user(UserName="made-by-the-management-account")
    role = kura.client("iam", **session).get_role(RoleName="OrganizationAccountAccessRole")["Role"]
    trust = role["AssumeRolePolicyDocument"]
    trust = json.loads(trust) if isinstance(trust, str) else trust
    assert trust["Statement"][0]["Principal"]["AWS"] == f"arn:aws:iam::{management_id(kura)}:root"


def test_custom_role_name(kura):
    org = kura.client("organizations")
    status = org.create_account(AccountName="custom-role", Email=account_email("custom-role"),
                                RoleName="Admins")["CreateAccountStatus"]
    account = status["AccountId"]
    sts = management_admin(kura, "custom-role-admin")
    sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/Admins", RoleSessionName="custom")
    err = error(lambda: sts.assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="default"))
    assert err["Code"] == "AccessDenied"


def test_a_member_account_cannot_administer_the_organization(kura):
    account, key, secret = create_account(kura, "member")
    org = org_as(kura, key, secret)
    for call in (org.list_accounts, lambda: org.describe_account(AccountId=account),
                 lambda: org.create_account(AccountName="x", Email=account_email("x")),
                 lambda: org.close_account(AccountId=account)):
        err = error(call)
        assert err["Code"] == "AccessDeniedException"
        assert err["Message"] == "You don't have permissions to access this resource."
    # Every member may read the organization it belongs to.
    assert org.describe_organization()["Organization"]["MasterAccountId"] == management_id(kura)


def test_management_iam_users_need_permission(kura):
    iam = kura.client("iam")
    iam.create_user(UserName="org-reader")
    k = iam.create_access_key(UserName="org-reader")["AccessKey"]
    org = org_as(kura, k["AccessKeyId"], k["SecretAccessKey"])
    assert error(org.list_accounts)["Code"] == "AccessDeniedException"
    iam.put_user_policy(UserName="org-reader", PolicyName="read", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["organizations:List*", "organizations:Describe*"],
                       "Resource": "*"}]}))
    assert management_id(kura) in [a["Id"] for a in org.list_accounts()["Accounts"]]
    err = error(lambda: org.create_account(AccountName="nope", Email=account_email("nope")))
    assert err["Code"] == "AccessDeniedException"
    assert "organizations:CreateAccount" in err["Message"]


def test_close_account(kura):
    account, key, secret = create_account(kura, "closing")
    org = kura.client("organizations")
    org.close_account(AccountId=account)
    described = org.describe_account(AccountId=account)["Account"]
    assert described["Status"] == "SUSPENDED"
    assert error(lambda: kura.client("sts", key=key, secret=secret).get_caller_identity())["Code"] == \
        "InvalidClientTokenId"
    assert error(lambda: kura.client("s3", key=key, secret=secret).list_buckets())["Code"] == \
        "InvalidAccessKeyId"
    assert error(lambda: org.close_account(AccountId=account))["Code"] == "AccountAlreadyClosedException"
    err = error(lambda: org.close_account(AccountId=management_id(kura)))
    assert err["Code"] == "ConstraintViolationException"
    assert err["Reason"] == "CANNOT_CLOSE_MANAGEMENT_ACCOUNT"


def test_an_email_is_used_once(kura):
    org = kura.client("organizations")
    email = account_email("twice")
    assert org.create_account(AccountName="one", Email=email)["CreateAccountStatus"]["State"] == "SUCCEEDED"
    second = org.create_account(AccountName="two", Email=email.upper())["CreateAccountStatus"]
    assert second["State"] == "FAILED" and second["FailureReason"] == "EMAIL_ALREADY_EXISTS"
    assert "AccountId" not in second
    failed = org.describe_create_account_status(CreateAccountRequestId=second["Id"])
    assert failed["CreateAccountStatus"]["FailureReason"] == "EMAIL_ALREADY_EXISTS"


def test_the_models_errors(kura):
    org = kura.client("organizations", parameter_validation=False)
    err = error(lambda: org.create_account(AccountName="bad", Email="not-an-address"))
    assert (err["Code"], err["Reason"]) == ("InvalidInputException", "INVALID_PATTERN")
    err = error(lambda: org.create_account(Email=account_email("noname")))
    assert (err["Code"], err["Reason"]) == ("InvalidInputException", "INPUT_REQUIRED")
    err = error(lambda: org.create_account(AccountName="x" * 51, Email=account_email("long")))
    assert (err["Code"], err["Reason"]) == ("InvalidInputException", "MAX_LENGTH_EXCEEDED")
    err = error(lambda: org.create_account(AccountName="tagged", Email=account_email("tagged"),
                                           Tags=[{"Key": "k", "Value": "v"}]))
    assert err["Code"] == "ConstraintViolationException"
    err = error(lambda: org.describe_create_account_status(CreateAccountRequestId="car-0123456789abcdef"))
    assert err["Code"] == "CreateAccountStatusNotFoundException"
    assert error(lambda: org.describe_account(AccountId="000000000000"))["Code"] == "AccountNotFoundException"
    err = error(lambda: org.list_accounts(MaxResults=21))
    assert (err["Code"], err["Reason"]) == ("InvalidInputException", "MAX_VALUE_EXCEEDED")
    err = error(lambda: org.list_accounts(NextToken="garbage"))
    assert (err["Code"], err["Reason"]) == ("InvalidInputException", "INVALID_NEXT_TOKEN")
    err = error(lambda: org.create_organizational_unit(ParentId="r-abcd", Name="ou"))
    assert err["Code"] == "UnsupportedAPIEndpointException"


def test_statuses_and_accounts_survive_a_restart(fresh_kura):
    org = fresh_kura.client("organizations")
    status = org.create_account(AccountName="durable", Email=account_email("durable"))["CreateAccountStatus"]
    key, secret = root_credentials(fresh_kura, status["AccountId"])
    fresh_kura.stop()
    fresh_kura.start()
    org = fresh_kura.client("organizations")
    again = org.describe_create_account_status(CreateAccountRequestId=status["Id"])["CreateAccountStatus"]
    assert again == status
    assert org.describe_account(AccountId=status["AccountId"])["Account"]["Name"] == "durable"
    me = fresh_kura.client("sts", key=key, secret=secret).get_caller_identity()
    assert me["Account"] == status["AccountId"]


@pytest.mark.parametrize("version", [1, 2])
def test_aws_cli(kura, version):
    email = account_email(f"cli{version}")
    out = kura.aws("organizations", "create-account", "--email", email, "--account-name",
                   f"cli-v{version}", "--output", "json", version=version)
    status = json.loads(out.stdout)["CreateAccountStatus"]
    assert status["State"] == "SUCCEEDED"
    out = kura.aws("organizations", "describe-create-account-status", "--create-account-request-id",
                   status["Id"], "--output", "json", version=version)
    assert json.loads(out.stdout)["CreateAccountStatus"]["AccountId"] == status["AccountId"]
    out = kura.aws("organizations", "list-accounts", "--output", "json", version=version)
    assert status["AccountId"] in [a["Id"] for a in json.loads(out.stdout)["Accounts"]]
    out = kura.aws("organizations", "describe-account", "--account-id", status["AccountId"],
                   "--query", "Account.Email", "--output", "text", version=version)
    assert out.stdout.strip() == email
    out = kura.aws("organizations", "describe-organization", "--query", "Organization.Id",
                   "--output", "text", version=version)
    assert out.stdout.strip().startswith("o-")
    kura.aws("organizations", "close-account", "--account-id", status["AccountId"], version=version)
    out = kura.aws("organizations", "close-account", "--account-id", status["AccountId"],
                   version=version, check=False)
    assert out.returncode != 0 and "AccountAlreadyClosedException" in out.stderr
