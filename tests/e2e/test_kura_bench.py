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
