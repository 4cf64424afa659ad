"""Hostile input over HTTP against the real local stack (issue 14, finding 1): lone surrogates,
absurd nesting and NUL bytes in bodies, query strings and path parameters get a clear 4xx JSON
error, never a 5xx, on every route the review hit."""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import pytest
import requests

from tests.e2e.conftest import Stack
from tests.e2e.http.test_apikeys_http import sign_up_and_in

SURROGATE_JSON = '"a\\ud800"'  # valid JSON text (RFC 8259 §8.2) that is not valid Unicode
NESTED = b"[" * 30_000 + b"]" * 30_000


def raw(stack: Stack, method: str, path: str, body: bytes = b"",
        headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """One request with the path and body sent exactly as given (no client-side re-encoding)."""
    parts = urlsplit(stack.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        for name, value in {"Content-Type": "application/json", **(headers or {}),
                            "Content-Length": str(len(body))}.items():
            conn.putheader(name, value)
        conn.endheaders(body)
        answer = conn.getresponse()
        return answer.status, answer.read()
    finally:
        conn.close()


def field(name: str, others: dict[str, str]) -> bytes:
    pairs = [f'"{k}": {json.dumps(v)}' for k, v in others.items()] + [f'"{name}": {SURROGATE_JSON}']
    return ("{" + ", ".join(pairs) + "}").encode()


@pytest.mark.parametrize("name", ["email", "password"])
def test_lone_surrogate_at_login_is_4xx(stack: Stack, name: str) -> None:
    others = {"email": stack.demo_email, "password": "x"}
    others.pop(name)
    status, body = raw(stack, "POST", "/login", field(name, others))
    assert status in (400, 401), body
    assert json.loads(body)["error"] in ("invalid_request", "invalid_credentials")


def test_lone_surrogate_at_signup_is_400(stack: Stack) -> None:
    status, body = raw(stack, "POST", "/signup", field("email", {"password": "long enough pw",
                                                                  "workspace": "W"}))
    assert status == 400 and json.loads(body)["error"] == "invalid_request"


def test_stored_fields_and_csrf_token_refuse_surrogates(stack: Stack) -> None:
    owner = sign_up_and_in(stack)
    key = owner.create_key(["admin"])["key"]
    bearer = {"Authorization": f"Bearer {key}"}
    for path, name, others in [("/v1/tasks", "title", {}), ("/v1/api-keys", "label", {}),
                               ("/v1/oauth-clients", "name", {"type": "public"})]:
        status, body = raw(stack, "POST", path, field(name, others), bearer)
        assert status == 400, (path, status, body)
    cookie = "; ".join(f"{k}={v}" for k, v in owner.http.cookies.items())
    status, body = raw(stack, "POST", "/account/api-keys", field("csrf_token", {"label": "k"}),
                       {"Cookie": cookie})
    assert status in (400, 403), body


@pytest.mark.parametrize("path", ["/signup", "/login", "/v1/tasks", "/account/api-keys",
                                  "/oauth/token"])
def test_thirty_thousand_nested_brackets_are_400(stack: Stack, path: str) -> None:
    owner = sign_up_and_in(stack)
    key = owner.create_key(["admin"])["key"]
    cookie = "; ".join(f"{k}={v}" for k, v in owner.http.cookies.items())
    status, body = raw(stack, "POST", path, NESTED, {"Authorization": f"Bearer {key}", "Cookie": cookie,
                                                      "X-CSRF-Token": owner.csrf})
    assert 400 <= status < 500, (path, status, body[:300])


@pytest.mark.parametrize("path", [
    "/v1/tasks/%ED%A0%80", "/v1/tasks/a%00b", "/v1/tasks?cursor=%ED%A0%80", "/v1/tasks?cursor=a%00",
    "/v1/tasks?limit=%C3%A9", "/v1/api-keys/%ED%A0%80", "/v1/oauth-clients/%00",
])
def test_hostile_path_and_query_parameters_are_4xx(stack: Stack, path: str) -> None:
    owner = sign_up_and_in(stack)
    key = owner.create_key(["admin"])["key"]
    for method in ("GET", "PATCH", "DELETE"):
        status, body = raw(stack, method, path, b"{}", {"Authorization": f"Bearer {key}"})
        assert 400 <= status < 500, (method, path, status, body[:300])


@pytest.mark.parametrize("path", ["/account/sessions/%ED%A0%80", "/account/api-keys/a%00b",
                                  "/settings/%ED%A0%80", "/login?next=%ED%A0%80",
                                  "/oauth/authorize?client_id=%ED%A0%80"])
def test_hostile_parameters_in_the_browser_area_are_4xx_or_a_page(stack: Stack, path: str) -> None:
    owner = sign_up_and_in(stack)
    cookie = "; ".join(f"{k}={v}" for k, v in owner.http.cookies.items())
    for method in ("GET", "DELETE"):
        status, body = raw(stack, method, path, b"", {"Cookie": cookie, "X-CSRF-Token": owner.csrf})
        assert status < 500, (method, path, status, body[:300])


def test_form_with_invalid_percent_encoded_utf8_is_4xx(stack: Stack) -> None:
    owner = sign_up_and_in(stack)
    answer = owner.http.post(f"{stack.url}/account/api-keys", data=b"label=%ED%A0%80&scopes=read",
                             headers={"X-CSRF-Token": owner.csrf,
                                      "Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"] == "invalid_request"
    assert requests.get(f"{stack.url}/health", timeout=5).status_code == 200
