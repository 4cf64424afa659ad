"""The Python client library (`clients/python`, import `taskforge`) against the real local stack."""

from __future__ import annotations

import re
import threading
import uuid
from html import unescape
from typing import Any

import pytest
import requests
import taskforge

from tests.e2e import steps
from tests.e2e.conftest import Stack

PASSWORD = "correct horse battery staple"
REDIRECT = "http://127.0.0.1:9/callback"  # never contacted: the test reads the redirect itself


class Person:
    """A new account speaking JSON to the dashboard API, plus a browser for the consent page."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.email = f"client-{uuid.uuid4().hex[:10]}@example.com"
        self.http = requests.Session()
        assert self.http.post(f"{stack.url}/signup", json={"email": self.email, "password": PASSWORD,
                                                           "workspace": "Client library"}).status_code == 201
        steps.verify_email(stack.url, self.email)  # keys and apps need a verified address
        login = self.http.post(f"{stack.url}/login", json={"email": self.email, "password": PASSWORD})
        self.csrf = login.json()["csrf_token"]

    def create(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = self.http.post(f"{self.stack.url}{path}", json=body, headers={"X-CSRF-Token": self.csrf})
        assert answer.status_code == 201, answer.text
        created: dict[str, Any] = answer.json()
        return created

    def approve(self, url: str) -> str:
        """Open the authorization URL signed in, press Allow: the redirect back to the app."""
        page = self.http.get(url, allow_redirects=False)
        assert page.status_code == 200, page.text
        fields = {name: unescape(value) for name, value in
                  re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.text)}
        decision = self.http.post(f"{self.stack.url}/oauth/authorize", allow_redirects=False,
                                  data={**fields, "decision": "allow"})
        assert decision.status_code == 303, decision.text
        return str(decision.headers["Location"])


def test_api_key_crud_and_typed_errors(stack: Stack) -> None:
    person = Person(stack)
    writer = person.create("/account/api-keys", {"label": "client write", "scopes": ["write"]})
    reader = person.create("/account/api-keys", {"label": "client read", "scopes": ["read"]})
    client = taskforge.Client(stack.url, api_key=writer["key"])

    me = client.get("/v1/me")
    assert me["principal_type"] == "api_key" and me["credential_id"] == writer["id"]
    task = client.post("/v1/tasks", json={"title": "from the client library"})
    assert client.patch(f"/v1/tasks/{task['id']}", json={"done": True})["done"] is True
    assert client.get(f"/v1/tasks/{task['id']}")["title"] == "from the client library"
    assert client.delete(f"/v1/tasks/{task['id']}") is None

    with pytest.raises(taskforge.ForbiddenError) as forbidden:
        taskforge.Client(stack.url, api_key=reader["key"]).post("/v1/tasks", json={"title": "no"})
    assert (forbidden.value.error, forbidden.value.scope) == ("insufficient_scope", "write")
    with pytest.raises(taskforge.ApiError) as missing:
        client.get(f"/v1/tasks/{task['id']}")
    assert (missing.value.status, missing.value.error) == (404, "not_found")
    with pytest.raises(taskforge.ApiError) as invalid:
        client.post("/v1/tasks", json={"title": 42})
    assert (invalid.value.status, invalid.value.error) == (400, "invalid_request")
    assert invalid.value.error_description

    assert person.http.delete(f"{stack.url}/account/api-keys/{writer['id']}",
                              headers={"X-CSRF-Token": person.csrf}).status_code == 204
    with pytest.raises(taskforge.AuthenticationError) as revoked:
        client.get("/v1/me")
    assert revoked.value.status == 401 and revoked.value.error == "invalid_token"


def test_rate_limited_key_raises_with_retry_after(stack: Stack) -> None:
    person = Person(stack)
    key = person.create("/account/api-keys", {"label": "slow", "scopes": ["read"],
                                              "rate_limit_per_minute": 1})["key"]
    client = taskforge.Client(stack.url, api_key=key, max_retries=0)
    client.get("/v1/me")
    with pytest.raises(taskforge.RateLimitedError) as limited:
        client.get("/v1/me")
    assert limited.value.error == "rate_limited" and limited.value.retry_after is not None
    assert 1 <= limited.value.retry_after <= 60
    # Retrying would wait longer than this client is allowed to: raised at once, not slept.
    patient = taskforge.Client(stack.url, api_key=key, max_retries=3, max_retry_after=0.5)
    with pytest.raises(taskforge.RateLimitedError):
        patient.get("/v1/me")


@pytest.mark.parametrize("kind", ["public", "confidential"])
def test_code_flow_with_pkce_then_refresh_on_401_persists_the_rotated_pair(stack: Stack, kind: str) -> None:
    person = Person(stack)
    app = person.create("/account/oauth-clients", {"name": f"Client library {kind}", "type": kind,
                                                   "redirect_uris": [REDIRECT], "scopes": ["write"]})
    request = taskforge.authorization_request(stack.url, app["client_id"], REDIRECT, scope="read write")
    code = taskforge.code_from_redirect(person.approve(request.url), request.state)

    saved: list[tuple[str, str]] = []
    client = taskforge.Client(stack.url, client_id=app["client_id"], client_secret=app.get("client_secret"),
                              on_tokens=lambda access, refresh: saved.append((access, refresh)))
    tokens = client.exchange_code(code, REDIRECT, request.code_verifier)
    assert tokens["token_type"] == "Bearer" and tokens["refresh_token"].startswith("tfr_")
    assert saved == [(tokens["access_token"], tokens["refresh_token"])]
    assert client.get("/v1/me")["principal_type"] == "user"
    if kind == "confidential":  # only confidential clients may introspect
        assert client.introspect(tokens["access_token"])["active"] is True
    else:
        with pytest.raises(taskforge.AuthenticationError) as refused:
            client.introspect(tokens["access_token"])
        assert refused.value.error == "invalid_client"

    # A later process starts from what on_tokens saved, with an access token that no longer works.
    later = taskforge.Client(stack.url, access_token="not-a-valid-token", refresh_token=saved[-1][1],
                             client_id=app["client_id"], client_secret=app.get("client_secret"),
                             on_tokens=lambda access, refresh: saved.append((access, refresh)))
    assert later.get("/v1/me")["principal_type"] == "user"
    assert len(saved) == 2 and saved[1][1] != tokens["refresh_token"]  # rotated, and persisted
    assert later.post("/v1/tasks", json={"title": "after a refresh"})["title"] == "after a refresh"

    # The newest refresh token still works (the old one was never presented again).
    newest = taskforge.Client(stack.url, refresh_token=saved[-1][1], client_id=app["client_id"],
                              client_secret=app.get("client_secret"))
    assert newest.get("/v1/me")["principal_type"] == "user"


def test_revoked_grant_is_an_authentication_error_after_one_refresh_attempt(stack: Stack) -> None:
    person = Person(stack)
    app = person.create("/account/oauth-clients", {"name": "Client library revoke", "type": "public",
                                                   "redirect_uris": [REDIRECT], "scopes": ["read"]})
    request = taskforge.authorization_request(stack.url, app["client_id"], REDIRECT, scope="read")
    code = taskforge.code_from_redirect(person.approve(request.url), request.state)
    client = taskforge.Client(stack.url, client_id=app["client_id"])
    tokens = client.exchange_code(code, REDIRECT, request.code_verifier)
    client.revoke(tokens["refresh_token"], token_type_hint="refresh_token")
    with pytest.raises(taskforge.AuthenticationError) as raised:
        client.get("/v1/me")
    assert raised.value.error == "invalid_grant"


def test_threads_sharing_a_client_refresh_once_and_the_grant_survives(stack: Stack) -> None:
    """Eight threads hit 401 with the same stale token: one refresh, or the server's reuse
    detection would revoke the grant (RFC 9700 §4.14.2) and every thread would fail."""
    person = Person(stack)
    app = person.create("/account/oauth-clients", {"name": "Client library threads", "type": "public",
                                                   "redirect_uris": [REDIRECT], "scopes": ["read"]})
    request = taskforge.authorization_request(stack.url, app["client_id"], REDIRECT, scope="read")
    code = taskforge.code_from_redirect(person.approve(request.url), request.state)
    tokens = taskforge.Client(stack.url, client_id=app["client_id"]).exchange_code(
        code, REDIRECT, request.code_verifier)
    saved: list[tuple[str, str]] = []
    shared = taskforge.Client(stack.url, access_token="expired-or-garbage",
                              refresh_token=tokens["refresh_token"], client_id=app["client_id"],
                              on_tokens=lambda a, r: saved.append((a, r)))
    results: list[Any] = []
    barrier = threading.Barrier(8)

    def call() -> None:
        barrier.wait()
        try:
            results.append(shared.get("/v1/me")["principal_type"])
        except taskforge.TaskForgeError as exc:
            results.append(exc)

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert results == ["user"] * 8
    assert len(saved) == 1
    assert shared.get("/v1/me")["principal_type"] == "user"
