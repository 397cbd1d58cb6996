"""Requests that are not well-formed HTTP/1.1 (issue #10 item 7): each gets its 4xx, or 505 for
another HTTP version, with an S3 <Error> document whose Code and Message are not empty, then
"Connection: close", and the server closes the socket; the server goes on serving."""
import http.client
import socket
import ssl
import xml.etree.ElementTree as ET

import pytest


def get(fields=b""):
    return b"GET /some-bucket/key HTTP/1.1\r\nHost: x\r\n" + fields + b"\r\n"


CASES = [
    ("negative-content-length", get(b"Content-Length: -1\r\n"), 400, "BadRequest"),
    ("non-numeric-content-length", get(b"Content-Length: abc\r\n"), 400, "BadRequest"),
    ("plus-sign-content-length", get(b"Content-Length: +3\r\n"), 400, "BadRequest"),
    ("content-length-above-2^64", get(b"Content-Length: 18446744073709551616\r\n"), 400, "BadRequest"),
    ("two-different-content-lengths", get(b"Content-Length: 3\r\nContent-Length: 4\r\n"), 400, "BadRequest"),
    ("content-length-list", get(b"Content-Length: 3, 4\r\n"), 400, "BadRequest"),
    ("transfer-encoding-and-content-length",
     get(b"Transfer-Encoding: chunked\r\nContent-Length: 3\r\n"), 400, "BadRequest"),
    ("content-length-and-transfer-encoding",
     get(b"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n"), 400, "BadRequest"),
    ("transfer-encoding-not-ending-in-chunked", get(b"Transfer-Encoding: chunked, gzip\r\n"), 400, "BadRequest"),
    ("nul-in-path", b"GET /some-bucket/a\x00b HTTP/1.1\r\nHost: x\r\n\r\n", 400, "InvalidURI"),
    ("nul-in-header", get(b"X-Amz-Meta-A: a\x00b\r\n"), 400, "BadRequest"),
    ("header-without-colon", get(b"NoColonHere\r\n"), 400, "BadRequest"),
    ("bare-lf", b"GET /some-bucket/key HTTP/1.1\nHost: x\n\n", 400, "BadRequest"),
    ("http-0.9", b"GET /\r\n", 400, "BadRequest"),
    ("http-2-preface", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505, "HTTPVersionNotSupported"),
    ("http-9.9", b"GET / HTTP/9.9\r\nHost: x\r\n\r\n", 505, "HTTPVersionNotSupported"),
    # Issue #13: every method, with the body the client sends anyway.
    ("put-object-negative-content-length",
     b"PUT /some-bucket/key HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\nabc", 400, "BadRequest"),
    ("create-bucket-negative-content-length",
     b"PUT /new-bucket HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n<CreateBucketConfiguration/>",
     400, "BadRequest"),
    ("post-negative-content-length",
     b"POST /some-bucket?delete HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400, "BadRequest"),
    ("delete-negative-content-length",
     b"DELETE /some-bucket/key HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400, "BadRequest"),
    ("put-plus-sign-content-length",
     b"PUT /some-bucket/key HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\nabc", 400, "BadRequest"),
    ("put-content-length-above-2^64",
     b"PUT /some-bucket/key HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\nabc",
     400, "BadRequest"),
    ("put-two-different-content-lengths",
     b"PUT /some-bucket/key HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 2\r\n\r\nabc",
     400, "BadRequest"),
    ("put-content-length-and-chunked",
     b"PUT /some-bucket/key HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
     b"3\r\nabc\r\n0\r\n\r\n", 400, "BadRequest"),
]


def exchange(port, data, timeout=10):
    """Sends `data`, returns everything the server sends until it closes (a timeout fails)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        while True:
            got = s.recv(65536)  # raises socket.timeout if the server neither answers nor closes
            if not got:
                return b"".join(chunks)
            chunks.append(got)


@pytest.mark.parametrize("name,data,status,code", CASES, ids=[c[0] for c in CASES])
def test_malformed_request_gets_an_s3_error_and_a_closed_connection(kura, name, data, status, code):
    reply = exchange(kura.port, data)
    head, _, body = reply.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0].startswith(f"HTTP/1.1 {status} "), reply
    fields = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    assert fields.get("connection") == "close", reply
    assert int(fields["content-length"]) == len(body), reply
    error = ET.fromstring(body)
    assert error.tag == "Error"
    assert error.findtext("Code") == code
    assert error.findtext("Message")
    assert error.findtext("RequestId")
    # The server is still healthy.
    assert kura.client().list_buckets()["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_malformed_request_after_a_body_we_do_not_read_still_gets_its_answer(kura):
    # An error answered while the client is still sending: the server must not reset the
    # connection (RST) before the client has read the answer.
    data = get(b"Content-Length: 3, 4\r\n") + b"x" * 200_000
    reply = exchange(kura.port, data)
    assert reply.startswith(b"HTTP/1.1 400 "), reply[:200]


def send_whole_body_then_read(kura, tls, method, path, content_length, body_size):
    """What Python's http.client (and requests) do: the whole body is written before the answer
    is read, so a server that closes with the body unread resets the connection first."""
    if tls:
        context = ssl.create_default_context(cafile=kura.tls[0])
        conn = http.client.HTTPSConnection("localhost", kura.port, timeout=30, context=context)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", kura.port, timeout=30)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        conn.putheader("Content-Length", content_length)
        conn.endheaders()
        conn.send(b"x" * body_size)
        res = conn.getresponse()
        return res.status, ET.fromstring(res.read()).findtext("Code")
    finally:
        conn.close()


# Issue #13: a negative Content-Length on PUT or CreateBucket closed the connection without an
# answer when the client went on sending its body (TLS: from about 100 KB; plain: past 1 MiB).
@pytest.mark.parametrize("tls", [False, True], ids=["http", "https"])
@pytest.mark.parametrize("path", ["/some-bucket/key", "/new-bucket"], ids=["put-object", "create-bucket"])
def test_negative_content_length_with_a_large_body_still_gets_its_400(kura, tls, path):
    assert send_whole_body_then_read(kura, tls, "PUT", path, "-1", 8 * 1024 * 1024) == (400, "BadRequest")


@pytest.mark.parametrize("tls", [False, True], ids=["http", "https"])
def test_a_refused_upload_whose_body_is_not_read_still_gets_its_answer(kura, tls):
    # Unsigned: refused before the body is read; the body is too large to read on and reuse.
    assert send_whole_body_then_read(kura, tls, "PUT", "/some-bucket/key", str(8 * 1024 * 1024),
                                     8 * 1024 * 1024) == (403, "AccessDenied")
