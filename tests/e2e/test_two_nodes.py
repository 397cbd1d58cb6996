"""Two `kura serve` nodes on one PostgreSQL schema and RADOS namespace (issue #20): a change made
through one node is in effect on the other within the poll interval (--config-poll, 1 s) plus one
reload — a new access key works there, a deleted one stops working there — and a role session
minted on one node works on the other. Runs only on the shared engines (e2e_shared.*)."""
import json
import time

import pytest
from botocore.exceptions import ClientError

from conftest import SHARED_ENGINES, KuraServer

pytestmark = pytest.mark.skipif(not SHARED_ENGINES, reason="needs the shared engines (e2e_shared)")

FOLLOW_SECONDS = 2.5  # the poll interval (1 s) plus one reload, with room for a loaded machine
LIST_BUCKETS = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]}


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


def within(seconds, check):
    """Whether check() turns true within `seconds`; and how long it took."""
    start = time.time()
    while True:
        if check():
            return True, time.time() - start
        if time.time() - start > seconds:
            return False, time.time() - start
        time.sleep(0.05)


def test_both_nodes_serve_one_account(nodes):
    one, two = nodes
    assert (one.client("sts").get_caller_identity()["Account"]
            == two.client("sts").get_caller_identity()["Account"])


def test_a_key_made_on_one_node_works_on_the_other_and_stops_once_deleted(nodes):
    one, two = nodes
    iam = one.client("iam")
    iam.create_user(UserName="follower")
    iam.put_user_policy(UserName="follower", PolicyName="list", PolicyDocument=json.dumps(LIST_BUCKETS))
    key = iam.create_access_key(UserName="follower")["AccessKey"]
    creds = (key["AccessKeyId"], key["SecretAccessKey"])

    works, took = within(FOLLOW_SECONDS, lambda: lists_buckets(two, *creds))
    assert works, f"node 2 did not accept node 1's new key within {took:.1f} s"

    iam.delete_access_key(UserName="follower", AccessKeyId=key["AccessKeyId"])
    refused, took = within(FOLLOW_SECONDS, lambda: not lists_buckets(two, *creds))
    assert refused, f"node 2 still accepted the key node 1 deleted after {took:.1f} s"
    with pytest.raises(ClientError) as refusal:
        two.client("s3", key=creds[0], secret=creds[1]).list_buckets()
    assert refusal.value.response["Error"]["Code"] == "InvalidAccessKeyId"


def test_a_write_on_one_node_does_not_bring_back_what_the_other_deleted(nodes):
    one, two = nodes
    one.client("iam").create_user(UserName="doomed")
    assert within(FOLLOW_SECONDS, lambda: any(
        u["UserName"] == "doomed" for u in two.client("iam").list_users()["Users"]))[0]
    one.client("iam").delete_user(UserName="doomed")
    two.client("iam").create_user(UserName="survivor")  # at once, before node 2 may have reloaded
    names = {u["UserName"] for u in one.client("iam").list_users()["Users"]}
    assert "survivor" in names and "doomed" not in names


def test_a_role_session_minted_on_one_node_works_on_the_other(nodes):
    one, two = nodes
    account = one.client("sts").get_caller_identity()["Account"]
    iam = one.client("iam")
    iam.create_user(UserName="assumer")
    user_key = iam.create_access_key(UserName="assumer")["AccessKey"]
    iam.put_user_policy(UserName="assumer", PolicyName="assume", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}))
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:user/assumer"},
        "Action": "sts:AssumeRole"}]}
    iam.create_role(RoleName="lister", AssumeRolePolicyDocument=json.dumps(trust))
    iam.put_role_policy(RoleName="lister", PolicyName="list", PolicyDocument=json.dumps(LIST_BUCKETS))

    sts = one.client("sts", key=user_key["AccessKeyId"], secret=user_key["SecretAccessKey"])
    session = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/lister",
                              RoleSessionName="on-node-1")["Credentials"]
    creds = (session["AccessKeyId"], session["SecretAccessKey"], session["SessionToken"])
    works, took = within(FOLLOW_SECONDS, lambda: lists_buckets(two, *creds))
    assert works, f"node 2 did not accept node 1's role session within {took:.1f} s"
    caller = two.client("sts", key=creds[0], secret=creds[1], token=creds[2]).get_caller_identity()
    assert caller["Arn"] == f"arn:aws:sts::{account}:assumed-role/lister/on-node-1"
