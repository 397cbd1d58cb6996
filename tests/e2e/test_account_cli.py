"""`kura account create|list|show|close` against a running server, as docs/accounts.md shows
them: create prints the new account's id and root credentials (which work), list and show print
the accounts, close suspends one; signed with DATA/root-credentials or KURA_ROOT_* as
`kura sts revoke-sessions` is. On the shared engines (e2e_shared) the commands are given the
nodes' --metadata and --secrets-key-file instead of the data dir, and find both the management
root and the new accounts' root credentials sealed in PostgreSQL."""
import os
import re
import subprocess

import pytest
from botocore.exceptions import ClientError

from conftest import KURA_BIN, ROOT_KEY, ROOT_SECRET, SHARED_ENGINES, KuraServer, shared_engine_args


@pytest.fixture(scope="module")
def kura(tmp_path_factory):
    """A server whose management root is DATA/root-credentials (no KURA_ROOT_* anywhere)."""
    d = tmp_path_factory.mktemp("kura-account-cli")
    server = KuraServer(str(d / "data")).start(root_from_env=False)
    yield server
    server.stop()


def where_the_server_keeps_its_state(kura):
    if not SHARED_ENGINES:
        return ["--data-dir", kura.data_dir]
    engine_args, _ = shared_engine_args(kura.engine_home)
    flags = dict(zip(engine_args[::2], engine_args[1::2]))
    return ["--metadata", flags["--metadata"], "--secrets-key-file", flags["--secrets-key-file"]]


def account(kura, *args, env=None):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KURA_ROOT_")}
    clean.update(env or {})
    return subprocess.run([KURA_BIN, "account", *args, "--endpoint", kura.endpoint,
                           *where_the_server_keeps_its_state(kura)], env=clean, capture_output=True,
                          text=True, timeout=60)


def management_root(kura):
    """The root credentials the server generated at its first start (no KURA_ROOT_*)."""
    if not SHARED_ENGINES:
        with open(os.path.join(kura.data_dir, "root-credentials")) as f:
            return f.read().split()
    printed = kura.output()  # sealed in PostgreSQL: printed once, at creation (by a first node)
    return [re.search(rf"^  {name}=(\S+)$", printed, re.M).group(1)
            for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")]


def created(out):
    assert out.returncode == 0, out.stderr
    m = re.search(r"^Created account (\d{12}) \(name (.*), e-mail (\S+); request (car-[a-z0-9]+)\)$",
                  out.stdout, re.M)
    assert m, out.stdout
    key = re.search(r"^  AWS_ACCESS_KEY_ID=(AKIA\w{16})$", out.stdout, re.M).group(1)
    secret = re.search(r"^  AWS_SECRET_ACCESS_KEY=(\S{40})$", out.stdout, re.M).group(1)
    return m.group(1), m.group(2), m.group(3), key, secret


def test_create_prints_the_id_and_working_root_credentials(kura):
    out = account(kura, "create", "--name", "Team A", "--email", "team-a@example.com")
    account_id, name, email, key, secret = created(out)
    assert (name, email) == ("Team A", "team-a@example.com")
    kept_in = "the shared metadata store" if SHARED_ENGINES else f"accounts/{account_id}/root-credentials"
    assert kept_in in out.stdout
    me = kura.client("sts", key=key, secret=secret).get_caller_identity()
    assert me["Account"] == account_id


def test_create_without_email_uses_the_documented_default(kura):
    account_id, _, email, _, _ = created(account(kura, "create", "--name", "Ops Team"))
    assert email == "ops-team@accounts.kura.invalid"
    again = account(kura, "create", "--name", "Ops Team")
    assert again.returncode == 1 and "EMAIL_ALREADY_EXISTS" in again.stderr


def test_list_and_show(kura):
    key, secret = management_root(kura)
    management = kura.client("sts", key=key, secret=secret).get_caller_identity()["Account"]
    account_id, _, _, _, _ = created(account(kura, "create", "--name", "listed"))
    out = account(kura, "list")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].split() == ["ID", "STATUS", "JOINED", "NAME", "EMAIL"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert rows[account_id][1] == "ACTIVE" and rows[account_id][3] == "listed"
    assert management in rows
    out = account(kura, "show", account_id)
    assert out.returncode == 0, out.stderr
    fields = dict(line.split(None, 1) for line in out.stdout.splitlines())
    assert fields["Id"] == account_id and fields["Status"] == "ACTIVE"
    assert fields["JoinedMethod"] == "CREATED" and fields["Name"] == "listed"
    assert re.fullmatch(r"arn:aws:organizations::\d{12}:account/o-[a-z0-9]{10}/" + account_id, fields["Arn"])


def test_close_suspends_the_account(kura):
    account_id, _, _, key, secret = created(account(kura, "create", "--name", "short-lived"))
    out = account(kura, "close", account_id)
    assert out.returncode == 0, out.stderr
    assert f"Closed account {account_id}" in out.stdout
    with pytest.raises(ClientError) as e:
        kura.client("sts", key=key, secret=secret).get_caller_identity()
    assert e.value.response["Error"]["Code"] == "InvalidClientTokenId"
    show = account(kura, "show", account_id)
    assert "SUSPENDED" in show.stdout
    again = account(kura, "close", account_id)
    assert again.returncode == 1 and "AccountAlreadyClosedException" in again.stderr


def test_usage_and_errors(kura):
    out = subprocess.run([KURA_BIN, "account", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "create --name NAME" in out.stdout
    assert account(kura, "create").returncode == 2
    assert account(kura, "show").returncode == 2
    assert account(kura, "frobnicate").returncode == 2
    out = account(kura, "show", "000000000000")
    assert out.returncode == 1 and "AccountNotFoundException" in out.stderr


def test_signs_with_the_environments_root_when_given(kura):
    out = account(kura, "list", env={"KURA_ROOT_ACCESS_KEY": ROOT_KEY, "KURA_ROOT_SECRET_KEY": ROOT_SECRET})
    # Not this server's root: the server does not know the key.
    assert out.returncode == 1 and "UnrecognizedClientException" in out.stderr
