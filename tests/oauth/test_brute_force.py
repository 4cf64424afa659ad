"""Lockouts at the OAuth endpoints: client secrets cannot be guessed, authorize cannot be enumerated."""

from __future__ import annotations

from tests.conftest import Browser, body_of
from tests.oauth.conftest import OAuthClient, exchange, get_code, introspect, token_request

BAD_CODE = {"grant_type": "authorization_code", "code": "x", "redirect_uri": "http://127.0.0.1:9/cb"}


def test_ten_wrong_secrets_lock_out_wrong_secrets_but_never_the_right_one(
        client, browser: Browser, confidential: OAuthClient):
    wrong = OAuthClient(confidential.client_id, "not-the-secret", confidential.redirect_uri, "confidential")
    answers = [token_request(browser, wrong, BAD_CODE).status_code
               for _ in range(10)]
    assert answers == [401] * 10
    locked = token_request(browser, wrong, BAD_CODE)
    assert locked.status_code == 429
    assert body_of(locked)["error"] == "rate_limited"
    assert 890 <= int(locked.headers["Retry-After"]) <= 900
    assert locked.headers["Cache-Control"] == "no-store"
    # Issue 14, finding 5: anyone can send wrong secrets for a client id; the owner keeps working.
    assert exchange(browser, confidential, get_code(browser, confidential)).status_code == 200
    assert introspect(browser, confidential, "anything").status_code == 200
    events = [e["type"] for e in body_of(browser.get("/account/audit-events"))["events"]]
    assert "oauth.client_locked" in events


def test_unknown_client_ids_are_locked_too(client, browser: Browser):
    ghost = OAuthClient("cli_doesnotexist0000", "guess", "http://127.0.0.1:9/cb", "confidential")
    for _ in range(10):
        assert token_request(browser, ghost, BAD_CODE).status_code == 401
    assert token_request(browser, ghost, BAD_CODE).status_code == 429


def test_enumerating_clients_at_authorize_locks_the_source_ip(client, browser: Browser):
    for index in range(50):
        page = browser.get(f"/oauth/authorize?response_type=code&client_id=cli_guess{index:04d}")
        assert page.status_code == 400
    locked = browser.get("/oauth/authorize?response_type=code&client_id=cli_guess")
    assert locked.status_code == 429
    assert "text/html" in locked.headers["Content-Type"]
    assert int(locked.headers["Retry-After"]) >= 1
