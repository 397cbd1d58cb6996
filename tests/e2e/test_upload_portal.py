"""The two browser examples (examples/upload-portal and examples/presigned-upload) against a real
kura, in headless Chromium (Debian's, driven by playwright-core from npm): each example is copied to
a temp dir, installed with `npm ci` from its committed package-lock.json, set up with its own
setup script using kura's root credentials, and served by its own backend on a free port. The
browser scenarios (tests/e2e/browser/*.mjs) act as a person would and print a JSON report; the
assertions are here, with boto3 as the independent witness of what kura stored and refused."""
import hashlib
import http.cookiejar
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError

from conftest import KuraServer, ROOT_KEY, ROOT_SECRET, client_env, free_port

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.abspath(os.path.join(HERE, "..", "..", "examples"))
MIB = 1024 * 1024
# The portal's credentials live this long (kura runs with --sts-min-duration below it), so the
# test can wait past their expiry; the page refreshes them in the second half of their life.
CREDENTIAL_SECONDS = 20
PASSWORDS = {"alice": "alice-passphrase-1", "bob": "bob-passphrase-22"}


def node_env(extra=None):
    env = client_env({"PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1", "npm_config_update_notifier": "false",
                      "npm_config_fund": "false", "npm_config_audit": "false"})
    env.update(extra or {})
    return env


def run(cmd, cwd, env=None, input=None, timeout=300):
    result = subprocess.run(cmd, cwd=cwd, env=env or node_env(), input=input, capture_output=True,
                            text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return result.stdout


def installed_copy(src, dest):
    """A copy of src (without what npm or a previous run left there), installed with `npm ci`."""
    def leftovers(directory, names):
        skip = {"node_modules", "config.json", "users.json"}
        if os.path.basename(directory) == "public":
            skip |= {"app.js", "app.js.map"}  # the portal's bundle: built again from src/
        return [n for n in names if n in skip]
    shutil.copytree(src, dest, ignore=leftovers)
    run(["npm", "ci", "--prefer-offline", "--no-audit", "--no-fund"], cwd=dest)
    return dest


def wait_for_port(port, proc, out_path, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError("backend exited: " + open(out_path).read())
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("backend did not listen: " + open(out_path).read())


class Backend:
    """An example's `node server.mjs`, started on a free port, stopped at the end."""

    def __init__(self, directory, port, args=()):
        self.out_path = os.path.join(directory, "server.out")
        with open(self.out_path, "wb") as out:
            self.proc = subprocess.Popen(["node", "server.mjs", *args], cwd=directory, env=node_env(),
                                         stdout=out, stderr=subprocess.STDOUT)
        wait_for_port(port, self.proc, self.out_path)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def scenario(browser_dir, script, arguments, timeout=240):
    stdout = run(["node", script, json.dumps(arguments)], cwd=browser_dir, timeout=timeout)
    report = json.loads(stdout.strip().splitlines()[-1])
    assert "error" not in report, report["error"] + "\n" + "\n".join(report["log"])
    return report


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def random_file(path, size):
    with open(path, "wb") as f:
        f.write(os.urandom(size))
    return str(path)


def error_code(call):
    with pytest.raises(ClientError) as e:
        call()
    return e.value.response["Error"]["Code"]


@pytest.fixture(scope="module")
def kura(tmp_path_factory):
    d = tmp_path_factory.mktemp("kura-examples")
    server = KuraServer(str(d / "data"), extra_args=["--sts-min-duration", "5"]).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser_dir(tmp_path_factory):
    return installed_copy(os.path.join(HERE, "browser"), str(tmp_path_factory.mktemp("b") / "browser"))


def root_env(kura):
    return node_env({"AWS_ACCESS_KEY_ID": ROOT_KEY, "AWS_SECRET_ACCESS_KEY": ROOT_SECRET})


@pytest.fixture(scope="module")
def portal(kura, tmp_path_factory):
    d = installed_copy(os.path.join(EXAMPLES, "upload-portal"), str(tmp_path_factory.mktemp("p") / "portal"))
    run(["npm", "run", "build"], cwd=d)
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    run(["node", "setup.mjs", "--endpoint", kura.endpoint, "--origin", origin, "--bucket", "portal-uploads",
         "--duration", str(CREDENTIAL_SECONDS)], cwd=d, env=root_env(kura))
    for user, password in PASSWORDS.items():
        run(["node", "users.mjs", "add", user], cwd=d, input=password + "\n")
    backend = Backend(d, port)
    yield {"dir": d, "url": origin, "bucket": "portal-uploads",
           "config": json.load(open(os.path.join(d, "config.json")))}
    backend.stop()


def backend_session(portal, user, password):
    """Signs in to the portal's backend as a script would; returns an opener with the cookie."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    request = urllib.request.Request(portal["url"] + "/api/login", method="POST",
                                     data=json.dumps({"user": user, "password": password}).encode(),
                                     headers={"Content-Type": "application/json"})
    opener.open(request, timeout=30).read()
    return opener


def vended(portal, opener):
    request = urllib.request.Request(portal["url"] + "/api/credentials", method="POST", data=b"")
    return json.loads(opener.open(request, timeout=30).read())


def test_upload_portal_in_chromium(kura, portal, browser_dir, tmp_path):
    files = {user: random_file(tmp_path / f"{user}-30mib.bin", 30 * MIB) for user in PASSWORDS}
    later = random_file(tmp_path / "alice-after-expiry.bin", 9 * MIB)
    report = scenario(browser_dir, "upload_portal.mjs", {
        "portal": portal["url"],
        "users": [{"user": u, "password": p, "file": files[u]} for u, p in PASSWORDS.items()],
        "afterExpiry": {"user": "alice", "file": later},
    })
    root = kura.client()
    bucket = portal["bucket"]

    for user, path in files.items():
        mine = report["users"][user]
        key = f"uploads/{user}/{os.path.basename(path)}"
        # Uploaded through the page, in parts, with the progress bar going up to 100%.
        assert mine["upload"]["status"] == f"Uploaded {key}.", mine
        seen = mine["upload"]["progressSeen"]
        assert seen[-1] == 100 and any(0 < p < 100 for p in seen), seen
        head = root.head_object(Bucket=bucket, Key=key)
        assert head["ContentLength"] == 30 * MIB
        assert head["ETag"].strip('"').endswith("-4"), head["ETag"]  # 8 MiB parts: a 4-part upload
        # Each lists only their own files, and downloads the same bytes.
        assert mine["keys"] == [key], mine["keys"]
        assert mine["download"] == {"name": os.path.basename(path), "sha256": sha256(path)}
        # Every credential the page got belongs to this user's session.
        assert mine["credentials"] and all(c["accessKeyId"].startswith("ASIA") for c in mine["credentials"])
    listed = [o["Key"] for o in root.list_objects_v2(Bucket=bucket, Prefix="uploads/")["Contents"]]
    assert {f"uploads/alice/{os.path.basename(files['alice'])}",
            f"uploads/bob/{os.path.basename(files['bob'])}"} <= set(listed)

    # After the credentials the page held had expired, the page fetched new ones and uploaded.
    after = report["afterExpiry"]
    later_key = f"uploads/alice/{os.path.basename(later)}"
    assert after["upload"]["status"] == f"Uploaded {later_key}.", after
    assert after["fetchesAfter"] > after["fetchesBefore"], after
    assert after["shown"]["accessKeyId"] != after["expired"]["accessKeyId"]
    assert root.head_object(Bucket=bucket, Key=later_key)["ContentLength"] == 9 * MIB
    assert later_key in after["keys"]
    old = after["expired"]
    expired_client = kura.client(key=old["accessKeyId"], secret=old["secretAccessKey"], token=old["sessionToken"])
    assert error_code(lambda: expired_client.head_bucket(Bucket=bucket)) in ("ExpiredToken", "400")
    assert error_code(lambda: expired_client.list_objects_v2(Bucket=bucket, Prefix="uploads/alice/")) == "ExpiredToken"


def test_vended_credentials_reach_only_their_own_prefix(kura, portal):
    """A crafted request: alice takes her vended credentials out of the browser and aims at bob's
    prefix with boto3. Her own prefix works with them, bob's is AccessDenied every way."""
    opener = backend_session(portal, "alice", PASSWORDS["alice"])
    creds = vended(portal, opener)
    bucket = portal["bucket"]
    kura.client().put_object(Bucket=bucket, Key="uploads/bob/secret.txt", Body=b"bob's")
    alice = kura.client(key=creds["accessKeyId"], secret=creds["secretAccessKey"], token=creds["sessionToken"])

    alice.put_object(Bucket=bucket, Key="uploads/alice/note.txt", Body=b"mine")
    assert alice.get_object(Bucket=bucket, Key="uploads/alice/note.txt")["Body"].read() == b"mine"
    assert [o["Key"] for o in alice.list_objects_v2(Bucket=bucket, Prefix="uploads/alice/").get("Contents", [])]

    assert error_code(lambda: alice.put_object(Bucket=bucket, Key="uploads/bob/evil.txt", Body=b"x")) == "AccessDenied"
    assert error_code(lambda: alice.get_object(Bucket=bucket, Key="uploads/bob/secret.txt")) == "AccessDenied"
    assert error_code(lambda: alice.list_objects_v2(Bucket=bucket, Prefix="uploads/bob/")) == "AccessDenied"
    assert error_code(lambda: alice.list_objects_v2(Bucket=bucket)) == "AccessDenied"
    assert error_code(lambda: alice.create_multipart_upload(Bucket=bucket, Key="uploads/bob/evil.bin")) == "AccessDenied"
    assert error_code(lambda: alice.put_object(Bucket=bucket, Key="elsewhere.txt", Body=b"x")) == "AccessDenied"
    with pytest.raises(ClientError):
        kura.client().head_object(Bucket=bucket, Key="uploads/bob/evil.txt")

    # The backend's own long-term key can do nothing but assume the role.
    cfg = portal["config"]
    backend_s3 = kura.client(key=cfg["accessKeyId"], secret=cfg["secretAccessKey"])
    assert error_code(lambda: backend_s3.get_object(Bucket=bucket, Key="uploads/bob/secret.txt")) == "AccessDenied"
    assert error_code(lambda: backend_s3.list_objects_v2(Bucket=bucket)) == "AccessDenied"
    backend_iam = kura.client("iam", key=cfg["accessKeyId"], secret=cfg["secretAccessKey"])
    assert error_code(lambda: backend_iam.list_users()) == "AccessDenied"

    # No cookie, or a wrong password: no credentials.
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(urllib.request.Request(portal["url"] + "/api/credentials", method="POST", data=b""))
    assert e.value.code == 401
    with pytest.raises(urllib.error.HTTPError) as e:
        backend_session(portal, "alice", "not her password")
    assert e.value.code == 401


PRESIGNED_LIMIT = 1 * MIB


@pytest.fixture(scope="module")
def presigned(kura, tmp_path_factory):
    d = installed_copy(os.path.join(EXAMPLES, "presigned-upload"), str(tmp_path_factory.mktemp("s") / "presigned"))
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    run(["node", "setup.mjs", "--endpoint", kura.endpoint, "--origin", origin, "--bucket", "presigned-uploads",
         "--max-bytes", str(PRESIGNED_LIMIT)], cwd=d, env=root_env(kura))
    backend = Backend(d, port)
    yield {"dir": d, "url": origin, "bucket": "presigned-uploads",
           "config": json.load(open(os.path.join(d, "config.json")))}
    backend.stop()


def test_presigned_example_in_chromium(kura, presigned, browser_dir, tmp_path):
    small = random_file(tmp_path / "small.bin", 300 * 1024)
    exact = random_file(tmp_path / "exactly-the-limit.bin", PRESIGNED_LIMIT)
    large = random_file(tmp_path / "too-large.bin", PRESIGNED_LIMIT + 1)
    by_put = random_file(tmp_path / "by-put.bin", 2 * MIB)  # a PUT URL carries no size limit
    report = scenario(browser_dir, "presigned_upload.mjs", {"url": presigned["url"], "uploads": [
        {"how": "post", "file": small}, {"how": "post", "file": exact}, {"how": "post", "file": large},
        {"how": "put", "file": by_put}]})
    root = kura.client()
    bucket = presigned["bucket"]
    uploads = report["uploads"]
    assert [u["file"] for u in uploads] == [small, exact, large, by_put]

    for u in (uploads[0], uploads[1], uploads[3]):
        # Uploaded, stored as sent, and the presigned GET link gives the same bytes back.
        assert u["status"] == f"Uploaded {u['key']}.", u
        assert root.head_object(Bucket=bucket, Key=u["key"])["ContentLength"] == os.path.getsize(u["file"])
        assert u["download"]["status"] == 200
        assert u["download"]["sha256"] == sha256(u["file"])
        assert "X-Amz-Algorithm=AWS4-HMAC-SHA256" in u["download"]["url"]

    # One byte over the POST policy's content-length-range: kura refuses it, the page says why.
    refused = uploads[2]
    assert refused["status"].startswith("Refused by kura: EntityTooLarge"), refused
    assert refused["key"] is None
    names = [o["Key"] for o in root.list_objects_v2(Bucket=bucket).get("Contents", [])]
    assert not any(n.endswith("/too-large.bin") for n in names), names
    assert len(names) == 3, names

    # The backend's key signs uploads only: it cannot list, or write outside uploads/.
    cfg = presigned["config"]
    backend = kura.client(key=cfg["accessKeyId"], secret=cfg["secretAccessKey"])
    assert error_code(lambda: backend.list_objects_v2(Bucket=bucket)) == "AccessDenied"
    assert error_code(lambda: backend.put_object(Bucket=bucket, Key="elsewhere", Body=b"x")) == "AccessDenied"
