"""Issue #13: the text of an XML element is data. Keys made of whitespace (and keys with a CR sent
as "&#13;") are batch-deleted, listed and tagged byte for byte, as S3 does; before, a key of one
space could not be batch-deleted ("Object key must not be empty") and a bucket holding one could
not be emptied by boto3's batch delete."""
import base64
import hashlib
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

import boto3
import botocore.handlers
import pytest
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

import conftest

WHITESPACE_KEYS = [" ", "  ", "\t", "\n", " a ", "b "]
NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"


@pytest.fixture(params=["http", "https"])
def s3(request, kura):
    return kura.client(tls=request.param == "https")


def put_all(s3, bucket, keys):
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")


def signed(kura, method, path, body=b"", headers=None):
    """A raw SigV4-signed request: for XML boto3 would not send, and listings it would decode."""
    req = AWSRequest(method=method, url=f"{kura.endpoint}{path}", data=body, headers=headers or {})
    S3SigV4Auth(Credentials(conftest.ROOT_KEY, conftest.ROOT_SECRET), "s3", conftest.REGION).add_auth(req)
    r = urllib.request.Request(req.url, data=body or None, method=method, headers=dict(req.headers))
    try:
        with urllib.request.urlopen(r) as res:
            return res.status, res.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def test_delete_objects_deletes_keys_of_whitespace(s3, bucket):
    put_all(s3, bucket, WHITESPACE_KEYS)
    res = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in WHITESPACE_KEYS]})
    assert "Errors" not in res, res["Errors"]
    assert sorted(d["Key"] for d in res["Deleted"]) == sorted(WHITESPACE_KEYS)
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0


def test_boto3_batch_delete_empties_a_bucket_with_a_key_of_one_space(kura, bucket):
    put_all(kura.client(), bucket, [" ", "k"])
    resource = boto3.session.Session().resource(
        "s3", endpoint_url=kura.endpoint, region_name=conftest.REGION,
        aws_access_key_id=conftest.ROOT_KEY, aws_secret_access_key=conftest.ROOT_SECRET)
    out = resource.Bucket(bucket).objects.all().delete()
    assert [e for page in out for e in page.get("Errors", [])] == []
    resource.Bucket(bucket).delete()


def test_listings_return_keys_of_whitespace_with_and_without_url_encoding(s3, bucket):
    put_all(s3, bucket, WHITESPACE_KEYS)
    want = sorted(WHITESPACE_KEYS, key=lambda k: k.encode())
    # botocore asks for encoding-type=url and decodes.
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == want
    assert [o["Key"] for o in s3.list_objects(Bucket=bucket)["Contents"]] == want
    assert [v["Key"] for v in s3.list_object_versions(Bucket=bucket)["Versions"]] == want
    # Without encoding-type the XML text itself carries the key.
    for operation in ("ListObjectsV2", "ListObjects", "ListObjectVersions"):
        s3.meta.events.unregister(f"before-parameter-build.s3.{operation}",
                                  botocore.handlers.set_list_objects_encoding_type_url)
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == want
    assert [o["Key"] for o in s3.list_objects(Bucket=bucket)["Contents"]] == want
    assert [v["Key"] for v in s3.list_object_versions(Bucket=bucket)["Versions"]] == want


def test_a_key_with_a_carriage_return_is_deleted_by_its_character_reference(kura, bucket):
    s3 = kura.client()
    put_all(s3, bucket, ["a\rb", "a\nb", "\r"])
    status, listing = signed(kura, "GET", f"/{bucket}?list-type=2")
    assert status == 200, listing
    keys = [c.findtext(f"{NS}Key") for c in ET.fromstring(listing).iter(f"{NS}Contents")]
    assert keys == ["\r", "a\nb", "a\rb"]  # the listing escapes CR as &#13;
    body = (b"<Delete><Object><Key>a&#13;b</Key></Object><Object><Key>&#x0D;</Key></Object>"
            b"<Quiet>true</Quiet></Delete>")
    md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
    status, answer = signed(kura, "POST", f"/{bucket}?delete", body, {"Content-MD5": md5})
    assert status == 200, answer
    assert b"<Error>" not in answer, answer
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["a\nb"]


def test_tags_of_whitespace_are_kept(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    tags = [{"Key": " ", "Value": "\t"}, {"Key": "v", "Value": " "}]
    s3.put_object_tagging(Bucket=bucket, Key="k", Tagging={"TagSet": tags})
    assert s3.get_object_tagging(Bucket=bucket, Key="k")["TagSet"] == tags
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": tags})
    assert s3.get_bucket_tagging(Bucket=bucket)["TagSet"] == tags
