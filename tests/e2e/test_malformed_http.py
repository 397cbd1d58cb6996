"""Requests that are not well-formed HTTP/1.1 (issue #10 item 7): each gets its 4xx, or 505 for
another HTTP version, with an S3 <Error> document whose Code and Message are not empty, then
"Connection: close", and the server closes the socket; the server goes on serving."""
import socket
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
