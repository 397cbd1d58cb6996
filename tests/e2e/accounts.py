"""Accounts for e2e tests, made the way an operator makes them: CreateAccount through the AWS
Organizations API, signed by the management account's root (conftest's ROOT_KEY). The new
account's root credentials are read from the file the server leaves for the operator,
DATA/accounts/ID/root-credentials (docs/accounts.md)."""
import os
import uuid


def account_email(name):
    """A unique address valid for Organizations' Email shape."""
    return f"{name}-{uuid.uuid4().hex[:8]}@accounts.kura.invalid"


def root_credentials(kura, account_id):
    """(access key id, secret) of a member account's root, from the server's data dir."""
    with open(os.path.join(kura.data_dir, "accounts", account_id, "root-credentials")) as f:
        key, secret = f.read().split()
    return key, secret


def create_account(kura, name, email=None):
    """Makes an account; returns (account_id, root_key, root_secret)."""
    org = kura.client("organizations")
    status = org.create_account(AccountName=name, Email=email or account_email(name))
    status = status["CreateAccountStatus"]
    assert status["State"] == "SUCCEEDED", status
    account_id = status["AccountId"]
    key, secret = root_credentials(kura, account_id)
    return account_id, key, secret
