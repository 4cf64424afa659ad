"""Refused registrations: each a clear 4xx JSON error, and nothing stored."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.conftest import Browser, body_of
from tests.passkeys.authenticator import SoftAuthenticator
from tests.passkeys.conftest import add_passkey, creation_options, passkeys_of


def refused(browser: Browser, answer: Any, status: int, error: str) -> None:
    assert answer.status_code == status, answer.body
    body = body_of(answer)
    assert body["error"] == error and body["error_description"]
    assert passkeys_of(browser) == []


@pytest.mark.parametrize("knobs", [
    {"origin": "https://evil.example.com"},
    {"origin": "http://127.0.0.1:8000"},  # browsers refuse an IP origin; so do we
    {"rp_id": "evil.example.com"},
    {"uv": False},  # user verification is required: the passkey must also sign in alone
], ids=["wrong-origin", "ip-origin", "wrong-rp-id", "no-user-verification"])
def test_unverifiable_registration(browser: Browser, authenticator: SoftAuthenticator,
                                   knobs: dict[str, Any]) -> None:
    refused(browser, add_passkey(browser, authenticator, **knobs), 400, "invalid_passkey")


def test_tampered_client_data(browser: Browser, authenticator: SoftAuthenticator) -> None:
    credential = authenticator.create(creation_options(browser))
    client_data = json.loads(base64.urlsafe_b64decode(credential["response"]["clientDataJSON"] + "=="))
    client_data["challenge"] = "A" * 43
    credential["response"]["clientDataJSON"] = base64.urlsafe_b64encode(
        json.dumps(client_data).encode()).decode().rstrip("=")
    refused(browser, browser.post("/account/passkeys", {"credential": credential}), 400, "invalid_passkey")


def test_replayed_response_finds_its_challenge_spent(browser: Browser,
                                                     authenticator: SoftAuthenticator) -> None:
    credential = authenticator.create(creation_options(browser))
    assert browser.post("/account/passkeys", {"credential": credential}).status_code == 201
    again = browser.post("/account/passkeys", {"credential": credential})
    assert again.status_code == 400 and body_of(again)["error"] == "invalid_challenge"
    assert len(passkeys_of(browser)) == 1


def test_a_failed_answer_spends_the_challenge(browser: Browser, authenticator: SoftAuthenticator) -> None:
    options = creation_options(browser)
    bad = authenticator.create(options, origin="https://evil.example.com")
    assert browser.post("/account/passkeys", {"credential": bad}).status_code == 400
    good = authenticator.create(options)
    refused(browser, browser.post("/account/passkeys", {"credential": good}), 400, "invalid_challenge")


def test_no_options_asked_first(browser: Browser, authenticator: SoftAuthenticator) -> None:
    credential = authenticator.create({"challenge": "A" * 43, "user": {"id": "dXNy"}})
    refused(browser, browser.post("/account/passkeys", {"credential": credential}), 400,
            "invalid_challenge")


@pytest.mark.parametrize("credential", [
    None, "a string", 42, [], {}, {"id": "x"},
    {"id": "not base64!", "rawId": "not base64!", "type": "public-key",
     "response": {"clientDataJSON": "%%%", "attestationObject": "%%%"}},
    {"id": "AAAA", "rawId": "AAAA", "type": "public-key",
     "response": {"clientDataJSON": "AAAA", "attestationObject": "AAAA"}},
    {"id": "AAAA", "rawId": "AAAA", "type": "other", "response": {}},
    {"id": "A" * 2000, "rawId": "A" * 2000, "type": "public-key", "response": {}},
    {"id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": "nope"},
    {"id": "\ud800", "rawId": "\ud800", "type": "public-key", "response": {}},
], ids=["missing", "string", "number", "list", "empty", "no-rawId", "bad-base64url", "garbage-cbor",
        "wrong-type", "huge-id", "response-not-object", "lone-surrogate"])
def test_malformed_credentials(browser: Browser, credential: Any) -> None:
    creation_options(browser)
    body = {} if credential is None else {"credential": credential}
    answer = browser.post("/account/passkeys", body)
    assert 400 <= answer.status_code < 500, answer.body
    assert body_of(answer)["error"] in ("invalid_request", "invalid_passkey", "invalid_challenge")
    assert passkeys_of(browser) == []


@pytest.mark.parametrize("raw", [b"{", b"[]", b"\xff\xfe", b'{"credential": "' + b"A" * 70_000 + b'"}',
                                 b"[" * 5000 + b"]" * 5000],
                         ids=["truncated", "array", "not-utf8", "over-64KiB", "deep-nesting"])
def test_malformed_bodies(browser: Browser, raw: bytes) -> None:
    for path in ("/account/passkeys", "/account/passkeys/options", "/login/passkey",
                 "/login/passkey/options"):
        answer = browser.request("POST", path, raw=raw, headers={"Content-Type": "application/json"})
        assert answer.status_code == 400, (path, answer.body)
        assert body_of(answer)["error"] == "invalid_request"
    assert passkeys_of(browser) == []


def test_wrong_content_type_is_a_4xx(browser: Browser) -> None:
    answer = browser.request("POST", "/account/passkeys", raw=b"credential=x",
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert 400 <= answer.status_code < 500 and body_of(answer)["error"]
