"""Bucket default encryption (Put/Get/DeleteBucketEncryption) with boto3 and the aws CLI, over
HTTP and HTTPS: the configuration round trip, what S3 refuses, and a new bucket answering
ServerSideEncryptionConfigurationNotFoundError (kura keeps new buckets unencrypted)."""
import base64
import hashlib
import json
import urllib.error
import urllib.request

import botocore.exceptions
import pytest

import conftest

AES256 = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}
KMS = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms",
                                                          "KMSMasterKeyID": "alias/team"},
                  "BucketKeyEnabled": True}]}


def error_of(excinfo):
    err = excinfo.value.response["Error"]
    return err["Code"], excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture(params=["http", "https"])
def s3(request, kura):
    return kura.client(tls=request.param == "https")


def test_new_bucket_has_no_configuration_until_one_is_put(s3, bucket):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_bucket_encryption(Bucket=bucket)
    assert error_of(e) == ("ServerSideEncryptionConfigurationNotFoundError", 404)

    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration=AES256)
    rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rules == [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"},
                      "BucketKeyEnabled": False}]

    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration=KMS)
    rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rules == KMS["Rules"]

    for _ in range(2):  # a repeated delete is 204 too
        res = s3.delete_bucket_encryption(Bucket=bucket)
        assert res["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_bucket_encryption(Bucket=bucket)
    assert error_of(e) == ("ServerSideEncryptionConfigurationNotFoundError", 404)


@pytest.mark.parametrize("config,expected", [
    ({"Rules": []}, ("MalformedXML", 400)),
    ({"Rules": AES256["Rules"] * 2}, ("MalformedXML", 400)),
    ({"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "DES"}}]}, ("MalformedXML", 400)),
    ({"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256",
                                                        "KMSMasterKeyID": "k"}}]},
     ("InvalidArgument", 400)),
    ({"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms:dsse"}}]},
     ("NotImplemented", 501)),
])
def test_invalid_configurations_are_refused_as_s3_does(s3, bucket, config, expected):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration=config)
    assert error_of(e) == expected
    with pytest.raises(botocore.exceptions.ClientError):
        s3.get_bucket_encryption(Bucket=bucket)  # nothing was stored


def test_a_missing_bucket_is_no_such_bucket(s3):
    for call in (lambda: s3.get_bucket_encryption(Bucket="no-such-bucket-enc"),
                 lambda: s3.delete_bucket_encryption(Bucket="no-such-bucket-enc"),
                 lambda: s3.put_bucket_encryption(Bucket="no-such-bucket-enc",
                                                  ServerSideEncryptionConfiguration=AES256)):
        with pytest.raises(botocore.exceptions.ClientError) as e:
            call()
        assert error_of(e) == ("NoSuchBucket", 404)


def test_put_without_an_integrity_header_is_refused(kura, bucket):
    # botocore always adds a checksum (the model says requestChecksumRequired): sign a raw one.
    from botocore.auth import S3SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    body = (b"<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault>"
            b"<SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule>"
            b"</ServerSideEncryptionConfiguration>")
    req = AWSRequest(method="PUT", url=f"{kura.endpoint}/{bucket}?encryption", data=body)
    S3SigV4Auth(Credentials(conftest.ROOT_KEY, conftest.ROOT_SECRET), "s3", "us-east-1").add_auth(req)
    raw = urllib.request.Request(req.url, data=body, method="PUT", headers=dict(req.headers))
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(raw)
    answer = e.value.read()
    assert e.value.code == 400 and b"<Code>InvalidRequest</Code>" in answer, answer
    assert b"Missing required header for this request: Content-MD5" in answer, answer
    # The same request with Content-MD5 is taken.
    req = AWSRequest(method="PUT", url=f"{kura.endpoint}/{bucket}?encryption", data=body,
                     headers={"Content-MD5": base64.b64encode(hashlib.md5(body).digest()).decode()})
    S3SigV4Auth(Credentials(conftest.ROOT_KEY, conftest.ROOT_SECRET), "s3", "us-east-1").add_auth(req)
    raw = urllib.request.Request(req.url, data=body, method="PUT", headers=dict(req.headers))
    with urllib.request.urlopen(raw) as r:
        assert r.status == 200


def test_writes_without_headers_take_the_default(s3, bucket):
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration=AES256)
    put = s3.put_object(Bucket=bucket, Key="k", Body=b"secret")
    assert put["ServerSideEncryption"] == "AES256"
    assert s3.head_object(Bucket=bucket, Key="k")["ServerSideEncryption"] == "AES256"
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"secret"
    s3.delete_bucket_encryption(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="plain", Body=b"x")
    assert "ServerSideEncryption" not in s3.head_object(Bucket=bucket, Key="plain")


def error_of_response(error):
    return error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize("tls", [False, True])
def test_aws_cli_puts_gets_and_deletes_the_configuration(kura, bucket, version, tls):
    kura.aws("s3api", "put-bucket-encryption", "--bucket", bucket,
             "--server-side-encryption-configuration", json.dumps(KMS), version=version, tls=tls)
    out = json.loads(kura.aws("s3api", "get-bucket-encryption", "--bucket", bucket,
                              version=version, tls=tls).stdout)
    assert out["ServerSideEncryptionConfiguration"]["Rules"] == KMS["Rules"]
    kura.aws("s3api", "delete-bucket-encryption", "--bucket", bucket, version=version, tls=tls)
    res = kura.aws("s3api", "get-bucket-encryption", "--bucket", bucket, version=version, tls=tls,
                   check=False)
    assert res.returncode != 0 and "ServerSideEncryptionConfigurationNotFoundError" in res.stderr
