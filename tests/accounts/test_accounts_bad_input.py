"""Bad input on every accounts-and-email route: a clear 4xx JSON error, never a 5xx."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Browser, body_of

PUBLIC = [("POST", "/password-reset"), ("POST", "/password-reset/confirm"), ("POST", "/verify-email")]
SIGNED_IN = [("POST", "/account/password"), ("POST", "/account/email"), ("POST", "/account/email/confirm"),
             ("POST", "/account/email-verification"), ("DELETE", "/account")]
FIELDS = ["email", "token", "new_password", "current_password", "new_email", "password", "code"]
BODIES = [
    b'{"email": "\\ud800@example.com", "token": "\\ud800", "new_password": "\\udfff", '
    b'"current_password": "\\ud800", "new_email": "\\ud800@example.com", "password": "\\ud800", '
    b'"code": "\\ud800"}',
    b"not json", b"[]", b'"text"', b"{" * 5000 + b"}" * 5000,
    b'{"email": ' + b"[" * 2000 + b"]" * 2000 + b"}",
    json.dumps({name: 12 for name in FIELDS}).encode(), json.dumps({name: None for name in FIELDS}).encode(),
    json.dumps({name: ["x"] for name in FIELDS}).encode(),
    json.dumps({name: "x\u0000y" for name in FIELDS}).encode(),
    json.dumps({name: "é" * 70_000 for name in FIELDS}).encode(),
    json.dumps({name: "名前" * 10 for name in FIELDS}).encode(),
]


@pytest.mark.parametrize("route", PUBLIC + SIGNED_IN, ids=lambda r: f"{r[0]} {r[1]}")
def test_bad_bodies_are_4xx_json(browser: Browser, route: tuple[str, str]) -> None:
    method, path = route
    for raw in BODIES:
        answer = browser.request(method, path, raw=raw, headers={"Content-Type": "application/json"})
        assert 400 <= answer.status_code < 500, (path, raw[:60], answer.status_code, answer.body[:200])
        assert body_of(answer)["error"], answer.body


def test_signed_in_routes_need_a_session_and_csrf(client, browser: Browser) -> None:
    for method, path in SIGNED_IN:
        anonymous = Browser(client).request(method, path, {"password": "x"})
        assert anonymous.status_code == 401, path
        no_csrf = browser.request(method, path, {"password": "x"}, headers={"X-CSRF-Token": "wrong"})
        assert no_csrf.status_code == 403 and body_of(no_csrf)["error"] == "invalid_csrf_token", path


def test_pages_with_odd_tokens_answer_pages(client) -> None:
    for path in ("/password-reset", "/verify-email"):
        for query in ("?token=%ED%A0%80", "?token=" + "a" * 5000, "?token=<script>"):
            answer = client.http.get(path + query)
            assert answer.status_code == 200, (path, query)
            assert b"<script>" not in answer.body
        for query in ("?token=%00",):  # NUL: refused before the route, as a page
            answer = client.http.get(path + query)
            assert answer.status_code == 400, (path, query)
            assert answer.headers["Content-Type"].startswith("text/html")
