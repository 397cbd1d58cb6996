"""The S3 ACL API and Object Ownership with boto3 and the aws CLI: canned ACLs, grant headers
and AccessControlPolicy bodies on every write that takes them, read back exactly with
GetBucketAcl/GetObjectAcl (Owner, DisplayName, grant order), S3's errors, and the ownership
controls. (Whether an ACL lets anyone in is test_*_enforcement's business.)"""
import os

import botocore.exceptions
import pytest
import requests
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

import conftest

ACCOUNT_NAME = "kura-e2e-account"
ACCOUNT_EMAIL = "owner@example.com"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery"


@pytest.fixture(scope="module")
def kura(tmp_path_factory, tls_cert):
    server = conftest._server(tmp_path_factory, tls_cert,
                              extra_args=["--account-name", ACCOUNT_NAME, "--account-email", ACCOUNT_EMAIL])
    yield server
    server.stop()


@pytest.fixture(scope="module")
def s3(kura):
    return kura.client()


@pytest.fixture(scope="module")
def owner_id(s3):
    return s3.list_buckets()["Owner"]["ID"]


_counter = [0]


def new_bucket(s3, ownership=None, **kwargs):
    _counter[0] += 1
    name = f"acl-{os.getpid()}-{_counter[0]}"
    if ownership:
        kwargs["ObjectOwnership"] = ownership
    s3.create_bucket(Bucket=name, **kwargs)
    return name


def error_of(call, **kwargs):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        call(**kwargs)
    err = e.value.response["Error"]
    return err["Code"], e.value.response["ResponseMetadata"]["HTTPStatusCode"], err.get("Message")


def user(owner_id, permission):
    return {"Grantee": {"ID": owner_id, "DisplayName": ACCOUNT_NAME, "Type": "CanonicalUser"},
            "Permission": permission}


def group(uri, permission):
    return {"Grantee": {"URI": uri, "Type": "Group"}, "Permission": permission}


def expected_canned(owner_id, canned):
    owner = user(owner_id, "FULL_CONTROL")
    return {
        "private": [owner],
        "public-read": [owner, group(ALL_USERS, "READ")],
        "public-read-write": [owner, group(ALL_USERS, "READ"), group(ALL_USERS, "WRITE")],
        "authenticated-read": [owner, group(AUTHENTICATED_USERS, "READ")],
        # The bucket owner is the object's owner here: nothing to add (as S3).
        "bucket-owner-read": [owner],
        "bucket-owner-full-control": [owner],
        "log-delivery-write": [owner, group(LOG_DELIVERY, "WRITE"), group(LOG_DELIVERY, "READ_ACP")],
    }[canned]


OBJECT_CANNED = ["private", "public-read", "public-read-write", "authenticated-read", "bucket-owner-read",
                 "bucket-owner-full-control"]


@pytest.mark.parametrize("canned", OBJECT_CANNED)
def test_each_canned_acl_on_put_object_reads_back_exactly(s3, owner_id, canned):
    bucket = new_bucket(s3, "ObjectWriter")
    s3.put_object(Bucket=bucket, Key="k", Body=b"x", ACL=canned)
    acl = s3.get_object_acl(Bucket=bucket, Key="k")
    assert acl["Owner"] == {"ID": owner_id, "DisplayName": ACCOUNT_NAME}
    assert acl["Grants"] == expected_canned(owner_id, canned)


@pytest.mark.parametrize("canned", OBJECT_CANNED + ["log-delivery-write"])
def test_each_canned_acl_on_create_bucket_reads_back_exactly(s3, owner_id, canned):
    bucket = new_bucket(s3, "BucketOwnerPreferred", ACL=canned)
    acl = s3.get_bucket_acl(Bucket=bucket)
    assert acl["Owner"] == {"ID": owner_id, "DisplayName": ACCOUNT_NAME}
    assert acl["Grants"] == expected_canned(owner_id, canned)


def test_grants_by_id_email_and_group_keep_their_order(s3, owner_id):
    bucket = new_bucket(s3, "ObjectWriter")
    s3.put_object(Bucket=bucket, Key="k", Body=b"x",
                  GrantRead=f'uri="{ALL_USERS}", emailAddress="{ACCOUNT_EMAIL.upper()}"',
                  GrantFullControl=f'id="{owner_id}"')
    grants = s3.get_object_acl(Bucket=bucket, Key="k")["Grants"]
    # The headers in the order they came (boto3 picks it); within one header, the order given.
    by_grant = lambda g: (g["Permission"], g["Grantee"].get("URI", ""))  # noqa: E731
    assert sorted(grants, key=by_grant) == sorted([user(owner_id, "FULL_CONTROL"), group(ALL_USERS, "READ"),
                                                   user(owner_id, "READ")], key=by_grant)
    assert grants.index(group(ALL_USERS, "READ")) + 1 == grants.index(user(owner_id, "READ"))
    s3.put_bucket_acl(Bucket=bucket, GrantReadACP=f'uri="{AUTHENTICATED_USERS}"', GrantWrite=f"id={owner_id}")
    grants = s3.get_bucket_acl(Bucket=bucket)["Grants"]
    assert sorted(grants, key=lambda g: g["Permission"]) == [group(AUTHENTICATED_USERS, "READ_ACP"),
                                                            user(owner_id, "WRITE")]


def test_put_acl_with_an_access_control_policy_body(s3, owner_id):
    bucket = new_bucket(s3, "ObjectWriter")
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    policy = {"Owner": {"ID": owner_id},
              "Grants": [{"Grantee": {"Type": "Group", "URI": AUTHENTICATED_USERS}, "Permission": "READ"},
                         {"Grantee": {"Type": "AmazonCustomerByEmail", "EmailAddress": ACCOUNT_EMAIL},
                          "Permission": "WRITE_ACP"},
                         {"Grantee": {"Type": "CanonicalUser", "ID": owner_id}, "Permission": "FULL_CONTROL"}]}
    expected = [group(AUTHENTICATED_USERS, "READ"), user(owner_id, "WRITE_ACP"), user(owner_id, "FULL_CONTROL")]
    s3.put_object_acl(Bucket=bucket, Key="k", AccessControlPolicy=policy)
    assert s3.get_object_acl(Bucket=bucket, Key="k")["Grants"] == expected
    s3.put_bucket_acl(Bucket=bucket, AccessControlPolicy=policy)
    assert s3.get_bucket_acl(Bucket=bucket)["Grants"] == expected
    # What GetBucketAcl answers can be put back as it is.
    got = s3.get_bucket_acl(Bucket=bucket)
    s3.put_bucket_acl(Bucket=bucket, AccessControlPolicy={"Owner": got["Owner"], "Grants": got["Grants"]})


def test_acl_errors_are_s3s(s3, kura, owner_id):
    bucket = new_bucket(s3, "ObjectWriter")
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    code, status, message = error_of(s3.put_object, Bucket=bucket, Key="k2", Body=b"x", ACL="public-read",
                                     GrantRead=f"id={owner_id}")
    assert (code, status, message) == ("InvalidRequest", 400,
                                       "Specifying both Canned ACLs and Header Grants is not allowed")
    assert error_of(s3.put_object_acl, Bucket=bucket, Key="k",
                    GrantRead='emailAddress="stranger@example.com"')[:2] == ("UnresolvableGrantByEmailAddress", 400)
    assert error_of(s3.put_object_acl, Bucket=bucket, Key="k", GrantRead="id=" + "0" * 64) == (
        "InvalidArgument", 400, "Invalid id")
    assert error_of(s3.put_bucket_acl, Bucket=bucket, GrantRead="everyone")[:2] == ("InvalidArgument", 400)
    assert error_of(s3.put_object, Bucket=bucket, Key="k3", Body=b"x", ACL="log-delivery-write")[:2] == (
        "InvalidArgument", 400)
    policy = {"Owner": {"ID": owner_id},
              "Grants": [{"Grantee": {"Type": "CanonicalUser", "ID": "_foo"}, "Permission": "READ"}]}
    assert error_of(s3.put_bucket_acl, Bucket=bucket, AccessControlPolicy=policy) == (
        "InvalidArgument", 400, "Invalid id")
    # Not an AccessControlPolicy: sent raw, as no SDK would.
    r = signed_put(f"{kura.endpoint}/{bucket}?acl", b"<AccessControlPolicy><Owner>")
    assert r.status_code == 400 and "<Code>MalformedACLError</Code>" in r.text
    for key in ["k2", "k3"]:
        assert error_of(s3.head_object, Bucket=bucket, Key=key)[:2] == ("404", 404)
    assert s3.get_object_acl(Bucket=bucket, Key="k")["Grants"] == [user(owner_id, "FULL_CONTROL")]


def signed_put(url, body):
    request = AWSRequest(method="PUT", url=url, data=body)
    S3SigV4Auth(Credentials(conftest.ROOT_KEY, conftest.ROOT_SECRET), "s3", conftest.REGION).add_auth(request)
    return requests.put(url, data=body, headers=dict(request.headers))


def test_ownership_controls_put_get_delete_and_on_create_bucket(s3):
    bucket = new_bucket(s3)
    controls = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]
    assert controls == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    for ownership in ["BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced"]:
        s3.put_bucket_ownership_controls(Bucket=bucket,
                                         OwnershipControls={"Rules": [{"ObjectOwnership": ownership}]})
        assert s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"] == [
            {"ObjectOwnership": ownership}]
    s3.delete_bucket_ownership_controls(Bucket=bucket)
    assert error_of(s3.get_bucket_ownership_controls, Bucket=bucket)[:2] == ("OwnershipControlsNotFoundError", 404)
    # Without controls, ACLs are enabled (ObjectWriter).
    s3.put_object(Bucket=bucket, Key="k", Body=b"x", ACL="public-read")
    created = new_bucket(s3, "ObjectWriter")
    assert s3.get_bucket_ownership_controls(Bucket=created)["OwnershipControls"]["Rules"] == [
        {"ObjectOwnership": "ObjectWriter"}]


def test_bucket_owner_enforced_refuses_acls_that_grant_others(s3, owner_id):
    bucket = new_bucket(s3)
    assert error_of(s3.put_object, Bucket=bucket, Key="k", Body=b"x", ACL="public-read")[:2] == (
        "AccessControlListNotSupported", 400)
    assert error_of(s3.put_bucket_acl, Bucket=bucket, ACL="public-read")[:2] == ("AccessControlListNotSupported", 400)
    s3.put_object(Bucket=bucket, Key="k", Body=b"x", ACL="bucket-owner-full-control")
    assert error_of(s3.create_bucket, Bucket=bucket + "-x", ACL="public-read")[:2] == (
        "InvalidBucketAclWithObjectOwnership", 400)
    assert error_of(s3.create_bucket, Bucket=bucket + "-y", ACL="authenticated-read",
                    ObjectOwnership="BucketOwnerEnforced")[:2] == ("InvalidBucketAclWithObjectOwnership", 400)
    # ACLs cannot be disabled while the bucket's ACL grants others.
    open_bucket = new_bucket(s3, "ObjectWriter", ACL="public-read")
    s3.put_object(Bucket=open_bucket, Key="k", Body=b"x", ACL="public-read")
    enforce = {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    assert error_of(s3.put_bucket_ownership_controls, Bucket=open_bucket, OwnershipControls=enforce)[:2] == (
        "InvalidBucketAclWithObjectOwnership", 400)
    s3.put_bucket_acl(Bucket=open_bucket, ACL="private")
    s3.put_bucket_ownership_controls(Bucket=open_bucket, OwnershipControls=enforce)
    # The object's ACL is kept but ignored while enforced.
    assert s3.get_object_acl(Bucket=open_bucket, Key="k")["Grants"] == [user(owner_id, "FULL_CONTROL")]


def test_aws_cli_cp_with_acl_public_read(kura, s3, owner_id, tmp_path):
    bucket = new_bucket(s3, "ObjectWriter")
    f = tmp_path / "f.txt"
    f.write_bytes(b"hello")
    kura.aws("s3", "cp", str(f), f"s3://{bucket}/f.txt", "--acl", "public-read")
    assert s3.get_object_acl(Bucket=bucket, Key="f.txt")["Grants"] == expected_canned(owner_id, "public-read")


def test_multipart_upload_acl_reaches_the_completed_object(s3, owner_id):
    bucket = new_bucket(s3, "ObjectWriter")
    upload = s3.create_multipart_upload(Bucket=bucket, Key="big", ACL="authenticated-read")
    part = s3.upload_part(Bucket=bucket, Key="big", UploadId=upload["UploadId"], PartNumber=1, Body=b"x" * 10)
    s3.complete_multipart_upload(Bucket=bucket, Key="big", UploadId=upload["UploadId"],
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    assert s3.get_object_acl(Bucket=bucket, Key="big")["Grants"] == expected_canned(owner_id, "authenticated-read")


def test_copy_object_takes_the_requests_acl_never_the_sources(s3, owner_id):
    bucket = new_bucket(s3, "ObjectWriter")
    s3.put_object(Bucket=bucket, Key="src", Body=b"x", ACL="public-read-write")
    s3.copy_object(Bucket=bucket, Key="plain", CopySource={"Bucket": bucket, "Key": "src"})
    assert s3.get_object_acl(Bucket=bucket, Key="plain")["Grants"] == [user(owner_id, "FULL_CONTROL")]
    s3.copy_object(Bucket=bucket, Key="read", CopySource={"Bucket": bucket, "Key": "src"}, ACL="public-read")
    assert s3.get_object_acl(Bucket=bucket, Key="read")["Grants"] == expected_canned(owner_id, "public-read")


def test_post_upload_acl_field(kura, s3, owner_id):
    bucket = new_bucket(s3, "ObjectWriter")
    post = kura.client(signature_version="s3v4").generate_presigned_post(bucket, "posted", Fields={"acl": "public-read"},
                                      Conditions=[{"acl": "public-read"}])
    r = requests.post(post["url"], data=post["fields"], files={"file": ("f", b"x")})
    assert r.status_code == 204, r.text
    assert s3.get_object_acl(Bucket=bucket, Key="posted")["Grants"] == expected_canned(owner_id, "public-read")


def test_object_acl_of_a_version(s3, owner_id):
    bucket = new_bucket(s3, "ObjectWriter")
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    v1 = s3.put_object(Bucket=bucket, Key="k", Body=b"1")["VersionId"]
    s3.put_object(Bucket=bucket, Key="k", Body=b"2")
    s3.put_object_acl(Bucket=bucket, Key="k", VersionId=v1, ACL="public-read")
    assert s3.get_object_acl(Bucket=bucket, Key="k", VersionId=v1)["Grants"] == expected_canned(owner_id, "public-read")
    assert s3.get_object_acl(Bucket=bucket, Key="k")["Grants"] == [user(owner_id, "FULL_CONTROL")]


def test_listings_name_the_owner_by_the_account_name(s3, owner_id):
    bucket = new_bucket(s3)
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    upload = s3.create_multipart_upload(Bucket=bucket, Key="m")
    owner = {"ID": owner_id, "DisplayName": ACCOUNT_NAME}
    assert s3.list_buckets()["Owner"] == owner
    assert s3.list_objects(Bucket=bucket)["Contents"][0]["Owner"] == owner
    assert s3.list_objects_v2(Bucket=bucket, FetchOwner=True)["Contents"][0]["Owner"] == owner
    assert s3.list_object_versions(Bucket=bucket)["Versions"][0]["Owner"] == owner
    assert s3.list_multipart_uploads(Bucket=bucket)["Uploads"][0]["Owner"] == owner
    parts = s3.list_parts(Bucket=bucket, Key="m", UploadId=upload["UploadId"])
    assert parts["Owner"] == owner and parts["Initiator"] == owner
