"""DynamoDB fails (throttled, timed out, unreachable) under the authorizer, the token endpoint,
key creation and the rate limiter. Never an allow; never a half-done write; always a clear
503 `temporarily_unavailable` with Retry-After (or a Deny from the gateway authorizer)."""

from __future__ import annotations

from typing import Any

import pytest
from chalice.test import Client

from chalicelib.settings import get_settings
from chalicelib.store import db
from tests.conftest import Browser, body_of
from tests.faults import KINDS, error, failing, item_key, items
from tests.keys import assert_gateway_refusal, call, make_key
from tests.oauth.conftest import OAuthClient, exchange, get_code, refresh, register, tokens_for
from tests.test_gateway_authorizer import KINDS as EVENT_KINDS
from tests.test_gateway_authorizer import assert_denied, event


def unavailable(answer: Any) -> None:
    assert answer.status_code == 503, answer.body
    assert int(answer.headers["Retry-After"]) >= 1
    assert body_of(answer)["error"] == "temporarily_unavailable"


@pytest.fixture
def confidential(browser: Browser) -> OAuthClient:
    return register(browser, "confidential")


# ------------------------------------------------------------------ the authorizer

@pytest.mark.parametrize("kind", KINDS)
def test_api_key_authorizer_never_allows_when_its_read_fails(client: Client, browser: Browser,
                                                             kind: str) -> None:
    key = make_key(browser, ["admin"])["key"]
    with failing(kind, "GetItem") as failed:
        answer = call(client, "GET", "/v1/me", key)
    assert failed == ["GetItem"]
    # API Gateway's answer when an authorizer fails: 503 + Retry-After, never the route.
    assert_gateway_refusal(answer.status_code, answer.headers, answer.body, "AUTHORIZER_CONFIGURATION_ERROR")
    unavailable(answer)


@pytest.mark.parametrize("kind", KINDS)
def test_jwt_authorizer_never_allows_when_the_grant_read_fails(client: Client, browser: Browser,
                                                               confidential: OAuthClient, kind: str) -> None:
    access_token = tokens_for(browser, confidential)["access_token"]
    with failing(kind, "GetItem", only=lambda p: item_key(p).startswith("GRANT#")) as failed:
        answer = call(client, "GET", "/v1/me", access_token)
    assert failed == ["GetItem"]
    unavailable(answer)
    assert "principal_type" not in answer.body.decode()


@pytest.mark.parametrize("event_kind", EVENT_KINDS)
@pytest.mark.parametrize("kind", KINDS)
def test_gateway_authorizer_denies_when_the_store_fails(browser: Browser, kind: str, event_kind: str) -> None:
    from chalicelib.routes import gate

    key = make_key(browser, ["read"])["key"]
    with failing(kind, "GetItem") as failed:
        answer = gate.gateway_authorizer(event(event_kind, f"Bearer {key}"), None)
    assert failed == ["GetItem"]
    assert_denied(event_kind, answer)


# ------------------------------------------------------------------ the rate limiter

@pytest.mark.parametrize("kind", KINDS)
def test_limiter_failure_is_a_503_and_the_route_never_runs(client: Client, browser: Browser,
                                                           kind: str) -> None:
    key = make_key(browser, ["write"])["key"]
    call(client, "GET", "/v1/me", key)  # last_used_at written: the next request's only write is the counter
    with failing(kind, "UpdateItem", only=lambda p: item_key(p).startswith("RL#")) as failed:
        answer = call(client, "POST", "/v1/tasks", key, {"title": "must not be created"})
    assert failed == ["UpdateItem"]
    unavailable(answer)
    assert "X-RateLimit-Remaining" not in answer.headers
    assert all(item.get("title") != "must not be created" for item in items(""))


# ------------------------------------------------------------------ key creation

@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("path", ["/account/api-keys", "/v1/api-keys"])
def test_a_key_is_never_returned_unless_stored(client: Client, browser: Browser, kind: str,
                                               path: str) -> None:
    admin = make_key(browser, ["admin"])["key"]
    call(client, "GET", "/v1/me", admin)
    before = {i["id"] for i in items("APIKEY#")}
    body = {"label": "lost", "scopes": ["read"]}
    with failing(kind, "PutItem", only=lambda p: item_key(p).startswith("APIKEY#")) as failed:
        answer = (browser.post(path, body) if path.startswith("/account")
                  else call(client, "POST", path, admin, body))
    assert failed == ["PutItem"]
    unavailable(answer)
    assert "tfk_" not in answer.body.decode()
    assert {i["id"] for i in items("APIKEY#")} == before


def test_a_lost_audit_write_still_returns_the_stored_key(client: Client, browser: Browser, capsys) -> None:
    with failing("throttled", "PutItem", only=lambda p: item_key(p).startswith("AUDIT#")) as failed:
        created = make_key(browser, ["read"])
    assert failed == ["PutItem"]
    assert created["id"] in {i["id"] for i in items("APIKEY#")}
    assert call(client, "GET", "/v1/me", created["key"]).status_code == 200
    assert '"event":"audit_write_failed"' in capsys.readouterr().out


# ------------------------------------------------------------------ the token endpoint

def _grant_writes(params: dict[str, Any]) -> bool:
    return item_key(params).startswith("GRANT#")


@pytest.mark.parametrize("kind", KINDS)
def test_a_code_whose_redemption_fails_is_a_503_and_still_works(browser: Browser, confidential: OAuthClient,
                                                               kind: str) -> None:
    code = get_code(browser, confidential)
    with failing(kind, "UpdateItem", only=_grant_writes) as failed:
        answer = exchange(browser, confidential, code)
    assert failed == ["UpdateItem"]
    unavailable(answer)
    assert answer.headers["Cache-Control"] == "no-store"
    [grant] = items("GRANT#")  # still pending: the code is not spent
    assert "redeemed_at" not in grant and "refresh_digest" not in grant
    retried = exchange(browser, confidential, code)  # the store is back: the same code still works
    assert retried.status_code == 200, retried.body


@pytest.mark.parametrize("kind", KINDS)
def test_a_refresh_token_is_not_spent_unless_its_successor_is_stored(browser: Browser,
                                                                     confidential: OAuthClient,
                                                                     kind: str) -> None:
    first = tokens_for(browser, confidential)
    grant_before = items("GRANT#")
    # The rotation is one conditional write: the grant's update to the successor's digest.
    with failing(kind, "UpdateItem", only=_grant_writes) as failed:
        answer = refresh(browser, confidential, first["refresh_token"])
    assert failed == ["UpdateItem"]
    unavailable(answer)
    assert answer.headers["Cache-Control"] == "no-store"
    # The grant still names the presented token.
    assert [g["refresh_digest"] for g in items("GRANT#")] == [g["refresh_digest"] for g in grant_before]
    retried = refresh(browser, confidential, first["refresh_token"])  # not a reuse: the grant lives on
    assert retried.status_code == 200, retried.body
    assert items("GRANT#")[0].get("revoked_at") is None


@pytest.mark.parametrize("kind", KINDS)
def test_token_endpoint_reads_failing_is_a_503(browser: Browser, confidential: OAuthClient,
                                               kind: str) -> None:
    code = get_code(browser, confidential)
    with failing(kind, "GetItem"):
        answer = exchange(browser, confidential, code)
    unavailable(answer)
    assert all("redeemed_at" not in grant for grant in items("GRANT#"))


# ------------------------------------------------------------------ nothing listening at all

def test_a_closed_endpoint_fails_closed_everywhere(client: Client, browser: Browser,
                                                   confidential: OAuthClient, monkeypatch) -> None:
    key = make_key(browser, ["admin"])["key"]
    first = tokens_for(browser, confidential)
    code = get_code(browser, confidential)
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9")  # discard port: nothing listens
    db.client.cache_clear()
    try:
        answers = {"authorizer": call(client, "GET", "/v1/me", key),
                   "jwt": call(client, "GET", "/v1/me", first["access_token"]),
                   "key creation": browser.post("/account/api-keys", {"label": "x", "scopes": ["read"]}),
                   "code exchange": exchange(browser, confidential, code),
                   "refresh": refresh(browser, confidential, first["refresh_token"])}
    finally:
        monkeypatch.delenv("AWS_ENDPOINT_URL_DYNAMODB")
        db.client.cache_clear()
    for answer in answers.values():
        unavailable(answer)
    assert refresh(browser, confidential, first["refresh_token"]).status_code == 200
    assert exchange(browser, confidential, code).status_code == 200


def test_a_timeout_after_the_rotation_landed_is_retried_within_the_grace_period(
        browser: Browser, confidential: OAuthClient, monkeypatch) -> None:
    """The ambiguous failure: DynamoDB applied the rotation but the answer never arrived. The
    grant names the successor only this request made, so the answer is a success, not a 503;
    and a client that retries anyway (its own timeout) within TASKFORGE_REFRESH_GRACE_SECONDS
    is not taken for a reuse (which would end the grant)."""
    monkeypatch.setenv("TASKFORGE_REFRESH_GRACE_SECONDS", "30")
    get_settings.cache_clear()
    first = tokens_for(browser, confidential)

    def lost_answer(**_: Any) -> None:
        raise error("timeout", "UpdateItem")

    before = items("GRANT#")[0]["refresh_digest"]
    events = db.client().meta.events
    events.register("after-call.dynamodb.UpdateItem", lost_answer, unique_id="lost-answer")
    try:
        landed = refresh(browser, confidential, first["refresh_token"])
    finally:
        events.unregister("after-call.dynamodb.UpdateItem", unique_id="lost-answer")
    assert landed.status_code == 200, landed.body
    assert items("GRANT#")[0]["refresh_digest"] != before  # the rotation did land
    retried = refresh(browser, confidential, first["refresh_token"])
    assert retried.status_code == 200, retried.body
    assert items("GRANT#")[0].get("revoked_at") is None
