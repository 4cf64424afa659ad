"""2FA confirmation whose transaction landed but whose answer was lost is a success, not a 503."""

from __future__ import annotations

from chalicelib.store import db
from tests.conftest import Account, Browser, body_of
from tests.faults import failing
from tests.lost_answers import answer_lost
from tests.twofactor.conftest import secret_from, totp_code


def start(browser: Browser) -> str:
    started = browser.post("/account/2fa/totp")
    assert started.status_code == 200, started.body
    return secret_from(body_of(started)["otpauth_uri"])


def test_a_confirmation_that_landed_answers_200_with_the_stored_backup_codes(
        browser: Browser, account: Account) -> None:
    secret = start(browser)
    with answer_lost("TransactWriteItems") as lost:
        answer = browser.post("/account/2fa/totp/confirm", {"code": totp_code(secret)})
    assert lost == ["TransactWriteItems"]
    assert answer.status_code == 200, answer.body
    assert body_of(browser.get("/account"))["two_factor_enabled"] is True
    # The codes shown are the ones stored: one of them turns 2FA off again.
    backup = body_of(answer)["backup_codes"][0]
    assert browser.post("/account/2fa/disable", {"code": backup}).status_code == 204


def test_a_confirmation_that_did_not_land_stays_a_503_and_2fa_stays_off(
        browser: Browser, account: Account) -> None:
    secret = start(browser)
    with failing("timeout", "TransactWriteItems"):
        answer = browser.post("/account/2fa/totp/confirm", {"code": totp_code(secret)})
    assert answer.status_code == 503 and body_of(answer)["error"] == "temporarily_unavailable"
    assert body_of(browser.get("/account"))["two_factor_enabled"] is False
    user = db.get(f"USER#{account.user_id}", "PROFILE", consistent=True)
    assert user is not None and "backup_set_id" not in user
