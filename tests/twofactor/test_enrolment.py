"""POST /account/2fa/totp, /confirm, /disable, /backup-codes through the JSON API."""

from __future__ import annotations

import re
from typing import Any

from chalicelib.store import db
from tests.conftest import Account, Browser, body_of
from tests.twofactor.conftest import Enrolled, enrol, totp_code, wrong_code

BACKUP_SHAPE = re.compile(r"^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$")


def user_item(account: Account) -> dict[str, Any]:
    item = db.get(f"USER#{account.user_id}", "PROFILE", consistent=True)
    assert item is not None
    return item


def two_factor_on(browser: Browser) -> bool:
    return bool(body_of(browser.get("/account"))["two_factor_enabled"])


def test_start_returns_secret_uri_and_svg_but_2fa_stays_off(browser: Browser, account: Account) -> None:
    answer = browser.post("/account/2fa/totp")
    assert answer.status_code == 200
    body = body_of(answer)
    assert re.fullmatch(r"[A-Z2-7]{32}", body["secret"])  # 160 bits of base32
    assert body["otpauth_uri"] == ("otpauth://totp/TaskForge:ada%40example.com?secret="
                                   f"{body['secret']}&issuer=TaskForge")
    assert body["qr_svg"].startswith("<svg") and "<path" in body["qr_svg"]
    assert two_factor_on(browser) is False


def test_confirm_turns_2fa_on_and_returns_ten_backup_codes(browser: Browser, account: Account) -> None:
    enrolled = enrol(browser, account)
    assert len(enrolled.backup_codes) == 10 and len(set(enrolled.backup_codes)) == 10
    assert all(BACKUP_SHAPE.match(code) for code in enrolled.backup_codes)
    assert two_factor_on(browser) is True


def test_secret_is_encrypted_at_rest(browser: Browser, account: Account) -> None:
    started = body_of(browser.post("/account/2fa/totp"))
    pending = user_item(account)
    assert started["secret"] not in repr(pending)
    browser.post("/account/2fa/totp/confirm", {"code": totp_code(started["secret"])})
    stored = user_item(account)
    assert stored["totp_enabled"] is True
    assert started["secret"] not in repr(stored)
    assert stored["totp_secret"].startswith("v1.")


def test_backup_codes_are_stored_as_argon2_hashes(enrolled: Enrolled) -> None:
    items = db.query_all(f"USER#{enrolled.account.user_id}", sk_prefix="BACKUP#")
    assert len(items) == 10
    dump = repr(items)
    for code in enrolled.backup_codes:
        assert code not in dump and code.replace("-", "") not in dump and code[5:] not in dump
    assert all(item["secret_hash"].startswith("$argon2id$") for item in items)


def test_confirm_with_a_wrong_code_keeps_2fa_off(browser: Browser, account: Account) -> None:
    secret = body_of(browser.post("/account/2fa/totp"))["secret"]
    answer = browser.post("/account/2fa/totp/confirm", {"code": wrong_code(secret)})
    assert answer.status_code == 401 and body_of(answer)["error"] == "invalid_code"
    assert two_factor_on(browser) is False
    assert browser.post("/account/2fa/totp/confirm", {"code": totp_code(secret)}).status_code == 200


def test_confirm_uses_the_latest_secret_after_a_restart(browser: Browser, account: Account) -> None:
    first = body_of(browser.post("/account/2fa/totp"))["secret"]
    second = body_of(browser.post("/account/2fa/totp"))["secret"]
    assert first != second
    stale = browser.post("/account/2fa/totp/confirm", {"code": totp_code(first)})
    assert stale.status_code == 401
    assert browser.post("/account/2fa/totp/confirm", {"code": totp_code(second)}).status_code == 200


def test_confirm_without_start_is_a_conflict(browser: Browser) -> None:
    answer = browser.post("/account/2fa/totp/confirm", {"code": "123456"})
    assert answer.status_code == 409 and body_of(answer)["error"] == "enrolment_not_started"


def test_confirm_refuses_a_backup_code_shape(browser: Browser) -> None:
    browser.post("/account/2fa/totp")
    answer = browser.post("/account/2fa/totp/confirm", {"code": "abcd-efgh"})
    assert answer.status_code == 400 and "6-digit" in body_of(answer)["error_description"]


def test_start_again_while_enabled_is_refused(enrolled: Enrolled) -> None:
    answer = enrolled.browser.post("/account/2fa/totp")
    assert answer.status_code == 409 and body_of(answer)["error"] == "two_factor_enabled"
    assert enrolled.secret not in answer.body.decode()


def test_the_confirming_code_cannot_be_used_again(enrolled: Enrolled) -> None:
    replay = enrolled.browser.post("/account/2fa/disable", {"code": totp_code(enrolled.secret)})
    assert replay.status_code == 401 and "already been used" in body_of(replay)["error_description"]
    assert two_factor_on(enrolled.browser) is True


def test_disable_with_a_current_code(enrolled: Enrolled) -> None:
    answer = enrolled.browser.post("/account/2fa/disable", {"code": totp_code(enrolled.secret, 1)})
    assert answer.status_code == 204
    assert two_factor_on(enrolled.browser) is False
    stored = user_item(enrolled.account)
    assert "totp_secret" not in stored and "backup_set_id" not in stored
    assert db.query_all(f"USER#{enrolled.account.user_id}", sk_prefix="BACKUP#") == []


def test_disable_with_a_backup_code(enrolled: Enrolled) -> None:
    answer = enrolled.browser.post("/account/2fa/disable", {"code": enrolled.backup_codes[3]})
    assert answer.status_code == 204 and two_factor_on(enrolled.browser) is False


def test_disable_with_a_wrong_code_keeps_2fa_on(enrolled: Enrolled) -> None:
    answer = enrolled.browser.post("/account/2fa/disable", {"code": wrong_code(enrolled.secret)})
    assert answer.status_code == 401 and two_factor_on(enrolled.browser) is True


def test_disable_when_off_is_a_conflict(browser: Browser) -> None:
    answer = browser.post("/account/2fa/disable", {"code": "123456"})
    assert answer.status_code == 409 and body_of(answer)["error"] == "two_factor_disabled"


def test_regenerate_voids_the_old_set(enrolled: Enrolled) -> None:
    old = enrolled.backup_codes
    answer = enrolled.browser.post("/account/2fa/backup-codes", {"code": old[0]})
    assert answer.status_code == 200
    new = body_of(answer)["backup_codes"]
    assert len(new) == 10 and not set(new) & set(old)
    refused = enrolled.browser.post("/account/2fa/backup-codes", {"code": old[1]})
    assert refused.status_code == 401
    items = db.query_all(f"USER#{enrolled.account.user_id}", sk_prefix="BACKUP#")
    assert len(items) == 10  # the old set is gone from the table too
    again = enrolled.browser.post("/account/2fa/backup-codes", {"code": new[0]})
    assert again.status_code == 200


def test_regenerate_needs_a_code(enrolled: Enrolled) -> None:
    answer = enrolled.browser.post("/account/2fa/backup-codes", {})
    assert answer.status_code == 400 and "'code' is required" in body_of(answer)["error_description"]


def test_routes_need_a_session_and_csrf(client: Any, enrolled: Enrolled) -> None:
    stranger = Browser(client)
    for path in ("/account/2fa/totp", "/account/2fa/totp/confirm", "/account/2fa/disable",
                 "/account/2fa/backup-codes"):
        assert stranger.post(path, {"code": "123456"}).status_code == 401
        no_csrf = enrolled.browser.post(path, {"code": "123456"}, headers={"X-CSRF-Token": "nope"})
        assert no_csrf.status_code == 403 and body_of(no_csrf)["error"] == "invalid_csrf_token"


def test_audit_events_are_recorded(enrolled: Enrolled) -> None:
    browser = enrolled.browser
    browser.post("/account/2fa/backup-codes", {"code": enrolled.backup_codes[0]})
    browser.post("/account/2fa/disable", {"code": totp_code(enrolled.secret, 1)})
    events = [e for e in db.query_all(f"AUDIT#{enrolled.account.workspace_id}")
              if e["type"].startswith("twofactor.")]
    types = [event["type"] for event in events]
    assert types == ["twofactor.enabled", "twofactor.backup_code_used",
                     "twofactor.backup_codes_regenerated", "twofactor.disabled"]
    assert events[1]["details"] == {"remaining": "9"}
    assert all(event["object_id"] == enrolled.account.user_id for event in events)
    dump = repr(events)
    assert enrolled.secret not in dump and enrolled.backup_codes[0] not in dump
