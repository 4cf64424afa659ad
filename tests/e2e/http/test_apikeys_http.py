"""API keys and the /v1 authorizer over HTTP against the real local stack (chalice local + moto)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from chalicelib.apikeys import keyformat
from chalicelib.settings import get_settings
from chalicelib.store import db
from tests.e2e import steps
from tests.e2e.conftest import Stack
from tests.keys import assert_gateway_refusal

PASSWORD = "correct horse battery staple"


@dataclass
class Dashboard:
    """A signed-in browser session on the stack, speaking JSON."""

    stack: Stack
    http: requests.Session
    csrf: str

    def create_key(self, scopes: list[str], **fields: Any) -> dict[str, Any]:
        answer = self.http.post(f"{self.stack.url}/account/api-keys", headers={"X-CSRF-Token": self.csrf},
                                json={"label": "e2e", "scopes": scopes, **fields})
        assert answer.status_code == 201, answer.text
        created: dict[str, Any] = answer.json()
        return created

    def revoke(self, key_id: str) -> int:
        return self.http.delete(f"{self.stack.url}/account/api-keys/{key_id}",
                                headers={"X-CSRF-Token": self.csrf}).status_code


def sign_up_and_in(stack: Stack) -> Dashboard:
    session = requests.Session()
    email = f"keys-{uuid.uuid4().hex[:10]}@example.com"
    created = session.post(f"{stack.url}/signup", json={"email": email, "password": PASSWORD,
                                                        "workspace": "E2E keys"})
    assert created.status_code == 201
    steps.verify_email(stack.url, email)
    login = session.post(f"{stack.url}/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 200
    return Dashboard(stack, session, login.json()["csrf_token"])


def api(stack: Stack, method: str, path: str, key: str, **kwargs: Any) -> requests.Response:
    return requests.request(method, f"{stack.url}{path}",
                            headers={"Authorization": f"Bearer {key}"}, timeout=10, **kwargs)


def refused(answer: requests.Response) -> None:
    assert_gateway_refusal(answer.status_code, answer.headers, answer.content)


@pytest.fixture
def stack_store(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process's store layer pointed at the stack's moto server and table."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", stack.moto_url)
    monkeypatch.delenv("TASKFORGE_TABLE", raising=False)
    get_settings.cache_clear()
    db.client.cache_clear()
    yield
    get_settings.cache_clear()
    db.client.cache_clear()


def test_read_key_reads_cannot_write_and_dies_on_revocation(stack: Stack) -> None:
    dashboard = sign_up_and_in(stack)
    created = dashboard.create_key(["read"])
    assert api(stack, "GET", "/v1/tasks", created["key"]).status_code == 200
    write = api(stack, "POST", "/v1/tasks", created["key"], json={"title": "nope"})
    assert write.status_code == 403 and write.json()["error"] == "insufficient_scope"
    assert write.headers["WWW-Authenticate"] == 'Bearer error="insufficient_scope", scope="write"'
    assert dashboard.revoke(created["id"]) == 204
    refused(api(stack, "GET", "/v1/tasks", created["key"]))


def test_expired_key_is_refused(stack: Stack, stack_store: None) -> None:
    dashboard = sign_up_and_in(stack)
    created = dashboard.create_key(["read"], expires_in_days=1)
    assert api(stack, "GET", "/v1/me", created["key"]).status_code == 200
    db.update(f"APIKEY#{keyformat.digest(created['key'])}", "KEY", "SET expires_at = :past",
              vals={":past": created["created_at"] - 60})
    refused(api(stack, "GET", "/v1/me", created["key"]))
    listed = dashboard.http.get(f"{stack.url}/account/api-keys").json()["api_keys"]
    assert [(k["id"], k["status"]) for k in listed] == [(created["id"], "expired")]


def test_workspaces_are_isolated(stack: Stack) -> None:
    a_key = sign_up_and_in(stack).create_key(["write"])["key"]
    b_key = sign_up_and_in(stack).create_key(["write"])["key"]
    a_task = api(stack, "POST", "/v1/tasks", a_key, json={"title": "A's"}).json()
    b_task = api(stack, "POST", "/v1/tasks", b_key, json={"title": "B's"}).json()
    assert api(stack, "GET", f"/v1/tasks/{b_task['id']}", a_key).status_code == 404
    assert api(stack, "PATCH", f"/v1/tasks/{b_task['id']}", a_key, json={"done": True}).status_code == 404
    assert api(stack, "DELETE", f"/v1/tasks/{b_task['id']}", a_key).status_code == 404
    assert [t["id"] for t in api(stack, "GET", "/v1/tasks", a_key).json()["tasks"]] == [a_task["id"]]
    assert api(stack, "GET", f"/v1/tasks/{b_task['id']}", b_key).json()["done"] is False


def test_refusals_answer_as_the_deployed_gateway(stack: Stack) -> None:
    dashboard = sign_up_and_in(stack)
    revoked = dashboard.create_key(["read"])
    assert dashboard.revoke(revoked["id"]) == 204
    well_formed = keyformat.new_key()
    cases: dict[str, Any] = {
        "Basic scheme": "Basic dXNlcjpwYXNz",
        "no scheme": well_formed,
        "8 KB token": "Bearer " + "a" * 8192,
        "non-ASCII": "Bearer tfk_\u00e9\u2603".encode(),
        "bad checksum": f"Bearer {well_formed[:-1]}{'A' if well_formed[-1] != 'A' else 'B'}",
        "never issued": f"Bearer {well_formed}",
        "revoked": f"Bearer {revoked['key']}",
    }
    refused(requests.get(f"{stack.url}/v1/tasks", timeout=10))
    for case, header in cases.items():
        answer = requests.get(f"{stack.url}/v1/tasks", headers={"Authorization": header}, timeout=10)
        assert answer.status_code == 401, case
        refused(answer)
