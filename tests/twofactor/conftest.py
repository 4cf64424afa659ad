"""Two-factor fixtures: a signed-in browser with TOTP enrolled, and code helpers.

Codes are made for explicit time steps with pyotp (never by sleeping). Tests
use the current step and the next one: both stay inside the ±1 window even if
a 30-second boundary passes mid-test.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest

from tests.conftest import Account, Browser, body_of


def secret_from(uri: str) -> str:
    return parse_qs(urlsplit(uri).query)["secret"][0]


def totp_code(secret: str, offset: int = 0) -> str:
    """The code for the time step `offset` steps from now."""
    return pyotp.TOTP(secret).at(time.time() + offset * 30)


def wrong_code(secret: str) -> str:
    """A 6-digit code that matches no step in the accepted window."""
    window = {totp_code(secret, offset) for offset in range(-2, 3)}
    return next(c for c in ("000000", "111111", "222222", "333333", "444444", "555555")
                if c not in window)


@dataclass
class Enrolled:
    browser: Browser
    account: Account
    secret: str
    backup_codes: list[str]


def enrol(browser: Browser, account: Account) -> Enrolled:
    started = browser.post("/account/2fa/totp")
    assert started.status_code == 200, started.body
    secret = secret_from(body_of(started)["otpauth_uri"])
    confirmed = browser.post("/account/2fa/totp/confirm", {"code": totp_code(secret)})
    assert confirmed.status_code == 200, confirmed.body
    return Enrolled(browser, account, secret, body_of(confirmed)["backup_codes"])


@pytest.fixture
def enrolled(browser: Browser, account: Account) -> Enrolled:
    return enrol(browser, account)


def password_step(browser: Browser, account: Account) -> None:
    """POST /login with the password: 2FA is on, so only a pending sign-in starts."""
    answer = browser.login(account.email)
    assert answer.status_code == 200 and body_of(answer)["mfa_required"] is True
