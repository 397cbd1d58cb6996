"""The client behind a load balancer (`--trusted-proxies`, http/trusted_proxies.h): a request's
source address — what aws:SourceIp conditions and the audit record's sourceIPAddress see — is the
client that X-Forwarded-For names, but only on a connection from a trusted proxy, read from the
right. Embedded and shared: kura trusts 127.0.0.1 and the test plays the proxy, sending from
127.0.0.1 (trusted) and 127.0.0.2 (not). Cluster: the real HAProxy (`option forwardfor`) is the
trusted peer of every node, and the test connects to it from 127.0.0.1 and 127.0.0.2.
"""
import http.client
import json
import time
import urllib.parse

import pytest

from conftest import CLUSTER, KuraServer

DENIED_NET = "127.0.0.2/32" if CLUSTER else "198.51.100.0/24"


@pytest.fixture(scope="module")
def proxied(tmp_path_factory, tls_cert):
    d = tmp_path_factory.mktemp("kura")
    # A cluster's nodes trust their HAProxy already (conftest.KuraCluster).
    extra = () if CLUSTER else ("--trusted-proxies", "127.0.0.1")
    server = KuraServer(str(d / "data"), extra_args=extra).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def guarded(proxied):
    """A bucket whose policy denies GetObject to DENIED_NET, with one object."""
    s3 = proxied.client()
    s3.create_bucket(Bucket="guarded")
    s3.put_object(Bucket="guarded", Key="k", Body=b"body")
    policy = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Deny", "Principal": "*", "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::guarded/*",
        "Condition": {"IpAddress": {"aws:SourceIp": DENIED_NET}}}]}
    s3.put_bucket_policy(Bucket="guarded", Policy=json.dumps(policy))
    return "guarded"


def get_from(server, bucket, source, forwarded_for=None):
    """A presigned GET sent from `source` with X-Forwarded-For lines: (status, body)."""
    s3 = server.client(signature_version="s3v4")
    url = urllib.parse.urlsplit(
        s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k"}))
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30,
                                      source_address=(source, 0))
    try:
        conn.putrequest("GET", url.path + "?" + url.query)
        for value in forwarded_for or ():
            conn.putheader("X-Forwarded-For", value)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def audited(server, source, denied):
    """Whether a GetObject record (AccessDenied when `denied`) with sourceIPAddress `source` is in
    the audit log (records are written after the answer: waits up to 10 s)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for path in server.audit_paths:
            try:
                with open(path) as f:
                    for line in f:
                        record = json.loads(line)
                        if (record.get("eventName") == "GetObject"
                                and record.get("sourceIPAddress") == source
                                and (record.get("errorCode") == "AccessDenied") == denied):
                            return True
            except FileNotFoundError:
                pass
        time.sleep(0.2)
    return False


@pytest.mark.skipif(CLUSTER, reason="a cluster's peer is HAProxy, which appends the real source")
def test_a_trusted_proxy_names_the_client_and_policies_see_it(proxied, guarded):
    status, body = get_from(proxied, guarded, "127.0.0.1", ["198.51.100.7"])
    assert status == 403, body
    assert audited(proxied, "198.51.100.7", denied=True)
    # The rightmost untrusted entry counts, not what the client put on the left.
    status, body = get_from(proxied, guarded, "127.0.0.1", ["198.51.100.7, 203.0.113.1"])
    assert (status, body) == (200, b"body")
    status, body = get_from(proxied, guarded, "127.0.0.1", ["198.51.100.7", "203.0.113.1"])
    assert (status, body) == (200, b"body"), "several header lines are one list"
    status, body = get_from(proxied, guarded, "127.0.0.1", ["203.0.113.1, 198.51.100.7:5000"])
    assert status == 403, body


@pytest.mark.skipif(CLUSTER, reason="a cluster's peer is HAProxy, which appends the real source")
def test_forwarded_for_from_an_untrusted_peer_is_ignored(proxied, guarded):
    status, body = get_from(proxied, guarded, "127.0.0.2", ["198.51.100.7"])
    assert (status, body) == (200, b"body")
    assert audited(proxied, "127.0.0.2", denied=False)


@pytest.mark.skipif(not CLUSTER, reason="needs the cluster's HAProxy")
def test_behind_haproxy_the_nodes_see_the_client_not_the_balancer(proxied, guarded):
    for _ in range(3):  # each request lands on another node
        status, body = get_from(proxied, guarded, "127.0.0.2")
        assert status == 403, body
    assert audited(proxied, "127.0.0.2", denied=True)
    for _ in range(3):
        status, body = get_from(proxied, guarded, "127.0.0.1")
        assert (status, body) == (200, b"body")
    # A client cannot claim the denied address: HAProxy appends its real one on the right. (From
    # 127.0.0.3: a client on 127.0.0.1 would share the trusted proxy's address, which the nodes
    # skip as one more proxy hop.)
    status, body = get_from(proxied, guarded, "127.0.0.3", ["127.0.0.2"])
    assert (status, body) == (200, b"body")
