"""End-to-end integrity (#16): every stored byte carries a CRC32C that every read checks. A byte
flipped on disk (in a blob file, a multipart part, an encrypted blob, or an inline body in the
database) is never served: the GET answers 500 InternalError when the damage is in what would be
sent first, or the body is cut short (the connection aborted) when the damage is found after the
head went out. Reads of undamaged blocks still succeed, other objects keep being served, a
restart changes nothing, and blobs written before checksums (no footer) are still served."""
import hashlib
import http.client
import os
import re
import sqlite3
import struct
import time
import urllib.parse

import botocore.exceptions
import pytest

from damage import flip_byte

MiB = 1024 * 1024
BLOCK = 64 * 1024


def payload(seed, size):
    block = hashlib.sha256(seed.encode()).digest()
    return (block * (size // len(block) + 1))[:size]


def db(server):
    return sqlite3.connect(os.path.join(server.data_dir, "meta.db"), timeout=10)


def blob_path(server, blob_id):
    return os.path.join(server.data_dir, "blobs", blob_id[:2], blob_id[2:4], blob_id)


def blob_ids(server, bucket, key):
    """The blob file ids of the current version of bucket/key, in part order."""
    with db(server) as conn:
        kind, blob_id, parts = conn.execute(
            "SELECT blob_kind, blob_id, blob_parts FROM objects WHERE bucket = ? AND key = ?",
            (bucket, key)).fetchone()
    if kind == 1:
        return [blob_id]
    ids = [m.decode() for m in re.findall(rb"[0-9a-f]{32}", parts)]
    assert ids and all(os.path.exists(blob_path(server, i)) for i in ids)
    return ids


def strip_footer(path):
    """Truncates a blob file to its data, as kura wrote it before checksums."""
    with open(path, "rb") as f:
        f.seek(-24, os.SEEK_END)
        trailer = f.read(24)
    assert trailer[:8] == b"KURACRC1"
    magic, block_size, data_size, table_crc = struct.unpack("<8sIQI", trailer)
    assert block_size == BLOCK
    assert os.path.getsize(path) == data_size + 4 * ((data_size + BLOCK - 1) // BLOCK) + 24
    os.truncate(path, data_size)


def get(s3, bucket, key, **kw):
    return s3.get_object(Bucket=bucket, Key=key, **kw)["Body"].read()


def assert_internal_error(call):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        call()
    assert e.value.response["Error"]["Code"] == "InternalError"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    return e.value


def raw_get(server, s3, bucket, key):
    """A presigned GET over plain http.client: (status, declared length, bytes received)."""
    url = urllib.parse.urlparse(s3.generate_presigned_url(
        "get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=300))
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    conn.request("GET", url.path + "?" + url.query)
    resp = conn.getresponse()
    received = b""
    try:
        while True:
            chunk = resp.fp.read(65536)  # past http.client's own length check
            if not chunk:
                break
            received += chunk
    finally:
        conn.close()
    return resp.status, int(resp.getheader("Content-Length", "-1")), received


@pytest.fixture
def s3(kura):
    return kura.client()


def test_a_flipped_byte_in_a_file_blob_is_never_served(kura, s3, bucket):
    data = payload("file", MiB)
    s3.put_object(Bucket=bucket, Key="file", Body=data)
    s3.put_object(Bucket=bucket, Key="other", Body=payload("other", MiB))
    assert get(s3, bucket, "file") == data
    [blob_id] = blob_ids(kura, bucket, "file")
    assert os.path.getsize(blob_path(kura, blob_id)) == MiB + 4 * 16 + 24  # data ‖ CRCs ‖ trailer
    flip_byte(blob_path(kura, blob_id), 1000)  # block 0: in the first buffer a GET sends

    assert_internal_error(lambda: get(s3, bucket, "file"))
    status, _, body = raw_get(kura, s3, bucket, "file")
    assert status == 500
    assert b"<Code>InternalError</Code>" in body
    assert kura.data_dir.encode() not in body and b"blobs/" not in body
    # Blocks the damage is not in still read, ranged; the damaged block never does.
    assert get(s3, bucket, "file", Range=f"bytes={BLOCK}-{3 * BLOCK - 1}") == data[BLOCK:3 * BLOCK]
    assert get(s3, bucket, "file", Range="bytes=-10") == data[-10:]
    assert_internal_error(lambda: get(s3, bucket, "file", Range="bytes=999-1000"))
    assert s3.head_object(Bucket=bucket, Key="file")["ContentLength"] == MiB  # HEAD reads no data
    assert get(s3, bucket, "other") == payload("other", MiB)
    assert "integrity: corrupt blob=" + blob_id in kura.output()


def test_damage_found_after_the_head_cuts_the_body_short(kura, s3, bucket):
    data = payload("late", MiB)
    s3.put_object(Bucket=bucket, Key="late", Body=data)
    [blob_id] = blob_ids(kura, bucket, "late")
    flip_byte(blob_path(kura, blob_id), 900 * 1024)  # well after the first buffer

    with pytest.raises((botocore.exceptions.IncompleteReadError,
                        botocore.exceptions.ResponseStreamingError)):
        get(s3, bucket, "late")
    status, declared, body = raw_get(kura, s3, bucket, "late")
    assert status == 200 and declared == MiB
    assert len(body) < 900 * 1024 and body == data[:len(body)]  # a prefix, never bad bytes
    assert get(s3, bucket, "late", Range="bytes=0-99999") == data[:100000]
    assert "after the head (connection aborted)" in kura.output()


def test_a_damaged_multipart_part_is_never_served(kura, s3, bucket):
    parts = [payload("p1", 5 * MiB), payload("p2", 5 * MiB)]
    upload = s3.create_multipart_upload(Bucket=bucket, Key="mp")["UploadId"]
    etags = [s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload, PartNumber=i + 1,
                            Body=p)["ETag"] for i, p in enumerate(parts)]
    s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload, MultipartUpload={
        "Parts": [{"ETag": e, "PartNumber": i + 1} for i, e in enumerate(etags)]})
    assert get(s3, bucket, "mp") == parts[0] + parts[1]
    ids = blob_ids(kura, bucket, "mp")
    assert len(ids) == 2
    flip_byte(blob_path(kura, ids[1]), 12345)

    assert get(s3, bucket, "mp", PartNumber=1) == parts[0]
    assert_internal_error(lambda: get(s3, bucket, "mp", PartNumber=2))
    with pytest.raises((botocore.exceptions.IncompleteReadError,
                        botocore.exceptions.ResponseStreamingError)):
        get(s3, bucket, "mp")
    # CopyObject reads the source through the same checks.
    assert_internal_error(lambda: s3.copy_object(Bucket=bucket, Key="mp-copy",
                                                 CopySource={"Bucket": bucket, "Key": "mp"}))


def test_a_flipped_byte_in_an_inline_body_is_never_served(kura, s3, bucket):
    data = payload("inline", 1024)
    s3.put_object(Bucket=bucket, Key="small", Body=data)
    # Not read before the damage: kura keeps recently read records (with their verified inline
    # bodies) in memory and would rightly keep serving that copy; the check is on the disk read.
    with db(kura) as conn:
        row = conn.execute("SELECT i.id, i.data, i.crc32c FROM inline_blobs i JOIN objects o "
                           "ON o.inline_id = i.id WHERE o.bucket = ? AND o.key = ?",
                           (bucket, "small")).fetchone()
        assert row[1] == data and row[2] is not None
        bad = bytearray(data)
        bad[500] ^= 0x01
        conn.execute("UPDATE inline_blobs SET data = ? WHERE id = ?", (bytes(bad), row[0]))
    assert_internal_error(lambda: get(s3, bucket, "small"))
    assert s3.head_object(Bucket=bucket, Key="small")["ContentLength"] == 1024
    # Bodies stored before checksums (crc32c NULL) are served as they are.
    with db(kura) as conn:
        conn.execute("UPDATE inline_blobs SET data = ?, crc32c = NULL WHERE id = ?", (data, row[0]))
    assert get(s3, bucket, "small") == data


def test_encrypted_blobs_are_checked_and_legacy_ones_still_served(kura, s3, bucket):
    data = payload("sse", MiB)
    for key in ("sse", "sse-legacy"):
        s3.put_object(Bucket=bucket, Key=key, Body=data, ServerSideEncryption="AES256")
        assert get(s3, bucket, key) == data
    [damaged] = blob_ids(kura, bucket, "sse")
    flip_byte(blob_path(kura, damaged), 5000)
    assert_internal_error(lambda: get(s3, bucket, "sse"))
    [legacy] = blob_ids(kura, bucket, "sse-legacy")
    strip_footer(blob_path(kura, legacy))  # the ciphertext alone, as written before #16
    assert get(s3, bucket, "sse-legacy") == data


def test_restart_and_legacy_file_blobs(fresh_kura):
    s3 = fresh_kura.client()
    s3.create_bucket(Bucket="restart")
    good, legacy, bad = payload("good", MiB), payload("legacy", 300_000), payload("bad", MiB)
    s3.put_object(Bucket="restart", Key="good", Body=good)
    s3.put_object(Bucket="restart", Key="legacy", Body=legacy)
    s3.put_object(Bucket="restart", Key="bad", Body=bad)
    [legacy_id] = blob_ids(fresh_kura, "restart", "legacy")
    strip_footer(blob_path(fresh_kura, legacy_id))
    assert os.path.getsize(blob_path(fresh_kura, legacy_id)) == len(legacy)
    [bad_id] = blob_ids(fresh_kura, "restart", "bad")
    flip_byte(blob_path(fresh_kura, bad_id), 7)

    fresh_kura.stop()
    fresh_kura.start()
    s3 = fresh_kura.client()
    assert get(s3, "restart", "good") == good
    assert get(s3, "restart", "legacy") == legacy
    assert get(s3, "restart", "legacy", Range="bytes=70000-70009") == legacy[70000:70010]
    assert_internal_error(lambda: get(s3, "restart", "bad"))
    # Overwrites and deletes of a damaged object work: the damage goes with its blob.
    [good_id] = blob_ids(fresh_kura, "restart", "good")
    s3.put_object(Bucket="restart", Key="bad", Body=bad)
    assert get(s3, "restart", "bad") == bad
    s3.delete_object(Bucket="restart", Key="good")
    deadline = time.time() + 20  # replaced blobs are unlinked in the background
    while time.time() < deadline and any(
            os.path.exists(blob_path(fresh_kura, i)) for i in (bad_id, good_id)):
        time.sleep(0.05)
    assert not os.path.exists(blob_path(fresh_kura, bad_id))
    assert not os.path.exists(blob_path(fresh_kura, good_id))
