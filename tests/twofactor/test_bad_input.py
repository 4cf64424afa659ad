"""Bad input on every two-factor route: a clear 400 (never a 401 or 500).

Each test walks a list of bad inputs against one enrolled account, which also
shows that bad input never counts towards the lockout.
"""

from __future__ import annotations

import json

from chalice.test import Client

from tests.conftest import Browser, body_of
from tests.twofactor.conftest import Enrolled, password_step, totp_code

BAD_CODES = [
    ("", "empty"),
    ("   ", "empty"),
    ("12345", "exactly 6 digits"),
    ("1234567", "exactly 6 digits"),
    ("12345a", "neither"),
    ("١٢٣٤٥٦", "only the digits 0-9"),  # Arabic-Indic digits: str.isdigit() is True
    ("１２３４５６", "only the digits 0-9"),  # fullwidth digits
    ("abcd-efgh!", "neither"),
    ("9" * 65, "too long"),
    (123456, "must be a string"),
    (["123456"], "must be a string"),
    (None, "is required"),
]
ROUTES = ["/login/2fa", "/account/2fa/totp", "/account/2fa/totp/confirm", "/account/2fa/disable",
          "/account/2fa/backup-codes"]
MALFORMED = [
    (b"{not json", "application/json", "not valid JSON"),
    (b"[1, 2]", "application/json", "must be an object"),
    (b"\xff\xfe", "application/json", "not valid JSON"),
    (json.dumps({"code": "1" * 70_000}).encode(), "application/json", "64 KiB"),
    (b"code=1&code=2", "application/x-www-form-urlencoded", "more than once"),
]


def pending_browser(client: Client, enrolled: Enrolled) -> Browser:
    browser = Browser(client)
    password_step(browser, enrolled.account)
    return browser


def test_login_2fa_refuses_bad_codes(client: Client, enrolled: Enrolled) -> None:
    browser = pending_browser(client, enrolled)
    for code, message in BAD_CODES:
        answer = browser.post("/login/2fa", {"code": code})
        assert answer.status_code == 400, code
        assert body_of(answer)["error"] == "invalid_request"
        assert message in body_of(answer)["error_description"], code
    missing = browser.post("/login/2fa", {})
    assert missing.status_code == 400 and "'code' is required" in body_of(missing)["error_description"]
    assert browser.post("/login/2fa", {"code": totp_code(enrolled.secret, 1)}).status_code == 200


def test_settings_routes_refuse_bad_codes(enrolled: Enrolled) -> None:
    for path in ("/account/2fa/disable", "/account/2fa/backup-codes"):
        for code, message in BAD_CODES:
            answer = enrolled.browser.post(path, {"code": code})
            assert answer.status_code == 400 and message in body_of(answer)["error_description"], code
    assert enrolled.browser.post("/account/2fa/disable", {"code": totp_code(enrolled.secret, 1)}) \
        .status_code == 204


def test_confirm_refuses_bad_codes(browser: Browser) -> None:
    browser.post("/account/2fa/totp")
    for code in ["12345", "abcdefgh", "abcd-efgh", "١٢٣٤٥٦", "", None, 123456]:
        answer = browser.post("/account/2fa/totp/confirm", {"code": code})
        assert answer.status_code == 400 and body_of(answer)["error"] == "invalid_request", code


def test_malformed_bodies_are_400(client: Client, enrolled: Enrolled) -> None:
    pending = pending_browser(client, enrolled)
    for path in ROUTES:
        browser = pending if path == "/login/2fa" else enrolled.browser
        for raw, content_type, message in MALFORMED:
            answer = browser.post(path, raw=raw, headers={"Content-Type": content_type,
                                                          "X-CSRF-Token": browser.csrf or ""})
            assert answer.status_code == 400, (path, raw[:20])
            assert message in answer.body.decode(), (path, raw[:20])
            if content_type == "application/json":
                assert body_of(answer)["error"] == "invalid_request"


def test_unsupported_content_type_is_refused(client: Client, enrolled: Enrolled) -> None:
    for path in ROUTES:
        answer = enrolled.browser.post(path, raw=b"code=123456",
                                       headers={"Content-Type": "text/plain", "X-CSRF-Token": "x"})
        assert 400 <= answer.status_code < 500, path


def test_missing_cookies_and_headers(client: Client, enrolled: Enrolled) -> None:
    stranger = Browser(client)
    assert stranger.post("/login/2fa", {"code": "123456"}).status_code == 401
    no_csrf = Browser(client)
    no_csrf.cookies = dict(enrolled.browser.cookies)
    answer = no_csrf.post("/account/2fa/disable", {"code": "123456"})
    assert answer.status_code == 403 and body_of(answer)["error"] == "invalid_csrf_token"
