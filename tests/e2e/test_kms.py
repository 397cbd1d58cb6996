"""The built-in KMS through its AWS KMS JSON API, over HTTPS, with boto3 and the aws CLI: key
life cycle (create, describe, list, aliases, enable/disable, scheduled deletion and its
cancellation, rotation), the cryptographic operations (Encrypt/Decrypt/ReEncrypt,
GenerateDataKey with and without plaintext) with the encryption context bound, authorization by
IAM policies (a user without kms:Decrypt, a role session allowed by its policy) and by the key
policy, KMS's JSON errors, and `kura kms rotate-master-key`."""
import base64
import http.client
import json
import os
import signal
import ssl
import subprocess
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from conftest import KURA_BIN, SHARED_ENGINES, KuraServer

# On the shared engines the master key comes from KURA_MASTER_KEY (docs/scale-out.md): there is
# no master key file for `kura kms rotate-master-key` to rotate.
needs_master_key_file = pytest.mark.skipif(SHARED_ENGINES, reason="the master key file of a data dir")


@pytest.fixture(scope="module")
def kura(tmp_path_factory, tls_cert):
    d = tmp_path_factory.mktemp("kura-kms")
    server = KuraServer(str(d / "data"), tls=tls_cert).start()
    server.account = server.client("sts").get_caller_identity()["Account"]
    yield server
    server.stop()


def kms(kura, **kw):
    return kura.client("kms", tls=True, **kw)


def error(call):
    with pytest.raises(ClientError) as e:
        call()
    err = e.value.response["Error"]
    return err["Code"], err.get("Message", ""), e.value.response["ResponseMetadata"]["HTTPStatusCode"]


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def new_user(kura, *statements):
    iam = kura.client("iam")
    name = f"kms-user-{uuid.uuid4().hex[:8]}"
    iam.create_user(UserName=name)
    if statements:
        iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=doc(*statements))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return name, kms(kura, key=key["AccessKeyId"], secret=key["SecretAccessKey"])


def test_create_describe_list_and_aliases(kura):
    client = kms(kura)
    meta = client.create_key(Description="e2e key")["KeyMetadata"]
    key_id = meta["KeyId"]
    assert meta["Arn"] == f"arn:aws:kms:us-east-1:{kura.account}:key/{key_id}"
    assert (meta["KeyState"], meta["Enabled"], meta["KeyUsage"], meta["KeySpec"], meta["KeyManager"]) == (
        "Enabled", True, "ENCRYPT_DECRYPT", "SYMMETRIC_DEFAULT", "CUSTOMER")
    assert client.describe_key(KeyId=meta["Arn"])["KeyMetadata"]["Description"] == "e2e key"
    assert key_id in [k["KeyId"] for k in client.list_keys()["Keys"]]

    alias = f"alias/e2e-{uuid.uuid4().hex[:6]}"
    client.create_alias(AliasName=alias, TargetKeyId=key_id)
    assert client.describe_key(KeyId=alias)["KeyMetadata"]["KeyId"] == key_id
    listed = client.list_aliases(KeyId=key_id)["Aliases"]
    assert [(a["AliasName"], a["TargetKeyId"]) for a in listed] == [(alias, key_id)]
    assert error(lambda: client.create_alias(AliasName=alias, TargetKeyId=key_id))[0] == "AlreadyExistsException"
    assert error(lambda: client.create_alias(AliasName="alias/aws/mine", TargetKeyId=key_id))[0] == (
        "InvalidAliasNameException")
    client.delete_alias(AliasName=alias)
    code, message, status = error(lambda: client.describe_key(KeyId=alias))
    assert (code, status) == ("NotFoundException", 400)
    assert error(lambda: client.describe_key(KeyId=str(uuid.uuid4())))[0] == "NotFoundException"
    assert error(lambda: client.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY"))[0] == (
        "UnsupportedOperationException")


def test_list_keys_pages_with_marker(kura):
    client = kms(kura)
    for _ in range(3):
        client.create_key()
    first = client.list_keys(Limit=2)
    assert len(first["Keys"]) == 2 and first["Truncated"]
    rest = client.list_keys(Marker=first["NextMarker"])
    assert not {k["KeyId"] for k in first["Keys"]} & {k["KeyId"] for k in rest["Keys"]}
    assert error(lambda: client.list_keys(Marker="nope"))[0] == "InvalidMarkerException"


def test_encrypt_decrypt_reencrypt_with_context(kura):
    client = kms(kura)
    a = client.create_key()["KeyMetadata"]
    b = client.create_key()["KeyMetadata"]
    blob = client.encrypt(KeyId=a["KeyId"], Plaintext=b"attack at dawn",
                          EncryptionContext={"purpose": "e2e"})["CiphertextBlob"]
    assert b"attack at dawn" not in blob
    out = client.decrypt(CiphertextBlob=blob, EncryptionContext={"purpose": "e2e"})
    assert (out["Plaintext"], out["KeyId"], out["EncryptionAlgorithm"]) == (
        b"attack at dawn", a["Arn"], "SYMMETRIC_DEFAULT")
    for context in ({}, {"purpose": "other"}, {"purpose": "e2e", "extra": "x"}):
        assert error(lambda: client.decrypt(CiphertextBlob=blob, EncryptionContext=context))[0] == (
            "InvalidCiphertextException")
    assert error(lambda: client.decrypt(CiphertextBlob=blob, KeyId=b["KeyId"],
                                        EncryptionContext={"purpose": "e2e"}))[0] == "IncorrectKeyException"
    flipped = bytearray(blob)
    flipped[-1] ^= 1
    assert error(lambda: client.decrypt(CiphertextBlob=bytes(flipped), EncryptionContext={"purpose": "e2e"}))[0] == (
        "InvalidCiphertextException")

    moved = client.re_encrypt(CiphertextBlob=blob, SourceEncryptionContext={"purpose": "e2e"},
                              DestinationKeyId=b["Arn"], DestinationEncryptionContext={"to": "b"})
    assert (moved["SourceKeyId"], moved["KeyId"]) == (a["Arn"], b["Arn"])
    assert client.decrypt(CiphertextBlob=moved["CiphertextBlob"],
                          EncryptionContext={"to": "b"})["Plaintext"] == b"attack at dawn"


def test_generate_data_key_with_and_without_plaintext(kura):
    client = kms(kura)
    key_id = client.create_key()["KeyMetadata"]["KeyId"]
    data_key = client.generate_data_key(KeyId=key_id, KeySpec="AES_256", EncryptionContext={"k": "v"})
    assert len(data_key["Plaintext"]) == 32
    opened = client.decrypt(CiphertextBlob=data_key["CiphertextBlob"], EncryptionContext={"k": "v"})
    assert opened["Plaintext"] == data_key["Plaintext"]
    bare = client.generate_data_key_without_plaintext(KeyId=key_id, NumberOfBytes=16)
    assert "Plaintext" not in bare
    assert len(client.decrypt(CiphertextBlob=bare["CiphertextBlob"])["Plaintext"]) == 16
    assert error(lambda: client.generate_data_key(KeyId=key_id))[0] == "ValidationException"


def test_disable_enable_and_scheduled_deletion(kura):
    client = kms(kura)
    key_id = client.create_key()["KeyMetadata"]["KeyId"]
    blob = client.encrypt(KeyId=key_id, Plaintext=b"x")["CiphertextBlob"]
    client.disable_key(KeyId=key_id)
    assert client.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Disabled"
    assert error(lambda: client.decrypt(CiphertextBlob=blob))[0] == "DisabledException"
    assert error(lambda: client.encrypt(KeyId=key_id, Plaintext=b"x"))[0] == "DisabledException"
    client.enable_key(KeyId=key_id)
    assert client.decrypt(CiphertextBlob=blob)["Plaintext"] == b"x"

    assert error(lambda: client.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=6))[0] == (
        "ValidationException")
    scheduled = client.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    assert (scheduled["KeyState"], scheduled["PendingWindowInDays"]) == ("PendingDeletion", 7)
    meta = client.describe_key(KeyId=key_id)["KeyMetadata"]
    assert meta["KeyState"] == "PendingDeletion" and "DeletionDate" in meta
    assert error(lambda: client.decrypt(CiphertextBlob=blob))[0] == "KMSInvalidStateException"
    assert error(lambda: client.enable_key(KeyId=key_id))[0] == "KMSInvalidStateException"
    client.cancel_key_deletion(KeyId=key_id)
    assert client.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Disabled"
    client.enable_key(KeyId=key_id)
    assert client.decrypt(CiphertextBlob=blob)["Plaintext"] == b"x"
    assert error(lambda: client.cancel_key_deletion(KeyId=key_id))[0] == "KMSInvalidStateException"


def test_rotation_keeps_old_material_for_decrypting(kura):
    client = kms(kura)
    key_id = client.create_key()["KeyMetadata"]["KeyId"]
    assert client.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"] is False
    client.enable_key_rotation(KeyId=key_id)
    status = client.get_key_rotation_status(KeyId=key_id)
    assert status["KeyRotationEnabled"] is True and status.get("RotationPeriodInDays", 365) == 365
    before = client.encrypt(KeyId=key_id, Plaintext=b"old")["CiphertextBlob"]
    rotate = getattr(client, "rotate_key_on_demand", None)
    if rotate is None:  # botocore too old for RotateKeyOnDemand: send it raw
        raw_json(kura, "RotateKeyOnDemand", {"KeyId": key_id})
    else:
        rotate(KeyId=key_id)
    after = client.encrypt(KeyId=key_id, Plaintext=b"new")["CiphertextBlob"]
    assert before != after
    assert client.decrypt(CiphertextBlob=before)["Plaintext"] == b"old"
    assert client.decrypt(CiphertextBlob=after)["Plaintext"] == b"new"
    client.disable_key_rotation(KeyId=key_id)
    assert client.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"] is False


def test_key_policy_get_put(kura):
    client = kms(kura)
    key_id = client.create_key()["KeyMetadata"]["KeyId"]
    policy = json.loads(client.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"])
    statement = policy["Statement"][0]
    assert statement["Sid"] == "Enable IAM User Permissions"
    assert statement["Principal"] == {"AWS": f"arn:aws:iam::{kura.account}:root"}
    assert error(lambda: client.put_key_policy(KeyId=key_id, PolicyName="default", Policy="{"))[0] == (
        "MalformedPolicyDocumentException")


def test_user_without_decrypt_is_denied_and_key_policy_can_deny(kura):
    client = kms(kura)
    key = client.create_key()["KeyMetadata"]
    blob = client.encrypt(KeyId=key["KeyId"], Plaintext=b"secret")["CiphertextBlob"]
    name, user = new_user(kura, {"Effect": "Allow", "Action": ["kms:Encrypt", "kms:DescribeKey"],
                                 "Resource": key["Arn"]})
    assert user.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyId"] == key["KeyId"]
    user.encrypt(KeyId=key["KeyId"], Plaintext=b"fine")
    code, message, status = error(lambda: user.decrypt(CiphertextBlob=blob))
    assert (code, status) == ("AccessDeniedException", 400)
    assert f"user/{name}" in message and "kms:Decrypt" in message

    # A key policy without the account delegation grants nothing to the account's IAM users.
    client.put_key_policy(KeyId=key["KeyId"], PolicyName="default", Policy=doc(
        {"Sid": "only root", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{kura.account}:user/nobody"},
         "Action": "kms:*", "Resource": "*"}))
    assert error(lambda: user.encrypt(KeyId=key["KeyId"], Plaintext=b"x"))[0] == "AccessDeniedException"
    assert client.decrypt(CiphertextBlob=blob)["Plaintext"] == b"secret"  # root may do everything


def test_role_session_allowed_by_its_policy(kura):
    iam = kura.client("iam")
    client = kms(kura)
    key = client.create_key()["KeyMetadata"]
    name, _ = new_user(kura, {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"})
    user_key = iam.create_access_key(UserName=name)["AccessKey"]
    role = f"kms-role-{uuid.uuid4().hex[:6]}"
    role_arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=doc(
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{kura.account}:user/{name}"},
         "Action": "sts:AssumeRole"}))["Role"]["Arn"]
    iam.put_role_policy(RoleName=role, PolicyName="kms", PolicyDocument=doc(
        {"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": key["Arn"]}))
    sts = kura.client("sts", key=user_key["AccessKeyId"], secret=user_key["SecretAccessKey"])
    creds = sts.assume_role(RoleArn=role_arn, RoleSessionName="kms-session")["Credentials"]
    session = kms(kura, key=creds["AccessKeyId"], secret=creds["SecretAccessKey"], token=creds["SessionToken"])
    blob = session.encrypt(KeyId=key["Arn"], Plaintext=b"via role")["CiphertextBlob"]
    assert session.decrypt(CiphertextBlob=blob)["Plaintext"] == b"via role"
    assert error(lambda: session.disable_key(KeyId=key["Arn"]))[0] == "AccessDeniedException"


def test_aws_cli_round_trip(kura, tmp_path):
    key_id = json.loads(kura.aws("kms", "create-key", "--description", "cli", tls=True).stdout)["KeyMetadata"]["KeyId"]
    alias = f"alias/cli-{uuid.uuid4().hex[:6]}"
    kura.aws("kms", "create-alias", "--alias-name", alias, "--target-key-id", key_id, tls=True)
    (tmp_path / "plain.txt").write_bytes(b"cli plaintext")
    out = json.loads(kura.aws("kms", "encrypt", "--key-id", alias, "--plaintext", "fileb://" + str(tmp_path / "plain.txt"),
                              "--encryption-context", "app=cli", tls=True).stdout)
    (tmp_path / "blob").write_bytes(base64.b64decode(out["CiphertextBlob"]))
    back = json.loads(kura.aws("kms", "decrypt", "--ciphertext-blob", "fileb://" + str(tmp_path / "blob"),
                               "--encryption-context", "app=cli", tls=True).stdout)
    assert base64.b64decode(back["Plaintext"]) == b"cli plaintext"
    failed = kura.aws("kms", "decrypt", "--ciphertext-blob", "fileb://" + str(tmp_path / "blob"), tls=True, check=False)
    assert failed.returncode != 0 and "InvalidCiphertextException" in failed.stderr
    listed = json.loads(kura.aws("kms", "list-aliases", tls=True).stdout)["Aliases"]
    assert alias in [a["AliasName"] for a in listed]
    kura.aws("kms", "disable-key", "--key-id", key_id, tls=True)
    state = json.loads(kura.aws("kms", "describe-key", "--key-id", key_id, tls=True).stdout)
    assert state["KeyMetadata"]["KeyState"] == "Disabled"


def raw_json(kura, operation, body, headers=None, sign=True, service="kms"):
    """A raw KMS request over HTTPS; signed with the root credentials unless sign=False."""
    import botocore.auth
    import botocore.awsrequest
    import botocore.credentials
    payload = json.dumps(body).encode()
    request_headers = {"X-Amz-Target": f"TrentService.{operation}",
                       "Content-Type": "application/x-amz-json-1.1", **(headers or {})}
    request = botocore.awsrequest.AWSRequest(method="POST", url=kura.tls_endpoint + "/", data=payload,
                                             headers=request_headers)
    if sign:
        from conftest import ROOT_KEY, ROOT_SECRET
        botocore.auth.SigV4Auth(botocore.credentials.Credentials(ROOT_KEY, ROOT_SECRET), service,
                                "us-east-1").add_auth(request)
    connection = http.client.HTTPSConnection("localhost", kura.tls_port,
                                             context=ssl.create_default_context(cafile=kura.tls[0]))
    connection.request("POST", "/", body=payload, headers=dict(request.headers.items()))
    response = connection.getresponse()
    return response.status, response.getheader("Content-Type"), json.loads(response.read() or b"{}")


def test_errors_render_as_kms_json(kura):
    status, content_type, body = raw_json(kura, "NoSuchOperation", {})
    assert (status, content_type, body["__type"]) == (400, "application/x-amz-json-1.1", "UnknownOperationException")
    status, _, body = raw_json(kura, "ListKeys", {}, sign=False)
    assert (status, body["__type"]) == (400, "MissingAuthenticationTokenException")
    status, _, body = raw_json(kura, "ListKeys", {}, service="s3")
    assert (status, body["__type"]) == (400, "InvalidSignatureException")
    status, _, body = raw_json(kura, "DescribeKey", {"KeyId": 7})
    assert (status, body["__type"]) == (400, "SerializationException")
    bad = kms(kura, secret="x" * 40)
    assert error(lambda: bad.list_keys())[0] == "InvalidSignatureException"
    stranger = kms(kura, key="AKIAUNKNOWNUNKNOWN00")
    assert error(lambda: stranger.list_keys())[:3:2] == ("UnrecognizedClientException", 403)


@needs_master_key_file
def test_rotate_master_key_cli(tmp_path, tls_cert):
    server = KuraServer(str(tmp_path / "data"), tls=tls_cert).start()
    try:
        client = kms(server)
        key_id = client.create_key()["KeyMetadata"]["KeyId"]
        blob = client.encrypt(KeyId=key_id, Plaintext=b"before rotation")["CiphertextBlob"]
    finally:
        server.stop()
    keys = tmp_path / "data" / "kms" / "master.keys"
    assert oct(os.stat(keys).st_mode & 0o777) == "0o600"
    out = subprocess.run([KURA_BIN, "kms", "rotate-master-key", "--data-dir", str(tmp_path / "data")],
                         capture_output=True, text=True, check=True, env={"PATH": os.environ["PATH"]})
    assert "active master key is now 2" in out.stdout
    assert len(keys.read_text().splitlines()) == 3  # header, new key, old key
    refused = subprocess.run([KURA_BIN, "kms", "rotate-master-key", "--data-dir", str(tmp_path / "data")],
                             capture_output=True, text=True, env={"PATH": os.environ["PATH"], "KURA_MASTER_KEY": "00" * 32})
    assert refused.returncode != 0 and "KURA_MASTER_KEY" in refused.stderr and "00" * 32 not in refused.stderr
    server.start()
    try:
        client = kms(server)
        assert client.decrypt(CiphertextBlob=blob)["Plaintext"] == b"before rotation"
        client.create_key()  # new material sealed under master key 2
    finally:
        server.stop()


def _master_key_ids_of_blobs(data_dir):
    """The master key id each SSE-S3 blob file's sealed data key names (encrypted blob header:
    magic, version, log2 segment, reserved, u16 L, then the sealed key 'k' 1 <u32 id> …)."""
    ids = set()
    for dirpath, _, files in os.walk(os.path.join(data_dir, "blobs")):
        for name in files:
            with open(os.path.join(dirpath, name), "rb") as f:
                head = f.read(16)
            if head[:4] == b"kEB\x00" and head[10:12] == b"k\x01":
                ids.add(int.from_bytes(head[12:16], "big"))
    return ids


@needs_master_key_file
def test_running_server_seals_with_a_rotated_master_key(tmp_path, tls_cert):
    server = KuraServer(str(tmp_path / "data"), tls=tls_cert).start()
    try:
        s3 = server.client(tls=True)
        s3.create_bucket(Bucket="rotation")
        big = b"r" * (200 * 1024)  # a blob file, not an inline body
        s3.put_object(Bucket="rotation", Key="before", Body=big, ServerSideEncryption="AES256")
        assert _master_key_ids_of_blobs(server.data_dir) == {1}
        subprocess.run([KURA_BIN, "kms", "rotate-master-key", "--data-dir", server.data_dir],
                       capture_output=True, text=True, check=True, env={"PATH": os.environ["PATH"]})
        server.proc.send_signal(signal.SIGHUP)
        deadline = time.time() + 10
        while True:
            s3.put_object(Bucket="rotation", Key="after", Body=big, ServerSideEncryption="AES256")
            if _master_key_ids_of_blobs(server.data_dir) == {1, 2} or time.time() > deadline:
                break
            time.sleep(0.2)
        assert _master_key_ids_of_blobs(server.data_dir) >= {1, 2}
        for key in ("before", "after"):
            assert s3.get_object(Bucket="rotation", Key=key)["Body"].read() == big
    finally:
        server.stop()
