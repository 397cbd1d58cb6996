"""kura-bench against a real kura at small scale: every S3 workload runs without a single error
(GETs verify size and checksum, so a wrong answer fails this test), in all three payload modes."""
import json
import os
import subprocess

import pytest

from conftest import ROOT_KEY, ROOT_SECRET

BENCH = os.path.join(os.environ.get("KURA_BUILD_DIR", os.path.join(os.path.dirname(__file__), "../../build")),
                     "kura-bench")


def bench(kura, workload, *args, tls=False):
    endpoint = kura.tls_endpoint if tls else kura.endpoint
    cmd = [BENCH, workload, f"--endpoint={endpoint}", "--access-key", ROOT_KEY, "--secret-key", ROOT_SECRET,
           "--bucket", "bench", "--json", "--no-progress", "--warmup", "0s"] + list(args)
    if tls:
        cmd += ["--ca-file", kura.tls[0]]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{workload}: {result.stdout}\n{result.stderr}"
    return json.loads(result.stdout) if result.stdout.strip().startswith("{") else result.stdout


@pytest.mark.parametrize("tls", [False, True], ids=["http", "https"])
def test_every_workload_runs_clean(kura, tls):
    bench(kura, "prepare", "--objects", "200", "--size", "4KiB", "--concurrency", "8", tls=tls)
    for workload in ["get", "head", "put", "list"]:
        bench(kura, workload, "--objects", "200", "--size", "4KiB", "--requests", "300", "--concurrency", "8", tls=tls)
    # Without deletes in the mix, so that a GET never meets a key deleted a moment before.
    bench(kura, "mixed", "--mix", "get=70,put=20,head=10", "--objects", "200", "--size", "4KiB",
          "--requests", "300", "--concurrency", "8", tls=tls)
    for payload in ["signed", "unsigned", "chunked"]:
        bench(kura, "put", "--objects", "20", "--size", "200KiB", "--payload", payload, "--requests", "40",
              "--concurrency", "4", tls=tls)
    bench(kura, "get", "--objects", "20", "--size", "200KiB", "--requests", "40", "--concurrency", "4", tls=tls)
    bench(kura, "delete", "--objects", "200", "--requests", "100", "--concurrency", "4", tls=tls)


def test_a_ranged_get_is_verified(kura):
    bench(kura, "prepare", "--objects", "2", "--key-prefix", "ranged-", "--size", "3MiB", "--concurrency", "2")
    r = bench(kura, "get", "--objects", "2", "--key-prefix", "ranged-", "--size", "3MiB",
              "--range", "1048583:100KiB", "--requests", "20", "--concurrency", "2")
    assert r["errors"] == 0 and r["ops"] == 20 and r["bytes"] == 20 * 100 * 1024


def test_sse_headers_reach_the_server(kura):
    """kura answers each SSE request as the mode asks: an SSE-C key over plain HTTP is always
    refused (400; 501 before encryption at rest), so the headers were sent; SSE-S3 is 200 or,
    before encryption at rest, 501 — never an error of another kind."""
    cmd = [BENCH, "put", f"--endpoint={kura.endpoint}", "--access-key", ROOT_KEY, "--secret-key",
           ROOT_SECRET, "--bucket", "bench", "--json", "--no-progress", "--warmup", "0s",
           "--objects", "2", "--size", "4KiB", "--requests", "2", "--concurrency", "1"]
    plain = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert plain.returncode == 0
    for sse in (["--sse", "AES256"], ["--sse-c"]):
        result = subprocess.run(cmd + sse, capture_output=True, text=True, timeout=60)
        answer = json.loads(result.stdout)
        assert set(answer["errors_by_kind"]) <= {"400", "501"}, answer
        if sse == ["--sse-c"]:
            assert answer["errors"] == 2, answer
