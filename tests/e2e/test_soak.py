"""kill -9 soak (issue #16): concurrent PUT / overwrite / DELETE / multipart load on a plain and a
versioned bucket, from a client that records every acknowledged write; the server is killed with
SIGKILL at random points, restarted on the same data dir, and after each restart:
- every acknowledged write holds: its bytes, fetched raw over a presigned URL (no SDK checksum
  logic in between), hash to what was sent; an acknowledged DELETE reads 404; every acknowledged
  version of the versioned bucket is still there, byte for byte;
- an operation in flight at the kill (not acknowledged) shows either its old or its new state,
  whole, never a part of one;
- the listings agree with the GETs (same keys, sizes, and MD5 ETags for single-part objects);
- DATA/tmp is empty once kura listens, and DATA/blobs holds exactly the blob files the metadata
  references (objects, object_versions and multipart parts in meta.db): none missing, and the
  orphans the crash left are swept.
test_durability.py keeps the single-shot crash cases; this is the long-running mix.

Bounded for CI: KURA_SOAK_CYCLES kill/restart cycles (default 8), stopping early once
KURA_SOAK_SECONDS have passed (default 60; doubled under ASan, which serves ~3x slower). The
kill points come from a seeded RNG: KURA_SOAK_SEED replays a seed (the seed is printed, and named
in every failure). A long run, e.g.:
  KURA_SOAK_CYCLES=100 KURA_SOAK_SECONDS=3600 KURA_BIN=$PWD/build/kura \
    tests/e2e/run_pytest.sh -s tests/e2e/test_soak.py
"""
import hashlib
import http.client
import os
import random
import re
import sqlite3
import threading
import time
import urllib.parse

import boto3
import botocore.config
import botocore.exceptions

from conftest import REGION, ROOT_KEY, ROOT_SECRET, SANITIZED, KuraServer

CYCLES = int(os.environ.get("KURA_SOAK_CYCLES", "8"))
SECONDS = float(os.environ.get("KURA_SOAK_SECONDS", "60")) * (2 if SANITIZED else 1)
WORKERS = 4
KEYS_PER_WORKER = 120  # bounds the keys verified after each restart
VERSIONED_KEYS = 6     # few keys, so versions pile up on them
SIZES = (100, 70_000, 300_000)  # inline in meta.db, and file blobs (> 64 KiB)
PART = 5 * 1024 * 1024  # the smallest part that may be followed by another
DELETED = None
BLOB_ID = re.compile(rb"[0-9a-f]{32}")


SESSION = boto3.session.Session()  # one session: its clients share the loaded service model


def s3_client(kura):
    """A client like conftest's (no retries: a failed request stays unacknowledged), made from
    the shared session, so making one per worker and cycle costs milliseconds, not the load."""
    config = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"},
                                    s3={"addressing_style": "path"})
    return SESSION.client("s3", endpoint_url=kura.endpoint, region_name=REGION,
                          aws_access_key_id=ROOT_KEY, aws_secret_access_key=ROOT_SECRET,
                          config=config)


def body_for(rng, size):
    seed = rng.randbytes(32)
    return (seed * (size // 32 + 1))[:size]


def sha(data):
    return hashlib.sha256(data).hexdigest()


class Model:
    """What the client knows: per (bucket, key) the acknowledged state (sha256 or DELETED) and the
    state an unacknowledged operation would leave; per versioned key its acknowledged versions.
    Keys are partitioned among workers, so one key's operations never overlap."""

    def __init__(self):
        self.acked = {}     # (bucket, key) -> sha256 | DELETED
        self.inflight = {}  # (bucket, key) -> sha256 | DELETED, while an operation is unanswered
        self.versions = {}  # key -> {version_id: sha256} in the versioned bucket
        self.multipart = set()  # (bucket, key) whose current object came from multipart


class Load:
    """WORKERS threads running a random mix of writes until told to stop or the server dies."""

    def __init__(self, kura, model, rng):
        self.kura, self.model = kura, model
        self.stop = threading.Event()
        self.acknowledged = 0
        self.errors = []  # answers kura gave while alive: an error there is a failure
        self.seeds = [rng.getrandbits(64) for _ in range(WORKERS)]
        self.clients = [s3_client(kura) for _ in range(WORKERS)]  # sessions are not thread-safe

    def run(self):
        threads = [threading.Thread(target=self.worker, args=(w,)) for w in range(WORKERS)]
        for t in threads:
            t.start()
        return threads

    def worker(self, w):
        rng = random.Random(self.seeds[w])
        s3 = self.clients[w]
        while not self.stop.is_set():
            try:
                self.step(s3, rng, w)
            except botocore.exceptions.ClientError as e:
                self.errors.append(str(e))
                return
            except Exception:
                return  # the server died under us: the operation in flight stays unacknowledged
            self.acknowledged += 1

    def step(self, s3, rng, w):
        roll = rng.random()
        if roll < 0.15 and w < 2:  # two workers own the versioned bucket's keys
            return self.versioned(s3, rng, f"v{w}/{rng.randrange(VERSIONED_KEYS // 2)}")
        key = ("soak", f"w{w}/{rng.randrange(KEYS_PER_WORKER)}")
        present = self.model.acked.get(key, DELETED) is not DELETED
        if present and roll < 0.3:
            return self.write(key, DELETED, lambda: s3.delete_object(Bucket=key[0], Key=key[1]))
        if roll < 0.45:
            return self.multipart(s3, rng, key)
        data = body_for(rng, rng.choice(SIZES))
        self.write(key, sha(data), lambda: s3.put_object(Bucket=key[0], Key=key[1], Body=data))
        self.model.multipart.discard(key)

    def write(self, key, outcome, call):
        self.model.inflight[key] = outcome
        response = call()
        self.model.acked[key] = outcome
        del self.model.inflight[key]
        return response

    def multipart(self, s3, rng, key):
        sizes = [PART, rng.choice(SIZES)] if rng.random() < 0.1 else [rng.choice(SIZES)]
        parts = [body_for(rng, size) for size in sizes]
        upload = s3.create_multipart_upload(Bucket=key[0], Key=key[1])["UploadId"]
        etags = [s3.upload_part(Bucket=key[0], Key=key[1], UploadId=upload, PartNumber=n + 1,
                                Body=part)["ETag"] for n, part in enumerate(parts)]
        layout = {"Parts": [{"PartNumber": n + 1, "ETag": e} for n, e in enumerate(etags)]}
        self.write(key, sha(b"".join(parts)), lambda: s3.complete_multipart_upload(
            Bucket=key[0], Key=key[1], UploadId=upload, MultipartUpload=layout))
        self.model.multipart.add(key)

    def versioned(self, s3, rng, name):
        key = ("soakv", name)
        if rng.random() < 0.2:
            return self.write(key, DELETED, lambda: s3.delete_object(Bucket=key[0], Key=name))
        data = body_for(rng, rng.choice(SIZES))
        response = self.write(key, sha(data), lambda: s3.put_object(Bucket=key[0], Key=name, Body=data))
        self.model.versions.setdefault(name, {})[response["VersionId"]] = sha(data)


class Checker:
    """Verifies the restarted server against the model, then adopts the outcome of each
    operation that was in flight at the kill (whichever whole state it left)."""

    def __init__(self, kura, model, context):
        self.kura, self.model, self.context = kura, model, context
        self.s3 = s3_client(kura)
        self.connection = http.client.HTTPConnection("127.0.0.1", kura.port, timeout=60)

    def raw_get(self, bucket, key, version_id=None):
        params = {"Bucket": bucket, "Key": key}
        if version_id:
            params["VersionId"] = version_id
        url = urllib.parse.urlsplit(self.s3.generate_presigned_url("get_object", Params=params))
        self.connection.request("GET", f"{url.path}?{url.query}")
        response = self.connection.getresponse()
        data = response.read()
        if response.status == 404:
            return DELETED
        assert response.status == 200, f"{self.context}: GET {bucket}/{key}: {response.status} {data[:300]}"
        assert len(data) == int(response.getheader("Content-Length")), self.context
        return data

    def check(self):
        bodies = self.check_current()
        self.check_versions()
        self.check_listing("soak", bodies)
        self.check_listing("soakv", bodies)
        self.model.inflight.clear()
        self.connection.close()

    def check_current(self):
        bodies = {}
        for key in sorted(set(self.model.acked) | set(self.model.inflight)):
            data = self.raw_get(*key)
            got = DELETED if data is DELETED else sha(data)
            allowed = {self.model.acked.get(key, DELETED)}
            if key in self.model.inflight:
                allowed.add(self.model.inflight[key])
            assert got in allowed, f"{self.context}: {key} reads {got}, expected one of {allowed}"
            if key in self.model.inflight and got != self.model.acked.get(key, DELETED):
                self.model.multipart.add(key)  # not known which kind of write landed: no ETag check
            self.model.acked[key] = got
            if data is not DELETED:
                bodies[key] = data
        return bodies

    def check_versions(self):
        for name in sorted(k for (b, k) in self.model.acked if b == "soakv"):
            acked = self.model.versions.setdefault(name, {})
            listed = self.s3.list_object_versions(Bucket="soakv", Prefix=name)
            ids = {v["VersionId"]: v for v in listed.get("Versions", []) if v["Key"] == name}
            missing = set(acked) - set(ids)
            assert not missing, f"{self.context}: acknowledged versions of {name} lost: {missing}"
            extra = set(ids) - set(acked)
            assert len(extra) <= 1, f"{self.context}: {name} has unknown versions {extra}"
            for version_id, entry in ids.items():
                data = self.raw_get("soakv", name, version_id)
                assert data is not DELETED, f"{self.context}: listed version {name}@{version_id} reads 404"
                assert len(data) == entry["Size"], self.context
                expected = acked.get(version_id, self.model.inflight.get(("soakv", name)))
                assert sha(data) == expected, f"{self.context}: {name}@{version_id} differs"
                acked[version_id] = sha(data)

    def check_listing(self, bucket, bodies):
        listed = {}
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            listed.update({o["Key"]: o for o in page.get("Contents", [])})
        readable = {k for (b, k) in bodies if b == bucket}
        assert set(listed) == readable, (f"{self.context}: listed but 404: {set(listed) - readable}; "
                                         f"readable but unlisted: {readable - set(listed)}")
        for key, entry in listed.items():
            data = bodies[(bucket, key)]
            assert entry["Size"] == len(data), f"{self.context}: {key} listed size differs"
            if (bucket, key) not in self.model.multipart:
                assert entry["ETag"] == '"%s"' % hashlib.md5(data).hexdigest(), self.context


def blob_files(data_dir):
    out = set()
    for _, _, files in os.walk(os.path.join(data_dir, "blobs")):
        out.update(files)
    return out


def referenced_blobs(data_dir):
    """Blob ids named by the metadata: file blobs, the part files of completed multipart objects
    (packed in blob_parts), for current and noncurrent versions, and the parts of open uploads."""
    db = sqlite3.connect(f"file:{os.path.join(data_dir, 'meta.db')}?mode=ro", uri=True, timeout=30)
    try:
        ids = set()
        for table in ("objects", "object_versions"):
            for blob_id, parts in db.execute(f"SELECT blob_id, blob_parts FROM {table}"):
                if blob_id:
                    ids.add(blob_id)
                ids.update(m.decode() for m in BLOB_ID.findall(parts or b""))
        ids.update(row[0] for row in db.execute("SELECT blob_id FROM parts"))
        return ids
    finally:
        db.close()


def check_data_dir(kura, context):
    tmp = os.path.join(kura.data_dir, "tmp")
    assert not os.path.isdir(tmp) or os.listdir(tmp) == [], f"{context}: left in tmp/: {os.listdir(tmp)}"
    deadline = time.monotonic() + (60 if SANITIZED else 20)
    while True:  # orphans are swept in the background once kura serves
        files, referenced = blob_files(kura.data_dir), referenced_blobs(kura.data_dir)
        assert referenced <= files, f"{context}: blobs referenced but missing: {referenced - files}"
        if files == referenced:
            return
        assert time.monotonic() < deadline, f"{context}: orphan blobs remain: {files - referenced}"
        time.sleep(0.2)


def abort_open_uploads(s3):
    """Uploads a kill interrupted: aborting them frees their parts (checked next cycle)."""
    for bucket in ("soak", "soakv"):
        for upload in s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []):
            s3.abort_multipart_upload(Bucket=bucket, Key=upload["Key"], UploadId=upload["UploadId"])


def test_kill_9_soak_loses_no_acknowledged_write(tmp_path):
    seed = int(os.environ.get("KURA_SOAK_SEED", random.SystemRandom().getrandbits(32)))
    print(f"kura soak: seed {seed}, up to {CYCLES} cycles in {SECONDS:.0f} s")
    rng = random.Random(seed)
    kura = KuraServer(str(tmp_path / "data")).start()
    try:
        s3 = kura.client()
        s3.create_bucket(Bucket="soak")
        s3.create_bucket(Bucket="soakv")
        s3.put_bucket_versioning(Bucket="soakv", VersioningConfiguration={"Status": "Enabled"})
        model, started, acknowledged, cycle = Model(), time.monotonic(), 0, 0
        while cycle < CYCLES and (cycle == 0 or time.monotonic() - started < SECONDS):
            context = f"seed {seed}, cycle {cycle}"
            load = Load(kura, model, rng)
            threads = load.run()
            time.sleep(rng.uniform(0.3, 3.0 if SANITIZED else 2.0))
            deadline = time.monotonic() + 30
            while load.acknowledged < 5 and time.monotonic() < deadline and not load.errors:
                time.sleep(0.05)  # a kill point after some progress, even on a slow machine
            kura.kill()
            load.stop.set()
            for t in threads:
                t.join()
            assert not load.errors, f"{context}: kura answered errors: {load.errors[:3]}"
            acknowledged += load.acknowledged
            killed = time.monotonic()
            kura.start()
            check_data_dir(kura, context)
            Checker(kura, model, context).check()
            abort_open_uploads(s3_client(kura))
            print(f"  cycle {cycle}: {load.acknowledged} acknowledged, restart and checks "
                  f"{time.monotonic() - killed:.1f} s")
            cycle += 1
        assert acknowledged >= 5 * cycle, f"seed {seed}: only {acknowledged} writes in {cycle} cycles"
        check_data_dir(kura, f"seed {seed}, after aborting uploads")
        print(f"kura soak: seed {seed}: {cycle} kills, {acknowledged} acknowledged writes, "
              f"{len(model.acked)} keys verified, {time.monotonic() - started:.1f} s")
    finally:
        kura.stop()
