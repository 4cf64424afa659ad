"""What the token endpoint costs in DynamoDB: the client's read and one conditional write to
the grant, for a code exchange and for a refresh (RFC 6749 §4.1.3 and §6; single use and
RFC 9700 §4.14.2 reuse detection kept)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from chalicelib.store import db
from tests.conftest import Browser
from tests.oauth.conftest import OAuthClient, claims_of, exchange, get_code, grant_of, refresh, tokens_for


@contextmanager
def touched() -> Iterator[list[tuple[str, str]]]:
    """(operation, key prefix) of every DynamoDB call made meanwhile, transaction items apart."""
    seen: list[tuple[str, str]] = []

    def record(model: Any, params: dict[str, Any], **_: Any) -> None:
        for action in params.get("TransactItems") or [{model.name: params}]:
            [(operation, body)] = action.items()
            key = body.get("Key") or body.get("Item") or {}
            seen.append((operation, str(key.get("pk", {}).get("S", "?")).split("#")[0]))

    events = db.client().meta.events
    events.register("before-parameter-build.dynamodb", record, unique_id="token-cost")
    try:
        yield seen
    finally:
        events.unregister("before-parameter-build.dynamodb", unique_id="token-cost")


def test_a_code_exchange_reads_the_client_and_writes_the_grant_once(
        browser: Browser, public_client: OAuthClient) -> None:
    code = get_code(browser, public_client)
    with touched() as calls:
        answer = exchange(browser, public_client, code, method="none")
    assert answer.status_code == 200, answer.body
    assert calls == [("GetItem", "CLIENT"), ("UpdateItem", "GRANT")]
    grant = db.get(f"GRANT#{grant_of(code)}", "GRANT", consistent=True) or {}
    assert grant["redeemed_at"] > 0 and grant["refresh_digest"] and "user_id" in grant


def test_a_refresh_reads_the_client_and_writes_the_grant_once(
        browser: Browser, public_client: OAuthClient) -> None:
    first = tokens_for(browser, public_client, method="none")
    sid = claims_of(first["access_token"])["sid"]
    with touched() as calls:
        answer = refresh(browser, public_client, first["refresh_token"], method="none")
    assert answer.status_code == 200, answer.body
    assert calls == [("GetItem", "CLIENT"), ("UpdateItem", "GRANT")]
    grant = db.get(f"GRANT#{sid}", "GRANT", consistent=True) or {}
    new_token = json.loads(answer.body)["refresh_token"]
    assert grant["refresh_digest"] != grant["previous_digest"] and grant["last_used_at"] > 0
    # The old token is now a reuse: presenting it again ends the grant, the new one with it.
    assert refresh(browser, public_client, first["refresh_token"], method="none").status_code == 400
    assert refresh(browser, public_client, new_token, method="none").status_code == 400
    assert (db.get(f"GRANT#{sid}", "GRANT", consistent=True) or {})["revoked_reason"] == "refresh_reuse"
