"""Five wrong codes lock the second factor for 15 minutes: 429 with Retry-After."""

from __future__ import annotations

from chalice.test import Client

from chalicelib.store import db
from tests.conftest import Browser, body_of
from tests.twofactor.conftest import Enrolled, password_step, totp_code, wrong_code


def test_five_wrong_codes_then_429_even_for_the_right_code(client: Client, enrolled: Enrolled) -> None:
    browser = Browser(client)
    password_step(browser, enrolled.account)
    for _ in range(5):
        wrong = browser.post("/login/2fa", {"code": wrong_code(enrolled.secret)})
        assert wrong.status_code == 401 and body_of(wrong)["error"] == "invalid_code"
    locked = browser.post("/login/2fa", {"code": totp_code(enrolled.secret, 1)})
    assert locked.status_code == 429 and body_of(locked)["error"] == "rate_limited"
    assert 840 <= int(locked.headers["Retry-After"]) <= 900
    assert "minutes" in body_of(locked)["error_description"]
    assert "tf_session" not in browser.cookies
    # The lock is on the account's second factor, not on this attempt or page.
    also = enrolled.browser.post("/account/2fa/disable", {"code": enrolled.backup_codes[0]})
    assert also.status_code == 429
    events = [e["type"] for e in db.query_all(f"AUDIT#{enrolled.account.workspace_id}")]
    assert events.count("twofactor.locked") == 1


def test_lock_ends_after_its_time(client: Client, enrolled: Enrolled) -> None:
    browser = Browser(client)
    password_step(browser, enrolled.account)
    for _ in range(5):
        browser.post("/login/2fa", {"code": wrong_code(enrolled.secret)})
    assert browser.post("/login/2fa", {"code": "123456"}).status_code == 429
    db.update(f"USER#{enrolled.account.user_id}", "PROFILE", "SET mfa_locked_until = :past",
              vals={":past": 1})  # as if 15 minutes had passed
    assert browser.post("/login/2fa", {"code": totp_code(enrolled.secret, 1)}).status_code == 200


def test_a_correct_code_resets_the_count(client: Client, enrolled: Enrolled) -> None:
    browser = enrolled.browser
    for _ in range(4):
        assert browser.post("/account/2fa/disable", {"code": wrong_code(enrolled.secret)}).status_code == 401
    regenerated = browser.post("/account/2fa/backup-codes", {"code": enrolled.backup_codes[0]})
    assert regenerated.status_code == 200
    for _ in range(4):
        assert browser.post("/account/2fa/disable", {"code": wrong_code(enrolled.secret)}).status_code == 401
    assert browser.post("/account/2fa/disable", {"code": totp_code(enrolled.secret, 1)}).status_code == 204


def test_failures_older_than_the_window_are_forgotten(enrolled: Enrolled) -> None:
    browser = enrolled.browser
    for _ in range(4):
        browser.post("/account/2fa/disable", {"code": wrong_code(enrolled.secret)})
    db.update(f"USER#{enrolled.account.user_id}", "PROFILE", "SET mfa_failed_since = :old",
              vals={":old": 1})  # the four failures began long ago
    for _ in range(4):
        assert browser.post("/account/2fa/disable", {"code": wrong_code(enrolled.secret)}).status_code == 401
    assert browser.post("/account/2fa/disable", {"code": totp_code(enrolled.secret, 1)}).status_code == 204


def test_bad_input_does_not_count_as_a_failure(client: Client, enrolled: Enrolled) -> None:
    browser = Browser(client)
    password_step(browser, enrolled.account)
    for _ in range(6):
        assert browser.post("/login/2fa", {"code": "12345"}).status_code == 400
    assert browser.post("/login/2fa", {"code": totp_code(enrolled.secret, 1)}).status_code == 200
