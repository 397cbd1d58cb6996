#!/usr/bin/env python3
"""Issue #16's cost of verified reads: server CPU per GET in a kura that checks every block's
CRC32C on read (--build) against one that does not (--base: a build from before checksums, e.g.
c6f3a56), both running at once, RUNS rounds alternating which goes first:

- GET 4 KiB (inline bodies: one CRC32C of the row's bytes), 8 connections, timed;
- GET 1 GiB hot (one stream; the first read after the PUT fills the page cache and is not
  counted): the base sends it with sendfile(2), the verifying build reads, checks and writes it.

Server CPU is utime+stime of the kura process from /proc (kura-bench --server-pid), so the
client's cost is not counted. Each kura is pinned to CPU 0 with one I/O thread, kura-bench to
CPU 1 (compare.start_kura / compare.bench). Prints a markdown table with the CPU model.
usage: bench/integrity.py --base ../main/build [--build build] [--runs 5] [--duration 3s] [--big 1GiB]
"""
import argparse
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402  (start_kura, bench)

SMALL_OBJECTS = 1000


def run(bench_build, port, pid, workload, *args):
    r = compare.bench(bench_build, port, pid, workload, *args)
    if r.get("errors"):
        raise RuntimeError(f"{workload} {' '.join(args)}: errors {r.get('errors_by_kind')}")
    return r


def prepare(bench_build, port, pid, big):
    run(bench_build, port, pid, "prepare", "--objects", str(SMALL_OBJECTS), "--size", "4KiB",
        "--concurrency", "8")
    run(bench_build, port, pid, "prepare", "--objects", "1", "--key-prefix", "big-", "--size", big,
        "--concurrency", "1")
    big_get = ["--objects", "1", "--key-prefix", "big-", "--size", big, "--concurrency", "1",
               "--requests", "1", "--warmup", "0s"]
    run(bench_build, port, pid, "get", *big_get)  # fills the page cache (the PUT bypassed it)


def one_round(bench_build, servers, order, args, rows):
    big_get = ["--objects", "1", "--key-prefix", "big-", "--size", args.big, "--concurrency", "1",
               "--requests", "1", "--warmup", "0s"]
    small = ["--objects", str(SMALL_OBJECTS), "--size", "4KiB", "--concurrency", "8",
             "--duration", args.duration, "--warmup", "1s"]
    for name in order:
        proc, port = servers[name]
        rows[f"small_{name}"].append(run(bench_build, port, proc.pid, "get", *small))
        rows[f"big_{name}"].append(run(bench_build, port, proc.pid, "get", *big_get))


def print_table(rows, big):
    cpu = lambda r: r["server_cpu_us_per_op"]
    gbs = lambda r: r["mb_per_sec"] / 1000.0
    med = lambda name, key: statistics.median(key(r) for r in rows[name])
    print("| workload | build | server CPU µs/GET (median) | min–max | throughput (median) | CPU ratio |")
    print("|---|---|---|---|---|---|")
    for workload, label, unit, rate in (("small", "GET 4 KiB, 8 conns", "GET/s", lambda r: r["ops_per_sec"]),
                                        ("big", f"GET {big} hot, 1 stream", "GB/s", gbs)):
        for name, build_label in (("base", "without verification"), ("verify", "verified")):
            values = [cpu(r) for r in rows[f"{workload}_{name}"]]
            ratio = "" if name == "base" else f"{med(f'{workload}_verify', cpu) / med(f'{workload}_base', cpu):.2f}"
            print(f"| {label} | {build_label} | {med(f'{workload}_{name}', cpu):,.1f} | "
                  f"{min(values):,.1f}–{max(values):,.1f} | {med(f'{workload}_{name}', rate):,.2f} {unit} | {ratio} |")
    for name in rows:
        print(f"{name}: " + ", ".join(f"{cpu(r):,.1f}" for r in rows[name]) + " µs/GET by run",
              file=sys.stderr)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build", help="the verifying build (and kura-bench)")
    parser.add_argument("--base", required=True, help="a build without verification")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--duration", default="3s")
    parser.add_argument("--big", default="1GiB")
    args = parser.parse_args()
    builds = {"base": os.path.abspath(args.base), "verify": os.path.abspath(args.build)}
    cpu = open("/proc/cpuinfo").read().split("model name")[1].split(":", 1)[1].split("\n")[0].strip()
    print(f"CPU: {cpu}; load average {os.getloadavg()[0]:.1f}; {args.runs} rounds, medians (min–max)\n")
    rows = {f"{w}_{n}": [] for w in ("small", "big") for n in builds}
    servers = {}
    with tempfile.TemporaryDirectory(prefix="kintb") as tb, tempfile.TemporaryDirectory(prefix="kintv") as tv:
        try:
            for name, tmp in (("base", tb), ("verify", tv)):
                proc, port, _ = compare.start_kura(builds[name], tmp)
                servers[name] = (proc, port)
                prepare(builds["verify"], port, proc.pid, args.big)
            for round_index in range(args.runs):
                order = ["base", "verify"] if round_index % 2 == 0 else ["verify", "base"]
                one_round(builds["verify"], servers, order, args, rows)
        finally:
            for proc, _ in servers.values():
                proc.terminate()
                proc.wait()
    print_table(rows, args.big)


if __name__ == "__main__":
    main()
