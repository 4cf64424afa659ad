"""Five wrong codes lock the second factor for 15 minutes: 429 with Retry-After."""

from __future__ import annotations

import time
from typing import Any

from chalice.test import Client

from chalicelib.store import db, mfa_lockout
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


class _Racers:
    """Other requests, as DynamoDB sees them: before each of our next `rounds` counter writes,
    one correct code clears the window (or another request starts one)."""

    def __init__(self, user_id: str, rounds: int) -> None:
        self.key = {"pk": {"S": f"USER#{user_id}"}, "sk": {"S": "PROFILE"}}
        self.left = rounds
        self.busy = False

    def __call__(self, params: dict[str, Any], **_: Any) -> None:
        if self.busy or self.left <= 0 or params.get("Key") != self.key:
            return
        self.busy, self.left = True, self.left - 1
        try:
            if "ADD mfa_failures" in params["UpdateExpression"]:
                expression, values = "REMOVE mfa_failures, mfa_failed_since", None
            else:
                expression, values = "SET mfa_failures = :one, mfa_failed_since = :now", {
                    ":one": {"N": "1"}, ":now": {"N": str(int(time.time()))}}
            db.client().update_item(TableName=db.table(), Key=self.key, UpdateExpression=expression,
                                    **({"ExpressionAttributeValues": values} if values else {}))
        finally:
            self.busy = False


def test_a_correct_code_racing_other_correct_codes_is_counted_not_locked(enrolled: Enrolled) -> None:
    # Four tabs confirming at once: each correct code clears the window the others count into.
    # Six lost rounds in a row (three cleared windows, three lost starts) still end in a count.
    racers = _Racers(enrolled.account.user_id, rounds=6)
    events = db.client().meta.events
    events.register("before-parameter-build.dynamodb.UpdateItem", racers, unique_id="racers")
    try:
        count = mfa_lockout.reserve_attempt(enrolled.account.user_id, int(time.time()), 900, 5)
    finally:
        events.unregister("before-parameter-build.dynamodb.UpdateItem", unique_id="racers")
    assert racers.left == 0
    assert count == 2  # counted inside the window the last racer started


def test_no_fresh_window_opens_under_a_lock_set_meanwhile(enrolled: Enrolled) -> None:
    # A request passed the lock check just before a racing request locked the second factor
    # (which empties the counter): it must not start a new window and get a guess.
    now = int(time.time())
    assert mfa_lockout.reserve_attempt(enrolled.account.user_id, now, 900, 5) == 1
    db.update(f"USER#{enrolled.account.user_id}", "PROFILE",
              "SET mfa_locked_until = :until REMOVE mfa_failures, mfa_failed_since",
              vals={":until": now + 900})
    assert mfa_lockout.reserve_attempt(enrolled.account.user_id, now, 900, 5) is None
    refused = enrolled.browser.post("/account/2fa/disable", {"code": totp_code(enrolled.secret, 1)})
    assert refused.status_code == 429
