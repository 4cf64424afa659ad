"""refresh_token grant: rotation, reuse detection, races, grace period, scope, lifetime (RFC 6749 §6)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from moto.dynamodb.models import DynamoDBBackend

from chalicelib import audit, tokens
from chalicelib.credentials import REFRESH_TOKENS
from chalicelib.errors import ServiceError, Unauthenticated
from chalicelib.oauth import access_tokens, token
from chalicelib.settings import get_settings
from chalicelib.store import db
from tests.conftest import Account, Browser, body_of
from tests.faults import items
from tests.oauth.conftest import (
    OAuthClient,
    basic,
    claims_of,
    grant_of,
    introspect,
    refresh,
    revoke,
    tokens_for,
)


def _ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.body
    return dict(json.loads(response.body))


def _invalid_grant(response: Any) -> None:
    assert response.status_code == 400, response.body
    assert body_of(response)["error"] == "invalid_grant"


def test_refresh_rotates_the_token(browser: Browser, confidential: OAuthClient) -> None:
    first = tokens_for(browser, confidential)
    second = _ok(refresh(browser, confidential, first["refresh_token"]))
    assert second["refresh_token"] != first["refresh_token"] and second["scope"] == "read"
    assert second["token_type"] == "Bearer" and second["expires_in"] == 3600
    assert claims_of(second["access_token"])["sid"] == claims_of(first["access_token"])["sid"]
    third = _ok(refresh(browser, confidential, second["refresh_token"], "post"))
    sid = claims_of(first["access_token"])["sid"]
    assert access_tokens.verify(third["access_token"]).credential_id == sid


def test_public_client_refreshes_with_client_id_only(browser: Browser, public_client: OAuthClient) -> None:
    first = tokens_for(browser, public_client, method="none")
    assert _ok(refresh(browser, public_client, first["refresh_token"], "none"))["refresh_token"]


def test_reused_refresh_token_revokes_the_grant(browser: Browser, account: Account,
                                                confidential: OAuthClient) -> None:
    first = tokens_for(browser, confidential)
    second = _ok(refresh(browser, confidential, first["refresh_token"]))
    _invalid_grant(refresh(browser, confidential, first["refresh_token"]))  # the reuse
    _invalid_grant(refresh(browser, confidential, second["refresh_token"]))  # the whole grant is gone
    with pytest.raises(Unauthenticated):
        access_tokens.verify(second["access_token"])
    events = audit.events(account.workspace_id)["events"]
    reuse = [e for e in events if e["type"] == "oauth.refresh_reuse_detected"]
    assert len(reuse) == 1 and reuse[0]["object_id"] == claims_of(first["access_token"])["sid"]
    assert first["refresh_token"] not in json.dumps(events)


@pytest.mark.parametrize("raw", ["tfr_" + "A" * 38, "tfr_short", "not-a-token", "tfk_" + "A" * 38, "x" * 300])
def test_unknown_or_malformed_refresh_tokens(browser: Browser, confidential: OAuthClient, raw: str) -> None:
    response = refresh(browser, confidential, raw)
    assert response.status_code == 400
    assert body_of(response)["error"] in ("invalid_grant", "invalid_request")


def test_scope_can_narrow_but_never_widen(browser: Browser, confidential: OAuthClient) -> None:
    first = tokens_for(browser, confidential, scope="read write")
    narrowed = _ok(refresh(browser, confidential, first["refresh_token"], scope="read"))
    assert narrowed["scope"] == "read" and claims_of(narrowed["access_token"])["scope"] == "read"
    # RFC 6749 §6: the refresh token keeps the original grant, so the next refresh may ask for it again.
    again = _ok(refresh(browser, confidential, narrowed["refresh_token"]))
    assert again["scope"] == "read write"
    for wider in ("admin", "read write admin", "root", ""):
        response = refresh(browser, confidential, again["refresh_token"], scope=wider)
        if wider == "":
            assert response.status_code == 200  # an empty parameter counts as omitted (§3.1)
            again = body_of(response)
            continue
        assert response.status_code == 400 and body_of(response)["error"] == "invalid_scope"
    assert _ok(refresh(browser, confidential, again["refresh_token"]))["scope"] == "read write"


def test_absolute_lifetime(browser: Browser, confidential: OAuthClient) -> None:
    first = tokens_for(browser, confidential)
    grant = claims_of(first["access_token"])["sid"]
    stored = db.get(f"GRANT#{grant}", "GRANT")
    assert stored is not None
    assert stored["expires_at"] - stored["created_at"] == get_settings().refresh_token_ttl == 30 * 86400
    db.update(f"GRANT#{grant}", "GRANT", "SET expires_at = :past", vals={":past": 1000})
    _invalid_grant(refresh(browser, confidential, first["refresh_token"]))


@pytest.fixture
def atomic_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """DynamoDB applies each write and transaction atomically; moto applies them step by step
    without a lock (and restores a whole-table snapshot when a transaction fails), so threads
    can interleave inside one of them. A lock around moto's backend restores DynamoDB's
    guarantee; our code's reads and conditional writes still race freely."""
    lock = threading.RLock()
    for name in ("get_item", "put_item", "update_item", "delete_item", "transact_write_items", "query"):
        original = getattr(DynamoDBBackend, name)

        def locked(self: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            with lock:
                return _original(self, *args, **kwargs)

        monkeypatch.setattr(DynamoDBBackend, name, locked)


def _race(form: dict[str, list[str]], authorization: str, runners: int = 2) -> list[Any]:
    barrier = threading.Barrier(runners)
    results: list[Any] = [None] * runners

    def run(slot: int) -> None:
        barrier.wait()
        try:
            results[slot] = token.handle(form, authorization)
        except ServiceError as exc:
            results[slot] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(runners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.usefixtures("atomic_store")
@pytest.mark.parametrize("round_", range(3))
def test_racing_refreshes_have_exactly_one_winner(browser: Browser, confidential: OAuthClient,
                                                  round_: int) -> None:
    first = tokens_for(browser, confidential)
    form = {"grant_type": ["refresh_token"], "refresh_token": [first["refresh_token"]]}
    assert confidential.secret
    results = _race(form, basic(confidential.client_id, confidential.secret)["Authorization"])
    winners = [r for r in results if isinstance(r, dict)]
    losers = [r for r in results if isinstance(r, ServiceError)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert losers[0].error == "invalid_grant"
    # The loser presented a token that had just been replaced: a reuse (RFC 9700 §4.14.2).
    assert db.get(f"GRANT#{claims_of(first['access_token'])['sid']}", "GRANT")["revoked_at"]


@pytest.mark.usefixtures("atomic_store")
def test_racing_code_exchanges_have_one_winner_and_revoke(browser: Browser,
                                                          confidential: OAuthClient) -> None:
    from tests.oauth.conftest import REDIRECT, VERIFIER, get_code

    code = get_code(browser, confidential)
    form = {"grant_type": ["authorization_code"], "code": [code], "redirect_uri": [REDIRECT],
            "code_verifier": [VERIFIER]}
    assert confidential.secret
    results = _race(form, basic(confidential.client_id, confidential.secret)["Authorization"])
    winners = [r for r in results if isinstance(r, dict)]
    # One conditional write redeems the code. The other request is a replay (RFC 6749 §4.1.2):
    # it revokes what the code issued.
    assert len(winners) == 1, results
    assert [r.error for r in results if isinstance(r, ServiceError)] == ["invalid_grant"]
    with pytest.raises(Unauthenticated):
        access_tokens.verify(winners[0]["access_token"])
    grant = db.get(f"GRANT#{grant_of(code)}", "GRANT", consistent=True) or {}
    assert grant["revoked_reason"] == "code_replay"


def test_a_replay_before_the_winner_has_answered_revokes_what_it_issued(
        browser: Browser, confidential: OAuthClient) -> None:
    from tests.oauth.conftest import exchange, get_code

    code = get_code(browser, confidential)
    replays: list[Any] = []

    def replay_now(parsed: dict[str, Any], **_: Any) -> None:
        # After the winner's redemption landed (it returns the grant), before its answer is sent.
        redeemed = parsed.get("Attributes", {}).get("redeemed_at")
        if redeemed and not replays:
            replays.append(None)
            replays[0] = exchange(browser, confidential, code)

    events = db.client().meta.events
    events.register("after-call.dynamodb.UpdateItem", replay_now, unique_id="replay-now")
    try:
        winner = exchange(browser, confidential, code)
    finally:
        events.unregister("after-call.dynamodb.UpdateItem", unique_id="replay-now")
    assert replays[0].status_code == 400 and body_of(replays[0])["error"] == "invalid_grant"
    assert "already used" in body_of(replays[0])["error_description"]
    assert winner.status_code == 200, winner.body
    with pytest.raises(Unauthenticated):
        access_tokens.verify(body_of(winner)["access_token"])
    assert refresh(browser, confidential, body_of(winner)["refresh_token"]).status_code == 400
    [grant] = items("GRANT#")
    assert grant["id"] == grant_of(code) and grant["revoked_reason"] == "code_replay"
    assert items("REFRESH#") == [] and items("CODE#") == []
    types = [e["type"] for e in items("AUDIT#")]
    assert "oauth.code_replay_detected" in types and "oauth.grant_revoked" in types


@pytest.fixture
def grace(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TASKFORGE_REFRESH_GRACE_SECONDS", "30")
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("TASKFORGE_REFRESH_GRACE_SECONDS")
    get_settings.cache_clear()


@pytest.mark.usefixtures("grace")
def test_grace_period_lets_a_client_retry(browser: Browser, confidential: OAuthClient) -> None:
    first = tokens_for(browser, confidential)
    lost = _ok(refresh(browser, confidential, first["refresh_token"]))  # the answer the client never saw
    retried = _ok(refresh(browser, confidential, first["refresh_token"]))
    assert retried["refresh_token"] not in (lost["refresh_token"], first["refresh_token"])
    assert _ok(refresh(browser, confidential, retried["refresh_token"]))["access_token"]


@pytest.mark.usefixtures("grace")
def test_reuse_after_the_grace_period_revokes(browser: Browser, confidential: OAuthClient) -> None:
    first = tokens_for(browser, confidential)
    second = _ok(refresh(browser, confidential, first["refresh_token"]))
    # The rotation happened 31 s ago, past the 30 s grace period.
    sid = claims_of(first["access_token"])["sid"]
    db.update(f"GRANT#{sid}", "GRANT", "SET last_used_at = last_used_at - :late", vals={":late": 31})
    _invalid_grant(refresh(browser, confidential, first["refresh_token"]))
    _invalid_grant(refresh(browser, confidential, second["refresh_token"]))


def test_default_grace_is_zero() -> None:
    assert get_settings().refresh_grace_seconds == 0


def test_any_spent_token_of_the_grant_is_a_reuse_however_old(browser: Browser,
                                                              confidential: OAuthClient) -> None:
    first = tokens_for(browser, confidential)
    current = first["refresh_token"]
    for _ in range(12):
        current = _ok(refresh(browser, confidential, current))["refresh_token"]
    _invalid_grant(refresh(browser, confidential, first["refresh_token"]))  # 12 rotations ago
    grant = db.get(f"GRANT#{claims_of(first['access_token'])['sid']}", "GRANT") or {}
    assert grant["revoked_reason"] == "refresh_reuse"
    _invalid_grant(refresh(browser, confidential, current))


def test_a_token_that_is_not_ours_revokes_nothing(browser: Browser, confidential: OAuthClient) -> None:
    """A well-formed token (right checksum) with a made-up family leads to no grant: unknown,
    and nothing is revoked. No family can be made up to lead to a known grant id (`sid`)."""
    first = tokens_for(browser, confidential)
    sid = claims_of(first["access_token"])["sid"]
    forged = REFRESH_TOKENS.issue("F" * REFRESH_TOKENS.FAMILY_CHARS)
    assert REFRESH_TOKENS.well_formed(forged)
    answer = refresh(browser, confidential, forged)
    _invalid_grant(answer)
    assert "Unknown refresh token" in body_of(answer)["error_description"]
    assert body_of(introspect(browser, confidential, forged)) == {"active": False}
    assert revoke(browser, confidential, forged).status_code == 200  # RFC 7009 §2.2: 200 all the same
    assert (db.get(f"GRANT#{sid}", "GRANT") or {}).get("revoked_at") is None
    assert _ok(refresh(browser, confidential, first["refresh_token"]))["access_token"]


def test_a_token_of_the_grant_s_family_that_was_never_current_is_a_reuse(
        browser: Browser, confidential: OAuthClient) -> None:
    """Only a holder of the grant's code or tokens knows its family: a token of that family
    that is not the current one ends the grant, as a spent one does."""
    first = tokens_for(browser, confidential)
    sibling = REFRESH_TOKENS.issue(REFRESH_TOKENS.family(first["refresh_token"]))
    _invalid_grant(refresh(browser, confidential, sibling))
    grant = db.get(f"GRANT#{claims_of(first['access_token'])['sid']}", "GRANT") or {}
    assert grant["revoked_reason"] == "refresh_reuse"


def test_a_refresh_token_of_the_older_format_still_works_once(browser: Browser,
                                                              confidential: OAuthClient) -> None:
    """A token issued before token families: found through its record, rotated (its successor
    recorded the same way), and reuse-detected like any other."""
    first = tokens_for(browser, confidential)
    sid = claims_of(first["access_token"])["sid"]
    legacy = tokens.new_token("tfr_")
    digest = tokens.digest(legacy)
    db.put({"pk": f"REFRESH#{digest}", "sk": "REFRESH", "digest": digest, "grant_id": sid,
            "client_id": confidential.client_id, "issued_at": 1})
    db.update(f"GRANT#{sid}", "GRANT", "SET refresh_digest = :d", vals={":d": digest})
    assert body_of(introspect(browser, confidential, legacy))["active"] is True
    rotated = _ok(refresh(browser, confidential, legacy))
    # The grant's tokens stay of the older format: the successor has its record.
    assert db.get(f"REFRESH#{tokens.digest(rotated['refresh_token'])}", "REFRESH")["grant_id"] == sid
    latest = _ok(refresh(browser, confidential, rotated["refresh_token"]))
    _invalid_grant(refresh(browser, confidential, legacy))  # spent: a reuse ends the grant
    assert (db.get(f"GRANT#{sid}", "GRANT") or {})["revoked_reason"] == "refresh_reuse"
    _invalid_grant(refresh(browser, confidential, latest["refresh_token"]))
