"""The aws CLI — the image's v1 and Debian's v2 — against kura: s3 mb/ls/cp/mv/rm/sync and the
s3api calls of the foundation issue, byte for byte, over HTTP and HTTPS."""
import filecmp
import json
import os

import pytest


@pytest.fixture(params=[(1, False), (2, False), (1, True), (2, True)], ids=["v1-http", "v2-http", "v1-https", "v2-https"])
def cli(request, kura):
    version, tls = request.param

    def run(*args, **kw):
        return kura.aws(*args, version=version, tls=tls, **kw)
    run.tag = f"v{version}{'s' if tls else ''}"
    return run


def test_s3_high_level_commands(cli, tmp_path):
    bucket = f"cli-{cli.tag}-{os.getpid()}"
    cli("s3", "mb", f"s3://{bucket}")
    assert bucket in cli("s3", "ls").stdout
    small = tmp_path / "small.txt"
    small.write_text("hello kura\n")
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(3 * 1024 * 1024 + 17))
    cli("s3", "cp", str(small), f"s3://{bucket}/dir/small.txt")
    cli("s3", "cp", str(big), f"s3://{bucket}/dir/big.bin")
    listing = cli("s3", "ls", f"s3://{bucket}/dir/").stdout
    assert "small.txt" in listing and "big.bin" in listing
    down = tmp_path / "down.bin"
    cli("s3", "cp", f"s3://{bucket}/dir/big.bin", str(down))
    assert filecmp.cmp(big, down, shallow=False)
    cli("s3", "mv", f"s3://{bucket}/dir/small.txt", f"s3://{bucket}/moved.txt")
    listing = cli("s3", "ls", "--recursive", f"s3://{bucket}").stdout
    assert "moved.txt" in listing and "dir/small.txt" not in listing
    cli("s3", "rm", f"s3://{bucket}/moved.txt")
    assert "moved.txt" not in cli("s3", "ls", "--recursive", f"s3://{bucket}").stdout


def test_s3_mv_local_file_uploads_and_removes_it(cli, tmp_path):
    bucket = f"mv-{cli.tag}-{os.getpid()}"
    cli("s3", "mb", f"s3://{bucket}")
    f = tmp_path / "test.txt"
    f.write_text("moving\n")
    cli("s3", "mv", str(f), f"s3://{bucket}/")
    assert not f.exists()
    assert "test.txt" in cli("s3", "ls", f"s3://{bucket}").stdout


def test_s3_sync_round_trips_a_tree(cli, tmp_path):
    bucket = f"sync-{cli.tag}-{os.getpid()}"
    cli("s3", "mb", f"s3://{bucket}")
    src = tmp_path / "src"
    for rel in ["a.txt", "sub/b.bin", "sub/deeper/c.txt", "with space.txt"]:
        p = src / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(os.urandom(1000) + rel.encode())
    cli("s3", "sync", str(src), f"s3://{bucket}/tree")
    dst = tmp_path / "dst"
    cli("s3", "sync", f"s3://{bucket}/tree", str(dst))
    cmp = filecmp.dircmp(src, dst)
    assert not cmp.diff_files and not cmp.left_only and not cmp.right_only
    second = cli("s3", "sync", str(src), f"s3://{bucket}/tree").stdout
    assert "upload" not in second  # nothing changed, nothing sent
    cli("s3", "rb", "--force", f"s3://{bucket}")


def test_s3api_calls(cli, tmp_path):
    bucket = f"api-{cli.tag}-{os.getpid()}"
    cli("s3api", "create-bucket", "--bucket", bucket)
    cli("s3api", "head-bucket", "--bucket", bucket)
    body = tmp_path / "body"
    body.write_bytes(b"payload")
    put = json.loads(cli("s3api", "put-object", "--bucket", bucket, "--key", "k", "--body", str(body),
                         "--metadata", "a=1", "--content-type", "text/x-kura").stdout)
    assert put["ETag"] == '"321c3cf486ed509164edec1e1981fec8"'
    head = json.loads(cli("s3api", "head-object", "--bucket", bucket, "--key", "k").stdout)
    assert head["Metadata"] == {"a": "1"} and head["ContentType"] == "text/x-kura"
    out = tmp_path / "out"
    cli("s3api", "get-object", "--bucket", bucket, "--key", "k", str(out))
    assert out.read_bytes() == b"payload"
    listed = json.loads(cli("s3api", "list-objects-v2", "--bucket", bucket).stdout)
    assert [o["Key"] for o in listed["Contents"]] == ["k"]
    loc = json.loads(cli("s3api", "get-bucket-location", "--bucket", bucket).stdout)
    assert loc["LocationConstraint"] in (None, "")
    names = [b["Name"] for b in json.loads(cli("s3api", "list-buckets").stdout)["Buckets"]]
    assert bucket in names
    failed = cli("s3api", "delete-bucket", "--bucket", bucket, check=False)
    assert failed.returncode != 0 and "BucketNotEmpty" in failed.stderr
    cli("s3api", "delete-object", "--bucket", bucket, "--key", "k")
    cli("s3api", "delete-bucket", "--bucket", bucket)


def test_cli_prints_s3_errors_with_their_message(cli):
    result = cli("s3api", "get-object", "--bucket", "no-such-bucket-cli", "--key", "k", "/dev/null", check=False)
    assert result.returncode != 0
    assert "NoSuchBucket" in result.stderr and "NoneType" not in result.stderr
