"""Adding, listing, renaming and removing passkeys through the JSON routes."""

from __future__ import annotations

import json

import pytest
from chalice.test import Client
from webauthn.helpers import bytes_to_base64url

from tests.conftest import Account, Browser, body_of, make_account
from tests.passkeys.authenticator import SoftAuthenticator
from tests.passkeys.conftest import add_passkey, creation_options, event_types, passkeys_of


def test_creation_options_ask_for_a_resident_verified_key_without_attestation(
        browser: Browser, account: Account) -> None:
    options = creation_options(browser)
    assert options["rp"] == {"id": "localhost", "name": "TaskForge"}
    assert options["attestation"] == "none"
    assert options["authenticatorSelection"]["residentKey"] == "required"
    assert options["authenticatorSelection"]["userVerification"] == "required"
    assert options["user"]["id"] == bytes_to_base64url(account.user_id.encode())
    assert options["user"]["name"] == account.email
    assert len(options["challenge"]) >= 43  # 32 random bytes


def test_add_list_rename_remove(browser: Browser, authenticator: SoftAuthenticator) -> None:
    added = add_passkey(browser, authenticator, name="  Work   laptop ")
    assert added.status_code == 201, added.body
    created = body_of(added)
    assert created["name"] == "Work laptop" and created["id"].startswith("pky_")
    [listed] = passkeys_of(browser)
    assert listed["id"] == created["id"] and listed["last_used_at"] is None
    assert listed["created_at"] > 0 and listed["transports"] == ["internal"]
    assert "public_key" not in listed and "credential_id" not in listed

    renamed = browser.request("PATCH", f"/account/passkeys/{created['id']}", {"name": "Phone"})
    assert renamed.status_code == 200 and body_of(renamed)["name"] == "Phone"
    assert passkeys_of(browser)[0]["name"] == "Phone"

    removed = browser.delete(f"/account/passkeys/{created['id']}")
    assert removed.status_code == 204
    assert passkeys_of(browser) == []
    assert browser.delete(f"/account/passkeys/{created['id']}").status_code == 404
    types = event_types(browser)
    assert "passkey.added" in types and "passkey.removed" in types


def test_several_passkeys_and_the_second_options_exclude_the_first(
        browser: Browser, authenticator: SoftAuthenticator) -> None:
    assert add_passkey(browser, authenticator).status_code == 201
    phone = SoftAuthenticator()
    assert add_passkey(browser, phone).status_code == 201
    names = [p["name"] for p in passkeys_of(browser)]
    assert names == ["Passkey 1", "Passkey 2"]
    excluded = creation_options(browser)["excludeCredentials"]
    expected = {bytes_to_base64url(k) for k in [*authenticator.keys, *phone.keys]}
    assert {e["id"] for e in excluded} == expected


def test_another_users_passkey_is_not_found(client: Client, browser: Browser,
                                            authenticator: SoftAuthenticator) -> None:
    mine = body_of(add_passkey(browser, authenticator))["id"]
    other = Browser(client)
    make_account(client, "eve@example.com")
    assert other.login("eve@example.com").status_code == 200
    assert other.delete(f"/account/passkeys/{mine}").status_code == 404
    assert other.request("PATCH", f"/account/passkeys/{mine}", {"name": "mine"}).status_code == 404
    assert passkeys_of(other) == []
    assert passkeys_of(browser)[0]["name"] == "Passkey 1"


def test_a_credential_id_registers_once_across_accounts(client: Client, browser: Browser,
                                                        authenticator: SoftAuthenticator) -> None:
    assert add_passkey(browser, authenticator, credential_id=b"shared-id").status_code == 201
    other = Browser(client)
    make_account(client, "eve@example.com")
    other.login("eve@example.com")
    again = add_passkey(other, SoftAuthenticator(), credential_id=b"shared-id")
    assert again.status_code == 409 and body_of(again)["error"] == "passkey_exists"
    assert passkeys_of(other) == []


def test_routes_need_a_session_and_the_csrf_token(client: Client, browser: Browser) -> None:
    stranger = Browser(client)
    assert stranger.post("/account/passkeys/options", {}).status_code == 401
    assert stranger.get("/account/passkeys").status_code == 401
    token, browser.csrf = browser.csrf, None
    answer = browser.post("/account/passkeys/options", {})
    assert answer.status_code == 403 and body_of(answer)["error"] == "invalid_csrf_token"
    browser.csrf = token


def test_the_challenge_is_bound_to_the_session(client: Client, browser: Browser,
                                               account: Account,
                                               authenticator: SoftAuthenticator) -> None:
    credential = authenticator.create(creation_options(browser))
    second = Browser(client)
    second.login(account.email)
    answer = second.post("/account/passkeys", {"credential": credential})
    assert answer.status_code == 400 and body_of(answer)["error"] == "invalid_challenge"
    assert passkeys_of(second) == []


def test_rename_refuses_blank_and_overlong_names(browser: Browser,
                                                 authenticator: SoftAuthenticator) -> None:
    pid = body_of(add_passkey(browser, authenticator))["id"]
    for name in ("", "   ", "x" * 65, 7, None, "a\x00b", "\ud800", ["list"]):
        answer = browser.request("PATCH", f"/account/passkeys/{pid}", {"name": name})
        assert answer.status_code == 400, name
    assert passkeys_of(browser)[0]["name"] == "Passkey 1"
    unicode = browser.request("PATCH", f"/account/passkeys/{pid}", {"name": "Téléphone 📱"})
    assert unicode.status_code == 200 and passkeys_of(browser)[0]["name"] == "Téléphone 📱"


def test_a_bad_name_at_registration_stores_nothing(browser: Browser,
                                                   authenticator: SoftAuthenticator) -> None:
    answer = add_passkey(browser, authenticator, name="\ud800")
    assert answer.status_code == 400 and body_of(answer)["error"] == "invalid_request"
    assert passkeys_of(browser) == []


def test_the_options_answer_is_valid_json_for_the_browser(browser: Browser) -> None:
    answer = browser.post("/account/passkeys/options", {})
    assert answer.headers["Content-Type"].startswith("application/json")
    assert json.loads(answer.body)["pubKeyCredParams"]


def test_an_account_holds_a_bounded_number_of_passkeys(
        client: Client, browser: Browser, account: Account, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.passkeys import registration

    monkeypatch.setattr(registration, "MAX_PASSKEYS", 2)
    assert add_passkey(browser, SoftAuthenticator()).status_code == 201
    pending = creation_options(browser)  # asked while there was room for one more
    other_tab = Browser(client)
    other_tab.login(account.email)
    assert add_passkey(other_tab, SoftAuthenticator()).status_code == 201
    full = browser.post("/account/passkeys/options", {})
    assert full.status_code == 409 and body_of(full)["error"] == "too_many_passkeys"
    late = browser.post("/account/passkeys", {"credential": SoftAuthenticator().create(pending)})
    assert late.status_code == 409 and body_of(late)["error"] == "too_many_passkeys"
    assert len(passkeys_of(browser)) == 2
