"""POST /login with 2FA on, then POST /login/2fa (JSON): pending sign-in, replay, backup codes."""

from __future__ import annotations

from typing import Any

from chalice.test import Client

from chalicelib import tokens
from chalicelib.store import db
from tests.conftest import Browser, body_of
from tests.twofactor.conftest import Enrolled, password_step, totp_code, wrong_code


def set_cookies(response: Any) -> list[str]:
    values = response.headers.get("Set-Cookie") or []
    return [values] if isinstance(values, str) else list(values)


def fresh(client: Client, enrolled: Enrolled) -> Browser:
    """A second browser that has only typed the password."""
    browser = Browser(client)
    password_step(browser, enrolled.account)
    return browser


def finish(browser: Browser, code: str) -> Any:
    answer = browser.post("/login/2fa", {"code": code})
    if answer.status_code == 200:
        browser.csrf = body_of(answer)["csrf_token"]
    return answer


def test_password_alone_gives_only_a_pending_cookie(client: Client, enrolled: Enrolled) -> None:
    browser = Browser(client)
    answer = browser.post("/login", {"email": enrolled.account.email,
                                     "password": "correct horse battery staple"})
    assert answer.status_code == 200
    body = body_of(answer)
    assert body["mfa_required"] is True and body["csrf_token"]
    (cookie,) = set_cookies(answer)
    assert cookie.startswith("tf_pending=")
    for attribute in ("HttpOnly", "SameSite=Lax", "Path=/login", "Max-Age=300"):
        assert attribute in cookie
    assert "tf_session" not in browser.cookies
    assert browser.get("/account").status_code == 401


def test_current_code_completes_sign_in(client: Client, enrolled: Enrolled) -> None:
    browser = fresh(client, enrolled)
    answer = finish(browser, totp_code(enrolled.secret, 1))
    assert answer.status_code == 200 and set(body_of(answer)) == {"csrf_token"}
    (cookie,) = set_cookies(answer)
    assert cookie.startswith("tf_session=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    account = browser.get("/account")
    assert account.status_code == 200 and body_of(account)["two_factor_enabled"] is True
    assert browser.post("/logout").status_code == 204  # the new CSRF token works


def test_a_code_is_accepted_once(client: Client, enrolled: Enrolled) -> None:
    code = totp_code(enrolled.secret, 1)
    assert finish(fresh(client, enrolled), code).status_code == 200
    replay = finish(fresh(client, enrolled), code)
    assert replay.status_code == 401 and body_of(replay)["error"] == "invalid_code"
    assert "already been used" in body_of(replay)["error_description"]


def test_an_earlier_step_is_refused_after_a_later_one(client: Client, enrolled: Enrolled) -> None:
    assert finish(fresh(client, enrolled), totp_code(enrolled.secret, 1)).status_code == 200
    earlier = finish(fresh(client, enrolled), totp_code(enrolled.secret, 0))
    if totp_code(enrolled.secret, 0) != totp_code(enrolled.secret, 1):
        assert earlier.status_code == 401


def test_codes_with_spaces_and_dashes_are_normalised(client: Client, enrolled: Enrolled) -> None:
    code = totp_code(enrolled.secret, 1)
    assert finish(fresh(client, enrolled), f" {code[:3]} - {code[3:]} ").status_code == 200


def test_wrong_code_keeps_the_pending_sign_in(client: Client, enrolled: Enrolled) -> None:
    browser = fresh(client, enrolled)
    wrong = finish(browser, wrong_code(enrolled.secret))
    assert wrong.status_code == 401 and body_of(wrong)["error"] == "invalid_code"
    assert "tf_session" not in browser.cookies
    assert finish(browser, totp_code(enrolled.secret, 1)).status_code == 200


def test_backup_code_works_once(client: Client, enrolled: Enrolled) -> None:
    code = enrolled.backup_codes[5]
    assert finish(fresh(client, enrolled), code.upper()).status_code == 200
    again = finish(fresh(client, enrolled), code)
    assert again.status_code == 401 and "backup code" in body_of(again)["error_description"]


def test_pending_sign_in_is_single_use(client: Client, enrolled: Enrolled) -> None:
    browser = fresh(client, enrolled)
    pending = browser.cookies["tf_pending"]
    assert finish(browser, enrolled.backup_codes[0]).status_code == 200
    thief = Browser(client)
    thief.cookies["tf_pending"] = pending
    answer = finish(thief, enrolled.backup_codes[1])
    assert answer.status_code == 401 and body_of(answer)["error"] == "unauthorized"


def test_expired_pending_sign_in_is_refused(client: Client, enrolled: Enrolled) -> None:
    browser = fresh(client, enrolled)
    digest = tokens.digest(browser.cookies["tf_pending"])
    db.update(f"PENDING#{digest}", "PENDING", "SET expires_at = :past", vals={":past": 1})
    answer = finish(browser, totp_code(enrolled.secret, 1))
    assert answer.status_code == 401 and "expired" in body_of(answer)["error_description"]


def test_no_pending_cookie_is_401(client: Client) -> None:
    answer = Browser(client).post("/login/2fa", {"code": "123456"})
    assert answer.status_code == 401 and body_of(answer)["error"] == "unauthorized"


def test_pending_record_is_stored_as_a_digest(client: Client, enrolled: Enrolled) -> None:
    browser = fresh(client, enrolled)
    token = browser.cookies["tf_pending"]
    item = db.get(f"PENDING#{tokens.digest(token)}", "PENDING", consistent=True)
    assert item is not None and token not in repr(item)
    assert item["expires_at"] - item["created_at"] == 300 and item["ttl"] == item["expires_at"]


def test_json_with_a_wrong_csrf_header_is_refused(client: Client, enrolled: Enrolled) -> None:
    browser = fresh(client, enrolled)
    answer = browser.post("/login/2fa", {"code": "123456"}, headers={"X-CSRF-Token": "forged"})
    assert answer.status_code == 403 and body_of(answer)["error"] == "invalid_csrf_token"


def test_json_without_csrf_header_is_accepted(client: Client, enrolled: Enrolled) -> None:
    browser = fresh(client, enrolled)
    browser.csrf = None
    assert finish(browser, totp_code(enrolled.secret, 1)).status_code == 200


def test_login_without_2fa_is_unchanged(client: Client, account: Any) -> None:
    answer = Browser(client).login(account.email)
    assert answer.status_code == 200 and body_of(answer)["mfa_required"] is False
    assert any(c.startswith("tf_session=") for c in set_cookies(answer))
