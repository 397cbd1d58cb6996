#!/usr/bin/env python3
"""Memory per idle keep-alive connection, and what many idle connections do to the active ones.

usage: bench/idle_connections.py [--build build] [--idle 10000] [--active 1000] [--duration 3s] [--runs 3]

Starts kura (pinned to CPU 0, one I/O thread; it raises its own soft open-file limit to the hard
one and admits (hard - 64) / 2 connections by default: 9 968 under this machine's hard limit of
20 000, which a process here cannot raise, so --idle 8900 --active 1000 is the most that fits)
and, per run:
  1. the active load alone: kura-bench GET 4 KiB with --active connections on CPU 1, p50/p99;
  2. opens --idle connections, each of which completes one request (an anonymous GET answered
     403, which keeps the connection open) and then stays idle — kura's RSS before and after,
     divided by the connections, is the memory per idle keep-alive connection (the first run's:
     later ones reuse pages freed when the previous run's connections closed);
  3. the same active load with those connections open, p50/p99, and its p99 over step 1's.
The idle connections are closed between runs. kura closes a connection idle for 60 s; a run
takes well under that.
"""
import argparse
import os
import resource
import socket
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402  (start_kura, bench, rss_mib)


def open_idle(port, n):
    """n connections, each having completed one anonymous request and left open."""
    request = (f"GET /idle-probe HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").encode()
    conns = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(request)
        conns.append(s)
    for s in conns:  # each answer is small and complete in one read or a few
        got = b""
        while b"\r\n\r\n" not in got:
            chunk = s.recv(65536)
            if not chunk:
                raise RuntimeError("kura closed an idle-probe connection")
            got += chunk
        head, _, body = got.partition(b"\r\n\r\n")
        length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length")))
        while len(body) < length:
            body += s.recv(65536)
    return conns


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build")
    parser.add_argument("--idle", type=int, default=10000)
    parser.add_argument("--active", type=int, default=1000)
    parser.add_argument("--duration", default="3s")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    build = os.path.abspath(args.build)
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if args.idle + 256 > hard:
        sys.exit(f"--idle {args.idle} needs more open files than the hard limit {hard}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    rows = {"rss": [], "alone": [], "with": []}
    with tempfile.TemporaryDirectory(prefix="kidle") as tmp:
        proc, port, _ = compare.start_kura(build, tmp)
        try:
            objects = ["--objects", "1000", "--size", "4KiB"]
            compare.bench(build, port, proc.pid, "prepare", *objects, "--concurrency", "8")
            load = ["--concurrency", str(args.active), "--duration", args.duration, "--warmup", "1s", *objects]
            for i in range(args.runs):
                alone = compare.bench(build, port, proc.pid, "get", *load)
                before = compare.rss_mib(proc.pid)
                conns = open_idle(port, args.idle)
                time.sleep(0.5)
                after = compare.rss_mib(proc.pid)
                loaded = compare.bench(build, port, proc.pid, "get", *load)
                for s in conns:
                    s.close()
                for r in (alone, loaded):
                    if r.get("errors"):
                        raise RuntimeError(f"GET errors: {r['errors']}")
                rows["rss"].append((after - before) * 1024 * 1024 / args.idle)
                rows["alone"].append(alone["latency_us"]["p99"])
                rows["with"].append(loaded["latency_us"]["p99"])
                print(f"run {i + 1}: {rows['rss'][-1]:.0f} B per idle connection; active p99 "
                      f"{rows['alone'][-1]:.0f} µs alone, {rows['with'][-1]:.0f} µs with {args.idle} idle",
                      file=sys.stderr, flush=True)
                time.sleep(1)
        finally:
            proc.terminate()
            proc.wait()
    ratio = [w / a for w, a in zip(rows["with"], rows["alone"])]
    print(f"{args.idle} idle keep-alive connections, {args.active} active (kura-bench GET 4 KiB), "
          f"{args.runs} runs, medians (min–max):")
    # Only the first run's growth is the connections' memory: later runs reuse the pages the
    # allocator kept from the connections closed before them (10 K, then 4.9 K, then 2.2 K here).
    later = ", ".join(f"{x:,.0f}" for x in rows["rss"][1:])
    reuse = f"; later runs {later}, reusing freed pages" if later else ""
    print(f"- memory per idle connection: {rows['rss'][0]:,.0f} B (first run{reuse}); target ≤ 16 KiB")
    print(f"- active p99 alone: {statistics.median(rows['alone']):,.0f} µs; with the idle ones: "
          f"{statistics.median(rows['with']):,.0f} µs; ratio {statistics.median(ratio):.2f} "
          f"({min(ratio):.2f}–{max(ratio):.2f}); target ≤ 2")


if __name__ == "__main__":
    main()
