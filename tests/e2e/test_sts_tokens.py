"""STS session tokens end to end, with no IAM entities needed: GetCallerIdentity,
GetSessionToken as the account root, using the session with boto3 and the aws CLI, expiry
(S3 400 ExpiredToken, STS 403 ExpiredToken), tampered/truncated/foreign tokens, presigned URLs
made with session credentials, and key rotation with `kura sts rotate-key` in a running server."""
import base64
import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request

import botocore.config
import pytest
from botocore.exceptions import ClientError

from conftest import KURA_BIN, SHARED_ENGINES, KuraServer, shared_engine_args


@pytest.fixture(scope="module")
def kura(tmp_path_factory):
    d = tmp_path_factory.mktemp("kura-sts")
    server = KuraServer(str(d / "data"), extra_args=["--sts-min-duration", "2"]).start()
    yield server
    server.stop()


def session_token(kura, seconds=900):
    sts = kura.client("sts", parameter_validation=False)
    return sts.get_session_token(DurationSeconds=seconds)["Credentials"]


def as_session(kura, creds, service="s3"):
    extra = {"signature_version": "s3v4"} if service == "s3" else {}
    return kura.client(service, key=creds["AccessKeyId"], secret=creds["SecretAccessKey"],
                       token=creds["SessionToken"], **extra)


def error_of(call):
    with pytest.raises(ClientError) as e:
        call()
    return e.value.response["Error"]["Code"], e.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_get_caller_identity_names_the_root(kura):
    me = kura.client("sts").get_caller_identity()
    assert me["Arn"] == f"arn:aws:iam::{me['Account']}:root"
    assert me["UserId"] == me["Account"] and len(me["Account"]) == 12


def test_root_session_acts_as_root_until_it_expires(kura):
    creds = session_token(kura, 3)
    assert creds["AccessKeyId"].startswith("ASIA") and len(creds["SecretAccessKey"]) == 40
    s3 = as_session(kura, creds)
    s3.create_bucket(Bucket="root-session-bucket")
    s3.put_object(Bucket="root-session-bucket", Key="k", Body=b"v")
    me = as_session(kura, creds, "sts").get_caller_identity()
    assert me["Arn"].endswith(":root")
    time.sleep(max(0, creds["Expiration"].timestamp() - time.time()) + 1.1)
    assert error_of(lambda: s3.list_objects_v2(Bucket="root-session-bucket")) == ("ExpiredToken", 400)
    assert error_of(lambda: as_session(kura, creds, "sts").get_caller_identity()) == ("ExpiredToken", 403)


def test_expired_token_message_is_s3s(kura):
    creds = session_token(kura, 2)
    time.sleep(max(0, creds["Expiration"].timestamp() - time.time()) + 1.1)
    with pytest.raises(ClientError) as e:
        as_session(kura, creds).list_buckets()
    assert e.value.response["Error"]["Message"] == "The provided token has expired."


def test_root_sessions_last_at_most_an_hour(kura):
    creds = session_token(kura, 7200)
    remaining = creds["Expiration"].timestamp() - time.time()
    assert 3500 < remaining <= 3601


def test_get_session_token_duration_is_validated(kura):
    sts = kura.client("sts", parameter_validation=False)
    with pytest.raises(ClientError) as e:
        sts.get_session_token(DurationSeconds=1)
    assert e.value.response["Error"]["Code"] == "ValidationError"
    assert "Member must have value greater than or equal to 2" in e.value.response["Error"]["Message"]


def test_session_credentials_cannot_get_another_session_token(kura):
    creds = session_token(kura)
    assert error_of(lambda: as_session(kura, creds, "sts").get_session_token()) == ("AccessDenied", 403)


def flip(token, index):
    raw = bytearray(base64.b64decode(token))
    raw[index] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


@pytest.mark.parametrize("mangle", ["tampered", "truncated", "garbage", "foreign", "other-key"])
def test_bad_tokens_are_invalid_never_a_crash(kura, mangle):
    creds = dict(session_token(kura))
    other = session_token(kura)
    token = creds["SessionToken"]
    creds["SessionToken"] = {
        "tampered": lambda: flip(token, len(base64.b64decode(token)) // 2),
        "truncated": lambda: token[: len(token) // 2],
        "garbage": lambda: "AQAAAAE" + "x" * 100,
        "foreign": lambda: flip(token, 2),  # another key id
        "other-key": lambda: other["SessionToken"],  # valid token, different access key
    }[mangle]()
    assert error_of(lambda: as_session(kura, creds).list_buckets()) == ("InvalidToken", 400)
    assert error_of(lambda: as_session(kura, creds, "sts").get_caller_identity()) == ("InvalidClientTokenId", 403)
    kura.client().list_buckets()  # still serving


def test_session_key_without_token_is_an_unknown_key(kura):
    creds = session_token(kura)
    s3 = kura.client(key=creds["AccessKeyId"], secret=creds["SecretAccessKey"])
    assert error_of(s3.list_buckets) == ("InvalidAccessKeyId", 403)


def test_presigned_url_with_session_credentials_stops_with_the_session(kura):
    kura.client().create_bucket(Bucket="presign-session")
    kura.client().put_object(Bucket="presign-session", Key="doc.txt", Body=b"presigned body")
    creds = session_token(kura, 4)
    url = as_session(kura, creds).generate_presigned_url(
        "get_object", Params={"Bucket": "presign-session", "Key": "doc.txt"}, ExpiresIn=3600)
    assert "X-Amz-Security-Token=" in url
    assert urllib.request.urlopen(url).read() == b"presigned body"
    time.sleep(max(0, creds["Expiration"].timestamp() - time.time()) + 1.1)
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(url)
    assert e.value.code == 400 and b"<Code>ExpiredToken</Code>" in e.value.read()


def test_presigned_url_expiry_before_the_sessions_applies(kura):
    kura.client().create_bucket(Bucket="presign-short")
    kura.client().put_object(Bucket="presign-short", Key="k", Body=b"x")
    creds = session_token(kura, 900)
    url = as_session(kura, creds).generate_presigned_url(
        "get_object", Params={"Bucket": "presign-short", "Key": "k"}, ExpiresIn=1)
    time.sleep(2.1)
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(url)
    assert e.value.code == 403


def token_key_id(token):
    return int.from_bytes(base64.b64decode(token)[1:5], "big")


def rotate_key_args(kura):
    """Where `kura sts rotate-key` finds the ring the server serves: its data dir, or on the shared
    engines the PostgreSQL schema with the secrets key that seals it."""
    if not SHARED_ENGINES:
        return ["--data-dir", kura.data_dir]
    engine_args, _ = shared_engine_args(kura.engine_home)
    flags = dict(zip(engine_args[::2], engine_args[1::2]))
    return ["--metadata", flags["--metadata"], "--secrets-key-file", flags["--secrets-key-file"]]


def test_rotate_key_in_a_running_server(kura):
    before = session_token(kura)
    out = subprocess.run([KURA_BIN, "sts", "rotate-key", *rotate_key_args(kura)],
                         capture_output=True, text=True, check=True).stdout
    if SHARED_ENGINES:
        # Nodes poll the shared ring every 5 s: the new key seals only from 10 s on, so no node
        # meets a token sealed with a key it has not loaded yet.
        assert "seals new tokens from" in out
        during = session_token(kura)
        assert token_key_id(during["SessionToken"]) == token_key_id(before["SessionToken"])
    else:
        assert "active token key is now" in out
        kura.proc.send_signal(signal.SIGHUP)
    deadline = time.time() + 25
    after = session_token(kura)
    while token_key_id(after["SessionToken"]) == token_key_id(before["SessionToken"]) and time.time() < deadline:
        time.sleep(0.2)
        after = session_token(kura)
    assert token_key_id(after["SessionToken"]) == token_key_id(before["SessionToken"]) + 1
    for _ in range(6):  # a new client, a new connection: behind HAProxy, each node in turn
        as_session(kura, before).list_buckets()  # the old key still opens its tokens
        as_session(kura, after).list_buckets()


def test_sts_with_the_aws_cli(kura):
    for version in (1, 2):
        out = kura.aws("sts", "get-session-token", "--duration-seconds", "900", "--output", "json",
                       version=version).stdout
        creds = json.loads(out)["Credentials"]
        me = kura.aws("sts", "get-caller-identity", key=creds["AccessKeyId"],
                      secret=creds["SecretAccessKey"], token=creds["SessionToken"], version=version)
        assert ":root" in me.stdout
