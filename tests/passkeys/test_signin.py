"""Signing in with a passkey: passwordless at /login/passkey, and as the second factor at /login/2fa."""

from __future__ import annotations

import pytest
from chalice.test import Client
from webauthn.helpers import bytes_to_base64url

from tests.conftest import Account, Browser, body_of, make_account
from tests.passkeys.authenticator import SoftAuthenticator
from tests.passkeys.conftest import (
    add_passkey,
    event_types,
    passkey_sign_in,
    passkeys_of,
    sign_in_options,
)
from tests.twofactor.conftest import Enrolled, password_step, totp_code


def test_passwordless_sign_in(client: Client, browser: Browser, account: Account,
                              authenticator: SoftAuthenticator) -> None:
    assert add_passkey(browser, authenticator).status_code == 201
    signed_in, answer = passkey_sign_in(client, authenticator)
    assert answer.status_code == 200, answer.body
    assert body_of(answer)["csrf_token"] and body_of(answer)["next"] == "/settings/api"
    assert "tf_session" in signed_in.cookies
    me = signed_in.get("/account")
    assert me.status_code == 200 and body_of(me)["user_id"] == account.user_id
    [passkey] = passkeys_of(signed_in)
    assert passkey["last_used_at"] is not None
    assert "signin.succeeded" in event_types(signed_in)


def test_options_ask_for_any_discoverable_key_with_user_verification(client: Client) -> None:
    browser = Browser(client)
    options = sign_in_options(browser)
    assert options["rpId"] == "localhost" and options["userVerification"] == "required"
    assert options.get("allowCredentials", []) == []
    assert "tf_passkey" in browser.cookies


def test_passkey_sign_in_skips_the_second_factor(client: Client, enrolled: Enrolled,
                                                 authenticator: SoftAuthenticator) -> None:
    assert add_passkey(enrolled.browser, authenticator).status_code == 201
    signed_in, answer = passkey_sign_in(client, authenticator)
    assert answer.status_code == 200 and "tf_session" in signed_in.cookies
    assert signed_in.get("/account").status_code == 200


def test_next_is_kept_for_same_origin_paths_only(client: Client, browser: Browser,
                                                 authenticator: SoftAuthenticator) -> None:
    add_passkey(browser, authenticator)
    for sent, kept in (("/oauth/authorize?client_id=x", "/oauth/authorize?client_id=x"),
                       ("https://evil.example.com/", "/settings/api"), ("//evil", "/settings/api")):
        other = Browser(client)
        credential = authenticator.get(sign_in_options(other))
        answer = other.post("/login/passkey", {"credential": credential, "next": sent})
        assert body_of(answer)["next"] == kept


def refused(answer: object, error: str = "invalid_credentials") -> None:
    assert answer.status_code == 401 if error == "invalid_credentials" else 400, answer.body  # type: ignore[attr-defined]
    assert body_of(answer)["error"] == error
    assert "tf_session" not in str(answer.headers.get("Set-Cookie"))  # type: ignore[attr-defined]


def test_refused_assertions(client: Client, browser: Browser, account: Account,
                            authenticator: SoftAuthenticator) -> None:
    add_passkey(browser, authenticator)
    for knobs in ({"origin": "https://evil.example.com"}, {"origin": "http://127.0.0.1:8000"},
                  {"rp_id": "evil.example.com"}, {"uv": False},
                  {"challenge": "A" * 43}, {"user_handle": b"usr_someone_else"}):
        _, answer = passkey_sign_in(client, authenticator, **knobs)
        refused(answer)
    assert passkeys_of(browser)[0]["last_used_at"] is None


def test_tampered_signature_and_client_data(client: Client, browser: Browser,
                                            authenticator: SoftAuthenticator) -> None:
    add_passkey(browser, authenticator)
    other = Browser(client)
    credential = authenticator.get(sign_in_options(other))
    credential["response"]["signature"] = credential["response"]["signature"][:-4] + "AAAA"
    refused(other.post("/login/passkey", {"credential": credential}))
    other = Browser(client)
    options = sign_in_options(other)
    credential = authenticator.get(options)
    forged = authenticator.get(options, origin="https://evil.example.com")
    credential["response"]["clientDataJSON"] = forged["response"]["clientDataJSON"]
    refused(other.post("/login/passkey", {"credential": credential}))


def test_unknown_credential(client: Client) -> None:
    stranger = SoftAuthenticator()
    stranger.create({"challenge": "AAAA", "user": {"id": "dXNy"}})
    _, answer = passkey_sign_in(client, stranger)
    refused(answer)


def test_replayed_assertion(client: Client, browser: Browser, authenticator: SoftAuthenticator) -> None:
    add_passkey(browser, authenticator)
    other = Browser(client)
    credential = authenticator.get(sign_in_options(other))
    assert other.post("/login/passkey", {"credential": credential}).status_code == 200
    again = Browser(client)
    again.cookies = {k: v for k, v in other.cookies.items() if k == "tf_passkey"}
    refused(again.post("/login/passkey", {"credential": credential}), "invalid_challenge")
    refused(Browser(client).post("/login/passkey", {"credential": credential}), "invalid_challenge")


def test_a_counter_that_goes_backwards_is_refused_and_audited(
        client: Client, browser: Browser, authenticator: SoftAuthenticator) -> None:
    add_passkey(browser, authenticator)
    assert passkey_sign_in(client, authenticator)[1].status_code == 200
    assert passkey_sign_in(client, authenticator)[1].status_code == 200
    _, answer = passkey_sign_in(client, authenticator, count=1)  # a clone still at 1
    refused(answer)
    assert "went backwards" in body_of(answer)["error_description"]
    assert "passkey.counter_regressed" in event_types(browser)


def test_authenticators_without_a_counter_keep_working(client: Client, browser: Browser) -> None:
    synced = SoftAuthenticator(counts_up=False)  # sign count always 0, like synced passkeys
    add_passkey(browser, synced)
    assert passkey_sign_in(client, synced)[1].status_code == 200
    assert passkey_sign_in(client, synced)[1].status_code == 200


def test_a_removed_passkey_no_longer_signs_in(client: Client, browser: Browser,
                                              authenticator: SoftAuthenticator) -> None:
    pid = body_of(add_passkey(browser, authenticator))["id"]
    assert browser.delete(f"/account/passkeys/{pid}").status_code == 204
    refused(passkey_sign_in(client, authenticator)[1])


def second_factor(browser: Browser, authenticator: SoftAuthenticator, **knobs: object) -> object:
    options = browser.post("/login/2fa/passkey/options", {})
    assert options.status_code == 200, options.body
    credential = authenticator.get(body_of(options), **knobs)  # type: ignore[arg-type]
    return browser.post("/login/2fa", {"credential": credential})


def test_passkey_as_second_factor(client: Client, enrolled: Enrolled,
                                  authenticator: SoftAuthenticator) -> None:
    add_passkey(enrolled.browser, authenticator)
    browser = Browser(client)
    password_step(browser, enrolled.account)
    options = body_of(browser.post("/login/2fa/passkey/options", {}))
    assert options["userVerification"] == "preferred"
    assert [c["id"] for c in options["allowCredentials"]] == [
        bytes_to_base64url(k) for k in authenticator.keys]
    answer = browser.post("/login/2fa", {"credential": authenticator.get(options, uv=False)})
    assert answer.status_code == 200, answer.body
    assert set(body_of(answer)) == {"csrf_token"}
    browser.csrf = body_of(answer)["csrf_token"]
    assert browser.get("/account").status_code == 200


def test_second_factor_options_need_the_pending_sign_in(client: Client) -> None:
    answer = Browser(client).post("/login/2fa/passkey/options", {})
    assert answer.status_code == 401


def test_another_accounts_passkey_is_refused_at_the_second_step(
        client: Client, enrolled: Enrolled) -> None:
    make_account(client, "eve@example.com")
    eve = Browser(client)
    eve.login("eve@example.com")
    eves_key = SoftAuthenticator()
    add_passkey(eve, eves_key)
    browser = Browser(client)
    password_step(browser, enrolled.account)
    refused(second_factor(browser, eves_key))
    # The pending sign-in is kept: the right code still finishes it.
    done = browser.post("/login/2fa", {"code": totp_code(enrolled.secret, 1)})
    assert done.status_code == 200, done.body


def test_second_factor_challenge_is_single_use(client: Client, enrolled: Enrolled,
                                               authenticator: SoftAuthenticator) -> None:
    add_passkey(enrolled.browser, authenticator)
    browser = Browser(client)
    password_step(browser, enrolled.account)
    options = body_of(browser.post("/login/2fa/passkey/options", {}))
    bad = authenticator.get(options, origin="https://evil.example.com")
    refused(browser.post("/login/2fa", {"credential": bad}))
    refused(browser.post("/login/2fa", {"credential": authenticator.get(options)}), "invalid_challenge")


def test_sign_in_options_and_failures_are_limited_per_ip(client: Client, browser: Browser,
                                                         authenticator: SoftAuthenticator,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.settings import get_settings

    monkeypatch.setenv("TASKFORGE_LOGIN_IP_LIMIT", "3")
    get_settings.cache_clear()
    add_passkey(browser, authenticator)
    for _ in range(3):
        _, answer = passkey_sign_in(client, authenticator, origin="https://evil.example.com")
        refused(answer)
    locked = Browser(client).post("/login/passkey", {"credential": {}})
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    stranger = Browser(client)
    answers = [stranger.post("/login/passkey/options", {}).status_code for _ in range(2)]
    assert answers == [429, 429]  # locked out: no more challenges for this IP either


def test_sign_in_options_are_rate_limited_per_ip(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.settings import get_settings

    monkeypatch.setenv("TASKFORGE_LOGIN_IP_LIMIT", "3")
    get_settings.cache_clear()
    answers = [Browser(client).post("/login/passkey/options", {}) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert body_of(answers[-1])["error"] == "rate_limited" and answers[-1].headers["Retry-After"]
