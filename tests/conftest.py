"""Fixtures chained as app -> client -> account -> signed-in browser, all under moto."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

os.environ.update({
    "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1",
    "TASKFORGE_ISSUER": "http://127.0.0.1:8000", "TASKFORGE_TABLE": "taskforge-auth",
})
for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_PROFILE"):
    os.environ.pop(name, None)

from chalice.test import Client  # noqa: E402
from moto import mock_aws  # noqa: E402

from chalicelib.oauth import signing_keys  # noqa: E402
from chalicelib.settings import get_settings  # noqa: E402
from chalicelib.store import db, mail, secrets  # noqa: E402

PASSWORD = "correct horse battery staple"
ROOT_DIR = Path(__file__).resolve().parents[1]


def reset_caches() -> None:
    get_settings.cache_clear()
    db.client.cache_clear()
    secrets.client.cache_clear()
    mail.client.cache_clear()
    secrets.forget()
    signing_keys.forget_published()


@pytest.fixture
def aws() -> Iterator[None]:
    reset_caches()
    with mock_aws():
        from chalicelib.bootstrap import bootstrap

        bootstrap()
        yield
    reset_caches()


@pytest.fixture
def app(aws: None) -> Any:
    from app import app as chalice_app

    return chalice_app


@pytest.fixture
def client(app: Any) -> Iterator[Client]:
    with Client(app, stage_name="dev") as test_client:
        yield test_client


class Browser:
    """A test client that keeps cookies like a browser and speaks JSON."""

    def __init__(self, client: Client):
        self.client = client
        self.cookies: dict[str, str] = {}
        self.csrf: str | None = None

    def request(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
                raw: bytes | None = None) -> Any:
        sent = {"Content-Type": "application/json"} if raw is None else {}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.csrf and method not in ("GET", "HEAD"):
            sent["X-CSRF-Token"] = self.csrf
        sent.update(headers or {})
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
        response = self.client.http.request(method, path, headers=sent, body=data)
        self._keep_cookies(response.headers)
        return response

    def _keep_cookies(self, headers: dict[str, Any]) -> None:
        values = headers.get("Set-Cookie") or headers.get("set-cookie")
        for value in ([values] if isinstance(values, str) else values or []):
            name, _, rest = value.partition("=")
            token = rest.split(";", 1)[0]
            if "Max-Age=0" in value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = token

    def get(self, path: str, **kw: Any) -> Any:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.request("POST", path, body, **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self.request("DELETE", path, **kw)

    def login(self, email: str, password: str = PASSWORD) -> Any:
        response = self.post("/login", {"email": email, "password": password})
        if response.status_code == 200:
            self.csrf = json.loads(response.body)["csrf_token"]
        return response


@dataclass
class Account:
    email: str
    user_id: str
    workspace_id: str


def make_account(client: Client, email: str = "ada@example.com", verified: bool = True) -> Account:
    """A new account; `verified` follows the emailed link as its owner would."""
    body = json.dumps({"email": email, "password": PASSWORD, "workspace": "Analytical Engines"})
    response = client.http.post("/signup", headers={"Content-Type": "application/json"},
                                body=body.encode())
    assert response.status_code == 201, response.body
    data = json.loads(response.body)
    if verified:
        verify_email(client, email)
    return Account(email, data["user_id"], data["workspace_id"])


def verify_email(client: Client, email: str) -> None:
    """Follow the newest verification link emailed to `email` (read back from moto's SES)."""
    from tests import mailbox

    body = json.dumps({"token": mailbox.token(email, "/verify-email")}).encode()
    answer = client.http.post("/verify-email", headers={"Content-Type": "application/json"}, body=body)
    assert answer.status_code == 204, answer.body


@pytest.fixture
def account(client: Client) -> Account:
    return make_account(client)


@pytest.fixture
def browser(client: Client, account: Account) -> Browser:
    signed_in = Browser(client)
    assert signed_in.login(account.email).status_code == 200
    return signed_in


def body_of(response: Any) -> Any:
    return json.loads(response.body)
