#!/usr/bin/env python3
"""Records requests signed by botocore (the AWS SDK for Python) as fixtures for sigv4 tests.

Each fixture is one JSON file: the request exactly as botocore would send it (method, target,
headers, base64 body), the frozen signing time, credentials and what the verifier should
conclude. Run once from this directory; the outputs are committed under fixtures/.
Nothing is sent over the network: a before-send hook captures the request and answers it.
"""
import base64
import datetime
import io
import json
import os
import sys
from unittest import mock

import botocore.session
from botocore.awsrequest import AWSResponse
from botocore.config import Config

NOW = datetime.datetime(2024, 5, 1, 12, 0, 0)
AKID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
TOKEN = "FwoGZXIvYXdzEXAMPLETOKEN/with+slash=="
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


class _Raw(io.BytesIO):
    def stream(self, **_):
        yield self.getvalue()


def _body_bytes(body):
    if body is None:
        return b""
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    if isinstance(body, str):
        return body.encode()
    return b"".join(iter(lambda: body.read(65536), b""))


def record(name, service, endpoint, call, token=None, expect=None):
    captured = {}

    def before_send(request, **_):
        parts = request.url.split("/", 3)
        captured["method"] = request.method
        captured["target"] = "/" + (parts[3] if len(parts) > 3 else "")
        captured["headers"] = [[k, v.decode() if isinstance(v, bytes) else v]
                               for k, v in request.headers.items()]
        host = endpoint.split("://", 1)[1]
        if not any(k.lower() == "host" for k, _ in captured["headers"]):
            captured["headers"].insert(0, ["Host", host])
        captured["body_b64"] = base64.b64encode(_body_bytes(request.body)).decode()
        body = b"<Empty/>" if service == "s3" else b"<R><ResponseMetadata/></R>"
        return AWSResponse(request.url, 200, {}, _Raw(body))

    session = botocore.session.get_session()
    client = session.create_client(
        service, region_name="us-east-1", endpoint_url=endpoint,
        aws_access_key_id=AKID, aws_secret_access_key=SECRET, aws_session_token=token,
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
    client.meta.events.register("before-send", before_send)
    with mock.patch("botocore.auth.get_current_datetime", return_value=NOW):
        try:
            call(client)
        except Exception as error:  # parsing the canned answer may fail; the capture stands
            if "method" not in captured:
                raise
            del error
    fixture = {"name": name, "now": NOW.strftime("%Y%m%dT%H%M%SZ"), "access_key_id": AKID,
               "secret": SECRET, "session_token": token or "", "expect": expect or {}}
    fixture.update(captured)
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(fixture, f, indent=1, sort_keys=True)


def record_presigned(name, params, token=None):
    session = botocore.session.get_session()
    client = session.create_client(
        "s3", region_name="us-east-1", endpoint_url="http://127.0.0.1:9000",
        aws_access_key_id=AKID, aws_secret_access_key=SECRET, aws_session_token=token,
        config=Config(s3={"addressing_style": "path"}, signature_version="s3v4"))
    with mock.patch("botocore.auth.get_current_datetime", return_value=NOW):
        url = client.generate_presigned_url(params[0], Params=params[1], ExpiresIn=params[2])
    target = "/" + url.split("/", 3)[3]
    fixture = {"name": name, "now": NOW.strftime("%Y%m%dT%H%M%SZ"), "access_key_id": AKID,
               "secret": SECRET, "session_token": token or "", "method": "GET",
               "target": target, "headers": [["Host", "127.0.0.1:9000"]], "body_b64": "",
               "expect": {"type": "presigned", "payload": "UNSIGNED-PAYLOAD"}}
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(fixture, f, indent=1, sort_keys=True)


def main():
    os.makedirs(OUT, exist_ok=True)
    http = "http://127.0.0.1:9000"
    https = "https://127.0.0.1:9443"
    record("s3_get_object_http", "s3", http,
           lambda c: c.get_object(Bucket="bucket", Key="photos/2024/a b+c~ü.jpg"))
    record("s3_get_object_https_session", "s3", https,
           lambda c: c.get_object(Bucket="bucket", Key="key", Range="bytes=0-9"), token=TOKEN)
    record("s3_list_objects_v2", "s3", http,
           lambda c: c.list_objects_v2(Bucket="bucket", Prefix="a b/c=d&e", Delimiter="/",
                                       MaxKeys=10))
    record("s3_put_object_bytes_http", "s3", http,
           lambda c: c.put_object(Bucket="bucket", Key="k", Body=b"hello world\n" * 100,
                                  Metadata={"color": "blue"}),
           expect={"body": "hello world\n" * 100})
    record("s3_put_object_sha256_checksum", "s3", http,
           lambda c: c.put_object(Bucket="bucket", Key="k2", Body=b"checksummed body",
                                  ChecksumAlgorithm="SHA256"),
           expect={"body": "checksummed body"})
    record("s3_put_object_stream_https_trailer", "s3", https,
           lambda c: c.put_object(Bucket="bucket", Key="streamed",
                                  Body=io.BytesIO(b"0123456789abcdef" * 5000)),
           expect={"body": "0123456789abcdef" * 5000})
    record("s3_put_object_stream_sha1_trailer", "s3", https,
           lambda c: c.put_object(Bucket="bucket", Key="streamed2",
                                  Body=io.BytesIO(b"x" * 70000), ChecksumAlgorithm="SHA1"),
           expect={"body": "x" * 70000})
    record("sts_get_caller_identity", "sts", http, lambda c: c.get_caller_identity())
    record("iam_list_users", "iam", http, lambda c: c.list_users(PathPrefix="/a b/"))
    record_presigned("s3_presigned_get", ("get_object",
                                          {"Bucket": "bucket", "Key": "dir/file name.txt"}, 3600))
    record_presigned("s3_presigned_get_session", ("get_object", {"Bucket": "bucket", "Key": "k"},
                                                  604800), token=TOKEN)
    return 0


if __name__ == "__main__":
    sys.exit(main())
