"""Friendly error pages on HTML routes, and the security headers every page carries."""

from __future__ import annotations

from typing import Any

import pytest
from chalice.test import Client

from chalicelib.dashboard import error_page
from chalicelib.settings import get_settings
from chalicelib.store import db
from tests.conftest import Browser
from tests.dashboard.pages import get, submit, well_formed


def test_every_page_carries_the_security_headers(client: Client, browser: Browser) -> None:
    anonymous = Browser(client)
    for who, path in ((anonymous, "/login"), (anonymous, "/signup"), (browser, "/settings/api"),
                      (browser, "/settings/security"), (browser, "/settings/nope")):
        page = well_formed(get(who, path))
        csp = page.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert page.headers["Referrer-Policy"] == "no-referrer"
        assert page.headers["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in page.headers  # plain http on loopback


def test_hsts_outside_loopback(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TASKFORGE_ISSUER", "https://auth.example.com")
    get_settings.cache_clear()
    try:
        answer = client.http.get("/login")
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert answer.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Secure" in answer.headers["Set-Cookie"]


def test_static_files_are_served_and_cacheable(client: Client) -> None:
    script = client.http.get("/static/app.js")
    assert script.status_code == 200 and script.headers["Content-Type"].startswith("text/javascript")
    assert "public" in script.headers["Cache-Control"] and b"data-copy" in script.body
    for name in ("nope.js", "..%2Fapp.py", "app.py"):
        assert client.http.get(f"/static/{name}").status_code == 404


def test_unknown_settings_page_is_a_friendly_404(browser: Browser) -> None:
    page = well_formed(get(browser, "/settings/billing"))
    assert page.status == 404 and "Page not found" in page.text and "Back to TaskForge" in page.text


def test_store_failure_is_a_503_page_not_a_sign_in_form(browser: Browser,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    csrf = get(browser, "/settings/api").csrf
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9")
    db.client.cache_clear()
    try:
        fields = {"csrf_token": csrf, "label": "x", "scopes": "read"}
        answers = [get(browser, "/settings/security"), submit(browser, "/settings/api/keys", fields)]
    finally:
        monkeypatch.undo()
        db.client.cache_clear()
    for page in answers:
        assert page.status == 503 and page.headers["Retry-After"] == "1"
        assert "Temporarily unavailable" in page.text


@pytest.mark.parametrize("status, error, title", [
    (400, "invalid_request", "That didn't work"), (401, "unauthorized", "Please sign in"),
    (403, "invalid_csrf_token", "Not allowed"), (404, "not_found", "Page not found"),
    (500, "server_error", "Something went wrong"),
    (503, "temporarily_unavailable", "Temporarily unavailable"),
])
def test_error_pages_say_what_happened_and_what_to_do(status: int, error: str, title: str) -> None:
    context: dict[str, Any] = error_page.context(status, error, "details")
    assert context["title"] == title and context["advice"]
    assert context["sign_in"] is (status == 401)
