"""Web identity federation end to end: a real OpenID Connect issuer on loopback (discovery, JWKS,
RS256/ES256 ID tokens signed with keys generated here, with `cryptography`), IAM's OIDC provider
API through the aws CLI and boto3, AssumeRoleWithWebIdentity through the aws CLI, boto3 and
boto3's AWS_WEB_IDENTITY_TOKEN_FILE / AWS_ROLE_ARN provider chain, per-user prefixes with
${HOST:sub} policy variables, and every error case: forged, expired, wrong audience, alg none,
trust denied, unreachable provider, rejected claim."""
import base64
import http.server
import json
import os
import ssl
import subprocess
import threading
import time
import uuid

import boto3
import botocore
import botocore.config
import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from conftest import KURA_BIN, REGION, KuraServer, client_env, free_port


def b64url(data):
    if isinstance(data, str):
        data = data.encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def int_bytes(n, length=None):
    length = length or (n.bit_length() + 7) // 8
    return n.to_bytes(length, "big")


class SigningKey:
    """An RSA-2048 or EC P-256 key pair made at test time, its JWK, and JWS signing."""

    def __init__(self, kind, kid):
        self.kind, self.kid = kind, kid
        if kind == "RSA":
            self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        else:
            self.key = ec.generate_private_key(ec.SECP256R1())

    def jwk(self):
        pub = self.key.public_key().public_numbers()
        if self.kind == "RSA":
            return {"kty": "RSA", "kid": self.kid, "use": "sig", "alg": "RS256",
                    "n": b64url(int_bytes(pub.n)), "e": b64url(int_bytes(pub.e))}
        return {"kty": "EC", "kid": self.kid, "use": "sig", "crv": "P-256",
                "x": b64url(int_bytes(pub.x, 32)), "y": b64url(int_bytes(pub.y, 32))}

    def sign(self, signing_input):
        if self.kind == "RSA":
            return self.key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
        r, s = decode_dss_signature(self.key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
        return int_bytes(r, 32) + int_bytes(s, 32)

    @property
    def alg(self):
        return "RS256" if self.kind == "RSA" else "ES256"


def jws(header, claims, signer=None):
    signing_input = (b64url(json.dumps(header)) + "." + b64url(json.dumps(claims))).encode()
    signature = signer.sign(signing_input) if signer else b""
    return signing_input.decode() + "." + b64url(signature)


class Issuer:
    """A small OpenID provider on 127.0.0.1: discovery, JWKS, and ID tokens it signs."""

    def __init__(self, tls_cert=None):
        self.keys = [SigningKey("RSA", "rsa-1"), SigningKey("EC", "ec-1")]
        self.requests = []
        issuer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                issuer.requests.append(self.path)
                if self.path == "/.well-known/openid-configuration":
                    body = {"issuer": issuer.url, "jwks_uri": issuer.url + "/jwks",
                            "id_token_signing_alg_values_supported": ["RS256", "ES256"]}
                elif self.path == "/jwks":
                    body = {"keys": [k.jwk() for k in issuer.keys]}
                else:
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        scheme = "http"
        if tls_cert:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls_cert)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        host = "localhost" if tls_cert else "127.0.0.1"
        self.url = f"{scheme}://{host}:{self.server.server_address[1]}"
        self.host = self.url.split("://", 1)[1]  # the provider key: HOST:PORT
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def token(self, sub, aud="kura-app", key=None, lifetime=600, **extra):
        key = key or self.keys[0]
        now = int(time.time())
        claims = {"iss": self.url, "sub": sub, "aud": aud, "iat": now, "exp": now + lifetime,
                  "amr": ["pwd"]}
        claims.update(extra)
        return jws({"alg": key.alg, "kid": key.kid, "typ": "JWT"}, claims, key)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


@pytest.fixture(scope="module")
def issuer():
    i = Issuer()
    yield i
    i.close()


@pytest.fixture(scope="module")
def kura(tmp_path_factory):
    d = tmp_path_factory.mktemp("kura-oidc")
    server = KuraServer(str(d / "data"), extra_args=["--oidc-fetch-timeout-ms", "2000"]).start()
    server.account = server.client("sts").get_caller_identity()["Account"]
    yield server
    server.stop()


@pytest.fixture(scope="module")
def world(kura, issuer):
    """A registered provider, a shared bucket and a role that confines each user to its prefix."""
    iam = kura.client("iam")
    provider_arn = iam.create_open_id_connect_provider(
        Url=issuer.url, ClientIDList=["kura-app"], ThumbprintList=["a" * 40])["OpenIDConnectProviderArn"]
    bucket = "oidc-shared"
    kura.client().create_bucket(Bucket=bucket)
    trust = {"Effect": "Allow", "Principal": {"Federated": provider_arn},
             "Action": "sts:AssumeRoleWithWebIdentity",
             "Condition": {"StringEquals": {f"{issuer.host}:aud": "kura-app"}}}
    role_arn = iam.create_role(RoleName="web-users", AssumeRolePolicyDocument=doc(trust))["Role"]["Arn"]
    own_prefix = "${" + issuer.host + ":sub}"
    iam.put_role_policy(RoleName="web-users", PolicyName="own-prefix", PolicyDocument=doc(
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
         "Resource": f"arn:aws:s3:::{bucket}/{own_prefix}/*"},
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{bucket}",
         "Condition": {"StringLike": {"s3:prefix": f"{own_prefix}/*"}}}))
    return {"provider_arn": provider_arn, "role_arn": role_arn, "bucket": bucket}


def anonymous_sts(kura):
    return boto3.session.Session().client(
        "sts", endpoint_url=kura.endpoint, region_name=REGION,
        config=botocore.config.Config(signature_version=botocore.UNSIGNED,
                                      retries={"max_attempts": 1, "mode": "standard"}))


def assume(kura, role_arn, token, **kwargs):
    return anonymous_sts(kura).assume_role_with_web_identity(
        RoleArn=role_arn, RoleSessionName=kwargs.pop("session", "web"), WebIdentityToken=token,
        **kwargs)


def s3_as(kura, credentials):
    return kura.client("s3", key=credentials["AccessKeyId"], secret=credentials["SecretAccessKey"],
                       token=credentials["SessionToken"])


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


# --- IAM: the OIDC provider API --------------------------------------------------------------

def test_the_provider_api_manages_providers_with_the_aws_cli(kura, issuer):
    url = f"https://idp-{uuid.uuid4().hex[:6]}.example.com/tenant"
    out = json.loads(kura.aws("iam", "create-open-id-connect-provider", "--url", url,
                              "--client-id-list", "app-1", "--thumbprint-list", "b" * 40).stdout)
    arn = out["OpenIDConnectProviderArn"]
    assert arn == f"arn:aws:iam::{kura.account}:oidc-provider/{url[8:]}"
    kura.aws("iam", "add-client-id-to-open-id-connect-provider", "--open-id-connect-provider-arn", arn,
             "--client-id", "app-2")
    kura.aws("iam", "remove-client-id-from-open-id-connect-provider", "--open-id-connect-provider-arn",
             arn, "--client-id", "app-1")
    kura.aws("iam", "update-open-id-connect-provider-thumbprint", "--open-id-connect-provider-arn", arn,
             "--thumbprint-list", "c" * 40, "d" * 40)
    got = json.loads(kura.aws("iam", "get-open-id-connect-provider", "--open-id-connect-provider-arn",
                              arn).stdout)
    assert got["Url"] == url[8:]
    assert got["ClientIDList"] == ["app-2"]
    assert got["ThumbprintList"] == ["c" * 40, "d" * 40]
    assert "CreateDate" in got
    listed = json.loads(kura.aws("iam", "list-open-id-connect-providers").stdout)
    assert arn in [p["Arn"] for p in listed["OpenIDConnectProviderList"]]
    kura.aws("iam", "delete-open-id-connect-provider", "--open-id-connect-provider-arn", arn)
    gone = kura.aws("iam", "get-open-id-connect-provider", "--open-id-connect-provider-arn", arn, check=False)
    assert gone.returncode != 0 and "NoSuchEntity" in gone.stderr


def test_the_provider_api_validates_like_aws(kura, issuer):
    iam = kura.client("iam")
    with pytest.raises(ClientError) as e:
        iam.create_open_id_connect_provider(Url="http://idp.example.com", ClientIDList=["a"])
    assert error_code(e) == "InvalidInput"
    with pytest.raises(ClientError) as e:
        iam.create_open_id_connect_provider(Url="https://idp.example.com", ThumbprintList=["z" * 40])
    assert error_code(e) == "ValidationError"
    url = f"https://dup-{uuid.uuid4().hex[:6]}.example.com"
    iam.create_open_id_connect_provider(Url=url, ClientIDList=["a"])
    with pytest.raises(ClientError) as e:
        iam.create_open_id_connect_provider(Url=url, ClientIDList=["a"])
    assert error_code(e) == "EntityAlreadyExists"
    with pytest.raises(ClientError) as e:
        iam.delete_open_id_connect_provider(
            OpenIDConnectProviderArn=f"arn:aws:iam::{kura.account}:oidc-provider/nope.example.com")
    assert error_code(e) == "NoSuchEntity"


def test_providers_survive_a_restart(fresh_kura):
    iam = fresh_kura.client("iam")
    arn = iam.create_open_id_connect_provider(Url="https://persist.example.com/x",
                                              ClientIDList=["a"])["OpenIDConnectProviderArn"]
    fresh_kura.stop()
    fresh_kura.start()
    got = fresh_kura.client("iam").get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert got["ClientIDList"] == ["a"]


# --- STS: AssumeRoleWithWebIdentity ----------------------------------------------------------

def test_each_user_gets_credentials_confined_to_their_own_prefix(kura, issuer, world):
    bucket = world["bucket"]
    clients = {}
    for user, key in (("alice", issuer.keys[0]), ("bob", issuer.keys[1])):  # RS256 and ES256
        r = assume(kura, world["role_arn"], issuer.token(user, key=key), session=user)
        assert r["SubjectFromWebIdentityToken"] == user
        assert r["Audience"] == "kura-app"
        assert r["Provider"] == issuer.url
        assert r["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{kura.account}:assumed-role/web-users/{user}"
        assert r["Credentials"]["AccessKeyId"].startswith("ASIA")
        clients[user] = s3_as(kura, r["Credentials"])
    alice, bob = clients["alice"], clients["bob"]
    alice.put_object(Bucket=bucket, Key="alice/notes.txt", Body=b"mine")
    bob.put_object(Bucket=bucket, Key="bob/notes.txt", Body=b"his")
    assert alice.get_object(Bucket=bucket, Key="alice/notes.txt")["Body"].read() == b"mine"
    listed = alice.list_objects_v2(Bucket=bucket, Prefix="alice/")
    assert [o["Key"] for o in listed["Contents"]] == ["alice/notes.txt"]
    for call in (lambda: alice.get_object(Bucket=bucket, Key="bob/notes.txt"),
                 lambda: alice.put_object(Bucket=bucket, Key="bob/evil.txt", Body=b"x"),
                 lambda: alice.list_objects_v2(Bucket=bucket, Prefix="bob/"),
                 lambda: bob.delete_object(Bucket=bucket, Key="alice/notes.txt")):
        with pytest.raises(ClientError) as e:
            call()
        assert error_code(e) == "AccessDenied"


def test_the_aws_cli_trades_a_token_for_credentials(kura, issuer, world):
    out = kura.aws("sts", "assume-role-with-web-identity", "--role-arn", world["role_arn"],
                   "--role-session-name", "cli-user", "--web-identity-token", issuer.token("dave"),
                   "--duration-seconds", "900")
    r = json.loads(out.stdout)
    assert r["SubjectFromWebIdentityToken"] == "dave"
    creds = r["Credentials"]
    who = kura.aws("sts", "get-caller-identity", key=creds["AccessKeyId"],
                   secret=creds["SecretAccessKey"], token=creds["SessionToken"])
    assert json.loads(who.stdout)["Arn"].endswith(":assumed-role/web-users/cli-user")
    kura.aws("s3", "cp", "-", f"s3://{world['bucket']}/dave/from-cli.txt", input="hello",
             key=creds["AccessKeyId"], secret=creds["SecretAccessKey"], token=creds["SessionToken"])


def test_the_boto3_web_identity_provider_chain_works_like_in_a_pod(kura, issuer, world, tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text(issuer.token("pod-user"))
    script = (
        "import boto3, sys\n"
        "s = boto3.session.Session()\n"
        "c = s.get_credentials()\n"
        "assert c.method == 'assume-role-with-web-identity', c.method\n"
        f"s3 = s.client('s3', endpoint_url='{kura.endpoint}')\n"
        f"s3.put_object(Bucket='{world['bucket']}', Key='pod-user/hello.txt', Body=b'hi')\n"
        f"print(s.client('sts', endpoint_url='{kura.endpoint}').get_caller_identity()['Arn'])\n")
    env = client_env({"AWS_WEB_IDENTITY_TOKEN_FILE": str(token_file), "AWS_ROLE_ARN": world["role_arn"],
                      "AWS_ROLE_SESSION_NAME": "pod", "AWS_ENDPOINT_URL_STS": kura.endpoint})
    python = os.environ.get("KURA_PYTHON", "python3")
    result = subprocess.run([python, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(":assumed-role/web-users/pod")
    body = kura.client().get_object(Bucket=world["bucket"], Key="pod-user/hello.txt")["Body"].read()
    assert body == b"hi"


def test_forged_expired_wrong_audience_and_unsigned_tokens_get_no_credentials(kura, issuer, world):
    role = world["role_arn"]
    impostor = SigningKey("RSA", issuer.keys[0].kid)  # same kid, another key
    cases = {
        "forged": (issuer.token("mallory", key=impostor), "InvalidIdentityToken"),
        "expired": (issuer.token("alice", lifetime=-3600), "ExpiredTokenException"),
        "wrong audience": (issuer.token("alice", aud="someone-else"), "InvalidIdentityToken"),
        "alg none": (jws({"alg": "none", "kid": "rsa-1"}, json.loads(base64.urlsafe_b64decode(
            issuer.token("alice").split(".")[1] + "==")), None), "InvalidIdentityToken"),
        "garbage": ("not-a-token", "InvalidIdentityToken"),
        "unknown kid": (issuer.token("alice", key=SigningKey("EC", "nobody")), "InvalidIdentityToken"),
    }
    for name, (token, code) in cases.items():
        with pytest.raises(ClientError) as e:
            assume(kura, role, token)
        assert error_code(e) == code, name
    with pytest.raises(ClientError) as e:
        assume(kura, role, issuer.token("alice", aud="someone-else"))
    assert "Incorrect token audience" in e.value.response["Error"]["Message"]


def test_the_trust_policy_decides_and_its_denial_is_access_denied(kura, issuer, world):
    iam = kura.client("iam")
    trust = {"Effect": "Allow", "Principal": {"Federated": world["provider_arn"]},
             "Action": "sts:AssumeRoleWithWebIdentity",
             "Condition": {"StringEquals": {f"{issuer.host}:sub": "admin"},
                           "ForAnyValue:StringEquals": {f"{issuer.host}:amr": "mfa"}}}
    role = iam.create_role(RoleName="admins-only", AssumeRolePolicyDocument=doc(trust))["Role"]["Arn"]
    with pytest.raises(ClientError) as e:
        assume(kura, role, issuer.token("alice", amr=["mfa"]))
    assert error_code(e) == "AccessDenied"
    with pytest.raises(ClientError) as e:
        assume(kura, role, issuer.token("admin", amr=["pwd"]))
    assert error_code(e) == "AccessDenied"
    assert assume(kura, role, issuer.token("admin", amr=["pwd", "mfa"]))["SubjectFromWebIdentityToken"] == "admin"
    with pytest.raises(ClientError) as e:
        assume(kura, f"arn:aws:iam::{kura.account}:role/no-such-role", issuer.token("alice"))
    assert error_code(e) == "AccessDenied"


def test_session_tags_come_from_the_token_and_need_tag_session(kura, issuer, world):
    iam = kura.client("iam")
    tags_claim = {"principal_tags": {"team": ["blue"]}, "transitive_tag_keys": ["team"]}
    token = issuer.token("tagged", **{"https://aws.amazon.com/tags": tags_claim})
    with pytest.raises(ClientError) as e:
        assume(kura, world["role_arn"], token)
    assert error_code(e) == "AccessDenied"
    trust = {"Effect": "Allow", "Principal": {"Federated": world["provider_arn"]},
             "Action": ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"]}
    role = iam.create_role(RoleName="tagged-users", AssumeRolePolicyDocument=doc(trust))["Role"]["Arn"]
    iam.put_role_policy(RoleName="tagged-users", PolicyName="by-tag", PolicyDocument=doc(
        {"Effect": "Allow", "Action": "s3:PutObject",
         "Resource": f"arn:aws:s3:::{world['bucket']}/teams/${{aws:PrincipalTag/team}}/*"}))
    s3 = s3_as(kura, assume(kura, role, token)["Credentials"])
    s3.put_object(Bucket=world["bucket"], Key="teams/blue/x", Body=b"x")
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=world["bucket"], Key="teams/red/x", Body=b"x")
    assert error_code(e) == "AccessDenied"
    bad = issuer.token("tagged", **{"https://aws.amazon.com/tags": "team=blue"})
    with pytest.raises(ClientError) as e:
        assume(kura, role, bad)
    assert error_code(e) == "IDPRejectedClaim"


def test_an_unreachable_provider_is_idp_communication_error(kura, world):
    port = free_port()  # nothing listens there
    url = f"http://127.0.0.1:{port}"
    iam = kura.client("iam")
    arn = iam.create_open_id_connect_provider(Url=url, ClientIDList=["kura-app"])["OpenIDConnectProviderArn"]
    key = SigningKey("RSA", "k")
    now = int(time.time())
    token = jws({"alg": "RS256", "kid": "k"}, {"iss": url, "sub": "x", "aud": "kura-app", "iat": now,
                                               "exp": now + 600}, key)
    with pytest.raises(ClientError) as e:
        assume(kura, world["role_arn"], token)
    assert error_code(e) == "IDPCommunicationError"
    iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=arn)


def test_a_token_from_an_unregistered_issuer_is_invalid(kura, world):
    other = Issuer()
    try:
        with pytest.raises(ClientError) as e:
            assume(kura, world["role_arn"], other.token("alice"))
        assert error_code(e) == "InvalidIdentityToken"
        assert other.requests == []  # kura never contacts an issuer nobody registered
    finally:
        other.close()


def test_keys_are_cached_and_refetched_when_the_provider_rotates(kura, issuer, world):
    assume(kura, world["role_arn"], issuer.token("alice"))
    fetched = len(issuer.requests)
    for _ in range(3):
        assume(kura, world["role_arn"], issuer.token("alice"))
    assert len(issuer.requests) == fetched  # served from the cache
    time.sleep(10.5)  # the refresh on an unknown kid is rate-limited to one per 10 s
    rotated = SigningKey("RSA", "rsa-2")
    issuer.keys.append(rotated)
    r = assume(kura, world["role_arn"], issuer.token("alice", key=rotated))
    assert r["SubjectFromWebIdentityToken"] == "alice"
    assert len(issuer.requests) == fetched + 2  # discovery + JWKS, once


def test_an_https_provider_is_verified_with_the_configured_ca(tmp_path_factory, tls_cert):
    issuer = Issuer(tls_cert=tls_cert)
    d = tmp_path_factory.mktemp("kura-oidc-tls")
    server = KuraServer(str(d / "data"), extra_args=["--oidc-ca-file", tls_cert[0]]).start()
    try:
        iam = server.client("iam")
        arn = iam.create_open_id_connect_provider(Url=issuer.url, ClientIDList=["kura-app"])[
            "OpenIDConnectProviderArn"]
        trust = {"Effect": "Allow", "Principal": {"Federated": arn},
                 "Action": "sts:AssumeRoleWithWebIdentity"}
        role = iam.create_role(RoleName="tls", AssumeRolePolicyDocument=doc(trust))["Role"]["Arn"]
        r = assume(server, role, issuer.token("tls-user", key=issuer.keys[1]))
        assert r["Provider"] == issuer.url
    finally:
        server.stop()
        issuer.close()


def test_an_untrusted_https_certificate_is_idp_communication_error(kura, world, tls_cert):
    issuer = Issuer(tls_cert=tls_cert)  # kura's CA store does not know this self-signed cert
    try:
        iam = kura.client("iam")
        arn = iam.create_open_id_connect_provider(Url=issuer.url, ClientIDList=["kura-app"])[
            "OpenIDConnectProviderArn"]
        with pytest.raises(ClientError) as e:
            assume(kura, world["role_arn"], issuer.token("x"))
        assert error_code(e) == "IDPCommunicationError"
        iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    finally:
        issuer.close()


def test_an_air_gapped_install_uses_a_jwks_file(tmp_path_factory):
    issuer = Issuer()
    issuer.close()  # the provider is never reachable: only its keys, as a file
    d = tmp_path_factory.mktemp("kura-airgap")
    jwks_file = d / "jwks.json"
    jwks_file.write_text(json.dumps({"keys": [k.jwk() for k in issuer.keys]}))
    server = KuraServer(str(d / "data"), extra_args=["--oidc-jwks-file", f"{issuer.url}={jwks_file}"]).start()
    try:
        iam = server.client("iam")
        arn = iam.create_open_id_connect_provider(Url=issuer.url, ClientIDList=["kura-app"])[
            "OpenIDConnectProviderArn"]
        trust = {"Effect": "Allow", "Principal": {"Federated": arn},
                 "Action": "sts:AssumeRoleWithWebIdentity"}
        role = iam.create_role(RoleName="airgap", AssumeRolePolicyDocument=doc(trust))["Role"]["Arn"]
        assert assume(server, role, issuer.token("offline"))["SubjectFromWebIdentityToken"] == "offline"
    finally:
        server.stop()


def test_a_bad_jwks_file_fails_at_start(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    result = subprocess.run([KURA_BIN, "serve", "--data-dir", str(tmp_path / "data"), "--listen",
                             "127.0.0.1:0", "--oidc-jwks-file", f"https://x.example={bad}"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert "JWKS" in result.stderr
