"""/metrics on the console listener: scraped and parsed with Prometheus's own text parser
(prometheus_client.parser, Debian's python3-prometheus-client), plus the format rules that parser
lets pass (every family's samples together, after its TYPE). Counters move for S3, IAM and STS
calls; an authentication failure is counted by its reason; and a thousand requests to random
unknown bucket names add no series."""
import json
import re
import secrets
import time
import urllib.request

import boto3
import botocore.config
import botocore.exceptions
import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import REGION, ROOT_KEY, ROOT_SECRET, KuraServer, free_port

NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    d = tmp_path_factory.mktemp("metrics")
    port = free_port()
    kura = KuraServer(str(d / "data"), extra_args=["--console-listen", f"127.0.0.1:{port}"]).start()
    kura.metrics_url = f"http://127.0.0.1:{port}/metrics"
    yield kura
    kura.stop()


def scrape(server):
    with urllib.request.urlopen(server.metrics_url, timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
        return response.read().decode("utf-8")


def check_layout(text):
    """What the parser does not insist on: HELP and TYPE once per family and before its samples,
    each family's samples in one block, valid names, a final newline."""
    assert text.endswith("\n")
    typed, seen, current = {}, set(), None
    for line in text.splitlines():
        if line.startswith("# HELP "):
            name = line.split(" ")[2]
            assert NAME.fullmatch(name), line
            assert name not in seen, f"family {name} twice"
            seen.add(name)
            current = name
        elif line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            assert name == current and kind in ("counter", "gauge", "histogram"), line
            typed[name] = kind
        else:
            sample = re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)", line).group(1)
            family = current
            suffixes = ("_bucket", "_sum", "_count") if typed.get(family) == "histogram" else ("",)
            assert any(sample == family + s for s in suffixes), f"{line!r} outside its family {family}"


def series(text):
    """{(sample name, frozenset(labels)): value} through the Prometheus parser."""
    check_layout(text)
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, frozenset(s.labels.items()))] = s.value
    return out


def value(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())), 0.0)


def scrape_until(server, ready, seconds=5):
    """The samples once `ready(samples)` holds, or at the deadline: kura counts a request after
    its answer is sent, so a scrape made as soon as the client has the answer may be served
    (on another I/O thread) before the count. The callers still assert exact values."""
    deadline = time.monotonic() + seconds
    samples = series(scrape(server))
    while not ready(samples) and time.monotonic() < deadline:
        time.sleep(0.05)
        samples = series(scrape(server))
    return samples


def client(server, service, key=ROOT_KEY, secret=ROOT_SECRET):
    return boto3.session.Session().client(
        service, endpoint_url=server.endpoint, region_name=REGION, aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"},
                                      s3={"addressing_style": "path"}))


def test_the_page_parses_and_has_process_and_storage_metrics(server):
    samples = series(scrape(server))
    names = {name for name, _ in samples}
    for expected in ("kura_build_info", "kura_uptime_seconds", "process_start_time_seconds",
                     "kura_metadata_bytes", "kura_data_dir_filesystem_available_bytes",
                     "kura_open_connections", "kura_sts_sessions_issued_total"):
        assert expected in names, expected
    assert value(samples, "kura_open_connections") >= 1  # the scrape's own
    assert value(samples, "kura_metadata_bytes") > 0


def test_counters_move_for_s3_iam_and_sts_calls(server):
    before = series(scrape(server))
    s3 = client(server, "s3")
    s3.create_bucket(Bucket="metrics-bucket")
    for i in range(3):
        s3.put_object(Bucket="metrics-bucket", Key=f"k{i}", Body=b"x" * 1000)
    assert s3.get_object(Bucket="metrics-bucket", Key="k0")["Body"].read() == b"x" * 1000
    client(server, "iam").create_user(UserName="metrics-user")
    client(server, "sts").get_caller_identity()
    counted = [("s3", "PutObject", 3), ("s3", "CreateBucket", 1), ("s3", "GetObject", 1),
               ("iam", "CreateUser", 1), ("sts", "GetCallerIdentity", 1)]
    after = scrape_until(server, lambda s: all(
        value(s, "kura_requests_total", api=api, operation=op, status_class="2xx")
        - value(before, "kura_requests_total", api=api, operation=op, status_class="2xx") >= n
        for api, op, n in counted))

    def moved(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    ok = {"status_class": "2xx"}
    assert moved("kura_requests_total", api="s3", operation="PutObject", **ok) == 3
    assert moved("kura_requests_total", api="s3", operation="CreateBucket", **ok) == 1
    assert moved("kura_requests_total", api="s3", operation="GetObject", **ok) == 1
    assert moved("kura_requests_total", api="iam", operation="CreateUser", **ok) == 1
    assert moved("kura_requests_total", api="sts", operation="GetCallerIdentity", **ok) == 1
    assert moved("kura_request_duration_seconds_count", api="s3", operation="PutObject") == 3
    assert moved("kura_request_duration_seconds_bucket", api="s3", operation="PutObject", le="+Inf") == 3
    assert moved("kura_request_body_bytes_total", api="s3", direction="in") >= 3000
    assert moved("kura_request_body_bytes_total", api="s3", direction="out") >= 1000
    # Each PUT committed metadata through the group commit.
    assert moved("kura_store_commit_batch_size_count") >= 1
    assert moved("kura_store_commit_duration_seconds_count") >= 1
    # The scrapes count themselves as the console's.
    assert value(after, "kura_requests_total", api="console", operation="Metrics", **ok) >= 2


def test_sessions_issued_live_sessions_and_audit_records_are_counted(server):
    before = series(scrape(server))
    iam = client(server, "iam")
    account = client(server, "sts").get_caller_identity()["Account"]
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
             "Principal": {"AWS": f"arn:aws:iam::{account}:root"}}]}
    role = iam.create_role(RoleName="metrics-role", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    # The root user may not assume roles (AWS refuses it): an IAM user allowed to does.
    iam.create_user(UserName="metrics-assumer")
    allow = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
             "Resource": role["Arn"]}]}
    iam.put_user_policy(UserName="metrics-assumer", PolicyName="assume", PolicyDocument=json.dumps(allow))
    key = iam.create_access_key(UserName="metrics-assumer")["AccessKey"]
    sts = client(server, "sts", key=key["AccessKeyId"], secret=key["SecretAccessKey"])
    sts.assume_role(RoleArn=role["Arn"], RoleSessionName="one")
    sts.assume_role(RoleArn=role["Arn"], RoleSessionName="two")
    sts.get_session_token()
    after = scrape_until(server, lambda s: value(s, "kura_sts_sessions_issued_total")
                         - value(before, "kura_sts_sessions_issued_total") >= 3)
    issued = value(after, "kura_sts_sessions_issued_total") - value(before, "kura_sts_sessions_issued_total")
    assert issued == 3
    assert value(after, "kura_sts_live_sessions") >= 3
    # The audit writer runs behind the requests: its count catches up within its batching delay.
    deadline = time.monotonic() + 10
    while value(after, "kura_audit_records_written_total") - \
            value(before, "kura_audit_records_written_total") < 5 and time.monotonic() < deadline:
        time.sleep(0.1)
        after = series(scrape(server))
    assert value(after, "kura_audit_records_written_total") - \
        value(before, "kura_audit_records_written_total") >= 5
    assert value(after, "kura_audit_records_dropped_total") == 0


def test_auth_failures_are_counted_by_reason(server):
    before = series(scrape(server))
    bad_secret = client(server, "s3", secret="x" * 40)
    with pytest.raises(botocore.exceptions.ClientError, match="SignatureDoesNotMatch"):
        bad_secret.list_buckets()
    unknown = client(server, "s3", key="AKIAUNKNOWNKEY000000")
    with pytest.raises(botocore.exceptions.ClientError, match="InvalidAccessKeyId"):
        unknown.list_buckets()
    with pytest.raises(botocore.exceptions.ClientError, match="SignatureDoesNotMatch"):
        client(server, "iam", secret="y" * 40).list_users()
    reasons = [("s3", "bad_signature"), ("s3", "unknown_key"), ("iam", "bad_signature")]
    after = scrape_until(server, lambda s: all(
        value(s, "kura_auth_failures_total", api=api, reason=reason)
        > value(before, "kura_auth_failures_total", api=api, reason=reason) for api, reason in reasons))

    def moved(**labels):
        return value(after, "kura_auth_failures_total", **labels) - value(before, "kura_auth_failures_total", **labels)

    assert moved(api="s3", reason="bad_signature") == 1
    assert moved(api="s3", reason="unknown_key") == 1
    assert moved(api="iam", reason="bad_signature") == 1
    assert value(after, "kura_requests_total", api="s3", operation="other", status_class="4xx") >= 2


def test_a_denied_request_is_counted_as_denied(server):
    iam = client(server, "iam")
    iam.create_user(UserName="metrics-nobody")
    key = iam.create_access_key(UserName="metrics-nobody")["AccessKey"]
    before = series(scrape(server))
    nobody = client(server, "s3", key=key["AccessKeyId"], secret=key["SecretAccessKey"])
    with pytest.raises(botocore.exceptions.ClientError, match="AccessDenied"):
        nobody.list_buckets()
    after = scrape_until(server, lambda s: value(s, "kura_auth_failures_total", api="s3", reason="denied")
                         > value(before, "kura_auth_failures_total", api="s3", reason="denied"))
    assert (value(after, "kura_auth_failures_total", api="s3", reason="denied")
            - value(before, "kura_auth_failures_total", api="s3", reason="denied")) == 1


def test_requests_to_unknown_buckets_and_operations_add_no_series(server):
    s3 = client(server, "s3")
    # Every kind of answer these requests get, once, so that their series exist.
    with pytest.raises(botocore.exceptions.ClientError):
        s3.get_object(Bucket="no-such-bucket-warmup", Key="k")
    with pytest.raises(botocore.exceptions.ClientError):
        s3.head_bucket(Bucket="no-such-bucket-warmup")
    raw = urllib.request.Request(server.endpoint + "/?Action=NoSuchAction" + secrets.token_hex(4), method="POST")
    try:
        urllib.request.urlopen(raw, timeout=10)
    except urllib.error.HTTPError:
        pass
    before = set(series(scrape(server)))
    for i in range(1000):
        name = "nb-" + secrets.token_hex(8)
        try:
            if i % 2:
                s3.get_object(Bucket=name, Key=secrets.token_hex(4))
            else:
                s3.head_bucket(Bucket=name)
        except botocore.exceptions.ClientError:
            pass
    for _ in range(20):
        raw = urllib.request.Request(server.endpoint + "/?Action=NoSuchAction" + secrets.token_hex(4), method="POST")
        try:
            urllib.request.urlopen(raw, timeout=10)
        except urllib.error.HTTPError:
            pass
    after_text = scrape(server)
    after = set(series(after_text))
    assert after == before, sorted(after - before)
    assert "nb-" not in after_text and "NoSuchAction" not in after_text


def test_the_s3_port_has_no_metrics(server):
    try:
        body = urllib.request.urlopen(server.endpoint + "/metrics", timeout=10).read()
    except urllib.error.HTTPError as e:
        body = e.read()
    assert b"kura_requests_total" not in body
