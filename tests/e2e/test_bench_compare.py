"""bench/compare.py's own parts (issue #19): the wrk output parser on recorded wrk 4.1 output, the
environment block on the build under test, and a one-run pass of the wrk and HTTPS rows against
a real kura and nginx, which must finish without an error (a presigned URL kura refused would
show as non-2xx responses)."""
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import SANITIZED

BENCH_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../bench")
BUILD = os.path.abspath(os.environ.get("KURA_BUILD_DIR", os.path.join(BENCH_DIR, "../build")))
sys.path.insert(0, BENCH_DIR)
import environment  # noqa: E402
import wrk_load  # noqa: E402

WRK_OK = """Running 1s test @ http://127.0.0.1:59757/bench/obj-0
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   485.68us    1.07ms   9.30ms   89.02%
    Req/Sec    29.96k     4.56k   34.91k    80.00%
  Latency Distribution
     50%   96.00us
     75%  133.00us
     90%    1.76ms
     99%    5.03ms
  29810 requests in 1.00s, 123.30MB read
Requests/sec:  29736.82
Transfer/sec:    122.99MB
"""

WRK_REFUSED = """Running 1s test @ http://127.0.0.1:59757/nothere
  1 threads and 4 connections
  Latency Distribution
     50%   91.00us
     75%    1.46ms
     90%    3.05ms
     99%    5.20ms
  20515 requests in 1.02s, 6.03MB read
  Socket errors: connect 0, read 3, write 0, timeout 1
  Non-2xx or 3xx responses: 20515
Requests/sec:  20190.58
Transfer/sec:      5.93MB
"""


def test_wrk_output_is_read_in_microseconds():
    r = wrk_load.parse(WRK_OK)
    assert r["ops_per_sec"] == pytest.approx(29736.82)
    assert r["ops"] == 29810
    assert r["seconds"] == pytest.approx(1.0)
    assert r["latency_us"] == pytest.approx({"p50": 96.0, "p90": 1760.0, "p99": 5030.0})
    assert r["errors"] == 0


def test_wrk_non_2xx_and_socket_errors_count_as_errors():
    assert wrk_load.parse(WRK_REFUSED)["errors"] == 20515 + 3 + 1


def test_wrk_output_without_a_result_is_refused():
    with pytest.raises(RuntimeError):
        wrk_load.parse("unable to connect to 127.0.0.1:1 Connection refused\n")


def test_environment_block_names_cpu_build_and_allocator():
    block = environment.block(BUILD)
    for expected in ("CPU flags:", "kernel ", "CMAKE_BUILD_TYPE=", "the binary scripts/serve builds:",
                     "allocator:", "load average at start:"):
        assert expected in block, block
    assert "sha_ni" in block and "avx512f" in block


@pytest.mark.skipif(SANITIZED, reason="a load run: the release pass runs it")
@pytest.mark.skipif(not (shutil.which("wrk") and shutil.which("nginx")), reason="needs wrk and nginx (scripts/deps.sh)")
def test_wrk_and_https_rows_run_clean():
    out = subprocess.run([sys.executable, f"{BENCH_DIR}/compare.py", "--build", BUILD, "--runs", "1", "--duration",
                          "1s", "--rows", "wrk,https,wrk-https"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    rows = [line for line in out.stdout.splitlines() if line.startswith("| ") and "GET 4 KiB" in line]
    assert len(rows) == 6, out.stdout
    assert "errors" not in "\n".join(rows), out.stdout
    assert "kura chose TLSv1.3" in out.stdout and "nginx TLSv1.3" in out.stdout, out.stdout


@pytest.mark.skipif(SANITIZED, reason="a load run: the release pass runs it")
def test_idle_connections_reports_memory_per_connection_and_the_p99_ratio():
    out = subprocess.run([sys.executable, f"{BENCH_DIR}/idle_connections.py", "--build", BUILD, "--idle", "300",
                          "--active", "8", "--runs", "1", "--duration", "1s"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    per_connection = re.search(r"memory per idle connection: ([\d,]+) B", out.stdout)
    assert per_connection, out.stdout
    # Far less than a megabyte each (the allocator may reuse pages freed before, so no lower bound).
    assert int(per_connection.group(1).replace(",", "")) < 1024 * 1024, out.stdout
    assert re.search(r"active p99 alone: [\d,]+ µs; with the idle ones: [\d,]+ µs; ratio [\d.]+", out.stdout), out.stdout


@pytest.mark.skipif(SANITIZED, reason="a load run: the release pass runs it")
@pytest.mark.skipif(not shutil.which("nginx"), reason="needs nginx (scripts/deps.sh)")
def test_session_rows_compare_with_an_iam_users_key_and_the_root_key():
    out = subprocess.run([sys.executable, f"{BENCH_DIR}/compare.py", "--build", BUILD, "--runs", "1", "--duration",
                          "1s", "--rows", "get,session"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    rows = {line.split("|")[1].strip(): line for line in out.stdout.splitlines() if line.startswith("| kura GET")}
    user = rows.get("kura GET 4 KiB IAM user's long-term key, 64 conns (ratio to root key)")
    session = rows.get("kura GET 4 KiB session credentials, 64 conns (ratio to the IAM user's key)")
    assert user and session, out.stdout
    assert "errors" not in user + session, out.stdout
