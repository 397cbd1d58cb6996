"""Two `kura serve` nodes on one PostgreSQL schema and RADOS namespace (issue #20): a
configuration write answers only once every live node follows it, so a change made through one
node is in effect on the other at the very next request — a new key and a new policy work there,
a deleted key, a detached policy, a session revocation and a bucket policy's Deny stop working
there — and a role session minted on one node works on the other. A node killed with -9 delays
writes by at most the liveness bound (2.5 s at the default 100 ms poll: the node has fenced
itself by then); a node stopped cleanly delays nothing. Runs only on the shared engines
(e2e_shared.*)."""
import json
import time

import pytest
from botocore.exceptions import ClientError

from conftest import SHARED_ENGINES, KuraServer

pytestmark = pytest.mark.skipif(not SHARED_ENGINES, reason="needs the shared engines (e2e_shared)")

LIVENESS_SECONDS = 2.6  # docs/scale-out.md: max(2 s, 5 polls) + max(0.5 s, 1 poll) + one poll
SLACK_SECONDS = 2.0     # a loaded 2-core machine
LIST_BUCKETS = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]}
ALL_S3 = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    one = KuraServer(str(tmp_path_factory.mktemp("node1") / "data")).start()
    two = KuraServer(str(tmp_path_factory.mktemp("node2") / "data"), join=one)
    try:
        two.start()
        yield one, two
    finally:
        two.stop()
        one.stop()


def lists_buckets(node, key, secret, token=None):
    try:
        node.client("s3", key=key, secret=secret, token=token).list_buckets()
        return True
    except ClientError:
        return False


def error_code(call):
    with pytest.raises(ClientError) as refusal:
        call()
    return refusal.value.response["Error"]["Code"]


def new_user(iam, name, policy=None):
    iam.create_user(UserName=name)
    if policy is not None:
        iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


def test_both_nodes_serve_one_account(nodes):
    one, two = nodes
    assert (one.client("sts").get_caller_identity()["Account"]
            == two.client("sts").get_caller_identity()["Account"])


def test_a_key_and_policy_made_on_one_node_work_on_the_other_at_once(nodes):
    one, two = nodes
    iam = one.client("iam")
    creds = new_user(iam, "follower")
    assert error_code(lambda: two.client("s3", key=creds[0], secret=creds[1]).list_buckets()) \
        == "AccessDenied"  # the key is known on node 2 at once; it may do nothing yet
    iam.create_policy(PolicyName="list-all", PolicyDocument=json.dumps(LIST_BUCKETS))
    account = one.client("sts").get_caller_identity()["Account"]
    arn = f"arn:aws:iam::{account}:policy/list-all"
    iam.attach_user_policy(UserName="follower", PolicyArn=arn)
    assert lists_buckets(two, *creds), "node 2 did not follow node 1's AttachUserPolicy"

    iam.detach_user_policy(UserName="follower", PolicyArn=arn)
    assert not lists_buckets(two, *creds), "node 2 still applied the policy node 1 detached"
    iam.attach_user_policy(UserName="follower", PolicyArn=arn)
    assert lists_buckets(two, *creds)

    iam.delete_access_key(UserName="follower", AccessKeyId=creds[0])
    assert error_code(lambda: two.client("s3", key=creds[0], secret=creds[1]).list_buckets()) \
        == "InvalidAccessKeyId"


def test_a_bucket_policy_deny_made_on_one_node_holds_on_the_other_at_once(nodes):
    one, two = nodes
    account = one.client("sts").get_caller_identity()["Account"]
    creds = new_user(one.client("iam"), "reader", ALL_S3)
    one.client("s3").create_bucket(Bucket="followed-policy")
    two.client("s3").put_object(Bucket="followed-policy", Key="k", Body=b"v")
    reader_on_two = two.client("s3", key=creds[0], secret=creds[1])
    assert reader_on_two.get_object(Bucket="followed-policy", Key="k")["Body"].read() == b"v"
    one.client("s3").put_bucket_policy(Bucket="followed-policy", Policy=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Deny", "Principal": {"AWS": f"arn:aws:iam::{account}:user/reader"},
            "Action": "s3:GetObject", "Resource": "arn:aws:s3:::followed-policy/*"}]}))
    assert error_code(lambda: reader_on_two.get_object(Bucket="followed-policy", Key="k")) \
        == "AccessDenied"
    one.client("s3").delete_bucket_policy(Bucket="followed-policy")
    assert reader_on_two.get_object(Bucket="followed-policy", Key="k")["Body"].read() == b"v"


def test_a_write_on_one_node_does_not_bring_back_what_the_other_deleted(nodes):
    one, two = nodes
    one.client("iam").create_user(UserName="doomed")
    assert any(u["UserName"] == "doomed" for u in two.client("iam").list_users()["Users"])
    one.client("iam").delete_user(UserName="doomed")
    two.client("iam").create_user(UserName="survivor")
    names = {u["UserName"] for u in one.client("iam").list_users()["Users"]}
    assert "survivor" in names and "doomed" not in names


def test_a_role_session_minted_on_one_node_works_on_the_other_until_revoked(nodes):
    one, two = nodes
    account = one.client("sts").get_caller_identity()["Account"]
    iam = one.client("iam")
    user_key = new_user(iam, "assumer", {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]})
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:user/assumer"},
        "Action": "sts:AssumeRole"}]}
    iam.create_role(RoleName="lister", AssumeRolePolicyDocument=json.dumps(trust))
    iam.put_role_policy(RoleName="lister", PolicyName="list", PolicyDocument=json.dumps(LIST_BUCKETS))

    sts = one.client("sts", key=user_key[0], secret=user_key[1])
    session = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/lister",
                              RoleSessionName="on-node-1")["Credentials"]
    creds = (session["AccessKeyId"], session["SecretAccessKey"], session["SessionToken"])
    assert lists_buckets(two, *creds), "node 2 did not accept node 1's role session"
    caller = two.client("sts", key=creds[0], secret=creds[1], token=creds[2]).get_caller_identity()
    assert caller["Arn"] == f"arn:aws:sts::{account}:assumed-role/lister/on-node-1"

    # What the console's "revoke active sessions" writes (AWS's AWSRevokeOlderSessions policy).
    time.sleep(1.1)  # aws:TokenIssueTime has one-second resolution
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    iam.put_role_policy(RoleName="lister", PolicyName="AWSRevokeOlderSessions",
                        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{
                            "Effect": "Deny", "Action": "*", "Resource": "*",
                            "Condition": {"DateLessThan": {"aws:TokenIssueTime": now}}}]}))
    assert not lists_buckets(two, *creds), "node 2 still accepted the revoked session"


def timed(call):
    start = time.monotonic()
    call()
    return time.monotonic() - start


def test_a_node_killed_delays_writes_by_at_most_the_liveness_bound(nodes, tmp_path):
    one, _ = nodes
    three = KuraServer(str(tmp_path / "data"), join=one).start()
    try:
        assert timed(lambda: one.client("iam").create_user(UserName="before-kill")) < SLACK_SECONDS
        three.kill()
        took = timed(lambda: one.client("iam").create_user(UserName="after-kill"))
        assert took < LIVENESS_SECONDS + SLACK_SECONDS, f"a write waited {took:.1f} s for a dead node"
        # Its heartbeat has aged out now: the next write does not wait for it at all.
        assert timed(lambda: one.client("iam").create_user(UserName="after-age")) < SLACK_SECONDS
    finally:
        three.stop()


def test_a_node_stopped_cleanly_does_not_delay_writes(nodes, tmp_path):
    one, _ = nodes
    three = KuraServer(str(tmp_path / "data"), join=one).start()
    three.stop()
    took = timed(lambda: one.client("iam").create_user(UserName="after-stop"))
    assert took < 1.0, f"a write waited {took:.1f} s for a node that left"
