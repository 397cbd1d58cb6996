"""Third-party clients round-trip a directory tree byte for byte: rclone sync/check and
s3cmd sync (up, down, and an idempotent second sync), including a multipart-sized file."""
import filecmp
import os
import subprocess

import pytest

import conftest


def make_tree(root):
    files = {"a.txt": os.urandom(100), "empty": b"", "sub/b.bin": os.urandom(70_000),
             "sub/deeper/c with space.txt": b"spaces\n", "ünï/cødé+%.txt": b"unicode\n",
             "big/large.bin": os.urandom(21 * 1024 * 1024 + 5)}
    for rel, data in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    return files


def assert_same_tree(a, b):
    cmp = filecmp.dircmp(a, b)
    def walk(c):
        assert not c.left_only and not c.right_only and not c.diff_files, (c.left, c.left_only, c.right_only, c.diff_files)
        _, mismatch, errors = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        assert not mismatch and not errors
        for sub in c.subdirs.values():
            walk(sub)
    walk(cmp)


def clean_env():
    env = dict(os.environ)
    for k in list(env):
        if k.startswith("AWS_") or k in ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"):
            env.pop(k)
    return env


def test_rclone_sync_and_check_round_trip(kura, bucket, tmp_path):
    conf = tmp_path / "rclone.conf"
    conf.write_text(f"""[kura]
type = s3
provider = Other
endpoint = {kura.endpoint}
access_key_id = {conftest.ROOT_KEY}
secret_access_key = {conftest.ROOT_SECRET}
region = us-east-1
force_path_style = true
""")
    src, dst = tmp_path / "src", tmp_path / "dst"
    make_tree(src)
    def rclone(*args):
        r = subprocess.run(["rclone", "--config", str(conf), "--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M", *args],
                           capture_output=True, text=True, env=clean_env(), timeout=300)
        assert r.returncode == 0, r.stdout + r.stderr
        return r
    rclone("sync", str(src), f"kura:{bucket}/tree")
    rclone("check", str(src), f"kura:{bucket}/tree")
    rclone("sync", f"kura:{bucket}/tree", str(dst))
    assert_same_tree(src, dst)
    (src / "a.txt").write_bytes(b"changed")
    (src / "sub/b.bin").unlink()
    rclone("sync", str(src), f"kura:{bucket}/tree")
    rclone("check", str(src), f"kura:{bucket}/tree")
    out = rclone("lsf", "-R", f"kura:{bucket}/tree").stdout
    assert "sub/b.bin" not in out and "ünï/cødé+%.txt" in out


def test_s3cmd_sync_round_trip(kura, bucket, tmp_path):
    cfg = tmp_path / "s3cfg"
    host = kura.endpoint.split("//")[1]
    cfg.write_text(f"""[default]
access_key = {conftest.ROOT_KEY}
secret_key = {conftest.ROOT_SECRET}
host_base = {host}
host_bucket = {host}
use_https = False
signature_v2 = False
bucket_location = us-east-1
multipart_chunk_size_mb = 5
""")
    src, dst = tmp_path / "src", tmp_path / "dst"
    make_tree(src)
    def s3cmd(*args):
        r = subprocess.run(["s3cmd", "-c", str(cfg), *args], capture_output=True, text=True, env=clean_env(), timeout=300)
        assert r.returncode == 0, r.stdout + r.stderr
        return r
    s3cmd("sync", str(src) + "/", f"s3://{bucket}/tree/")
    dst.mkdir()
    s3cmd("sync", f"s3://{bucket}/tree/", str(dst) + "/")
    assert_same_tree(src, dst)
    again = s3cmd("sync", str(src) + "/", f"s3://{bucket}/tree/").stdout
    assert "upload:" not in again
    s3cmd("del", "--recursive", "--force", f"s3://{bucket}/tree/")
    assert s3cmd("ls", "--recursive", f"s3://{bucket}").stdout.strip() == ""
