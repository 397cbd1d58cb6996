"""`kura scrub` and the background scrubber against a real server: a clean data dir scrubs clean
while the server runs; a corrupt blob, a missing one, a truncated one, a corrupt inline body and
an old orphan are each named in the JSON summary (exit 1), with the server running and without
it; an interrupted scrub resumes where it stopped; the server's background scrubber finds a
corruption and logs it."""
import json
import os
import signal
import sqlite3
import stat
import subprocess
import time

import pytest

from damage import flip_byte

from conftest import KURA_BIN, KuraServer

MiB = 1024 * 1024


def scrub(data_dir, *args, timeout=120):
    result = subprocess.run([KURA_BIN, "scrub", "--data-dir", data_dir, "--json", *args],
                            capture_output=True, text=True, timeout=timeout)
    assert result.returncode in (0, 1), f"kura scrub failed ({result.returncode}): {result.stderr}"
    return result.returncode, json.loads(result.stdout)


def server(tmp_path, *extra):
    return KuraServer(str(tmp_path / "data"), extra_args=list(extra)).start()


def db(data_dir):
    return sqlite3.connect(os.path.join(data_dir, "meta.db"), timeout=30)


def blob_path(data_dir, blob_id):
    return os.path.join(data_dir, "blobs", blob_id[:2], blob_id[2:4], blob_id)


def file_blob_id(data_dir, bucket, key):
    with db(data_dir) as c:
        (blob_id,) = c.execute("SELECT blob_id FROM objects WHERE bucket=? AND key=? AND blob_kind=1",
                               (bucket, key)).fetchone()
    return blob_id


def names(problems):
    return sorted((p["bucket"], p["key"]) for p in problems)


def test_scrub_is_clean_then_names_each_problem(tmp_path):
    kura = server(tmp_path)
    data = kura.data_dir
    s3 = kura.client()
    s3.create_bucket(Bucket="scrub")
    s3.put_object(Bucket="scrub", Key="small", Body=b"s" * 1024)  # inline
    for key in ("big", "gone", "cut"):
        s3.put_object(Bucket="scrub", Key=key, Body=os.urandom(300 * 1024))  # file blobs
    upload = s3.create_multipart_upload(Bucket="scrub", Key="multi")["UploadId"]
    parts = [{"PartNumber": n, "ETag": s3.upload_part(Bucket="scrub", Key="multi", UploadId=upload,
                                                      PartNumber=n, Body=os.urandom(5 * MiB))["ETag"]}
             for n in (1, 2)]
    s3.complete_multipart_upload(Bucket="scrub", Key="multi", UploadId=upload,
                                 MultipartUpload={"Parts": parts})
    pending = s3.create_multipart_upload(Bucket="scrub", Key="pending")["UploadId"]
    s3.upload_part(Bucket="scrub", Key="pending", UploadId=pending, PartNumber=1, Body=b"p" * MiB)
    s3.create_bucket(Bucket="versions")
    s3.put_bucket_versioning(Bucket="versions", VersioningConfiguration={"Status": "Enabled"})
    for body in (b"one" * 30000, b"two" * 30000):
        s3.put_object(Bucket="versions", Key="doc", Body=body)
    s3.delete_object(Bucket="versions", Key="doc")  # a delete marker

    # Clean, while the server runs: 5 objects + 3 versions (one a delete marker) + 1 part.
    code, summary = scrub(data)
    assert code == 0, summary
    assert summary["complete"] is True
    assert summary["objects"] == 9
    assert summary["delete_markers"] == 1
    assert summary["verified"] == 8
    assert summary["legacy_unverified"] == 0
    assert summary["counts"] == {"corrupt": 0, "missing": 0, "size_mismatch": 0, "orphans": 0}
    assert summary["bytes"] == 1024 + 3 * 300 * 1024 + 10 * MiB + MiB + 2 * 90000

    # Damage: one flipped byte, one blob gone, one truncated, one inline body flipped, and two
    # unreferenced files — one old (an orphan), one just written (a write in flight).
    flip_byte(blob_path(data, file_blob_id(data, "scrub", "big")), 200 * 1024)
    os.unlink(blob_path(data, file_blob_id(data, "scrub", "gone")))
    os.truncate(blob_path(data, file_blob_id(data, "scrub", "cut")), 100 * 1024)
    with db(data) as c:
        (inline_id,) = c.execute("SELECT inline_id FROM objects WHERE bucket='scrub' AND key='small'").fetchone()
        c.execute("UPDATE inline_blobs SET data = ? WHERE id = ?", (b"s" * 1023 + b"t", inline_id))
    orphan, fresh = "0" * 31 + "1", "0" * 31 + "2"
    for blob_id in (orphan, fresh):
        os.makedirs(os.path.dirname(blob_path(data, blob_id)), exist_ok=True)
        with open(blob_path(data, blob_id), "wb") as f:
            f.write(b"nobody's bytes")
    two_hours_ago = time.time() - 7200
    os.utime(blob_path(data, orphan), (two_hours_ago, two_hours_ago))

    code, summary = scrub(data)
    assert code == 1
    assert names(summary["corrupt"]) == [("scrub", "big"), ("scrub", "small")]
    assert names(summary["missing"]) == [("scrub", "gone")]
    assert names(summary["size_mismatch"]) == [("scrub", "cut")]
    assert [o["blobId"] for o in summary["orphans"]] == [orphan]
    big = next(p for p in summary["corrupt"] if p["key"] == "big")
    assert big["versionId"] == "null"
    assert big["blobId"] == file_blob_id(data, "scrub", "big")
    assert summary["verified"] == 4
    assert os.path.exists(blob_path(data, orphan))  # reported, never deleted
    # The server still serves the healthy objects, and nothing of the scrub's state is readable
    # by others.
    assert len(s3.get_object(Bucket="scrub", Key="multi")["Body"].read()) == 10 * MiB
    for name in ("last-pass", "LOCK"):
        assert stat.S_IMODE(os.stat(os.path.join(data, "scrub", name)).st_mode) == 0o600

    # Without a server, the same findings.
    kura.stop()
    code, again = scrub(data)
    assert code == 1
    assert again["counts"] == summary["counts"]
    assert names(again["corrupt"]) == names(summary["corrupt"])


def test_an_interrupted_scrub_resumes_where_it_stopped(tmp_path):
    kura = server(tmp_path)
    s3 = kura.client()
    s3.create_bucket(Bucket="many")
    for i in range(40):
        s3.put_object(Bucket="many", Key=f"k{i:02}", Body=os.urandom(256 * 1024))
    data = kura.data_dir

    # 10 MiB at 1 MiB/s: interrupted after about 3 s.
    proc = subprocess.Popen([KURA_BIN, "scrub", "--data-dir", data, "--json", "--rate", "1MiB"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 2, err
    first = json.loads(out)
    assert first["complete"] is False
    assert 0 < first["objects"] < 40
    cursor = os.path.join(data, "scrub", "cursor")
    assert stat.S_IMODE(os.stat(cursor).st_mode) == 0o600

    code, second = scrub(data)
    assert code == 0
    assert second["complete"] is True
    assert second["objects"] == 40
    assert second["objects_this_run"] == 40 - first["objects"]
    assert not os.path.exists(cursor)

    # --restart walks everything again.
    code, third = scrub(data, "--restart")
    assert code == 0 and third["objects_this_run"] == 40
    kura.stop()


def test_the_background_scrubber_finds_and_logs_a_corruption(tmp_path):
    kura = server(tmp_path, "--scrub-interval", "1s", "--scrub-rate", "64MiB")
    s3 = kura.client()
    s3.create_bucket(Bucket="background")
    s3.put_object(Bucket="background", Key="rotting/key", Body=os.urandom(200 * 1024))
    s3.put_object(Bucket="background", Key="healthy", Body=os.urandom(200 * 1024))
    flip_byte(blob_path(kura.data_dir, file_blob_id(kura.data_dir, "background", "rotting/key")), 1)

    expected = 'scrub: corrupt bucket="background" key="rotting/key" versionId="null"'
    last_pass = os.path.join(kura.data_dir, "scrub", "last-pass")
    deadline = time.time() + 30
    while (expected not in kura.output() or not os.path.exists(last_pass)) and time.time() < deadline:
        time.sleep(0.2)
    log = kura.output()
    assert expected in log, log[-3000:]
    assert 'key="healthy"' not in log
    with open(last_pass) as f:
        assert json.load(f)["complete"] is True
    kura.stop()


def test_scrub_refuses_a_data_dir_without_a_store(tmp_path):
    result = subprocess.run([KURA_BIN, "scrub", "--data-dir", str(tmp_path / "nothing")],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "no metadata database" in result.stderr
    assert not os.path.exists(tmp_path / "nothing" / "meta.db")
