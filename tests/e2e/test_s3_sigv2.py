"""AWS Signature Version 2 for S3 with the clients that send it: the aws CLI v1's `s3 presign`,
boto3's default presigned URLs and POST forms, boto3 with signature_version='s3' (header auth),
s3cmd with signature_v2 = True; a role session's token; `--sigv2 off`; v2 refused by STS."""
import base64
import email.utils
import hashlib
import hmac
import http.client
import json
import subprocess
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

import pytest
import requests

import conftest


def fetch(url):
    """(status, body) of a plain GET, without any signing."""
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def error_of(body):
    doc = ET.fromstring(body)
    return doc.findtext("Code") or doc.findtext(".//{*}Code"), doc.findtext("Message") or doc.findtext(".//{*}Message")


def default_client(kura, **kw):
    """boto3 as an application builds it: no signature_version, so presigning uses v2."""
    return kura.client(**kw)


def test_aws_cli_v1_presign_url_reads_the_object_until_it_expires(kura, bucket):
    kura.client().put_object(Bucket=bucket, Key="cli/a.txt", Body=b"presigned by the CLI")
    url = kura.aws("s3", "presign", f"s3://{bucket}/cli/a.txt").stdout.strip()
    assert "AWSAccessKeyId=" in url and "Signature=" in url and "Expires=" in url
    status, body = fetch(url)
    assert status == 200, body
    assert body == b"presigned by the CLI"

    short = kura.aws("s3", "presign", f"s3://{bucket}/cli/a.txt", "--expires-in", "1").stdout.strip()
    time.sleep(2.1)
    status, body = fetch(short)
    assert status == 403, body
    assert error_of(body) == ("AccessDenied", "Request has expired")
    doc = ET.fromstring(body)
    assert doc.findtext("Expires") and doc.findtext("ServerTime")


def test_boto3_default_presigned_get_and_put(kura, bucket):
    s3 = default_client(kura)
    put_url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "boto/p.bin"})
    assert "AWSAccessKeyId=" in put_url
    # (requests, not urllib: urllib adds a Content-Type the link did not sign, as AWS would refuse)
    r = requests.put(put_url, data=b"uploaded through a v2 link")
    assert r.status_code == 200, r.text
    get_url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "boto/p.bin"})
    assert fetch(get_url) == (200, b"uploaded through a v2 link")

    # A link for one key does not open another; a tampered signature is refused.
    other = get_url.replace("boto/p.bin", "boto/q.bin")
    status, body = fetch(other)
    assert status == 403 and error_of(body)[0] == "SignatureDoesNotMatch"
    doc = ET.fromstring(body)
    assert doc.findtext("StringToSign").endswith(f"/{bucket}/boto/q.bin")
    assert doc.findtext("AWSAccessKeyId") == conftest.ROOT_KEY

    # Response overrides are sub-resources v2 signs.
    override = s3.generate_presigned_url("get_object", Params={
        "Bucket": bucket, "Key": "boto/p.bin", "ResponseContentType": "text/x-kura"})
    with urllib.request.urlopen(override, timeout=30) as r:
        assert r.headers["Content-Type"] == "text/x-kura"


def test_a_v2_link_cannot_be_turned_into_an_operation_v2_does_not_sign(kura, bucket):
    """v2 signs only the clients' old sub-resource list: a parameter outside it that selects an
    operation (?retention, ?legal-hold, ?publicAccessBlock, ...) would turn an upload link into
    another operation of its signer's. Such requests need SigV4."""
    s3 = default_client(kura)
    s3.put_object(Bucket=bucket, Key="boto/locked", Body=b"original")
    put_url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "boto/locked"})
    body = (b'<Retention xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Mode>GOVERNANCE</Mode>'
            b'<RetainUntilDate>2099-01-01T00:00:00Z</RetainUntilDate></Retention>')
    for extra in ("&retention", "&legal-hold", "&attributes"):
        r = requests.put(put_url + extra, data=body)
        assert r.status_code == 400, (extra, r.text)
        assert error_of(r.content) == ("InvalidRequest", "The authorization mechanism you have "
                                       "provided is not supported. Please use AWS4-HMAC-SHA256.")
    assert s3.get_object(Bucket=bucket, Key="boto/locked")["Body"].read() == b"original"
    list_url = s3.generate_presigned_url("list_objects", Params={"Bucket": bucket})
    assert fetch(list_url)[0] == 200
    status, answer = fetch(list_url + "&publicAccessBlock")
    assert status == 400 and error_of(answer)[0] == "InvalidRequest", answer


def test_boto3_default_presigned_post_uploads_and_a_tampered_policy_is_refused(kura, bucket):
    s3 = default_client(kura)
    form = s3.generate_presigned_post(bucket, "form/${filename}", ExpiresIn=600)
    assert "AWSAccessKeyId" in form["fields"] and "signature" in form["fields"]
    r = requests.post(form["url"], data=form["fields"], files={"file": ("f.txt", b"v2 form")},
                      allow_redirects=False)
    assert r.status_code == 204, r.text
    assert kura.client().get_object(Bucket=bucket, Key="form/f.txt")["Body"].read() == b"v2 form"

    policy = json.loads(base64.b64decode(form["fields"]["policy"]))
    policy["conditions"] = [c for c in policy["conditions"] if "key" not in c] + [["starts-with", "$key", ""]]
    tampered = dict(form["fields"], policy=base64.b64encode(json.dumps(policy).encode()).decode(),
                    key="elsewhere.txt")
    r = requests.post(form["url"], data=tampered, files={"file": ("f.txt", b"x")}, allow_redirects=False)
    assert r.status_code == 403, r.text
    assert "<Code>SignatureDoesNotMatch</Code>" in r.text


def test_boto3_header_auth_put_get_list_delete(kura, bucket):
    s3 = kura.client(signature_version="s3")
    s3.put_object(Bucket=bucket, Key="hdr/a b+c.txt", Body=b"header v2", ContentType="text/plain",
                  Metadata={"owner": "kura"}, ContentMD5=base64.b64encode(hashlib.md5(b"header v2").digest()).decode())
    got = s3.get_object(Bucket=bucket, Key="hdr/a b+c.txt")
    assert got["Body"].read() == b"header v2" and got["Metadata"] == {"owner": "kura"}
    keys = [o["Key"] for o in s3.list_objects(Bucket=bucket, Prefix="hdr/")["Contents"]]
    assert keys == ["hdr/a b+c.txt"]
    s3.put_object_tagging(Bucket=bucket, Key="hdr/a b+c.txt", Tagging={"TagSet": [{"Key": "k", "Value": "v"}]})
    assert s3.get_object_tagging(Bucket=bucket, Key="hdr/a b+c.txt")["TagSet"] == [{"Key": "k", "Value": "v"}]
    s3.delete_object(Bucket=bucket, Key="hdr/a b+c.txt")
    assert "Contents" not in s3.list_objects(Bucket=bucket, Prefix="hdr/")

    # A wrong Content-MD5 is still caught although v2 signs no payload hash.
    with pytest.raises(s3.exceptions.ClientError) as e:
        s3.put_object(Bucket=bucket, Key="hdr/bad", Body=b"abc",
                      ContentMD5=base64.b64encode(hashlib.md5(b"xyz").digest()).decode())
    assert e.value.response["Error"]["Code"] == "BadDigest"
    bad = kura.client(signature_version="s3", secret="x" * 40)
    with pytest.raises(bad.exceptions.ClientError) as e:
        bad.list_objects(Bucket=bucket)
    assert e.value.response["Error"]["Code"] == "SignatureDoesNotMatch"


def role_session(kura, bucket, name):
    """Temporary credentials of a role allowed s3:* on `bucket`."""
    iam, sts = kura.client("iam"), kura.client("sts")
    account = sts.get_caller_identity()["Account"]
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                     "Principal": {"AWS": f"arn:aws:iam::{account}:root"}}]}
    role = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    iam.put_role_policy(RoleName=name, PolicyName="s3", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*",
                                                 "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]}]}))
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="assume", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role}]}))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    user_sts = kura.client("sts", key=key["AccessKeyId"], secret=key["SecretAccessKey"])
    return user_sts.assume_role(RoleArn=role, RoleSessionName="v2")["Credentials"]


def test_session_token_with_v2_presign_and_header_auth(kura, bucket):
    c = role_session(kura, bucket, "sigv2-session")
    kura.client().put_object(Bucket=bucket, Key="sess.txt", Body=b"for the session")
    s3 = default_client(kura, key=c["AccessKeyId"], secret=c["SecretAccessKey"], token=c["SessionToken"])
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "sess.txt"})
    assert "x-amz-security-token=" in url
    status, body = fetch(url)
    assert (status, body) == (200, b"for the session"), body.decode()
    # Without its token the key is not a credential.
    base, _, query = url.partition("?")
    kept = [p for p in query.split("&") if not p.startswith("x-amz-security-token=")]
    status, body = fetch(base + "?" + "&".join(kept))
    assert status == 403 and error_of(body)[0] == "InvalidAccessKeyId", body
    # A v2 POST form signed by the session: its token rides in x-amz-security-token.
    form = s3.generate_presigned_post(bucket, "sess-form.txt", ExpiresIn=600)
    assert form["fields"]["x-amz-security-token"] == c["SessionToken"]
    r = requests.post(form["url"], data=form["fields"], files={"file": ("f", b"session form")})
    assert r.status_code == 204, r.text
    assert kura.client().get_object(Bucket=bucket, Key="sess-form.txt")["Body"].read() == b"session form"
    header = kura.client(key=c["AccessKeyId"], secret=c["SecretAccessKey"], token=c["SessionToken"],
                         signature_version="s3")
    assert header.get_object(Bucket=bucket, Key="sess.txt")["Body"].read() == b"for the session"
    # The session's policy still applies: another bucket is out of reach.
    kura.client().create_bucket(Bucket="sigv2-other")
    with pytest.raises(header.exceptions.ClientError) as e:
        header.list_objects(Bucket="sigv2-other")
    assert e.value.response["Error"]["Code"] == "AccessDenied"


def s3cmd_config(kura, tmp_path):
    host = kura.endpoint.split("//")[1]
    cfg = tmp_path / "s3cfg"
    cfg.write_text(f"""[default]
access_key = {conftest.ROOT_KEY}
secret_key = {conftest.ROOT_SECRET}
host_base = {host}
host_bucket = {host}
use_https = False
signature_v2 = True
bucket_location = us-east-1
""")
    return cfg


def run_s3cmd(cfg, *args, check=True):
    env = {k: v for k, v in conftest.client_env().items() if not k.startswith("AWS_")}
    r = subprocess.run(["s3cmd", "-c", str(cfg), "--debug", *args], capture_output=True, text=True,
                       env=env, timeout=300)
    if check:
        assert r.returncode == 0, r.stdout + r.stderr[-3000:]
    return r


def test_s3cmd_with_signature_v2(kura, tmp_path):
    cfg = s3cmd_config(kura, tmp_path)
    src = tmp_path / "up.txt"
    src.write_bytes(b"s3cmd v2 upload\n")
    r = run_s3cmd(cfg, "mb", "s3://sigv2-s3cmd")
    assert "AWS4-HMAC-SHA256" not in r.stderr  # v2 did the work, not a fallback to v4
    run_s3cmd(cfg, "put", str(src), "s3://sigv2-s3cmd/dir/up.txt")
    run_s3cmd(cfg, "get", "s3://sigv2-s3cmd/dir/up.txt", str(tmp_path / "down.txt"))
    assert (tmp_path / "down.txt").read_bytes() == b"s3cmd v2 upload\n"
    assert "s3://sigv2-s3cmd/dir/up.txt" in run_s3cmd(cfg, "ls", "s3://sigv2-s3cmd/dir/").stdout
    r = run_s3cmd(cfg, "del", "s3://sigv2-s3cmd/dir/up.txt")
    assert "AWS4-HMAC-SHA256" not in r.stderr
    assert run_s3cmd(cfg, "ls", "s3://sigv2-s3cmd/dir/").stdout.strip() == ""
    run_s3cmd(cfg, "rb", "s3://sigv2-s3cmd")


def v2_signature(secret, string_to_sign):
    return base64.b64encode(hmac.new(secret.encode(), string_to_sign.encode(), hashlib.sha1).digest()).decode()


def test_sts_refuses_v2_with_its_own_error(kura):
    body = "Action=GetCallerIdentity&Version=2011-06-15"
    date = email.utils.formatdate(usegmt=True)
    content_type = "application/x-www-form-urlencoded"
    signature = v2_signature(conftest.ROOT_SECRET, f"POST\n\n{content_type}\n{date}\n/")
    conn = http.client.HTTPConnection("127.0.0.1", kura.port, timeout=30)
    conn.request("POST", "/", body=body, headers={
        "Content-Type": content_type, "Date": date, "Authorization": f"AWS {conftest.ROOT_KEY}:{signature}"})
    r = conn.getresponse()
    text = r.read()
    assert r.status == 400, text
    assert b"<ErrorResponse" in text and b"<Code>IncompleteSignature</Code>" in text


def test_clock_skew_and_missing_date_are_403(kura, bucket):
    def get(headers):
        conn = http.client.HTTPConnection("127.0.0.1", kura.port, timeout=30)
        conn.request("GET", f"/{bucket}", headers=headers)
        r = conn.getresponse()
        return r.status, r.read()
    old = email.utils.formatdate(time.time() - 3600, usegmt=True)
    sig = v2_signature(conftest.ROOT_SECRET, f"GET\n\n\n{old}\n/{bucket}/")
    status, body = get({"Date": old, "Authorization": f"AWS {conftest.ROOT_KEY}:{sig}"})
    assert status == 403 and error_of(body)[0] == "RequestTimeTooSkewed", body
    status, body = get({"Authorization": f"AWS {conftest.ROOT_KEY}:{sig}"})
    assert status == 403 and error_of(body) == (
        "AccessDenied", "AWS authentication requires a valid Date or x-amz-date header"), body
    now = email.utils.formatdate(usegmt=True)
    sig = v2_signature(conftest.ROOT_SECRET, f"GET\n\n\n\nx-amz-date:{now}\n/{bucket}/")
    assert get({"x-amz-date": now, "Authorization": f"AWS {conftest.ROOT_KEY}:{sig}"})[0] == 200
    status, body = get({"Authorization": f"AWS {conftest.ROOT_KEY}"})
    assert status == 400 and error_of(body)[0] == "InvalidArgument", body


def test_virtual_hosted_requests_sign_the_bucket(tmp_path_factory):
    server = conftest.KuraServer(str(tmp_path_factory.mktemp("vhost") / "data"),
                                 extra_args=["--domain", "kura.test"]).start()
    try:
        server.client().create_bucket(Bucket="vhost-v2")
        server.client().put_object(Bucket="vhost-v2", Key="k.txt", Body=b"virtual")
        date = email.utils.formatdate(usegmt=True)
        sig = v2_signature(conftest.ROOT_SECRET, f"GET\n\n\n{date}\n/vhost-v2/k.txt")
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        conn.request("GET", "/k.txt", headers={"Host": "vhost-v2.kura.test", "Date": date,
                                               "Authorization": f"AWS {conftest.ROOT_KEY}:{sig}"})
        r = conn.getresponse()
        assert (r.status, r.read()) == (200, b"virtual")
    finally:
        server.stop()


def test_sigv2_off_refuses_every_form_of_it(tmp_path_factory):
    server = conftest.KuraServer(str(tmp_path_factory.mktemp("v4only") / "data"),
                                 extra_args=["--sigv2", "off"]).start()
    try:
        server.client().create_bucket(Bucket="v4-only")
        server.client().put_object(Bucket="v4-only", Key="k", Body=b"x")
        s3 = default_client(server)
        status, body = fetch(s3.generate_presigned_url("get_object", Params={"Bucket": "v4-only", "Key": "k"}))
        assert status == 400 and error_of(body) == (
            "InvalidRequest", "The authorization mechanism you have provided is not supported. "
                              "Please use AWS4-HMAC-SHA256."), body
        header = server.client(signature_version="s3")
        with pytest.raises(header.exceptions.ClientError) as e:
            header.get_object(Bucket="v4-only", Key="k")
        assert e.value.response["Error"]["Code"] == "InvalidRequest"
        form = s3.generate_presigned_post("v4-only", "form.txt")
        r = requests.post(form["url"], data=form["fields"], files={"file": ("f", b"x")})
        assert r.status_code == 400 and "<Code>InvalidArgument</Code>" in r.text, r.text
        # SigV4 is unaffected.
        assert server.client(signature_version="s3v4").get_object(Bucket="v4-only", Key="k")["Body"].read() == b"x"
    finally:
        server.stop()


def test_sigv2_flag_takes_on_or_off_only(tmp_path):
    r = subprocess.run([conftest.KURA_BIN, "serve", "--data-dir", str(tmp_path / "d"), "--listen",
                        "127.0.0.1:0", "--sigv2", "maybe"], capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and "--sigv2 must be 'on' or 'off'" in r.stderr
