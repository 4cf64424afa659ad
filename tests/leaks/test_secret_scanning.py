"""POST /secret-scanning/github through the whole app (chalice.test.Client, moto)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib import tokens
from chalicelib.apikeys import keyformat
from tests.conftest import Browser, body_of
from tests.keys import assert_gateway_refusal, call, dynamodb_calls, make_key
from tests.leaks.conftest import alert, answer, configure
from tests.leaks.signer import Signer, report

URL = "https://github.com/octo/demo/blob/main/config.py"


def leak(browser: Browser, github: Signer, *tokens_found: Any, **fields: Any) -> Any:
    body = report(*tokens_found, **fields)
    return alert(browser, body, github.headers(body))


def events(browser: Browser, kind: str) -> list[dict[str, Any]]:
    return [e for e in body_of(browser.get("/account/audit-events"))["events"] if e["type"] == kind]


def listed(browser: Browser, key_id: str) -> dict[str, Any]:
    return next(k for k in body_of(browser.get("/account/api-keys"))["api_keys"] if k["id"] == key_id)


def works(browser: Browser, key: str) -> bool:
    return int(call(browser.client, "GET", "/v1/me", key).status_code) == 200


def test_a_leaked_key_is_revoked_at_once_and_says_why(browser: Browser, github: Signer) -> None:
    created = make_key(browser, ["admin"])
    assert works(browser, created["key"])
    response = leak(browser, github, created["key"], url=URL, source="commit")
    assert response.status_code == 200
    assert answer(response) == [{"token_raw": created["key"], "token_type": "taskforge_api_key",
                                 "label": "true_positive"}]
    refused = call(browser.client, "GET", "/v1/me", created["key"])
    assert_gateway_refusal(refused.status_code, refused.headers, refused.body)
    key = listed(browser, created["id"])
    assert key["status"] == "revoked" and key["revoked_reason"] == "leaked"
    assert key["leak_url"] == URL and key["leak_source"] == "commit"
    (event,) = events(browser, "credential.leaked")
    assert event["object_id"] == created["id"] and event["actor"] == "github-secret-scanning"
    assert event["details"]["url"] == URL and event["details"]["source"] == "commit"
    assert event["details"]["credential_type"] == "api_key"
    assert created["key"] not in json.dumps(event)


def test_the_same_report_twice_revokes_once_and_answers_the_same(browser: Browser, github: Signer) -> None:
    created = make_key(browser, ["read"])
    body = report(created["key"], "tfk_not-ours")
    first = alert(browser, body, github.headers(body))
    again = alert(browser, body, github.headers(body))
    assert first.status_code == again.status_code == 200
    assert answer(first) == answer(again)
    assert [a["label"] for a in answer(again)] == ["true_positive", "false_positive"]
    assert len(events(browser, "credential.leaked")) == 1


def test_one_token_many_times_is_one_look_up_and_one_answer_each(browser: Browser, github: Signer) -> None:
    created = make_key(browser, ["read"])
    with dynamodb_calls() as calls:
        response = leak(browser, github, *[created["key"]] * 50)
    assert [a["label"] for a in answer(response)] == ["true_positive"] * 50
    # One revocation; the notice to the workspace reads its owner and the owner's email (2 GetItem).
    assert calls["BatchGetItem"] == 1 and calls["UpdateItem"] == 1 and calls["GetItem"] == 2
    assert len(events(browser, "credential.leaked")) == 1


def test_strings_that_are_not_ours_cost_no_store_read(browser: Browser, github: Signer) -> None:
    live = make_key(browser, ["read"])["key"]
    wrong_checksum = live[:-1] + ("A" if live[-1] != "A" else "B")
    not_ours = [wrong_checksum, "ghp_" + "a" * 36, "tfk_short", live.upper(), "tfr_" + live[4:], "é" * 42]
    with dynamodb_calls() as calls:
        response = leak(browser, github, *not_ours)
    assert [a["label"] for a in answer(response)] == ["false_positive"] * len(not_ours)
    assert sum(calls.values()) == 0
    assert works(browser, live)


def test_ours_but_unknown_expired_or_already_revoked_is_a_false_positive(
        browser: Browser, github: Signer) -> None:
    unknown = keyformat.new_key()
    revoked = make_key(browser, ["read"])
    assert browser.delete(f"/account/api-keys/{revoked['id']}").status_code == 204
    with dynamodb_calls() as calls:
        response = leak(browser, github, unknown, revoked["key"])
    assert [a["label"] for a in answer(response)] == ["false_positive", "false_positive"]
    assert dict(calls) == {"BatchGetItem": 1}  # both keys in one read, nothing written
    assert listed(browser, revoked["id"])["revoked_reason"] is None
    assert events(browser, "credential.leaked") == []


def test_a_leaked_refresh_token_ends_its_grant(browser: Browser, github: Signer) -> None:
    from tests.oauth.conftest import refresh, register, tokens_for

    client = register(browser)
    issued = tokens_for(browser, client, scope="read")
    assert works(browser, issued["access_token"])
    response = leak(browser, github, issued["refresh_token"], kind="taskforge_refresh_token")
    assert answer(response) == [{"token_raw": issued["refresh_token"],
                                 "token_type": "taskforge_refresh_token", "label": "true_positive"}]
    assert not works(browser, issued["access_token"])
    assert body_of(refresh(browser, client, issued["refresh_token"]))["error"] == "invalid_grant"
    (event,) = events(browser, "credential.leaked")
    assert event["details"]["credential_type"] == "refresh_token"
    assert event["details"]["client_id"] == client.client_id
    assert [e["details"]["reason"] for e in events(browser, "oauth.grant_revoked")] == ["leaked"]
    assert answer(leak(browser, github, issued["refresh_token"]))[0]["label"] == "true_positive"
    assert len(events(browser, "credential.leaked")) == 1



def test_a_leaked_spent_refresh_token_ends_its_grant_and_a_look_alike_ends_nothing(
        browser: Browser, github: Signer) -> None:
    """A spent token of the grant leaked: whoever holds it may hold the current one too. A
    token with a valid checksum and a made-up family leads to no grant: false_positive."""
    from chalicelib.credentials import REFRESH_TOKENS
    from tests.oauth.conftest import refresh, register, tokens_for

    client = register(browser)
    spent = tokens_for(browser, client, scope="read")
    current = json.loads(refresh(browser, client, spent["refresh_token"]).body)
    look_alike = REFRESH_TOKENS.issue("F" * REFRESH_TOKENS.FAMILY_CHARS)
    response = leak(browser, github, look_alike, kind="taskforge_refresh_token")
    assert [a["label"] for a in answer(response)] == ["false_positive"]
    assert works(browser, current["access_token"]) and events(browser, "credential.leaked") == []
    response = leak(browser, github, spent["refresh_token"], kind="taskforge_refresh_token")
    assert [a["label"] for a in answer(response)] == ["true_positive"]
    assert not works(browser, current["access_token"])
    assert body_of(refresh(browser, client, current["refresh_token"]))["error"] == "invalid_grant"


ID, SIG = "Github-Public-Key-Identifier", "Github-Public-Key-Signature"
BAD_HEADERS = {
    "none": lambda key_id, sig: {},
    "no signature": lambda key_id, sig: {ID: key_id},
    "no key id": lambda key_id, sig: {SIG: sig},
    "not base64": lambda key_id, sig: {ID: key_id, SIG: "not base64!"},
    "not DER": lambda key_id, sig: {ID: key_id, SIG: "AAAA"},
    "unknown key id": lambda key_id, sig: {ID: "unknown", SIG: sig},
    "oversized signature": lambda key_id, sig: {ID: key_id, SIG: sig * 300},
    "non-ascii key id": lambda key_id, sig: {ID: key_id + "\u00e9", SIG: sig},
    "empty values": lambda key_id, sig: {ID: "", SIG: ""},
}


@pytest.mark.parametrize("case", list(BAD_HEADERS))
def test_a_missing_or_bad_signature_is_401_and_touches_nothing(
        browser: Browser, github: Signer, case: str) -> None:
    created = make_key(browser, ["read"])
    body = report(created["key"])
    headers = BAD_HEADERS[case](github.key_id, github.sign(body))
    with dynamodb_calls() as calls:
        response = alert(browser, body, {"Content-Type": "application/json", **headers})
    assert response.status_code == 401
    assert answer(response)["error"] == "invalid_signature"
    assert sum(calls.values()) == 0
    assert works(browser, created["key"])


def test_a_signature_over_other_bytes_or_by_another_key_is_401(browser: Browser, github: Signer) -> None:
    created = make_key(browser, ["read"])
    body = report(created["key"])
    other_body = report(created["key"], url="https://github.com/octo/other")
    assert alert(browser, body, github.headers(other_body)).status_code == 401
    stranger = Signer.new()
    forged = {**stranger.headers(body), "Github-Public-Key-Identifier": github.key_id}
    assert alert(browser, body, forged).status_code == 401
    assert alert(browser, body, stranger.headers(body)).status_code == 401  # its id is unknown too
    assert works(browser, created["key"])


def test_a_key_of_the_document_that_is_not_current_still_verifies(
        browser: Browser, monkeypatch: pytest.MonkeyPatch) -> None:
    current, previous = Signer.new(), Signer.new()
    configure(monkeypatch, current.document(previous))
    created = make_key(browser, ["read"])
    body = report(created["key"])
    assert answer(alert(browser, body, previous.headers(body)))[0]["label"] == "true_positive"
    configure(monkeypatch, None)


def test_without_keys_configured_the_endpoint_is_404(
        browser: Browser, monkeypatch: pytest.MonkeyPatch) -> None:
    configure(monkeypatch, None)
    signer = Signer.new()
    created = make_key(browser, ["read"])
    body = report(created["key"])
    response = alert(browser, body, signer.headers(body))
    assert response.status_code == 404 and answer(response)["error"] == "not_found"
    assert works(browser, created["key"])


def signed_bodies(key: str) -> dict[str, bytes]:
    entry = {"token": key, "type": "t", "url": URL, "source": "content"}
    return {
        "not json": b"[{not json",
        "invalid utf-8": b'[{"token": "\xed\xa0\x80"}]',
        "an object": json.dumps(entry).encode(),
        "a string": b'"tfk_"',
        "empty": b"",
        "too many entries": json.dumps([entry] * 1001).encode(),
        "an entry not an object": json.dumps([entry, key]).encode(),
        "a number token": json.dumps([entry, {**entry, "token": 42}]).encode(),
        "a null token": json.dumps([entry, {**entry, "token": None}]).encode(),
        "a list url": json.dumps([entry, {**entry, "url": [URL]}]).encode(),
        "no token": json.dumps([entry, {"type": "t"}]).encode(),
        "a lone surrogate": json.dumps([entry, {**entry, "token": "\ud800"}]).encode(),
        "a lone surrogate url": json.dumps([entry, {**entry, "url": "https://x/\udfff"}]).encode(),
        "a NUL": json.dumps([entry, {**entry, "source": "a\x00b"}]).encode(),
        "a huge token": json.dumps([entry, {**entry, "token": "x" * 5000}]).encode(),
        "deep nesting": b"[" * 100_000 + b"]" * 100_000,
        "over 1 MiB": json.dumps([{**entry, "url": "https://x/" + "a" * 2000}] * 600).encode(),
    }


@pytest.mark.parametrize("case", list(signed_bodies("k")))
def test_a_signed_but_malformed_report_is_400_and_revokes_nothing(
        browser: Browser, github: Signer, case: str) -> None:
    created = make_key(browser, ["read"])
    body = signed_bodies(created["key"])[case]
    response = alert(browser, body, github.headers(body))
    assert response.status_code == 400, response.body
    assert answer(response)["error"] == "invalid_request"
    assert works(browser, created["key"])
    assert events(browser, "credential.leaked") == []


def test_the_largest_report_is_answered(browser: Browser, github: Signer) -> None:
    created = make_key(browser, ["read"])
    found = [created["key"]] + [tokens.new_token("tfk_")[:-1] + "!" for _ in range(999)]
    response = leak(browser, github, *found)
    labels = [a["label"] for a in answer(response)]
    assert labels == ["true_positive"] + ["false_positive"] * 999
    assert [a["token_raw"] for a in answer(response)] == found


def test_unicode_and_empty_fields_are_answered(browser: Browser, github: Signer) -> None:
    body = json.dumps([{"token": "日本語 token"}, {"token": "tfk_x", "type": "", "url": "", "source": ""}],
                      ensure_ascii=False).encode()
    response = alert(browser, body, github.headers(body))
    assert answer(response) == [
        {"token_raw": "日本語 token", "token_type": "", "label": "false_positive"},
        {"token_raw": "tfk_x", "token_type": "", "label": "false_positive"}]
