"""Hostile and broken clients: oversized headers, garbage requests, truncated bodies and stalled
connections get S3's errors (or a closed connection) and change nothing."""
import gc
import http.client
import os
import secrets
import socket
import time

import pytest
import requests

from conftest import SANITIZED


def raw(kura, data, read=65536, timeout=5):
    with socket.create_connection(("127.0.0.1", kura.port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        try:
            while True:
                got = s.recv(read)
                if not got:
                    break
                chunks.append(got)
        except socket.timeout:
            pass
        return b"".join(chunks)


def test_oversized_header_section_is_refused(kura):
    r = requests.get(f"{kura.endpoint}/", headers={"X-Big": "a" * 40_000})
    assert r.status_code == 400
    assert b"RequestHeaderSectionTooLarge" in r.content


def test_garbage_request_line_closes_the_connection(kura):
    reply = raw(kura, b"\x00\x01\x02 not http at all\r\n\r\n")
    assert reply == b"" or reply.startswith(b"HTTP/1.1 400")


def test_bad_percent_encoding_is_invalid_uri(kura):
    reply = raw(kura, b"GET /bucket/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert b" 400 " in reply.split(b"\r\n")[0] or b" 403 " in reply.split(b"\r\n")[0]


def test_stalled_client_is_disconnected_and_server_keeps_serving(kura):
    with socket.create_connection(("127.0.0.1", kura.port)) as stalled:
        stalled.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # never finishes the head
        for _ in range(5):
            assert kura.client().list_buckets()["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_many_idle_connections_do_not_block_service(kura):
    idle = [socket.create_connection(("127.0.0.1", kura.port)) for _ in range(200)]
    try:
        assert kura.client().list_buckets()["ResponseMetadata"]["HTTPStatusCode"] == 200
    finally:
        for s in idle:
            s.close()


def test_truncated_body_stores_nothing(kura, bucket):
    s3 = kura.client()
    url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "trunc"})
    del url  # the raw path below is enough: an unauthenticated truncated PUT is refused first
    reply = raw(kura, f"PUT /{bucket}/trunc HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc".encode(), timeout=2)
    assert reply.startswith(b"HTTP/1.1 403")
    assert s3.list_objects_v2(Bucket=bucket).get("KeyCount", 0) == 0


def test_client_leaving_mid_download_ends_only_its_connection(kura, bucket):
    # Objects over 64 KiB are files sent with sendfile(2): a client that drops a GET's body
    # unread (boto3 closes such a connection) once killed the whole server with SIGPIPE.
    s3 = kura.client()
    body = os.urandom(100_000)
    s3.put_object(Bucket=bucket, Key="big", Body=body)
    for _ in range(30):
        s3 = kura.client()
        assert s3.get_object(Bucket=bucket, Key="big")["ContentLength"] == len(body)
        del s3
        gc.collect()
    time.sleep(0.2)
    assert kura.proc.poll() is None
    assert kura.client().get_object(Bucket=bucket, Key="big")["Body"].read() == body


def test_a_refused_expect_continue_request_says_the_connection_closes(kura, bucket):
    # The client never sends the body of a request refused before 100 Continue, so kura ends the
    # connection; the response must say so, or a client reuses the closing socket for its next
    # request (botocore then saw a bodiless 400).
    request = (f"PUT /{bucket}/{'k' * 1025} HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
               "Content-Length: 5\r\n\r\n").encode()
    head = raw(kura, request).split(b"\r\n\r\n")[0].lower()
    assert head.startswith(b"http/1.1 4") and b"connection: close" in head
    # A small body already sent is drained instead, and the connection stays open.
    request = f"PUT /{bucket}/{'k' * 1025} HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello".encode()
    head = raw(kura, request, timeout=1).split(b"\r\n\r\n")[0].lower()
    assert head.startswith(b"http/1.1 4") and b"connection: close" not in head


def _rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _ask_about_random_buckets(kura, count):
    conn = http.client.HTTPConnection("127.0.0.1", kura.port, timeout=10)
    try:
        for _ in range(count):
            name = "flood-" + secrets.token_hex(28)  # 62 characters: a valid, unknown bucket
            conn.request("GET", f"/{name}/key")
            reply = conn.getresponse()
            reply.read()
            assert reply.status in (403, 404)
    finally:
        conn.close()


@pytest.mark.skipif(SANITIZED, reason="ASan's quarantine holds freed memory: RSS says nothing here")
def test_random_bucket_names_do_not_grow_memory(fresh_kura):
    # Every distinct bucket name asked about once left a cache entry that was never freed
    # (1.7 M anonymous requests: 14 → 309 MB). Warm up, then 40 000 new names must not add up.
    _ask_about_random_buckets(fresh_kura, 5_000)
    before = _rss_kib(fresh_kura.proc.pid)
    _ask_about_random_buckets(fresh_kura, 40_000)
    grown = _rss_kib(fresh_kura.proc.pid) - before
    assert grown < 2_048, f"RSS grew by {grown} KiB"
