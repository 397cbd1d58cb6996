"""Browser POST uploads (POST Object with a SigV4-signed policy) built with boto3's
generate_presigned_post and sent as multipart/form-data: conditions, signature, answers."""
import base64
import datetime
import hashlib
import hmac
import json

import pytest
import requests

import conftest


def presigned(kura, bucket, key, fields=None, conditions=None, expires=600):
    s3 = kura.client(signature_version="s3v4")
    return s3.generate_presigned_post(bucket, key, Fields=fields, Conditions=conditions, ExpiresIn=expires)


def post(post, data=b"hello form", filename="f.txt", extra=None):
    fields = dict(post["fields"])
    fields.update(extra or {})
    return requests.post(post["url"], data=fields, files={"file": (filename, data)}, allow_redirects=False)


def test_signed_post_uploads_the_file(kura, bucket):
    r = post(presigned(kura, bucket, "up/${filename}"), filename="photo.jpg")
    assert r.status_code == 204, r.text
    assert r.headers["ETag"] == '"%s"' % hashlib.md5(b"hello form").hexdigest()
    got = kura.client().get_object(Bucket=bucket, Key="up/photo.jpg")
    assert got["Body"].read() == b"hello form"


def test_success_action_status_and_redirect(kura, bucket):
    p = presigned(kura, bucket, "k201", fields={"success_action_status": "201"},
                  conditions=[{"success_action_status": "201"}])
    r = post(p)
    assert r.status_code == 201 and "<PostResponse>" in r.text and "<Key>k201</Key>" in r.text
    p = presigned(kura, bucket, "kredir", fields={"success_action_redirect": "https://example.com/done"},
                  conditions=[{"success_action_redirect": "https://example.com/done"}])
    r = post(p)
    assert r.status_code == 303 and r.headers["Location"].startswith("https://example.com/done?bucket=")


def test_metadata_fields_and_large_files(kura, bucket):
    p = presigned(kura, bucket, "meta", fields={"Content-Type": "image/png", "x-amz-meta-who": "me"},
                  conditions=[["starts-with", "$Content-Type", "image/"], {"x-amz-meta-who": "me"}])
    big = bytes(range(256)) * 4096 + b"boundary-like --\r\n--"
    r = post(p, data=big)
    assert r.status_code == 204, r.text
    got = kura.client().get_object(Bucket=bucket, Key="meta")
    assert got["Body"].read() == big and got["ContentType"] == "image/png" and got["Metadata"] == {"who": "me"}


def test_conditions_are_enforced(kura, bucket):
    p = presigned(kura, bucket, "limited", conditions=[["content-length-range", 1, 5]])
    r = post(p, data=b"too long for it")
    assert r.status_code == 400 and "<Code>EntityTooLarge</Code>" in r.text
    assert post(p, data=b"ok").status_code == 204
    p = presigned(kura, bucket, "k", conditions=[["starts-with", "$key", "k"]])
    r = post(p, extra={"key": "other"})
    assert r.status_code == 403 and "Policy Condition failed" in r.text
    r = post(presigned(kura, bucket, "k"), extra={"x-amz-meta-extra": "1"})
    assert r.status_code == 403 and "Extra input fields: x-amz-meta-extra" in r.text


def test_bad_signature_and_expired_policy(kura, bucket):
    p = presigned(kura, bucket, "k")
    r = post(p, extra={"x-amz-signature": "0" * 64})
    assert r.status_code == 403 and "<Code>SignatureDoesNotMatch</Code>" in r.text
    p = presigned(kura, bucket, "k", expires=-60)
    r = post(p)
    assert r.status_code == 403 and "Policy expired" in r.text


def test_a_repeated_form_field_is_refused(kura, bucket):
    """A second x-amz-signature, policy or key must not leave the checks and the upload to pick
    different copies."""
    p = presigned(kura, bucket, "once")
    for name, value in [("x-amz-signature", "0" * 64), ("Policy", p["fields"]["policy"]), ("key", "other")]:
        fields = list(p["fields"].items()) + [(name, value)]
        r = requests.post(p["url"], data=fields, files={"file": ("f.txt", b"x")})
        assert r.status_code == 400 and "<Code>InvalidArgument</Code>" in r.text, (name, r.text)
    assert post(p).status_code == 204


def test_unsigned_post_is_anonymous_and_denied(kura, bucket):
    r = requests.post(f"{kura.endpoint}/{bucket}", data={"key": "anon"}, files={"file": ("a", b"x")})
    assert r.status_code == 403 and "<Code>AccessDenied</Code>" in r.text


def test_cli_can_read_what_a_form_uploaded(kura, bucket, tmp_path):
    assert post(presigned(kura, bucket, "viaform")).status_code == 204
    out = tmp_path / "o"
    kura.aws("s3", "cp", f"s3://{bucket}/viaform", str(out))
    assert out.read_bytes() == b"hello form"


@pytest.mark.parametrize("field,value", [("x-amz-server-side-encryption", "aws:kms:dsse"),
                                         ("x-amz-object-lock-legal-hold", "ON"),
                                         ("x-amz-checksum-crc32", "AAAAAA==")])
def test_a_form_field_kura_cannot_honour_is_refused_and_stores_nothing(kura, bucket, field, value):
    # A POST form's x-amz-* fields are the upload's headers: held to the same table as
    # PutObject's, not stored past.
    r = post(presigned(kura, bucket, "refused", fields={field: value}, conditions=[{field: value}]))
    assert r.status_code in (400, 501), r.text
    assert "<Code>NotImplemented</Code>" in r.text or "<Code>InvalidRequest</Code>" in r.text
    listed = kura.client().list_objects_v2(Bucket=bucket, Prefix="refused")
    assert listed.get("KeyCount", 0) == 0


def session_with_policy(kura, bucket, role_name):
    """Temporary credentials of a role (allowed s3:*) narrowed by an inline session policy to
    `bucket`/allowed/*."""
    iam, sts = kura.client("iam"), kura.client("sts")
    account = sts.get_caller_identity()["Account"]
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                     "Principal": {"AWS": f"arn:aws:iam::{account}:root"}}]}
    role = iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    iam.put_role_policy(RoleName=role_name, PolicyName="s3", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
    iam.create_user(UserName=role_name)
    iam.put_user_policy(UserName=role_name, PolicyName="assume", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role}]}))
    key = iam.create_access_key(UserName=role_name)["AccessKey"]
    session_policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{bucket}/allowed/*"}]}
    user_sts = kura.client("sts", key=key["AccessKeyId"], secret=key["SecretAccessKey"])
    return user_sts.assume_role(RoleArn=role, RoleSessionName="form", Policy=json.dumps(session_policy))["Credentials"]


def test_a_form_signed_by_a_role_session_is_held_to_its_session_policy(kura, bucket):
    c = session_with_policy(kura, bucket, "post-session")
    s3 = kura.client(key=c["AccessKeyId"], secret=c["SecretAccessKey"], token=c["SessionToken"],
                     signature_version="s3v4")
    inside = s3.generate_presigned_post(bucket, "allowed/a.txt", ExpiresIn=600)
    r = post(inside)
    assert r.status_code == 204, r.text
    assert kura.client().get_object(Bucket=bucket, Key="allowed/a.txt")["Body"].read() == b"hello form"
    outside = s3.generate_presigned_post(bucket, "elsewhere/a.txt", ExpiresIn=600)
    r = post(outside)
    assert r.status_code == 403, r.text
    assert "<Code>AccessDenied</Code>" in r.text
