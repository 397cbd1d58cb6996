"""Presigned URLs carry only what their signer chose (issue #10): an x-amz-* header that is not
among X-Amz-SignedHeaders is refused with 403 AccessDenied and <HeadersNotSigned>, as AWS does,
so the holder of an upload link cannot turn it into a copy of another object, tag it, or set
metadata, storage class or encryption. URLs are presigned by boto3 (SigV4) and sent by
`requests` with the extra headers added."""
import xml.etree.ElementTree as ET

import botocore.exceptions
import pytest
import requests

NOT_SIGNED = "There were headers present in the request which were not signed"


def presign(kura, method, bucket, key, **params):
    s3 = kura.client(signature_version="s3v4")
    return s3.generate_presigned_url(method, Params={"Bucket": bucket, "Key": key, **params}, ExpiresIn=300)


def error_of(response):
    root = ET.fromstring(response.content)
    return root.findtext("Code"), root.findtext("Message"), root.findtext("HeadersNotSigned")


def exists(kura, bucket, key):
    try:
        kura.client().head_object(Bucket=bucket, Key=key)
        return True
    except botocore.exceptions.ClientError as e:
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 404
        return False


def test_upload_link_cannot_copy_another_object(kura, bucket):
    kura.client().put_object(Bucket=bucket, Key="private/payroll.csv", Body=b"alice,100000\n")
    url = presign(kura, "put_object", bucket, "uploads/avatar.png")
    r = requests.put(url, data=b"", headers={"x-amz-copy-source": f"/{bucket}/private/payroll.csv"})
    assert r.status_code == 403, r.text
    assert error_of(r) == ("AccessDenied", NOT_SIGNED, "x-amz-copy-source")
    assert b"CopyObjectResult" not in r.content
    assert not exists(kura, bucket, "uploads/avatar.png")


@pytest.mark.parametrize("header,value", [
    ("x-amz-tagging", "owner=mallory"),
    ("x-amz-meta-who", "mallory"),
    ("x-amz-storage-class", "STANDARD_IA"),
    ("x-amz-server-side-encryption", "AES256"),
    ("x-amz-website-redirect-location", "https://example.com/"),
    ("X-Amz-Acl", "public-read"),
])
def test_upload_link_refuses_unsigned_x_amz_headers(kura, bucket, header, value):
    url = presign(kura, "put_object", bucket, "up")
    r = requests.put(url, data=b"body", headers={header: value})
    assert r.status_code == 403, r.text
    assert error_of(r) == ("AccessDenied", NOT_SIGNED, header.lower())
    assert not exists(kura, bucket, "up")


@pytest.mark.parametrize("headers", [
    {"x-amz-meta-who": "mallory"},
    {"x-amz-server-side-encryption-customer-algorithm": "AES256",
     "x-amz-server-side-encryption-customer-key": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
     "x-amz-server-side-encryption-customer-key-MD5": "zZ5FnqcIqUjVwvWmyog4zw=="},
])
def test_download_link_refuses_unsigned_x_amz_headers(kura, bucket, headers):
    kura.client().put_object(Bucket=bucket, Key="d", Body=b"data")
    r = requests.get(presign(kura, "get_object", bucket, "d"), headers=headers)
    assert r.status_code == 403, r.text
    code, message, names = error_of(r)
    assert (code, message) == ("AccessDenied", NOT_SIGNED)
    assert names == ", ".join(name.lower() for name in headers)


def test_headers_the_signer_chose_are_accepted(kura, bucket):
    url = presign(kura, "put_object", bucket, "chosen", Metadata={"who": "alice"}, Tagging="team=a",
                  StorageClass="STANDARD_IA", ContentType="image/png")
    assert "x-amz-meta-who" in url and "x-amz-tagging" in url  # in X-Amz-SignedHeaders
    headers = {"x-amz-meta-who": "alice", "x-amz-tagging": "team=a", "x-amz-storage-class": "STANDARD_IA",
               "Content-Type": "image/png"}
    r = requests.put(url, data=b"chosen body", headers=headers)
    assert r.status_code == 200, r.text
    s3 = kura.client()
    head = s3.head_object(Bucket=bucket, Key="chosen")
    assert head["Metadata"] == {"who": "alice"} and head["StorageClass"] == "STANDARD_IA"
    assert s3.get_object_tagging(Bucket=bucket, Key="chosen")["TagSet"] == [{"Key": "team", "Value": "a"}]
    # A signed header's value is bound too.
    r = requests.put(url, data=b"x", headers={**headers, "x-amz-meta-who": "mallory"})
    assert r.status_code == 403 and error_of(r)[0] == "SignatureDoesNotMatch"


def test_unsigned_content_sha256_cannot_switch_the_payload_mode(kura, bucket):
    url = presign(kura, "put_object", bucket, "mode")
    chunked = b"5;chunk-signature=" + b"0" * 64 + b"\r\nhello\r\n0;chunk-signature=" + b"0" * 64 + b"\r\n\r\n"
    r = requests.put(url, data=chunked, headers={
        "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "Content-Encoding": "aws-chunked",
        "x-amz-decoded-content-length": "5"})
    assert r.status_code == 403, r.text
    assert not exists(kura, bucket, "mode")
    r = requests.put(url, data=b"hello", headers={"x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER"})
    assert r.status_code == 403 and error_of(r)[0] == "SignatureDoesNotMatch"
    # The value the signer used (UNSIGNED-PAYLOAD) may be sent unsigned, as S3 allows, and so
    # may X-Amzn-Trace-Id, which is not an x-amz- header.
    r = requests.put(url, data=b"hello", headers={"x-amz-content-sha256": "UNSIGNED-PAYLOAD",
                                                  "X-Amzn-Trace-Id": "Root=1-5759e988-bd862e3fe1be46a994272793"})
    assert r.status_code == 200, r.text
    assert kura.client().get_object(Bucket=bucket, Key="mode")["Body"].read() == b"hello"


@pytest.mark.parametrize("name", ["X-Amz-Signature", "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date",
                                  "X-Amz-Expires", "X-Amz-SignedHeaders"])
def test_a_repeated_auth_parameter_is_refused(kura, bucket, name):
    kura.client().put_object(Bucket=bucket, Key="r", Body=b"data")
    url = presign(kura, "get_object", bucket, "r")
    assert requests.get(url).status_code == 200
    value = url.split(name + "=", 1)[1].split("&", 1)[0]
    extra = "0" * 64 if name == "X-Amz-Signature" else value
    r = requests.get(f"{url}&{name}={extra}")
    assert r.status_code == 400, r.text
    assert error_of(r)[:2] == ("AuthorizationQueryParametersError", f"{name} must appear only once")


def test_a_repeated_auth_header_is_refused(kura, bucket):
    import http.client
    import botocore.auth
    import botocore.awsrequest
    import botocore.credentials
    from conftest import ROOT_KEY, ROOT_SECRET
    url = f"{kura.endpoint}/{bucket}/h"
    request = botocore.awsrequest.AWSRequest(method="GET", url=url)
    botocore.auth.S3SigV4Auth(botocore.credentials.Credentials(ROOT_KEY, ROOT_SECRET), "s3",
                              "us-east-1").add_auth(request)
    host, port = kura.endpoint.split("//")[1].split(":")
    for repeated in ["Authorization", "X-Amz-Date", "X-Amz-Content-SHA256"]:
        conn = http.client.HTTPConnection(host, int(port))
        conn.putrequest("GET", f"/{bucket}/h", skip_accept_encoding=True, skip_host=True)
        conn.putheader("Host", f"{host}:{port}")
        for name, value in request.headers.items():
            conn.putheader(name, value)
        conn.putheader(repeated, request.headers[repeated])
        conn.endheaders()
        r = conn.getresponse()
        body = r.read()
        assert r.status == 400, (repeated, body)
        assert b"<Code>InvalidArgument</Code>" in body
        conn.close()


def test_a_header_hoisted_into_a_presigned_query_is_refused_not_ignored(kura, bucket):
    # Some SDKs presign x-amz-* headers as query parameters, where S3 acts on them; kura reads
    # them from headers only, so a signed x-amz-acl in the query would be accepted and ignored.
    from botocore.auth import S3SigV4QueryAuth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    from conftest import REGION, ROOT_KEY, ROOT_SECRET
    request = AWSRequest(method="PUT", url=f"{kura.endpoint}/{bucket}/hoisted?x-amz-acl=public-read")
    S3SigV4QueryAuth(Credentials(ROOT_KEY, ROOT_SECRET), "s3", REGION, expires=300).add_auth(request)
    r = requests.put(request.url, data=b"data")
    assert r.status_code == 501, r.text
    assert error_of(r)[0] == "NotImplemented" and "x-amz-acl" in error_of(r)[1]
    assert not exists(kura, bucket, "hoisted")
