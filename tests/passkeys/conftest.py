"""Passkey fixtures: a signed-in browser with a software authenticator, and ceremony helpers."""

from __future__ import annotations

from typing import Any

import pytest
from chalice.test import Client

from tests.conftest import Account, Browser, body_of
from tests.passkeys.authenticator import SoftAuthenticator
from tests.twofactor.conftest import Enrolled, enrol


@pytest.fixture
def authenticator() -> SoftAuthenticator:
    return SoftAuthenticator()


@pytest.fixture
def enrolled(browser: Browser, account: Account) -> Enrolled:
    """The signed-in account with TOTP two-factor authentication on."""
    return enrol(browser, account)


def creation_options(browser: Browser) -> dict[str, Any]:
    answer = browser.post("/account/passkeys/options", {})
    assert answer.status_code == 200, answer.body
    options: dict[str, Any] = body_of(answer)
    return options


def add_passkey(browser: Browser, authenticator: SoftAuthenticator, name: str | None = None,
                **knobs: Any) -> Any:
    """Options, the authenticator's answer, POST /account/passkeys: the whole ceremony."""
    credential = authenticator.create(creation_options(browser), **knobs)
    body: dict[str, Any] = {"credential": credential}
    if name is not None:
        body["name"] = name
    return browser.post("/account/passkeys", body)


def passkeys_of(browser: Browser) -> list[dict[str, Any]]:
    answer = browser.get("/account/passkeys")
    assert answer.status_code == 200, answer.body
    items: list[dict[str, Any]] = body_of(answer)["passkeys"]
    return items


def sign_in_options(browser: Browser) -> dict[str, Any]:
    answer = browser.post("/login/passkey/options", {})
    assert answer.status_code == 200, answer.body
    options: dict[str, Any] = body_of(answer)
    return options


def passkey_sign_in(client: Client, authenticator: SoftAuthenticator,
                    **knobs: Any) -> tuple[Browser, Any]:
    """A fresh browser signing in with the passkey alone; the answer of POST /login/passkey."""
    browser = Browser(client)
    credential = authenticator.get(sign_in_options(browser), **knobs)
    answer = browser.post("/login/passkey", {"credential": credential})
    if answer.status_code == 200:
        browser.csrf = body_of(answer)["csrf_token"]
    return browser, answer


def event_types(browser: Browser) -> list[str]:
    answer = browser.get("/account/audit-events")
    assert answer.status_code == 200, answer.body
    return [e["type"] for e in body_of(answer)["events"]]
