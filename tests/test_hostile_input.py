"""Hostile input on every route (issue 14, finding 1): lone surrogates, absurd nesting and NUL
bytes in bodies, fields, query strings and path parameters are a clear 4xx, never a 5xx, and
nothing is written."""

from __future__ import annotations

import json
from typing import Any

import pytest
from chalice.test import Client

from chalicelib.store import users
from tests.conftest import Browser, body_of
from tests.keys import make_key

JSON = {"Content-Type": "application/json"}
SURROGATE = "\ud800"
# json.dumps escapes a lone surrogate as "\ud800", which is valid JSON text (RFC 8259 §8.2).
NESTED = b"[" * 30_000 + b"]" * 30_000
NESTED_IN_FIELD = b'{"title": ' + b"[" * 30_000 + b"]" * 30_000 + b"}"


def raw_post(client: Client, path: str, raw: bytes, headers: dict[str, str] | None = None) -> Any:
    return client.http.post(path, body=raw, headers={**JSON, **(headers or {})})


@pytest.mark.parametrize("field", ["email", "password"])
def test_lone_surrogate_at_sign_in_is_refused_not_a_crash(client: Client, account: Any, field: str) -> None:
    body = {"email": account.email, "password": "x", field: "a" + SURROGATE}
    response = raw_post(client, "/login", json.dumps(body).encode())
    assert response.status_code in (400, 401), response.body
    assert body_of(response)["error"] in ("invalid_request", "invalid_credentials")


@pytest.mark.parametrize("field", ["email", "password", "workspace"])
def test_lone_surrogate_at_sign_up_is_400_and_no_account(client: Client, field: str) -> None:
    body = {"email": "eve@example.com", "password": "correct horse battery", "workspace": "W"}
    body[field] = body[field] + SURROGATE
    response = raw_post(client, "/signup", json.dumps(body).encode())
    assert response.status_code == 400, response.body
    assert users.get_by_email("eve@example.com") is None


def test_lone_surrogate_as_csrf_token_is_403(client: Client, browser: Browser) -> None:
    response = browser.post("/account/api-keys", {"label": "k", "scopes": ["read"]},
                            headers={"X-CSRF-Token": "", "Content-Type": "application/json"})
    assert response.status_code == 403
    browser.csrf = None
    sent = json.dumps({"label": "k", "scopes": ["read"], "csrf_token": SURROGATE}).encode()
    response = browser.request("POST", "/account/api-keys", raw=sent, headers=JSON)
    assert response.status_code in (400, 403), response.body


@pytest.mark.parametrize("path,field,extra", [
    ("/v1/tasks", "title", {}),
    ("/v1/api-keys", "label", {"scopes": ["read"]}),
    ("/v1/oauth-clients", "name", {"type": "public", "redirect_uris": ["https://a.example.com/cb"]}),
])
@pytest.mark.parametrize("bad", [SURROGATE, "a\x00b", "x\udfff"])
def test_stored_fields_refuse_unstorable_text_with_400(client: Client, browser: Browser, path: str,
                                                        field: str, extra: dict[str, Any], bad: str) -> None:
    key = make_key(browser, ["admin"])["key"]
    headers = {"Authorization": f"Bearer {key}"}
    body = json.dumps({field: bad, **extra}).encode()
    response = raw_post(client, path, body, headers)
    assert response.status_code == 400, response.body
    assert body_of(response)["error"] == "invalid_request"
    listing = client.http.get(path, headers=headers)
    listed = body_of(listing)
    assert all(SURROGATE not in json.dumps(item) for rows in listed.values()
               if isinstance(rows, list) for item in rows)


@pytest.mark.parametrize("raw", [NESTED, NESTED_IN_FIELD, b'{"a":' * 5000 + b"1" + b"}" * 5000])
@pytest.mark.parametrize("path", ["/signup", "/login", "/v1/tasks", "/account/api-keys"])
def test_absurd_nesting_is_400(client: Client, browser: Browser, raw: bytes, path: str) -> None:
    key = make_key(browser, ["admin"])["key"]
    headers = {"Authorization": f"Bearer {key}", "X-CSRF-Token": browser.csrf or ""}
    cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
    response = raw_post(client, path, raw, {**headers, "Cookie": cookie})
    assert response.status_code == 400, (path, response.status_code, response.body[:200])
    assert body_of(response)["error"] == "invalid_request"


@pytest.mark.parametrize("path", [
    "/v1/tasks/%ED%A0%80", "/v1/tasks/a%00b", "/v1/tasks?cursor=%ED%A0%80",
    "/v1/tasks?limit=%00", "/v1/tasks?cursor=%00", "/v1/api-keys/%ED%A0%80",
])
def test_hostile_query_and_path_parameters_are_4xx(client: Client, browser: Browser, path: str) -> None:
    key = make_key(browser, ["admin"])["key"]
    for method in ("GET", "DELETE", "PATCH"):
        response = client.http.request(method, path, headers={**JSON, "Authorization": f"Bearer {key}"},
                                       body=b"{}")
        assert 400 <= response.status_code < 500, (method, path, response.status_code, response.body)


@pytest.mark.parametrize("path", ["/account/api-keys/%ED%A0%80", "/account/sessions/a%00b",
                                  "/account/oauth-clients/%ED%A0%80", "/settings/%ED%A0%80"])
def test_hostile_path_parameters_in_the_session_area_are_4xx(browser: Browser, path: str) -> None:
    for method in ("GET", "DELETE"):
        response = browser.request(method, path)
        assert 400 <= response.status_code < 500, (method, path, response.status_code)


def test_form_post_with_nul_and_bad_percent_encoding_is_4xx(client: Client, browser: Browser) -> None:
    cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
    form = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    for raw in (b"label=a%00b&scopes=read&csrf_token=" + (browser.csrf or "").encode(),
                b"label=%ED%A0%80&scopes=read&csrf_token=" + (browser.csrf or "").encode(),
                b"csrf_token=%ED%A0%80"):
        response = client.http.post("/account/api-keys", body=raw, headers=form)
        assert 400 <= response.status_code < 500, (raw, response.status_code, response.body)


@pytest.mark.parametrize("name", ["🔐" * 300, "x" * 5000, "..%2f..%2fapp.py", "a%00b.css"])
def test_static_names_that_cannot_be_files_are_404(client: Client, name: str) -> None:
    response = client.http.get(f"/static/{name}")
    assert response.status_code == 404
