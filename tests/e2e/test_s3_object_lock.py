"""Object Lock (WORM) end to end with boto3 and the aws CLI: the bucket configuration, retention
and legal hold, the lock headers of the writes, and enforcement from every side — root cannot
delete a COMPLIANCE version before its date, GOVERNANCE yields only to the bypass header AND the
s3:BypassGovernanceRetention permission, a legal hold blocks deletion until removed, retention is
extended but never shortened, a bucket with locked versions cannot be deleted, and a retention
that has expired no longer protects, DeleteObjects answers AccessDenied for each locked version
(and deletes the rest). A delete without a version id (a delete marker) is allowed."""
import datetime
import json
import os
import time

import botocore.exceptions
import pytest
import requests

_counter = [0]


def error_of(call, *args, **kwargs):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        call(*args, **kwargs)
    return e.value.response["Error"]["Code"], e.value.response["ResponseMetadata"]["HTTPStatusCode"]


def utc_in(seconds):
    return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)


@pytest.fixture
def s3(kura):
    return kura.client()


@pytest.fixture
def locked_bucket(s3):
    _counter[0] += 1
    name = f"locked-{os.getpid()}-{_counter[0]}"
    s3.create_bucket(Bucket=name, ObjectLockEnabledForBucket=True)
    return name


def put_locked(s3, bucket, key, **lock):
    return s3.put_object(Bucket=bucket, Key=key, Body=b"worm", **lock)["VersionId"]


# --- bucket configuration -------------------------------------------------------------------

def test_create_bucket_with_object_lock_enables_it(s3, locked_bucket):
    config = s3.get_object_lock_configuration(Bucket=locked_bucket)["ObjectLockConfiguration"]
    assert config == {"ObjectLockEnabled": "Enabled"}


def test_create_bucket_with_object_lock_enables_versioning_for_good(s3, locked_bucket):
    assert s3.get_bucket_versioning(Bucket=locked_bucket)["Status"] == "Enabled"
    assert error_of(s3.put_bucket_versioning, Bucket=locked_bucket,
                    VersioningConfiguration={"Status": "Suspended"}) == ("InvalidBucketState", 409)


def test_a_bucket_without_object_lock_has_no_configuration(s3, bucket):
    assert error_of(s3.get_object_lock_configuration, Bucket=bucket) == (
        "ObjectLockConfigurationNotFoundError", 404)


def test_default_retention_is_stored_and_can_be_removed(kura, s3, locked_bucket):
    rule = {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 3}}
    s3.put_object_lock_configuration(Bucket=locked_bucket, ObjectLockConfiguration={
        "ObjectLockEnabled": "Enabled", "Rule": rule})
    config = s3.get_object_lock_configuration(Bucket=locked_bucket)["ObjectLockConfiguration"]
    assert config == {"ObjectLockEnabled": "Enabled", "Rule": rule}
    # The aws CLI, in years; then without a Rule, which removes the default retention.
    kura.aws("s3api", "put-object-lock-configuration", "--bucket", locked_bucket,
             "--object-lock-configuration",
             json.dumps({"ObjectLockEnabled": "Enabled",
                         "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Years": 2}}}))
    out = json.loads(kura.aws("s3api", "get-object-lock-configuration", "--bucket",
                              locked_bucket).stdout)
    assert out["ObjectLockConfiguration"]["Rule"] == {
        "DefaultRetention": {"Mode": "COMPLIANCE", "Years": 2}}
    s3.put_object_lock_configuration(Bucket=locked_bucket,
                                     ObjectLockConfiguration={"ObjectLockEnabled": "Enabled"})
    config = s3.get_object_lock_configuration(Bucket=locked_bucket)["ObjectLockConfiguration"]
    assert config == {"ObjectLockEnabled": "Enabled"}


@pytest.mark.parametrize("retention,expected", [
    ({"Mode": "GOVERNANCE", "Days": 0}, ("InvalidArgument", 400)),
    ({"Mode": "GOVERNANCE", "Days": -1}, ("InvalidArgument", 400)),
    ({"Mode": "COMPLIANCE", "Years": 101}, ("InvalidArgument", 400)),
    ({"Mode": "GOVERNANCE", "Days": 1, "Years": 1}, ("MalformedXML", 400)),
    ({"Mode": "GOVERNANCE"}, ("MalformedXML", 400)),
    ({"Days": 1}, ("MalformedXML", 400)),
    ({"Mode": "FOREVER", "Days": 1}, ("MalformedXML", 400)),
])
def test_default_retention_is_validated(s3, locked_bucket, retention, expected):
    assert error_of(s3.put_object_lock_configuration, Bucket=locked_bucket, ObjectLockConfiguration={
        "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": retention}}) == expected
    config = s3.get_object_lock_configuration(Bucket=locked_bucket)["ObjectLockConfiguration"]
    assert "Rule" not in config


def test_object_lock_needs_enabled_versioning_on_an_existing_bucket(s3, bucket):
    config = {"ObjectLockEnabled": "Enabled"}
    assert error_of(s3.put_object_lock_configuration, Bucket=bucket,
                    ObjectLockConfiguration=config) == ("InvalidBucketState", 409)
    assert error_of(s3.put_object_lock_configuration, Bucket=bucket,
                    ObjectLockConfiguration={}) == ("MalformedXML", 400)
    assert error_of(s3.get_object_lock_configuration, Bucket=bucket)[0] == (
        "ObjectLockConfigurationNotFoundError")


def test_object_lock_can_be_enabled_on_a_versioned_bucket(s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_object_lock_configuration(Bucket=bucket, ObjectLockConfiguration={
        "ObjectLockEnabled": "Enabled"}, Token="ignored-token")
    assert s3.get_object_lock_configuration(Bucket=bucket)["ObjectLockConfiguration"] == {
        "ObjectLockEnabled": "Enabled"}


def test_retention_and_legal_hold_need_an_object_lock_bucket(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    missing = ("InvalidRequest", 400)
    assert error_of(s3.get_object_retention, Bucket=bucket, Key="k") == missing
    assert error_of(s3.get_object_legal_hold, Bucket=bucket, Key="k") == missing
    assert error_of(s3.put_object_retention, Bucket=bucket, Key="k", Retention={
        "Mode": "GOVERNANCE", "RetainUntilDate": utc_in(3600)}) == missing
    assert error_of(s3.put_object_legal_hold, Bucket=bucket, Key="k",
                    LegalHold={"Status": "ON"}) == missing
    s3.delete_object(Bucket=bucket, Key="k")


# --- enforcement (needs objects written to the versioned bucket) ----------------------------

def test_root_cannot_delete_a_compliance_version_before_its_date(s3, locked_bucket):
    until = utc_in(3600)
    version = put_locked(s3, locked_bucket, "c", ObjectLockMode="COMPLIANCE",
                         ObjectLockRetainUntilDate=until)
    head = s3.head_object(Bucket=locked_bucket, Key="c")
    assert head["ObjectLockMode"] == "COMPLIANCE"
    assert abs((head["ObjectLockRetainUntilDate"] - until).total_seconds()) < 1
    denied = ("AccessDenied", 403)
    assert error_of(s3.delete_object, Bucket=locked_bucket, Key="c", VersionId=version) == denied
    assert error_of(s3.delete_object, Bucket=locked_bucket, Key="c", VersionId=version,
                    BypassGovernanceRetention=True) == denied
    # Not shortened, not removed, not weakened to GOVERNANCE, by root with the bypass either.
    for retention in ({"Mode": "COMPLIANCE", "RetainUntilDate": utc_in(60)},
                      {"Mode": "GOVERNANCE", "RetainUntilDate": utc_in(7200)}, {}):
        assert error_of(s3.put_object_retention, Bucket=locked_bucket, Key="c", VersionId=version,
                        Retention=retention, BypassGovernanceRetention=True) == denied
    # Extending is allowed.
    later = utc_in(7200)
    s3.put_object_retention(Bucket=locked_bucket, Key="c", VersionId=version,
                            Retention={"Mode": "COMPLIANCE", "RetainUntilDate": later})
    got = s3.get_object_retention(Bucket=locked_bucket, Key="c", VersionId=version)["Retention"]
    assert got["Mode"] == "COMPLIANCE" and abs((got["RetainUntilDate"] - later).total_seconds()) < 1
    # A delete marker hides the object but removes nothing; the bucket cannot be deleted.
    marker = s3.delete_object(Bucket=locked_bucket, Key="c")
    assert marker["DeleteMarker"] is True
    assert s3.get_object(Bucket=locked_bucket, Key="c", VersionId=version)["Body"].read() == b"worm"
    assert error_of(s3.delete_bucket, Bucket=locked_bucket) == ("BucketNotEmpty", 409)


def test_governance_yields_to_the_bypass_with_permission(s3, locked_bucket):
    version = put_locked(s3, locked_bucket, "g", ObjectLockMode="GOVERNANCE",
                         ObjectLockRetainUntilDate=utc_in(3600))
    assert error_of(s3.delete_object, Bucket=locked_bucket, Key="g",
                    VersionId=version) == ("AccessDenied", 403)
    assert error_of(s3.put_object_retention, Bucket=locked_bucket, Key="g", VersionId=version,
                    Retention={"Mode": "GOVERNANCE", "RetainUntilDate": utc_in(60)}) == (
        "AccessDenied", 403)
    # Root is allowed s3:BypassGovernanceRetention: shorten with the header, then delete.
    s3.put_object_retention(Bucket=locked_bucket, Key="g", VersionId=version,
                            BypassGovernanceRetention=True,
                            Retention={"Mode": "GOVERNANCE", "RetainUntilDate": utc_in(1800)})
    s3.delete_object(Bucket=locked_bucket, Key="g", VersionId=version,
                     BypassGovernanceRetention=True)
    assert "Versions" not in s3.list_object_versions(Bucket=locked_bucket, Prefix="g")


def test_governance_bypass_header_without_the_permission_is_denied(kura, s3, locked_bucket):
    iam = kura.client("iam")
    iam.create_user(UserName="no-bypass")
    key = iam.create_access_key(UserName="no-bypass")["AccessKey"]
    iam.put_user_policy(UserName="no-bypass", PolicyName="s3", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:*", "Resource": [
                f"arn:aws:s3:::{locked_bucket}", f"arn:aws:s3:::{locked_bucket}/*"]},
            {"Effect": "Deny", "Action": "s3:BypassGovernanceRetention", "Resource": "*"}]}))
    user = kura.client(key=key["AccessKeyId"], secret=key["SecretAccessKey"])
    version = put_locked(user, locked_bucket, "u", ObjectLockMode="GOVERNANCE",
                         ObjectLockRetainUntilDate=utc_in(3600))
    denied = ("AccessDenied", 403)
    assert error_of(user.delete_object, Bucket=locked_bucket, Key="u", VersionId=version,
                    BypassGovernanceRetention=True) == denied
    assert error_of(user.put_object_retention, Bucket=locked_bucket, Key="u", VersionId=version,
                    BypassGovernanceRetention=True, Retention={}) == denied
    # The user may still extend, and add a delete marker.
    user.put_object_retention(Bucket=locked_bucket, Key="u", VersionId=version,
                              Retention={"Mode": "GOVERNANCE", "RetainUntilDate": utc_in(7200)})
    user.delete_object(Bucket=locked_bucket, Key="u")
    # Root, who has the permission, can.
    s3.delete_object(Bucket=locked_bucket, Key="u", VersionId=version, BypassGovernanceRetention=True)


def test_a_legal_hold_blocks_deletion_until_removed(kura, s3, locked_bucket):
    version = put_locked(s3, locked_bucket, "h", ObjectLockLegalHoldStatus="ON")
    assert s3.head_object(Bucket=locked_bucket, Key="h")["ObjectLockLegalHoldStatus"] == "ON"
    assert s3.get_object_legal_hold(Bucket=locked_bucket, Key="h")["LegalHold"] == {"Status": "ON"}
    assert error_of(s3.delete_object, Bucket=locked_bucket, Key="h", VersionId=version,
                    BypassGovernanceRetention=True) == ("AccessDenied", 403)
    kura.aws("s3api", "put-object-legal-hold", "--bucket", locked_bucket, "--key", "h",
             "--version-id", version, "--legal-hold", "Status=OFF")
    s3.delete_object(Bucket=locked_bucket, Key="h", VersionId=version)


def test_an_expired_retention_no_longer_protects(s3, locked_bucket):
    version = put_locked(s3, locked_bucket, "e", ObjectLockMode="COMPLIANCE",
                         ObjectLockRetainUntilDate=utc_in(3))
    assert error_of(s3.delete_object, Bucket=locked_bucket, Key="e",
                    VersionId=version) == ("AccessDenied", 403)
    time.sleep(4)
    s3.delete_object(Bucket=locked_bucket, Key="e", VersionId=version)
    s3.delete_bucket(Bucket=locked_bucket)


def test_default_retention_applies_to_new_versions(s3, locked_bucket):
    s3.put_object_lock_configuration(Bucket=locked_bucket, ObjectLockConfiguration={
        "ObjectLockEnabled": "Enabled",
        "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}}})
    version = s3.put_object(Bucket=locked_bucket, Key="d", Body=b"x")["VersionId"]
    got = s3.get_object_retention(Bucket=locked_bucket, Key="d", VersionId=version)["Retention"]
    assert got["Mode"] == "GOVERNANCE"
    assert abs((got["RetainUntilDate"] - utc_in(86400)).total_seconds()) < 60
    assert error_of(s3.get_object_legal_hold, Bucket=locked_bucket, Key="d") == (
        "NoSuchObjectLockConfiguration", 404)


def test_multipart_upload_and_copy_carry_the_lock_headers(s3, locked_bucket):
    until = utc_in(3600)
    upload = s3.create_multipart_upload(Bucket=locked_bucket, Key="mp", ObjectLockMode="GOVERNANCE",
                                        ObjectLockRetainUntilDate=until,
                                        ObjectLockLegalHoldStatus="ON")["UploadId"]
    part = s3.upload_part(Bucket=locked_bucket, Key="mp", UploadId=upload, PartNumber=1, Body=b"p")
    s3.complete_multipart_upload(Bucket=locked_bucket, Key="mp", UploadId=upload,
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    assert s3.get_object_legal_hold(Bucket=locked_bucket, Key="mp")["LegalHold"]["Status"] == "ON"
    assert s3.get_object_retention(Bucket=locked_bucket, Key="mp")["Retention"]["Mode"] == "GOVERNANCE"
    s3.copy_object(Bucket=locked_bucket, Key="cp", CopySource={"Bucket": locked_bucket, "Key": "mp"},
                   ObjectLockMode="COMPLIANCE", ObjectLockRetainUntilDate=until)
    assert s3.get_object_retention(Bucket=locked_bucket, Key="cp")["Retention"]["Mode"] == "COMPLIANCE"
    # The copy does not inherit the source's legal hold.
    assert error_of(s3.get_object_legal_hold, Bucket=locked_bucket, Key="cp")[0] == (
        "NoSuchObjectLockConfiguration")


def test_a_post_upload_form_sets_the_lock(kura, s3, locked_bucket):
    fields = {"x-amz-object-lock-legal-hold": "ON"}
    post = kura.client(signature_version="s3v4").generate_presigned_post(
        locked_bucket, "form", Fields=fields, Conditions=[fields])
    r = requests.post(post["url"], data=post["fields"], files={"file": ("f", b"x")})
    assert r.status_code == 204, r.text
    assert s3.get_object_legal_hold(Bucket=locked_bucket, Key="form")["LegalHold"]["Status"] == "ON"


def test_lock_header_values_are_checked(s3, locked_bucket):
    assert error_of(s3.put_object, Bucket=locked_bucket, Key="k", Body=b"x",
                    ObjectLockLegalHoldStatus="MAYBE") == ("InvalidArgument", 400)
    assert error_of(s3.put_object, Bucket=locked_bucket, Key="k", Body=b"x",
                    ObjectLockMode="GOVERNANCE") == ("InvalidArgument", 400)
    assert error_of(s3.put_object, Bucket=locked_bucket, Key="k", Body=b"x",
                    ObjectLockMode="GOVERNANCE",
                    ObjectLockRetainUntilDate=utc_in(-60)) == ("InvalidArgument", 400)
    assert error_of(s3.create_multipart_upload, Bucket=locked_bucket, Key="k",
                    ObjectLockMode="FOREVER", ObjectLockRetainUntilDate=utc_in(60)) == (
        "InvalidArgument", 400)


def test_delete_objects_answers_access_denied_per_locked_version(s3, locked_bucket):
    compliance = put_locked(s3, locked_bucket, "c", ObjectLockMode="COMPLIANCE",
                            ObjectLockRetainUntilDate=utc_in(3600))
    governance = put_locked(s3, locked_bucket, "g", ObjectLockMode="GOVERNANCE",
                            ObjectLockRetainUntilDate=utc_in(3600))
    held = put_locked(s3, locked_bucket, "h", ObjectLockLegalHoldStatus="ON")
    free = put_locked(s3, locked_bucket, "f")
    objects = [{"Key": "c", "VersionId": compliance}, {"Key": "g", "VersionId": governance},
               {"Key": "h", "VersionId": held}, {"Key": "f", "VersionId": free}]
    answer = s3.delete_objects(Bucket=locked_bucket, Delete={"Objects": objects})
    assert sorted((e["Key"], e["Code"]) for e in answer["Errors"]) == [
        ("c", "AccessDenied"), ("g", "AccessDenied"), ("h", "AccessDenied")]
    assert [(d["Key"], d["VersionId"]) for d in answer["Deleted"]] == [("f", free)]
    # With the bypass (root holds s3:BypassGovernanceRetention) only GOVERNANCE yields.
    answer = s3.delete_objects(Bucket=locked_bucket, Delete={"Objects": objects[:3]},
                               BypassGovernanceRetention=True)
    assert sorted(e["Key"] for e in answer["Errors"]) == ["c", "h"]
    assert [(d["Key"], d["VersionId"]) for d in answer["Deleted"]] == [("g", governance)]
    left = s3.list_object_versions(Bucket=locked_bucket)["Versions"]
    assert sorted((v["Key"], v["VersionId"]) for v in left) == [("c", compliance), ("h", held)]
