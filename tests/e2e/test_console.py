"""kura's web console (src/console/assets, served by `kura serve --console-listen`) in headless
Chromium, driven as a person would by tests/e2e/browser/console.mjs, with boto3 as the script on
the other side and the independent witness of what kura stored and refused: sign in as root
(the long-term secret is kept nowhere), keyboard-only navigation, a bucket and a 20 MiB upload
with progress downloaded back byte-identical, a presigned link, a user with an access key shown
once, a role trusting the account, kura's policy validation error, the simulator, the status
page, a 375 px wide layout; then the script assumes the role, the session shows on the Live
sessions page, the page revokes it, and the script's next request is denied.

Set KURA_CONSOLE_SCREENSHOTS=DIR to keep the pages' screenshots (docs/console/*.png come from it)."""
import hashlib
import json
import os
import urllib.error
import urllib.request

import pytest

from conftest import KuraServer, ROOT_KEY, ROOT_SECRET, free_port
from test_upload_portal import HERE, MIB, error_code, installed_copy, random_file, scenario, sha256

BUCKET = "console-e2e"
USER = "console-user"
ROLE = "console-role"
SESSION_NAME = "script-session"


@pytest.fixture(scope="module")
def kura(tmp_path_factory):
    d = tmp_path_factory.mktemp("kura-console")
    console_port = free_port()
    # Short sessions allowed, so the expiry test need not wait 15 minutes.
    args = ["--console-listen", f"127.0.0.1:{console_port}", "--sts-min-duration", "5"]
    if os.environ.get("KURA_CONSOLE_ASSETS"):  # serve the assets from disk while developing them
        args += ["--console-assets", os.environ["KURA_CONSOLE_ASSETS"]]
    server = KuraServer(str(d / "data"), extra_args=args).start()
    server.console = f"http://127.0.0.1:{console_port}/"
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser_dir(tmp_path_factory):
    return installed_copy(os.path.join(HERE, "browser"), str(tmp_path_factory.mktemp("b") / "browser"))


def run_step(browser_dir, kura, step, **arguments):
    screenshots = os.environ.get("KURA_CONSOLE_SCREENSHOTS")
    return scenario(browser_dir, "console.mjs", {"step": step, "console": kura.console, "key": ROOT_KEY,
                                                 "secret": ROOT_SECRET, "screenshots": screenshots,
                                                 **arguments}, timeout=300)


def test_console_in_chromium(kura, browser_dir, tmp_path):
    account = kura.client("sts").get_caller_identity()["Account"]
    big = random_file(tmp_path / "twenty-mib.bin", 20 * MIB)
    report = run_step(browser_dir, kura, "admin", bucket=BUCKET, user=USER, role=ROLE, account=account, file=big)
    root_s3, root_iam = kura.client(), kura.client("iam")

    # Signed in as root through a GetSessionToken session; the long-term secret is nowhere.
    assert report["principal"] == f"arn:aws:iam::{account}:root", report["principal"]
    for when in ("storedAfterSignIn", "storedAtEnd"):
        kept = report[when]
        for place in ("local", "session", "source", "inputs"):
            assert ROOT_SECRET not in kept[place], (when, place)
        assert kept["local"] == "{}"
    session = json.loads(json.loads(report["storedAfterSignIn"]["session"])["kura-console-session"])
    assert session["accessKeyId"].startswith("ASIA") and session["sessionToken"]
    assert report["afterSignOut"] == {"session": 0, "notice": "Signed out."}

    # Keyboard only: every main-nav link reached with Tab, focus visible, opened with Enter.
    visits = report["keyboard"]
    assert [v["name"] for v in visits] == ["Buckets", "Users", "Groups", "Roles", "Policies", "Policy simulator",
                                          "Live sessions", "Status"]
    for v in visits:
        assert v["focused"] == v["name"] and v["tabs"] < 40, v
        assert v["outline"] != "none", v
        assert v["h1"] == v["name"], v
        assert v["focusAfter"] == "H1", v  # focus moves to the new page's heading

    # The 20 MiB upload: multipart (three 8 MiB parts), progress up to 100 %, downloaded back.
    up = report["upload"]
    assert up["status"] == "Uploaded twenty-mib.bin.", up
    assert up["progressSeen"][-1] == 100 and any(0 < p < 100 for p in up["progressSeen"]), up["progressSeen"]
    head = root_s3.head_object(Bucket=BUCKET, Key="twenty-mib.bin")
    assert head["ContentLength"] == 20 * MIB
    assert head["ETag"].strip('"').endswith("-3"), head["ETag"]
    assert up["download"] == {"name": "twenty-mib.bin", "sha256": sha256(big)}
    # The presigned link (1 day, chosen in the page) gives the same bytes to anyone holding it.
    assert "X-Amz-Expires=86400" in up["presigned"] and "X-Amz-Signature=" in up["presigned"]
    with urllib.request.urlopen(up["presigned"], timeout=60) as r:
        assert hashlib.sha256(r.read()).hexdigest() == sha256(big)

    # The user, its access key (shown once, then dismissed with Escape), its inline policy.
    key = report["accessKey"]
    assert key["id"].startswith("AKIA") and len(key["secret"]) == 40, key["id"]
    assert report["secretHiddenAfterEscape"]
    assert key["secret"] not in report["storedAtEnd"]["source"]
    assert [k["AccessKeyId"] for k in root_iam.list_access_keys(UserName=USER)["AccessKeyMetadata"]] == [key["id"]]
    assert root_iam.list_user_policies(UserName=USER)["PolicyNames"] == ["assume-console-role"]

    # The role, with kura's own validation error shown for the malformed policy.
    assert "MalformedPolicyDocument" in report["malformedPolicy"], report["malformedPolicy"]
    assert root_iam.list_role_policies(RoleName=ROLE)["PolicyNames"] == ["list-buckets"]
    trust = root_iam.get_role(RoleName=ROLE)["Role"]["AssumeRolePolicyDocument"]
    assert trust["Statement"][0]["Principal"] == {"AWS": f"arn:aws:iam::{account}:root"}

    # The simulator: the user may assume the role, and may not read objects.
    rows = {r[0]: r for r in report["simulationRows"]}
    assert rows["sts:AssumeRole"][2] == "allowed", rows
    assert rows["s3:GetObject"][2] == "implicitDeny", rows
    assert "assume-console-role" in rows["sts:AssumeRole"][3], rows

    # Status from /metrics; a kura without metrics built in answers 404 there, and the page says so.
    try:
        metrics_status = urllib.request.urlopen(kura.console + "metrics", timeout=10).status
    except urllib.error.HTTPError as e:
        metrics_status = e.code
    if metrics_status == 200:
        assert report["status"].get("version") not in (None, "", "unknown"), report["status"]
        assert report["status"]["uptime"] != "unknown", report["status"]
    else:
        assert metrics_status == 404 and "HTTP 404" in report["status"]["error"], (metrics_status, report["status"])

    # Phone width: nothing wider than the screen.
    for page, size in report["phone"].items():
        assert size["scrollWidth"] <= size["clientWidth"] <= 375, (page, size)

    # The script: the user assumes the role and makes a call with the session.
    user_sts = kura.client("sts", key=key["id"], secret=key["secret"])
    creds = user_sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{ROLE}",
                                 RoleSessionName=SESSION_NAME)["Credentials"]
    script = kura.client(key=creds["AccessKeyId"], secret=creds["SecretAccessKey"], token=creds["SessionToken"])
    assert BUCKET in [b["Name"] for b in script.list_buckets()["Buckets"]]

    # Versioning on, two versions and a delete marker: the bucket page lists them.
    root_s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    first = root_s3.put_object(Bucket=BUCKET, Key="v.txt", Body=b"one")["VersionId"]
    second = root_s3.put_object(Bucket=BUCKET, Key="v.txt", Body=b"two!")["VersionId"]
    marker = root_s3.delete_object(Bucket=BUCKET, Key="v.txt")["VersionId"]

    # The page shows the session and revokes it.
    revoked = run_step(browser_dir, kura, "revoke", role=ROLE, sessionName=SESSION_NAME, bucket=BUCKET)
    versions = [v for v in revoked["versions"] if v[0] == "v.txt"]
    assert versions == [["v.txt", marker, "yes", "delete marker"], ["v.txt", second, "", "4 B"],
                        ["v.txt", first, "", "3 B"]], revoked["versions"]
    row = revoked["sessionRow"]
    assert row[0] == ROLE and row[1] == SESSION_NAME, row
    assert row[3] == f"arn:aws:iam::{account}:user/{USER}", row
    assert "127.0.0.1" in row[6], row  # last used: when and from where
    assert row[7] == creds["AccessKeyId"], row
    assert revoked["revoked"].startswith(f"Revoked: sessions of {ROLE} issued before"), revoked["revoked"]
    assert not any(SESSION_NAME in r for r in revoked["rowsAfter"]), revoked["rowsAfter"]
    policy = root_iam.get_role_policy(RoleName=ROLE, PolicyName="AWSRevokeOlderSessions")["PolicyDocument"]
    statement = policy["Statement"][0]
    assert (statement["Effect"], statement["Action"], statement["Resource"]) == ("Deny", "*", "*"), policy
    assert list(statement["Condition"]["DateLessThan"]) == ["aws:TokenIssueTime"], policy

    # The script's next request is denied; a session issued after the revocation works.
    assert error_code(lambda: script.list_buckets()) == "AccessDenied"
    fresh = user_sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{ROLE}",
                                 RoleSessionName="after-revoke")["Credentials"]
    later = kura.client(key=fresh["AccessKeyId"], secret=fresh["SecretAccessKey"], token=fresh["SessionToken"])
    assert BUCKET in [b["Name"] for b in later.list_buckets()["Buckets"]]


def test_console_sign_in_errors_show_aws_codes(kura, browser_dir):
    """A wrong secret: the sign-in form shows kura's error code, and nothing is stored."""
    report = scenario(browser_dir, "console.mjs", {"step": "bad-sign-in", "console": kura.console,
                                                   "key": ROOT_KEY, "secret": "x" * 40})
    assert report["signInError"].startswith("SignatureDoesNotMatch"), report["signInError"]
    assert report["session"] == 0


def test_console_session_expiry(kura, browser_dir):
    """Temporary credentials signed in with directly: the page uses them as they are, and when they
    expire it goes back to sign-in, says so, and forgets them."""
    # botocore refuses durations under 900 s itself; kura allows them with --sts-min-duration.
    sts = kura.client("sts", parameter_validation=False)
    creds = sts.get_session_token(DurationSeconds=8)["Credentials"]
    report = scenario(browser_dir, "console.mjs", {
        "step": "expiry", "console": kura.console, "key": creds["AccessKeyId"], "secret": creds["SecretAccessKey"],
        "token": creds["SessionToken"], "expiration": creds["Expiration"].isoformat()})
    assert report["principal"].endswith(":root"), report["principal"]
    assert creds["SessionToken"] in report["stored"]["session"]  # kept as given, in this tab only
    assert report["stored"]["local"] == "{}"
    assert report["notice"] == "Your session has expired. Sign in again.", report["notice"]
    assert report["session"] == 0
