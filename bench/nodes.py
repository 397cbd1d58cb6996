#!/usr/bin/env python3
"""The scale-out rows of bench/README.md (issue #20): what one kura node costs on the shared
engines (PostgreSQL metadata, Ceph RADOS blobs) against the embedded default (SQLite + files),
and what 1, 2 and 3 nodes on one PostgreSQL and one Ceph do together.

Starts its own engines in a temp dir (tests/support/postgres_instance.sh and ceph_instance.sh:
a private PostgreSQL with fsync on, a one-monitor one-OSD Ceph with bluestore on a sparse file)
and its own kura processes; changes nothing outside the temp dir.

Per node (kura pinned to CPU 0 with one I/O thread; kura-bench, PostgreSQL and Ceph on CPU 1):
every row runs --runs times, alternating the embedded node and the shared-engine node within a
run. Reported per row: the median op/s, kura's CPU-µs per operation (its utime+stime over the
measured interval, from /proc), the engines' CPU-µs per operation (every postgres process, and
ceph-osd + ceph-mon, the same way), and PostgreSQL transactions per operation (pg_stat_database
xact_commit + xact_rollback over the interval, less the follower's polls measured over an idle
interval of the same length). On this 2-core machine the shared rows' op/s are bounded by CPU 1
(client and engines together); the CPU-µs per operation are what carry over to a bigger machine.

Aggregate (1, 2, 3 nodes, unpinned, one I/O thread each, one kura-bench of 64 connections per
node): the summed op/s and where the CPU went (kura nodes, PostgreSQL, Ceph, clients), which
says which component bounds the cluster on this machine.

Capacity: --capacity-objects PUTs of new 4 KiB keys through one node, then PostgreSQL's bytes per
object (table and indexes), WAL bytes, transactions and CPU per PUT.

Inline threshold: PUT and GET of 16 KiB and 64 KiB bodies (kept in PostgreSQL) and of 64 KiB + 1 B
and 256 KiB (in RADOS), one node, 16 connections.

usage: bench/nodes.py [--build build] [--runs 3] [--duration 3s] [--nodes 3] [--capacity-objects 20000]
                      [--parts per-node,aggregate,capacity,inline]
"""
import argparse
import json
import os
import resource
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import environment  # noqa: E402
from compare import KEY, SECRET, bench, free_port, setup_role  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUPPORT = os.path.join(ROOT, "tests", "support")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
WARMUP_SECONDS = 1.0
MIN_FREE_SPACE = []  # --min-free-space for every node (a nearly full disk would refuse writes)


def cpu_seconds(pids):
    """utime+stime of the processes (and their threads), in seconds; vanished processes count 0."""
    total = 0
    for pid in pids:
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / CLOCK_TICKS


def children_cpu():
    """utime+stime of this process's reaped children (the kura-bench clients), in seconds."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


class Engines:
    """A private PostgreSQL and Ceph in `tmp`, pinned to CPU 1."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.pg_dir, self.ceph_dir = f"{tmp}/pg", f"{tmp}/ceph"
        self.pg_url = subprocess.run([f"{SUPPORT}/postgres_instance.sh", "start", self.pg_dir], check=True,
                                     capture_output=True, text=True).stdout.strip().splitlines()[-1]
        subprocess.run([f"{SUPPORT}/ceph_instance.sh", "start", self.ceph_dir], check=True, capture_output=True)
        env = dict(line.split("=", 1) for line in open(f"{self.ceph_dir}/env").read().split())
        self.rados_conf, self.rados_pool = env["KURA_TEST_RADOS_CONF"], env["KURA_TEST_RADOS_POOL"]
        for pid in self.pids():
            subprocess.run(["taskset", "-a", "-p", "-c", "1", str(pid)], capture_output=True)
        keys = f"{tmp}/node-keys"
        os.makedirs(keys, mode=0o700)
        self.secrets_key = f"{keys}/secrets.key"
        with open(os.open(self.secrets_key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as f:
            f.write(secrets.token_bytes(32))
        self.master_key = secrets.token_hex(32)
        self.schemas = 0

    def postgres_pids(self):
        # The postmaster and its children: backends, checkpointer, WAL writer…
        master = int(open(f"{self.pg_dir}/data/postmaster.pid").readline())
        children = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
        return [master] + [int(p) for p in children]

    def ceph_pids(self):
        return [int(open(f"{self.ceph_dir}/run/{d}.pid").read()) for d in ("osd.0", "mon.a")]

    def pids(self):
        return self.postgres_pids() + self.ceph_pids()

    def new_schema(self):
        self.schemas += 1
        name = f"bench{self.schemas}"
        self.psql(f"CREATE SCHEMA {name}")
        return name

    def psql(self, sql):
        return subprocess.run(["psql", self.pg_url, "-qAt", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True,
                              capture_output=True, text=True).stdout.strip()

    def transactions(self):
        return int(self.psql("SELECT sum(xact_commit + xact_rollback) FROM pg_stat_database"))

    def args(self, schema):
        metadata = f"{self.pg_url}&options=-csearch_path%3D{schema}"
        blobs = f"rados://{self.rados_pool}?conf={self.rados_conf}&namespace={schema}"
        return ["--metadata", metadata, "--blobs", blobs, "--secrets-key-file", self.secrets_key]

    def stop(self):
        subprocess.run([f"{SUPPORT}/ceph_instance.sh", "stop", self.ceph_dir], capture_output=True)
        subprocess.run([f"{SUPPORT}/postgres_instance.sh", "stop", self.pg_dir], capture_output=True)


def start_node(build, data_dir, extra=(), cpu="0", env_extra=None):
    """kura serve with one I/O thread (pinned to `cpu` unless None); returns (process, port)."""
    port = free_port()
    env = dict(os.environ, KURA_ROOT_ACCESS_KEY=KEY, KURA_ROOT_SECRET_KEY=SECRET, **(env_extra or {}))
    pin = ["taskset", "-c", cpu] if cpu is not None else []
    proc = subprocess.Popen(pin + [f"{build}/kura", "serve", "--data-dir", data_dir, "--listen",
                                   f"127.0.0.1:{port}", "--threads", "1", "--audit-log", "off", *MIN_FREE_SPACE, *extra],
                            env=env, stdout=subprocess.DEVNULL, stderr=open(f"{data_dir}.log", "w"))
    deadline = time.time() + 60
    while True:
        try:
            subprocess.run(["curl", "-s", "-o", "/dev/null", f"http://127.0.0.1:{port}/"], check=True, timeout=2)
            return proc, port
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"kura serve did not start: {open(data_dir + '.log').read()}")
            time.sleep(0.05)


def stop_node(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def seconds(duration):
    return float(duration.rstrip("s"))


def measured(engines, idle_transactions_per_second, run, duration):
    """Runs `run()` (a kura-bench call) and adds the engines' CPU and PostgreSQL transactions per
    operation over the same interval to its result."""
    pids = engines.pids() if engines else []
    cpu0 = cpu_seconds(pids)
    tx0 = engines.transactions() if engines else 0
    t0 = time.time()
    r = run()
    elapsed = time.time() - t0
    # The engines are measured over the whole call, warm-up included, at about the measured rate.
    n = max(r["ops_per_sec"] * (r["seconds"] + WARMUP_SECONDS), 1)
    if engines:
        r["engine_cpu_us_per_op"] = (cpu_seconds(pids) - cpu0) * 1e6 / n
        # psql's own transaction and the follower's polls are not the workload's.
        tx = engines.transactions() - tx0 - 1 - idle_transactions_per_second * elapsed
        r["pg_tx_per_op"] = max(tx, 0) / n
    return r


def ops_of(r):
    return r["ops_per_sec"]


def per_node(build, engines, tmp, args):
    d = ["--duration", args.duration, "--warmup", f"{WARMUP_SECONDS:g}s"]
    four_k = ["--objects", "1000", "--size", "4KiB"]
    nodes = {}
    embedded, eport = start_node(build, f"{tmp}/embedded")
    schema = engines.new_schema()
    shared, sport = start_node(build, f"{tmp}/shared", engines.args(schema),
                               env_extra={"KURA_MASTER_KEY": engines.master_key})
    try:
        nodes["embedded"] = (embedded, eport, None)
        nodes["shared"] = (shared, sport, engines)
        setup = {}
        for name, (proc, port, _) in nodes.items():
            bench(build, port, proc.pid, "prepare", *four_k, "--concurrency", "32")
            setup[name] = setup_role(port)
        # The follower's background transactions, to subtract from the rows.
        tx0, t0 = engines.transactions(), time.time()
        time.sleep(seconds(args.duration))
        idle = (engines.transactions() - tx0 - 1) / (time.time() - t0)
        rows = [
            ("put", "PUT 4 KiB durable, 64 conns",
             lambda p, q, s: bench(build, p, q, "put", *four_k, "--concurrency", "64", *d)),
            ("get", "GET 4 KiB, 64 conns",
             lambda p, q, s: bench(build, p, q, "get", *four_k, "--concurrency", "64", *d)),
            ("get1", "GET 4 KiB, 1 conn (p50 µs)",
             lambda p, q, s: bench(build, p, q, "get", *four_k, "--concurrency", "1", *d)),
            ("assume", "AssumeRole, 64 conns",
             lambda p, q, s: bench(build, p, q, "assume-role", "--role-arn", s[0], "--concurrency", "64", *d,
                                   creds=s[1])),
        ]
        results = {(rid, name): [] for rid, _, _ in rows for name in nodes}
        for _ in range(args.runs):
            for rid, _, run in rows:
                for name, (proc, port, eng) in nodes.items():
                    results[(rid, name)].append(
                        measured(eng, idle, lambda: run(port, proc.pid, setup[name]), args.duration))
        print(f"PostgreSQL transactions of an idle shared node (the follower's polls): {idle:.1f}/s\n")
        print("| workload | embedded op/s | shared op/s | embedded kura CPU µs/op | shared kura CPU µs/op "
              "| shared ÷ embedded kura CPU | engines CPU µs/op | PostgreSQL tx/op | p50 µs embedded / shared |")
        print("|---|---|---|---|---|---|---|---|---|")
        for rid, label, _ in rows:
            e, s = results[(rid, "embedded")], results[(rid, "shared")]
            med = lambda rs, f: statistics.median(f(x) for x in rs)
            ecpu, scpu = med(e, lambda x: x["server_cpu_us_per_op"]), med(s, lambda x: x["server_cpu_us_per_op"])
            ratios = [b["server_cpu_us_per_op"] / a["server_cpu_us_per_op"] for a, b in zip(e, s)
                      if a["server_cpu_us_per_op"]]
            errors = sum(x.get("errors", 0) for x in e + s)
            print(f"| {label}{f' — **{errors} errors**' if errors else ''} | {med(e, ops_of):,.0f} "
                  f"| {med(s, ops_of):,.0f} | {ecpu:.1f} | {scpu:.1f} "
                  f"| {statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f}) "
                  f"| {med(s, lambda x: x['engine_cpu_us_per_op']):.1f} | {med(s, lambda x: x['pg_tx_per_op']):.2f} "
                  f"| {med(e, lambda x: x['latency_us']['p50']):,.0f} / {med(s, lambda x: x['latency_us']['p50']):,.0f} |")
    finally:
        stop_node(embedded)
        stop_node(shared)


def aggregate(build, engines, tmp, args):
    d = ["--duration", args.duration, "--warmup", f"{WARMUP_SECONDS:g}s"]
    four_k = ["--objects", "1000", "--size", "4KiB"]
    print("\n| nodes | workload | total op/s | CPU s per s: kura nodes / PostgreSQL / Ceph / clients | errors |")
    print("|---|---|---|---|---|")
    for n in range(1, args.nodes + 1):
        schema = engines.new_schema()
        procs = []
        try:
            for i in range(n):
                procs.append(start_node(build, f"{tmp}/agg{n}-{i}", engines.args(schema), cpu=None,
                                        env_extra={"KURA_MASTER_KEY": engines.master_key}))
            bench(build, procs[0][1], procs[0][0].pid, "prepare", *four_k, "--concurrency", "32")
            for workload in ("put", "get"):
                totals = []
                for _ in range(args.runs):
                    kura_pids = [p.pid for p, _ in procs]
                    pg, ceph = engines.postgres_pids(), engines.ceph_pids()
                    c0 = [cpu_seconds(kura_pids), cpu_seconds(pg), cpu_seconds(ceph), children_cpu()]
                    t0 = time.time()
                    clients = [subprocess.Popen(
                        [f"{build}/kura-bench", workload, f"--endpoint=http://127.0.0.1:{port}", "--access-key", KEY,
                         "--secret-key", SECRET, "--bucket", "bench", "--json", "--no-progress", "--threads", "1",
                         *four_k, "--concurrency", "64", *d], stdout=subprocess.PIPE, text=True)
                        for _, port in procs]
                    outs = [json.loads(c.communicate()[0]) for c in clients]  # reaped: children_cpu counts them
                    elapsed = time.time() - t0
                    c1 = [cpu_seconds(kura_pids), cpu_seconds(pg), cpu_seconds(ceph), children_cpu()]
                    totals.append((sum(o["ops_per_sec"] for o in outs),
                                   [(b - a) / elapsed for a, b in zip(c0, c1)],
                                   sum(o.get("errors", 0) for o in outs)))
                med = statistics.median(t[0] for t in totals)
                split = [statistics.median(t[1][i] for t in totals) for i in range(4)]
                print(f"| {n} | {workload.upper()} 4 KiB, 64 conns per node | {med:,.0f} "
                      f"| {' / '.join(f'{x:.2f}' for x in split)} | {sum(t[2] for t in totals)} |")
        finally:
            for p, _ in procs:
                stop_node(p)


def capacity(build, engines, tmp, args):
    """What one object costs PostgreSQL: its rows and index entries, the WAL a PUT writes, the
    transactions and CPU it takes — the inputs of docs/scale-out.md's capacity model."""
    schema = engines.new_schema()
    node, port = start_node(build, f"{tmp}/capacity", engines.args(schema), cpu="0",
                            env_extra={"KURA_MASTER_KEY": engines.master_key})
    try:
        bench(build, port, node.pid, "prepare", "--objects", "1", "--size", "4KiB", "--key-prefix", "warm-",
              "--concurrency", "1")
        lsn0 = engines.psql("SELECT pg_current_wal_lsn()")
        tx0, pg_cpu0 = engines.transactions(), cpu_seconds(engines.postgres_pids())
        bench(build, port, node.pid, "prepare", "--objects", str(args.capacity_objects), "--size", "4KiB",
              "--key-prefix", "capacity/object-", "--concurrency", "32")
        n = args.capacity_objects
        wal = int(float(engines.psql(f"SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '{lsn0}')")))
        tx = engines.transactions() - tx0 - 2
        pg_cpu = cpu_seconds(engines.postgres_pids()) - pg_cpu0
        engines.psql(f"VACUUM ANALYZE {schema}.objects, {schema}.inline_blobs")
        sizes = dict(line.split("|") for line in engines.psql(
            "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace s "
            f"ON s.oid = c.relnamespace WHERE s.nspname = '{schema}' AND c.relkind = 'r'").splitlines())
        rows = int(engines.psql(f"SELECT count(*) FROM {schema}.objects"))
        print(f"\nPostgreSQL per 4 KiB object ({n:,} PUTs of new keys, 32 conns; {rows:,} rows in `objects`):\n")
        print("| measure | per object |")
        print("|---|---|")
        print(f"| `objects` table, its indexes and TOAST (metadata) | {int(sizes['objects']) / rows:,.0f} B |")
        print(f"| `inline_blobs` (the 4 KiB body kept inline, ≤ 64 KiB) | {int(sizes['inline_blobs']) / rows:,.0f} B |")
        print(f"| WAL written per PUT | {wal / n:,.0f} B |")
        print(f"| PostgreSQL transactions per PUT (reads included) | {tx / n:.2f} |")
        print(f"| PostgreSQL CPU per PUT | {pg_cpu * 1e6 / n:.0f} µs |")
    finally:
        stop_node(node)


def inline_threshold(build, engines, tmp, args):
    """Bodies up to 64 KiB live in PostgreSQL (inline_blobs), larger ones in RADOS: the cost of a
    PUT and a GET on either side of that threshold, to tell whether it sits where it should."""
    schema = engines.new_schema()
    node, port = start_node(build, f"{tmp}/inline", engines.args(schema), cpu="0",
                            env_extra={"KURA_MASTER_KEY": engines.master_key})
    d = ["--duration", args.duration, "--warmup", f"{WARMUP_SECONDS:g}s", "--concurrency", "16"]
    try:
        print("\nInline threshold (one node, 16 conns; PostgreSQL keeps bodies ≤ 64 KiB, RADOS the rest):\n")
        print("| size | where | PUT op/s | PUT kura / engines CPU µs/op | GET op/s | GET kura / engines CPU µs/op |")
        print("|---|---|---|---|---|---|")
        idle = 0.0
        for size, where in (("16KiB", "PostgreSQL"), ("64KiB", "PostgreSQL"), ("65537", "RADOS"),
                            ("256KiB", "RADOS")):
            objects = ["--objects", "200", "--size", size, "--key-prefix", f"inline-{size}-"]
            bench(build, port, node.pid, "prepare", *objects, "--concurrency", "16")
            put = measured(engines, idle, lambda: bench(build, port, node.pid, "put", *objects, *d), args.duration)
            get = measured(engines, idle, lambda: bench(build, port, node.pid, "get", *objects, *d), args.duration)
            print(f"| {size} | {where} | {put['ops_per_sec']:,.0f} | {put['server_cpu_us_per_op']:.0f} / "
                  f"{put['engine_cpu_us_per_op']:.0f} | {get['ops_per_sec']:,.0f} | "
                  f"{get['server_cpu_us_per_op']:.0f} / {get['engine_cpu_us_per_op']:.0f} |")
    finally:
        stop_node(node)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0], epilog=__doc__.split("\n\n", 1)[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--duration", default="3s")
    ap.add_argument("--nodes", type=int, default=3)
    ap.add_argument("--min-free-space", help="kura serve's --min-free-space (e.g. 512MiB on a nearly full disk)")
    ap.add_argument("--capacity-objects", type=int, default=20000)
    ap.add_argument("--parts", default="per-node,aggregate,capacity,inline",
                    help="which tables (default all: per-node,aggregate,capacity,inline)")
    args = ap.parse_args()
    if args.min_free_space:
        MIN_FREE_SPACE[:] = ["--min-free-space", args.min_free_space]
    build = os.path.abspath(args.build)
    for tool in ("taskset", "psql", "curl", "ceph-osd"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: scripts/deps.sh --test installs the engines")
    print(environment.block(build))
    print(f"- command: bench/nodes.py {' '.join(sys.argv[1:])}\n", flush=True)
    tmp = tempfile.mkdtemp(prefix="kura-nodes-")
    os.chmod(tmp, 0o755)
    engines = Engines(tmp)
    try:
        parts = set(args.parts.split(","))
        if "per-node" in parts:
            per_node(build, engines, tmp, args)
        if "aggregate" in parts:
            aggregate(build, engines, tmp, args)
        if "capacity" in parts:
            capacity(build, engines, tmp, args)
        if "inline" in parts:
            inline_threshold(build, engines, tmp, args)
        print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        engines.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
