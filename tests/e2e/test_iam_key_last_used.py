"""GetAccessKeyLastUsed end to end: a key's last use is recorded once its signature verified, with
the service and region it was signed for, survives a restart, and every node of a cluster answers
it (nodes share it through the metadata store within their flush interval, 5 s)."""
import datetime
import json
import time

import botocore.exceptions
import pytest

from conftest import CLUSTER, REGION

FLUSH_WAIT = 10  # seconds: a cluster's nodes write their uses to the store every 5 s


def make_user_with_key(iam, name, actions):
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


def last_used(iam, akid):
    return iam.get_access_key_last_used(AccessKeyId=akid)["AccessKeyLastUsed"]


def wait_last_used(iam, akid, newer_than=None):
    """The key's AccessKeyLastUsed once it has a LastUsedDate (after `newer_than` if given)."""
    deadline = time.time() + FLUSH_WAIT
    while True:
        last = last_used(iam, akid)
        when = last.get("LastUsedDate")
        if when is not None and (newer_than is None or when > newer_than):
            return last
        if time.time() > deadline:
            return last
        time.sleep(0.25)


def forged_client(kura, service, akid):
    """A client that names the key but signs with a wrong secret."""
    return kura.client(service, key=akid, secret="x" * 40)


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def test_a_key_never_used_shows_na(kura):
    iam = kura.client("iam")
    akid, _ = make_user_with_key(iam, "never-used", "s3:ListAllMyBuckets")
    answer = iam.get_access_key_last_used(AccessKeyId=akid)
    assert answer["UserName"] == "never-used"
    assert answer["AccessKeyLastUsed"] == {"ServiceName": "N/A", "Region": "N/A"}


def test_an_s3_use_shows_its_date_service_and_region(kura):
    iam = kura.client("iam")
    akid, secret = make_user_with_key(iam, "s3-user", "s3:ListAllMyBuckets")
    before = now().replace(microsecond=0)
    kura.client("s3", key=akid, secret=secret).list_buckets()
    last = wait_last_used(iam, akid)
    assert "LastUsedDate" in last, last
    assert before <= last["LastUsedDate"] <= now()
    assert last["ServiceName"] == "s3"
    assert last["Region"] == REGION


def test_an_iam_use_shows_iam(kura):
    iam = kura.client("iam")
    akid, secret = make_user_with_key(iam, "iam-user", "iam:GetUser")
    kura.client("iam", key=akid, secret=secret).get_user()
    last = wait_last_used(iam, akid)
    assert last.get("ServiceName") == "iam", last
    assert last["Region"] == REGION  # boto3 signs IAM for the client's region


def test_a_request_with_a_wrong_signature_is_no_use(kura):
    iam = kura.client("iam")
    akid, secret = make_user_with_key(iam, "forged", "s3:ListAllMyBuckets")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        forged_client(kura, "s3", akid).list_buckets()
    assert e.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
    if CLUSTER:
        time.sleep(6)  # a node that had recorded it would have written it by now
    assert last_used(iam, akid) == {"ServiceName": "N/A", "Region": "N/A"}

    kura.client("s3", key=akid, secret=secret).list_buckets()
    first = wait_last_used(iam, akid)["LastUsedDate"]
    time.sleep(1.1)  # LastUsedDate is to the second
    with pytest.raises(botocore.exceptions.ClientError):
        forged_client(kura, "iam", akid).get_user()
    if CLUSTER:
        time.sleep(6)
    last = last_used(iam, akid)
    assert last["LastUsedDate"] == first
    assert last["ServiceName"] == "s3"


def test_the_last_use_survives_a_clean_restart(fresh_kura):
    iam = fresh_kura.client("iam")
    akid, secret = make_user_with_key(iam, "restarted", "s3:ListAllMyBuckets")
    fresh_kura.client("s3", key=akid, secret=secret).list_buckets()
    before = wait_last_used(iam, akid)
    assert "LastUsedDate" in before, before
    fresh_kura.stop()
    fresh_kura.start()
    after = last_used(fresh_kura.client("iam"), akid)
    assert after == before
