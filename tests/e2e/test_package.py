"""The Debian package (scripts/package, cmake/package.cmake): built by CPack from the build tree
under test into a temp dir, unpacked into a clean directory root with dpkg-deb (no chroot or
debootstrap: the binary runs on this machine's libraries, which the package's Depends name),
checked — file list, owners and modes, control fields, conffile, maintainer scripts, the systemd
unit (systemd-analyze verify), kura(1), kura.conf against `kura serve --help` — and then run as
the unit runs it: its ExecStart with the packaged config file, as an unprivileged user with the
unit's umask and open-file limit, the data dir inside the root. Against it, the STS tutorial's
flow with the aws CLI v1 and boto3, signed with the root credentials read where the README says.
"""
import configparser
import glob
import json
import os
import pwd
import re
import resource
import shlex
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time

import boto3
import botocore.config
import pytest
from botocore.exceptions import ClientError

from conftest import KURA_BIN, REGION, STARTED_LINE, client_env, free_port

SOURCE_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD_DIR = os.environ.get("KURA_BUILD_DIR", os.path.dirname(os.path.abspath(KURA_BIN)))
UNIT = "lib/systemd/system/kura.service"
CONF = "etc/kura/kura.conf"
FILES = {  # every regular file of the package, with its mode
    "etc/kura/kura.conf": 0o644,
    "lib/systemd/system/kura.service": 0o644,
    "usr/bin/kura": 0o755,
    "usr/share/doc/kura/changelog.gz": 0o644,
    "usr/share/doc/kura/copyright": 0o644,
    "usr/share/man/man1/kura.1.gz": 0o644,
}


def project_version():
    with open(os.path.join(SOURCE_DIR, "CMakeLists.txt")) as f:
        return re.search(r"project\(kura VERSION (\d+\.\d+\.\d+)", f.read()).group(1)


@pytest.fixture(scope="module")
def deb(tmp_path_factory):
    """Builds the package as scripts/package does (the man page target, then cpack), but into a
    temp dir, from the build tree whose kura the suite tests."""
    out = tmp_path_factory.mktemp("deb")
    started = time.monotonic()
    for step in (["cmake", "--build", BUILD_DIR, "--target", "kura_man"],
                 ["cpack", "--config", os.path.join(BUILD_DIR, "CPackConfig.cmake"), "-B", str(out)]):
        r = subprocess.run(step, capture_output=True, text=True, cwd=BUILD_DIR)
        assert r.returncode == 0, f"{' '.join(step)}:\n{r.stdout}\n{r.stderr}"
    print(f"package built in {time.monotonic() - started:.1f} s")
    debs = glob.glob(str(out / "kura_*.deb"))
    assert len(debs) == 1, debs
    return debs[0]


@pytest.fixture(scope="module")
def root(deb):
    """The package unpacked into an empty directory root, traversable by the service's user."""
    d = tempfile.mkdtemp(prefix="kura-package-root-")
    os.chmod(d, 0o755)
    subprocess.run(["dpkg-deb", "-x", deb, d], check=True)
    subprocess.run(["dpkg-deb", "-e", deb, os.path.join(d, "DEBIAN")], check=True)
    yield d
    shutil.rmtree(d)


def test_control_fields(deb):
    fields = subprocess.run(["dpkg-deb", "-f", deb, "Package", "Version", "Architecture", "Depends",
                             "Maintainer", "Description"],
                            capture_output=True, text=True, check=True).stdout
    assert "Package: kura\n" in fields
    assert f"Version: {project_version()}\n" in fields
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()
    assert f"Architecture: {arch}\n" in fields
    depends = re.search(r"^Depends: (.*)$", fields, re.M).group(1).split(", ")
    names = {d.split(" ")[0] for d in depends}
    # adduser for postinst; the rest computed by dpkg-shlibdeps from the binary.
    assert {"adduser", "libc6", "libssl3", "libsqlite3-0", "libstdc++6"} <= names, depends


def test_file_list_owners_and_modes(deb):
    listing = subprocess.run(["dpkg-deb", "-c", deb], capture_output=True, text=True,
                             check=True).stdout.splitlines()
    files = {}
    for line in listing:
        mode, owner, _size, _date, _time, path = line.split(None, 5)
        path = path[2:] if path.startswith("./") else path
        assert owner == "root/root", line
        if mode.startswith("d"):
            assert mode == "drwxr-xr-x", line
        else:
            assert mode[0] == "-", line
            files[path] = mode
    expected = {p: stat.filemode(stat.S_IFREG | m) for p, m in FILES.items()}
    assert files == expected


def test_maintainer_scripts_and_conffiles(root):
    control = os.path.join(root, "DEBIAN")
    with open(os.path.join(control, "conffiles")) as f:
        assert f.read().split() == ["/" + CONF]
    for script in ("postinst", "prerm", "postrm"):
        path = os.path.join(control, script)
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o755
        subprocess.run(["sh", "-n", path], check=True)
    with open(os.path.join(control, "postinst")) as f:
        postinst = f.read()
    assert re.search(r"adduser --quiet --system --group .*kura", postinst.replace("\\\n", " "))


def test_postinst_makes_the_system_user(root, tmp_path):
    """postinst configure, run twice (as on an upgrade), with Debian's adduser against a copy of
    this machine's /etc mounted over /etc in a mount namespace of its own."""
    etc = tmp_path / "etc"
    shutil.copytree("/etc", etc, symlinks=True)
    with open("/etc/passwd") as f:
        host_passwd = f.read()
    postinst = os.path.join(root, "DEBIAN", "postinst")
    script = (f"mount --bind {etc} /etc && {postinst} configure && {postinst} configure "
              "&& getent passwd kura && getent group kura")
    r = subprocess.run(["unshare", "--mount", "sh", "-ec", script], capture_output=True, text=True)
    assert r.returncode == 0 and r.stderr == "", r
    user, group = r.stdout.splitlines()
    name, _, uid, gid, _gecos, home, shell = user.split(":")
    assert name == "kura" and int(uid) < 1000 and home == "/var/lib/kura"
    assert shell in ("/usr/sbin/nologin", "/bin/false")
    assert group.split(":")[0] == "kura" and group.split(":")[2] == gid
    with open("/etc/passwd") as f:
        assert f.read() == host_passwd, "postinst reached this machine's /etc"


def read_unit(root):
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read(os.path.join(root, UNIT))
    return unit


def test_unit_file(root, tmp_path):
    service = read_unit(root)["Service"]
    assert service["User"] == "kura" and service["Group"] == "kura"
    assert service["ExecStart"] == "/usr/bin/kura serve --config /etc/kura/kura.conf"
    assert service["StateDirectory"] == "kura" and service["WorkingDirectory"] == "/var/lib/kura"
    for key, value in {"ProtectSystem": "strict", "ProtectHome": "yes", "NoNewPrivileges": "yes",
                       "PrivateTmp": "yes", "PrivateDevices": "yes", "ProtectKernelTunables": "yes",
                       "ProtectKernelModules": "yes", "ProtectKernelLogs": "yes",
                       "CapabilityBoundingSet": "", "UMask": "0077"}.items():
        assert service[key] == value, key
    assert service["RestrictAddressFamilies"].split() == ["AF_UNIX", "AF_INET", "AF_INET6"]
    assert int(service["LimitNOFILE"]) >= 4096
    assert read_unit(root)["Install"]["WantedBy"] == "multi-user.target"

    # systemd-analyze verify, in a root holding the package's files and this machine's units (the
    # targets kura.service orders itself after). It checks ExecStart's binary there; the man page
    # is checked below (verify would look it up on this machine).
    verify_root = tmp_path / "verify"
    shutil.copytree("/lib/systemd/system", verify_root / "lib/systemd/system", symlinks=True)
    for d in ("usr", "etc"):
        shutil.copytree(os.path.join(root, d), verify_root / d, symlinks=True, dirs_exist_ok=True)
    shutil.copy(os.path.join(root, UNIT), verify_root / UNIT)
    result = subprocess.run(["systemd-analyze", "verify", f"--root={verify_root}", "--man=no",
                             "/" + UNIT], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout + result.stderr == "", result


def serve_flags():
    """name → default from `kura serve --help` (no default: "")."""
    out = subprocess.run([KURA_BIN, "serve", "--help"], capture_output=True, text=True,
                         check=True).stdout
    flags = {}
    for name, text in re.findall(r"^  --([a-z0-9-]+) +(.*)$", out, re.M):
        m = re.search(r"\(default ([^)]*)\)$", text)
        flags[name] = m.group(1) if m else ""
    return flags


def test_config_file_lists_every_setting_with_its_default(root):
    with open(os.path.join(root, CONF)) as f:
        lines = f.read().splitlines()
    settings = dict(re.fullmatch(r"([a-z0-9-]+) = (.*)", l).groups()
                    for l in lines if l and not l.startswith("#"))
    assert settings == {"data-dir": "/var/lib/kura", "listen": "127.0.0.1:9000"}
    commented = dict(m.groups() for l in lines
                     if (m := re.fullmatch(r"# ([a-z0-9-]+) =(?: (.*))?", l)))
    flags = serve_flags()
    flags.pop("config")
    for name in settings:
        flags.pop(name)
    assert {k: v or "" for k, v in commented.items()} == flags


def test_man_page(root):
    page = subprocess.run(["zcat", os.path.join(root, "usr/share/man/man1/kura.1.gz")],
                          capture_output=True, text=True, check=True).stdout
    assert re.search(rf'^\.TH KURA "1" "[^"]+" "kura {re.escape(project_version())}"', page, re.M)
    assert "\n.SH NAME\nkura \\- S3-compatible object store with IAM and STS\n" in page
    for name in serve_flags():
        assert "\n.B \\-\\-" + name.replace("-", "\\-") + "\n" in page, name
    for command in ("sts", "kms", "account", "scrub"):
        assert f'.SS "kura {command}"' in page
    assert "/etc/kura/kura.conf" in page and "/var/lib/kura/root\\-credentials" in page


def test_packaged_binary(root):
    kura = os.path.join(root, "usr/bin/kura")
    assert "not found" not in subprocess.run(["ldd", kura], capture_output=True, text=True).stdout
    assert ", stripped" in subprocess.run(["file", "-L", kura], capture_output=True, text=True,
                                          check=True).stdout
    out = subprocess.run([kura, "--version"], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[0] == f"kura {project_version()}"
    # The kura the suite tests, stripped: the same build facts.
    assert out == subprocess.run([KURA_BIN, "--version"], capture_output=True, text=True,
                                 check=True).stdout


class Service:
    """kura started as kura.service starts it, inside the unpacked root."""

    def __init__(self, root):
        self.root = root
        service = read_unit(root)["Service"]
        argv = shlex.split(service["ExecStart"])
        # The unit's absolute paths, in the root: the binary, and the config file it names.
        self.argv = [os.path.join(root, a.lstrip("/")) if a.startswith("/") else a for a in argv]
        self.data_dir = os.path.join(root, "var/lib/kura")
        self.cwd = os.path.join(root, service["WorkingDirectory"].lstrip("/"))
        self.umask = int(service["UMask"], 8)
        self.nofile = int(service["LimitNOFILE"])
        self.port = free_port()
        self.log = os.path.join(root, "journal")
        self.user = pwd.getpwnam("nobody") if os.getuid() == 0 else pwd.getpwuid(os.getuid())

    def start(self):
        # StateDirectory=kura, StateDirectoryMode=0700: made by systemd, owned by the user.
        os.makedirs(self.data_dir, mode=0o700)
        os.chown(self.data_dir, self.user.pw_uid, self.user.pw_gid)
        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        self.nofile = min(self.nofile, hard)  # this machine may not allow the unit's figure
        # systemd starts services with an environment of its own, not the caller's; a drop-in's
        # Environment= lines (the documented override) move the data dir and port into the root.
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
               "KURA_DATA_DIR": self.data_dir, "KURA_LISTEN": f"127.0.0.1:{self.port}"}
        user, umask, nofile = self.user, self.umask, self.nofile

        def as_the_unit():
            resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))
            os.umask(umask)
            if os.getuid() == 0:  # User=kura: an unprivileged system user
                os.setgroups([])
                os.setgid(user.pw_gid)
                os.setuid(user.pw_uid)

        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(self.argv, stdout=out, stderr=subprocess.STDOUT, env=env,
                                         cwd=self.cwd, preexec_fn=as_the_unit)
        deadline = time.time() + 30
        while True:
            assert self.proc.poll() is None, self.output()
            assert time.time() < deadline, self.output()
            if STARTED_LINE in self.output():
                try:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                        return self
                except OSError:
                    pass
            time.sleep(0.05)

    def output(self):
        with open(self.log, errors="replace") as f:
            return f.read()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=30)


@pytest.fixture(scope="module")
def service(root):
    s = Service(root).start()
    yield s
    if s.proc.poll() is None:
        s.proc.kill()
        s.proc.wait()


def aws(service, creds, *args, cwd=None, check=True):
    env = client_env({"AWS_ACCESS_KEY_ID": creds["AccessKeyId"],
                      "AWS_SECRET_ACCESS_KEY": creds["SecretAccessKey"]})
    if creds.get("SessionToken"):
        env["AWS_SESSION_TOKEN"] = creds["SessionToken"]
    cmd = [os.environ.get("KURA_PYTHON", sys.executable), "-m", "awscli",
           "--endpoint-url", f"http://127.0.0.1:{service.port}", "--region", REGION,
           "--output", "json", *args]
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=cwd, timeout=300)
    if check and r.returncode != 0:
        raise AssertionError(f"aws {' '.join(args)} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return r


def test_the_service_runs_the_sts_tutorial(service, tmp_path):
    # As the README says: the root credentials are in /var/lib/kura/root-credentials (0600, the
    # service user's) and were printed once to the journal.
    creds_file = os.path.join(service.data_dir, "root-credentials")
    st = os.stat(creds_file)
    assert stat.S_IMODE(st.st_mode) == 0o600 and st.st_uid == service.user.pw_uid
    with open(creds_file) as f:
        key, secret = f.read().split()
    assert f"AWS_ACCESS_KEY_ID={key}" in service.output()
    root = {"AccessKeyId": key, "SecretAccessKey": secret}
    # kura took the unit's open-file limit as its own (LimitNOFILE).
    assert (f"serving at most {(service.nofile - 64) // 2} connections at once "
            f"(open-file limit {service.nofile})") in service.output()

    account = json.loads(aws(service, root, "sts", "get-caller-identity").stdout)["Account"]
    aws(service, root, "s3", "mb", "s3://photos")
    aws(service, root, "s3", "mb", "s3://other")
    # An application's user may only assume the role; the role may use one bucket.
    iam = boto3.client("iam", endpoint_url=f"http://127.0.0.1:{service.port}", region_name=REGION,
                       aws_access_key_id=key, aws_secret_access_key=secret,
                       config=botocore.config.Config(retries={"max_attempts": 1}))
    iam.create_user(UserName="app")
    user_key = iam.create_access_key(UserName="app")["AccessKey"]
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:user/app"},
        "Action": "sts:AssumeRole"}]}
    role_arn = iam.create_role(RoleName="uploader",
                               AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    iam.put_role_policy(RoleName="uploader", PolicyName="photos", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "s3:*",
            "Resource": ["arn:aws:s3:::photos", "arn:aws:s3:::photos/*"]}]}))
    iam.put_user_policy(UserName="app", PolicyName="assume", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role_arn}]}))
    user = {"AccessKeyId": user_key["AccessKeyId"], "SecretAccessKey": user_key["SecretAccessKey"]}
    denied = aws(service, user, "s3", "ls", "s3://photos", check=False)
    assert denied.returncode != 0 and "AccessDenied" in denied.stderr

    out = json.loads(aws(service, user, "sts", "assume-role", "--role-arn", role_arn,
                         "--role-session-name", "s3", "--duration-seconds", "900").stdout)
    session = out["Credentials"]
    assert session["AccessKeyId"].startswith("ASIA")
    assert out["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{account}:assumed-role/uploader/s3"

    (tmp_path / "cat.jpg").write_bytes(os.urandom(100_000))
    aws(service, session, "s3", "mv", "cat.jpg", "s3://photos/", cwd=tmp_path)
    assert not (tmp_path / "cat.jpg").exists()
    assert "cat.jpg" in aws(service, session, "s3", "ls", "s3://photos").stdout
    denied = aws(service, session, "s3", "ls", "s3://other", check=False)
    assert denied.returncode != 0 and "AccessDenied" in denied.stderr
    s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{service.port}", region_name=REGION,
                      aws_access_key_id=session["AccessKeyId"],
                      aws_secret_access_key=session["SecretAccessKey"],
                      aws_session_token=session["SessionToken"],
                      config=botocore.config.Config(retries={"max_attempts": 1},
                                                    s3={"addressing_style": "path"}))
    assert s3.head_object(Bucket="photos", Key="cat.jpg")["ContentLength"] == 100_000
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket="other", Key="x", Body=b"x")
    assert e.value.response["Error"]["Code"] == "AccessDenied"

    # SIGTERM (systemctl stop) ends it cleanly; everything it wrote is the service user's alone.
    assert service.stop() == 0
    for dirpath, dirnames, filenames in os.walk(service.data_dir):
        for name in dirnames + filenames:
            st = os.lstat(os.path.join(dirpath, name))
            assert st.st_uid == service.user.pw_uid, name
            assert stat.S_IMODE(st.st_mode) & 0o077 == 0, (name, oct(st.st_mode))
