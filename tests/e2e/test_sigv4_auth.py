"""SigV4 as AWS answers it: unknown keys, wrong secrets (with StringToSign and CanonicalRequest
details), clock skew, presigned expiry, payload hash mismatches, streaming uploads and
anonymous requests. Requests are signed with botocore's own signers and sent raw."""
import datetime
import hashlib
import urllib.parse
import xml.etree.ElementTree as ET

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import botocore.exceptions
import pytest
import requests

from conftest import ROOT_KEY, ROOT_SECRET


def signed(method, url, body=b"", headers=None, key=ROOT_KEY, secret=ROOT_SECRET, payload_hash=None,
           when=None, send_body=None):
    """Signs with botocore's S3 signer; send_body, when given, replaces the body after signing."""
    request = botocore.awsrequest.AWSRequest(method=method, url=url, data=body, headers=headers or {})
    class Signer(botocore.auth.S3SigV4Auth):
        def payload(self, request):
            return payload_hash or super().payload(request)
    signer = Signer(botocore.credentials.Credentials(key, secret), "s3", "us-east-1")
    if when is not None:
        real = botocore.auth.datetime.datetime

        class Fixed(real):
            @classmethod
            def utcnow(cls):
                return when

            @classmethod
            def now(cls, tz=None):
                return when if tz is None else when.replace(tzinfo=tz)
        botocore.auth.datetime.datetime = Fixed
        try:
            signer.add_auth(request)
        finally:
            botocore.auth.datetime.datetime = real
    else:
        signer.add_auth(request)
    if payload_hash and request.headers["x-amz-content-sha256"] != payload_hash:
        raise AssertionError("botocore replaced the payload hash")
    return requests.request(method, url, data=body if send_body is None else send_body,
                            headers=dict(request.headers))


def code_of(response):
    return ET.fromstring(response.content).findtext("Code")


def test_anonymous_request_is_denied(kura, bucket):
    r = requests.get(f"{kura.endpoint}/{bucket}/k")
    assert r.status_code == 403 and code_of(r) == "AccessDenied"
    assert r.headers["x-amz-request-id"]


def test_unknown_access_key(kura, bucket):
    r = signed("GET", f"{kura.endpoint}/{bucket}", key="AKIANOSUCHKEY0000000")
    assert r.status_code == 403 and code_of(r) == "InvalidAccessKeyId"


def test_wrong_secret_reports_string_to_sign(kura, bucket):
    r = signed("GET", f"{kura.endpoint}/{bucket}", secret="x" * 40)
    assert r.status_code == 403 and code_of(r) == "SignatureDoesNotMatch"
    doc = ET.fromstring(r.content)
    assert doc.findtext("StringToSign").startswith("AWS4-HMAC-SHA256\n")
    assert doc.findtext("CanonicalRequest").startswith("GET\n/" + bucket)
    assert doc.findtext("AWSAccessKeyId") == ROOT_KEY


def test_clock_skew_over_fifteen_minutes(kura, bucket):
    past = datetime.datetime.utcnow() - datetime.timedelta(minutes=16)
    r = signed("GET", f"{kura.endpoint}/{bucket}", when=past)
    assert r.status_code == 403 and code_of(r) == "RequestTimeTooSkewed"
    near = datetime.datetime.utcnow() - datetime.timedelta(minutes=14)
    assert signed("GET", f"{kura.endpoint}/{bucket}", when=near).status_code == 200


def test_payload_hash_mismatch_stores_nothing(kura, bucket):
    r = signed("PUT", f"{kura.endpoint}/{bucket}/tampered", body=b"real body", send_body=b"fake body")
    assert r.status_code == 400 and code_of(r) == "XAmzContentSHA256Mismatch"
    with pytest.raises(botocore.exceptions.ClientError):
        kura.client().head_object(Bucket=bucket, Key="tampered")


def test_unsigned_payload_is_accepted(kura, bucket):
    r = signed("PUT", f"{kura.endpoint}/{bucket}/unsigned", body=b"abc", payload_hash="UNSIGNED-PAYLOAD")
    assert r.status_code == 200
    assert kura.client().get_object(Bucket=bucket, Key="unsigned")["Body"].read() == b"abc"


def test_wrong_content_md5_is_bad_digest(kura, bucket):
    import base64
    r = signed("PUT", f"{kura.endpoint}/{bucket}/md5", body=b"abc",
               headers={"Content-MD5": base64.b64encode(hashlib.md5(b"xyz").digest()).decode()})
    assert r.status_code == 400 and code_of(r) == "BadDigest"


def test_wrong_checksum_header_is_bad_digest(kura, bucket):
    r = signed("PUT", f"{kura.endpoint}/{bucket}/crc", body=b"abc", headers={"x-amz-checksum-crc32": "AAAAAA=="})
    assert r.status_code == 400 and code_of(r) == "BadDigest"


def test_presigned_url_expiry(kura, bucket):
    s3 = kura.client(signature_version="s3v4")
    s3.put_object(Bucket=bucket, Key="p", Body=b"x")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "p"}, ExpiresIn=1)
    import time
    time.sleep(2.1)
    r = requests.get(url)
    assert r.status_code == 403 and code_of(r) == "AccessDenied"
    assert "expired" in ET.fromstring(r.content).findtext("Message")
    too_long = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "p"}, ExpiresIn=604801)
    r = requests.get(too_long)
    assert r.status_code == 400 and code_of(r) == "AuthorizationQueryParametersError"


def test_tampered_presigned_url_is_refused(kura, bucket):
    url = kura.client(signature_version="s3v4").generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "p"})
    r = requests.get(url.replace("/p?", "/q?"))
    assert r.status_code == 403 and code_of(r) == "SignatureDoesNotMatch"


def test_https_upload_uses_aws_chunked_with_trailing_checksum(kura, bucket):
    """boto3 over HTTPS sends STREAMING-UNSIGNED-PAYLOAD-TRAILER with a CRC32 trailer."""
    s3 = kura.client(tls=True)
    data = bytes(range(256)) * 4096
    s3.put_object(Bucket=bucket, Key="chunked", Body=data)
    assert s3.get_object(Bucket=bucket, Key="chunked")["Body"].read() == data
    assert s3.head_object(Bucket=bucket, Key="chunked", ChecksumMode="ENABLED")["ChecksumCRC32"]


def test_virtual_hosted_style_with_configured_domain(tmp_path, tls_cert):
    from conftest import KuraServer
    server = KuraServer(str(tmp_path / "data"), extra_args=["--domain", "kura.test"]).start()
    try:
        server.client().create_bucket(Bucket="vhost")
        host = f"vhost.kura.test:{server.port}"
        r = signed("PUT", f"{server.endpoint}/obj", body=b"v", headers={"Host": host})
        assert r.status_code == 200, r.text
        assert server.client().get_object(Bucket="vhost", Key="obj")["Body"].read() == b"v"
    finally:
        server.stop()


def test_crc32c_and_crc64nvme_headers_are_verified_and_returned(kura, bucket):
    import base64
    # CRC-32C and CRC-64/NVME of "123456789" are the algorithms' published check values.
    crc32c = base64.b64encode(bytes.fromhex("e3069283")).decode()
    crc64 = base64.b64encode(bytes.fromhex("ae8b14860a799888")).decode()
    for header, value in [("x-amz-checksum-crc32c", crc32c), ("x-amz-checksum-crc64nvme", crc64)]:
        r = signed("PUT", f"{kura.endpoint}/{bucket}/check", body=b"123456789", headers={header: value})
        assert r.status_code == 200, r.text
        assert r.headers[header] == value
        r = signed("PUT", f"{kura.endpoint}/{bucket}/check", body=b"123456780", headers={header: value})
        assert r.status_code == 400 and code_of(r) == "BadDigest"
