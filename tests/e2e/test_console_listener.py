"""The console listener (--console-listen): unsigned GET/HEAD of /, /assets/… and /metrics are the
console's, with its security headers; every other request goes through the same pipeline as on
the S3 port, so signed boto3 S3, IAM and STS calls work against the console port too. The S3 port
serves no console file, and without --console-listen there is no second port."""
import os
import re
import socket
import urllib.error
import urllib.request

import boto3
import botocore.config
import pytest

from conftest import REGION, ROOT_KEY, ROOT_SECRET, KuraServer, free_port

INDEX = b"<!doctype html><title>kura console test</title>\n"
APP_JS = b"document.title = 'kura';\n"


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    d = tmp_path_factory.mktemp("console")
    assets = d / "assets"
    (assets / "js").mkdir(parents=True)
    (assets / "index.html").write_bytes(INDEX)
    (assets / "js" / "app.js").write_bytes(APP_JS)
    (assets / "style.css").write_bytes(b"body{}\n")
    (d / "outside.txt").write_bytes(b"not for the web\n")
    os.symlink(d / "outside.txt", assets / "escape.txt")
    port = free_port()
    server = KuraServer(str(d / "data"), extra_args=[
        "--console-listen", f"127.0.0.1:{port}", "--console-assets", str(assets)]).start()
    server.console_port = port
    server.console_endpoint = f"http://127.0.0.1:{port}"
    yield server
    server.stop()


def fetch(url, method="GET", headers=None):
    """(status, headers, body) without raising on 4xx/5xx."""
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def client(endpoint, service):
    cfg = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"},
                                 s3={"addressing_style": "path"})
    return boto3.session.Session().client(service, endpoint_url=endpoint, region_name=REGION,
                                          aws_access_key_id=ROOT_KEY, aws_secret_access_key=ROOT_SECRET,
                                          config=cfg)


def assert_security_headers(headers):
    csp = headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "connect-src 'self'", "frame-ancestors 'none'",
                      "object-src 'none'"):
        assert directive in csp, csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"


def test_index_is_served_with_security_headers_and_no_store(console):
    status, headers, body = fetch(console.console_endpoint + "/")
    assert status == 200
    assert body == INDEX
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"
    assert_security_headers(headers)


def test_assets_have_their_type_an_etag_and_answer_304_and_head(console):
    status, headers, body = fetch(console.console_endpoint + "/assets/js/app.js")
    assert (status, body) == (200, APP_JS)
    assert headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert_security_headers(headers)
    etag = headers["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    status, _, body = fetch(console.console_endpoint + "/assets/js/app.js", headers={"If-None-Match": etag})
    assert (status, body) == (304, b"")
    status, headers, body = fetch(console.console_endpoint + "/assets/style.css", method="HEAD")
    assert status == 200 and body == b""
    assert headers["Content-Length"] == "7"
    assert headers["Content-Type"] == "text/css; charset=utf-8"


def raw_get(port, target):
    """The status line of a GET sent byte for byte (urllib would normalize `..`)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        reply = b""
        while chunk := s.recv(65536):
            reply += chunk
    return reply


@pytest.mark.parametrize("target", ["/assets/../outside.txt", "/assets/js/../../outside.txt",
                                    "/assets/%2e%2e/outside.txt", "/assets/escape.txt",
                                    "/assets/.hidden", "/assets/js", "/assets/missing.js"])
def test_traversal_symlinks_out_and_missing_files_are_404(console, target):
    reply = raw_get(console.console_port, target)
    assert reply.startswith(b"HTTP/1.1 404 "), reply[:200]
    assert b"not for the web" not in reply


def test_signed_s3_iam_and_sts_calls_work_on_the_console_port(console):
    s3 = client(console.console_endpoint, "s3")
    s3.create_bucket(Bucket="via-console")
    s3.put_object(Bucket="via-console", Key="k", Body=b"hello")
    assert s3.get_object(Bucket="via-console", Key="k")["Body"].read() == b"hello"
    assert "via-console" in [b["Name"] for b in s3.list_buckets()["Buckets"]]  # a signed GET /
    # The same store as the S3 port's.
    assert console.client().get_object(Bucket="via-console", Key="k")["Body"].read() == b"hello"
    # An object under a bucket named like the console's paths is reached when signed.
    s3.create_bucket(Bucket="assets")
    s3.put_object(Bucket="assets", Key="js/app.js", Body=b"bucket bytes")
    assert s3.get_object(Bucket="assets", Key="js/app.js")["Body"].read() == b"bucket bytes"

    iam = client(console.console_endpoint, "iam")
    iam.create_user(UserName="console-user")
    assert iam.get_user(UserName="console-user")["User"]["UserName"] == "console-user"
    sts = client(console.console_endpoint, "sts")
    assert sts.get_caller_identity()["Arn"].endswith(":root")
    token = sts.get_session_token(DurationSeconds=900)["Credentials"]
    session_s3 = boto3.session.Session().client(
        "s3", endpoint_url=console.console_endpoint, region_name=REGION,
        aws_access_key_id=token["AccessKeyId"], aws_secret_access_key=token["SecretAccessKey"],
        aws_session_token=token["SessionToken"],
        config=botocore.config.Config(s3={"addressing_style": "path"}))
    assert session_s3.head_bucket(Bucket="via-console")["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_unsigned_api_requests_get_the_apis_own_errors(console):
    status, headers, body = fetch(console.console_endpoint + "/via-console/k")
    assert status == 403 and b"<Code>AccessDenied</Code>" in body
    assert "Content-Security-Policy" not in headers  # an API answer, not the console's


def test_the_s3_port_serves_no_console_file(console):
    status, headers, body = fetch(console.endpoint + "/assets/js/app.js")
    assert status in (403, 404) and body != APP_JS
    assert b"<Error>" in body
    status, _, body = fetch(console.endpoint + "/")
    assert body != INDEX
    status, _, body = fetch(console.endpoint + "/metrics")
    assert b"kura_" not in body


def test_without_console_listen_there_is_no_console_port(tmp_path):
    port = free_port()
    server = KuraServer(str(tmp_path / "data")).start()
    try:
        assert "kura console on" not in server.output()
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        # And the S3 port is unchanged.
        assert fetch(server.endpoint + "/")[2] != INDEX
    finally:
        server.stop()


def test_built_in_assets_are_served_without_console_assets(tmp_path):
    """Without --console-assets the table compiled into the binary answers: its index.html when
    the console's files are built in, else 404 (an empty table), with the same headers."""
    port = free_port()
    server = KuraServer(str(tmp_path / "data"), extra_args=["--console-listen", f"127.0.0.1:{port}"]).start()
    try:
        assert f"kura console on http://127.0.0.1:{port}/" in server.output()
        status, headers, body = fetch(f"http://127.0.0.1:{port}/")
        assert status in (200, 404)
        assert_security_headers(headers)
        if status == 200:
            assert headers["Content-Type"] == "text/html; charset=utf-8"
            assert b"<" in body
    finally:
        server.stop()


def test_a_bad_console_assets_directory_fails_at_start(tmp_path):
    server = KuraServer(str(tmp_path / "data"), extra_args=[
        "--console-listen", f"127.0.0.1:{free_port()}", "--console-assets", str(tmp_path / "absent")])
    with pytest.raises(RuntimeError, match="console-assets"):
        server.start()
