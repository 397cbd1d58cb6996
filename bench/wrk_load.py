"""Runs wrk (the Debian package) against one URL and returns a result shaped like kura-bench's
--json output (ops_per_sec, latency_us p50/p90/p99, errors, server_cpu_us_per_op), so that
bench/compare.py summarises both clients alike.

wrk sends the same request over and over and does not read what it gets beyond the status:
it is a far cheaper client than kura-bench, so the server is the bound (issue #19). It does
not verify bodies, so the caller checks once, before the load, that the URL returns the object.

Server CPU is measured as kura-bench's --server-pid does: utime+stime of /proc/PID/stat
(summed over the pids) around the measured run, divided by the requests wrk completed.
"""
import os
import re
import subprocess

_UNITS_US = {"us": 1.0, "ms": 1000.0, "s": 1e6, "m": 60e6}
_TICK_US = 1e6 / os.sysconf("SC_CLK_TCK")


def cpu_us(pids):
    """utime+stime of the processes, in µs (clock-tick resolution: 10 ms at 100 Hz)."""
    total = 0
    for pid in str(pids).split(","):
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of stat(5)
    return total * _TICK_US


def _duration_us(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not m:
        raise ValueError(f"wrk: cannot read the duration {text!r}")
    return float(m.group(1)) * _UNITS_US[m.group(2)]


def parse(out):
    """wrk's text output (run with --latency) as a dict like kura-bench's JSON."""
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in ([\d.]+\w+), ([\d.]+\w+) read", out)
    if not rate or not total:
        raise RuntimeError(f"wrk printed no result:\n{out}")
    latency = {}
    for pct, key in (("50", "p50"), ("90", "p90"), ("99", "p99")):
        m = re.search(rf"^\s+{pct}%\s+(\S+)", out, re.MULTILINE)
        latency[key] = _duration_us(m.group(1)) if m else 0.0
    errors = 0
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        errors += int(non2xx.group(1))
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if sock:
        errors += sum(int(x) for x in sock.groups())
    return {"ops_per_sec": float(rate.group(1)), "ops": int(total.group(1)), "errors": errors,
            "latency_us": latency, "seconds": _duration_us(total.group(2)) / 1e6}


def run(url, server_pids, connections, duration, warmup="1s", cpu="1"):
    """wrk -t1 pinned to `cpu`: a warm-up run (not counted), then the measured one."""
    def wrk(d):
        cmd = ["taskset", "-c", cpu, "wrk", "-t1", f"-c{connections}", f"-d{d}", "--latency", url]
        return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout

    if warmup and warmup not in ("0", "0s"):
        wrk(warmup)
    before = cpu_us(server_pids)
    result = parse(wrk(duration))
    result["server_cpu_us"] = cpu_us(server_pids) - before
    result["server_cpu_us_per_op"] = result["server_cpu_us"] / result["ops"] if result["ops"] else 0.0
    return result
